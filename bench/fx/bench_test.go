package fx

import (
	"os"
	"testing"
	"time"
)

// BenchmarkFX measures run(Arg) of every program in every variant: one
// run per iteration after a warm-up run (WasmFXWasmtime is skipped:
// Unsupported). The native runs are timed inside
// the executable (one process for all iterations), so ns/op is replaced
// by their mean; ns/resume is ns/op over the program's resumes, cpu-ns/op
// the thread CPU time per run (Timed).
func BenchmarkFX(b *testing.B) {
	for _, p := range Programs {
		for _, v := range Variants {
			b.Run(p.Name+"/"+v, func(b *testing.B) {
				r, err := NewRunner(p.Name, v)
				if Unsupported(v, err) {
					b.Skipf("%s: %v", v, err)
				}
				if err != nil {
					b.Fatal(err)
				}
				defer r.Close()
				resumes := float64(p.Resumes(p.Arg))
				if v == Native {
					runs, err := r.Time(p.Arg, b.N+1)
					if err != nil {
						b.Fatal(err)
					}
					var total, cpu time.Duration
					for _, x := range runs[1:] {
						total += x.D
						cpu += x.CPU
					}
					ns := float64(total.Nanoseconds()) / float64(b.N)
					b.ReportMetric(ns, "ns/op")
					b.ReportMetric(ns/resumes, "ns/resume")
					b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
					return
				}
				if _, err := r.Time(p.Arg, 1); err != nil {
					b.Fatal(err)
				}
				var cpu time.Duration
				b.ResetTimer()
				for b.Loop() {
					runs, err := r.Time(p.Arg, 1)
					if err != nil {
						b.Fatal(err)
					}
					cpu += runs[0].CPU
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/resumes, "ns/resume")
				b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
			})
		}
	}
}

// BenchmarkBenchfx runs the third-party programs (ThirdParties), one
// whole run per iteration (a new store each, compiled once).
func BenchmarkBenchfx(b *testing.B) {
	if _, err := os.Stat(BenchfxDir); err != nil {
		b.Skipf("%s: %v", BenchfxDir, err)
	}
	for _, t := range ThirdParties {
		b.Run(t.Name, func(b *testing.B) {
			p, err := t.Prepare(BenchfxDir)
			if err != nil {
				b.Fatal(err)
			}
			var total, cpu time.Duration
			for b.Loop() {
				r, err := p.Run()
				if err != nil {
					b.Fatal(err)
				}
				total, cpu = total+r.D, cpu+r.CPU
			}
			b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
			if t.Trips > 0 {
				b.ReportMetric(float64(total.Nanoseconds())/float64(b.N)/float64(t.Trips), "ns/trip")
			}
		})
	}
}
