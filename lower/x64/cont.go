package x64

// Lowerings for stack switching (DESIGN.md §6; frontend translate_cont.go
// expands the WasmFX instructions into these ops, plain control flow and
// stack_switch). aarch64/cont.go will mirror this file.
//
// A continuation reference (ir.Cont) is the 16-byte fat pointer
// {VMContRef address, revision}. It lives in an XMM register (register
// class float) as lane 0 = address, lane 1 = revision, or in two adjacent
// spill slots (the address at the lower one), and travels in the calling
// convention like a float (an XMM register or two stack slots). The only
// constant is null (both lanes 0).

import (
	"github.com/twitchyliquid64/golang-asm/obj"
	"github.com/twitchyliquid64/golang-asm/obj/x86"

	"wfxc/ir"
	"wfxc/lower"
)

// inXMM reports whether values of type t live in XMM registers: floats
// and 16-byte values.
func inXMM(t ir.Type) bool { return isFloat(t) || t.Size() == 16 }

// xmov is the move between an XMM register and memory of a value of type
// t (held in an XMM register).
func xmov(t ir.Type) obj.As {
	if t.Size() == 16 {
		return x86.AMOVUPS
	}
	return x86.AMOVSD
}

// stackWords is the number of 8-byte stack slots a value of type t takes
// as a stack argument or result.
func stackWords(t ir.Type) int {
	if t.Size() == 16 {
		return 2
	}
	return 1
}

// isAddrRemat reports the values that get no register: addresses
// recomputed by one instruction at each use (materializeAddr) — the ectx,
// the frame area and a function's code.
func isAddrRemat(v *ir.Value) bool {
	return v.Op == ir.OpECtx || v.Op == ir.OpFrameArea || v.Op == ir.OpFuncAddr || v.Op == ir.OpFibreRoot
}

// materializeAddr computes an isAddrRemat value into general register r.
func (e *fn) materializeAddr(v *ir.Value, r int16) {
	switch v.Op {
	case ir.OpECtx:
		e.a.op(x86.AMOVQ, regAddr(x86.REG_R15), regAddr(r))
	case ir.OpFrameArea: // the outgoing area starts at RSP (compileFunc reserves it)
		e.a.op(x86.ALEAQ, memAddr(x86.REG_SP, v.Aux2), regAddr(r))
	case ir.OpFuncAddr:
		e.a.op(x86.ALEAQ, e.a.ExternAddr(lower.TargetFunc, int(v.Aux)), regAddr(r))
	case ir.OpFibreRoot: // one past the stub's start, inside its unwind rows
		e.a.op(x86.ALEAQ, e.a.ExternAddr(lower.TargetRuntime, lower.RuntimeFibreRoot), regAddr(r))
		e.a.op(x86.ALEAQ, memAddr(r, 1), regAddr(r))
	}
}

// placed emits nothing for the isAddrRemat values: every use computes
// them (materializeAddr), or addresses through their register directly
// (rawBase).
func (e *fn) rematAddr(*ir.Value, *lowering) error { return nil }

// rawBase is the memory operand of a raw access at x + off: through R15
// or RSP directly when x is the ectx or the frame area.
func (e *fn) rawBase(x *ir.Value, off int64) obj.Addr {
	switch x.Op {
	case ir.OpECtx:
		return memAddr(x86.REG_R15, off)
	case ir.OpFrameArea:
		return memAddr(x86.REG_SP, x.Aux2+off)
	}
	return memAddr(e.intReg(x, sc0), off)
}

// rawMov is the MOV of a raw load or store of type t, and whether the
// value is in an XMM register.
func rawMov(t ir.Type) (obj.As, bool) {
	switch t {
	case ir.I32:
		return x86.AMOVL, false // zero-extends on loads
	case ir.F32:
		return x86.AMOVSS, true
	case ir.F64:
		return x86.AMOVSD, true
	case ir.Cont, ir.V128:
		return x86.AMOVUPS, true
	}
	return x86.AMOVQ, false
}

