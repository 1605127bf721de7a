package x64

import (
	"testing"

	"wfxc/ir"
	"wfxc/lower/lowertest"
	"wfxc/rt/abi"
)

// TestExec_stackSwitch runs a round trip between two stacks. A(x) stores x
// in a global and switches to a fresh "fibre" whose context starts B with
// the payload = A's vmctx (which B takes as its own vmctx). B reads the
// global, switches back with payload 2x; A returns payload + x + (2x - x)
// = 4x, with x and a float (x as f64) live across the switch, and 64
// values live on B's side to disturb every register.
func TestExec_stackSwitch(t *testing.T) {
	const (
		ctxMain = 1536 // vmctx offsets of the two control contexts
		ctxFib  = 1560
	)
	a := ir.NewFunc("A", 0, []ir.Type{ir.I64}, []ir.Type{ir.I64})
	{
		b := a.Entry()
		b.Kind = ir.BlockReturn
		vm := b.NewValue(ir.OpVMCtx, ir.I64)
		x := b.NewValueAux(ir.OpParam, ir.I64, 0)
		half := b.NewValueAux(ir.OpConvertS, ir.F64, 0, x) // float live across
		b.NewValueAux(ir.OpGlobalSet, ir.Void, lowertest.GlobalsOff, vm, x)
		store := b.NewValue(ir.OpAdd, ir.I64, vm, b.NewValueAux(ir.OpConst, ir.I64, ctxMain))
		load := b.NewValue(ir.OpAdd, ir.I64, vm, b.NewValueAux(ir.OpConst, ir.I64, ctxFib))
		s := b.NewValue(ir.OpStackSwitch, ir.I64, store, load, vm)
		s.Pos = 321
		f := b.NewValueAux(ir.OpTruncSatS, ir.I64, 0, b.NewValue(ir.OpFAdd, ir.F64, half, half))
		r := b.NewValue(ir.OpAdd, ir.I64, b.NewValue(ir.OpAdd, ir.I64, s, x), b.NewValue(ir.OpSub, ir.I64, f, x))
		b.SetControls(r)
	}
	bf := ir.NewFunc("B", 1, nil, nil)
	{
		b := bf.Entry()
		b.Kind = ir.BlockTrap
		b.Aux = abi.TrapUnreachable
		vm := b.NewValue(ir.OpVMCtx, ir.I64)
		g := b.NewValueAux(ir.OpGlobalGet, ir.I64, lowertest.GlobalsOff, vm)
		var vs []*ir.Value
		for i := 0; i < 64; i++ {
			vs = append(vs, b.NewValue(ir.OpMul, ir.I64, g, b.NewValueAux(ir.OpConst, ir.I64, int64(i+3))))
		}
		sum := vs[0]
		for _, v := range vs[1:] {
			sum = b.NewValue(ir.OpXor, ir.I64, sum, v)
		}
		two := b.NewValue(ir.OpAdd, ir.I64, g, g)
		zero := b.NewValue(ir.OpXor, ir.I64, sum, sum)
		payload := b.NewValue(ir.OpAdd, ir.I64, two, zero)
		store := b.NewValue(ir.OpAdd, ir.I64, vm, b.NewValueAux(ir.OpConst, ir.I64, ctxFib))
		load := b.NewValue(ir.OpAdd, ir.I64, vm, b.NewValueAux(ir.OpConst, ir.I64, ctxMain))
		b.NewValue(ir.OpStackSwitch, ir.I64, store, load, payload)
	}
	m := lowertest.Build(t, backend, []*ir.Func{a, bf}, nil)
	// B's stack: a piece of the native stack mapping above StackLimit.
	fibTop := (uint64(lowertest.Addr(m.Stack)) + 600<<10) &^ 15
	for _, x := range []uint64{5, 1 << 40} {
		lowertest.Put64(m.VMCtx, ctxFib+abi.StackCtxSP, fibTop-8) // as after a call
		lowertest.Put64(m.VMCtx, ctxFib+abi.StackCtxFP, 0)
		lowertest.Put64(m.VMCtx, ctxFib+abi.StackCtxIP, uint64(m.Exec.Addr(m.FuncOff[1])))
		m.Check("stack_switch", 0, lowertest.Val(4*x), x)
	}
	// The resume point of A's switch is a site.
	found := false
	for _, s := range m.Compiled[0].Sites {
		found = found || s.Pos == 321
	}
	if !found {
		t.Errorf("no site for the switch: %+v", m.Compiled[0].Sites)
	}
}
