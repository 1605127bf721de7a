package ir

import (
	"os"
	"path/filepath"
	"testing"
)

// TestSIMDDot: of the functions of testdata/simddot.ir (whose run lines
// the interpreter checks before and after the passes, ir/interp), dot and
// loop become i32x4.dot_i16x8_s of [A | C] and [B | D] (each an
// i64x2.replace_lane 1 of A's or B's splat by the load of C or D, right
// after that load); the look-alikes keep their products. After the whole
// pipeline the products the rewrite replaced are gone.
func TestSIMDDot(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "simddot.ir"))
	if err != nil {
		t.Fatal(err)
	}
	funcs, err := ParseFuncs(string(src))
	if err != nil {
		t.Fatal(err)
	}
	rewritten := map[string]bool{"dot": true, "loop": true}
	count := func(f *Func, op Op) (n int) {
		for _, b := range f.Blocks {
			for _, v := range b.Values {
				if v.Op == op {
					n++
				}
			}
		}
		return n
	}
	seen := 0
	for _, f := range funcs {
		seen++
		if err := SIMDDot(f); err != nil {
			t.Fatal(err)
		}
		if err := Verify(f); err != nil {
			t.Fatalf("%s after simddot: %v\n%s", f.Name, err, f)
		}
		want := 0
		if rewritten[f.Name] {
			want = 1
		}
		if got := count(f, OpI32x4DotI16x8S); got != want {
			t.Errorf("%s: %d dot products, want %d\n%s", f.Name, got, want, f)
			continue
		}
		if want == 0 {
			continue
		}
		for _, b := range f.Blocks {
			for i, v := range b.Values {
				if v.Op != OpI32x4DotI16x8S {
					continue
				}
				// [A | C] from the loads at 0 and 8, [B | D] at 16 and 24.
				for k, off := range [][2]int64{{0, 8}, {16, 24}} {
					r := v.Args[k]
					if r.Op != OpI64x2ReplaceLane || r.Aux != 1 || r.Args[0].Op != OpI64x2Splat {
						t.Errorf("%s: dot arg %d is %s", f.Name, k, r.LongString())
						continue
					}
					lo, hi := r.Args[0].Args[0], r.Args[1]
					if lo.Op != OpLoad || hi.Op != OpLoad || lo.Args[1].Aux != off[0] || hi.Args[1].Aux != off[1] {
						t.Errorf("%s: dot arg %d is [%s | %s]", f.Name, k, lo.LongString(), hi.LongString())
					}
					j := 0
					for j < i && b.Values[j] != r {
						j++
					}
					if j == 0 || b.Values[j-1] != hi {
						t.Errorf("%s: %s is not right after the load it inserts", f.Name, r.LongString())
					}
				}
			}
		}
		if err := Run(f, PassOptions{Check: true}); err != nil {
			t.Fatal(err)
		}
		if n := count(f, OpI32x4Mul); n != 0 {
			t.Errorf("%s after the passes: %d i32x4.mul left\n%s", f.Name, n, f)
		}
	}
	if seen != 10 {
		t.Errorf("%d functions in testdata/simddot.ir, want 10", seen)
	}
}
