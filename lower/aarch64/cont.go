package aarch64

// Lowerings for stack switching (DESIGN.md §6), the mirror of x64/cont.go
// (frontend translate_cont.go expands the WasmFX instructions into these
// ops, plain control flow and stack_switch).
//
// A continuation reference (ir.Cont) is the 16-byte fat pointer
// {VMContRef address, revision}. It lives in a vector register (register
// class float) as lane D[0] = address, D[1] = revision, or in two adjacent
// spill slots (the address at the lower one), and travels in the calling
// convention like a float (a V register or two stack slots). The only
// constant is null (both lanes 0). golang-asm has no LDR/STR of a Q
// register: qmove builds those words.
//
// stack_switch on aarch64: a call leaves the return address in X30, not
// on the stack, and SP must stay 16-byte aligned. A control context's SP
// word therefore holds SP-8 of the code that saved it, and the switch
// enters a context with X30 = the word at its SP and SP = that word's
// address + 8 — as if it returned from an x86-64 call. A fresh fibre so
// starts its entry function with SP = top-FibreEntrySP+8 (16-byte aligned)
// and X30 = the fibre-root stub + 1, the word cont.new stored there, and
// fibre_root's unwind rows (CFA = SP + FibreRootCFA) hold as on x86-64. At
// a suspension point X30 is dead (every function keeps its own return
// address in its frame record), so the word below SP it reads is harmless.

import (
	"slices"

	"github.com/twitchyliquid64/golang-asm/obj"
	"github.com/twitchyliquid64/golang-asm/obj/arm64"

	"wfxc/ir"
	"wfxc/lower"
	"wfxc/rt/abi"
)

// stackWords is the number of 8-byte stack slots a value of type t takes
// as a stack argument or result.
func stackWords(t ir.Type) int {
	if t.Size() == 16 {
		return 2
	}
	return 1
}

// inVReg reports whether values of type t live in FP/SIMD registers:
// floats and 16-byte values.
func inVReg(t ir.Type) bool { return isFloat(t) || t.Size() == 16 }

// qmove loads (load) or stores the 128-bit register of FP register f at
// off(base): LDR/STR Q with a scaled 12-bit offset, LDUR/STUR with a
// signed 9-bit one, or through X27 for other offsets.
func (a *asm) qmove(load bool, f, base int16, off int64) {
	rt, rn := uint32(f&31), uint32(base&31)
	var w uint32
	switch {
	case off >= 0 && off%16 == 0 && off < 16*4096:
		w = 0x3d800000 | uint32(off/16)<<10 | rn<<5 | rt // STR Qt, [Xn, #off]
	case off >= -256 && off < 256:
		w = 0x3c800000 | (uint32(off)&0x1ff)<<12 | rn<<5 | rt // STUR Qt, [Xn, #off]
	default:
		a.op3(arm64.AADD, immAddr(off), base, regAddr(arm64.REGTMP))
		a.qmove(load, f, arm64.REGTMP, 0)
		return
	}
	if load {
		w |= 0x00400000 // LDR, LDUR
	}
	a.Add(&obj.Prog{As: arm64.AWORD, To: immAddr(int64(w))})
}

// qaddr splits a memory operand into base and offset for qmove.
func qaddr(m obj.Addr) (int16, int64) { return m.Reg, m.Offset }

// laneD is the operand Vn.D[i] (golang-asm's element register).
func laneD(f int16, i int16) obj.Addr {
	return obj.Addr{Type: obj.TYPE_REG, Reg: arm64.REG_ELEM + (f & 31) + (arm64.ARNG_D&15)<<5, Index: i}
}

// isAddrRemat reports the values that get no register: addresses
// recomputed at each use (materializeAddr) — the ectx, the frame area, a
// function's code and the fibre-root return address.
func isAddrRemat(v *ir.Value) bool {
	return v.Op == ir.OpECtx || v.Op == ir.OpFrameArea || v.Op == ir.OpFuncAddr || v.Op == ir.OpFibreRoot
}

// materializeAddr computes an isAddrRemat value into general register r.
func (e *fn) materializeAddr(v *ir.Value, r int16) {
	a := e.a
	switch v.Op {
	case ir.OpECtx:
		a.op(arm64.AMOVD, regAddr(rEctx), regAddr(r))
	case ir.OpFrameArea: // the outgoing area starts at SP (compileFunc reserves it)
		if v.Aux2 == 0 {
			a.op(arm64.AMOVD, regAddr(rSP), regAddr(r))
		} else {
			a.op3(arm64.AADD, immAddr(v.Aux2), rSP, regAddr(r))
		}
	case ir.OpFuncAddr:
		a.adr(a.ExternAddr(lower.TargetFunc, int(v.Aux)), r)
	case ir.OpFibreRoot: // one past the stub's start, inside its unwind rows
		a.adr(a.ExternAddr(lower.TargetRuntime, lower.RuntimeFibreRoot), r)
		a.op3(arm64.AADD, immAddr(1), r, regAddr(r))
	}
}

