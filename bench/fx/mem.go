package fx

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	"wfxc/compile"
	"wfxc/rt"
)

// MemVariants are the variants MeasureMem measures.
var MemVariants = []string{WasmFX, Asyncify, Native}

// MemEnv carries a memory measurement to a child process: "OBJECT W
// ROUNDS", the wfxc object of c10m to load (MeasureMem sets it, MemChild
// reads it).
const MemEnv = "FXBENCH_MEM"

// Mem is c10m's memory in one variant, measured in a process of its own
// (KiB, from /proc/self/status), the same way for every variant
// (native_main.c "mem"): after spawn(10), finish() (the first stacks and
// code paths), RSS0 and PTE0; after spawn(Conts) (every worker suspended
// at its first yield) RSS1 and PTE1; after step(Rounds) RSS2; at the end
// the peak RSS, HWM. Sum is the checksum of the whole run (run(Rounds)'s).
type Mem struct {
	Conts, Rounds          int
	RSS0, PTE0, RSS1, PTE1 int64
	RSS2, HWM              int64
	Sum                    int64
}

// PerCont is the memory committed per suspended continuation, in bytes:
// the resident pages and page tables spawn(Conts) added (as in
// rt/e2e TestCont_memoryPerSuspended).
func (m Mem) PerCont() float64 {
	return float64(m.RSS1-m.RSS0+m.PTE1-m.PTE0) * 1024 / float64(m.Conts)
}

// MeasureMem measures c10m with C10mWorkers live fibres and the given
// rounds in variant v in a fresh process: for native the gcc build, for
// the wasm variants the command self (run with MemEnv set, it must call
// MemChild: the compare command, or a test binary) loading an object
// compiled here, so the compiler's memory is not in the child's peak.
func MeasureMem(v string, rounds int, self []string) (Mem, error) {
	dir, err := os.MkdirTemp("", "fxbench-mem-")
	if err != nil {
		return Mem{}, err
	}
	defer os.RemoveAll(dir)
	arg := []string{strconv.Itoa(C10mWorkers), strconv.Itoa(rounds)}
	var lines [][]int64
	if v == Native {
		exe, err := BuildNative(dir, "c10m")
		if err != nil {
			return Mem{}, err
		}
		lines, err = Exec(exe, append([]string{"mem"}, arg...)...)
		if err != nil {
			return Mem{}, err
		}
	} else {
		wasm, err := Wasm("c10m", v)
		if err != nil {
			return Mem{}, err
		}
		res, err := compile.Compile(wasm, compile.Options{Name: "c10m." + v})
		if err != nil {
			return Mem{}, err
		}
		obj := filepath.Join(dir, "c10m.o")
		if err := os.WriteFile(obj, res.Object, 0o644); err != nil {
			return Mem{}, err
		}
		cmd := exec.Command(self[0], self[1:]...)
		cmd.Env = append(os.Environ(), MemEnv+"="+obj+" "+strings.Join(arg, " "))
		lines, err = parseInts(cmd)
		if err != nil {
			return Mem{}, err
		}
	}
	if len(lines) != 1 || len(lines[0]) != 7 {
		return Mem{}, fmt.Errorf("c10m %s mem: output %v", v, lines)
	}
	l := lines[0]
	return Mem{Conts: C10mWorkers, Rounds: rounds, RSS0: l[0], PTE0: l[1], RSS1: l[2], PTE1: l[3],
		RSS2: l[4], HWM: l[5], Sum: l[6]}, nil
}

// MemChild is the body of MeasureMem's child process: if MemEnv is set,
// it runs the measurement, prints its line (as native_main.c "mem") and
// returns true; the caller should then exit (status 1 after an error).
func MemChild() (bool, error) {
	spec := os.Getenv(MemEnv)
	if spec == "" {
		return false, nil
	}
	f := strings.Fields(spec)
	if len(f) != 3 {
		return true, fmt.Errorf("%s=%q: want OBJECT W ROUNDS", MemEnv, spec)
	}
	w, err1 := strconv.ParseUint(f[1], 10, 31)
	rounds, err2 := strconv.ParseUint(f[2], 10, 31)
	obj, err3 := os.ReadFile(f[0])
	for _, err := range []error{err1, err2, err3} {
		if err != nil {
			return true, err
		}
	}
	mod, err := rt.LoadObject(obj)
	if err != nil {
		return true, err
	}
	s := rt.NewStore()
	defer s.Close()
	inst, err := s.Instantiate(mod, nil)
	if err != nil {
		return true, err
	}
	in := &Instance{Store: s, inst: inst}
	call := func(fn string, args ...uint64) int64 {
		if err != nil {
			return 0
		}
		var r uint64
		r, err = in.Call(fn, args...)
		return int64(r)
	}
	call("spawn", 10)
	call("finish")
	runtime.GC()
	r0, p0 := ProcKB("status", "VmRSS"), ProcKB("status", "VmPTE")
	call("spawn", w)
	r1, p1 := ProcKB("status", "VmRSS"), ProcKB("status", "VmPTE")
	// (Asyncify's fibres are no continuations: total stays 0.)
	if live, total := s.Continuations(); err == nil && total > 0 && live != int(w) {
		return true, fmt.Errorf("%d continuations live after spawn(%d)", live, w)
	}
	sum := call("step", rounds)
	r2 := ProcKB("status", "VmRSS")
	sum += call("finish")
	if err != nil {
		return true, err
	}
	if live, _ := s.Continuations(); live != 0 {
		return true, fmt.Errorf("%d continuations live after finish", live)
	}
	fmt.Println(r0, p0, r1, p1, r2, ProcKB("status", "VmHWM"), sum)
	return true, nil
}

// parseInts runs cmd and parses its output as Exec does.
func parseInts(cmd *exec.Cmd) ([][]int64, error) {
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%s: %w\n%s", cmd.Path, err, stderr.String())
	}
	return ints(cmd.Path, string(out))
}
