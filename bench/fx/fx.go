// Package fx runs the stack-switching benchmark corpus (README.md): four
// C programs written against fiber.h, each as WasmFX and as Asyncify
// (the checked-in .wasm files, run through wfxc) and as native C with a
// hand-written x86-64 context switch (built with gcc at run time).
package fx

import (
	"embed"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"wfxc/compile"
	"wfxc/frontend/wat"
	"wfxc/rt"
)

//go:embed wasm/*.wasm src/*.c src/*.h src/*.S
var files embed.FS

// A Program is one benchmark: its C source is Name+".c"; run(Arg) is the
// benchmarked call, run(TestArg) the quick check.
type Program struct {
	Name    string
	Arg     int64
	TestArg int64
	// Resumes is how many fiber_resume calls run(n) makes (each a round
	// trip: into the fibre and back by yield or return).
	Resumes func(n int64) int64
	// Want is run(n)'s checksum computed in Go, or nil where only the
	// variants are compared with each other.
	Want func(n int64) int64
}

// Programs are the four benchmarks and their sizes.
var Programs = []Program{
	{Name: "generator", Arg: 10_000_000, TestArg: 100_000,
		Resumes: func(n int64) int64 { return n + 1 },
		Want:    func(n int64) int64 { return n * (n - 1) / 2 }},
	{Name: "sieve", Arg: 2000, TestArg: 100,
		Resumes: func(n int64) int64 { _, r := sieve(n); return r },
		Want:    func(n int64) int64 { s, _ := sieve(n); return s }},
	{Name: "skynet", Arg: 1_000_000, TestArg: 10_000,
		Resumes: func(n int64) int64 { return 2 * skynetFibres(n) },
		Want:    func(n int64) int64 { return n * (n - 1) / 2 }},
	{Name: "c10m", Arg: 100, TestArg: 3,
		Resumes: func(n int64) int64 { return C10mWorkers * (n + 2) },
		Want:    nil},
}

// C10mWorkers is the number of live fibres of c10m's run (c10m.c).
const C10mWorkers = 10_000

// Variants of the wasm programs, as in the file names P.<variant>.wasm.
const (
	WasmFX   = "wasmfx"
	Asyncify = "asyncify"
)

// sieve models sieve.c in Go: the sum of the first n primes and the
// number of resumes the chain of filters makes to find them.
func sieve(n int64) (sum, resumes int64) {
	var primes []int64 // the filters, oldest first
	next := int64(2)   // what the naturals fibre yields next
	// pull resumes stage k (0: naturals, k: the filter of primes[k-1]).
	var pull func(k int) int64
	pull = func(k int) int64 {
		resumes++
		if k == 0 {
			next++
			return next - 1
		}
		for {
			if v := pull(k - 1); v%primes[k-1] != 0 {
				return v
			}
		}
	}
	for range n {
		p := pull(len(primes))
		sum += p
		primes = append(primes, p)
	}
	pull(len(primes))                 // the last filter's start
	resumes += int64(len(primes)) + 1 // the stop, down the chain
	return sum, resumes
}

// skynetFibres is the number of fibres skynet.c makes for n leaves.
func skynetFibres(n int64) int64 {
	total := int64(0)
	for k := int64(10); k <= n; k *= 10 {
		total += k
	}
	return total
}

// Wasm returns the checked-in module of program p in variant v.
func Wasm(p, v string) ([]byte, error) {
	return files.ReadFile("wasm/" + p + "." + v + ".wasm")
}

// An Instance is a module compiled by wfxc and instantiated in its own
// store.
type Instance struct {
	Store *rt.Store
	inst  *rt.Instance
}

