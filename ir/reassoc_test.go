package ir

import (
	"os"
	"path/filepath"
	"testing"
)

// TestReassoc: the accumulator chains of testdata/reassoc.ir come out with
// the phi an operand of the root, the other terms a balanced tree (sum4:
// five terms, three deep), the root keeping its ID; the function still
// verifies.
func TestReassoc(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "reassoc.ir"))
	if err != nil {
		t.Fatal(err)
	}
	funcs, err := ParseFuncs(string(src))
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]*Func{}
	for _, f := range funcs {
		if err := Reassoc(f); err != nil {
			t.Fatal(err)
		}
		if err := Verify(f); err != nil {
			t.Fatalf("%s after reassoc: %v\n%s", f.Name, err, f)
		}
		byName[f.Name] = f
	}
	value := func(f *Func, id int32) *Value {
		for _, b := range f.Blocks {
			for _, v := range b.Values {
				if v.ID == id {
					return v
				}
			}
		}
		t.Fatalf("%s: no v%d", f.Name, id)
		return nil
	}
	tests := []struct {
		fn        string
		root, phi int32
		depth     int // of the non-phi operand's tree
	}{
		{"sum4", 13, 5, 3},
		{"xor3", 9, 4, 2},
	}
	var depth func(v *Value, op Op) int
	depth = func(v *Value, op Op) int {
		if v.Op != op {
			return 0
		}
		return 1 + max(depth(v.Args[0], op), depth(v.Args[1], op))
	}
	for _, tt := range tests {
		f := byName[tt.fn]
		root := value(f, tt.root)
		if root.Args[0].ID != tt.phi {
			t.Errorf("%s: v%d = %v %v, want the phi v%d first\n%s", tt.fn, tt.root, root.Args[0], root.Args[1], tt.phi, f)
			continue
		}
		if d := depth(root.Args[1], root.Op); d != tt.depth {
			t.Errorf("%s: the other terms' tree is %d deep, want %d\n%s", tt.fn, d, tt.depth, f)
		}
	}
}
