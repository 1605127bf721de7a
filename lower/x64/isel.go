package x64

// Instruction selection and emission for one wasm function. The values
// are lowered in the allocator's block order straight to golang-asm Progs:
// each lowering reads its operands from their allocated locations (loading
// a spilled or constant operand into a scratch register), computes, and
// writes its result to its location, staging it in a scratch register when
// the value is spilled or when the destination register aliases an operand
// that is read later. Block ends become parallel moves into successor phis
// on each edge, then jumps; a compare whose only use is the branch right
// after it is fused into the branch.
//
// Frame (RBP-relative, growing down; below RBP as lower.LayoutFrame
// lays it out, with 8-byte words and 16-byte alignment):
//
//	[RBP+16+8k]   incoming stack params, then result slots
//	[RBP+8]       return address
//	[RBP]         caller's RBP
//	[RBP-8…]      saved callee-saved registers the function uses
//	              spill slots
//	              two words for call_import's (call_ref's) code and vmctx
//	[RSP…]        outgoing stack args, then their result slots; the
//	              argument buffer of libcalls
//
// RSP is 16-byte aligned at every call.

import (
	"fmt"
	"math"

	"github.com/twitchyliquid64/golang-asm/obj"
	"github.com/twitchyliquid64/golang-asm/obj/x86"

	"wfxc/ir"
	"wfxc/lower"
	"wfxc/rt/abi"
)

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

	checks map[int32]int64 // bounds-check ends that differ from the plain one (lower.BoundsChecks)
	guard  []bool          // by value ID: an access left to the guard pages (guardChecks)
	zext   []bool          // by value ID: an i32 whose register's upper 32 bits are zero (zeroExtended)
	nzCtz  []bool          // by value ID: a ctz of a nonzero argument, one TZCNT (ctz.go)
	base   baseCache       // what sc0 holds for memory accesses (memoryIndexed)
	folded []bool          // by value ID: a load folded into the instruction after it (foldLoads)
	foldAt obj.Addr        // the memory operand of the folded load just lowered
	xfold  []bool          // by value ID: a shuffle or extend lowered by the extend after it (foldExtends); nil: none

	// Exceptions (exn.go): the last call emitted and the value it lowers,
	// the invoke sites, and the frame words for them (with invokes).
	lastCall      *obj.Prog
	lastCallValue *ir.Value
	invokes       []invokeSite
	exn           *exnFrame
	hasInvoke     bool

	// switched, by block ID: every path from the entry to the block's
	// end passes a stack_switch (afterSwitch); its returns jump instead.
	switched []bool

	sw    *shrinkWrap // where the callee-saved saves go (shrink.go); nil: the prologue
	block *ir.Block   // the block being lowered

	// at is the position of the instruction being lowered, at which loc
	// reads locations (lower.Allocation.LocAt), or -1 between them;
	// reloaded counts the allocator's reloads emitted so far.
	at       int32
	reloaded int

	cpu abi.CPUFeatures // the extensions beyond x86-64-v2 it may use (bmi.go)
	bmi []bool          // by value ID: a value lowered inside its use (bmiFuse)

	early     []bool // by value ID: a fused compare that sets the flags where it stands (flagsink.go)
	lea       []bool // by value ID: an add between such a compare and its branch, lowered by LEA
	earlyCond obj.As // the branch of the block's early compare
}

var errInvokeCall = fmt.Errorf("invoke block does not end with a call")

// CompileFunc compiles one wasm function for x86-64-v2.
func CompileFunc(f *ir.Func) (*lower.Compiled, error) { return CompileFuncCPU(f, 0) }

// CompileFuncCPU compiles one wasm function that may use the extensions
// cpu (doc.go).
func CompileFuncCPU(f *ir.Func, cpu abi.CPUFeatures) (c *lower.Compiled, err error) {
	defer func() {
		// Malformed IR that slipped past the checks below must not crash
		// the compiler.
		if r := recover(); r != nil {
			c, err = nil, fmt.Errorf("function %d (%s): internal error: %v", f.Index, f.Name, r)
		}
	}()
	c, err = compileFunc(f, cpu)
	if err != nil {
		return nil, fmt.Errorf("function %d (%s): %w", f.Index, f.Name, err)
	}
	return c, nil
}

