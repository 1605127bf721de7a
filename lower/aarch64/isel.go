package aarch64

// Instruction selection and emission for one wasm function, the mirror of
// x64/isel.go. The values are lowered in the allocator's block order
// straight to golang-asm Progs: each lowering reads its operands from their
// allocated locations (loading a spilled or constant operand into a scratch
// register), computes, and writes its result to its location, staging it
// in a scratch register when the value is spilled or when the destination
// register aliases an operand that is read later. Block ends become
// parallel moves into successor phis on each edge, then branches; a compare
// whose only use is the branch right after it is fused into the branch.
//
// Frame (FP-relative, growing down; below FP as lower.LayoutFrame lays it
// out, with 8-byte words and 16-byte alignment):
//
//	[FP+16+8k]   incoming stack params, then result slots
//	[FP+8]       return address (saved X30)
//	[FP]         caller's FP
//	[FP-8…]      saved callee-saved registers the function uses
//	             spill slots
//	             two words for call_import's (call_ref's) code and vmctx
//	[SP…]        outgoing stack args, then their result slots; the
//	             argument buffer of libcalls
//
// SP is 16-byte aligned at every instruction (AAPCS64 checks it on every
// SP-relative access on some cores).

import (
	"fmt"

	"github.com/twitchyliquid64/golang-asm/obj"
	"github.com/twitchyliquid64/golang-asm/obj/arm64"

	"wfxc/ir"
	"wfxc/lower"
	"wfxc/rt/abi"
)

// xSP stands for SP as the base of a lower.LocMem (X31 is never
// allocated; asmBase maps it).
const xSP lower.Reg = 31

type trapStub struct {
	label, site *obj.Prog
	code        int64
	codeFrom    *ir.Value // trap code held by this value (trapnz) instead of code
	pos         int32
}

type pollStub struct {
	label, back *obj.Prog
	pos         int32
	check       bool // the inline part only tested a counter: check G out of line (lower.IVPolls)
}

type fn struct {
	f      *ir.Func
	a      *asm
	ra     *lower.Allocation
	sig    signature
	fused  []bool
	labels []*obj.Prog

	frame lower.Frame // call word 0 holds call_import's (call_ref's) code, word 1 the callee vmctx

	traps   []trapStub
	polls   []pollStub
	ivPolls map[int32]lower.IVPoll // loop polls that test an induction variable (lower.IVPolls)

	// at is the position of the instruction being lowered, at which loc
	// reads locations (lower.Allocation.LocAt), or -1 between them;
	// reloaded counts the allocator's reloads emitted so far.
	at       int32
	reloaded int

	checks map[int32]int64 // bounds-check ends that differ from the plain one (lower.BoundsChecks)

	// Exceptions (exn.go): the last call emitted and the value it lowers,
	// the invoke sites, and the frame word holding the vmctx (with invokes).
	lastCall      *obj.Prog
	lastCallValue *ir.Value
	invokes       []invokeSite
	vmctxWord     int
	hasInvoke     bool
}

var errInvokeCall = fmt.Errorf("invoke block does not end with a call")

// CompileFunc compiles one wasm function.
func CompileFunc(f *ir.Func) (c *lower.Compiled, err error) {
	defer func() {
		// Malformed IR that slipped past the checks below must not crash
		// the compiler.
		if r := recover(); r != nil {
			c, err = nil, fmt.Errorf("function %d (%s): internal error: %v", f.Index, f.Name, r)
		}
	}()
	c, err = compileFunc(f)
	if err != nil {
		return nil, fmt.Errorf("function %d (%s): %w", f.Index, f.Name, err)
	}
	return c, nil
}