// rematAddr emits nothing for the isAddrRemat values: every use computes
// them (materializeAddr), or addresses through their register directly
// (rawBase).
func (e *fn) rematAddr(*ir.Value, *lowering) error { return nil }

// rawBase is the memory operand of a raw access at x + off: through X21
// or SP directly when x is the ectx or the frame area.
func (e *fn) rawBase(x *ir.Value, off int64) obj.Addr {
	switch x.Op {
	case ir.OpECtx:
		return memAddr(rEctx, off)
	case ir.OpFrameArea:
		return memAddr(rSP, x.Aux2+off)
	}
	return memAddr(e.intReg(x, sc0), off)
}

// rawMov is the MOV of a raw load or store of type t (0 for 16-byte
// values, which qmove moves), and whether the value is in a V register.
func rawMov(t ir.Type, load bool) (obj.As, bool) {
	switch t {
	case ir.I32:
		if load {
			return arm64.AMOVWU, false
		}
		return arm64.AMOVW, false
	case ir.F32:
		return arm64.AFMOVS, true
	case ir.F64:
		return arm64.AFMOVD, true
	case ir.Cont, ir.V128:
		return 0, true
	}
	return arm64.AMOVD, false
}

// loadRaw loads a runtime record field: Type-wide from [arg0 + Aux].
func (e *fn) loadRaw(v *ir.Value, _ *lowering) error {
	m := e.rawBase(v.Args[0], v.Aux)
	mov, vr := rawMov(v.Type, true)
	d := e.dst(v, sc1)
	if vr {
		d = e.dst(v, fsc1)
	}
	if mov == 0 {
		e.a.qmove(true, d, m.Reg, m.Offset)
	} else {
		e.a.op(mov, m, regAddr(d))
	}
	e.commit(v, d)
	return nil
}

// storeRaw stores arg1 into a runtime record field at [arg0 + Aux].
func (e *fn) storeRaw(v *ir.Value, _ *lowering) error {
	x := v.Args[1]
	mov, vr := rawMov(x.Type, false)
	var r int16
	switch {
	case vr:
		r = e.floatReg(x, fsc1)
	case x.Op == ir.OpConst && constBits(x) == 0:
		r = rZR
	default:
		r = e.intReg(x, sc1)
	}
	m := e.rawBase(v.Args[0], v.Aux)
	if mov == 0 {
		e.a.qmove(false, r, m.Reg, m.Offset)
		return nil
	}
	e.a.op(mov, regAddr(r), m)
	return nil
}

// contMake builds a continuation reference from its address (lane 0) and
// revision (lane 1).
func (e *fn) contMake(v *ir.Value, _ *lowering) error {
	a := e.a
	ptr, rev := v.Args[0], v.Args[1]
	if l := e.loc(v); l.Kind == lower.LocStack {
		// Straight into the two slots.
		m := e.slotAddr(l)
		a.stp(arm64.ASTP, e.intReg(ptr, sc0), e.intReg(rev, sc1), m.Reg, m.Offset, 0)
		return nil
	}
	p, r := e.intReg(ptr, sc0), e.intReg(rev, sc1)
	d := e.dst(v, fsc1)
	a.op(arm64.AFMOVD, regAddr(p), regAddr(d)) // zeroes lane 1
	a.op(arm64.AVMOV, regAddr(r), laneD(d, 1))
	e.commit(v, d)
	return nil
}

// contPart lowers cont_ptr and cont_rev: lane 0 or 1 of a continuation
// reference, read from its slot when it is spilled.
func (e *fn) contPart(v *ir.Value, _ *lowering) error {
	a := e.a
	x := v.Args[0]
	lane := int16(0)
	if v.Op == ir.OpContRev {
		lane = 1
	}
	d := e.dst(v, sc1)
	switch l := e.loc(x); l.Kind {
	case lower.LocReg:
		if lane == 0 {
			a.op(arm64.AFMOVD, regAddr(asmReg(l.Reg)), regAddr(d))
		} else {
			a.op(arm64.AVMOV, laneD(asmReg(l.Reg), 1), regAddr(d))
		}
	case lower.LocRemat: // null
		a.op(arm64.AMOVD, regAddr(rZR), regAddr(d))
	default:
		m := e.slotAddr(l)
		m.Offset += 8 * int64(lane)
		a.op(arm64.AMOVD, m, regAddr(d))
	}
	e.commit(v, d)
	return nil
}