func compileFunc(f *ir.Func, cpu abi.CPUFeatures) (*lower.Compiled, error) {
	// splitEntry and hoistBases rewrite the IR for allocation and
	// emission: a copy of it, since other compilations (other targets,
	// other workers) may be reading f meanwhile, unless f is Private.
	if !f.Private && (shrinkTarget(f) != nil || mayHoistBases(f)) {
		f = ir.Clone(f)
	}
	sig, err := makeSignature(f.Params, f.Results)
	if err != nil {
		return nil, err
	}
	e := &fn{f: f, a: newAsm(), sig: sig, fused: make([]bool, f.NumValues()), labels: make([]*obj.Prog, f.NumBlocks()), cpu: cpu, at: -1}
	defer e.a.Release()
	outBytes := int64(0)
	hasImport, hasSwitch := false, false
	for _, b := range f.Blocks {
		for _, v := range b.Values {
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
			case ir.OpInvalid:
				return nil, fmt.Errorf("value v%d: invalid op", v.ID)
			}
			if v.Op >= ir.NumOps {
				return nil, fmt.Errorf("value v%d: unknown op %d", v.ID, v.Op)
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
				if m := testMask(c); m != nil {
					// Only constants (no code) between the AND and c.
					i := len(b.Values) - 2
					for i >= 0 && b.Values[i] != m && b.Values[i].Op == ir.OpConst {
						i--
					}
					e.fused[m.ID] = i >= 0 && b.Values[i] == m
				}
			}
		}
	}
	shrinkAt := splitEntry(f) // shrink.go
	hoistBases(f)             // heapbase.go
	if n := f.NumValues(); n > len(e.fused) {
		e.fused = append(e.fused, make([]bool, n-len(e.fused))...)
	}
	e.earlyCompares(f) // flagsink.go
	e.folded = foldLoads(f)
	if e.avx() {
		foldVexLoads(f, e.folded) // vex.go
	}
	e.xfold = foldExtends(f, e.folded) // simdext.go
	if e.cpu != 0 {
		e.bmi = make([]bool, f.NumValues())
		e.bmiFuse(f) // bmi.go
	}
	e.ivPolls = lower.IVPolls(f, testBits)
	e.nzCtz = e.nonzeroCtz(f) // ctz.go
	hints := e.hints()
	cfg := &lower.Config{
		Regs:        allocatable, // backend.go
		CalleeSaved: calleeSavedSet,
		Class:       regClass,
		Clobbers:    clobbers,
		SaveAround:  slowSaves,
		NoReg: func(v *ir.Value) (lower.LocKind, bool) {
			if v.Op == ir.OpConst || isAddrRemat(v) {
				return lower.LocRemat, true
			}
			if e.fused[v.ID] || e.folded[v.ID] || e.bmi != nil && e.bmi[v.ID] || e.xfold != nil && e.xfold[v.ID] {
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
	if e.cpu&abi.CPUBMI2 != 0 {
		cfg.Clobbers = e.bmiClobbers // bmi.go
	}
	if e.hasInvoke {
		e.exn = planExn(f) // exn.go
		cfg.InMemory = func(v *ir.Value) bool { return e.exn.mem[v.ID] }
	}
	ra, err := lower.Allocate(f, cfg)
	if err != nil {
		return nil, err
	}
	e.ra = ra
	e.checks = lower.BoundsChecks(f)
	if f.GuardPages {
		e.guardChecks(f)
	}
	e.zext = e.zeroExtended(f)
	spec := lower.FrameSpec{
		Word: 8, Align: 16, CalleeSaved: calleeSaved, OutBytes: outBytes,
		// Across a stack switch the other stack's code changes every
		// register, so such a function saves all of the caller's (one
		// with invokes keeps those it does not use in frame words: exn.go).
		SaveAll:  hasSwitch,
		SaveNone: f.Root,
	}
	if hasSwitch {
		e.switched = afterSwitch(f)
	}
	if hasImport {
		spec.CallWords = 2
	}
	if e.hasInvoke {
		e.exn.word = spec.CallWords
		if !hasSwitch {
			for _, r := range calleeSaved {
				if !ra.UsedRegs.Has(r) {
					e.exn.extra = append(e.exn.extra, r)
				}
			}
		}
		if v := e.exn.vmctx; v != nil && ra.Loc(v).Kind != lower.LocReg && ra.Loc(v).Kind != lower.LocStack {
			e.exn.at = nil
		}
		spec.CallWords += 1 + len(e.exn.extra)
	}
	e.frame = lower.LayoutFrame(ra, spec)
	e.sw = e.planShrink(shrinkAt)

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
		e.base = baseCache{}
		e.block = b
		if e.sw != nil && b == e.sw.s {
			e.saveCallee()
		}
		if e.hasInvoke && b == e.exn.at {
			e.saveExn(e.intReg(e.exn.vmctx, sc1))
		}
		if e.hasInvoke && e.exn.pad[b.ID] {
			e.restoreExn()
		}
		for _, v := range b.Values {
			if !e.keepsBase(v) {
				e.base = baseCache{}
			}
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

// A baseCache says that sc0 holds the base of the memory at vmctx+off of
// the vmctx value vm, in register reg, loaded by an earlier access of the
// same block: memoryIndexed then reuses it instead of reloading it.
type baseCache struct {
	ok  bool
	vm  int32 // value ID of the vmctx
	reg int16
	off int64
}

// keepsBase reports whether lowering v leaves sc0 (and every int register)
// alone, so a base cached in sc0 survives it: float arithmetic and the
// vector ops marked xmm (their scratch registers are XMMs, their constants
// RIP-relative), int ALU ops
// whose second operand needs no scratch, and the memory accesses, which
// keep the cache up to date themselves (memory, memoryIndexed). A base
// cannot move without a call or an exit, and none of these makes one.
func (e *fn) keepsBase(v *ir.Value) bool {
	switch v.Op {
	case ir.OpConst, ir.OpPhi, ir.OpFAdd, ir.OpFSub, ir.OpFMul, ir.OpFDiv, ir.OpFSqrt,
		ir.OpShl, ir.OpShrS, ir.OpShrU, ir.OpRotl, ir.OpRotr: // shift: sc1 and CX only
		return true
	case ir.OpAdd, ir.OpSub, ir.OpMul, ir.OpAnd, ir.OpOr, ir.OpXor:
		// Either arg may end up second (intBinop swaps commutative ones).
		for _, y := range v.Args {
			if e.loc(y).Kind == lower.LocRemat && (y.Op != ir.OpConst || int64(int32(constBits(y))) != constBits(y)) {
				return false
			}
		}
		return true
	}
	l := lowerings[v.Op]
	return l.emit != nil && (l.xmm || isMemoryAccess(v) || e.folded[v.ID])
}

// isMemoryAccess reports whether v is a linear-memory load or store
// (lowered by memory).
func isMemoryAccess(v *ir.Value) bool {
	switch v.Op {
	case ir.OpLoad, ir.OpLoad8S, ir.OpLoad8U, ir.OpLoad16S, ir.OpLoad16U, ir.OpLoad32S, ir.OpLoad32U,
		ir.OpStore, ir.OpStore8, ir.OpStore16, ir.OpStore32:
		return true
	}
	return false
}

// foldLoads finds the float loads to fold into the arithmetic right after
// them as its memory operand (movsd m, x; mulsd x, d → mulsd m, d): a
// load used once, as the second operand of the next value in its block, a
// float add, sub, mul or div; and the loads of v128.loadNxM, folded into
// its extend (with the splat between). The load gets no register; its lowering does
// the bounds check and leaves the operand in foldAt, with the address in
// scratch or in the address's own register, which nothing in between can
// take: the arithmetic defines a float register.
func foldLoads(f *ir.Func) []bool {
	folded := make([]bool, f.NumValues())
	for _, b := range f.Blocks {
		for i, v := range b.Values[:max(len(b.Values)-1, 0)] {
			if v.Op != ir.OpLoad || !isFloat(v.Type) || v.Uses != 1 {
				continue
			}
			switch u := b.Values[i+1]; u.Op {
			case ir.OpFAdd, ir.OpFSub, ir.OpFMul, ir.OpFDiv:
				folded[v.ID] = u.Args[1] == v && u.Args[0] != v
			}
		}
		// v128.loadNxM_{s,u} (frontend: load i64, i64x2.splat,
		// extend_low): one PMOVSX/PMOVZX from memory; the splat emits
		// nothing either.
		for i, v := range b.Values[:max(len(b.Values)-2, 0)] {
			u, w := b.Values[i+1], b.Values[i+2]
			if v.Op == ir.OpLoad && v.Type == ir.I64 && v.Uses == 1 &&
				u.Op == ir.OpI64x2Splat && u.Args[0] == v && u.Uses == 1 &&
				extendLow[w.Op] && w.Args[0] == u {
				folded[v.ID], folded[u.ID] = true, true
			}
		}
	}
	return folded
}

// extendLow are the extend_low ops, whose PMOVSX/PMOVZX can read the 8
// bytes from memory.
var extendLow = map[ir.Op]bool{
	ir.OpI16x8ExtendLowI8x16S: true, ir.OpI16x8ExtendLowI8x16U: true,
	ir.OpI32x4ExtendLowI16x8S: true, ir.OpI32x4ExtendLowI16x8U: true,
	ir.OpI64x2ExtendLowI32x4S: true, ir.OpI64x2ExtendLowI32x4U: true,
}

// zeroExtended finds the i32 values whose lowering leaves the upper 32
// bits of their location zero: the results of 32-bit ALU instructions,
// MOVL-materialised constants, 32-bit loads, wraps, selects (CMOVL), and
// phis and copies (shrink.go) of only such values (an optimistic fixpoint:
// assumed until an arg says otherwise).
// Params and call results are zero-extended in their ABI registers
// (extendParams, call: one MOVL r, r) when they are used as a memory
// address, directly or through phis (addressUses), since a C caller or a
// host may leave garbage above an int32. Moves, spills and reloads copy
// all 64 bits, so the property holds wherever the value is. A memory
// access whose i32 address has it uses the address register as the index
// directly.
func (e *fn) zeroExtended(f *ir.Func) []bool {
	z := make([]bool, f.NumValues())
	addr := addressUses(f)
	var phis []*ir.Value
	for _, b := range f.Blocks {
		for _, v := range b.Values {
			if v.Type != ir.I32 && !(v.Op == ir.OpCall || v.Op == ir.OpCallImport || v.Op == ir.OpCallRef) {
				continue
			}
			switch v.Op {
			case ir.OpAdd, ir.OpSub, ir.OpMul, ir.OpAnd, ir.OpOr, ir.OpXor, ir.OpShl, ir.OpShrS, ir.OpShrU,
				ir.OpRotl, ir.OpRotr, ir.OpConst, ir.OpWrap, ir.OpLoad, ir.OpLoad8S, ir.OpLoad8U, ir.OpLoad16S, ir.OpLoad16U,
				ir.OpSelect:
				z[v.ID] = true
			case ir.OpPhi, ir.OpCopy:
				z[v.ID] = true
				phis = append(phis, v)
			case ir.OpParam:
				z[v.ID] = addr[v.ID] && v.Aux >= 0 && int(v.Aux) < len(e.sig.params) && e.sig.params[v.Aux].Reg >= 0
			case ir.OpCall, ir.OpCallImport, ir.OpCallRef:
				sig, err := e.callSig(v)
				if err != nil {
					continue
				}
				if v.Type == ir.I32 {
					z[v.ID] = addr[v.ID] && len(sig.results) > 0 && sig.results[0].Reg >= 0
				} else if v.Type == ir.Tuple {
					for _, r := range e.ra.Results[v] {
						z[r.ID] = r.Type == ir.I32 && addr[r.ID] && r.Aux >= 0 && int(r.Aux) < len(sig.results) && sig.results[r.Aux].Reg >= 0
					}
				}
			}
		}
	}
	for changed := true; changed; {
		changed = false
		for _, v := range phis {
			if !z[v.ID] {
				continue
			}
			for _, a := range v.Args {
				if !z[a.ID] {
					z[v.ID], changed = false, true
					break
				}
			}
		}
	}
	return z
}

// addressUses finds the i32 values used as the address of a linear-memory
// access, directly or as an arg of a phi or copy that is.
func addressUses(f *ir.Func) []bool {
	u := make([]bool, f.NumValues())
	var work []*ir.Value
	mark := func(x *ir.Value) {
		if x.Type == ir.I32 && !u[x.ID] {
			u[x.ID] = true
			if x.Op == ir.OpPhi || x.Op == ir.OpCopy {
				work = append(work, x)
			}
		}
	}
	for _, b := range f.Blocks {
		for _, v := range b.Values {
			if isMemoryAccess(v) && len(v.Args) > 1 {
				mark(v.Args[1])
			}
		}
	}
	for len(work) > 0 {
		v := work[len(work)-1]
		work = work[:len(work)-1]
		for _, a := range v.Args {
			mark(a)
		}
	}
	return u
}

// zeroExtend zero-extends the i32 in register r in place (MOVL r, r):
// for params and call results that zeroExtended counts on.
func (e *fn) zeroExtend(r lower.Reg) {
	e.a.op(x86.AMOVL, regAddr(asmReg(r)), regAddr(asmReg(r)))
}

// hints picks a preferred register for values that meet a fixed register
// (ABI locations, division, shift counts), so the moves into and out of it
// disappear when that register is free. The first preference wins.
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
			want(v, rDI)
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
					want(v.Args[0], rDI)
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
			case ir.OpDivS, ir.OpDivU:
				want(v, rAX)
				want(v.Args[0], rAX)
			case ir.OpRemS, ir.OpRemU:
				want(v, rDX)
				want(v.Args[0], rAX)
			case ir.OpShl, ir.OpShrS, ir.OpShrU, ir.OpRotl, ir.OpRotr:
				want(v.Args[1], rCX)
			case ir.OpStackSwitch:
				want(v.Args[0], r8)
				want(v.Args[1], rCX)
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
					want(b.Controls[0], rDI)
				}
				for i, x := range b.Controls[1:] {
					want(x, s.params[i].Reg)
				}
			}
		}
	}
	return h
}

