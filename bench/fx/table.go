package fx

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// PrintTable writes rows as an aligned table: per program the time of
// each variant, its ratio to native and the time per resume (a resume
// and the yield or return back: one round trip); wall-clock times, or
// the thread CPU times if cpu. WasmFXWasmtime has no column: its error
// is the footnote (WasmtimeNote).
func PrintTable(w io.Writer, rows []Row, cpu bool) {
	const nat = 2 // Variants[nat] == Native
	shown := Variants[:len(Variants)-1]
	short := map[string]string{WasmFX: "fx", Asyncify: "asy", Native: "nat", AsyncifyWasmtime: "asy-wt"}
	fmt.Fprintf(w, "%-9s %9s %9s ", "program", "size", "resumes")
	for _, v := range shown {
		fmt.Fprintf(w, " %10s", short[v])
	}
	for _, v := range shown {
		if v != Native {
			fmt.Fprintf(w, " %10s", short[v]+"/nat")
		}
	}
	for _, v := range shown {
		fmt.Fprintf(w, " %10s", "ns/r "+short[v])
	}
	fmt.Fprintf(w, "  result\n")
	for _, r := range rows {
		res := r.Program.Resumes(r.Program.Arg)
		t := r.Time
		if cpu {
			t = r.CPU
		}
		fmt.Fprintf(w, "%-9s %9d %9d ", r.Program.Name, r.Program.Arg, res)
		for i := range shown {
			fmt.Fprintf(w, " %10s", dur(t[i]))
		}
		for i, v := range shown {
			if v != Native {
				fmt.Fprintf(w, " %10s", ratio(t[i], t[nat]))
			}
		}
		for i := range shown {
			fmt.Fprintf(w, " %10s", perResume(t[i], res))
		}
		fmt.Fprintf(w, "  %s\n", r.status())
	}
}

// WasmtimeNote is the table's footnote on Wasmtime: what its WasmFX
// runs gave (the error of the first row's WasmFXWasmtime).
func WasmtimeNote(rows []Row) string {
	why := "not run"
	if len(rows) > 0 {
		if err := rows[0].Err[len(Variants)-1]; err != nil {
			why = "fails: " + firstLine(err.Error())
		} else {
			why = "ran (see the benchmarks)"
		}
	}
	return "asy-wt: the Asyncify build on Wasmtime 39 (wasmtime-go v39.0.1's prebuilt libwasmtime.a, Cranelift).\n" +
		"The WasmFX build is not compared on Wasmtime: that library is built without the stack-switching\n" +
		"cargo feature (../shared/wasmfx-bench/ORIGIN.md); compiling it with stack switching enabled through\n" +
		"the C API " + why
}

func (r Row) status() string {
	for i, err := range r.Err {
		if err != nil && !Unsupported(Variants[i], err) {
			return "FAILED in " + Variants[i] + ": " + firstLine(err.Error())
		}
	}
	if !r.OK() {
		return fmt.Sprintf("MISMATCH: %v", r.Sum)
	}
	return fmt.Sprintf("ok (%d)", r.Sum[0])
}

// PrintMem writes c10m's memory per variant (MemVariants order).
func PrintMem(w io.Writer, ms []Mem, errs []error) {
	fmt.Fprintf(w, "%-9s %11s %11s %11s %11s %11s %12s  %s\n", "c10m", "RSS before", "+spawn", "+PTE", "+step",
		"peak RSS", "B/suspended", "(KiB but B/suspended: the RSS and page tables spawn added, per continuation)")
	for i, m := range ms {
		if errs[i] != nil {
			fmt.Fprintf(w, "%-9s FAILED: %s\n", MemVariants[i], firstLine(errs[i].Error()))
			continue
		}
		fmt.Fprintf(w, "%-9s %11d %11d %11d %11d %11d %12.0f  checksum %d\n", MemVariants[i], m.RSS0,
			m.RSS1-m.RSS0, m.PTE1-m.PTE0, m.RSS2-m.RSS1, m.HWM, m.PerCont(), m.Sum)
	}
}

func firstLine(s string) string {
	first, _, _ := strings.Cut(s, "\n")
	return first
}

func dur(d time.Duration) string {
	if d == 0 {
		return "-"
	}
	return d.Round(10 * time.Microsecond).String()
}

func ratio(a, b time.Duration) string {
	if a == 0 || b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", float64(a)/float64(b))
}

func perResume(d time.Duration, n int64) string {
	if d == 0 || n == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f", float64(d.Nanoseconds())/float64(n))
}
