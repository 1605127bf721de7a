// Command difffuzz is the long-running differential test of wfxc: it
// generates modules with testsuite/gen, seed after seed, runs each on wfxc
// and on a reference and compares results, traps, uncaught exceptions,
// globals and memory (bench.Diff). The reference is wazero's interpreter,
// or testsuite/refexec for the feature sets exn and cont (-ref auto), or
// refexec for everything (-ref refexec; then a disagreement where wfxc
// agrees with wazero's interpreter counts as "reference-disagrees"), or
// Wasmtime (-ref wasmtime, a build with cgo: every feature set but cont,
// which stays on refexec; exn modules without host calls, which cannot
// throw on Wasmtime; tie-breaker wazero's interpreter, or refexec for
// exn).
//
//	cd bench && go run ./cmd/difffuzz -duration 30m [-start 0] [-features mix]
//	cd bench && go run ./cmd/difffuzz -seed 1234 [-features tables]   # one seed, verbosely
//	cd bench && go run ./cmd/difffuzz -seed 1234 -features cont -file reduced.wasm   # replay a kept or reduced module with the seed's arguments
//	cd bench && go run ./cmd/difffuzz -duration 10m -features exn     # exceptions, against refexec
//	cd bench && go run ./cmd/difffuzz -duration 10m -features mix -ref wasmtime
//	cd bench && go run ./cmd/difffuzz -duration 5m -features simd -cpu x86-64-v3   # wfxc's code for x86-64-v3
//
// With -remote the generated code runs on another architecture: a
// difffuzz built for it serves the calls under qemu-user, while the
// generator, the compiler (cross-compiling for it) and the reference run
// here (remote.go):
//
//	cd bench && GOARCH=arm64 go build -o /tmp/difffuzz.arm64 ./cmd/difffuzz
//	cd bench && go run ./cmd/difffuzz -duration 10m -features cont -remote "qemu-aarch64 /tmp/difffuzz.arm64"
//
// The modules run in a worker subprocess, so a crash or a hang in compiled
// code costs one seed, not the run: the supervisor notices the worker dying
// (or a module exceeding -timeout), records the seed and restarts the
// worker after it. Every mismatch, crash or hang is saved as
// testdata/regress/<seed>[-<features>].wasm, which TestDiff_regressions
// replays, and printed with a repro command. A disagreement with the
// interpreter where wfxc agrees with wazero's optimizing compiler is
// counted as "reference-disagrees" and kept in testdata/regress/wazero. At the end it prints how many
// modules ran and the counts per outcome.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"wfxc/bench"
	"wfxc/rt/abi"
	"wfxc/testsuite/gen"
)

var (
	duration = flag.Duration("duration", 10*time.Minute, "how long to run")
	start    = flag.Int64("start", 0, "first seed")
	features = flag.String("features", "", `generator features: "" (first slice), "tables", "host", "tail", "all", "big", "exn", "cont", "smallcont", "simd", or "mix" (by seed)`)
	refFlag  = flag.String("ref", "auto", `reference: "auto" (refexec for exn and cont, else wazero's interpreter), "refexec", "wazero" or "wasmtime" (cont on refexec)`)
	saveDir  = flag.String("save", filepath.Join("testdata", "regress"), "where to save modules that fail")
	timeout  = flag.Duration("timeout", 30*time.Second, "longest time one module may take")
	perSig   = flag.Int("keep", 3, "failing modules saved per distinct failure signature")
	oneSeed  = flag.Int64("seed", -1, "run only this seed, in process, and print the outcome")
	worker   = flag.Bool("worker", false, "internal: run seeds from -start and report on stdout")
	perChild = flag.Int("per-worker", 2000, "modules per worker process before it is replaced")
	file     = flag.String("file", "", "with -seed: replay this module (a kept or reduced one) instead of generating the seed's; exit 1 on a mismatch")
	remote   = flag.String("remote", "", `run wfxc's code in this command with -serve: a difffuzz built for another architecture, e.g. "qemu-aarch64 difffuzz.arm64" (the object is compiled here for it)`)
	serveFl  = flag.Bool("serve", false, "internal: the -remote server, requests on stdin")
	cpuFl    = flag.String("cpu", "", `the CPU level wfxc compiles for: "" (the default, x86-64-v2) or x86-64-v3 (not with -remote)`)
)

// wfxc is the engine under test: bench.Wfxc, or with -remote the server's.
var wfxc = bench.Wfxc

