package x64

import (
	"math"
	"testing"

	"wfxc/ir"
	"wfxc/rt/abi"
)

// countFunc is count(n, acc) = n == 0 ? acc : count(n-1, acc+1) with a
// tail call, plus extra i64 params (to put some on the stack) that are
// passed along rotated and folded into the result at the end.
func countFunc(index, extra int) *ir.Func {
	params := []ir.Type{ir.I64, ir.I64}
	for i := 0; i < extra; i++ {
		params = append(params, ir.I64)
	}
	f := ir.NewFunc("count", index, params, []ir.Type{ir.I64, ir.F64, ir.I64, ir.I64})
	b := f.Entry()
	b.Kind = ir.BlockIf
	vm := b.NewValue(ir.OpVMCtx, ir.I64)
	var ps []*ir.Value
	for i, t := range params {
		ps = append(ps, b.NewValueAux(ir.OpParam, t, int64(i)))
	}
	zero := b.NewValueAux(ir.OpConst, ir.I64, 0)
	b.SetControls(b.NewValueAux(ir.OpICmp, ir.I32, int64(ir.CondEq), ps[0], zero))
	done, again := f.NewBlock(ir.BlockReturn), f.NewBlock(ir.BlockTailCall)
	b.AddEdgeTo(done)
	b.AddEdgeTo(again)
	sum := ps[1]
	for _, p := range ps[2:] {
		sum = done.NewValue(ir.OpAdd, ir.I64, done.NewValue(ir.OpMul, ir.I64, sum, done.NewValueAux(ir.OpConst, ir.I64, 3)), p)
	}
	done.SetControls(ps[1], done.NewValueAux(ir.OpConvertS, ir.F64, 0, ps[1]), sum, ps[0])
	one := again.NewValueAux(ir.OpConst, ir.I64, 1)
	ctl := []*ir.Value{vm, again.NewValue(ir.OpSub, ir.I64, ps[0], one), again.NewValue(ir.OpAdd, ir.I64, ps[1], one)}
	if extra > 0 {
		ctl = append(ctl, ps[len(ps)-1])
		ctl = append(ctl, ps[2:len(ps)-1]...)
	}
	again.Aux = int64(index)
	again.SetControls(ctl...)
	return f
}

func countWant(n uint64, extra []uint64) []uint64 {
	k := len(extra)
	rot := append([]uint64(nil), extra...)
	for i := uint64(0); i < n && k > 0; i++ {
		rot = append([]uint64{rot[k-1]}, rot[:k-1]...)
	}
	sum := n
	for _, x := range rot {
		sum = sum*3 + x
	}
	return []uint64{n, math.Float64bits(float64(n)), sum, 0}
}

func TestExec_tailCallConstantStack(t *testing.T) {
	for _, extra := range []int{0, 6} { // 6: four of the params on the stack
		m := build(t, []*ir.Func{countFunc(0, extra)}, nil)
		var ex []uint64
		for i := 0; i < extra; i++ {
			ex = append(ex, uint64(100+i))
		}
		for _, n := range []uint64{0, 5, 1_000_000} { // a million frames would overflow
			ec, out := m.run(0, append([]uint64{n, 0}, ex...)...)
			if ec != abi.ExitDone {
				t.Fatalf("extra %d: count(%d): exit %d trap %d", extra, n, ec, m.trapCode())
			}
			for i, w := range countWant(n, ex) {
				if out[i] != w {
					t.Errorf("extra %d: count(%d) result %d = %#x, want %#x", extra, n, i, out[i], w)
				}
			}
		}
	}
}

// TestExec_tailCallOtherShapes tail-calls functions whose stack params
// differ (a call then a return), imports and funcref records.
func TestExec_tailCallOtherShapes(t *testing.T) {
	// f(x) tail-calls count(x, 0, 1..6): more stack params than f has.
	f := ir.NewFunc("f", 1, []ir.Type{ir.I64}, []ir.Type{ir.I64, ir.F64, ir.I64, ir.I64})
	b := f.Entry()
	b.Kind = ir.BlockTailCall
	b.Aux = 0
	vm := b.NewValue(ir.OpVMCtx, ir.I64)
	x := b.NewValueAux(ir.OpParam, ir.I64, 0)
	ctl := []*ir.Value{vm, x, b.NewValueAux(ir.OpConst, ir.I64, 0)}
	for i := 0; i < 6; i++ {
		ctl = append(ctl, b.NewValueAux(ir.OpConst, ir.I64, int64(100+i)))
	}
	b.SetControls(ctl...)

	// g(x) tail-calls the host import 2: (i64) → i64.
	g := ir.NewFunc("g", 3, []ir.Type{ir.I64}, []ir.Type{ir.I64})
	b = g.Entry()
	b.Kind = ir.BlockTailCallImport
	b.Aux = testImportsOff + 2*16
	vm = b.NewValue(ir.OpVMCtx, ir.I64)
	b.SetControls(vm, b.NewValue(ir.OpAdd, ir.I64, b.NewValueAux(ir.OpParam, ir.I64, 0), b.NewValueAux(ir.OpConst, ir.I64, 1)))
	imp := testImport{params: []ir.Type{ir.I64}, results: []ir.Type{ir.I64}, fn: func(s []uint64) { s[0] *= 10 }}

	// h(x) tail-calls the function of the funcref record at vmctx+2048
	// (set to g's code below).
	h := ir.NewFunc("h", 4, []ir.Type{ir.I64}, []ir.Type{ir.I64})
	b = h.Entry()
	b.Kind = ir.BlockTailCallRef
	vm = b.NewValue(ir.OpVMCtx, ir.I64)
	rec := b.NewValue(ir.OpAdd, ir.I64, vm, b.NewValueAux(ir.OpConst, ir.I64, 2048))
	b.SetControls(rec, b.NewValueAux(ir.OpParam, ir.I64, 0))

	m := build(t, []*ir.Func{countFunc(0, 6), f, g, h}, map[int]testImport{2: imp})
	ec, out := m.run(1, 7)
	w := countWant(7, []uint64{100, 101, 102, 103, 104, 105})
	if ec != abi.ExitDone || out[0] != w[0] || out[1] != w[1] || out[2] != w[2] || out[3] != w[3] {
		t.Errorf("f(7) = exit %d %#x, want %#x", ec, out[:4], w)
	}
	m.check("tail call import", 3, val(50), 4)
	put64(m.vmctx, 2048+abi.FuncRefCode, uint64(m.exec.Addr(m.funcOff[3])))
	put64(m.vmctx, 2048+abi.FuncRefVMCtx, uint64(addr(m.vmctx)))
	m.check("tail call ref", 4, val(90), 8)
}