func compileFunc(f *ir.Func) (*lower.Compiled, error) {
	sig, err := makeSignature(f.Params, f.Results)
	if err != nil {
		return nil, err
	}
	e := &fn{f: f, a: newAsm(), sig: sig, fused: make([]bool, f.NumValues()), labels: make([]*obj.Prog, f.NumBlocks()), at: -1}
	outBytes := int64(0)
	hasImport, hasSwitch := false, false
	for _, b := range f.Blocks {
		for _, v := range b.Values {
			if v.Op >= ir.NumOps {
				return nil, fmt.Errorf("value v%d: unknown op %d", v.ID, v.Op)
			}
			if l := &lowerings[v.Op]; l.emit == nil {
				return nil, fmt.Errorf("value v%d: op %v not supported by the aarch64 back end: %s", v.ID, v.Op, l.unsupported)
			}
			switch v.Op {
			case ir.OpStackSwitch:
				hasSwitch = true
			case ir.OpCall, ir.OpCallImport, ir.OpCallRef:
				s, err := e.callSig(v)
				if err != nil {
					return nil, fmt.Errorf("value v%d: %w", v.ID, err)
				}
				outBytes = max(outBytes, s.outBytes())
				hasImport = hasImport || v.Op != ir.OpCall
			case ir.OpLibcall, ir.OpRefFunc, ir.OpTableGetFunc, ir.OpFuncTypeCheck:
				// The libcall argument buffer is the outgoing area.
				outBytes = max(outBytes, 8*int64(max(len(v.Args), 2)))
			case ir.OpThrow:
				outBytes = max(outBytes, 8*int64(throwArgSlots+len(payloadSlots(v.Args[1:]))))
			case ir.OpFrameArea:
				outBytes = max(outBytes, v.Aux)
			}
			if n := ir.Ops[v.Op].Args; n >= 0 && len(v.Args) != n || n < 0 && v.Op != ir.OpPhi && len(v.Args) == 0 {
				return nil, fmt.Errorf("value v%d (%v): %d args", v.ID, v.Op, len(v.Args))
			}
		}
		if n, ok := succCount[b.Kind]; ok && len(b.Succs) != n || b.Kind == ir.BlockSwitch && (len(b.Succs) == 0 || len(b.Controls) != 1) ||
			b.Kind == ir.BlockIf && len(b.Controls) != 1 {
			return nil, fmt.Errorf("block b%d: %v block with %d successors and %d controls", b.ID, b.Kind, len(b.Succs), len(b.Controls))
		}
		if b.Kind == ir.BlockInvoke {
			e.hasInvoke = true
		}
		if _, ok := tailKinds[b.Kind]; ok {
			if len(b.Controls) == 0 {
				return nil, fmt.Errorf("block b%d: %v without controls", b.ID, b.Kind)
			}
			s, err := e.tailSig(b)
			if err != nil {
				return nil, fmt.Errorf("block b%d: %w", b.ID, err)
			}
			outBytes = max(outBytes, s.outBytes())
			hasImport = hasImport || b.Kind != ir.BlockTailCall
		}
		if b.Kind == ir.BlockIf && len(b.Controls) == 1 {
			if c := b.Controls[0]; c.Block == b && c.Uses == 1 && b.Values[len(b.Values)-1] == c && fusable(c) {
				e.fused[c.ID] = true
			}
		}
	}
	e.ivPolls = lower.IVPolls(f, func(t ir.Type) int { return t.Size() * 8 })
	hints := e.hints()
	cfg := &lower.Config{
		Regs:     allocatable, // backend.go
		Class:    regClass,
		Clobbers: clobbers,
		NoReg: func(v *ir.Value) (lower.LocKind, bool) {
			if v.Op == ir.OpConst || isAddrRemat(v) {
				return lower.LocRemat, true
			}
			if e.fused[v.ID] {
				return lower.LocNone, true
			}
			return 0, false
		},
		Hint: func(v *ir.Value) lower.Reg {
			if r, ok := hints[v.ID]; ok {
				return r
			}
			return -1
		},
		Incoming: e.incoming,
	}
	for _, r := range calleeSaved {
		cfg.CalleeSaved |= 1 << uint(r)
	}
	if e.hasInvoke {
		cfg.InMemory = padLiveIn(f) // exn.go
	}
	ra, err := lower.Allocate(f, cfg)
	if err != nil {
		return nil, err
	}
	e.ra = ra
	e.checks = lower.BoundsChecks(f)
	spec := lower.FrameSpec{
		Word: 8, Align: 16, CalleeSaved: calleeSaved, OutBytes: outBytes,
		// Across a stack switch the other stack's code changes every
		// register, so such a function saves all of the caller's; so does
		// one with invokes, whose landing path restores no register
		// (exn.go).
		SaveAll:  hasSwitch || e.hasInvoke,
		SaveNone: f.Root,
	}
	if hasImport {
		spec.CallWords = 2
	}
	if e.hasInvoke {
		e.vmctxWord = spec.CallWords
		spec.CallWords++
	}
	e.frame = lower.LayoutFrame(ra, spec)

	for _, b := range ra.Order {
		e.labels[b.ID] = e.a.NewLabel()
	}
	if err := e.prologue(); err != nil {
		return nil, err
	}
	for i, b := range ra.Order {
		var next *ir.Block
		if i+1 < len(ra.Order) {
			next = ra.Order[i+1]
		}
		e.a.Place(e.labels[b.ID])
		for _, v := range b.Values {
			// Reloads before the line label: one right after the
			// previous value can copy the register it stored from.
			e.reloadAt(ra.Pos[v.ID])
			if v.Pos >= 0 {
				l := e.a.NewLabel()
				e.a.Place(l)
				e.a.Line(l, v.Pos)
			}
			if err := e.value(v); err != nil {
				return nil, fmt.Errorf("value v%d (%v): %w", v.ID, v.Op, err)
			}
		}
		e.reloadAt(ra.TermPos(b))
		if err := e.terminator(b, next); err != nil {
			return nil, fmt.Errorf("block b%d: %w", b.ID, err)
		}
		e.at = -1
	}
	e.stubs()
	c, err := e.a.Assemble(f.Name)
	if err != nil {
		return nil, err
	}
	c.Handlers = e.handlers()
	return c, nil
}