// calleeSavedSet is calleeSaved as a set.
var calleeSavedSet = func() lower.RegSet {
	var s lower.RegSet
	for _, r := range calleeSaved {
		s |= 1 << uint(r)
	}
	return s
}()

// allRegs is every general and XMM register but RSP, RBP and R15.
var allRegs = callerSaved | calleeSavedSet

// succCount is the successor count of each block kind but switch.
var succCount = map[ir.BlockKind]int{ir.BlockPlain: 1, ir.BlockIf: 2, ir.BlockReturn: 0, ir.BlockTrap: 0,
	ir.BlockTailCall: 0, ir.BlockTailCallImport: 0, ir.BlockTailCallRef: 0}

// clobbers says which registers a value's lowering destroys.
func clobbers(v *ir.Value) lower.RegSet {
	if v.Op.IsSIMD() {
		return simdClobbers(v) // simd.go
	}
	if slowSaves(v) != 0 {
		return callerSaved &^ slowSaves(v)
	}
	switch v.Op {
	case ir.OpCall, ir.OpCallImport, ir.OpCallRef:
		return callerSaved
	case ir.OpStackSwitch:
		return allRegs
	case ir.OpDivS, ir.OpDivU, ir.OpRemS, ir.OpRemU:
		return 1<<rAX | 1<<rDX
	case ir.OpShl, ir.OpShrS, ir.OpShrU, ir.OpRotl, ir.OpRotr:
		if v.Args[1].Op != ir.OpConst {
			return 1 << rCX
		}
	}
	return 0
}

