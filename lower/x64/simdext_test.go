package x64_test

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"wfxc/frontend/wat"
)

// An extOp is an extend op for the tests: its wat name and shape.
type extOp struct {
	name         string
	size         int // source lane bytes
	signed, high bool
}

func (o extOp) apply(x [16]byte) (r [16]byte) {
	base := 0
	if o.high {
		base = 8 / o.size
	}
	for j := range 8 / o.size {
		var lane uint64
		for b := range o.size {
			lane |= uint64(x[(base+j)*o.size+b]) << (8 * b)
		}
		if o.signed && lane>>(8*o.size-1)&1 == 1 {
			lane |= ^uint64(0) << (8 * o.size)
		}
		for b := range 2 * o.size {
			r[2*o.size*j+b] = byte(lane >> (8 * b))
		}
	}
	return r
}

var extOps = func() (ops []extOp) {
	for _, c := range []struct {
		to, from string
		size     int
	}{{"i16x8", "i8x16", 1}, {"i32x4", "i16x8", 2}, {"i64x2", "i32x4", 4}} {
		for _, half := range []string{"low", "high"} {
			for _, sg := range []string{"s", "u"} {
				ops = append(ops, extOp{fmt.Sprintf("%s.extend_%s_%s_%s", c.to, half, c.from, sg), c.size, sg == "s", half == "high"})
			}
		}
	}
	return ops
}()

// TestExtendChains runs the widening chains foldExtends lowers together
// (simdext.go): two extends, and a shuffle then one or two extends, of
// every kind and shuffle patterns of one source, of the other, of both,
// and of one operand twice, at x86-64-v2 and v3, against the definition,
// on random vectors with the sign bits of every lane set in half of them.
// Each chain runs twice: once with its inputs dead after it (the result
// may take their registers) and once with them live.
func TestExtendChains(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	pats := [][16]int{
		{15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30}, // blur's
		{18, 4, 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
		{3, 4, 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
		{16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31}, // y
		{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},           // x: a plain PMOVZX
	}
	for range 12 {
		var p [16]int
		for i := range p {
			p[i] = r.Intn(32)
		}
		pats = append(pats, p)
	}
	type chain struct {
		shuf  int // index into pats, or -1
		same  bool
		exts  []extOp
		wat   string
		apply func(x, y [16]byte) [16]byte
	}
	var chains []chain
	add := func(shuf int, same bool, exts ...extOp) {
		c := chain{shuf: shuf, same: same, exts: exts}
		chains = append(chains, c)
	}
	for _, a := range extOps {
		for _, b := range extOps {
			if b.size == 2*a.size {
				add(-1, false, a, b)
			}
		}
	}
	for k := range pats {
		for _, a := range extOps {
			add(k, k%2 == 0 && k > 4, a)
			for _, b := range extOps {
				if b.size == 2*a.size && (!a.signed && !b.signed || r.Intn(4) == 0) {
					add(k, false, a, b)
				}
			}
		}
	}
	var src strings.Builder
	src.WriteString("(module\n")
	v := func(a, b string) string {
		return fmt.Sprintf("(i64x2.replace_lane 1 (i64x2.splat (local.get %s)) (local.get %s))", a, b)
	}
	for k, c := range chains {
		e := "(local.get 4)"
		y := "(local.get 5)"
		if c.same {
			y = "(local.get 4)"
		}
		if c.shuf >= 0 {
			var l []string
			for _, b := range pats[c.shuf] {
				l = append(l, fmt.Sprint(b))
			}
			e = fmt.Sprintf("(i8x16.shuffle %s %s %s)", strings.Join(l, " "), e, y)
		}
		for _, o := range c.exts {
			e = fmt.Sprintf("(%s %s)", o.name, e)
		}
		// f<k>: the inputs die in the chain; g<k>: they live on (xored in).
		fmt.Fprintf(&src, `(func (export "f%d") (param i64 i64 i64 i64) (result i64 i64) (local v128 v128 v128)
  (local.set 4 %s) (local.set 5 %s)
  (local.set 6 %s)
  (i64x2.extract_lane 0 (local.get 6)) (i64x2.extract_lane 1 (local.get 6)))
(func (export "g%d") (param i64 i64 i64 i64) (result i64 i64) (local v128 v128 v128)
  (local.set 4 %s) (local.set 5 %s)
  (local.set 6 (v128.xor (v128.xor %s (local.get 4)) (local.get 5)))
  (i64x2.extract_lane 0 (local.get 6)) (i64x2.extract_lane 1 (local.get 6)))
`, k, v("0", "1"), v("2", "3"), e, k, v("0", "1"), v("2", "3"), e)
	}
	src.WriteString(")\n")
	wasm, err := wat.ParseModule([]byte(src.String()))
	if err != nil {
		t.Fatal(err)
	}
	bytesOf := func(lo, hi uint64) (b [16]byte) {
		for i := range 8 {
			b[i], b[8+i] = byte(lo>>(8*i)), byte(hi>>(8*i))
		}
		return b
	}
	for _, cpu := range []string{"", "x86-64-v3"} {
		call, ok := simdCaller128(t, wasm, "ext", cpu)
		if !ok {
			continue
		}
		for k, c := range chains {
			for rep := range 4 {
				args := []uint64{r.Uint64(), r.Uint64(), r.Uint64(), r.Uint64()}
				if rep%2 == 1 {
					for i := range args {
						args[i] |= 0x8080808080808080
					}
				}
				x, y := bytesOf(args[0], args[1]), bytesOf(args[2], args[3])
				y5 := y // local 5
				if c.same {
					y = x
				}
				w := x
				if c.shuf >= 0 {
					for i, b := range pats[c.shuf] {
						if b < 16 {
							w[i] = x[b]
						} else {
							w[i] = y[b-16]
						}
					}
				}
				for _, o := range c.exts {
					w = o.apply(w)
				}
				if got := call(fmt.Sprintf("f%d", k), args...); got != w {
					t.Errorf("cpu %q chain %d (shuffle %d, same %v, %v): got %x, want %x", cpu, k, c.shuf, c.same, c.exts, got, w)
				}
				var g [16]byte
				for i := range g {
					g[i] = w[i] ^ x[i] ^ y5[i]
				}
				if got := call(fmt.Sprintf("g%d", k), args...); got != g {
					t.Errorf("cpu %q chain %d live inputs (shuffle %d, same %v, %v): got %x, want %x", cpu, k, c.shuf, c.same, c.exts, got, g)
				}
			}
		}
	}
}
