// Command compare runs the benchmark kernels on wfxc, wazero's optimizing
// compiler and Wasmtime (Cranelift; if this build has cgo) in one process
// and prints run and compile times and the ratios wfxc / each other
// engine (below 1 means wfxc is faster). Then it runs the exceptions
// benchmark (bench.ThrowCatch: throw→catch across 1, 10 and 100 frames in
// time per throw, and fib with and without a try_table around its calls)
// on wfxc and Wasmtime; wazero has no exceptions.
//
//	cd bench && go run ./cmd/compare [-reps 7] [-stat min|median] [-dir ../examples/kernels] [-kernel name] [-throws 20000]
//
// It exits with status 1 if any kernel's results differ between the
// engines or a kernel or the exceptions benchmark fails; kernels wfxc
// does not support yet are reported as such and do not fail the run.
package main

import (
	"flag"
	"fmt"
	"os"

	"wfxc/bench"
)

func main() {
	reps := flag.Int("reps", 7, "timed runs (and compilations) per kernel and engine")
	stat := flag.String("stat", "min", "which time of each series to show: min or median")
	dir := flag.String("dir", bench.KernelDir, "directory of the kernel .wasm files")
	only := flag.String("kernel", "", "run only this kernel")
	throws := flag.Int("throws", 20000, "throws per timed call of the exceptions benchmark (0: skip it)")
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
	engines := []bench.Engine{bench.Wfxc, bench.WazeroCompiler}
	if bench.WasmtimeAvailable {
		engines = append(engines, bench.Wasmtime)
	} else {
		fmt.Println("(no Wasmtime column: this build has no cgo)")
	}
	var names []string
	for _, e := range engines {
		names = append(names, e.Name)
	}
	fmt.Printf("%s of %d runs (after a warm-up run) and of %d compilations; ÷x = wfxc / x (below 1: wfxc faster)\n", *stat, *reps, *reps)
	rows := bench.Compare(ks, engines, *reps, pick)
	bench.PrintTable(os.Stdout, rows, names)
	failed := false
	for _, r := range rows {
		failed = failed || r.Failed()
	}
	if *throws > 0 {
		wasm, err := bench.LoadThrowModule()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		fmt.Printf("\nexceptions (%s): time per throw→catch, best of %d calls of %d throws; fib(%d) best of %d\n",
			bench.ThrowWat, *reps, *throws, bench.FibArg, *reps)
		var rs []bench.ThrowResult
		for _, e := range engines {
			if e.Name == bench.WazeroCompiler.Name {
				continue // no exceptions
			}
			r := bench.ThrowCatch(e, wasm, *throws, *reps)
			failed = failed || r.Err != nil
			rs = append(rs, r)
		}
		bench.PrintThrowTable(os.Stdout, rs)
	}
	if failed {
		os.Exit(1)
	}
}