// slowSaves returns the general registers that v's lowering saves and
// restores around its exit to rt (libcall), when they hold values live
// across v (lower.Config.SaveAround): the ops whose exit is a slow path or
// as slow as a Go call anyway. Values live across such an op then keep
// their caller-saved registers instead of taking a callee-saved one (which
// every call of the function would save and restore) or a stack slot.
// The vector registers stay clobbered.
func slowSaves(v *ir.Value) lower.RegSet {
	switch v.Op {
	case ir.OpLibcall, ir.OpRefFunc, ir.OpTableGetFunc:
	case ir.OpFuncTypeCheck:
		if v.Aux2 != 1 { // 1: may ask rt about subtyping
			return 0
		}
	default:
		return 0
	}
	return callerSaved & intAllocatable
}

// intAllocatable is the general registers the allocator hands out.
var intAllocatable = func() lower.RegSet {
	var s lower.RegSet
	for _, r := range allocatable[lower.ClassInt] {
		s |= 1 << uint(r)
	}
	return s
}()

// testMask returns the AND of an int value with a constant that a fused
// icmp eq/ne 0 tests and nothing else uses, or nil: the branch then tests
// the value's bits with TEST $c instead of computing the AND (the throw
// bit of a resume's message, for one). The caller fuses it only when
// nothing but constants lies between it and the compare, so no code
// between them can reuse the register of the AND's operand.
func testMask(c *ir.Value) *ir.Value {
	if c.Op != ir.OpICmp || (ir.Cond(c.Aux) != ir.CondEq && ir.Cond(c.Aux) != ir.CondNe) {
		return nil
	}
	m, z := c.Args[0], c.Args[1]
	if z.Op != ir.OpConst || constBits(z) != 0 || m.Op != ir.OpAnd || m.Uses != 1 || m.Block != c.Block {
		return nil
	}
	if k := m.Args[1]; k.Op != ir.OpConst || k == m.Args[0] || constBits(k) < 0 || constBits(k) >= 1<<31 {
		return nil
	}
	return m
}

// fusable reports compares that can be fused into a conditional branch.
func fusable(v *ir.Value) bool {
	switch v.Op {
	case ir.OpICmp, ir.OpEqz:
		return true
	case ir.OpFCmp:
		switch ir.Cond(v.Aux) {
		case ir.CondLt, ir.CondGt, ir.CondLe, ir.CondGe:
			return true
		}
	}
	return false
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
		return rDI
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
		if x, ok := e.storedFrom(slot, inXMM(r.V.Type)); ok {
			if inXMM(r.V.Type) {
				e.a.op(x86.AMOVAPS, regAddr(x), regAddr(asmReg(r.Reg)))
			} else {
				e.a.op(x86.AMOVQ, regAddr(x), regAddr(asmReg(r.Reg)))
			}
			continue
		}
		e.emitMove(e.move(lower.RegLoc(r.Reg), slot, r.V))
	}
	e.at = p
}

// storedFrom reports the register the last instruction stored into the
// spill slot l (a MOVQ from a general register, or a MOVSS/MOVSD from an
// XMM one when xmm): it still holds the slot's value.
func (e *fn) storedFrom(l lower.Loc, xmm bool) (int16, bool) {
	p, m := e.a.Last(), e.slotAddr(l)
	if p == nil || p.From.Type != obj.TYPE_REG || p.To.Type != obj.TYPE_MEM || p.To.Reg != m.Reg || p.To.Offset != m.Offset ||
		p.To.Index != m.Index || p.To.Name != m.Name || p.To.Sym != m.Sym {
		return 0, false
	}
	x := p.From.Reg
	switch {
	case xmm && (p.As == x86.AMOVSS || p.As == x86.AMOVSD):
		return x, x >= x86.REG_X0 && x <= x86.REG_X15
	case !xmm && p.As == x86.AMOVQ:
		return x, x >= x86.REG_AX && x <= x86.REG_R15
	}
	return 0, false
}

// slotAddr returns the memory operand of a stack-like location.
func (e *fn) slotAddr(l lower.Loc) obj.Addr {
	if l.Kind == lower.LocStack {
		return memAddr(x86.REG_BP, e.frame.SlotOff(l.Slot))
	}
	return memAddr(asmReg(l.Reg), int64(l.Slot))
}

