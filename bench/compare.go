package bench

import (
	"fmt"
	"io"
	"math"
	"runtime"
	"slices"
	"strings"
	"time"
)

// Row is one kernel's line of the comparison table: per engine, in the
// order Compare was given them, run time (wall clock and thread CPU time)
// and compile time, result and error; then the native build's.
type Row struct {
	Kernel       string
	Arg          uint64
	Run, Compile []time.Duration
	CPU          []time.Duration // the thread CPU time of the runs
	Result       []uint64
	Err          []error // compile, instantiate or run failure
	ResultsAgree bool    // every engine without an error gave the same result
	Native       *NativeRow
}

// A NativeRow is the C version of a kernel built by gcc -O2
// (BuildNativeKernels): run times as in Row, result and error.
type NativeRow struct {
	Run, CPU time.Duration
	Result   uint64
	Err      error
}

// Compare runs every kernel on each engine (in the same process, one
// after the other), reps times each after a warm-up run, and returns the
// times chosen by stat from each series (Min or Median). The first engine
// is the one under test; the table's ratios divide by it. If native is
// not empty, it is the executable of BuildNativeKernels, run likewise.
func Compare(ks []Kernel, engines []Engine, reps int, stat func([]time.Duration) time.Duration, native string) []Row {
	var rows []Row
	for _, k := range ks {
		n := len(engines)
		row := Row{Kernel: k.Name, Arg: k.Arg, Run: make([]time.Duration, n), Compile: make([]time.Duration, n),
			CPU: make([]time.Duration, n), Result: make([]uint64, n), Err: make([]error, n), ResultsAgree: true}
		for ei, e := range engines {
			row.Compile[ei], row.Run[ei], row.CPU[ei], row.Result[ei], row.Err[ei] = measure(k, e, reps, stat)
		}
		if native != "" {
			row.Native = measureNative(k, native, reps, stat)
			if row.Native.Err == nil && row.Err[0] == nil && row.Native.Result != row.Result[0] {
				row.ResultsAgree = false
			}
		}
		for ei := range engines {
			if row.Err[ei] == nil && row.Err[0] == nil && row.Result[ei] != row.Result[0] {
				row.ResultsAgree = false
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// measure compiles k on e reps times, then runs it once to warm up and
// reps times more.
func measure(k Kernel, e Engine, reps int, stat func([]time.Duration) time.Duration) (compile, run, cpu time.Duration, result uint64, err error) {
	var cts []time.Duration
	for i := 0; i < reps; i++ {
		t0 := time.Now()
		m, err := e.Compile(k.Wasm)
		cts = append(cts, time.Since(t0))
		if err != nil {
			return 0, 0, 0, 0, fmt.Errorf("compile: %w", err)
		}
		m.Close()
	}
	compile = stat(cts)
	p, err := Prepare(e, k.Wasm)
	if err != nil {
		return compile, 0, 0, 0, err
	}
	defer p.Close()
	runtime.LockOSThread() // for the thread's CPU time
	defer runtime.UnlockOSThread()
	result, err = p.Run(k.Arg) // warm-up
	if err != nil {
		return compile, 0, 0, 0, fmt.Errorf("run: %w", err)
	}
	var rts, cts2 []time.Duration
	for i := 0; i < reps; i++ {
		c0, t0 := threadCPUTime(), time.Now()
		res, err := p.Run(k.Arg)
		rts, cts2 = append(rts, time.Since(t0)), append(cts2, threadCPUTime()-c0)
		if err != nil || res != result {
			return compile, 0, 0, result, fmt.Errorf("run %d: result %#x, error %v; first run gave %#x", i, res, err, result)
		}
	}
	return compile, stat(rts), stat(cts2), result, nil
}

// measureNative runs kernel k of the native executable exe once to warm
// up and reps times more.
func measureNative(k Kernel, exe string, reps int, stat func([]time.Duration) time.Duration) *NativeRow {
	runs, err := RunNativeKernel(exe, k.Name, k.Arg, reps+1)
	if err != nil {
		return &NativeRow{Err: err}
	}
	var ws, cs []time.Duration
	for i, r := range runs[1:] {
		if r.Result != runs[0].Result {
			return &NativeRow{Err: fmt.Errorf("run %d: result %#x; first run gave %#x", i, r.Result, runs[0].Result)}
		}
		ws, cs = append(ws, r.Wall), append(cs, r.CPU)
	}
	return &NativeRow{Run: stat(ws), CPU: stat(cs), Result: runs[0].Result}
}

// Min is the fastest of a series: the least disturbed by other load on
// the machine.
func Min(ds []time.Duration) time.Duration { return slices.Min(ds) }

// Median is the middle of a series.
func Median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// Failed reports whether r fails a comparison: an engine other than the
// first failed, the first failed with something other than a missing
// feature, or the results differ.
func (r Row) Failed() bool {
	if r.Err[0] != nil && !IsUnsupported(r.Err[0]) || !r.ResultsAgree {
		return true
	}
	for _, err := range r.Err[1:] {
		if err != nil {
			return true
		}
	}
	return r.Native != nil && r.Native.Err != nil
}

// PrintTable writes rows as an aligned text table: run times (thread CPU
// times if cpu, else wall clock) of every engine and of the native build,
// the ratios of the first engine to every other (below 1: the first is
// faster), every engine's ratio to native; then compile times and ratios.
// The last line has the geometric means of the ratios. A kernel whose
// results differ is marked MISMATCH, one the first engine cannot compile
// yet "unsupported".
func PrintTable(w io.Writer, rows []Row, names []string, cpu bool) {
	native := len(rows) > 0 && rows[0].Native != nil
	var h strings.Builder
	fmt.Fprintf(&h, "%-8s %9s  ", "kernel", "size")
	for _, n := range names {
		fmt.Fprintf(&h, " %10s", n)
	}
	if native {
		fmt.Fprintf(&h, " %10s", "native")
	}
	for _, n := range names[1:] {
		fmt.Fprintf(&h, " %9s", "÷"+n)
	}
	if native {
		for _, n := range names {
			fmt.Fprintf(&h, " %12s", n+"÷nat")
		}
	}
	h.WriteString("  ")
	for _, n := range names {
		fmt.Fprintf(&h, " %12s", n+" comp")
	}
	for _, n := range names[1:] {
		fmt.Fprintf(&h, " %9s", "÷"+n)
	}
	fmt.Fprintf(w, "%s  %s\n", h.String(), "result")
	var logs []float64 // per ratio column: sum of logs
	var counts []int
	col := 0
	put := func(width int, x float64) {
		if col == len(logs) {
			logs, counts = append(logs, 0), append(counts, 0)
		}
		if x > 0 {
			logs[col] += math.Log(x)
			counts[col]++
		}
		fmt.Fprintf(w, " %*s", width, ratio(x))
		col++
	}
	div := func(a, b time.Duration, ok bool) float64 {
		if !ok || a == 0 || b == 0 {
			return 0
		}
		return float64(a) / float64(b)
	}
	for _, r := range rows {
		col = 0
		run := r.Run
		if cpu {
			run = r.CPU
		}
		var nat time.Duration
		natOK := r.Native != nil && r.Native.Err == nil
		if natOK {
			nat = r.Native.Run
			if cpu {
				nat = r.Native.CPU
			}
		}
		fmt.Fprintf(w, "%-8s %9d  ", r.Kernel, r.Arg)
		for _, d := range run {
			fmt.Fprintf(w, " %10s", dur(d))
		}
		if native {
			fmt.Fprintf(w, " %10s", dur(nat))
		}
		for ei := range names[1:] {
			put(9, div(run[0], run[ei+1], r.Err[0] == nil && r.Err[ei+1] == nil))
		}
		if native {
			for ei := range names {
				put(12, div(run[ei], nat, r.Err[ei] == nil && natOK))
			}
		}
		fmt.Fprint(w, "  ")
		for _, d := range r.Compile {
			fmt.Fprintf(w, " %12s", dur(d))
		}
		for ei := range names[1:] {
			put(9, div(r.Compile[0], r.Compile[ei+1], r.Err[0] == nil && r.Err[ei+1] == nil))
		}
		fmt.Fprintf(w, "  %s\n", status(r, names))
	}
	fmt.Fprintf(w, "%-8s %9s  ", "geomean", "")
	fmt.Fprint(w, strings.Repeat(" ", 11*(len(names)+btoi(native))))
	for c := range logs {
		if c == len(names)-1+btoi(native)*len(names) {
			fmt.Fprint(w, "  ", strings.Repeat(" ", 13*len(names)))
		}
		x := 0.0
		if counts[c] > 0 {
			x = math.Exp(logs[c] / float64(counts[c]))
		}
		width := 9
		if native && c >= len(names)-1 && c < len(names)-1+len(names) {
			width = 12
		}
		fmt.Fprintf(w, " %*s", width, ratio(x))
	}
	fmt.Fprintln(w)
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func status(r Row, names []string) string {
	switch {
	case IsUnsupported(r.Err[0]):
		return "unsupported in " + names[0] + ": " + firstLine(r.Err[0].Error())
	case r.Err[0] != nil:
		return "FAILED in " + names[0] + ": " + firstLine(r.Err[0].Error())
	}
	for ei, err := range r.Err {
		if err != nil {
			return "FAILED in " + names[ei] + ": " + firstLine(err.Error())
		}
	}
	if r.Native != nil && r.Native.Err != nil {
		return "FAILED in native: " + firstLine(r.Native.Err.Error())
	}
	if !r.ResultsAgree {
		var rs []string
		for ei, res := range r.Result {
			rs = append(rs, fmt.Sprintf("%s %#x", names[ei], res))
		}
		if r.Native != nil {
			rs = append(rs, fmt.Sprintf("native %#x", r.Native.Result))
		}
		return "MISMATCH: " + strings.Join(rs, ", ")
	}
	return fmt.Sprintf("ok (%#x)", r.Result[0])
}

func firstLine(s string) string {
	for i, c := range s {
		if c == '\n' {
			return s[:i]
		}
	}
	return s
}

func dur(d time.Duration) string {
	if d == 0 {
		return "-"
	}
	return d.Round(time.Microsecond).String()
}

func ratio(x float64) string {
	if x == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", x)
}