// hints picks a preferred register for values that meet a fixed register
// (ABI locations), so the moves into and out of it disappear when that
// register is free. The first preference wins.
func (e *fn) hints() map[int32]lower.Reg {
	h := map[int32]lower.Reg{}
	want := func(v *ir.Value, r lower.Reg) {
		if _, ok := h[v.ID]; !ok && r >= 0 && v.Op != ir.OpConst {
			h[v.ID] = r
		}
	}
	for _, v := range e.f.Entry().Values {
		switch v.Op {
		case ir.OpVMCtx:
			want(v, x0)
		case ir.OpParam:
			if v.Aux >= 0 && int(v.Aux) < len(e.sig.params) {
				want(v, e.sig.params[v.Aux].Reg)
			}
		}
	}
	for _, b := range e.f.Blocks {
		for _, v := range b.Values {
			switch v.Op {
			case ir.OpCall, ir.OpCallImport, ir.OpCallRef:
				s, err := e.callSig(v)
				if err != nil {
					continue
				}
				if v.Op == ir.OpCall {
					want(v.Args[0], x0)
				}
				for i, x := range v.Args[1:] {
					want(x, s.params[i].Reg)
				}
				if v.Type != ir.Void && v.Type != ir.Tuple && len(s.results) > 0 {
					want(v, s.results[0].Reg)
				}
			case ir.OpResult:
				if c := v.Args[0]; c.Op == ir.OpStackSwitch {
					if v.Aux >= 0 && int(v.Aux) < len(switchMsg) {
						want(v, switchMsg[v.Aux])
					}
				} else if s, err := e.callSig(c); err == nil && v.Aux >= 0 && int(v.Aux) < len(s.results) {
					want(v, s.results[v.Aux].Reg)
				}
			case ir.OpStackSwitch:
				want(v.Args[0], 4)
				want(v.Args[1], 3)
				for i, x := range v.Args[2:] {
					want(x, switchMsg[i])
				}
				if v.Type == ir.I64 {
					want(v, switchMsg[0])
				}
			}
		}
		if b.Kind == ir.BlockReturn && len(b.Controls) == len(e.sig.results) {
			for i, v := range b.Controls {
				want(v, e.sig.results[i].Reg)
			}
		}
		if op, ok := tailKinds[b.Kind]; ok && len(b.Controls) > 0 {
			if s, err := e.tailSig(b); err == nil {
				if op == ir.OpCall {
					want(b.Controls[0], x0)
				}
				for i, x := range b.Controls[1:] {
					want(x, s.params[i].Reg)
				}
			}
		}
	}
	return h
}

// succCount is the successor count of each block kind but switch.
var succCount = map[ir.BlockKind]int{ir.BlockPlain: 1, ir.BlockIf: 2, ir.BlockReturn: 0, ir.BlockTrap: 0,
	ir.BlockTailCall: 0, ir.BlockTailCallImport: 0, ir.BlockTailCallRef: 0}

// clobbers says which registers a value's lowering destroys.
func clobbers(v *ir.Value) lower.RegSet {
	switch v.Op {
	case ir.OpCall, ir.OpCallImport, ir.OpCallRef,
		ir.OpLibcall, ir.OpRefFunc, ir.OpTableGetFunc: // these may exit
		return callerSaved
	case ir.OpFuncTypeCheck:
		if v.Aux2 == 1 { // may ask rt about subtyping
			return callerSaved
		}
	case ir.OpStackSwitch:
		return allRegs
	}
	return simdClobbers(v)
}

// allRegs is every general and FP/SIMD register the allocator or the
// emitter uses.
var allRegs = func() lower.RegSet {
	s := callerSaved
	for _, r := range calleeSaved {
		s |= 1 << uint(r)
	}
	return s
}()

// fusable reports compares that can be fused into a conditional branch:
// all of them (aarch64 has a condition for every ordered and unordered
// float compare).
func fusable(v *ir.Value) bool {
	return v.Op == ir.OpICmp || v.Op == ir.OpEqz || v.Op == ir.OpFCmp
}

func (e *fn) callSig(v *ir.Value) (signature, error) {
	params := make([]ir.Type, 0, len(v.Args))
	for _, x := range v.Args[1:] {
		params = append(params, x.Type)
	}
	var results []ir.Type
	switch v.Type {
	case ir.Void:
	case ir.Tuple:
		results = v.Results
	default:
		results = []ir.Type{v.Type}
	}
	return makeSignature(params, results)
}

// incoming returns the register a param or the vmctx arrives in, or -1
// (lower.Config.Incoming).
func (e *fn) incoming(v *ir.Value) lower.Reg {
	switch {
	case v.Op == ir.OpVMCtx:
		return x0
	case v.Op == ir.OpParam && v.Aux >= 0 && int(v.Aux) < len(e.sig.params):
		return e.sig.params[v.Aux].Reg
	}
	return -1
}

// loc returns where the instruction being lowered reads v (or writes it,
// when it defines v).
func (e *fn) loc(v *ir.Value) lower.Loc { return e.ra.LocAt(v, e.at) }

// reloadAt makes p the position being lowered, first loading the spilled
// values the allocator reloads before it into their registers
// (lower.Reload).
// A reload right after the store of its value into the slot copies the
// register stored from instead.
func (e *fn) reloadAt(p int32) {
	for rs := e.ra.Reloads; e.reloaded < len(rs) && rs[e.reloaded].From < p; e.reloaded++ {
		r := rs[e.reloaded]
		slot := e.ra.Loc(r.V)
		if x, ok := e.storedFrom(slot, r.Reg >= v0); ok {
			e.rmov(r.V.Type, x, asmReg(r.Reg))
			continue
		}
		e.emitMove(e.move(lower.RegLoc(r.Reg), slot, r.V))
	}
	e.at = p
}

