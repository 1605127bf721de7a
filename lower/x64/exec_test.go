package x64

import (
	"testing"

	"wfxc/ir"
	"wfxc/rt/abi"
)

// sumFunc builds sum(n) = 1 + 2 + … + n with a loop and phis.
func sumFunc() *ir.Func {
	f := ir.NewFunc("sum", 0, []ir.Type{ir.I32}, []ir.Type{ir.I32})
	b0 := f.Entry()
	n := b0.NewValueAux(ir.OpParam, ir.I32, 0)
	zero := b0.NewValueAux(ir.OpConst, ir.I32, 0)
	one := b0.NewValueAux(ir.OpConst, ir.I32, 1)
	hdr := f.NewBlock(ir.BlockIf)
	body := f.NewBlock(ir.BlockPlain)
	exit := f.NewBlock(ir.BlockReturn)
	b0.AddEdgeTo(hdr)
	i := hdr.InsertPhi(ir.I32)
	s := hdr.InsertPhi(ir.I32)
	cmp := hdr.NewValueAux(ir.OpICmp, ir.I32, int64(ir.CondLeS), i, n)
	hdr.SetControls(cmp)
	hdr.Loop = true
	hdr.AddEdgeTo(body)
	hdr.AddEdgeTo(exit)
	s2 := body.NewValue(ir.OpAdd, ir.I32, s, i)
	i2 := body.NewValue(ir.OpAdd, ir.I32, i, one)
	body.AddEdgeTo(hdr)
	i.AddArg(one)
	i.AddArg(i2)
	s.AddArg(zero)
	s.AddArg(s2)
	exit.SetControls(s)
	return f
}

func TestExec_sum(t *testing.T) {
	m := build(t, []*ir.Func{sumFunc()}, nil)
	for _, tc := range []struct{ n, want uint64 }{{0, 0}, {1, 1}, {10, 55}, {1000, 500500}} {
		ec, out := m.run(0, tc.n)
		if ec != abi.ExitDone || out[0] != tc.want {
			t.Errorf("sum(%d) = %d (exit %d), want %d", tc.n, out[0], ec, tc.want)
		}
	}
}

// facFunc builds fac(n) = n <= 1 ? 1 : n * fac(n-1) over i64, recursively.
func facFunc(index int) *ir.Func {
	f := ir.NewFunc("fac", index, []ir.Type{ir.I64}, []ir.Type{ir.I64})
	b0 := f.Entry()
	vm := b0.NewValue(ir.OpVMCtx, ir.I64)
	n := b0.NewValueAux(ir.OpParam, ir.I64, 0)
	one := b0.NewValueAux(ir.OpConst, ir.I64, 1)
	c := b0.NewValueAux(ir.OpICmp, ir.I32, int64(ir.CondLeS), n, one)
	b0.Kind = ir.BlockIf
	b0.SetControls(c)
	base := f.NewBlock(ir.BlockReturn)
	rec := f.NewBlock(ir.BlockReturn)
	b0.AddEdgeTo(base)
	b0.AddEdgeTo(rec)
	base.SetControls(one)
	n1 := rec.NewValue(ir.OpSub, ir.I64, n, one)
	r := rec.NewValueAux(ir.OpCall, ir.I64, int64(index), vm, n1)
	p := rec.NewValue(ir.OpMul, ir.I64, n, r)
	rec.SetControls(p)
	return f
}

func TestExec_fac(t *testing.T) {
	m := build(t, []*ir.Func{facFunc(0)}, nil)
	want := uint64(1)
	for n := uint64(0); n <= 20; n++ {
		if n > 0 {
			want *= n
		}
		ec, out := m.run(0, n)
		if ec != abi.ExitDone || out[0] != want {
			t.Errorf("fac(%d) = %d (exit %d), want %d", n, out[0], ec, want)
		}
	}
}

func TestExec_stackOverflow(t *testing.T) {
	// f(n) = f(n+1) + 1: unbounded recursion.
	f := ir.NewFunc("inf", 0, []ir.Type{ir.I64}, []ir.Type{ir.I64})
	b := f.Entry()
	b.Kind = ir.BlockReturn
	vm := b.NewValue(ir.OpVMCtx, ir.I64)
	n := b.NewValueAux(ir.OpParam, ir.I64, 0)
	one := b.NewValueAux(ir.OpConst, ir.I64, 1)
	n1 := b.NewValue(ir.OpAdd, ir.I64, n, one)
	r := b.NewValueAux(ir.OpCall, ir.I64, 0, vm, n1)
	r.Pos = 77
	s := b.NewValue(ir.OpAdd, ir.I64, r, one)
	b.SetControls(s)
	m := build(t, []*ir.Func{f}, nil)
	ec, _ := m.run(0, 0)
	if ec != abi.ExitTrap || m.trapCode() != abi.TrapStackOverflow {
		t.Fatalf("exit %d trap %d, want exit %d trap %d", ec, m.trapCode(), abi.ExitTrap, abi.TrapStackOverflow)
	}
	// Running again after a trap works (fresh native stack).
	ec, _ = m.run(0, 0)
	if ec != abi.ExitTrap {
		t.Fatalf("second run: exit %d", ec)
	}
}
