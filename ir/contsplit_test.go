package ir

import (
	"strings"
	"testing"
)

// TestContsplit: a loop-carried continuation that is only taken apart is
// split into an address phi and a revision phi (null flowing in becomes
// two constants); one that is also returned keeps its pair form.
func TestContsplit(t *testing.T) {
	const split = `func f(i64, i32) -> (i64) {
b0:
  v0 = vmctx : i64
  v1 = param [0] : i64
  v2 = param [1] : i32
  v3 = const 0 : cont
  jump b1
b1: loop <- b0 b2
  v5 = phi v3 v9 : cont
  v6 = cont_ptr v5 : ref
  v7 = cont_rev v5 : i64
  if v2 -> b2 b3
b2: <- b1
  v8 = load_raw v6 : i64
  v9 = cont_make v6 v8 : cont
  jump b1
b3: <- b1
  return v7
}
`
	const kept = `func g(i64, i32) -> (cont) {
b0:
  v0 = vmctx : i64
  v1 = param [0] : i64
  v2 = param [1] : i32
  v3 = const 0 : cont
  jump b1
b1: loop <- b0 b2
  v5 = phi v3 v9 : cont
  v6 = cont_ptr v5 : ref
  if v2 -> b2 b3
b2: <- b1
  v8 = load_raw v6 : i64
  v9 = cont_make v6 v8 : cont
  v10 = cont_rev v9 : i64
  v11 = store_raw v6 v10
  jump b1
b3: <- b1
  return v5
}
`
	for _, tc := range []struct {
		name, src     string
		contPhis      int
		contParts     int // cont_ptr and cont_rev values left
		wantInPrinted string
	}{
		{"split", split, 0, 0, "phi"},
		{"kept", kept, 1, 1, "cont_make"},
	} {
		f, err := Parse(tc.src)
		if err != nil {
			t.Fatal(err)
		}
		if err := Verify(f); err != nil {
			t.Fatal(err)
		}
		if err := Contsplit(f); err != nil {
			t.Fatal(err)
		}
		if err := Verify(f); err != nil {
			t.Fatalf("%s: after contsplit: %v\n%s", tc.name, err, f)
		}
		phis, parts := 0, 0
		for _, b := range f.Blocks {
			for _, v := range b.Values {
				switch {
				case v.Op == OpPhi && v.Type == Cont:
					phis++
				case v.Op == OpContPtr || v.Op == OpContRev:
					parts++
				}
			}
		}
		if phis != tc.contPhis || parts != tc.contParts || !strings.Contains(f.String(), tc.wantInPrinted) {
			t.Errorf("%s: %d continuation phis and %d cont_ptr/cont_rev left, want %d and %d:\n%s", tc.name, phis, parts, tc.contPhis, tc.contParts, f)
		}
	}
}

// TestContsplit_nullTests: the null test of a reference that is a
// cont_make, or a phi of only such, folds, and its branch with it; one
// into which the null constant flows stays.
func TestContsplit_nullTests(t *testing.T) {
	const src = `func f(i64, i32) -> (i64) {
b0:
  v0 = vmctx : i64
  v1 = param [0] : i64
  v2 = param [1] : i32
  v20 = const 0 : ref
  v21 = load_raw v1 : ref
  v22 = load_raw v21 : i64
  v3 = cont_make v21 v22 : cont
  jump b1
b1: loop <- b0 b2
  v5 = phi v3 v9 : cont
  v6 = cont_ptr v5 : ref
  v7 = icmp eq v6 v20 : i32
  if v7 -> b4 b5
b4: <- b1
  trap null_cont
b5: <- b1
  if v2 -> b2 b3
b2: <- b5
  v8 = load_raw v6 : i64
  v9 = cont_make v6 v8 : cont
  jump b1
b3: <- b5
  v10 = cont_rev v5 : i64
  return v10
}
`
	f := mustParse(t, src)
	if err := Contsplit(f); err != nil {
		t.Fatal(err)
	}
	if err := Verify(f); err != nil {
		t.Fatal(err)
	}
	if b := f.Blocks[1]; b.Kind != BlockPlain || len(b.Succs) != 1 || b.Succs[0].Kind == BlockTrap {
		t.Errorf("the null test's branch was not folded:\n%s", f)
	}
	kept := strings.Replace(src, "v5 = phi v3 v9 : cont", "v5 = phi v30 v9 : cont", 1)
	kept = strings.Replace(kept, "  jump b1\nb1:", "  v30 = const 0 : cont\n  jump b1\nb1:", 1)
	g := mustParse(t, kept)
	if err := Contsplit(g); err != nil {
		t.Fatal(err)
	}
	if b := g.Blocks[1]; b.Kind != BlockIf {
		t.Errorf("a test of a reference that may be null was folded:\n%s", g)
	}
}