// storedFrom reports the register the last instruction stored into the
// spill slot l (a MOVD from a general register, or an FMOVD from a
// float one when float): it still holds the slot's value.
func (e *fn) storedFrom(l lower.Loc, float bool) (int16, bool) {
	p, m := e.a.Last(), e.slotAddr(l)
	if p == nil || p.From.Type != obj.TYPE_REG || p.To.Type != obj.TYPE_MEM || p.To.Reg != m.Reg || p.To.Offset != m.Offset ||
		p.To.Index != m.Index || p.To.Name != m.Name || p.To.Sym != m.Sym {
		return 0, false
	}
	x := p.From.Reg
	switch {
	case float && p.As == arm64.AFMOVD:
		return x, isFReg(x)
	case !float && p.As == arm64.AMOVD:
		return x, x >= arm64.REG_R0 && x <= arm64.REG_R30
	}
	return 0, false
}

// asmBase converts the base register of a lower.LocMem.
func asmBase(r lower.Reg) int16 {
	if r == xSP {
		return rSP
	}
	return asmReg(r)
}

// slotAddr returns the memory operand of a stack-like location.
func (e *fn) slotAddr(l lower.Loc) obj.Addr {
	if l.Kind == lower.LocStack {
		return memAddr(rFP, e.frame.SlotOff(l.Slot))
	}
	return memAddr(asmBase(l.Reg), int64(l.Slot))
}

// frameRecord emits STP X29, X30, [SP, #-16]!; MOV X29, SP with its CFI rows.
func frameRecord(a *asm) {
	a.CFIAfter(nil, lower.CFIRow{CFAReg: lower.CFARegSP, CFAOffset: 0})
	p := a.stp(arm64.ASTP, rFP, rLR, rSP, -16, arm64.C_XPRE)
	a.CFIAfter(p, lower.CFIRow{CFAReg: lower.CFARegSP, CFAOffset: 16, FPSaved: true})
	p = a.op(arm64.AMOVD, regAddr(rSP), regAddr(rFP))
	a.CFIAfter(p, lower.CFIRow{CFAReg: lower.CFARegFP, CFAOffset: 16, FPSaved: true})
}

// popFrame emits MOV SP, X29; LDP X29, X30, [SP], #16 with its CFI row,
// leaving SP where it was at the function's entry.
func popFrame(a *asm) {
	a.op(arm64.AMOVD, regAddr(rFP), regAddr(rSP))
	p := a.ldp(arm64.ALDP, rSP, 16, rFP, rLR, arm64.C_XPOST)
	a.CFIAfter(p, lower.CFIRow{CFAReg: lower.CFARegSP, CFAOffset: 0})
}

// prologue emits the frame record, the stack check, the frame allocation,
// callee-saved register saves and the moves of the params into place.
func (e *fn) prologue() error {
	a := e.a
	frameRecord(a)
	// Stack check: SP - frame < ectx.StackLimit → trap (lower.StackCheck).
	if lower.StackCheck(e.f, e.frame.Size) {
		if e.frame.Size > 0 {
			a.op3(arm64.ASUB, immAddr(e.frame.Size), rSP, regAddr(sc1))
		} else {
			a.op(arm64.AMOVD, regAddr(rSP), regAddr(sc1)) // SUB $0 has no encoding in golang-asm
		}
		a.op(arm64.AMOVD, memAddr(rEctx, abi.EctxStackLimit), regAddr(sc0))
		a.cmp(arm64.ACMP, regAddr(sc0), sc1)
		e.trapIf(arm64.ABLO, abi.TrapStackOverflow, -1)
	}
	if e.frame.Size > 0 {
		a.op3(arm64.ASUB, immAddr(e.frame.Size), rSP, regAddr(rSP))
	}
	for i, r := range e.frame.Saved {
		a.op(movOf(r), regAddr(asmReg(r)), memAddr(rFP, e.frame.SavedOff(i)))
	}
	if e.hasInvoke { // where rt finds the instance of a try_table frame
		a.op(arm64.AMOVD, regAddr(arm64.REG_R0), memAddr(rFP, e.frame.CallWordOff(e.vmctxWord)))
	}
	var moves []lower.Move
	for _, v := range e.f.Entry().Values {
		var src lower.Loc
		switch v.Op {
		case ir.OpVMCtx:
			src = lower.RegLoc(x0)
		case ir.OpParam:
			if v.Aux < 0 || int(v.Aux) >= len(e.sig.params) {
				return fmt.Errorf("value v%d: param %d out of range", v.ID, v.Aux)
			}
			src = e.sig.params[v.Aux].loc(xFP, 16)
		default:
			continue
		}
		moves = append(moves, e.move(e.loc(v), src, v))
	}
	e.moves(moves)
	return nil
}

// movOf is the 8-byte move of an allocator register to or from memory.
func movOf(r lower.Reg) obj.As {
	if r >= v0 {
		return arm64.AFMOVD
	}
	return arm64.AMOVD
}

func (e *fn) move(dst, src lower.Loc, v *ir.Value) lower.Move {
	c, _ := regClass(v.Type)
	return lower.Move{Dst: dst, Src: src, V: v, Class: c}
}

