// Command compare runs the benchmark kernels on wfxc and on wazero's
// optimizing compiler in one process and prints run and compile times
// and their ratios (wfxc / wazero; below 1 means wfxc is faster).
//
//	cd bench && go run ./cmd/compare [-reps 7] [-stat min|median] [-dir ../examples/kernels] [-kernel name]
//
// It exits with status 1 if any kernel's results differ between the two
// engines or a kernel fails; kernels wfxc does not support yet are
// reported as such and do not fail the run.
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
	fmt.Printf("%s of %d runs (after a warm-up run) and of %d compilations; ratio = wfxc / wazero (below 1: wfxc faster)\n", *stat, *reps, *reps)
	rows := bench.Compare(ks, bench.Wfxc, bench.WazeroCompiler, *reps, pick)
	bench.PrintTable(os.Stdout, rows, "wfxc", "wazero")
	failed := false
	for _, r := range rows {
		if r.Err[1] != nil || r.Err[0] != nil && !bench.IsUnsupported(r.Err[0]) ||
			r.Err[0] == nil && r.Err[1] == nil && !r.ResultsAgree {
			failed = true
		}
	}
	if failed {
		os.Exit(1)
	}
}