// prologue emits the frame record, the stack check, the frame allocation,
// callee-saved register saves and the moves of the params into place.
func (e *fn) prologue() error {
	a := e.a
	a.CFIAfter(nil, lower.CFIRow{CFAReg: lower.CFARegSP, CFAOffset: 8})
	p := a.push(regAddr(x86.REG_BP))
	a.CFIAfter(p, lower.CFIRow{CFAReg: lower.CFARegSP, CFAOffset: 16, FPSaved: true})
	p = a.op(x86.AMOVQ, regAddr(x86.REG_SP), regAddr(x86.REG_BP))
	a.CFIAfter(p, lower.CFIRow{CFAReg: lower.CFARegFP, CFAOffset: 16, FPSaved: true})
	// Stack check: RSP - frame < ectx.StackLimit → trap (lower.StackCheck).
	if lower.StackCheck(e.f, e.frame.Size) {
		sp := int16(x86.REG_SP)
		if e.frame.Size > 0 {
			a.op(x86.ALEAQ, memAddr(x86.REG_SP, -e.frame.Size), regAddr(sc1))
			sp = sc1
		}
		a.op(x86.ACMPQ, regAddr(sp), memAddr(x86.REG_R15, abi.EctxStackLimit))
		e.trapIf(x86.AJCS, abi.TrapStackOverflow, -1)
	}
	if e.frame.Size > 0 {
		a.op(x86.ASUBQ, immAddr(e.frame.Size), regAddr(x86.REG_SP))
	}
	if e.sw == nil {
		e.saveCallee()
	}
	if e.hasInvoke && e.exn.at == nil { // the frame words of a landing (exn.go)
		e.saveExn(x86.REG_DI)
	}
	var moves []lower.Move
	for _, v := range e.f.Entry().Values {
		var src lower.Loc
		switch v.Op {
		case ir.OpVMCtx:
			src = lower.RegLoc(rDI)
		case ir.OpParam:
			if v.Aux < 0 || int(v.Aux) >= len(e.sig.params) {
				return fmt.Errorf("value v%d: param %d out of range", v.ID, v.Aux)
			}
			src = e.sig.params[v.Aux].loc(rBP, 16)
		default:
			continue
		}
		if v.Op == ir.OpParam && e.zext[v.ID] {
			e.zeroExtend(src.Reg)
		}
		moves = append(moves, e.move(e.loc(v), src, v))
	}
	e.moves(moves)
	return nil
}

func (e *fn) move(dst, src lower.Loc, v *ir.Value) lower.Move {
	c, _ := regClass(v.Type)
	return lower.Move{Dst: dst, Src: src, V: v, Class: c}
}

// moves emits a parallel move.
func (e *fn) moves(ms []lower.Move) {
	seq := lower.Sequence(ms, [lower.NumClasses]lower.Loc{lower.RegLoc(r11), lower.RegLoc(x0 + 15)})
	for _, m := range seq {
		e.emitMove(m)
	}
}

// emitMove emits one move; it uses R10 for memory-to-memory moves.
func (e *fn) emitMove(m lower.Move) {
	a := e.a
	d, s := m.Dst, m.Src
	if s.Kind == lower.LocRemat {
		if d.Kind == lower.LocReg {
			e.materialize(m.V, asmReg(d.Reg))
			return
		}
		bits := constBits(m.V)
		if isAddrRemat(m.V) {
			e.materializeAddr(m.V, sc0)
			a.op(x86.AMOVQ, regAddr(sc0), e.slotAddr(d))
			return
		}
		if m.V.Type.Size() == 16 { // only null continuation references are constants
			lo := e.slotAddr(d)
			hi := lo
			hi.Offset += 8
			a.op(x86.AMOVQ, immAddr(0), lo)
			a.op(x86.AMOVQ, immAddr(0), hi)
			return
		}
		if int64(int32(bits)) == bits {
			a.op(x86.AMOVQ, immAddr(bits), e.slotAddr(d))
		} else {
			a.op(x86.AMOVQ, immAddr(bits), regAddr(sc0))
			a.op(x86.AMOVQ, regAddr(sc0), e.slotAddr(d))
		}
		return
	}
	if m.Class == lower.ClassFloat {
		mov := xmov(m.V.Type)
		switch {
		case d.Kind == lower.LocReg && s.Kind == lower.LocReg:
			a.op(x86.AMOVAPS, regAddr(asmReg(s.Reg)), regAddr(asmReg(d.Reg)))
		case d.Kind == lower.LocReg:
			a.op(mov, e.slotAddr(s), regAddr(asmReg(d.Reg)))
		case s.Kind == lower.LocReg:
			a.op(mov, regAddr(asmReg(s.Reg)), e.slotAddr(d))
		case m.V.Type.Size() == 16:
			a.op(x86.AMOVUPS, e.slotAddr(s), regAddr(fsc0))
			a.op(x86.AMOVUPS, regAddr(fsc0), e.slotAddr(d))
		default:
			a.op(x86.AMOVQ, e.slotAddr(s), regAddr(sc0))
			a.op(x86.AMOVQ, regAddr(sc0), e.slotAddr(d))
		}
		return
	}
	switch {
	case d.Kind == lower.LocReg && s.Kind == lower.LocReg:
		a.op(x86.AMOVQ, regAddr(asmReg(s.Reg)), regAddr(asmReg(d.Reg)))
	case d.Kind == lower.LocReg:
		a.op(x86.AMOVQ, e.slotAddr(s), regAddr(asmReg(d.Reg)))
	case s.Kind == lower.LocReg:
		a.op(x86.AMOVQ, regAddr(asmReg(s.Reg)), e.slotAddr(d))
	default:
		a.op(x86.AMOVQ, e.slotAddr(s), regAddr(sc0))
		a.op(x86.AMOVQ, regAddr(sc0), e.slotAddr(d))
	}
}

// testBits is the highest mask bit plus one of a TEST of a value of type
// t with an immediate (lower.IVPolls): TESTQ sign-extends its 32 bits.
func testBits(t ir.Type) int {
	if t == ir.I64 {
		return 31
	}
	return 32
}

// constBits returns a constant's bits, normalised to its width.
func constBits(v *ir.Value) int64 {
	switch v.Type {
	case ir.I32:
		return int64(int32(v.Aux))
	case ir.F32:
		return int64(uint32(v.Aux))
	}
	return v.Aux
}

// materialize loads constant v into register r (int or xmm) without
// touching the flags.
func (e *fn) materialize(v *ir.Value, r int16) {
	a := e.a
	if isAddrRemat(v) {
		e.materializeAddr(v, r)
		return
	}
	if r >= x86.REG_X0 && r <= x86.REG_X15 {
		if v.Type == ir.F32 {
			a.op(x86.AMOVSS, a.ConstAddr(uint64(uint32(v.Aux)), 0, 4), regAddr(r))
		} else {
			a.op(x86.AMOVSD, a.ConstAddr(uint64(v.Aux), 0, 8), regAddr(r))
		}
		return
	}
	bits := constBits(v)
	if v.Type == ir.I32 || v.Type == ir.F32 || bits >= 0 && bits <= math.MaxUint32 {
		a.op(x86.AMOVL, immAddr(int64(int32(bits))), regAddr(r)) // zero-extends
		return
	}
	a.op(x86.AMOVQ, immAddr(bits), regAddr(r))
}

// intReg returns a register holding int value v, loading it into scratch
// if it is not in one.
func (e *fn) intReg(v *ir.Value, scratch int16) int16 { return e.regOf(v, scratch, x86.AMOVQ) }