// moves emits a parallel move.
func (e *fn) moves(ms []lower.Move) {
	seq := lower.Sequence(ms, [lower.NumClasses]lower.Loc{lower.RegLoc(17), lower.RegLoc(v0 + 31)})
	for _, m := range seq {
		e.emitMove(m)
	}
}

// emitMove emits one move; it uses X16 (V30) for memory-to-memory moves.
// Floats move as their 64 bits, which also carry an f32's; 16-byte values
// as their 128.
func (e *fn) emitMove(m lower.Move) {
	a := e.a
	d, s := m.Dst, m.Src
	t := m.V.Type
	if s.Kind == lower.LocRemat {
		switch {
		case d.Kind == lower.LocReg:
			e.materialize(m.V, asmReg(d.Reg))
		case isAddrRemat(m.V):
			e.materializeAddr(m.V, sc0)
			a.op(arm64.AMOVD, regAddr(sc0), e.slotAddr(d))
		case t.Size() == 16: // only null continuation references are constants
			sa := e.slotAddr(d)
			a.stp(arm64.ASTP, rZR, rZR, sa.Reg, sa.Offset, 0)
		case constBits(m.V) == 0:
			a.op(arm64.AMOVD, regAddr(rZR), e.slotAddr(d))
		default:
			a.op(arm64.AMOVD, immAddr(constBits(m.V)), regAddr(sc0))
			a.op(arm64.AMOVD, regAddr(sc0), e.slotAddr(d))
		}
		return
	}
	switch {
	case d.Kind == lower.LocReg && s.Kind == lower.LocReg:
		e.rmov(t, asmReg(s.Reg), asmReg(d.Reg))
	case d.Kind == lower.LocReg:
		e.ldr(t, e.slotAddr(s), asmReg(d.Reg))
	case s.Kind == lower.LocReg:
		e.str(t, asmReg(s.Reg), e.slotAddr(d))
	case t.Size() == 16:
		e.ldr(t, e.slotAddr(s), fsc0)
		e.str(t, fsc0, e.slotAddr(d))
	default:
		a.op(arm64.AMOVD, e.slotAddr(s), regAddr(sc0))
		a.op(arm64.AMOVD, regAddr(sc0), e.slotAddr(d))
	}
}

// rmov copies register src to dst, both holding a value of type t.
func (e *fn) rmov(t ir.Type, src, dst int16) {
	switch {
	case src == dst:
	case t.Size() == 16:
		e.a.op(arm64.AVMOV, regAddr(arng(src-arm64.REG_F0, arm64.ARNG_16B)), regAddr(arng(dst-arm64.REG_F0, arm64.ARNG_16B)))
	case isFReg(src) || isFReg(dst):
		e.a.op(arm64.AFMOVD, regAddr(src), regAddr(dst))
	default:
		e.a.op(arm64.AMOVD, regAddr(src), regAddr(dst))
	}
}

// ldr loads register r from memory m: 8 bytes, or 16 for a 16-byte t.
func (e *fn) ldr(t ir.Type, m obj.Addr, r int16) {
	switch {
	case t.Size() == 16:
		e.a.qmove(true, r, m.Reg, m.Offset)
	case isFReg(r):
		e.a.op(arm64.AFMOVD, m, regAddr(r))
	default:
		e.a.op(arm64.AMOVD, m, regAddr(r))
	}
}

// str stores register r into memory m: 8 bytes, or 16 for a 16-byte t.
func (e *fn) str(t ir.Type, r int16, m obj.Addr) {
	switch {
	case t.Size() == 16:
		e.a.qmove(false, r, m.Reg, m.Offset)
	case isFReg(r):
		e.a.op(arm64.AFMOVD, regAddr(r), m)
	default:
		e.a.op(arm64.AMOVD, regAddr(r), m)
	}
}

// constBits returns a constant's bits, normalised to its width (i32 and
// f32 zero-extended).
func constBits(v *ir.Value) int64 {
	switch v.Type {
	case ir.I32, ir.F32:
		return int64(uint32(v.Aux))
	}
	return v.Aux
}

// materialize loads constant v into register r (int or float) without
// touching the flags or any allocatable register: a float's bits go
// through X27, which no instruction between the two uses.
func (e *fn) materialize(v *ir.Value, r int16) {
	a := e.a
	if isAddrRemat(v) {
		e.materializeAddr(v, r)
		return
	}
	bits := constBits(v)
	if isFReg(r) {
		switch {
		case bits == 0:
			a.op(arm64.AFMOVD, regAddr(rZR), regAddr(r))
		case v.Type == ir.F32:
			a.op(arm64.AMOVD, immAddr(bits), regAddr(arm64.REGTMP))
			a.op(arm64.AFMOVS, regAddr(arm64.REGTMP), regAddr(r))
		default:
			a.op(arm64.AMOVD, immAddr(bits), regAddr(arm64.REGTMP))
			a.op(arm64.AFMOVD, regAddr(arm64.REGTMP), regAddr(r))
		}
		return
	}
	if bits == 0 {
		a.op(arm64.AMOVD, regAddr(rZR), regAddr(r))
		return
	}
	a.op(arm64.AMOVD, immAddr(bits), regAddr(r))
}

