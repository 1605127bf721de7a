package x64_test

import (
	"fmt"
	"math"
	"math/rand"
	"strings"
	"testing"

	"wfxc/compile"
	"wfxc/frontend/wat"
)

// TestVEXLoadFold runs SIMD binops whose v128.load operand foldVexLoads
// gives to the VEX instruction as its memory operand (at x86-64-v3): the
// load as the second arg ("a"), as the first of a commutative op or of
// one lowered with its args swapped (andnot, pmin, pmax: "b"), each against
// the same op of the same values with the load not right before it
// ("ra", "rb": not folded), on random vectors and float specials, at
// x86-64-v2 (never folded) and v3, with guard pages and explicit checks
// (float lanes: any NaN for any NaN, see sameLanes);
// and at the end of memory, where the folded 16-byte access must trap
// one byte past it and not at it.
func TestVEXLoadFold(t *testing.T) {
	ops := []string{"i8x16.eq", "i32x4.sub", "v128.andnot", "f32x4.mul", "f32x4.sub", "f32x4.pmin", "f64x2.pmax",
		"i16x8.narrow_i32x4_u", "i32x4.dot_i16x8_s", "i8x16.sub_sat_u", "i64x2.add", "v128.xor"}
	var src strings.Builder
	src.WriteString(`(module (memory (export "mem") 1)
  (func (export "set") (param i32 i64) (i64.store (local.get 0) (local.get 1)))
`)
	vec := "(i64x2.replace_lane 1 (i64x2.splat (local.get 1)) (local.get 2))"
	out := "(i64x2.extract_lane 0 (local.get 4)) (i64x2.extract_lane 1 (local.get 4))"
	for k, op := range ops {
		fmt.Fprintf(&src, `  (func (export "a%[1]d") (param i32 i64 i64) (result i64 i64) (local v128 v128)
    (local.set 3 %[3]s) (local.set 4 (%[2]s (local.get 3) (v128.load (local.get 0)))) %[4]s)
  (func (export "b%[1]d") (param i32 i64 i64) (result i64 i64) (local v128 v128)
    (local.set 3 %[3]s) (local.set 4 (%[2]s (v128.load (local.get 0)) (local.get 3))) %[4]s)
  (func (export "ra%[1]d") (param i32 i64 i64) (result i64 i64) (local v128 v128)
    (local.set 4 (v128.load (local.get 0))) (local.set 3 %[3]s) (local.set 4 (%[2]s (local.get 3) (local.get 4))) %[4]s)
  (func (export "rb%[1]d") (param i32 i64 i64) (result i64 i64) (local v128 v128)
    (local.set 4 (v128.load (local.get 0))) (local.set 3 %[3]s) (local.set 4 (%[2]s (local.get 4) (local.get 3))) %[4]s)
`, k, op, vec, out)
	}
	src.WriteString(")\n")
	wasm, err := wat.ParseModule([]byte(src.String()))
	if err != nil {
		t.Fatal(err)
	}
	specials := []uint64{
		0x7fc000007fc00000, 0xffc00001ff800000, 0x8000000000000000, 0x7ff8000000000001, 0x000000003f800000,
		0x7f800000ff800000, 0xfff0000000000000, 0x80000000ffffffff, 0, 0x8000800080008000,
	}
	r := rand.New(rand.NewSource(16))
	word := func() uint64 {
		if r.Intn(3) == 0 {
			return specials[r.Intn(len(specials))]
		}
		return r.Uint64()
	}
	for _, c := range []struct {
		cpu    string
		bounds compile.Bounds
	}{{"", compile.BoundsGuard}, {"x86-64-v3", compile.BoundsGuard}, {"x86-64-v3", compile.BoundsExplicit}} {
		call, ok := simdCaller(t, wasm, "fold", c.cpu, c.bounds)
		if !ok {
			continue
		}
		for k, op := range ops {
			for range 40 {
				p := uint64(r.Intn(65536 - 16))
				for _, w := range []uint64{p, p + 8} {
					if _, err := call("set", w, word()); err != nil {
						t.Fatal(err)
					}
				}
				x0, x1 := word(), word()
				for _, f := range []string{"a", "b"} {
					got, err := call(fmt.Sprintf("%s%d", f, k), p, x0, x1)
					want, err2 := call(fmt.Sprintf("r%s%d", f, k), p, x0, x1)
					if err != nil || err2 != nil || !sameLanes(op, got, want) {
						t.Errorf("cpu %q bounds %d %s (%s) at %d of [%#x %#x]: %x, %v; want %x, %v",
							c.cpu, c.bounds, op, f, p, x0, x1, got, err, want, err2)
					}
				}
			}
			for _, f := range []string{"a", "b"} {
				name := fmt.Sprintf("%s%d", f, k)
				if _, err := call(name, 65536-16, 1, 2); err != nil {
					t.Errorf("cpu %q bounds %d %s (%s) of the last 16 bytes: %v", c.cpu, c.bounds, op, f, err)
				}
				if _, err := call(name, 65536-15, 1, 2); err == nil || !strings.Contains(err.Error(), "out of bounds") {
					t.Errorf("cpu %q bounds %d %s (%s) one byte past the end: %v, want an out-of-bounds trap", c.cpu, c.bounds, op, f, err)
				}
			}
		}
	}
}

// sameLanes compares two results of op as its lanes: bit for bit, but any
// NaN equals any NaN in float lanes (which NaN a commutative float op
// returns depends on its operand order, which the lowering picks).
func sameLanes(op string, got, want []uint64) bool {
	for i := range 2 {
		g, w := got[i], want[i]
		switch {
		case strings.HasPrefix(op, "f32x4."):
			for _, sh := range []uint{0, 32} {
				a, b := math.Float32frombits(uint32(g>>sh)), math.Float32frombits(uint32(w>>sh))
				if uint32(g>>sh) != uint32(w>>sh) && !(a != a && b != b) {
					return false
				}
			}
		case strings.HasPrefix(op, "f64x2."):
			if a, b := math.Float64frombits(g), math.Float64frombits(w); g != w && !(a != a && b != b) {
				return false
			}
		default:
			if g != w {
				return false
			}
		}
	}
	return true
}
