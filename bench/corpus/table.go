package corpus

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"
)

// A Row is one program's runs on every engine (Engines order; engine 0
// is native, the baseline).
type Row struct {
	Program Program
	CPU     [][]time.Duration // per engine, every timed run
	Wall    [][]time.Duration
	Err     []error // prepare or run failure, or output differing from the baseline's
	Out     []byte  // the baseline's output (the first engine that ran)
}

// Compare prepares every program on each engine and runs it once (the
// output check) and then reps times, the engines taking turns in every
// round so a change of load touches all of them alike. progress, if not
// nil, gets a line per program.
func Compare(b *Builder, progs []Program, engines []Engine, reps int, progress io.Writer) []Row {
	var rows []Row
	for _, p := range progs {
		n := len(engines)
		row := Row{Program: p, CPU: make([][]time.Duration, n), Wall: make([][]time.Duration, n), Err: make([]error, n)}
		runners := make([]Runner, n)
		for i, e := range engines {
			t0 := time.Now()
			runners[i], row.Err[i] = e.Prepare(b, p)
			if progress != nil {
				status := "ok"
				if row.Err[i] != nil {
					status = firstLine(row.Err[i].Error())
				}
				fmt.Fprintf(progress, "  %s on %s: prepared in %s: %s\n", p.Name, e.Name, time.Since(t0).Round(time.Millisecond), status)
			}
		}
		for i, r := range runners {
			if row.Err[i] != nil {
				continue
			}
			res, err := r.Run(p.Args)
			switch {
			case err != nil:
				row.Err[i] = err
			case row.Out == nil:
				row.Out = res.Out
			case !bytes.Equal(res.Out, row.Out):
				row.Err[i] = fmt.Errorf("output differs from %s's:\n%s\nwant:\n%s", engines[slices.IndexFunc(row.Err, func(e error) bool { return e == nil })].Name, clip(res.Out), clip(row.Out))
			}
		}
		for range reps {
			for i, r := range runners {
				if row.Err[i] != nil {
					continue
				}
				res, err := r.Run(p.Args)
				if err == nil && !bytes.Equal(res.Out, row.Out) {
					err = fmt.Errorf("output of a timed run differs:\n%s", clip(res.Out))
				}
				if err != nil {
					row.Err[i] = err
					continue
				}
				row.CPU[i] = append(row.CPU[i], res.CPU)
				row.Wall[i] = append(row.Wall[i], res.Wall)
			}
		}
		for i, r := range runners {
			if r != nil && row.Err[i] == nil {
				r.Close()
			}
		}
		rows = append(rows, row)
	}
	return rows
}

func clip(b []byte) string {
	s := strings.TrimSpace(string(b))
	if lines := strings.Split(s, "\n"); len(lines) > 6 {
		s = strings.Join(lines[:3], "\n") + "\n…\n" + strings.Join(lines[len(lines)-3:], "\n")
	}
	return s
}

func firstLine(s string) string { return strings.SplitN(s, "\n", 2)[0] }

// Median of ds (the mean of the middle two for an even count).
func Median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// Spread is half the range of ds relative to its median.
func Spread(ds []time.Duration) float64 {
	if len(ds) == 0 {
		return 0
	}
	return float64(slices.Max(ds)-slices.Min(ds)) / 2 / float64(Median(ds))
}

// OK reports whether every engine ran with the same output.
func (r Row) OK() bool { return !slices.ContainsFunc(r.Err, func(e error) bool { return e != nil }) }

// PrintTable writes rows: the native median, then per engine its median
// ÷ the native median and the spread of its runs (±half the range, in %
// of its median); the last line is the geometric mean of the ratios over
// the programs every engine ran. cpu picks the CPU times, else the wall
// clock. Failures follow the table.
func PrintTable(w io.Writer, rows []Row, engines []Engine, cpu bool) {
	times := func(r Row, i int) []time.Duration {
		if cpu {
			return r.CPU[i]
		}
		return r.Wall[i]
	}
	fmt.Fprintf(w, "%-10s %15s", "program", "native (s)")
	for _, e := range engines[1:] {
		fmt.Fprintf(w, " %15s", e.Name)
	}
	fmt.Fprintln(w)
	logs := make([]float64, len(engines))
	counted := 0
	for _, r := range rows {
		fmt.Fprintf(w, "%-10s", r.Program.Name)
		nat := Median(times(r, 0))
		for i := range engines {
			ts := times(r, i)
			switch {
			case r.Err[i] != nil:
				fmt.Fprintf(w, " %15s", "FAILED")
			case i == 0:
				fmt.Fprintf(w, " %15s", fmt.Sprintf("%.3f ±%2.0f%%", nat.Seconds(), 100*Spread(ts)))
			case r.Err[0] != nil:
				fmt.Fprintf(w, " %15s", fmt.Sprintf("%.3fs ±%2.0f%%", Median(ts).Seconds(), 100*Spread(ts)))
			default:
				fmt.Fprintf(w, " %15s", fmt.Sprintf("%.2f ±%2.0f%%", float64(Median(ts))/float64(nat), 100*Spread(ts)))
			}
		}
		fmt.Fprintln(w)
		if r.OK() {
			counted++
			for i := 1; i < len(engines); i++ {
				logs[i] += math.Log(float64(Median(times(r, i))) / float64(nat))
			}
		}
	}
	fmt.Fprintf(w, "%-10s %15s", "geomean", fmt.Sprintf("(%d programs)", counted))
	for i := 1; i < len(engines); i++ {
		if counted == 0 {
			fmt.Fprintf(w, " %15s", "-")
			continue
		}
		fmt.Fprintf(w, " %15s", fmt.Sprintf("%.2f    ", math.Exp(logs[i]/float64(counted))))
	}
	fmt.Fprintln(w)
	for _, r := range rows {
		for i, err := range r.Err {
			if err != nil {
				fmt.Fprintf(w, "%s on %s: %v\n", r.Program.Name, engines[i].Name, err)
			}
		}
	}
}
