package testsuite

import (
	"os"
	"runtime"
	"slices"
	"testing"

	"wfxc/compile"
)

// TestSpec_bounds: the spec suites give the same report, script by script
// and failure by failure, with explicit bounds checks and with guard pages
// (the default on x86-64; on aarch64 both runs check explicitly).
func TestSpec_bounds(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the spec suites twice")
	}
	if _, err := os.Stat(testdataRoot); err != nil {
		t.Fatalf("test data not found at %s: %v", testdataRoot, err)
	}
	scripts, err := FindScripts(testdataRoot)
	if err != nil {
		t.Fatal(err)
	}
	defer func(b compile.Bounds) { Bounds = b }(Bounds)
	run := func(b compile.Bounds) map[string]*Result {
		Bounds = b
		m := map[string]*Result{}
		for _, r := range RunScripts(testdataRoot, scripts, runtime.GOMAXPROCS(0)) {
			m[r.Key] = r
		}
		return m
	}
	explicit, guard := run(compile.BoundsExplicit), run(compile.BoundsDefault)
	var passed int
	for key, e := range explicit {
		g := guard[key]
		if g == nil {
			t.Errorf("%s: no result with guard pages", key)
			continue
		}
		passed += g.Passed
		if g.Passed != e.Passed || g.Failed != e.Failed || g.Skipped != e.Skipped || !slices.Equal(g.Failures, e.Failures) {
			t.Errorf("%s: guard pages %d passed, %d failed, %d skipped; explicit checks %d, %d, %d", key,
				g.Passed, g.Failed, g.Skipped, e.Passed, e.Failed, e.Skipped)
			for _, f := range g.Failures {
				t.Logf("  guard: %s", f)
			}
			for _, f := range e.Failures {
				t.Logf("  explicit: %s", f)
			}
		}
	}
	if len(guard) != len(explicit) {
		t.Errorf("%d scripts with guard pages, %d with explicit checks", len(guard), len(explicit))
	}
	t.Logf("%d scripts, %d commands passed in both modes", len(explicit), passed)
}
