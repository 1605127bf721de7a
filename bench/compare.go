package bench

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// Row is one kernel's line of the comparison table: per engine, in the
// order Compare was given them, run and compile time, result and error.
type Row struct {
	Kernel       string
	Arg          uint64
	Run, Compile []time.Duration
	Result       []uint64
	Err          []error // compile, instantiate or run failure
	ResultsAgree bool    // every engine without an error gave the same result
}

// Compare runs every kernel on each engine (in the same process, one
// after the other), reps times each after a warm-up run, and returns the
// times chosen by stat from each series (Min or Median). The first engine
// is the one under test; the table's ratios divide by it.
func Compare(ks []Kernel, engines []Engine, reps int, stat func([]time.Duration) time.Duration) []Row {
	var rows []Row
	for _, k := range ks {
		n := len(engines)
		row := Row{Kernel: k.Name, Arg: k.Arg, Run: make([]time.Duration, n), Compile: make([]time.Duration, n),
			Result: make([]uint64, n), Err: make([]error, n), ResultsAgree: true}
		for ei, e := range engines {
			row.Compile[ei], row.Run[ei], row.Result[ei], row.Err[ei] = measure(k, e, reps, stat)
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
func measure(k Kernel, e Engine, reps int, stat func([]time.Duration) time.Duration) (compile, run time.Duration, result uint64, err error) {
	var cts []time.Duration
	for i := 0; i < reps; i++ {
		t0 := time.Now()
		m, err := e.Compile(k.Wasm)
		cts = append(cts, time.Since(t0))
		if err != nil {
			return 0, 0, 0, fmt.Errorf("compile: %w", err)
		}
		m.Close()
	}
	compile = stat(cts)
	p, err := Prepare(e, k.Wasm)
	if err != nil {
		return compile, 0, 0, err
	}
	defer p.Close()
	result, err = p.Run(k.Arg) // warm-up
	if err != nil {
		return compile, 0, 0, fmt.Errorf("run: %w", err)
	}
	var rts []time.Duration
	for i := 0; i < reps; i++ {
		t0 := time.Now()
		res, err := p.Run(k.Arg)
		rts = append(rts, time.Since(t0))
		if err != nil || res != result {
			return compile, 0, result, fmt.Errorf("run %d: result %#x, error %v; first run gave %#x", i, res, err, result)
		}
	}
	return compile, stat(rts), result, nil
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
	return false
}

// PrintTable writes rows as an aligned text table: run times, then
// compile times, each followed by the ratios of the first engine to every
// other (below 1: the first is faster). A kernel whose results differ is
// marked MISMATCH, one the first engine cannot compile yet "unsupported".
func PrintTable(w io.Writer, rows []Row, names []string) {
	var h strings.Builder
	fmt.Fprintf(&h, "%-8s %9s ", "kernel", "size")
	for _, what := range []string{"run", "compile"} {
		h.WriteString(" ")
		for _, n := range names {
			fmt.Fprintf(&h, " %12s", n+" "+what)
		}
		for _, n := range names[1:] {
			fmt.Fprintf(&h, " %9s", "÷"+n)
		}
	}
	fmt.Fprintf(w, "%s  %s\n", h.String(), "result")
	for _, r := range rows {
		fmt.Fprintf(w, "%-8s %9d ", r.Kernel, r.Arg)
		for _, ds := range [][]time.Duration{r.Run, r.Compile} {
			fmt.Fprint(w, " ")
			for _, d := range ds {
				fmt.Fprintf(w, " %12s", dur(d))
			}
			for ei := range names[1:] {
				x := 0.0
				if r.Err[0] == nil && r.Err[ei+1] == nil {
					x = float64(ds[0]) / float64(ds[ei+1])
				}
				fmt.Fprintf(w, " %9s", ratio(x))
			}
		}
		fmt.Fprintf(w, "  %s\n", status(r, names))
	}
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
	if !r.ResultsAgree {
		var rs []string
		for ei, res := range r.Result {
			rs = append(rs, fmt.Sprintf("%s %#x", names[ei], res))
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