// floatReg is intReg for float values.
func (e *fn) floatReg(v *ir.Value, scratch int16) int16 { return e.regOf(v, scratch, xmov(v.Type)) }

// regOf returns v's register, or loads v into scratch (from its slot with
// load, or by materialising a constant).
func (e *fn) regOf(v *ir.Value, scratch int16, load obj.As) int16 {
	l := e.loc(v)
	switch l.Kind {
	case lower.LocReg:
		return asmReg(l.Reg)
	case lower.LocRemat:
		e.materialize(v, scratch)
	default:
		e.a.op(load, e.slotAddr(l), regAddr(scratch))
	}
	return scratch
}

// loadInto copies v (int or float) into register r.
func (e *fn) loadInto(v *ir.Value, r int16) {
	l := e.loc(v)
	fl := inXMM(v.Type)
	switch {
	case l.Kind == lower.LocReg:
		if asmReg(l.Reg) == r {
			return
		}
		if fl {
			e.a.op(x86.AMOVAPS, regAddr(asmReg(l.Reg)), regAddr(r))
		} else {
			e.a.op(x86.AMOVQ, regAddr(asmReg(l.Reg)), regAddr(r))
		}
	case l.Kind == lower.LocRemat:
		e.materialize(v, r)
	case fl:
		e.a.op(xmov(v.Type), e.slotAddr(l), regAddr(r))
	default:
		e.a.op(x86.AMOVQ, e.slotAddr(l), regAddr(r))
	}
}

// rm returns an operand for v usable as a register/memory source; constants
// are loaded into scratch (or given as an immediate when imm is true and
// they fit in a sign-extended 32 bits).
func (e *fn) rm(v *ir.Value, scratch int16, imm bool) obj.Addr {
	l := e.loc(v)
	switch l.Kind {
	case lower.LocReg:
		return regAddr(asmReg(l.Reg))
	case lower.LocRemat:
		if v.Type.Size() == 16 {
			return e.a.ConstAddr(uint64(v.Aux), 0, 16)
		}
		if isFloat(v.Type) {
			if v.Type == ir.F32 {
				return e.a.ConstAddr(uint64(uint32(v.Aux)), 0, 4)
			}
			return e.a.ConstAddr(uint64(v.Aux), 0, 8)
		}
		if b := constBits(v); imm && v.Op == ir.OpConst && int64(int32(b)) == b {
			return immAddr(b)
		}
		e.materialize(v, scratch)
		return regAddr(scratch)
	}
	return e.slotAddr(l)
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
		if asmReg(l.Reg) == r {
			return
		}
		if inXMM(v.Type) {
			e.a.op(x86.AMOVAPS, regAddr(r), regAddr(asmReg(l.Reg)))
		} else {
			e.a.op(x86.AMOVQ, regAddr(r), regAddr(asmReg(l.Reg)))
		}
	case lower.LocStack:
		if inXMM(v.Type) {
			e.a.op(xmov(v.Type), regAddr(r), e.slotAddr(l))
		} else {
			e.a.op(x86.AMOVQ, regAddr(r), e.slotAddr(l))
		}
	}
}

// inReg reports whether v is in register r (golang-asm numbering).
func (e *fn) inReg(v *ir.Value, r int16) bool {
	l := e.loc(v)
	return l.Kind == lower.LocReg && asmReg(l.Reg) == r
}

// trapIf emits a conditional (or JMP) branch to an out-of-line trap stub.
func (e *fn) trapIf(as obj.As, code int64, pos int32) {
	l := e.a.NewLabel()
	p := e.a.Branch(as, l)
	e.traps = append(e.traps, trapStub{label: l, site: p, code: code, pos: pos})
}

// stubs emits the out-of-line trap and poll paths.
func (e *fn) stubs() {
	a := e.a
	for _, t := range e.traps {
		a.Place(t.label)
		if t.codeFrom != nil {
			e.loadInto(t.codeFrom, x86.REG_CX) // before RAX is written
		} else {
			a.op(x86.AMOVL, immAddr(t.code), regAddr(x86.REG_CX))
		}
		a.op(x86.ALEAQ, a.ProgAddr(t.site), regAddr(x86.REG_AX))
		a.CallOut(obj.AJMP, lower.TargetRuntime, lower.RuntimeTrap)
		a.Site(t.site, false, t.pos)
	}
	for _, p := range e.polls {
		a.Place(p.label)
		if p.check {
			e.pollCheck()
			a.Branch(x86.AJNE, p.back)
		}
		c := a.CallOut(obj.ACALL, lower.TargetRuntime, lower.RuntimePollExit)
		a.Site(c, true, p.pos)
		a.Branch(obj.AJMP, p.back)
	}
}

// target returns the label to jump to for block b, skipping empty blocks
// that only jump on (without phi moves).
func (e *fn) target(b *ir.Block) *obj.Prog {
	for i := 0; i < 8 && b.Kind == ir.BlockPlain && len(b.Values) == 0 && b.Succs[0] != b && len(e.edgeMoves(b, 0)) == 0 &&
		(e.sw == nil || b != e.sw.s && !e.sw.exit(b, b.Succs[0])); i++ {
		b = b.Succs[0]
	}
	return e.labels[b.ID]
}

// edgeMoves returns the phi moves for the edge from b to its succ i that
// move something: a phi allocated where its arg already is needs no code,
// so its edge can be a plain branch (a loop latch: one conditional jump
// back to the header instead of a jump over an unconditional one).
func (e *fn) edgeMoves(b *ir.Block, i int) []lower.Move {
	ms := lower.EdgeMoves(e.ra, b, i, regClass)
	n := 0
	for _, m := range ms {
		if m.Dst.Kind != lower.LocNone && m.Dst != m.Src {
			ms[n] = m
			n++
		}
	}
	return ms[:n]
}

// edgeCode reports whether the edge from b to its succ i needs code: phi
// moves, or the restores of an edge leaving the shrink-wrapped region.
func (e *fn) edgeCode(b *ir.Block, i int) bool {
	return len(e.edgeMoves(b, i)) != 0 || e.sw.exit(b, b.Succs[i])
}

// edge emits the code of the edge from b to its succ i: the phi moves,
// then the restores if it leaves the shrink-wrapped region (the moves may
// read the registers restored).
func (e *fn) edge(b *ir.Block, i int) {
	e.moves(e.edgeMoves(b, i))
	if e.sw.exit(b, b.Succs[i]) {
		e.restoreCallee()
	}
}