func main() {
	flag.Parse()
	switch *cpuFl {
	case "", abi.CPUx8664v2:
	case abi.CPUx8664v3:
		if *remote != "" {
			fmt.Fprintln(os.Stderr, "-cpu x86-64-v3: not with -remote")
			os.Exit(2)
		}
		wfxc = bench.WfxcV3
	default:
		fmt.Fprintf(os.Stderr, "-cpu %q: want x86-64-v2 or x86-64-v3\n", *cpuFl)
		os.Exit(2)
	}
	switch {
	case *serveFl:
		os.Exit(serve())
	case *worker:
		if *remote != "" {
			wfxc = startServer(*remote).engine()
		}
		runWorker()
	case *oneSeed >= 0:
		if *remote != "" {
			wfxc = startServer(*remote).engine()
		}
		os.Exit(runOne(*oneSeed))
	default:
		os.Exit(supervise())
	}
}

// featuresFor returns the feature set name used for seed.
func featuresFor(seed int64) string {
	if *features != "mix" {
		return *features
	}
	switch seed % 10 {
	case 2:
		return "tables"
	case 3, 6:
		return "all"
	case 4:
		return "big"
	case 5:
		return "tail"
	case 7:
		return "host"
	case 8:
		return "exn"
	case 9:
		return "cont"
	}
	return ""
}

// diff runs one module against the reference -ref asks for, with a
// tie-breaker on a mismatch where there is one.
func diff(seed int64, wasm []byte, f string) bench.Outcome {
	cfg := bench.FuzzFeatures[f]
	if *refFlag == "wasmtime" {
		if !bench.WasmtimeAvailable {
			fmt.Fprintln(os.Stderr, "-ref wasmtime needs a build with cgo")
			os.Exit(2)
		}
		if _, ok := bench.WasmtimeConfig(cfg); ok {
			tiebreak := bench.WazeroInterpreter
			if bench.NeedsRefexec(cfg) {
				tiebreak = bench.Refexec
			}
			return bench.DiffTiebreak(seed, wasm, wfxc, bench.Wasmtime, tiebreak)
		}
	}
	switch {
	case *refFlag == "refexec" && !bench.NeedsRefexec(cfg):
		return bench.DiffTiebreak(seed, wasm, wfxc, bench.Refexec, bench.WazeroInterpreter)
	case *refFlag == "wazero" && bench.NeedsRefexec(cfg):
		fmt.Fprintf(os.Stderr, "features %q need -ref refexec or auto\n", f)
		os.Exit(2)
	case bench.NeedsRefexec(cfg):
		return bench.Diff(seed, wasm, wfxc, bench.Refexec)
	}
	return bench.DiffTiebreak(seed, wasm, wfxc, bench.WazeroInterpreter, bench.WazeroCompiler)
}

func module(seed int64) ([]byte, string) {
	f := featuresFor(seed)
	cfg, ok := bench.FuzzFeatures[f]
	if !ok {
		fmt.Fprintf(os.Stderr, "unknown -features %q\n", f)
		os.Exit(2)
	}
	if *refFlag == "wasmtime" {
		if c, ok := bench.WasmtimeConfig(cfg); ok {
			cfg = c
		}
	}
	return gen.Module(seed, cfg), f
}

func fileName(seed int64, f string) string {
	if f == "" {
		return fmt.Sprintf("%d.wasm", seed)
	}
	return fmt.Sprintf("%d-%s.wasm", seed, f)
}

func runOne(seed int64) int {
	wasm, f := module(seed)
	if *file != "" {
		b, err := os.ReadFile(*file)
		if err != nil {
			fmt.Fprintln(os.Stderr, "difffuzz:", err)
			return 2
		}
		wasm = b
	}
	o := diff(seed, wasm, f)
	fmt.Printf("seed %d (features %q, %d bytes): %s after %d calls (%d trapped)\n", seed, f, len(wasm), o.Status, o.Calls, o.Traps)
	if o.Detail != "" {
		fmt.Println(o.Detail)
	}
	if o.Status == bench.StatusMismatch {
		file := filepath.Join(os.TempDir(), fileName(seed, f))
		if err := os.WriteFile(file, wasm, 0o644); err == nil {
			fmt.Printf("module written to %s (wasm2wat %s)\n", file, file)
		}
		return 1
	}
	return 0
}