// loadRaw loads a runtime record field: Type-wide from [arg0 + Aux].
func (e *fn) loadRaw(v *ir.Value, _ *lowering) error {
	m := e.rawBase(v.Args[0], v.Aux)
	mov, xmm := rawMov(v.Type)
	d := e.dst(v, sc1)
	if xmm {
		d = e.dst(v, fsc1)
	}
	e.a.op(mov, m, regAddr(d))
	e.commit(v, d)
	return nil
}

// storeRaw stores arg1 into a runtime record field at [arg0 + Aux].
func (e *fn) storeRaw(v *ir.Value, _ *lowering) error {
	x := v.Args[1]
	mov, xmm := rawMov(x.Type)
	if x.Op == ir.OpConst && !xmm && int64(int32(constBits(x))) == constBits(x) {
		e.a.op(mov, immAddr(constBits(x)), e.rawBase(v.Args[0], v.Aux))
		return nil
	}
	var r int16
	if xmm {
		r = e.floatReg(x, fsc1)
	} else {
		r = e.intReg(x, sc1)
	}
	e.a.op(mov, regAddr(r), e.rawBase(v.Args[0], v.Aux))
	return nil
}

// contMake builds a continuation reference from its address (lane 0) and
// revision (lane 1).
func (e *fn) contMake(v *ir.Value, _ *lowering) error {
	a := e.a
	ptr, rev := v.Args[0], v.Args[1]
	// Built in a register even for a spilled reference: its slots are
	// read 16 bytes at a time (a table store, a move), and a 16-byte load
	// of two 8-byte stores cannot be forwarded from the store buffer
	// (a stall of about a dozen cycles, measured in cont.new + cont.bind).
	d := e.dst(v, fsc1)
	p, r := e.intReg(ptr, sc0), e.intReg(rev, sc1)
	a.op(x86.AMOVQ, regAddr(p), regAddr(d)) // zeroes lane 1
	a.op3(x86.APINSRQ, immAddr(1), regAddr(r), regAddr(d))
	e.commit(v, d)
	return nil
}

// contPart lowers cont_ptr and cont_rev: lane 0 or 1 of a continuation
// reference, read from its slot when it is spilled.
func (e *fn) contPart(v *ir.Value, _ *lowering) error {
	a := e.a
	x := v.Args[0]
	lane := int64(0)
	if v.Op == ir.OpContRev {
		lane = 1
	}
	d := e.dst(v, sc1)
	switch l := e.loc(x); l.Kind {
	case lower.LocReg:
		if lane == 0 {
			a.op(x86.AMOVQ, regAddr(asmReg(l.Reg)), regAddr(d))
		} else {
			a.op3(x86.APEXTRQ, immAddr(1), regAddr(asmReg(l.Reg)), regAddr(d))
		}
	case lower.LocRemat: // null
		a.op(x86.AXORL, regAddr(d), regAddr(d))
	default:
		m := e.slotAddr(l)
		m.Offset += 8 * lane
		a.op(x86.AMOVQ, m, regAddr(d))
	}
	e.commit(v, d)
	return nil
}

// contTable lowers table_get and table_set of a continuation table, whose
// elements are 16 bytes: elem is the 8-byte element addressing of table(),
// base in R10 and the checked index in R11.
func (e *fn) contTable(v *ir.Value, elem obj.Addr) error {
	a := e.a
	a.op(x86.ASHLQ, immAddr(4), regAddr(sc1))
	elem.Scale = 1
	if v.Op == ir.OpTableGet {
		d := e.dst(v, fsc1)
		a.op(x86.AMOVUPS, elem, regAddr(d))
		e.commit(v, d)
		return nil
	}
	a.op(x86.AMOVUPS, regAddr(e.floatReg(v.Args[2], fsc1)), elem)
	return nil
}
