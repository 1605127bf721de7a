package bench

import (
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"slices"
	"time"

	"golang.org/x/sys/unix"

	"wfxc/frontend/wat"
)

// ThrowWat is the exceptions benchmark module, relative to the bench
// module: throw(n, d) throws n times, each caught d frames up; plain(n)
// and try(n) are recursive fib without and with a try_table around its
// calls.
const ThrowWat = "testdata/exn/throwcatch.wat"

// ThrowFrames are the depths, in wasm frames between throw and catch,
// that ThrowCatch measures.
var ThrowFrames = []uint64{1, 10, 100}

// ThrowResult is one engine's line of the exceptions benchmark.
type ThrowResult struct {
	Engine string
	// PerThrow is the time per throw→catch, per entry of ThrowFrames.
	PerThrow []time.Duration
	// Plain and Try are the times of fib(FibArg) without and with a
	// try_table around its calls.
	Plain, Try time.Duration
	Err        error
}

// FibArg is the argument of the try_table kernel (fib(25): 243k calls).
const FibArg = 25

// LoadThrowModule assembles ThrowWat with wfxc's text parser.
func LoadThrowModule() ([]byte, error) {
	src, err := os.ReadFile(ThrowWat)
	if err != nil {
		return nil, err
	}
	return wat.ParseModuleFile(src, ThrowWat)
}

// ThrowCatch runs the exceptions benchmark on e: for each depth, the best
// of reps calls of throw(throws, depth), in time per throw; then the best
// of FibRounds(reps) runs of plain and try, taken in turn. Times are the CPU time of
// the calling thread (the machine may be shared).
func ThrowCatch(e Engine, wasm []byte, throws, reps int) (r ThrowResult) {
	r.Engine = e.Name
	p, err := Prepare(e, wasm)
	if err != nil {
		r.Err = err
		return r
	}
	defer p.Close()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	call := func(name string, want uint64, args ...uint64) (time.Duration, error) {
		t0 := threadCPUTime()
		res, err := p.Instance.Call(name, args...)
		t := threadCPUTime() - t0
		if err != nil || len(res) != 1 || res[0] != want {
			return 0, fmt.Errorf("%s%v = %v, %v; want %d", name, args, res, err, want)
		}
		return t, nil
	}
	best := func(name string, want uint64, args ...uint64) (time.Duration, error) {
		if _, err := call(name, want, args...); err != nil { // warm-up
			return 0, err
		}
		var ds []time.Duration
		for range reps {
			t, err := call(name, want, args...)
			if err != nil {
				return 0, err
			}
			ds = append(ds, t)
		}
		return slices.Min(ds), nil
	}
	for _, d := range ThrowFrames {
		t, err := best("throw", uint64(throws), uint64(throws), d)
		if err != nil {
			r.Err = err
			return r
		}
		r.PerThrow = append(r.PerThrow, t/time.Duration(throws))
	}
	const fib25 = 75025
	r.Plain, r.Try = time.Duration(math.MaxInt64), time.Duration(math.MaxInt64)
	for i := range FibRounds(reps) + 1 { // the first round warms up
		tp, err := call("plain", fib25, FibArg)
		if err != nil {
			r.Err = err
			return r
		}
		tt, err := call("try", fib25, FibArg)
		if err != nil {
			r.Err = err
			return r
		}
		if i > 0 {
			r.Plain, r.Try = min(r.Plain, tp), min(r.Try, tt)
		}
	}
	return r
}

// FibRounds is the number of timed runs of each fib variant for reps:
// at least 30 (a run is under a millisecond, and the ratio of the two is
// the benchmark's point).
func FibRounds(reps int) int { return max(reps, 30) }

// threadCPUTime is the CPU time the calling thread has used.
func threadCPUTime() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		panic(err)
	}
	return time.Duration(ts.Nano())
}

// PrintThrowTable writes the exceptions benchmark's results, one line per
// engine.
func PrintThrowTable(w io.Writer, rs []ThrowResult) {
	fmt.Fprintf(w, "%-10s", "engine")
	for _, d := range ThrowFrames {
		unit := "frames"
		if d == 1 {
			unit = "frame"
		}
		fmt.Fprintf(w, " %14s", fmt.Sprintf("%d %s", d, unit))
	}
	fmt.Fprintf(w, " %12s %12s %8s\n", fmt.Sprintf("fib(%d)", FibArg), "in try_table", "try ÷")
	for _, r := range rs {
		fmt.Fprintf(w, "%-10s", r.Engine)
		if r.Err != nil {
			fmt.Fprintf(w, " FAILED: %s\n", firstLine(r.Err.Error()))
			continue
		}
		for _, t := range r.PerThrow {
			fmt.Fprintf(w, " %14s", t.String())
		}
		fmt.Fprintf(w, " %12s %12s %8.2f\n", dur(r.Plain), dur(r.Try), float64(r.Try)/float64(r.Plain))
	}
}
