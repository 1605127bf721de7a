package x64_test

import (
	"math/rand"
	"strings"
	"testing"

	"wfxc/compile"
	"wfxc/frontend/wat"
)

// simdDotWat is clang's autovectorised i16 dot product (dotauto): pairs
// of v128.load16x4_s products added into an accumulator, whose lanes are
// summed after the loop. "dot" ends with the horizontal sum ir.SIMDDot
// recognises (rewritten to i32x4.dot_i16x8_s of MOVDDUP/MOVHPS-loaded
// vectors); "half" stops after the first shuffle-add, so lane 0 is lanes
// 0 and 2 of the accumulator only, and "escape" also returns a lane of
// the accumulator itself (neither may be rewritten: both would change).
// The index wraps as an i32 add, as clang's negative-counter loops do.
const simdDotWat = `(module (memory (export "mem") 1)
  (func (export "set") (param i32 i32) (i32.store16 (local.get 0) (local.get 1)))
  (func (export "dot") (param $a i32) (param $b i32) (param $n i32) (result i32) (local $acc v128) (local $i i32)
    (loop
      (local.set $acc (i32x4.add (local.get $acc)
        (i32x4.add
          (i32x4.mul (v128.load16x4_s (i32.add (local.get $a) (local.get $i))) (v128.load16x4_s (i32.add (local.get $b) (local.get $i))))
          (i32x4.mul (v128.load16x4_s (i32.add (i32.add (local.get $a) (local.get $i)) (i32.const 8)))
                     (v128.load16x4_s (i32.add (i32.add (local.get $b) (local.get $i)) (i32.const 8)))))))
      (br_if 0 (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 16))) (local.get $n))))
    (local.set $acc (i32x4.add (local.get $acc) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $acc) (local.get $acc))))
    (local.set $acc (i32x4.add (local.get $acc) (i8x16.shuffle 4 5 6 7 0 1 2 3 8 9 10 11 12 13 14 15 (local.get $acc) (local.get $acc))))
    (i32x4.extract_lane 0 (local.get $acc)))
  (func (export "half") (param $a i32) (param $b i32) (param $n i32) (result i32) (local $acc v128) (local $i i32)
    (loop
      (local.set $acc (i32x4.add (local.get $acc)
        (i32x4.add
          (i32x4.mul (v128.load16x4_s (i32.add (local.get $a) (local.get $i))) (v128.load16x4_s (i32.add (local.get $b) (local.get $i))))
          (i32x4.mul (v128.load16x4_s (i32.add (i32.add (local.get $a) (local.get $i)) (i32.const 8)))
                     (v128.load16x4_s (i32.add (i32.add (local.get $b) (local.get $i)) (i32.const 8)))))))
      (br_if 0 (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 16))) (local.get $n))))
    (local.set $acc (i32x4.add (local.get $acc) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $acc) (local.get $acc))))
    (i32x4.extract_lane 0 (local.get $acc)))
  (func (export "escape") (param $a i32) (param $b i32) (param $n i32) (result i32 i32) (local $acc v128) (local $i i32)
    (loop
      (local.set $acc (i32x4.add (local.get $acc)
        (i32x4.add
          (i32x4.mul (v128.load16x4_s (i32.add (local.get $a) (local.get $i))) (v128.load16x4_s (i32.add (local.get $b) (local.get $i))))
          (i32x4.mul (v128.load16x4_s (i32.add (i32.add (local.get $a) (local.get $i)) (i32.const 8)))
                     (v128.load16x4_s (i32.add (i32.add (local.get $b) (local.get $i)) (i32.const 8)))))))
      (br_if 0 (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 16))) (local.get $n))))
    (i32x4.extract_lane 2 (local.get $acc))
    (local.set $acc (i32x4.add (local.get $acc) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $acc) (local.get $acc))))
    (local.set $acc (i32x4.add (local.get $acc) (i8x16.shuffle 4 5 6 7 0 1 2 3 8 9 10 11 12 13 14 15 (local.get $acc) (local.get $acc))))
    (i32x4.extract_lane 0 (local.get $acc)))
)`

