package fx

import (
	"fmt"
	"os"
	"time"
)

// Native is the variant built by gcc with fiber_native.c.
const Native = "native"

// Variants are the three builds of every program, in table order.
var Variants = []string{WasmFX, Asyncify, Native}

// A Timed is one run(n): its checksum and how long it took.
type Timed struct {
	Sum int64
	D   time.Duration
}

// A Runner runs one program in one variant, compiled or built once.
type Runner interface {
	// Time runs run(n) reps times and returns every run.
	Time(n int64, reps int) ([]Timed, error)
	// Close releases the store or the build directory.
	Close()
}

// NewRunner compiles (wasmfx, asyncify: wfxc) or builds (native: gcc)
// program p in variant v.
func NewRunner(p, v string) (Runner, error) {
	if v == Native {
		dir, err := os.MkdirTemp("", "fxbench-")
		if err != nil {
			return nil, err
		}
		exe, err := BuildNative(dir, p)
		if err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
		return &nativeRunner{dir: dir, exe: exe}, nil
	}
	wasm, err := Wasm(p, v)
	if err != nil {
		return nil, err
	}
	inst, err := Compile(p+"."+v, wasm)
	if err != nil {
		return nil, err
	}
	return &wasmRunner{inst}, nil
}

type wasmRunner struct{ inst *Instance }

func (r *wasmRunner) Time(n int64, reps int) ([]Timed, error) {
	var runs []Timed
	for range reps {
		t0 := time.Now()
		sum, err := r.inst.Call("run", uint64(n))
		d := time.Since(t0)
		if err != nil {
			return nil, err
		}
		if live, _ := r.inst.Store.Continuations(); live != 0 {
			return nil, fmt.Errorf("%d continuations live after run(%d)", live, n)
		}
		runs = append(runs, Timed{int64(sum), d})
	}
	return runs, nil
}

func (r *wasmRunner) Close() { r.inst.Store.Close() }

// nativeRunner runs the executable once per Time call; the runs are timed
// inside it (native_main.c), so process start-up is not counted.
type nativeRunner struct{ dir, exe string }

func (r *nativeRunner) Time(n int64, reps int) ([]Timed, error) {
	nr, err := RunNative(r.exe, n, reps)
	if err != nil {
		return nil, err
	}
	runs := make([]Timed, len(nr))
	for i, x := range nr {
		runs[i] = Timed{x.Sum, time.Duration(x.Ns)}
	}
	return runs, nil
}

func (r *nativeRunner) Close() { os.RemoveAll(r.dir) }

// A Row is one program's line of the comparison table.
type Row struct {
	Program Program
	Time    [3]time.Duration // per variant (Variants order)
	Sum     [3]int64
	Err     [3]error
}

// OK reports whether every variant ran and all checksums agree (with the
// Go model too, where there is one).
func (r Row) OK() bool {
	for i := range r.Err {
		if r.Err[i] != nil || r.Sum[i] != r.Sum[0] {
			return false
		}
	}
	return r.Program.Want == nil || r.Program.Want(r.Program.Arg) == r.Sum[0]
}

// Compare runs every program at its benchmark size in every variant: a
// warm-up run, then reps timed runs, of which stat picks one.
func Compare(ps []Program, reps int, stat func([]time.Duration) time.Duration) []Row {
	var rows []Row
	for _, p := range ps {
		row := Row{Program: p}
		for vi, v := range Variants {
			row.Sum[vi], row.Time[vi], row.Err[vi] = measure(p, v, reps, stat)
		}
		rows = append(rows, row)
	}
	return rows
}

func measure(p Program, v string, reps int, stat func([]time.Duration) time.Duration) (int64, time.Duration, error) {
	r, err := NewRunner(p.Name, v)
	if err != nil {
		return 0, 0, err
	}
	defer r.Close()
	runs, err := r.Time(p.Arg, reps+1)
	if err != nil {
		return 0, 0, err
	}
	var ds []time.Duration
	for _, x := range runs[1:] {
		if x.Sum != runs[0].Sum {
			return 0, 0, fmt.Errorf("run(%d) gave %d, then %d", p.Arg, runs[0].Sum, x.Sum)
		}
		ds = append(ds, x.D)
	}
	return runs[0].Sum, stat(ds), nil
}
