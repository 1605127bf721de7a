package x64_test

import (
	"encoding/binary"
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"wfxc/frontend/wat"
)

// TestConstOperands runs a loop whose body combines more v128.const
// values than there are XMM registers (hoisted out of the loop, so some
// are spilled), by ops that take a constant without a register straight
// from the pool (vsrc: i32x4.mul, i32x4.add, i16x8.sub, v128.and, or,
// xor, i8x16.min_u, packus), at x86-64-v2 and v3, against the definition.
func TestConstOperands(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	type step struct {
		op string
		c  [4]uint32
	}
	ops := []string{"i32x4.mul", "i32x4.add", "i16x8.sub", "v128.and", "v128.or", "v128.xor", "i8x16.min_u", "i16x8.narrow_i32x4_u"}
	var steps []step
	for k := range 40 {
		s := step{op: ops[k%len(ops)]}
		for i := range s.c {
			s.c[i] = r.Uint32()
			if k%5 == 0 {
				s.c[i] = 0x80000000 | r.Uint32()&0xff
			}
		}
		steps = append(steps, s)
	}
	var src strings.Builder
	src.WriteString(`(module (func (export "f") (param i32 i64 i64) (result i64 i64) (local v128)
  (local.set 3 (i64x2.replace_lane 1 (i64x2.splat (local.get 1)) (local.get 2)))
  (loop
`)
	for _, s := range steps {
		fmt.Fprintf(&src, "    (local.set 3 (%s (local.get 3) (v128.const i32x4 %d %d %d %d)))\n", s.op, s.c[0], s.c[1], s.c[2], s.c[3])
	}
	src.WriteString(`    (br_if 0 (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
  (i64x2.extract_lane 0 (local.get 3)) (i64x2.extract_lane 1 (local.get 3))))
`)
	wasm, err := wat.ParseModule([]byte(src.String()))
	if err != nil {
		t.Fatal(err)
	}
	eval := func(n int, lo, hi uint64) (uint64, uint64) {
		var v [16]byte
		binary.LittleEndian.PutUint64(v[:], lo)
		binary.LittleEndian.PutUint64(v[8:], hi)
		u32 := func(b [16]byte, i int) uint32 { return binary.LittleEndian.Uint32(b[4*i:]) }
		u16 := func(b [16]byte, i int) uint16 { return binary.LittleEndian.Uint16(b[2*i:]) }
		for range n {
			for _, s := range steps {
				var c, w [16]byte
				for i := range 4 {
					binary.LittleEndian.PutUint32(c[4*i:], s.c[i])
				}
				switch s.op {
				case "i32x4.mul", "i32x4.add":
					for i := range 4 {
						x, y := u32(v, i), u32(c, i)
						z := x * y
						if s.op == "i32x4.add" {
							z = x + y
						}
						binary.LittleEndian.PutUint32(w[4*i:], z)
					}
				case "i16x8.sub":
					for i := range 8 {
						binary.LittleEndian.PutUint16(w[2*i:], u16(v, i)-u16(c, i))
					}
				case "i16x8.narrow_i32x4_u":
					for i := range 8 {
						src := v
						if i >= 4 {
							src = c
						}
						x := int32(u32(src, i%4))
						x = max(0, min(x, 0xffff))
						binary.LittleEndian.PutUint16(w[2*i:], uint16(x))
					}
				default:
					for i := range 16 {
						x, y := v[i], c[i]
						switch s.op {
						case "v128.and":
							w[i] = x & y
						case "v128.or":
							w[i] = x | y
						case "v128.xor":
							w[i] = x ^ y
						case "i8x16.min_u":
							w[i] = min(x, y)
						}
					}
				}
				v = w
			}
		}
		return binary.LittleEndian.Uint64(v[:]), binary.LittleEndian.Uint64(v[8:])
	}
	for _, cpu := range []string{"", "x86-64-v3"} {
		call, ok := simdCaller(t, wasm, "vconst", cpu, 0)
		if !ok {
			continue
		}
		for _, n := range []int{1, 2, 7} {
			lo, hi := r.Uint64(), r.Uint64()
			out, err := call("f", uint64(n), lo, hi)
			if err != nil {
				t.Fatal(err)
			}
			if wlo, whi := eval(n, lo, hi); out[0] != wlo || out[1] != whi {
				t.Errorf("cpu %q, n=%d: got %#x %#x, want %#x %#x", cpu, n, out[0], out[1], wlo, whi)
			}
		}
	}
}