// intReg returns a register holding int value v, loading it into scratch
// if it is not in one.
func (e *fn) intReg(v *ir.Value, scratch int16) int16 { return e.regOf(v, scratch) }

// floatReg is intReg for float (and 16-byte) values.
func (e *fn) floatReg(v *ir.Value, scratch int16) int16 { return e.regOf(v, scratch) }

// regOf returns v's register, or loads v into scratch (from its slot, or
// by materialising a constant or an address).
func (e *fn) regOf(v *ir.Value, scratch int16) int16 {
	l := e.loc(v)
	switch l.Kind {
	case lower.LocReg:
		return asmReg(l.Reg)
	case lower.LocRemat:
		e.materialize(v, scratch)
	default:
		e.ldr(v.Type, e.slotAddr(l), scratch)
	}
	return scratch
}

// loadInto copies v (int or float) into register r.
func (e *fn) loadInto(v *ir.Value, r int16) {
	l := e.loc(v)
	switch l.Kind {
	case lower.LocReg:
		e.rmov(v.Type, asmReg(l.Reg), r)
	case lower.LocRemat:
		e.materialize(v, r)
	default:
		e.ldr(v.Type, e.slotAddr(l), r)
	}
}

// zext32 returns a register holding i32 (or i64) value v zero-extended to
// 64 bits, in scratch unless v is i64 and in a register.
func (e *fn) zext32(v *ir.Value, scratch int16) int16 {
	if wide(v.Type) {
		return e.intReg(v, scratch)
	}
	r := e.intReg(v, scratch)
	e.a.op(arm64.AMOVWU, regAddr(r), regAddr(scratch))
	return scratch
}

// operand returns v as the second operand of an ALU instruction: an
// immediate when it is a constant that fits op's immediate form (imm12
// arithmetic, shifted or not), else a register.
func (e *fn) operand(v *ir.Value, scratch int16, arith bool) obj.Addr {
	if v.Op == ir.OpConst && arith {
		b := constBits(v)
		if b >= 0 && (b < 1<<12 || b&0xfff == 0 && b < 1<<24) {
			return immAddr(b)
		}
	}
	return regAddr(e.intReg(v, scratch))
}

// dst returns the register to compute v into: its own, or scratch when v
// lives on the stack; commit stores scratch back.
func (e *fn) dst(v *ir.Value, scratch int16) int16 {
	if l := e.loc(v); l.Kind == lower.LocReg {
		return asmReg(l.Reg)
	}
	return scratch
}

// commit stores r into v's location when that is not r itself.
func (e *fn) commit(v *ir.Value, r int16) {
	l := e.loc(v)
	switch l.Kind {
	case lower.LocReg:
		e.rmov(v.Type, r, asmReg(l.Reg))
	case lower.LocStack:
		e.str(v.Type, r, e.slotAddr(l))
	}
}

// inReg reports whether v is in register r (golang-asm numbering).
func (e *fn) inReg(v *ir.Value, r int16) bool {
	l := e.loc(v)
	return l.Kind == lower.LocReg && asmReg(l.Reg) == r
}

// trapIf emits a conditional (or B) branch to an out-of-line trap stub
// and returns the stub's label.
func (e *fn) trapIf(as obj.As, code int64, pos int32) *obj.Prog {
	l := e.a.NewLabel()
	p := e.a.Branch(as, l)
	e.traps = append(e.traps, trapStub{label: l, site: p, code: code, pos: pos})
	return l
}

// stubs emits the out-of-line trap and poll paths.
func (e *fn) stubs() {
	a := e.a
	for _, t := range e.traps {
		a.Place(t.label)
		if t.codeFrom != nil {
			e.loadInto(t.codeFrom, arm64.REG_R1) // before X0 is written
		} else {
			a.op(arm64.AMOVD, immAddr(t.code), regAddr(arm64.REG_R1))
		}
		a.adr(a.ProgAddr(t.site), arm64.REG_R0)
		a.CallOut(arm64.AB, lower.TargetRuntime, lower.RuntimeTrap)
		a.Site(t.site, false, t.pos)
	}
	for _, p := range e.polls {
		a.Place(p.label)
		if p.check {
			e.pollCheck()
			a.Branch(arm64.ABNE, p.back)
		}
		c := a.CallOut(arm64.ABL, lower.TargetRuntime, lower.RuntimePollExit)
		a.Site(c, true, p.pos)
		a.Branch(arm64.AB, p.back)
	}
}

// target returns the label to jump to for block b, skipping empty blocks
// that only jump on (without phi moves).
func (e *fn) target(b *ir.Block) *obj.Prog {
	for i := 0; i < 8 && b.Kind == ir.BlockPlain && len(b.Values) == 0 && b.Succs[0] != b && len(e.edgeMoves(b, 0)) == 0; i++ {
		b = b.Succs[0]
	}
	return e.labels[b.ID]
}

// edgeMoves returns the phi moves for the edge from b to its succ i.
func (e *fn) edgeMoves(b *ir.Block, i int) []lower.Move { return lower.EdgeMoves(e.ra, b, i, regClass) }

