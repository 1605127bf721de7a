package lowertest

import (
	"math"
	"testing"

	"wfxc/ir"
	"wfxc/rt/abi"
)

// ReloadFunc(a, b, x) keeps eight ints and two floats live across a call
// to clobberFunc, each read several times before it, after it and in both
// arms of a branch after it: more than the callee-saved registers hold,
// so the allocator spills some and reloads them into free registers for
// runs of uses (lower.Reload), params read where they arrive among them.
func ReloadFunc() *ir.Func {
	f := ir.NewFunc("reload", 0, []ir.Type{ir.I64, ir.I64, ir.F64}, []ir.Type{ir.I64, ir.F64})
	b0 := f.Entry()
	b0.Kind = ir.BlockIf
	k := func(n int64) *ir.Value { return b0.NewValueAux(ir.OpConst, ir.I64, n) }
	kf := func(x float64) *ir.Value { return b0.NewValueAux(ir.OpConst, ir.F64, int64(math.Float64bits(x))) }
	vm := b0.NewValue(ir.OpVMCtx, ir.I64)
	vs := []*ir.Value{b0.NewValueAux(ir.OpParam, ir.I64, 0), b0.NewValueAux(ir.OpParam, ir.I64, 1)}
	x := b0.NewValueAux(ir.OpParam, ir.F64, 2)
	for i := 0; i < 6; i++ {
		vs = append(vs, b0.NewValue(ir.OpAdd, ir.I64, b0.NewValue(ir.OpMul, ir.I64, vs[i], k(int64(i+3))), vs[i+1]))
	}
	s := k(0)
	for _, v := range vs {
		s = b0.NewValue(ir.OpXor, ir.I64, b0.NewValue(ir.OpAdd, ir.I64, s, v), b0.NewValue(ir.OpMul, ir.I64, v, k(5)))
	}
	f1 := b0.NewValue(ir.OpFMul, ir.F64, x, x)
	f2 := b0.NewValue(ir.OpFAdd, ir.F64, x, kf(1.5))
	t := b0.NewValueAux(ir.OpCall, ir.I64, 1, vm, s)
	for _, v := range vs {
		t = b0.NewValue(ir.OpAdd, ir.I64, b0.NewValue(ir.OpMul, ir.I64, t, v), b0.NewValue(ir.OpXor, ir.I64, v, k(9)))
	}
	ff := b0.NewValue(ir.OpFAdd, ir.F64, b0.NewValue(ir.OpFMul, ir.F64, f1, f2), f1)
	b0.SetControls(b0.NewValueAux(ir.OpICmp, ir.I32, int64(ir.CondEq), b0.NewValue(ir.OpAnd, ir.I64, t, k(1)), k(0)))
	then, els := f.NewBlock(ir.BlockReturn), f.NewBlock(ir.BlockReturn)
	b0.AddEdgeTo(then)
	b0.AddEdgeTo(els)
	r := then.NewValue(ir.OpAdd, ir.I64, then.NewValue(ir.OpAdd, ir.I64, t, then.NewValue(ir.OpMul, ir.I64, vs[0], vs[7])), vs[3])
	then.SetControls(r, ff)
	r = els.NewValue(ir.OpXor, ir.I64, els.NewValue(ir.OpXor, ir.I64, t, vs[1]), els.NewValue(ir.OpMul, ir.I64, vs[1], vs[5]))
	els.SetControls(r, els.NewValue(ir.OpFMul, ir.F64, ff, f2))
	return f
}

// reloadWant is what ReloadFunc returns.
func reloadWant(a, b uint64, x float64) (uint64, float64) {
	vs := []uint64{a, b}
	for i := 0; i < 6; i++ {
		vs = append(vs, vs[i]*uint64(i+3)+vs[i+1])
	}
	s := uint64(0)
	for _, v := range vs {
		s = (s + v) ^ v*5
	}
	t := s + 1 // clobberFunc
	for _, v := range vs {
		t = t*v + (v ^ 9)
	}
	f1, f2 := x*x, x+1.5
	ff := f1*f2 + f1
	if t&1 == 0 {
		return t + vs[0]*vs[7] + vs[3], ff
	}
	return t ^ vs[1] ^ vs[1]*vs[5], ff * f2
}

func execReloads(t *testing.T, be *Backend) {
	m := Build(t, be, []*ir.Func{ReloadFunc(), clobberFunc(1)}, nil)
	for _, in := range [][2]uint64{{1, 2}, {3, 2}, {0xfffffffffffffff9, 12345}, {1 << 40, 7}} {
		for _, x := range []float64{0.5, -3.25} {
			wi, wf := reloadWant(in[0], in[1], x)
			ec, out := m.Run(0, in[0], in[1], math.Float64bits(x))
			if ec != abi.ExitDone || out[0] != wi || math.Float64frombits(out[1]) != wf {
				t.Errorf("reload(%#x, %#x, %v) = exit %d, %#x, %v; want %#x, %v", in[0], in[1], x, ec, out[0], math.Float64frombits(out[1]), wi, wf)
			}
		}
	}
}
