package corpus

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"wfxc/compile"
)

// The compile-time measurement runs each compilation in a child process
// (the calling program itself, told by childEnv what to do) so its peak
// memory is its own: maximum RSS from the child's rusage. The child
// times the compilation alone and prints the nanoseconds.
const (
	childEnv     = "WFXC_CORPUS_COMPILE"      // "wfxc", "wasmtime" or "none" (loads the module, compiles nothing)
	childWasmEnv = "WFXC_CORPUS_COMPILE_WASM" // the module's path
)

// CompileChild runs the child's compilation if this process is one
// (child is true; the caller then exits, with status 1 if err != nil).
func CompileChild() (child bool, err error) {
	what, ok := os.LookupEnv(childEnv)
	if !ok {
		return false, nil
	}
	wasm, err := os.ReadFile(os.Getenv(childWasmEnv))
	if err != nil {
		return true, err
	}
	if what == "wfxc" {
		compile.TuneGC() // as the wfxc command does (compile/gc.go)
	}
	t0 := time.Now()
	switch what {
	case "wfxc":
		_, err = compile.Compile(wasm, compile.Options{Name: "m"})
	case "wasmtime":
		err = WasmtimeCompile(wasm)
	case "none":
	default:
		err = fmt.Errorf("%s=%q: want wfxc, wasmtime or none", childEnv, what)
	}
	if err != nil {
		return true, err
	}
	d := time.Since(t0)
	// The peak RSS from /proc/self/status: a child's rusage maximum RSS
	// starts at its parent's (fork copies the high-water mark).
	fmt.Println(d.Nanoseconds(), procKB("VmHWM"))
	return true, nil
}

// A CompileTime is one compiler's compilations of one module.
type CompileTime struct {
	Compiler string
	Wall     []time.Duration // of the compilation alone
	CPU      []time.Duration // the child process's, start-up included
	MaxRSS   []int64         // peak resident set of the child (VmHWM), bytes
	Err      error
}

// Threads is the number of threads both compilers may use (GOMAXPROCS,
// RAYON_NUM_THREADS).
const Threads = 2

// MeasureCompile compiles wasm reps times in children of self (the
// executable, which must call CompileChild first) with compiler wfxc,
// wasmtime or none.
func MeasureCompile(self, compiler string, wasm []byte, dir string, reps int) CompileTime {
	ct := CompileTime{Compiler: compiler}
	path := dir + "/compile-input.wasm"
	if ct.Err = os.WriteFile(path, wasm, 0o644); ct.Err != nil {
		return ct
	}
	for range reps {
		cmd := exec.Command(self)
		cmd.Env = append(os.Environ(), childEnv+"="+compiler, childWasmEnv+"="+path,
			"GOMAXPROCS="+strconv.Itoa(Threads), "RAYON_NUM_THREADS="+strconv.Itoa(Threads))
		var errb strings.Builder
		cmd.Stderr = &errb
		out, err := cmd.Output()
		if err != nil {
			ct.Err = fmt.Errorf("%s: %v\n%s", compiler, err, errb.String())
			return ct
		}
		var ns, kb int64
		if _, err := fmt.Sscan(string(out), &ns, &kb); err != nil || kb <= 0 {
			ct.Err = fmt.Errorf("%s: output %q", compiler, out)
			return ct
		}
		ct.Wall = append(ct.Wall, time.Duration(ns))
		ct.CPU = append(ct.CPU, cmd.ProcessState.UserTime()+cmd.ProcessState.SystemTime())
		ct.MaxRSS = append(ct.MaxRSS, kb*1024)
	}
	return ct
}

// PrintCompile writes the compile-time table: median wall clock of the
// compilation, median CPU time of the process, peak RSS (median, MiB).
func PrintCompile(w io.Writer, cts []CompileTime) {
	fmt.Fprintf(w, "%-10s %14s %14s %14s\n", "compiler", "wall (s)", "cpu (s)", "peak RSS (MiB)")
	for _, c := range cts {
		if c.Err != nil {
			fmt.Fprintf(w, "%-10s FAILED: %v\n", c.Compiler, c.Err)
			continue
		}
		rss := make([]time.Duration, len(c.MaxRSS)) // Median works on durations
		for i, r := range c.MaxRSS {
			rss[i] = time.Duration(r)
		}
		fmt.Fprintf(w, "%-10s %14s %14s %14.1f\n", c.Compiler,
			fmt.Sprintf("%.3f ±%2.0f%%", Median(c.Wall).Seconds(), 100*Spread(c.Wall)),
			fmt.Sprintf("%.3f ±%2.0f%%", Median(c.CPU).Seconds(), 100*Spread(c.CPU)),
			float64(Median(rss))/(1<<20))
	}
}

// procKB reads the "Name: N kB" line of /proc/self/status, -1 if missing.
func procKB(name string) int64 {
	b, err := os.ReadFile("/proc/self/status")
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