func (e *fn) terminator(b, next *ir.Block) error {
	a := e.a
	// isNext: falling through to the next block reaches x.
	isNext := func(x *ir.Block) bool { return next != nil && e.target(x) == e.target(next) }
	switch b.Kind {
	case ir.BlockPlain:
		e.moves(e.edgeMoves(b, 0))
		if !isNext(b.Succs[0]) {
			a.Branch(arm64.AB, e.target(b.Succs[0]))
		}
	case ir.BlockIf:
		cond, r := e.branchCond(b.Controls[0])
		branch := func(as obj.As, l *obj.Prog) {
			if r != 0 {
				a.cbz(as, r, l)
			} else {
				a.Branch(as, l)
			}
		}
		tm, fm := e.edgeMoves(b, 0), e.edgeMoves(b, 1)
		t, f := b.Succs[0], b.Succs[1]
		switch {
		case len(tm) == 0 && len(fm) == 0 && isNext(t):
			branch(invert(cond), e.target(f))
		case len(tm) == 0:
			branch(cond, e.target(t))
			e.moves(fm)
			if !isNext(f) {
				a.Branch(arm64.AB, e.target(f))
			}
		case len(fm) == 0:
			branch(invert(cond), e.target(f))
			e.moves(tm)
			if !isNext(t) {
				a.Branch(arm64.AB, e.target(t))
			}
		default:
			l := a.NewLabel()
			branch(cond, l)
			e.moves(fm)
			a.Branch(arm64.AB, e.target(f))
			a.Place(l)
			e.moves(tm)
			if !isNext(t) {
				a.Branch(arm64.AB, e.target(t))
			}
		}
	case ir.BlockSwitch:
		e.switchTerm(b)
	case ir.BlockReturn:
		if len(b.Controls) != len(e.sig.results) {
			return fmt.Errorf("return of %d values, function has %d results", len(b.Controls), len(e.sig.results))
		}
		var ms []lower.Move
		for i, v := range b.Controls {
			ms = append(ms, e.move(e.sig.results[i].loc(xFP, 16), e.loc(v), v))
		}
		e.moves(ms)
		e.epilogue()
	case ir.BlockTrap:
		e.trapIf(arm64.AB, b.Aux, b.Pos)
	case ir.BlockTailCall, ir.BlockTailCallImport, ir.BlockTailCallRef:
		return e.tailCall(b)
	case ir.BlockInvoke:
		return e.invoke(b, next)
	default:
		return fmt.Errorf("block kind %v not supported on aarch64", b.Kind)
	}
	return nil
}

// epilogue restores the callee-saved registers and returns.
func (e *fn) epilogue() {
	e.teardown()
	p := e.a.ret()
	e.a.CFIAfter(p, lower.CFIRow{CFAReg: lower.CFARegFP, CFAOffset: 16, FPSaved: true})
}

// teardown restores the callee-saved registers and pops the frame,
// leaving SP and X30 as they were at the function's entry.
func (e *fn) teardown() {
	a := e.a
	for i, r := range e.frame.Saved {
		a.op(movOf(r), memAddr(rFP, e.frame.SavedOff(i)), regAddr(asmReg(r)))
	}
	popFrame(a)
}

// switchTerm lowers a jump table: bounds check to the default edge, then
// an indirect branch through int32 offsets in the literal pool.
func (e *fn) switchTerm(b *ir.Block) {
	a := e.a
	n := len(b.Succs) - 1
	targets := make([]*obj.Prog, len(b.Succs))
	type edge struct {
		label *obj.Prog
		ms    []lower.Move
		to    *ir.Block
	}
	var stubs []edge
	for i, s := range b.Succs {
		ms := e.edgeMoves(b, i)
		if len(ms) == 0 {
			targets[i] = e.target(s)
			continue
		}
		l := a.NewLabel()
		targets[i] = l
		stubs = append(stubs, edge{l, ms, s})
	}
	c := b.Controls[0]
	idx := e.zext32(c, sc1)
	a.op(arm64.AMOVD, immAddr(int64(n)), regAddr(sc0))
	a.cmp(arm64.ACMP, regAddr(sc0), idx)
	a.Branch(arm64.ABHS, targets[n])
	if n > 0 {
		tab := a.JumpTable(targets[:n])
		a.adr(a.PoolAddr(tab), sc0)
		// MOVW (R16)(R17<<2), R17 sign-extends the int32 entry.
		a.op(arm64.AMOVW, obj.Addr{Type: obj.TYPE_MEM, Reg: sc0, Index: (idx & 31) | arm64.REG_LSL | 2<<5}, regAddr(sc1))
		a.op3(arm64.AADD, regAddr(sc0), sc1, regAddr(sc1))
		a.Add(&obj.Prog{As: arm64.AB, To: obj.Addr{Type: obj.TYPE_MEM, Reg: sc1}})
	}
	for _, s := range stubs {
		a.Place(s.label)
		e.moves(s.ms)
		a.Branch(arm64.AB, e.target(s.to))
	}
}