// TestSIMDDot runs simdDotWat at x86-64-v2 and v3, with guard pages and
// explicit bounds checks, on i16 vectors of
// random, all −32768 (every pair sums to 2^31: wraps) and extreme mixed
// values, against the definition; and at the end of memory, where the
// last load of a pair is out of bounds and must trap while the one before
// it alone would not, and the wrapping index (a + i past 2^32).
func TestSIMDDot(t *testing.T) {
	wasm, err := wat.ParseModule([]byte(simdDotWat))
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewSource(5))
	const n = 256 // bytes of each vector
	for _, c := range []struct {
		cpu    string
		bounds compile.Bounds
	}{{"", compile.BoundsGuard}, {"", compile.BoundsExplicit}, {"x86-64-v3", compile.BoundsGuard}, {"x86-64-v3", compile.BoundsExplicit}} {
		cpu := c.cpu
		call, ok := simdCaller(t, wasm, "dot", cpu, c.bounds)
		if !ok {
			continue
		}
		for k, gen := range []func(i int) int16{
			func(int) int16 { return int16(r.Uint32()) },
			func(int) int16 { return -32768 },
			func(i int) int16 { return []int16{-32768, 32767, -1, 0, 1, -32767}[(i*7)%6] },
			func(i int) int16 { return int16(r.Intn(4096) - 2048) },
		} {
			a, b := 1024, 4096
			var x, y [n / 2]int16
			for i := range x {
				x[i], y[i] = gen(i), gen(i+3)
				if _, err := call("set", uint64(a+2*i), uint64(uint16(x[i]))); err != nil {
					t.Fatal(err)
				}
				if _, err := call("set", uint64(b+2*i), uint64(uint16(y[i]))); err != nil {
					t.Fatal(err)
				}
			}
			for _, bytes := range []int{16, 48, n} {
				var lanes [4]uint32
				for i := range bytes / 2 {
					lanes[i%4] += uint32(int32(x[i]) * int32(y[i]))
				}
				sum := lanes[0] + lanes[1] + lanes[2] + lanes[3]
				got, err := call("dot", uint64(a), uint64(b), uint64(bytes))
				if err != nil || uint32(got[0]) != sum {
					t.Errorf("cpu %q gen %d dot(%d bytes) = %v, %v; want %#x", cpu, k, bytes, got, err, sum)
				}
				if got, err := call("half", uint64(a), uint64(b), uint64(bytes)); err != nil || uint32(got[0]) != lanes[0]+lanes[2] {
					t.Errorf("cpu %q gen %d half(%d bytes) = %v, %v; want %#x", cpu, k, bytes, got, err, lanes[0]+lanes[2])
				}
				if got, err := call("escape", uint64(a), uint64(b), uint64(bytes)); err != nil || uint32(got[0]) != lanes[2] || uint32(got[1]) != sum {
					t.Errorf("cpu %q gen %d escape(%d bytes) = %v, %v; want %#x %#x", cpu, k, bytes, got, err, lanes[2], sum)
				}
			}
		}
		// The pair's second load (a+8) past the end of the 64 KiB memory.
		if _, err := call("dot", 65536-8, 1024, 16); err == nil || !strings.Contains(err.Error(), "out of bounds") {
			t.Errorf("cpu %q: dot at the end of memory: %v, want an out-of-bounds trap", cpu, err)
		}
		if _, err := call("dot", 1024, 65536-8, 16); err == nil || !strings.Contains(err.Error(), "out of bounds") {
			t.Errorf("cpu %q: dot of b at the end of memory: %v, want an out-of-bounds trap", cpu, err)
		}
		// a + i wraps: a = 2^32 - 16, i = 16 reads address 0 (in bounds)
		// after a first iteration at 2^32 - 16 (out of bounds: traps).
		if _, err := call("dot", 1<<32-16, 1024, 32); err == nil || !strings.Contains(err.Error(), "out of bounds") {
			t.Errorf("cpu %q: dot at a wrapping index: %v, want an out-of-bounds trap", cpu, err)
		}
		if _, err := call("dot", 65536-16, 65536-16, 16); err != nil { // the last 16 bytes: in bounds
			t.Errorf("cpu %q: dot of the last 16 bytes: %v", cpu, err)
		}
	}
}