// bareTrap reports a block that only traps: a branch to it can go to a
// trap stub instead (lower.Linearize places such blocks last).
func bareTrap(b *ir.Block) bool { return b.Kind == ir.BlockTrap && len(b.Values) == 0 }

func (e *fn) terminator(b, next *ir.Block) error {
	a := e.a
	// isNext: falling through to the next block reaches x.
	isNext := func(x *ir.Block) bool { return next != nil && e.target(x) == e.target(next) }
	switch b.Kind {
	case ir.BlockPlain:
		e.edge(b, 0)
		if !isNext(b.Succs[0]) {
			a.Branch(obj.AJMP, e.target(b.Succs[0]))
		}
	case ir.BlockIf:
		c := b.Controls[0]
		var cond obj.As
		if e.early != nil && e.early[c.ID] {
			cond = e.earlyCond // the flags of the compare (flagsink.go)
		} else if e.fused[c.ID] {
			cond = e.compare(c)
		} else {
			cond = x86.AJNE
			e.testInt(c)
		}
		// tc, fc: the edge has code (phi moves, restores: shrink.go).
		tc, fc := e.edgeCode(b, 0), e.edgeCode(b, 1)
		t, f := b.Succs[0], b.Succs[1]
		switch {
		case bareTrap(t) && !tc:
			// A check: branch straight to its trap stub, no taken branch
			// on the path that passes (the trap block is placed last).
			e.trapIf(cond, t.Aux, t.Pos)
			e.edge(b, 1)
			if !isNext(f) {
				a.Branch(obj.AJMP, e.target(f))
			}
		case bareTrap(f) && !fc:
			e.trapIf(invert(cond), f.Aux, f.Pos)
			e.edge(b, 0)
			if !isNext(t) {
				a.Branch(obj.AJMP, e.target(t))
			}
		case !tc && !fc && isNext(t):
			a.Branch(invert(cond), e.target(f))
		case !tc:
			a.Branch(cond, e.target(t))
			e.edge(b, 1)
			if !isNext(f) {
				a.Branch(obj.AJMP, e.target(f))
			}
		case !fc:
			a.Branch(invert(cond), e.target(f))
			e.edge(b, 0)
			if !isNext(t) {
				a.Branch(obj.AJMP, e.target(t))
			}
		default:
			l := a.NewLabel()
			a.Branch(cond, l)
			e.edge(b, 1)
			a.Branch(obj.AJMP, e.target(f))
			a.Place(l)
			e.edge(b, 0)
			if !isNext(t) {
				a.Branch(obj.AJMP, e.target(t))
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
			ms = append(ms, e.move(e.sig.results[i].loc(rBP, 16), e.loc(v), v))
		}
		e.moves(ms)
		e.epilogue()
	case ir.BlockTrap:
		e.trapIf(obj.AJMP, b.Aux, b.Pos)
	case ir.BlockTailCall, ir.BlockTailCallImport, ir.BlockTailCallRef:
		return e.tailCall(b)
	case ir.BlockInvoke:
		return e.invoke(b, next)
	default:
		return fmt.Errorf("block kind %v not supported", b.Kind)
	}
	return nil
}

// epilogue restores the callee-saved registers and returns.
func (e *fn) epilogue() {
	e.teardown()
	var p *obj.Prog
	if e.switched != nil && e.switched[e.block.ID] {
		// After a stack switch the return-address predictor holds the
		// other stack's calls, so a RET here would be mispredicted (and
		// so would the caller's, popping one more): an indirect jump is
		// predicted from this site's history instead and leaves the
		// predictor's stack alone. skynet 75 -> 61 ms (BenchmarkFX).
		// Between the POP and the JMP the return address is in R11 and
		// still in the word just popped, at CFA-8 with CFA = RSP: the
		// row's usual rule holds.
		p = e.a.op1(x86.APOPQ, regAddr(x86.REG_R11))
		e.a.CFIAfter(p, lower.CFIRow{CFAReg: lower.CFARegSP, CFAOffset: 0})
		p = e.a.op1(obj.AJMP, regAddr(x86.REG_R11))
	} else {
		p = e.a.op0(obj.ARET)
	}
	e.a.CFIAfter(p, lower.CFIRow{CFAReg: lower.CFARegFP, CFAOffset: 16, FPSaved: true})
}

// afterSwitch reports, by block ID, the blocks whose end every path from
// the entry reaches through a stack_switch: forward data flow of "may
// get here without one", from the entry.
func afterSwitch(f *ir.Func) []bool {
	has := make([]bool, f.NumBlocks())
	for _, b := range f.Blocks {
		for _, v := range b.Values {
			if v.Op == ir.OpStackSwitch {
				has[b.ID] = true
				break
			}
		}
	}
	// without[b]: some path reaches b's start without a switch.
	without := make([]bool, f.NumBlocks())
	without[f.Entry().ID] = true
	for changed := true; changed; {
		changed = false
		for _, b := range f.Blocks {
			if !without[b.ID] || has[b.ID] {
				continue
			}
			for _, s := range b.Succs {
				if !without[s.ID] {
					without[s.ID], changed = true, true
				}
			}
		}
	}
	switched := make([]bool, f.NumBlocks())
	for _, b := range f.Blocks {
		switched[b.ID] = has[b.ID] || !without[b.ID]
	}
	return switched
}

// teardown restores the callee-saved registers and pops the frame,
// leaving RSP at the return address.
func (e *fn) teardown() {
	a := e.a
	if e.sw.restores(e.block) {
		e.restoreCallee()
	}
	a.op(x86.AMOVQ, regAddr(x86.REG_BP), regAddr(x86.REG_SP))
	p := a.op1(x86.APOPQ, regAddr(x86.REG_BP))
	a.CFIAfter(p, lower.CFIRow{CFAReg: lower.CFARegSP, CFAOffset: 8})
}

// switchTerm lowers a jump table: bounds check to the default edge, then
// an indirect jump through int32 offsets in the literal pool.
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
	a.op(x86.AMOVL, e.rm(c, sc1, false), regAddr(sc1))
	a.op(x86.ACMPL, regAddr(sc1), immAddr(int64(n)))
	a.Branch(x86.AJCC, targets[n])
	if n > 0 {
		tab := a.JumpTable(targets[:n])
		a.op(x86.ALEAQ, a.PoolAddr(tab), regAddr(sc0))
		a.op(x86.AMOVLQSX, memIndex(sc0, sc1, 4, 0), regAddr(sc1))
		a.op(x86.AADDQ, regAddr(sc0), regAddr(sc1))
		a.op1(obj.AJMP, regAddr(sc1))
	}
	for _, s := range stubs {
		a.Place(s.label)
		e.moves(s.ms)
		a.Branch(obj.AJMP, e.target(s.to))
	}
}

