// Command compare runs the benchmark kernels on wfxc, wazero's optimizing
// compiler and Wasmtime (Cranelift; if this build has cgo) in one process
// and prints run and compile times and the ratios wfxc / each other
// engine (below 1 means wfxc is faster). Then the exceptions benchmark
// (bench.ThrowCatch: throw→catch across 1, 10 and 100 frames, and fib with
// and without a try_table around its calls) on wfxc and Wasmtime (wazero
// has no exceptions). Then the stack-switching corpus (package fx): each
// program as WasmFX and as Asyncify through wfxc and as native C fibres,
// with c10m's memory per variant, and the third-party programs of
// ../shared/wasmfx-bench.
//
//	cd bench && go run ./cmd/compare [-reps 7] [-stat min|median] [-dir ../examples/kernels] [-kernel name]
//	        [-throws 20000] [-wall]
//	        [-engines wfxc,wasmtime] [-native=false] [-suite all|kernels|simd|fx|corpus|compile] [-benchfx ../../shared/wasmfx-bench]
//
// -suite corpus is the C corpus of bench/corpus (not part of "all"): run
// time ÷ native gcc of native, wasm2c+gcc, Wasmtime, wazero and wfxc
// (`wfxc build`), medians and spreads of 5 runs, and SQLite's compile time
// (-kernel and -engines select programs and engines there too). -suite
// compile prints that compile-time table alone.
//
// It exits with status 1 if any kernel's results differ between the
// engines, a kernel or the exceptions benchmark fails; kernels wfxc does
// not support yet are reported as such and do not fail the run. Likewise
// for the fx programs (all variants must agree) and the third-party
// programs (each must run; a missing directory only skips them). The SIMD
// suite (bench.SIMDKernels, sources in bench/simdsrc) runs on the same
// engines beside its C sources built by gcc -O3 -msse4.1, with wfxc also
// at x86-64-v3 (bench.WfxcV3, column wfxc-v3) when the host has BMI1,
// BMI2, LZCNT and AVX and -engines is not given.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
	"time"

	"wfxc/bench"
	"wfxc/bench/corpus"
	"wfxc/bench/fx"
)