// Compile compiles wasm with wfxc and instantiates it (no imports).
func Compile(name string, wasm []byte) (*Instance, error) {
	res, err := compile.Compile(wasm, compile.Options{Name: name})
	if err != nil {
		return nil, fmt.Errorf("%s: compile: %w", name, err)
	}
	mod, err := rt.LoadObject(res.Object)
	if err != nil {
		return nil, fmt.Errorf("%s: rt.LoadObject: %w", name, err)
	}
	s := rt.NewStore()
	inst, err := s.Instantiate(mod, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: instantiate: %w", name, err)
	}
	return &Instance{Store: s, inst: inst}, nil
}

// CompileWat parses WebAssembly text and compiles it as Compile does.
func CompileWat(name, text string) (*Instance, error) {
	bin, err := wat.ParseModule([]byte(text))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return Compile(name, bin)
}

// Call calls export fn and returns its first result (0 if none).
func (i *Instance) Call(fn string, args ...uint64) (uint64, error) {
	f := i.inst.Func(fn)
	if f == nil {
		return 0, fmt.Errorf("no exported function %q", fn)
	}
	res, err := f.Call(args...)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", fn, err)
	}
	if len(res) == 0 {
		return 0, nil
	}
	return res[0], nil
}

// BuildNative compiles program p with fiber_native.c, switch_x86_64.S and
// native_main.c by gcc -O2 into dir and returns the executable's path.
func BuildNative(dir, p string) (string, error) {
	srcs := []string{p + ".c", "fiber_native.c", "switch_x86_64.S", "native_main.c", "fiber.h"}
	for _, s := range srcs {
		b, err := files.ReadFile("src/" + s)
		if err != nil {
			return "", err
		}
		if err := os.WriteFile(filepath.Join(dir, s), b, 0o644); err != nil {
			return "", err
		}
	}
	exe := filepath.Join(dir, p+".native")
	cmd := exec.Command("gcc", append([]string{"-O2", "-o", exe}, srcs[:4]...)...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("gcc %s: %v\n%s", p, err, out)
	}
	return exe, nil
}

// NativeRun is one timed run of a native build.
type NativeRun struct {
	Sum     int64
	Ns      int64
	Resumes int64 // fiber_resume calls counted by fiber_native.c
	CPUNs   int64 // the thread's CPU time
}

// RunNative runs exe's run(n) reps times in one process (native_main.c
// "time") and returns each run's checksum and times.
func RunNative(exe string, n int64, reps int) ([]NativeRun, error) {
	lines, err := Exec(exe, "time", strconv.FormatInt(n, 10), strconv.Itoa(reps))
	if err != nil {
		return nil, err
	}
	var runs []NativeRun
	for _, l := range lines {
		if len(l) != 4 {
			return nil, fmt.Errorf("%s: output line %v", exe, l)
		}
		runs = append(runs, NativeRun{Sum: l[0], Ns: l[1], Resumes: l[2], CPUNs: l[3]})
	}
	if len(runs) != reps {
		return nil, fmt.Errorf("%s: %d runs, want %d", exe, len(runs), reps)
	}
	return runs, nil
}

// Exec runs exe with args and parses its output: lines of integers.
func Exec(exe string, args ...string) ([][]int64, error) {
	out, err := exec.Command(exe, args...).Output()
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", exe, strings.Join(args, " "), err)
	}
	return ints(exe, string(out))
}

// ints parses the output of exe: lines of integers.
func ints(exe, out string) ([][]int64, error) {
	var lines [][]int64
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var nums []int64
		for _, f := range strings.Fields(l) {
			v, err := strconv.ParseInt(f, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("%s: output %q: %w", exe, l, err)
			}
			nums = append(nums, v)
		}
		lines = append(lines, nums)
	}
	return lines, nil
}

// ProcKB reads the "Name: N kB" line of a /proc/self file (status or
// smaps_rollup), -1 if it is missing.
func ProcKB(file, name string) int64 {
	b, err := os.ReadFile("/proc/self/" + file)
	if err != nil {
		return -1
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, name+":"); ok {
			n, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err == nil {
				return n
			}
		}
	}
	return -1
}
