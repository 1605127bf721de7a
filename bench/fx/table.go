package fx

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// WasmtimeNote is the table's footnote on the engine it cannot compare.
const WasmtimeNote = "wasmtime is not compared: the prebuilt libwasmtime.a of wasmtime-go v39.0.1 (the only wasmtime\n" +
	"installable here) is built without the stack-switching cargo feature, so it parses these\n" +
	"modules but cannot compile them (../shared/wasmfx-bench/ORIGIN.md); no engine installable on\n" +
	"this machine runs stack switching."

// PrintTable writes rows as an aligned table: per program the time of
// each variant, its ratio to native and the time per resume (a resume
// and the yield or return back: one round trip).
func PrintTable(w io.Writer, rows []Row) {
	fmt.Fprintf(w, "%-9s %10s %10s  %10s %10s %10s  %8s %8s  %8s %8s %8s  %s\n", "program", "size", "resumes",
		"wasmfx", "asyncify", "native", "fx/nat", "asy/nat", "ns/r fx", "ns/r asy", "ns/r nat", "result")
	for _, r := range rows {
		res := r.Program.Resumes(r.Program.Arg)
		fmt.Fprintf(w, "%-9s %10d %10d  %10s %10s %10s  %8s %8s  %8s %8s %8s  %s\n", r.Program.Name, r.Program.Arg, res,
			dur(r.Time[0]), dur(r.Time[1]), dur(r.Time[2]),
			ratio(r.Time[0], r.Time[2]), ratio(r.Time[1], r.Time[2]),
			perResume(r.Time[0], res), perResume(r.Time[1], res), perResume(r.Time[2], res), r.status())
	}
}

func (r Row) status() string {
	for i, err := range r.Err {
		if err != nil {
			return "FAILED in " + Variants[i] + ": " + firstLine(err.Error())
		}
	}
	if !r.OK() {
		return fmt.Sprintf("MISMATCH: %d %d %d", r.Sum[0], r.Sum[1], r.Sum[2])
	}
	return fmt.Sprintf("ok (%d)", r.Sum[0])
}

// PrintMem writes c10m's memory per variant (Variants order; a nil error
// and zero Mem where one was not measured).
func PrintMem(w io.Writer, ms []Mem, errs []error) {
	fmt.Fprintf(w, "%-9s %11s %11s %11s %11s %11s %12s  %s\n", "c10m", "RSS before", "+spawn", "+PTE", "+step",
		"peak RSS", "B/suspended", "(KiB but B/suspended: the RSS and page tables spawn added, per continuation)")
	for i, m := range ms {
		if errs[i] != nil {
			fmt.Fprintf(w, "%-9s FAILED: %s\n", Variants[i], firstLine(errs[i].Error()))
			continue
		}
		fmt.Fprintf(w, "%-9s %11d %11d %11d %11d %11d %12.0f  checksum %d\n", Variants[i], m.RSS0,
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
