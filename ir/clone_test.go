package ir

import (
	"os"
	"path/filepath"
	"testing"
)

// TestClone: a clone of every function of the IR test files prints the
// same and verifies, shares no block or value with the original, and a
// change to the clone leaves the original as it was.
func TestClone(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.ir"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata/*.ir: %v", err)
	}
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		funcs, err := ParseFuncs(string(src))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range funcs {
			before := f.String()
			g := Clone(f)
			if got := g.String(); got != before {
				t.Errorf("%s: the clone prints\n%s\nwant\n%s", f.Name, got, before)
			}
			if err := Verify(g); err != nil {
				t.Errorf("%s: the clone does not verify: %v", f.Name, err)
			}
			old := map[any]bool{}
			for _, b := range f.Blocks {
				old[b] = true
				for _, v := range b.Values {
					old[v] = true
				}
			}
			for _, b := range g.Blocks {
				if old[b] || b.Func != g {
					t.Errorf("%s: block b%d shared or not the clone's", f.Name, b.ID)
				}
				for _, v := range b.Values {
					if old[v] || v.Block != b {
						t.Errorf("%s: value v%d shared or in the wrong block", f.Name, v.ID)
					}
					for _, a := range v.Args {
						if old[a] {
							t.Errorf("%s: v%d's arg v%d is the original's", f.Name, v.ID, a.ID)
						}
					}
				}
			}
			if err := Run(g, PassOptions{Check: true}); err != nil {
				t.Errorf("%s: passes on the clone: %v", f.Name, err)
			}
			if got := f.String(); got != before {
				t.Errorf("%s: running the passes on the clone changed the original", f.Name)
			}
		}
	}
}