// contTable lowers table_get and table_set of a continuation table, whose
// elements are 16 bytes: X16 holds the base and X17 the checked index.
func (e *fn) contTable(v *ir.Value) error {
	a := e.a
	a.op3(arm64.AADD, shiftedReg(sc1, 4), sc0, regAddr(sc2))
	if v.Op == ir.OpTableGet {
		d := e.dst(v, fsc1)
		a.qmove(true, d, sc2, 0)
		e.commit(v, d)
		return nil
	}
	a.qmove(false, e.floatReg(v.Args[2], fsc1), sc2, 0)
	return nil
}

// stackSwitch lowers stack_switch store_ctx, load_ctx, payload [, who,
// kind] (DESIGN.md §6, as x64/ops.go stackSwitch): both pointers refer to
// a control context {SP-8 @StackCtxSP, FP @StackCtxFP, IP @StackCtxIP},
// and they never alias (ir.OpStackSwitch), so the current words are
// stored (STP of SP-8 and FP) before the target's are loaded (LDP of its
// SP word and FP straight into FP): nine instructions, four for a one-way
// switch. The pointers stay in the registers they are in (any general
// register but the message's, switchMsg); the payload travels in X0 both
// ways, and a message going up (ir.SwitchUp) also has the record it names
// in X1 and its kind in X2 (rt/abi Contract). The allocator has spilled
// every value live across (the op clobbers every register), and the
// function saves all callee-saved registers in its prologue.
func (e *fn) stackSwitch(v *ir.Value, _ *lowering) error {
	a := e.a
	store, load := v.Args[0], v.Args[1]
	lr := switchReg(e.loc(load), 3, -1)
	ms := []lower.Move{e.move(lower.RegLoc(lr), e.loc(load), load)}
	for i, x := range v.Args[2:] {
		ms = append(ms, e.move(lower.RegLoc(switchMsg[i]), e.loc(x), x))
	}
	sr := lower.Reg(-1)
	if v.Aux == 0 { // one way (Aux 1): nothing will switch back here
		sr = switchReg(e.loc(store), 4, lr)
		ms = append(ms, e.move(lower.RegLoc(sr), e.loc(store), store))
	}
	e.moves(ms)
	sd, ld := lower.SwitchDisps(v)
	resume := a.NewLabel()
	if v.Aux == 0 {
		s := asmReg(sr)
		a.adr(a.ProgAddr(resume), sc0)
		a.op3(arm64.ASUB, immAddr(8), rSP, regAddr(sc1)) // the saved SP is SP-8 (see the file comment)
		a.stp(arm64.ASTP, sc1, rFP, s, sd+abi.StackCtxSP, 0)
		a.op(arm64.AMOVD, regAddr(sc0), memAddr(s, sd+abi.StackCtxIP))
	}
	l := asmReg(lr)
	a.ldp(arm64.ALDP, l, ld+abi.StackCtxSP, sc0, rFP, 0)
	a.op(arm64.AMOVD, memAddr(l, ld+abi.StackCtxIP), regAddr(sc1))
	a.op(arm64.AMOVD, memAddr(sc0, 0), regAddr(rLR)) // a fresh fibre's return address
	a.op3(arm64.AADD, immAddr(8), sc0, regAddr(rSP))
	p := a.Add(&obj.Prog{As: arm64.AB, To: obj.Addr{Type: obj.TYPE_MEM, Reg: sc1}})
	a.Place(resume)
	a.Site(resume, false, v.Pos)
	// Exceptions of the stack switched to come back here (the resume
	// point is the root frame's return address): an invoke's handler is
	// keyed by it.
	e.lastCall, e.lastCallValue = p, v
	switch v.Type {
	case ir.Void:
	case ir.Tuple: // a message going up: payload, who, kind
		e.moves(lower.SwitchMsgMoves(v, e.ra, switchMsg, e.loc, e.move))
	default:
		e.commit(v, asmReg(switchMsg[0]))
	}
	return nil
}

// switchMsg are the registers of a stack_switch message: the payload, and
// going up the record it names and its kind (ir.SwitchUp; rt/abi
// Contract.SwitchPayload, SwitchWho, SwitchKind).
var switchMsg = [3]lower.Reg{x0, x0 + 1, x0 + 2}

// switchReg is the register a stack_switch context pointer is used from:
// the general register it is in, unless that is one of the message's
// (switchMsg) or other (the other pointer's), else def (or X5 when def is
// other).
func switchReg(l lower.Loc, def, other lower.Reg) lower.Reg {
	if l.Kind == lower.LocReg && l.Reg < v0 && !slices.Contains(switchMsg[:], l.Reg) && l.Reg != other {
		return l.Reg
	}
	if def == other {
		return 5
	}
	return def
}
