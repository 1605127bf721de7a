package aarch64

// The wasm calling convention on aarch64 (DESIGN.md §3) and the register
// numbering shared with the allocator.
//
// Registers: lower.Reg 0–30 are X0…X30, 32–63 are the FP/SIMD registers
// V0…V31 (used as D or S registers). X21 = ectx, X29 (FP), X30 (LR) and
// SP are never allocated, and neither are X18 (platform), X27 (golang-asm's
// REGTMP, which it writes implicitly for large constants and offsets) and
// X28 (Go's g); the emitter's scratch registers X14–X17 and V30, V31
// are never allocated either, so every lowering can load a spilled operand
// or stage a result without disturbing allocated values.
//
// Arguments: X0 = callee vmctx. Wasm params are assigned in order, with an
// independent counter per class as in AAPCS64: the i-th integer-class param
// (i32, i64, ref) takes X1…X7 while they last, the i-th float param V0–V7;
// every param that finds no register takes the next 8-byte stack slot, in
// param order, at [SP+0], [SP+8], … at the call (the callee sees them at
// [FP+16+8k], above its frame record). Results: the first two integer
// results in X0, X1, the first two float results in V0, V1 (one counter per
// class); the others in 8-byte stack slots the caller reserves right after
// its outgoing stack arguments: the callee writes result slot k at
// [FP+16+stackArgBytes+8k], as on x86-64. Callee-saved: X19, X20, X22–X26
// (AAPCS64). No V register is: AAPCS64 preserves only the low 64 bits of
// V8–V15, which would cut a continuation reference in half (enter still
// saves D8–D15 for its host caller).
//
// Continuation references (16 bytes) travel like floats, in V registers or
// in two consecutive stack slots.
//
// An i32 value in a register has undefined upper 32 bits: every lowering
// that reads it as 64 bits (addresses, table indices, extend_u, buffers)
// zero-extends it first, and 32-bit instructions ignore them.
//
// Tail calls: as on x86-64, when the callee has as many stack params as
// the caller, the caller writes them over its own incoming ones, pops its
// frame and branches; otherwise the tail call is a call and a return.

import (
	"fmt"

	"github.com/twitchyliquid64/golang-asm/obj/arm64"

	"wfxc/ir"
	"wfxc/lower"
)

// Register numbers of the allocator: X0…X30 are 0…30, V0…V31 are v0+n.
const (
	x0  lower.Reg = 0
	x19 lower.Reg = 19
	xFP lower.Reg = 29
	v0  lower.Reg = 32
)

// Fixed registers (golang-asm numbering).
const (
	rEctx = arm64.REG_R21 // execution context, pinned
	rFP   = arm64.REG_R29 // frame pointer
	rLR   = arm64.REG_R30 // link register
	rSP   = arm64.REGSP   // stack pointer
	rZR   = arm64.REGZERO // the zero register
)

// Emitter scratch registers (golang-asm numbering).
const (
	sc0  = arm64.REG_R16 // first int scratch (operand loads, memory-to-memory moves)
	sc1  = arm64.REG_R17 // second int scratch (results, parallel-move cycles)
	sc2  = arm64.REG_R15 // third int scratch (bounds checks, addresses)
	sc3  = arm64.REG_R14 // fourth int scratch (memory lengths)
	fsc0 = arm64.REG_F30 // first float scratch
	fsc1 = arm64.REG_F31 // second float scratch (results, parallel-move cycles)
)

var (
	intArgRegs   = []lower.Reg{1, 2, 3, 4, 5, 6, 7}
	floatArgRegs = []lower.Reg{v0, v0 + 1, v0 + 2, v0 + 3, v0 + 4, v0 + 5, v0 + 6, v0 + 7}
	intResRegs   = []lower.Reg{0, 1}
	floatResRegs = []lower.Reg{v0, v0 + 1}
	calleeSaved  = []lower.Reg{19, 20, 22, 23, 24, 25, 26}
)

// callerSaved is what a call clobbers: every allocatable or scratch
// register that is not callee-saved.
var callerSaved = func() lower.RegSet {
	var s lower.RegSet
	for r := lower.Reg(0); r <= 17; r++ {
		s |= 1 << uint(r)
	}
	for r := v0; r < v0+32; r++ {
		s |= 1 << uint(r)
	}
	return s
}()

// asmReg converts an allocator register to golang-asm's numbering.
func asmReg(r lower.Reg) int16 {
	if r >= v0 {
		return arm64.REG_F0 + int16(r-v0)
	}
	return arm64.REG_R0 + int16(r)
}

// isFReg reports whether a golang-asm register is a floating-point one.
func isFReg(r int16) bool { return r >= arm64.REG_F0 && r <= arm64.REG_F31 }

func isFloat(t ir.Type) bool { return t == ir.F32 || t == ir.F64 }

func regClass(t ir.Type) (lower.RegClass, bool) {
	switch t {
	case ir.I32, ir.I64, ir.Ref:
		return lower.ClassInt, true
	case ir.F32, ir.F64, ir.Cont, ir.V128: // a continuation reference or a vector is 16 bytes, in a V register
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

// outBytes is the outgoing area a caller reserves at [SP].
func (s *signature) outBytes() int64 { return 8 * int64(s.stackArgs+s.stackResults) }

func makeSignature(params, results []ir.Type) (signature, error) {
	var s signature
	ni, nf := 0, 0
	for i, t := range params {
		c, ok := regClass(t)
		if !ok {
			return s, fmt.Errorf("param %d: type %v not supported on aarch64", i, t)
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
			return s, fmt.Errorf("result %d: type %v not supported on aarch64", i, t)
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

// loc returns the location of an ABI slot: base is SP for the caller's
// outgoing area (off 0) or FP for the callee's incoming area (off 16).
func (l abiLoc) loc(base lower.Reg, off int32) lower.Loc {
	if l.Reg >= 0 {
		return lower.RegLoc(l.Reg)
	}
	return lower.Loc{Kind: lower.LocMem, Reg: base, Slot: off + 8*l.Slot}
}