// report is one worker line: END <json>.
type report struct {
	Seed    int64
	Status  string
	Detail  string
	Calls   int
	Traps   int
	Kinds   []string
	Invoke  string
	Args    []string
	Feature string
}

func runWorker() {
	for seed := *start; seed < *start+int64(*perChild); seed++ {
		if (seed-*start)%64 == 63 {
			// wfxc's runtime frees code, stacks and memories in GC
			// cleanups; the Go heap alone grows too slowly to trigger
			// them before the process runs out of mappings. (Workers are
			// also replaced every -per-worker modules, which bounded a
			// leak of instances with tables until rt fixed it.)
			runtime.GC()
		}
		fmt.Printf("BEGIN %d\n", seed)
		wasm, f := module(seed)
		o := diff(seed, wasm, f)
		b, _ := json.Marshal(report{Seed: seed, Status: o.Status.String(), Detail: o.Detail, Calls: o.Calls,
			Traps: o.Traps, Kinds: o.TrapKinds, Invoke: o.Invoke, Args: o.Args, Feature: f})
		fmt.Printf("END %s\n", b)
	}
}

// stopNow is set by a signal: the supervisor stops its worker and prints
// the summary.
var stopNow atomic.Bool

type stats struct {
	modules int
	calls   int
	traps   int
	status  map[string]int
	failed  []string // saved files
	sigs    map[string]int
	refs    map[string]int // reference-disagreement signatures
	unsup   map[string]int
	kinds   map[string]int
}

func supervise() int {
	st := &stats{status: map[string]int{}, unsup: map[string]int{}, kinds: map[string]int{}, sigs: map[string]int{}, refs: map[string]int{}}
	deadline := time.Now().Add(*duration)
	began := time.Now()
	next := *start
	// SIGINT or SIGTERM ends the run early, still with the summary.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sig
		stopNow.Store(true)
	}()
	for time.Now().Before(deadline) && !stopNow.Load() {
		next = runChild(next, deadline, st)
	}
	fmt.Printf("\ndifffuzz: %d modules (seeds %d…%d), %d calls (%d trapped on both) in %s\n",
		st.modules, *start, next-1, st.calls, st.traps, time.Since(began).Round(time.Second))
	var keys []string
	for k := range st.status {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Printf("  %-12s %d\n", k, st.status[k])
	}
	fmt.Println("traps, by kind:")
	for k, n := range st.kinds {
		fmt.Printf("  %5d  %s\n", n, k)
	}
	if len(st.unsup) > 0 {
		fmt.Println("unsupported, by message:")
		for msg, n := range st.unsup {
			fmt.Printf("  %5d  %s\n", n, msg)
		}
	}
	if len(st.refs) > 0 {
		fmt.Println("reference disagreements (wfxc agrees with the tie-breaker, not the reference), by signature:")
		for sig, n := range st.refs {
			fmt.Printf("  %5d  %s\n", n, sig)
		}
	}
	if len(st.sigs) > 0 {
		fmt.Println("failures, by signature:")
		for sig, n := range st.sigs {
			fmt.Printf("  %5d  %s\n", n, sig)
		}
		fmt.Printf("saved %d failing modules in %s\n", len(st.failed), *saveDir)
		return 1
	}
	return 0
}

