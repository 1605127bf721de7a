package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"wfxc/bench/corpus"
)

// corpusDir is the corpus package's directory seen from the bench
// module's, where the compare command runs.
const corpusDir = "corpus"

// corpusSuite prints the corpus table (bench/corpus/README.md) and the
// SQLite compile times, and reports whether anything failed.
func corpusSuite(reps int, only, program string, wall bool) bool {
	engines := corpus.Engines()
	if !corpus.WasmtimeAvailable {
		fmt.Println("(no Wasmtime column: this build has no cgo)")
	}
	if only != "" {
		sel := []corpus.Engine{corpus.Native}
		named := append(engines, corpus.WfxcExplicit) // wfxc-explicit only when asked for
		for _, n := range strings.Split(only, ",") {
			i := slices.IndexFunc(named, func(e corpus.Engine) bool { return e.Name == n })
			if i < 0 {
				fmt.Fprintf(os.Stderr, "-engines: no engine %q in the corpus\n", n)
				return true
			}
			if i > 0 {
				sel = append(sel, named[i])
			}
		}
		engines = sel
	}
	progs := corpus.Programs
	if program != "" {
		i := slices.IndexFunc(progs, func(p corpus.Program) bool { return p.Name == program })
		if i < 0 {
			fmt.Fprintf(os.Stderr, "-kernel: no corpus program %q\n", program)
			return true
		}
		progs = progs[i : i+1]
	}
	b, err := corpus.NewBuilder(corpus.DefaultCache(), filepath.Join(corpusDir, corpus.SQLiteBuild))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return true
	}
	defer b.Close()
	fmt.Printf("C corpus (bench/corpus): run time ÷ native gcc -O2, median of %d runs (after one checked run) ± half their range;\n", reps)
	fmt.Printf("every engine's output must equal native's. Processes (native, wasm2c, wfxc = `wfxc build` executables) count the\n")
	fmt.Printf("CPU time of the child; in-process engines (wasmtime, wazero) instantiation + _start on the calling thread.\n")
	fmt.Printf("Builds: %s (native and wasm2c builds cached there)\n", b.Cache)
	rows := corpus.Compare(b, progs, engines, reps, os.Stderr)
	fmt.Println("CPU time:")
	corpus.PrintTable(os.Stdout, rows, engines, true)
	if wall {
		fmt.Println("wall clock:")
		corpus.PrintTable(os.Stdout, rows, engines, false)
	}
	failed := false
	for _, r := range rows {
		if !r.OK() {
			if r.Program.Name == corpus.SQLite && r.Err[0] == corpus.ErrNoSQLiteSource {
				fmt.Printf("SQLite has no native baseline: %v\n", r.Err[0])
				continue
			}
			failed = true
		}
	}
	if program != "" && program != corpus.SQLite {
		return failed
	}
	return compileTimes(reps, b.Dir) || failed
}

// compileTimes prints the SQLite compile-time table (each compilation in a
// child process, its input written to dir) and reports whether anything
// failed.
func compileTimes(reps int, dir string) bool {
	failed := false
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return true
	}
	wasm, err := corpus.Wasm(corpus.SQLite)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return true
	}
	fmt.Printf("\ncompiling sqlite.wasm (%d bytes), %d threads each (GOMAXPROCS, RAYON_NUM_THREADS), each compilation in a process of its own:\n", len(wasm), corpus.Threads)
	fmt.Printf("wall = the compilation alone (median of %d), cpu = the whole process; none = the process loading the module only\n", reps)
	var cts []corpus.CompileTime
	for _, c := range []string{"wfxc", "wasmtime", "none"} {
		if c == "wasmtime" && !corpus.WasmtimeAvailable {
			continue
		}
		ct := corpus.MeasureCompile(self, c, wasm, dir, reps)
		failed = failed || ct.Err != nil
		cts = append(cts, ct)
	}
	corpus.PrintCompile(os.Stdout, cts)
	if len(cts) == 3 && cts[0].Err == nil && cts[1].Err == nil {
		fmt.Printf("wfxc ÷ wasmtime: wall %.2f (issue 13 wants ≤ 0.5, and ≤ 0.3 s)\n",
			float64(corpus.Median(cts[0].Wall))/float64(corpus.Median(cts[1].Wall)))
	}
	return failed
}
