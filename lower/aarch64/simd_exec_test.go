package aarch64

import (
	"fmt"
	"math"
	"math/rand"
	"strings"
	"testing"

	"wfxc/ir"
	"wfxc/lower/lowertest"
	"wfxc/rt/abi"
)

// simdLaneVals are lane values that meet the edges of the SIMD ops:
// signed and unsigned limits, float specials and the bounds of the
// conversions.
var (
	simdLane32 = []uint64{0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff,
		0x3f800000, 0xbf800000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7fa00001, 0x80000000, 0x00000001,
		0x4f000000, 0x4f800000, 0xcf000000, 0xcf000001, 0x3f000000, 0x3fc00000, 0x40200000}
	simdLane64 = []uint64{0, 1, 1 << 63, math.MaxInt64, math.MaxUint64, 0x7ff8000000000000, 0xfff8000000000000,
		0x7ff4000000000001, 0x7ff0000000000000, 0xfff0000000000000, 0x3ff0000000000000, 0xbff0000000000000,
		math.Float64bits(2147483647.5), math.Float64bits(-2147483648.5), math.Float64bits(4294967295.5),
		math.Float64bits(4294967296), math.Float64bits(0.5), math.Float64bits(1.5), math.Float64bits(-2.5), 0x8000000000000001}
)

// randVec returns a vector of random lanes, often edge values.
func randVec(r *rand.Rand) ir.Vec {
	var v ir.Vec
	for h := range 2 {
		switch r.Intn(4) {
		case 0:
			v[h] = simdLane64[r.Intn(len(simdLane64))]
		case 1:
			v[h] = simdLane32[r.Intn(len(simdLane32))] | simdLane32[r.Intn(len(simdLane32))]<<32
		case 2: // small bytes and words, for shuffles, swizzles and dot products
			v[h] = r.Uint64() & 0x1f1f1f1f1f1f1f1f
		default:
			v[h] = r.Uint64()
		}
	}
	return v
}

// floatLanes returns the lane width (4 or 8) of a SIMD op's float
// vector result, or 0 when its lanes are integers.
func floatLanes(op ir.Op) int {
	name := ir.Ops[op].Name
	for _, c := range []string{".eq", ".ne", ".lt", ".gt", ".le", ".ge"} {
		if strings.HasSuffix(name, c) {
			return 0
		}
	}
	switch {
	case strings.HasPrefix(name, "f32x4."):
		return 4
	case strings.HasPrefix(name, "f64x2."):
		return 8
	}
	return 0
}

// sameLanes compares vectors lane by lane, any NaN equal to any NaN in
// float lanes of width w (0: bit-exact).
func sameLanes(w int, got, want ir.Vec) bool {
	if w == 0 {
		return got == want
	}
	for i := range 16 / w {
		g, x := got.Lane(w, i), want.Lane(w, i)
		if w == 4 && math.IsNaN(float64(math.Float32frombits(uint32(g)))) && math.IsNaN(float64(math.Float32frombits(uint32(x)))) ||
			w == 8 && math.IsNaN(math.Float64frombits(g)) && math.IsNaN(math.Float64frombits(x)) {
			continue
		}
		if g != x {
			return false
		}
	}
	return true
}

