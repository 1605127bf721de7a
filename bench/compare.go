package bench

import (
	"fmt"
	"io"
	"slices"
	"time"
)

// Row is one kernel's line of the comparison table.
type Row struct {
	Kernel             string
	Arg                uint64
	Run, Compile       [2]time.Duration // per engine: run and compile time
	Result             [2]uint64
	Err                [2]error // compile, instantiate or run failure
	ResultsAgree       bool
	RunRatio, CmpRatio float64 // test / reference; 0 when unknown
}

// Compare runs every kernel on test and ref (in the same process, one
// after the other), reps times each after a warm-up run, and returns the
// times chosen by stat from each series (Min or Median).
func Compare(ks []Kernel, test, ref Engine, reps int, stat func([]time.Duration) time.Duration) []Row {
	var rows []Row
	for _, k := range ks {
		row := Row{Kernel: k.Name, Arg: k.Arg}
		for ei, e := range []Engine{test, ref} {
			var cts []time.Duration
			for i := 0; i < reps; i++ {
				t0 := time.Now()
				m, err := e.Compile(k.Wasm)
				cts = append(cts, time.Since(t0))
				if err != nil {
					row.Err[ei] = fmt.Errorf("compile: %w", err)
					break
				}
				m.Close()
			}
			if row.Err[ei] != nil {
				continue
			}
			row.Compile[ei] = stat(cts)
			p, err := Prepare(e, k.Wasm)
			if err != nil {
				row.Err[ei] = err
				continue
			}
			res, err := p.Run(k.Arg) // warm-up
			if err != nil {
				row.Err[ei] = fmt.Errorf("run: %w", err)
				p.Close()
				continue
			}
			row.Result[ei] = res
			var rts []time.Duration
			for i := 0; i < reps; i++ {
				t0 := time.Now()
				res, err := p.Run(k.Arg)
				rts = append(rts, time.Since(t0))
				if err != nil || res != row.Result[ei] {
					row.Err[ei] = fmt.Errorf("run %d: result %#x, error %v; first run gave %#x", i, res, err, row.Result[ei])
					break
				}
			}
			p.Close()
			row.Run[ei] = stat(rts)
		}
		if row.Err[0] == nil && row.Err[1] == nil {
			row.ResultsAgree = row.Result[0] == row.Result[1]
			row.RunRatio = float64(row.Run[0]) / float64(row.Run[1])
			row.CmpRatio = float64(row.Compile[0]) / float64(row.Compile[1])
		}
		rows = append(rows, row)
	}
	return rows
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

// PrintTable writes rows as an aligned text table; a kernel whose
// results differ is marked MISMATCH, one wfxc cannot compile yet
// "unsupported".
func PrintTable(w io.Writer, rows []Row, test, ref string) {
	fmt.Fprintf(w, "%-8s %9s  %12s %12s %9s  %12s %12s %9s  %s\n", "kernel", "size",
		test+" run", ref+" run", "run ×", test+" compile", ref+" compile", "compile ×", "result")
	for _, r := range rows {
		status := "ok"
		switch {
		case IsUnsupported(r.Err[0]):
			status = "unsupported in " + test + ": " + firstLine(r.Err[0].Error())
		case r.Err[0] != nil:
			status = "FAILED in " + test + ": " + firstLine(r.Err[0].Error())
		case r.Err[1] != nil:
			status = "FAILED in " + ref + ": " + firstLine(r.Err[1].Error())
		case !r.ResultsAgree:
			status = fmt.Sprintf("MISMATCH: %#x vs %#x", r.Result[0], r.Result[1])
		default:
			status = fmt.Sprintf("ok (%#x)", r.Result[0])
		}
		fmt.Fprintf(w, "%-8s %9d  %12s %12s %9s  %12s %12s %9s  %s\n", r.Kernel, r.Arg,
			dur(r.Run[0]), dur(r.Run[1]), ratio(r.RunRatio), dur(r.Compile[0]), dur(r.Compile[1]), ratio(r.CmpRatio), status)
	}
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