var inverse = map[obj.As]obj.As{
	x86.AJEQ: x86.AJNE, x86.AJNE: x86.AJEQ,
	x86.AJLT: x86.AJGE, x86.AJGE: x86.AJLT,
	x86.AJGT: x86.AJLE, x86.AJLE: x86.AJGT,
	x86.AJCS: x86.AJCC, x86.AJCC: x86.AJCS,
	x86.AJHI: x86.AJLS, x86.AJLS: x86.AJHI,
	x86.AJPS: x86.AJPC, x86.AJPC: x86.AJPS,
}

func invert(as obj.As) obj.As { return inverse[as] }

// testInt sets ZF from an i32 value.
func (e *fn) testInt(c *ir.Value) {
	l := e.loc(c)
	switch l.Kind {
	case lower.LocReg:
		if r := asmReg(l.Reg); !e.zeroFlagOf(c, r) {
			e.a.op(x86.ATESTL, regAddr(r), regAddr(r))
		}
	case lower.LocRemat:
		e.materialize(c, sc0)
		e.a.op(x86.ATESTL, regAddr(sc0), regAddr(sc0))
	default:
		e.a.op(x86.ACMPL, e.slotAddr(l), immAddr(0))
	}
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
	ir.CondEq: x86.AJEQ, ir.CondNe: x86.AJNE,
	ir.CondLtS: x86.AJLT, ir.CondLtU: x86.AJCS,
	ir.CondGtS: x86.AJGT, ir.CondGtU: x86.AJHI,
	ir.CondLeS: x86.AJLE, ir.CondLeU: x86.AJLS,
	ir.CondGeS: x86.AJGE, ir.CondGeU: x86.AJCC,
}

var setcc = map[obj.As]obj.As{
	x86.AJEQ: x86.ASETEQ, x86.AJNE: x86.ASETNE,
	x86.AJLT: x86.ASETLT, x86.AJCS: x86.ASETCS,
	x86.AJGT: x86.ASETGT, x86.AJHI: x86.ASETHI,
	x86.AJLE: x86.ASETLE, x86.AJLS: x86.ASETLS,
	x86.AJGE: x86.ASETGE, x86.AJCC: x86.ASETCC,
	x86.AJPS: x86.ASETPS, x86.AJPC: x86.ASETPC,
}

// compare emits the flag-setting part of an icmp, eqz or (ordered) fcmp
// and returns the branch taken when it is true.
func (e *fn) compare(v *ir.Value) obj.As {
	a := e.a
	switch v.Op {
	case ir.OpEqz:
		x := v.Args[0]
		r := e.intReg(x, sc1)
		if !e.zeroFlagOf(x, r) {
			a.op(pick(x.Type, x86.ATESTL, x86.ATESTQ), regAddr(r), regAddr(r))
		}
		return x86.AJEQ
	case ir.OpICmp:
		x, y := v.Args[0], v.Args[1]
		if e.fused[x.ID] { // testMask
			r := e.intReg(x.Args[0], sc1)
			a.op(pick(x.Type, x86.ATESTL, x86.ATESTQ), immAddr(constBits(x.Args[1])), regAddr(r))
			return intConds[ir.Cond(v.Aux)]
		}
		r := e.intReg(x, sc1)
		c := ir.Cond(v.Aux)
		if y.Op == ir.OpConst && constBits(y) == 0 {
			// TEST sets the flags of CMP 0 for every condition; for = and
			// ≠ the ALU op that just computed x has set ZF already.
			if (c != ir.CondEq && c != ir.CondNe) || !e.zeroFlagOf(x, r) {
				a.op(pick(x.Type, x86.ATESTL, x86.ATESTQ), regAddr(r), regAddr(r))
			}
		} else {
			a.op(pick(x.Type, x86.ACMPL, x86.ACMPQ), regAddr(r), e.rm(y, sc0, true))
		}
		return intConds[ir.Cond(v.Aux)]
	case ir.OpFCmp:
		x, y := v.Args[0], v.Args[1]
		switch ir.Cond(v.Aux) {
		case ir.CondLt:
			e.ucomi(y, x)
			return x86.AJHI
		case ir.CondGt:
			e.ucomi(x, y)
			return x86.AJHI
		case ir.CondLe:
			e.ucomi(y, x)
			return x86.AJCC
		case ir.CondGe:
			e.ucomi(x, y)
			return x86.AJCC
		}
		e.ucomi(x, y)
		return x86.AJEQ
	}
	return x86.AJNE
}

// zeroFlagOf reports whether the instruction just emitted is an add, sub,
// and, or or xor of x's width into r, which holds x: its ZF is that of
// TEST r, r (nothing, not even a label, lies between).
func (e *fn) zeroFlagOf(x *ir.Value, r int16) bool {
	p := e.a.Last()
	if p == nil || p.To.Type != obj.TYPE_REG || p.To.Reg != r {
		return false
	}
	switch p.As {
	case x86.AADDL, x86.ASUBL, x86.AANDL, x86.AORL, x86.AXORL, x86.ABLSRL, x86.ABLSIL, x86.AANDNL: // BMI1: bmi.go
		return !wide(x.Type)
	case x86.AADDQ, x86.ASUBQ, x86.AANDQ, x86.AORQ, x86.AXORQ, x86.ABLSRQ, x86.ABLSIQ, x86.AANDNQ:
		return wide(x.Type)
	}
	return false
}

// ucomi compares floats x and y: afterwards JHI means x > y, JCC x >= y,
// and the parity flag is set when either is NaN.
func (e *fn) ucomi(x, y *ir.Value) {
	r := e.floatReg(x, fsc1)
	// Go's operand order: UCOMISD src, reg compares reg with src.
	e.a.op(pick(x.Type, x86.AUCOMISS, x86.AUCOMISD), e.rm(y, fsc0, false), regAddr(r))
}