// runChild runs a worker from seed until the deadline, a crash or a hang,
// and returns the next seed to run.
func runChild(seed int64, deadline time.Time, st *stats) int64 {
	args := []string{os.Args[0], "-worker", "-start", strconv.FormatInt(seed, 10), "-features", *features,
		"-per-worker", strconv.Itoa(*perChild), "-ref", *refFlag, "-remote", *remote, "-cpu", *cpuFl}
	// $WFXC_TEST_EXEC runs the workers of a binary for another
	// architecture (GOARCH=arm64 under WFXC_TEST_EXEC=qemu-aarch64).
	args = append(strings.Fields(os.Getenv("WFXC_TEST_EXEC")), args...)
	cmd := exec.Command(args[0], args[1:]...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(out)
		sc.Buffer(make([]byte, 1<<20), 1<<24)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	current := int64(-1) // the seed running; -1 before the first, -2 between seeds
	lastDone := seed - 1
	poll := time.NewTicker(200 * time.Millisecond)
	defer poll.Stop()
	var began time.Time // when the current seed began
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				cmd.Wait()
				if current == -1 && lastDone < seed {
					fmt.Fprintf(os.Stderr, "worker failed to start: %s\n", stderr.String())
					os.Exit(2)
				}
				if current < 0 {
					if cmd.ProcessState.ExitCode() != 0 {
						fmt.Fprintf(os.Stderr, "worker exited between seeds: %s\n", tail(stderr.String()))
					}
					return lastDone + 1
				}
				fail(st, current, "crash", "worker died: "+tail(stderr.String()), nil)
				return current + 1
			}
			if s, ok := strings.CutPrefix(line, "BEGIN "); ok {
				current, _ = strconv.ParseInt(s, 10, 64)
				began = time.Now()
				continue
			}
			if s, ok := strings.CutPrefix(line, "END "); ok {
				var r report
				if err := json.Unmarshal([]byte(s), &r); err != nil {
					fmt.Fprintf(os.Stderr, "bad worker line %q: %v\n", line, err)
					continue
				}
				st.modules++
				st.calls += r.Calls
				st.traps += r.Traps
				for _, k := range r.Kinds {
					st.kinds[k]++
				}
				switch r.Status {
				case "mismatch":
					fail(st, r.Seed, r.Status, r.Detail, &r)
				case "reference-disagrees":
					// Not a wfxc bug: keep the module aside for the record.
					st.status[r.Status]++
					sig := bench.Signature(r.Detail)
					if st.refs[sig]++; st.refs[sig] <= *perSig {
						wasm, f := module(r.Seed)
						dir := filepath.Join(*saveDir, "wazero")
						if *refFlag == "refexec" || *refFlag == "wasmtime" {
							dir = filepath.Join(*saveDir, *refFlag)
						}
						os.MkdirAll(dir, 0o755)
						os.WriteFile(filepath.Join(dir, fileName(r.Seed, f)), wasm, 0o644)
						fmt.Printf("seed %d: reference disagrees: %s\n", r.Seed, r.Detail)
					}
				case "invalid":
					st.status[r.Status]++
					fmt.Printf("seed %d: GENERATOR BUG: %s\n", r.Seed, r.Detail)
				case "unsupported":
					st.status[r.Status]++
					st.unsup[firstLine(r.Detail)]++
				default:
					st.status[r.Status]++
				}
				current, lastDone = -2, r.Seed
				if st.modules%5000 == 0 {
					fmt.Printf("… %d modules, %v\n", st.modules, st.status)
				}
			}
		case <-poll.C:
			switch {
			case stopNow.Load() || time.Now().After(deadline):
				cmd.Process.Kill()
				cmd.Wait()
				return lastDone + 1
			case current >= 0 && time.Since(began) > *timeout:
				cmd.Process.Kill()
				cmd.Wait()
				fail(st, current, "hang", fmt.Sprintf("no result after %s", *timeout), nil)
				return current + 1
			}
		}
	}
}

// fail records a failing seed, prints it, and saves it (up to -keep per
// failure signature).
func fail(st *stats, seed int64, kind, detail string, r *report) {
	if r == nil {
		st.modules++ // a crash or hang: no END line counted it
	}
	st.status[kind]++
	sig := kind + ": " + bench.Signature(detail)
	st.sigs[sig]++
	if st.sigs[sig] > *perSig {
		return
	}
	wasm, f := module(seed)
	file := filepath.Join(*saveDir, fileName(seed, f))
	if err := os.MkdirAll(*saveDir, 0o755); err == nil {
		os.WriteFile(file, wasm, 0o644)
	}
	st.failed = append(st.failed, file)
	o := bench.Outcome{}
	if r != nil {
		o.Invoke, o.Args = r.Invoke, r.Args
	}
	ref := ""
	if *refFlag != "auto" {
		ref = " -ref " + *refFlag
	}
	if *remote != "" {
		ref += fmt.Sprintf(" -remote %q", *remote)
	}
	if *cpuFl != "" {
		ref += " -cpu " + *cpuFl
	}
	fmt.Printf("seed %d: %s: %s\n  saved %s\n  repro: go run ./cmd/difffuzz -seed %d -features %q%s\n  %s\n",
		seed, strings.ToUpper(kind), detail, file, seed, f, ref, bench.Repro(file, o))
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > 160 {
		s = s[:160]
	}
	return s
}

func tail(s string) string {
	if len(s) > 2000 {
		s = "…" + s[len(s)-2000:]
	}
	return s
}
