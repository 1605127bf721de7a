package x64

// Compares fused into their branch across flag-free code. A block that
// ends "icmp; iadd i, 16; if" (a counted loop's test before its
// increment, as clang emits them) cannot test at the branch: the compare's
// operand may be dead there, its register reused by the add. Such a
// compare still needs no SETcc: it sets the flags where it stands, the
// values between it and the branch are lowered with instructions that
// leave the flags alone (LEA for an add or sub of a constant; constants
// emit nothing), and the branch reads the flags. The edge moves come after
// the branch.

import (
	"github.com/twitchyliquid64/golang-asm/obj/x86"

	"wfxc/ir"
)

// earlyCompares marks the integer compares of f that control their block's
// branch with only constants and adds or subs of a constant after them
// (fn.early), and those adds (fn.lea).
func (e *fn) earlyCompares(f *ir.Func) {
	for _, b := range f.Blocks {
		if b.Kind != ir.BlockIf || len(b.Controls) != 1 {
			continue
		}
		c := b.Controls[0]
		if c.Block != b || c.Uses != 1 || e.fused[c.ID] || (c.Op != ir.OpICmp && c.Op != ir.OpEqz) || testMask(c) != nil {
			continue
		}
		i := len(b.Values) - 1
		for i >= 0 && b.Values[i] != c && (b.Values[i].Op == ir.OpConst || leaable(b.Values[i])) {
			i--
		}
		if i < 0 || b.Values[i] != c {
			continue
		}
		if e.early == nil {
			e.early = make([]bool, f.NumValues())
			e.lea = make([]bool, f.NumValues())
		}
		e.early[c.ID], e.fused[c.ID] = true, true
		for _, v := range b.Values[i+1:] {
			e.lea[v.ID] = v.Op != ir.OpConst
		}
	}
}

// leaable reports whether v is an add or sub of a constant, which LEA
// computes.
func leaable(v *ir.Value) bool {
	if (v.Op != ir.OpAdd && v.Op != ir.OpSub) || !isScalarInt(v.Type) {
		return false
	}
	_, _, ok := leaOperands(v)
	return ok
}

// leaOperands returns x and k of v = x + k.
func leaOperands(v *ir.Value) (*ir.Value, int64, bool) {
	x, y := v.Args[0], v.Args[1]
	if v.Op == ir.OpAdd && x.Op == ir.OpConst {
		x, y = y, x
	}
	if y.Op != ir.OpConst || remat(x) {
		return nil, 0, false
	}
	k := constBits(y)
	if v.Op == ir.OpSub {
		k = -k
	}
	if int64(int32(k)) != k { // a disp32 (a sub of -2^31 is not one)
		return nil, 0, false
	}
	return x, k, true
}

// leaValue lowers an add or sub of a constant marked by earlyCompares
// with LEA (sc1 only).
func (e *fn) leaValue(v *ir.Value) {
	x, k, _ := leaOperands(v)
	d := e.dst(v, sc1)
	e.a.op(pick(v.Type, x86.ALEAL, x86.ALEAQ), memAddr(e.intReg(x, sc1), k), regAddr(d))
	e.commit(v, d)
}
