package testsuite

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// testdataRoot is ../shared/testdata beside the repository.
var testdataRoot = filepath.Join("..", "..", "shared", "testdata")

// fullPass are the scripts that must pass every command (issue 2, the
// walking skeleton's first slice of Wasm).
var fullPass = []string{
	"core/i32", "core/i64", "core/int_exprs", "core/int_literals", "core/block", "core/br",
	"core/br_if", "core/br_table", "core/loop", "core/if", "core/labels", "core/nop",
	"core/return", "core/select", "core/local_get", "core/local_set", "core/local_tee",
	"core/forward", "core/fac", "core/call", "core/stack", "core/unwind", "core/unreachable",
	"core/switch", "core/left-to-right",
}

// fullScope are the suites whose every script must pass all its commands
// (issue 4: scalar Wasm 3.0), apart from scripts the expectation file marks
// "excluded" with a reason and the commands Wasm 3.0 reversed.
var fullScope = []string{
	"core", "proposals/multi-memory", "proposals/memory64", "proposals/tail-call",
	"proposals/extended-const", "wasm3", "wasm3/multi-memory",
}

// checkScope enforces fullScope.
func checkScope(t *testing.T, results []*Result, want Expectations) {
	inScope := func(key string) bool {
		for _, s := range fullScope {
			if filepath.ToSlash(filepath.Dir(key)) == s {
				return true
			}
		}
		return false
	}
	var scripts, excluded int
	for _, r := range results {
		if !inScope(r.Key) {
			continue
		}
		scripts++
		if want[r.Key].Excluded != "" {
			excluded++
			continue
		}
		var skips []string
		for reason, n := range r.SkipReasons {
			if reason != reversedReason {
				skips = append(skips, fmt.Sprintf("%d × %s", n, reason))
			}
		}
		if r.Failed > 0 || len(skips) > 0 {
			t.Errorf("%s: %d failed, skipped %v; every command must pass (or mark the script excluded, with a reason)", r.Key, r.Failed, skips)
			for _, f := range r.Failures {
				t.Logf("  %s", f)
			}
		}
	}
	t.Logf("full scope: %d scripts, %d excluded", scripts, excluded)
}

// TestSpec runs every script of the test data and compares the pass counts
// with expected.txt: a script passing fewer commands than recorded fails.
// WFXC_BLESS=1 rewrites the file from this run.
func TestSpec(t *testing.T) {
	if _, err := os.Stat(testdataRoot); err != nil {
		t.Fatalf("test data not found at %s (../shared/testdata beside the repository): %v", testdataRoot, err)
	}
	scripts, err := FindScripts(testdataRoot)
	if err != nil {
		t.Fatal(err)
	}
	results := RunScripts(testdataRoot, scripts, runtime.GOMAXPROCS(0))
	want, err := ReadExpectations("expected.txt")
	if err != nil {
		t.Fatal(err)
	}
	if os.Getenv("WFXC_BLESS") != "" {
		if err := WriteExpectations("expected.txt", results, want); err != nil {
			t.Fatal(err)
		}
		if want, err = ReadExpectations("expected.txt"); err != nil {
			t.Fatal(err)
		}
	}
	byKey := map[string]*Result{}
	var passed, failed, skipped int
	for _, r := range results {
		byKey[r.Key] = r
		passed += r.Passed
		failed += r.Failed
		skipped += r.Skipped
		if r.Passed < want[r.Key].Passed {
			t.Errorf("%s: %d commands pass, want at least %d", r.Key, r.Passed, want[r.Key].Passed)
			for i, f := range r.Failures {
				if i == 10 {
					t.Logf("  … %d more", len(r.Failures)-10)
					break
				}
				t.Logf("  %s", f)
			}
		}
	}
	for key := range want {
		if byKey[key] == nil {
			t.Errorf("%s: listed in expected.txt but not found in the test data", key)
		}
	}
	checkScope(t, results, want)
	for _, key := range fullPass {
		r := byKey[key]
		if r == nil {
			t.Errorf("%s: script not found", key)
			continue
		}
		if r.Failed != 0 || r.Skipped != 0 {
			t.Errorf("%s: %d failed, %d skipped; every command must pass", key, r.Failed, r.Skipped)
			for _, f := range r.Failures {
				t.Logf("  %s", f)
			}
		}
	}
	t.Logf("%d scripts: %d passed, %d failed, %d skipped", len(results), passed, failed, skipped)
	checkText(t, byKey)
}

// checkText runs every script again from its .wast source (issue 5): each
// must give the same failures and skips as its JSON form, and pass exactly
// the text-only commands more (the `module quote` assertions that the JSON
// conversion dropped, counted per file in MANIFEST.json).
func checkText(t *testing.T, jsonResults map[string]*Result) {
	b, err := os.ReadFile(filepath.Join(testdataRoot, "MANIFEST.json"))
	if err != nil {
		t.Fatal(err)
	}
	var man struct {
		Suites map[string]struct {
			Files map[string]struct {
				JSON    string `json:"json"`
				Dropped int    `json:"dropped_text_module_commands"`
			} `json:"files"`
		} `json:"suites"`
	}
	if err := json.Unmarshal(b, &man); err != nil {
		t.Fatal(err)
	}
	dropped := map[string]int{}
	for _, suite := range man.Suites {
		for _, f := range suite.Files {
			dropped[strings.TrimSuffix(filepath.ToSlash(filepath.Dir(f.JSON)), "/")] = f.Dropped
		}
	}
	scripts, err := FindTextScripts(testdataRoot)
	if err != nil {
		t.Fatal(err)
	}
	var extra int
	for _, r := range RunScripts(testdataRoot, scripts, runtime.GOMAXPROCS(0)) {
		j := jsonResults[r.Key]
		if j == nil {
			t.Errorf("text %s: no JSON script of that name", r.Key)
			continue
		}
		if r.Failed != j.Failed || r.Skipped != j.Skipped || r.Passed != j.Passed+dropped[r.Key] {
			t.Errorf("text %s: %d passed, %d failed, %d skipped; JSON %d/%d/%d plus %d text-only commands",
				r.Key, r.Passed, r.Failed, r.Skipped, j.Passed, j.Failed, j.Skipped, dropped[r.Key])
			for _, f := range r.Failures {
				t.Logf("  %s", f)
			}
		}
		extra += r.Passed - j.Passed
	}
	t.Logf("text scripts: %d scripts, %d text-only commands pass", len(scripts), extra)
}
