package refexec_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"wfxc/testsuite/refexec"
)

// TestExamples_output runs the stack-switching explainer examples, which
// check little beyond "no trap" themselves, and compares what they print
// with testdata/examples/<name>.out (rewritten by WFXC_BLESS=1). The
// expected outputs were reviewed by hand (generator counts down from 100;
// lwt's and fun-lwt's schedulers traced step by step; scheduler2-throw
// aborts task 1), and programs that implement the same thing in different
// styles must print the same.
func TestExamples_output(t *testing.T) {
	dir := filepath.Join(testdata, "stack-switching/examples")
	names, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil || len(names) == 0 {
		t.Skipf("no examples under %s", dir)
	}
	out := map[string]string{}
	for _, d := range names {
		name := filepath.Base(d)
		var b bytes.Buffer
		res := refexec.RunScript(filepath.Join(d, name+".json"), refexec.ScriptOptions{Print: &b})
		if res.Failed > 0 || res.Skipped > 0 {
			t.Errorf("%s: %d failed, %d skipped: %v", name, res.Failed, res.Skipped, res.Failures)
		}
		out[name] = b.String()
		golden := filepath.Join("testdata/examples", name+".out")
		if os.Getenv("WFXC_BLESS") != "" {
			if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Errorf("%s: %v (WFXC_BLESS=1 writes it)", name, err)
			continue
		}
		if b.String() != string(want) {
			t.Errorf("%s: output differs from %s:\n%s", name, golden, b.String())
		}
	}
	for _, same := range [][]string{
		{"actor", "actor-lwt", "fun-actor-lwt"},
		{"pipes", "fun-pipes"},
		{"scheduler1", "scheduler2"},
	} {
		for _, n := range same[1:] {
			if out[n] != out[same[0]] {
				t.Errorf("%s and %s print different output", same[0], n)
			}
		}
	}
}
