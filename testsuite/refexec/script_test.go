package refexec_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"wfxc/frontend"
	"wfxc/testsuite"
	"wfxc/testsuite/refexec"
)

const testdata = "../../../shared/testdata"

// specSuites are the script patterns the oracle runs; every command must
// pass, except the skips allowed by allowedSkip.
var specSuites = []string{
	"core/*/*.json",
	"proposals/*/*/*.json",
	"wasm3/*/*.json",
	"wasm3/*/*/*.json",
	"stack-switching/*/*/*.json",
}

// required names the scripts that must pass completely: nothing skipped but
// the reversed Wasm 2.0 expectations (prefixes of script keys).
var required = []string{
	"core/", "proposals/", "stack-switching/",
	"wasm3/tag", "wasm3/throw", "wasm3/throw_ref", "wasm3/try_table", "wasm3/instance",
}

func isRequired(key string) bool {
	for _, p := range required {
		if strings.HasSuffix(p, "/") && strings.HasPrefix(key, p) || key == p {
			return true
		}
	}
	return false
}

// allowedSkip reports whether a skip reason is outside the oracle's scope:
// SIMD and GC objects, and the Wasm 2.0 expectations Wasm 3.0 reverses.
func allowedSkip(reason string) bool {
	return strings.Contains(reason, "v128") || strings.Contains(reason, "SIMD") ||
		strings.Contains(reason, "GC") || strings.Contains(reason, "reversed by Wasm 3.0")
}

type scriptRun struct {
	key string
	res *refexec.ScriptResult
}

// runSuites runs every script matching the patterns, in parallel, and
// returns the results sorted by key.
func runSuites(t *testing.T, patterns []string) []scriptRun {
	var files []string
	for _, p := range patterns {
		m, err := filepath.Glob(filepath.Join(testdata, p))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) == 0 {
		t.Skipf("no scripts under %s", testdata)
	}
	sort.Strings(files)
	out := make([]scriptRun, len(files))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				key := testsuite.ScriptKey(testdata, files[i])
				reversed := testsuite.Reversed[key]
				res := refexec.RunScript(files[i], refexec.ScriptOptions{
					SkipLine: func(line int) bool { return slices.Contains(reversed, line) },
				})
				out[i] = scriptRun{key, res}
			}
		}()
	}
	for i := range files {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

// suiteOf is a script key without its last element ("core/i32" -> "core").
func suiteOf(key string) string { return key[:strings.LastIndex(key, "/")] }

// TestSpecScripts runs the oracle over the spec scripts and requires every
// command in scope to pass. It logs the pass/fail/skip counts per suite.
func TestSpecScripts(t *testing.T) {
	runs := runSuites(t, specSuites)
	type count struct{ pass, fail, skip int }
	bySuite := map[string]*count{}
	var suites []string
	for _, r := range runs {
		s := suiteOf(r.key)
		c := bySuite[s]
		if c == nil {
			c = &count{}
			bySuite[s] = c
			suites = append(suites, s)
		}
		c.pass += r.res.Passed
		c.fail += r.res.Failed
		c.skip += r.res.Skipped
		for _, f := range r.res.Failures {
			t.Errorf("%s: %s", r.key, f)
		}
		for reason, n := range r.res.SkipReasons {
			if !allowedSkip(reason) || isRequired(r.key) && !strings.Contains(reason, "reversed") && !strings.Contains(r.key, "simd") {
				t.Errorf("%s: %d commands skipped: %s", r.key, n, reason)
			}
		}
	}
	var b strings.Builder
	for _, s := range suites {
		c := bySuite[s]
		fmt.Fprintf(&b, "\n%-32s passed %6d  failed %4d  skipped %4d", s, c.pass, c.fail, c.skip)
	}
	t.Log(b.String())
}

// TestSpecModules_callEveryExport instantiates every module of the spec
// scripts that links against spectest alone and calls each exported
// function with zero arguments, under fuel: every outcome must be results
// or one of the oracle's outcomes, never a panic or another error.
func TestSpecModules_callEveryExport(t *testing.T) {
	var files []string
	for _, p := range []string{"*/*/*.wasm", "*/*/*/*.wasm"} {
		m, _ := filepath.Glob(filepath.Join(testdata, p))
		files = append(files, m...)
	}
	if len(files) == 0 {
		t.Skipf("no modules under %s", testdata)
	}
	instances, calls := 0, 0
	for _, f := range files {
		wasm, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		m, err := refexec.Compile(wasm)
		if err != nil {
			continue // invalid, malformed or out of scope
		}
		s := refexec.NewStore(refexec.Config{MaxFrames: 2000, Fuel: 1_000_000})
		spec := refexec.Spectest(s, nil)
		in, err := s.Instantiate(m, refexec.ResolverFunc(func(mod, name string) (refexec.Extern, bool) {
			e, ok := spec[name]
			return e, ok && mod == "spectest"
		}))
		if err != nil {
			continue
		}
		instances++
		for _, e := range m.Frontend().Exports {
			fn := in.ExportedFunc(e.Name)
			if fn == nil {
				continue
			}
			ft := m.Frontend().FuncType(e.Index)
			if slices.ContainsFunc(ft.Params, func(p frontend.ValType) bool { return p.Code == frontend.CodeRef }) {
				continue // no zero value
			}
			calls++
			_, err := s.Call(fn, make([]refexec.Value, fn.NumParams())...)
			if err != nil && !errors.As(err, new(*refexec.Trap)) && !errors.As(err, new(*refexec.Exception)) &&
				!errors.As(err, new(*refexec.Suspension)) {
				t.Errorf("%s: %s: unexpected error %v", f, e.Name, err)
			}
		}
	}
	t.Logf("%d instances, %d calls", instances, calls)
}
