package x64

// The wasm calling convention on x86-64 (DESIGN.md §3) and the register
// numbering shared with the allocator.
//
// Registers: lower.Reg 0–15 are RAX…R15 in hardware order, 16–31 are
// XMM0–XMM15. R15 = ectx and RSP/RBP are never allocated; R10/R11 and
// XMM14/XMM15 are scratch registers of the emitter (never allocated, never
// live across an instruction's lowering), so every lowering can load a
// spilled operand or stage a result without disturbing allocated values.
//
// Continuation references (16 bytes) travel like floats, in XMM registers
// or in two consecutive stack slots.
//
// Arguments: RDI = callee vmctx. Wasm params are assigned in order, with an
// independent counter per class as in SysV: the i-th integer-class param
// (i32, i64, ref) takes RSI, RDX, RCX, R8, R9 while they last, the i-th
// float param XMM0–XMM7; every param that finds no register takes the next
// 8-byte stack slot, in param order, at [RSP+0], [RSP+8], … at the call
// (the callee sees them at [RBP+16+8k]). Results: the first two integer
// results in RAX, RDX, the first two float results in XMM0, XMM1 (again
// one counter per class); the others in 8-byte stack slots the caller
// reserves right after its outgoing stack arguments: the callee writes
// result slot k at [RBP+16+stackArgBytes+8k], stackArgBytes = 8 × the
// number of stack params. Callee-saved: RBX, R12, R13, R14 (and RBP, R15);
// no XMM register is callee-saved.
//
// Tail calls: when the callee has as many stack params as the caller, the
// caller writes them over its own incoming ones, pops its frame and jumps,
// so the stack does not grow and the callee's stack results land where
// the caller's caller expects them. With a different count the incoming
// area cannot be reused; the tail call is then a call followed by a return.

import (
	"fmt"

	"github.com/twitchyliquid64/golang-asm/obj/x86"

	"wfxc/ir"
	"wfxc/lower"
)

const (
	rAX lower.Reg = iota
	rCX
	rDX
	rBX
	rSP
	rBP
	rSI
	rDI
	r8
	r9
	r10
	r11
	r12
	r13
	r14
	r15
	x0 // XMM0; XMMn = x0+n
)

// Emitter scratch registers (golang-asm numbering).
const (
	sc0  = x86.REG_R10 // first int scratch (operand loads, memory-to-memory moves)
	sc1  = x86.REG_R11 // second int scratch (results, parallel-move cycles)
	fsc0 = x86.REG_X14 // first float scratch
	fsc1 = x86.REG_X15 // second float scratch (results, parallel-move cycles)
)

var (
	intArgRegs   = []lower.Reg{rSI, rDX, rCX, r8, r9}
	floatArgRegs = []lower.Reg{x0, x0 + 1, x0 + 2, x0 + 3, x0 + 4, x0 + 5, x0 + 6, x0 + 7}
	intResRegs   = []lower.Reg{rAX, rDX}
	floatResRegs = []lower.Reg{x0, x0 + 1}
	calleeSaved  = []lower.Reg{rBX, r12, r13, r14}
)

// callerSaved is what a call clobbers: every allocatable or scratch
// register that is not callee-saved.
var callerSaved = func() lower.RegSet {
	var s lower.RegSet
	for _, r := range []lower.Reg{rAX, rCX, rDX, rSI, rDI, r8, r9, r10, r11} {
		s |= 1 << uint(r)
	}
	for r := x0; r < x0+16; r++ {
		s |= 1 << uint(r)
	}
	return s
}()

// asmReg converts an allocator register to golang-asm's numbering.
func asmReg(r lower.Reg) int16 {
	if r >= x0 {
		return x86.REG_X0 + int16(r-x0)
	}
	return x86.REG_AX + int16(r)
}

// byteReg returns the 8-bit form of a golang-asm general register.
func byteReg(r int16) int16 { return r - x86.REG_AX + x86.REG_AL }

func isFloat(t ir.Type) bool { return t == ir.F32 || t == ir.F64 }

func regClass(t ir.Type) (lower.RegClass, bool) {
	switch t {
	case ir.I32, ir.I64, ir.Ref:
		return lower.ClassInt, true
	case ir.F32, ir.F64, ir.Cont, ir.V128: // a continuation reference or a vector is 16 bytes, in an XMM register
		return lower.ClassFloat, true
	}
	return 0, false
}

// abiLoc is where one param or result travels: a register, or stack slot
// Slot (8 bytes each) of the argument area.
type abiLoc struct {
	Reg  lower.Reg // -1: on the stack
	Slot int32
}

// signature is the placement of a function's params and results.
type signature struct {
	params, results []abiLoc
	stackArgs       int // 8-byte stack param slots
	stackResults    int // 8-byte stack result slots (after the params)
}

// outBytes is the outgoing area a caller reserves at [RSP].
func (s *signature) outBytes() int64 { return 8 * int64(s.stackArgs+s.stackResults) }

func makeSignature(params, results []ir.Type) (signature, error) {
	var s signature
	ni, nf := 0, 0
	for i, t := range params {
		c, ok := regClass(t)
		if !ok {
			return s, fmt.Errorf("param %d: type %v not supported", i, t)
		}
		l := abiLoc{Reg: -1}
		if c == lower.ClassInt && ni < len(intArgRegs) {
			l.Reg = intArgRegs[ni]
			ni++
		} else if c == lower.ClassFloat && nf < len(floatArgRegs) {
			l.Reg = floatArgRegs[nf]
			nf++
		} else {
			l.Slot = int32(s.stackArgs)
			s.stackArgs += stackWords(t)
		}
		s.params = append(s.params, l)
	}
	ni, nf = 0, 0
	for i, t := range results {
		c, ok := regClass(t)
		if !ok {
			return s, fmt.Errorf("result %d: type %v not supported", i, t)
		}
		l := abiLoc{Reg: -1}
		if c == lower.ClassInt && ni < len(intResRegs) {
			l.Reg = intResRegs[ni]
			ni++
		} else if c == lower.ClassFloat && nf < len(floatResRegs) {
			l.Reg = floatResRegs[nf]
			nf++
		} else {
			l.Slot = int32(s.stackArgs + s.stackResults)
			s.stackResults += stackWords(t)
		}
		s.results = append(s.results, l)
	}
	return s, nil
}

// loc returns the location of an ABI slot: base is RSP for the caller's
// outgoing area (off 0) or RBP for the callee's incoming area (off 16).
func (l abiLoc) loc(base lower.Reg, off int32) lower.Loc {
	if l.Reg >= 0 {
		return lower.RegLoc(l.Reg)
	}
	return lower.Loc{Kind: lower.LocMem, Reg: base, Slot: off + 8*l.Slot}
}
