package x64_test

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"wfxc/frontend/wat"
)

// TestShuffle_patterns runs i8x16.shuffle with the lane patterns the
// lowering gives instructions of their own (x64.shuffle: PSHUFD,
// PSHUFLW/HW, PALIGNR, PUNPCK*, SHUFPS, PBLENDW), the general PSHUFB
// sequences and random patterns, with distinct and with the same
// operands, at x86-64-v2 and v3 (VEX forms), against the definition.
func TestShuffle_patterns(t *testing.T) {
	seq := func(f func(i int) int) (p [16]int) {
		for i := range p {
			p[i] = f(i)
		}
		return p
	}
	interleave := func(s, half int, swap bool) [16]int {
		return seq(func(i int) int {
			lane, j := i/s, i%s
			src := half*8 + lane/2*s + j
			if (lane%2 == 1) != swap {
				src += 16
			}
			return src
		})
	}
	pats := [][16]int{
		seq(func(i int) int { return i }),                                          // identity
		seq(func(i int) int { return i + 16 }),                                     // y
		seq(func(i int) int { return (3-i/4)*4 + i%4 }),                            // PSHUFD
		seq(func(i int) int { return (3-i/4)*4 + i%4 + 16 }),                       // PSHUFD of y
		seq(func(i int) int { return []int{2, 3, 0, 1, 6, 7, 4, 5}[i%8] + i/8*8 }), // 16-bit swaps: PSHUFB
		seq(func(i int) int { // PSHUFLW
			if i < 8 {
				return []int{6, 7, 0, 1, 2, 3, 4, 5}[i]
			}
			return i
		}),
		seq(func(i int) int { // PSHUFHW
			if i >= 8 {
				return []int{14, 15, 8, 9, 10, 11, 12, 13}[i-8]
			}
			return i
		}),
		seq(func(i int) int { // not PSHUFLW: low lanes from the high half
			if i < 8 {
				return 8 + i
			}
			return i
		}),
		seq(func(i int) int { return (i + 5) % 16 }),                    // rotation
		seq(func(i int) int { return (i+11)%16 + 16 }),                  // rotation of y
		seq(func(i int) int { return 15 - i }),                          // PSHUFB
		seq(func(i int) int { return i + 3 }),                           // PALIGNR of (x, y)
		seq(func(i int) int { return (i + 19) % 32 }),                   // PALIGNR of (y, x)
		seq(func(i int) int { return []int{0, 4, 16, 20}[i/4] + i%4 }),  // SHUFPS
		seq(func(i int) int { return []int{28, 16, 12, 0}[i/4] + i%4 }), // SHUFPS swapped
		seq(func(i int) int { // PBLENDW
			if i/2%3 == 0 {
				return i + 16
			}
			return i
		}),
		seq(func(i int) int { return i*2%16 + i/8*16 }),         // two PSHUFB
		seq(func(i int) int { return []int{0, 16}[i%2] + i/2 }), // PUNPCKLBW
	}
	for _, s := range []int{1, 2, 4, 8} {
		for half := range 2 {
			pats = append(pats, interleave(s, half, false), interleave(s, half, true))
		}
	}
	r := rand.New(rand.NewSource(1))
	for range 40 {
		pats = append(pats, seq(func(int) int { return r.Intn(32) }))
	}
	var src strings.Builder
	src.WriteString("(module\n")
	for k, p := range pats {
		var lanes []string
		for _, b := range p {
			lanes = append(lanes, fmt.Sprint(b))
		}
		l := strings.Join(lanes, " ")
		v := func(a, b string) string {
			return fmt.Sprintf("(i64x2.replace_lane 1 (i64x2.splat (local.get %s)) (local.get %s))", a, b)
		}
		// s<k>: distinct operands; t<k>: one operand twice.
		fmt.Fprintf(&src, `(func (export "s%d") (param i64 i64 i64 i64) (result i64 i64) (local v128)
  (local.set 4 (i8x16.shuffle %s %s %s))
  (i64x2.extract_lane 0 (local.get 4)) (i64x2.extract_lane 1 (local.get 4)))
(func (export "t%d") (param i64 i64) (result i64 i64) (local v128)
  (local.set 2 %s)
  (local.set 2 (i8x16.shuffle %s (local.get 2) (local.get 2)))
  (i64x2.extract_lane 0 (local.get 2)) (i64x2.extract_lane 1 (local.get 2)))
`, k, l, v("0", "1"), v("2", "3"), k, v("0", "1"), l)
	}
	src.WriteString(")\n")
	wasm, err := wat.ParseModule([]byte(src.String()))
	if err != nil {
		t.Fatal(err)
	}
	for _, cpu := range []string{"", "x86-64-v3"} {
		call, ok := simdCaller128(t, wasm, "shuf", cpu)
		if !ok {
			continue
		}
		bytesOf := func(lo, hi uint64) (b [16]byte) {
			for i := range 8 {
				b[i], b[8+i] = byte(lo>>(8*i)), byte(hi>>(8*i))
			}
			return b
		}
		for k, p := range pats {
			a0, a1, b0, b1 := r.Uint64(), r.Uint64(), r.Uint64(), r.Uint64()
			x, y := bytesOf(a0, a1), bytesOf(b0, b1)
			var want, wantSame [16]byte
			for i, b := range p {
				if b < 16 {
					want[i] = x[b]
				} else {
					want[i] = y[b-16]
				}
				wantSame[i] = x[b%16]
			}
			if got := call(fmt.Sprintf("s%d", k), a0, a1, b0, b1); got != want {
				t.Errorf("cpu %q pattern %v: got %x, want %x", cpu, p, got, want)
			}
			if got := call(fmt.Sprintf("t%d", k), a0, a1); got != wantSame {
				t.Errorf("cpu %q pattern %v of one operand: got %x, want %x", cpu, p, got, wantSame)
			}
		}
	}
}