var inverse = map[obj.As]obj.As{
	arm64.ABEQ: arm64.ABNE, arm64.ABNE: arm64.ABEQ,
	arm64.ABLT: arm64.ABGE, arm64.ABGE: arm64.ABLT,
	arm64.ABGT: arm64.ABLE, arm64.ABLE: arm64.ABGT,
	arm64.ABLO: arm64.ABHS, arm64.ABHS: arm64.ABLO,
	arm64.ABHI: arm64.ABLS, arm64.ABLS: arm64.ABHI,
	arm64.ABMI: arm64.ABPL, arm64.ABPL: arm64.ABMI,
	arm64.ABVS: arm64.ABVC, arm64.ABVC: arm64.ABVS,
	arm64.ACBZ: arm64.ACBNZ, arm64.ACBNZ: arm64.ACBZ,
	arm64.ACBZW: arm64.ACBNZW, arm64.ACBNZW: arm64.ACBZW,
}

func invert(as obj.As) obj.As { return inverse[as] }

// branchCond lowers the condition of an if: a compare whose B.cond it
// returns (r = 0), or, for a test of a value against zero, the CBZ/CBNZ
// (CBZW/CBNZW) that branches on the value in register r itself.
func (e *fn) branchCond(c *ir.Value) (as obj.As, r int16) {
	if !e.fused[c.ID] {
		return arm64.ACBNZW, e.intReg(c, sc0)
	}
	switch c.Op {
	case ir.OpEqz:
		x := c.Args[0]
		return pick(x.Type, arm64.ACBZW, arm64.ACBZ), e.intReg(x, sc1)
	case ir.OpICmp:
		x, y := c.Args[0], c.Args[1]
		if y.Op == ir.OpConst && y.Aux == 0 {
			switch ir.Cond(c.Aux) {
			case ir.CondEq:
				return pick(x.Type, arm64.ACBZW, arm64.ACBZ), e.intReg(x, sc1)
			case ir.CondNe:
				return pick(x.Type, arm64.ACBNZW, arm64.ACBNZ), e.intReg(x, sc1)
			}
		}
	}
	return e.compare(c), 0
}

// condCode maps a conditional branch to the condition CSET and CSEL take.
var condCode = map[obj.As]int16{
	arm64.ABEQ: arm64.COND_EQ, arm64.ABNE: arm64.COND_NE,
	arm64.ABLT: arm64.COND_LT, arm64.ABGE: arm64.COND_GE,
	arm64.ABGT: arm64.COND_GT, arm64.ABLE: arm64.COND_LE,
	arm64.ABLO: arm64.COND_LO, arm64.ABHS: arm64.COND_HS,
	arm64.ABHI: arm64.COND_HI, arm64.ABLS: arm64.COND_LS,
	arm64.ABMI: arm64.COND_MI, arm64.ABPL: arm64.COND_PL,
	arm64.ABVS: arm64.COND_VS, arm64.ABVC: arm64.COND_VC,
}

// testInt sets Z from an i32 value.
func (e *fn) testInt(c *ir.Value) {
	r := e.intReg(c, sc0)
	e.a.cmp(arm64.ACMPW, immAddr(0), r)
}

// wide reports whether an int type uses 64-bit instructions.
func wide(t ir.Type) bool { return t == ir.I64 || t == ir.Ref }

func pick(t ir.Type, as32, as64 obj.As) obj.As {
	if wide(t) || t == ir.F64 {
		return as64
	}
	return as32
}

var intConds = map[ir.Cond]obj.As{
	ir.CondEq: arm64.ABEQ, ir.CondNe: arm64.ABNE,
	ir.CondLtS: arm64.ABLT, ir.CondLtU: arm64.ABLO,
	ir.CondGtS: arm64.ABGT, ir.CondGtU: arm64.ABHI,
	ir.CondLeS: arm64.ABLE, ir.CondLeU: arm64.ABLS,
	ir.CondGeS: arm64.ABGE, ir.CondGeU: arm64.ABHS,
}

// floatConds are the branches taken when an FCMP of x with y makes the
// condition true; an unordered result (a NaN) takes none but ne.
var floatConds = map[ir.Cond]obj.As{
	ir.CondEq: arm64.ABEQ, ir.CondNe: arm64.ABNE,
	ir.CondLt: arm64.ABMI, ir.CondLe: arm64.ABLS,
	ir.CondGt: arm64.ABGT, ir.CondGe: arm64.ABGE,
}

// compare emits the flag-setting part of an icmp, eqz or fcmp and returns
// the branch taken when it is true.
func (e *fn) compare(v *ir.Value) obj.As {
	a := e.a
	switch v.Op {
	case ir.OpEqz:
		x := v.Args[0]
		a.cmp(pick(x.Type, arm64.ACMPW, arm64.ACMP), immAddr(0), e.intReg(x, sc1))
		return arm64.ABEQ
	case ir.OpICmp:
		x, y := v.Args[0], v.Args[1]
		r := e.intReg(x, sc1)
		a.cmp(pick(x.Type, arm64.ACMPW, arm64.ACMP), e.operand(y, sc0, true), r)
		return intConds[ir.Cond(v.Aux)]
	case ir.OpFCmp:
		x, y := v.Args[0], v.Args[1]
		r := e.floatReg(x, fsc1)
		a.cmp(pick(x.Type, arm64.AFCMPS, arm64.AFCMPD), regAddr(e.floatReg(y, fsc0)), r)
		return floatConds[ir.Cond(v.Aux)]
	}
	return arm64.ABNE
}
