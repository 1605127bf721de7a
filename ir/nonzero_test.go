package ir

import (
	"os"
	"path/filepath"
	"testing"
)

// TestNonzeroAt: which ctz arguments of testdata/nonzero.ir (whose run
// lines check the values, RunFiles natively) are known nonzero where the
// ctz runs.
func TestNonzeroAt(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "nonzero.ir"))
	if err != nil {
		t.Fatal(err)
	}
	funcs, err := ParseFuncs(string(src))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{
		"ifnz": true, "eqz": true, "icmpne": true, "icmpeq": true, "bits": true,
		"join": false, "swapped": false, "phibad": false,
	}
	for _, f := range funcs {
		w, ok := want[f.Name]
		if !ok {
			t.Errorf("%s: not in the table", f.Name)
			continue
		}
		delete(want, f.Name)
		d := Dominators(f)
		n := 0
		for _, b := range f.Blocks {
			for _, v := range b.Values {
				if v.Op == OpCtz {
					n++
					if got := NonzeroAt(d, v.Args[0], b); got != w {
						t.Errorf("%s: NonzeroAt(v%d, b%d) = %v, want %v", f.Name, v.Args[0].ID, b.ID, got, w)
					}
				}
			}
		}
		if n != 1 {
			t.Errorf("%s: %d ctz, want 1", f.Name, n)
		}
	}
	for name := range want {
		t.Errorf("%s: missing from testdata/nonzero.ir", name)
	}
}