func main() {
	if child, err := corpus.CompileChild(); child {
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	if child, err := fx.MemChild(); child {
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	reps := flag.Int("reps", 7, "timed runs (and compilations) per kernel and engine (the corpus: 5)")
	stat := flag.String("stat", "min", "which time of each series to show: min or median")
	dir := flag.String("dir", bench.KernelDir, "directory of the kernel .wasm files")
	onlyKernel := flag.String("kernel", "", "run only this kernel")
	throws := flag.Int("throws", 20000, "throws per timed call of the exceptions benchmark (0: skip it)")
	suite := flag.String("suite", "all", "which benchmarks: all, kernels, simd, fx, corpus or compile (the corpus's SQLite compile table only)")
	benchfx := flag.String("benchfx", fx.BenchfxFromModule, "directory of the third-party stack-switching programs")
	wall := flag.Bool("wall", false, "also print the kernel table in wall-clock time")
	only := flag.String("engines", "", "comma-separated engines to run the kernels on (the first is the one under test; default: all)")
	withNative := flag.Bool("native", true, "build and run the native (gcc -O2) kernels")
	flag.Parse()
	ks, err := bench.LoadKernels(*dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	sks, err := bench.LoadSIMDKernels()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if *onlyKernel != "" {
		ks, sks = selectKernel(ks, *onlyKernel), selectKernel(sks, *onlyKernel)
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
		failed = kernels(ks, *reps, *stat, pick, *throws, *wall, *only, *withNative)
		fmt.Println()
		failed = simdKernels(sks, *reps, *stat, pick, *wall, *only, *withNative) || failed
		fmt.Println()
		failed = fxCorpus(*reps, *stat, pick, *benchfx) || failed
	case "kernels":
		failed = kernels(ks, *reps, *stat, pick, *throws, *wall, *only, *withNative)
	case "simd":
		failed = simdKernels(sks, *reps, *stat, pick, *wall, *only, *withNative)
	case "fx":
		failed = fxCorpus(*reps, *stat, pick, *benchfx)
	case "corpus":
		n := *reps
		if !repsSet() {
			n = 5
		}
		failed = corpusSuite(n, *only, *onlyKernel, *wall)
	case "compile":
		n := *reps
		if !repsSet() {
			n = 5
		}
		dir, err := os.MkdirTemp("", "wfxc-compile-")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		failed = compileTimes(n, dir)
		os.RemoveAll(dir)
	default:
		fmt.Fprintf(os.Stderr, "-suite %q: want all, kernels, simd, fx, corpus or compile\n", *suite)
		os.Exit(2)
	}
	if failed {
		os.Exit(1)
	}
}

func selectKernel(ks []bench.Kernel, name string) []bench.Kernel {
	var sel []bench.Kernel
	for _, k := range ks {
		if k.Name == name {
			sel = append(sel, k)
		}
	}
	return sel
}

// pickEngines returns the engines of -engines (default: wfxc, wazero and
// Wasmtime if this build has cgo) and their names.
func pickEngines(only string) ([]bench.Engine, []string, error) {
	engines := []bench.Engine{bench.Wfxc, bench.WazeroCompiler}
	if bench.WasmtimeAvailable {
		engines = append(engines, bench.Wasmtime)
	} else {
		fmt.Println("(no Wasmtime column: this build has no cgo)")
	}
	if only != "" {
		var sel []bench.Engine
		named := append(engines, bench.WfxcExplicit, bench.WfxcV3) // wfxc-explicit and wfxc-v3 only when asked for (or SIMD)
		for _, n := range strings.Split(only, ",") {
			i := slices.IndexFunc(named, func(e bench.Engine) bool { return e.Name == n })
			if i < 0 {
				return nil, nil, fmt.Errorf("-engines: no engine %q", n)
			}
			sel = append(sel, named[i])
		}
		engines = sel
	}
	var names []string
	for _, e := range engines {
		names = append(names, e.Name)
	}
	return engines, names, nil
}

// simdKernels prints the SIMD kernel table and reports whether anything
// failed.
func simdKernels(ks []bench.Kernel, reps int, stat string, pick func([]time.Duration) time.Duration, wall bool, only string, withNative bool) bool {
	if len(ks) == 0 {
		return false
	}
	engines, names, err := pickEngines(only)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return true
	}
	if only == "" && bench.WfxcV3Available {
		// wfxc at x86-64-v3 beside the default v2.
		engines = slices.Insert(engines, 1, bench.WfxcV3)
		names = slices.Insert(names, 1, bench.WfxcV3.Name)
	}
	native := ""
	if dir, err := os.MkdirTemp("", "simd-native"); err == nil && withNative {
		defer os.RemoveAll(dir)
		if native, err = bench.BuildNativeSIMD(dir); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return true
		}
	}
	fmt.Printf("SIMD kernels (bench/simdsrc: clang-19 -O3 -msimd128): %s of %d runs (after a warm-up run) and of %d compilations; ÷x = wfxc / x;\n", stat, reps, reps)
	fmt.Printf("native = the same C by gcc %s; x÷nat = x / native\n", strings.Join(bench.NativeSIMDFlags[:2], " "))
	rows := bench.Compare(ks, engines, reps, pick, native)
	fmt.Println("run time, thread CPU time (time descheduled on a loaded machine not counted):")
	bench.PrintTable(os.Stdout, rows, names, true)
	if wall {
		fmt.Println("run time, wall clock:")
		bench.PrintTable(os.Stdout, rows, names, false)
	}
	failed := false
	for _, r := range rows {
		failed = failed || r.Failed()
	}
	return failed
}

// kernels prints the kernel table and the exceptions table and reports
// whether anything failed.
func kernels(ks []bench.Kernel, reps int, stat string, pick func([]time.Duration) time.Duration, throws int, wall bool, only string, withNative bool) bool {
	if len(ks) == 0 {
		return false
	}
	engines, names, err := pickEngines(only)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return true
	}
	native := ""
	if dir, err := os.MkdirTemp("", "kernels-native"); err == nil && withNative {
		defer os.RemoveAll(dir)
		if native, err = bench.BuildNativeKernels(dir); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return true
		}
	}
	fmt.Printf("%s of %d runs (after a warm-up run) and of %d compilations; ÷x = wfxc / x (below 1: wfxc faster);\n", stat, reps, reps)
	fmt.Printf("native = the C versions (bench/kernelsrc) by gcc -O2; x÷nat = x / native\n")
	rows := bench.Compare(ks, engines, reps, pick, native)
	fmt.Println("run time, thread CPU time (time descheduled on a loaded machine not counted):")
	bench.PrintTable(os.Stdout, rows, names, true)
	if wall {
		fmt.Println("run time, wall clock:")
		bench.PrintTable(os.Stdout, rows, names, false)
	}
	failed := false
	for _, r := range rows {
		failed = failed || r.Failed()
	}
	if throws > 0 {
		wasm, err := bench.LoadThrowModule()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return true
		}
		fmt.Printf("\nexceptions (%s): time per throw→catch, best of %d calls of %d throws; fib(%d) best of %d; CPU time of the thread\n",
			bench.ThrowWat, reps, throws, bench.FibArg, bench.FibRounds(reps))
		var rs []bench.ThrowResult
		for _, e := range engines {
			if e.Name == bench.WazeroCompiler.Name {
				continue // no exceptions
			}
			r := bench.ThrowCatch(e, wasm, throws, reps)
			failed = failed || r.Err != nil
			rs = append(rs, r)
		}
		bench.PrintThrowTable(os.Stdout, rs)
	}
	return failed
}