// TestSIMD_eval runs every SIMD op on random and edge-value operands,
// as a function of its params (vectors in two buffer slots, scalars in
// one) and once more with the second operand a v128.const, and checks
// the results against the interpreter's (ir.EvalSIMD), NaN lanes only for
// NaN-ness.
func TestSIMD_eval(t *testing.T) {
	native(t)
	type opCase struct {
		op        ir.Op
		aux, aux2 int64
		constArg  bool
		args      []ir.Vec
	}
	r := rand.New(rand.NewSource(1))
	var funcs []*ir.Func
	var cases []opCase
	const perOp = 24
	for op := ir.OpSIMDFirst; op.IsSIMD(); op++ {
		if op == ir.OpV128Const {
			continue
		}
		argTypes, res := ir.SIMDSig(op)
		for k := range perOp {
			c := opCase{op: op, constArg: k%3 == 2 && len(argTypes) > 1 && argTypes[1] == ir.V128}
			switch {
			case op == ir.OpI8x16Shuffle:
				for i := range 16 {
					l := int64(r.Intn(32))
					if i < 8 {
						c.aux |= l << (8 * i)
					} else {
						c.aux2 |= l << (8 * (i - 8))
					}
				}
			case ir.Ops[op].Aux == ir.AuxLane:
				c.aux = int64(r.Intn(op.Lanes()))
			}
			var params []ir.Type
			for i, at := range argTypes {
				v := randVec(r)
				if at != ir.V128 {
					switch at {
					case ir.I32:
						v = ir.Vec{v[0] & 0xffffffff}
						if strings.Contains(ir.Ops[op].Name, ".sh") && r.Intn(2) == 0 {
							v = ir.Vec{uint64(r.Intn(70))}
						}
					case ir.F32:
						v = ir.Vec{v[0] & 0xffffffff}
					default:
						v = ir.Vec{v[0]}
					}
				}
				c.args = append(c.args, v)
				if !(c.constArg && i == 1) {
					params = append(params, at)
				}
			}
			idx := len(funcs)
			f := ir.NewFunc(fmt.Sprintf("%v_%d", op, k), idx, params, []ir.Type{res})
			b := f.Entry()
			b.Kind = ir.BlockReturn
			var vs []*ir.Value
			p := 0
			for i, at := range argTypes {
				if c.constArg && i == 1 {
					cv := b.NewValueAux(ir.OpV128Const, ir.V128, int64(c.args[i][0]))
					cv.Aux2 = int64(c.args[i][1])
					vs = append(vs, cv)
					continue
				}
				vs = append(vs, b.NewValueAux(ir.OpParam, at, int64(p)))
				p++
			}
			v := b.NewValueAux(op, res, c.aux, vs...)
			v.Aux2 = c.aux2
			b.SetControls(v)
			funcs = append(funcs, f)
			cases = append(cases, c)
		}
	}
	m := lowertest.Build(t, backend, funcs, nil)
	for i, c := range cases {
		var slots []uint64
		for j, a := range c.args {
			if c.constArg && j == 1 {
				continue
			}
			if at, _ := ir.SIMDSig(c.op); at[j] == ir.V128 {
				slots = append(slots, a[0], a[1])
			} else {
				slots = append(slots, a[0])
			}
		}
		ec, out := m.Run(i, slots...)
		if ec != abi.ExitDone {
			t.Errorf("%s: exit %d", funcs[i].Name, ec)
			continue
		}
		want, ok := ir.EvalSIMD(c.op, c.aux, c.aux2, c.args)
		if !ok {
			t.Fatalf("%v: EvalSIMD does not know it", c.op)
		}
		_, res := ir.SIMDSig(c.op)
		var got ir.Vec
		w := floatLanes(c.op)
		switch res {
		case ir.V128:
			got = ir.Vec{out[0], out[1]}
		case ir.I32, ir.F32:
			got, want = ir.Vec{out[0] & 0xffffffff}, ir.Vec{want[0] & 0xffffffff}
			w = map[ir.Type]int{ir.F32: 4}[res]
			if w == 4 {
				got[1], want[1] = 0x7fc00000, 0x7fc00000 // compare lane 0 only
			}
		default:
			got, want = ir.Vec{out[0]}, ir.Vec{want[0]}
			w = map[ir.Type]int{ir.F64: 8}[res]
		}
		if !sameLanes(w, got, want) {
			t.Errorf("%s (aux %#x %#x) of %x: got %016x %016x, want %016x %016x", funcs[i].Name, c.aux, c.aux2, c.args, got[1], got[0], want[1], want[0])
		}
	}
}
