package fx

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"syscall"
	"time"

	"wfxc/bench"
)

// The other variants: the gcc build with fiber_native.c, and the two
// wasm builds run by Wasmtime (bench.Wasmtime) instead of wfxc.
const (
	Native           = "native"
	WasmFXWasmtime   = WasmFX + "-wasmtime"
	AsyncifyWasmtime = Asyncify + "-wasmtime"
)

// Variants are the builds and engines of every program, in table order.
// Wasmtime's prebuilt library has no stack switching, so WasmFXWasmtime
// fails to compile (Unsupported).
var Variants = []string{WasmFX, Asyncify, Native, AsyncifyWasmtime, WasmFXWasmtime}

// Unsupported reports whether err is the expected failure of variant v:
// WasmFXWasmtime not compiling, or any wasmtime variant in a build
// without cgo.
func Unsupported(v string, err error) bool {
	return err != nil && (v == WasmFXWasmtime || !bench.WasmtimeAvailable && strings.HasSuffix(v, "-wasmtime"))
}

// A Timed is one run(n): its checksum and how long it took, by the
// wall clock and in CPU time of the thread that ran it (which a loaded
// machine inflates less: descheduled time is not counted).
type Timed struct {
	Sum    int64
	D, CPU time.Duration
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
	if w, ok := strings.CutSuffix(v, "-wasmtime"); ok {
		wasm, err := Wasm(p, w)
		if err != nil {
			return nil, err
		}
		if v == WasmFXWasmtime {
			return wasmtimeFX(wasm)
		}
		m, err := bench.Prepare(bench.Wasmtime, wasm)
		if err != nil {
			return nil, err
		}
		return &engineRunner{m}, nil
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
	runtime.LockOSThread() // for the thread's CPU time
	defer runtime.UnlockOSThread()
	var runs []Timed
	for range reps {
		c0, err := threadCPU()
		if err != nil {
			return nil, err
		}
		t0 := time.Now()
		sum, err := r.inst.Call("run", uint64(n))
		d := time.Since(t0)
		c1, _ := threadCPU()
		if err != nil {
			return nil, err
		}
		if live, _ := r.inst.Store.Continuations(); live != 0 {
			return nil, fmt.Errorf("%d continuations live after run(%d)", live, n)
		}
		runs = append(runs, Timed{int64(sum), d, c1 - c0})
	}
	return runs, nil
}

func (r *wasmRunner) Close() { r.inst.Store.Close() }

// engineRunner runs a module on a bench.Engine (Wasmtime).
type engineRunner struct{ p *bench.Prepared }

func (r *engineRunner) Time(n int64, reps int) ([]Timed, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var runs []Timed
	for range reps {
		c0, err := threadCPU()
		if err != nil {
			return nil, err
		}
		t0 := time.Now()
		sum, err := r.p.Run(uint64(n))
		d := time.Since(t0)
		c1, _ := threadCPU()
		if err != nil {
			return nil, err
		}
		runs = append(runs, Timed{int64(sum), d, c1 - c0})
	}
	return runs, nil
}

func (r *engineRunner) Close() { r.p.Close() }

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
		runs[i] = Timed{x.Sum, time.Duration(x.Ns), time.Duration(x.CPUNs)}
	}
	return runs, nil
}

func (r *nativeRunner) Close() { os.RemoveAll(r.dir) }

// rusageThread is Linux's RUSAGE_THREAD, which package syscall lacks.
const rusageThread = 1

// threadCPU is the CPU time (user and system) of the calling thread.
func threadCPU() (time.Duration, error) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0, err
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), nil
}

// A Row is one program's line of the comparison table.
type Row struct {
	Program Program
	Time    []time.Duration // per variant (Variants order): wall clock
	CPU     []time.Duration // the same runs' thread CPU times
	Sum     []int64
	Err     []error
}

// OK reports whether every variant ran, but for the Unsupported, and all
// checksums agree (with the Go model too, where there is one).
func (r Row) OK() bool {
	for i, v := range Variants {
		if Unsupported(v, r.Err[i]) {
			continue
		}
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
		n := len(Variants)
		row := Row{Program: p, Time: make([]time.Duration, n), CPU: make([]time.Duration, n),
			Sum: make([]int64, n), Err: make([]error, n)}
		for vi, v := range Variants {
			row.Sum[vi], row.Time[vi], row.CPU[vi], row.Err[vi] = measure(p, v, reps, stat)
		}
		rows = append(rows, row)
	}
	return rows
}

func measure(p Program, v string, reps int, stat func([]time.Duration) time.Duration) (sum int64, wall, cpu time.Duration, err error) {
	r, err := NewRunner(p.Name, v)
	if err != nil {
		return 0, 0, 0, err
	}
	defer r.Close()
	runs, err := r.Time(p.Arg, reps+1)
	if err != nil {
		return 0, 0, 0, err
	}
	var ds, cs []time.Duration
	for _, x := range runs[1:] {
		if x.Sum != runs[0].Sum {
			return 0, 0, 0, fmt.Errorf("run(%d) gave %d, then %d", p.Arg, runs[0].Sum, x.Sum)
		}
		ds, cs = append(ds, x.D), append(cs, x.CPU)
	}
	return runs[0].Sum, stat(ds), stat(cs), nil
}