// fxCorpus prints the stack-switching tables and reports whether any
// program failed.
func fxCorpus(reps int, stat string, pick func([]time.Duration) time.Duration, benchfx string) bool {
	fmt.Printf("stack switching (bench/fx): %s of %d runs after a warm-up run; fx and asy through wfxc, nat = gcc -O2 with a hand-written x86-64 switch\n", stat, reps)
	rows := fx.Compare(fx.Programs, reps, pick)
	fmt.Println("wall clock:")
	fx.PrintTable(os.Stdout, rows, false)
	fmt.Println("thread CPU time, the same runs (time descheduled on a loaded machine not counted):")
	fx.PrintTable(os.Stdout, rows, true)
	failed := false
	for _, r := range rows {
		failed = failed || !r.OK()
	}
	fmt.Println(fx.WasmtimeNote(rows))
	fmt.Println()
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return true
	}
	c10m := rows[len(rows)-1] // fx.Programs ends with c10m
	var ms []fx.Mem
	var errs []error
	for _, v := range fx.MemVariants {
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
	fmt.Printf("%-24s %12s %12s %12s %12s  %s\n", "program", "wall", "cpu", "ns/trip", "cpu ns/trip", "result")
	for _, t := range fx.ThirdParties {
		var r fx.Timed
		p, err := t.Prepare(benchfx)
		if err == nil {
			r, err = p.Run()
		}
		status, trip, cpuTrip := "ok", "-", "-"
		if err != nil {
			status, failed = "FAILED: "+err.Error(), true
		} else if t.Trips > 0 {
			trip = fmt.Sprintf("%.2f", float64(r.D.Nanoseconds())/float64(t.Trips))
			cpuTrip = fmt.Sprintf("%.2f", float64(r.CPU.Nanoseconds())/float64(t.Trips))
		}
		fmt.Printf("%-24s %12s %12s %12s %12s  %s\n", t.Name, r.D.Round(10*time.Microsecond), r.CPU.Round(10*time.Microsecond), trip, cpuTrip, status)
	}
	return failed
}

// repsSet reports whether -reps was given.
func repsSet() bool {
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "reps" })
	return set
}
