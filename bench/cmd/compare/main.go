// Command compare runs the benchmark kernels on wfxc and on wazero's
// optimizing compiler in one process and prints run and compile times
// and their ratios (wfxc / wazero; below 1 means wfxc is faster). Then
// the stack-switching corpus (package fx): each program as WasmFX and as
// Asyncify through wfxc and as native C fibres, with c10m's memory per
// variant, and the third-party programs of ../shared/wasmfx-bench.
//
//	cd bench && go run ./cmd/compare [-reps 7] [-stat min|median] [-dir ../examples/kernels] [-kernel name]
//	        [-suite all|kernels|fx] [-benchfx ../../shared/wasmfx-bench]
//
// It exits with status 1 if any kernel's results differ between the two
// engines or a kernel fails; kernels wfxc does not support yet are
// reported as such and do not fail the run. Likewise for the fx programs
// (all variants must agree) and the third-party programs (each must run;
// a missing directory only skips them).
package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"time"

	"wfxc/bench"
	"wfxc/bench/fx"
)

func main() {
	if child, err := fx.MemChild(); child {
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	reps := flag.Int("reps", 7, "timed runs (and compilations) per kernel and engine")
	stat := flag.String("stat", "min", "which time of each series to show: min or median")
	dir := flag.String("dir", bench.KernelDir, "directory of the kernel .wasm files")
	only := flag.String("kernel", "", "run only this kernel")
	suite := flag.String("suite", "all", "which benchmarks: all, kernels or fx")
	benchfx := flag.String("benchfx", fx.BenchfxFromModule, "directory of the third-party stack-switching programs")
	flag.Parse()
	ks, err := bench.LoadKernels(*dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if *only != "" {
		var sel []bench.Kernel
		for _, k := range ks {
			if k.Name == *only {
				sel = append(sel, k)
			}
		}
		ks = sel
	}
	pick := bench.Min
	switch *stat {
	case "min":
	case "median":
		pick = bench.Median
	default:
		fmt.Fprintf(os.Stderr, "-stat %q: want min or median\n", *stat)
		os.Exit(2)
	}
	failed := false
	switch *suite {
	case "all":
		failed = kernels(ks, *reps, *stat, pick)
		fmt.Println()
		failed = fxCorpus(*reps, *stat, pick, *benchfx) || failed
	case "kernels":
		failed = kernels(ks, *reps, *stat, pick)
	case "fx":
		failed = fxCorpus(*reps, *stat, pick, *benchfx)
	default:
		fmt.Fprintf(os.Stderr, "-suite %q: want all, kernels or fx\n", *suite)
		os.Exit(2)
	}
	if failed {
		os.Exit(1)
	}
}

// kernels prints the kernel table and reports whether any kernel failed.
func kernels(ks []bench.Kernel, reps int, stat string, pick func([]time.Duration) time.Duration) bool {
	fmt.Printf("%s of %d runs (after a warm-up run) and of %d compilations; ratio = wfxc / wazero (below 1: wfxc faster)\n", stat, reps, reps)
	rows := bench.Compare(ks, bench.Wfxc, bench.WazeroCompiler, reps, pick)
	bench.PrintTable(os.Stdout, rows, "wfxc", "wazero")
	failed := false
	for _, r := range rows {
		if r.Err[1] != nil || r.Err[0] != nil && !bench.IsUnsupported(r.Err[0]) ||
			r.Err[0] == nil && r.Err[1] == nil && !r.ResultsAgree {
			failed = true
		}
	}
	return failed
}

// fxCorpus prints the stack-switching tables and reports whether any
// program failed.
func fxCorpus(reps int, stat string, pick func([]time.Duration) time.Duration, benchfx string) bool {
	fmt.Printf("stack switching (bench/fx): %s of %d runs after a warm-up run; wasmfx and asyncify through wfxc, native = gcc -O2 with a hand-written x86-64 switch\n", stat, reps)
	rows := fx.Compare(fx.Programs, reps, pick)
	fx.PrintTable(os.Stdout, rows)
	failed := false
	for _, r := range rows {
		failed = failed || !r.OK()
	}
	fmt.Println(fx.WasmtimeNote)
	fmt.Println()
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return true
	}
	c10m := rows[len(rows)-1] // fx.Programs ends with c10m
	var ms []fx.Mem
	var errs []error
	for _, v := range fx.Variants {
		m, err := fx.MeasureMem(v, int(c10m.Program.Arg), []string{self})
		if err == nil && c10m.Err[2] == nil && m.Sum != c10m.Sum[2] {
			err = fmt.Errorf("checksum %d, native run(%d) = %d", m.Sum, c10m.Program.Arg, c10m.Sum[2])
		}
		ms, errs = append(ms, m), append(errs, err)
		failed = failed || err != nil
	}
	fmt.Printf("%s memory, each variant in a process of its own: %d workers suspended, then %d rounds\n",
		c10m.Program.Name, fx.C10mWorkers, c10m.Program.Arg)
	fx.PrintMem(os.Stdout, ms, errs)
	fmt.Println()
	if _, err := os.Stat(benchfx); errors.Is(err, fs.ErrNotExist) {
		fmt.Printf("third-party programs: %s absent, skipped\n", benchfx)
		return failed
	}
	fmt.Printf("third-party programs (%s, ORIGIN.md) through wfxc: one run each (WASI ones check their own result: exit status 0)\n", benchfx)
	fmt.Printf("%-24s %10s %12s  %s\n", "program", "time", "ns/trip", "result")
	for _, t := range fx.ThirdParties {
		var d time.Duration
		p, err := t.Prepare(benchfx)
		if err == nil {
			d, err = p.Run()
		}
		status, trip := "ok", "-"
		if err != nil {
			status, failed = "FAILED: "+err.Error(), true
		} else if t.Trips > 0 {
			trip = fmt.Sprintf("%.2f", float64(d.Nanoseconds())/float64(t.Trips))
		}
		fmt.Printf("%-24s %10s %12s  %s\n", t.Name, d.Round(10*time.Microsecond), trip, status)
	}
	return failed
}
