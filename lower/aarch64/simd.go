package aarch64

// SIMD lowerings (ir/simd.go) with NEON (Advanced SIMD, part of the base
// ARMv8-A architecture), the mirror of x64/simd.go.
//
// v128 values live in V registers (as Q registers) or in two adjacent
// spill slots (the allocator's float class); qmove loads and stores them.
// golang-asm's arm64 assembler knows few vector instructions, so every
// SIMD instruction here is a hand-built word (a.word): one encoder per
// instruction family (same3, misc2, diff3, shImm, across, copyOp, ...),
// each row of simdRows holding the word of its instruction with Q, U,
// size and opcode filled in and the registers left 0 (encode_test.go
// checks the families against aarch64-linux-gnu-objdump). Lane-wise ops
// of one instruction compute straight into the result's register (vbin,
// vun); longer sequences take their operands and temporaries from
// simdRegs, which hands out registers from the scratch pair and V26–V29,
// which those ops clobber (simdClobbers), so no other value lives there.
//
// NEON computes most of wasm's semantics directly: FMIN/FMAX propagate
// NaN and order -0 < +0; FCVTZS/FCVTZU saturate and give 0 for NaN; TBL
// gives 0 for an index ≥ 16 (swizzle); SSHL/USHL by a negative count
// shift right; SQRDMULH is q15mulr_sat_s. Shift counts are taken modulo
// the lane width before use.
//
// Relaxed SIMD computes the same results as x86-64 and the interpreter
// (ir/simd_eval.go): swizzle, laneselect, q15mulr, trunc, min and max
// compute their non-relaxed counterparts (TBL, BSL, SQRDMULH, FCVTZS/
// FCVTZU, FMIN/FMAX); madd and nmadd round twice (FMUL, then FADD or
// FSUB; no FMLA); the i7 dot products multiply signed by signed (SMULL),
// the i16x8 form with wrapping pairwise sums (ADDP), the add form with
// exact sums of four products (SADDLP, ADDP) before the addend.

import (
	"fmt"
	"math"
	"slices"

	"github.com/twitchyliquid64/golang-asm/obj"
	"github.com/twitchyliquid64/golang-asm/obj/arm64"

	"wfxc/ir"
	"wfxc/lower"
)

// Lane size fields of NEON encodings.
const (
	szB = 0
	szH = 1
	szS = 2
	szD = 3
)

// qBit selects the 128-bit form (Q=1) of an instruction; the families
// below build the 128-bit form, the rows clear it for the 64-bit (low
// half) forms.
const qBit = 1 << 30

// Instruction families (Arm ARM C4.1.95, "Advanced SIMD"), all Q=1.
func same3(u, size, opc uint32) uint32 { return 0x4e200400 | u<<29 | size<<22 | opc<<11 } // three registers of the same type
func misc2(u, size, opc uint32) uint32 { return 0x4e200800 | u<<29 | size<<22 | opc<<12 } // two-register miscellaneous
func diff3(u, size, opc uint32) uint32 { return 0x4e200000 | u<<29 | size<<22 | opc<<12 } // three registers, different types ("2" forms)
func across(u, size, opc uint32) uint32 { // across lanes
	return 0x4e300800 | u<<29 | size<<22 | opc<<12
}
func shImm(u, immhb, opc uint32) uint32 { return 0x4f000400 | u<<29 | immhb<<16 | opc<<11 } // shift by immediate
func copyOp(op, imm5, imm4 uint32) uint32 { // DUP, INS, UMOV, SMOV
	return 0x4e000400 | op<<29 | imm5<<16 | imm4<<11
}
func permute(size, opc uint32) uint32 { return 0x4e000800 | size<<22 | opc<<12 } // UZP, TRN, ZIP

// Instructions used by the sequences.
var (
	insnAND    = same3(0, 0, 0b00011)
	insnORR    = same3(0, 2, 0b00011)
	insnBSL    = same3(1, 1, 0b00011)
	insnBIT    = same3(1, 2, 0b00011)
	insnBIF    = same3(1, 3, 0b00011)
	insnNOT    = misc2(1, 0, 0b00101)
	insnTBL1   = uint32(0x4e000000)          // TBL Vd.16B, {Vn.16B}, Vm.16B
	insnTBL2   = uint32(0x4e002000)          // TBL Vd.16B, {Vn.16B, Vn+1.16B}, Vm.16B
	insnEXT8   = uint32(0x6e000000 | 8<<11)  // EXT Vd.16B, Vn.16B, Vm.16B, #8
	insnZIP1B  = permute(szB, 0b011)         // ZIP1 Vd.16B, Vn.16B, Vm.16B
	insnADDPD  = uint32(0x5ef1b800)          // ADDP Dd, Vn.2D
	insnMOVI0  = uint32(0x6f00e400)          // MOVI Vd.2D, #0
	insnMOVI1  = uint32(0x6f07e7e0)          // MOVI Vd.2D, #-1
	insnDUPS   = uint32(0x5e000400)          // DUP (scalar) Vd, Vn.T[i]: imm5 at 16
	insnLDRQx  = uint32(0x3ce06800)          // LDR Qt, [Xn, Xm]
	insnSTRQx  = uint32(0x3ca06800)          // STR Qt, [Xn, Xm]
	insnDUPB   = copyOp(0, 1, 0b0001)        // DUP Vd.16B, Wn
	insnCMEQ0D = misc2(0, szD, 0b01001)      // CMEQ Vd.2D, Vn.2D, #0
	insnSMULL  = diff3(0, 0, 0b1100) &^ qBit // SMULL (size to be set)
	insnSADDLP = misc2(0, szH, 0b00010)      // SADDLP Vd.4S, Vn.8H
	insnADD4S  = same3(0, szS, 0b10000)      // ADD Vd.4S
	insnADDP   = same3(0, 0, 0b10111)        // ADDP (size to be set)
	insnUMOVX0 = copyOp(0, 8, 0b0111)        // UMOV Xd, Vn.D[0]
	insnINSX0  = copyOp(0, 8, 0b0011)        // INS Vd.D[0], Xn
	laneD1     = uint32(0x18^8) << 16        // imm5 of lane D[1] over that of D[0]
	insnFCMGT  = func(sz uint32) uint32 { return same3(1, 2|sz, 0b11100) }
)

// Row flags (lowering.flags).
const (
	vSwap  = 1 << iota // vbin: the instruction takes arg1 first
	vRight             // vshift: a right shift
)

// simdRows are the SIMD rows of the lowering table; insn is the word of
// the instruction with the registers 0, insn2 a second one applied to
// the result in place (v128.not after a compare, a narrowing after a
// conversion).
var simdRows = map[ir.Op]lowering{
	ir.OpV128Const:    {emit: (*fn).v128Const},
	ir.OpI8x16Shuffle: {emit: (*fn).shuffle, temps: true},
	ir.OpI8x16Swizzle: {emit: (*fn).vbin, insn: insnTBL1},

	ir.OpI8x16Splat: {emit: (*fn).splat},
	ir.OpI16x8Splat: {emit: (*fn).splat},
	ir.OpI32x4Splat: {emit: (*fn).splat},
	ir.OpI64x2Splat: {emit: (*fn).splat},
	ir.OpF32x4Splat: {emit: (*fn).splat},
	ir.OpF64x2Splat: {emit: (*fn).splat},

	// Extracts: SMOV/UMOV of the lane (imm5 added by extractLane); floats
	// DUP (scalar) of the lane.
	ir.OpI8x16ExtractLaneS: {emit: (*fn).extractLane, insn: copyOp(0, 0, 0b0101) &^ qBit},
	ir.OpI8x16ExtractLaneU: {emit: (*fn).extractLane, insn: copyOp(0, 0, 0b0111) &^ qBit},
	ir.OpI16x8ExtractLaneS: {emit: (*fn).extractLane, insn: copyOp(0, 0, 0b0101) &^ qBit},
	ir.OpI16x8ExtractLaneU: {emit: (*fn).extractLane, insn: copyOp(0, 0, 0b0111) &^ qBit},
	ir.OpI32x4ExtractLane:  {emit: (*fn).extractLane, insn: copyOp(0, 0, 0b0111) &^ qBit},
	ir.OpI64x2ExtractLane:  {emit: (*fn).extractLane, insn: copyOp(0, 0, 0b0111)},
	ir.OpF32x4ExtractLane:  {emit: (*fn).extractLane, insn: insnDUPS},
	ir.OpF64x2ExtractLane:  {emit: (*fn).extractLane, insn: insnDUPS},
	// Replaces: INS (general) or INS (element) of lane 0 of the scalar.
	ir.OpI8x16ReplaceLane: {emit: (*fn).replaceLane, insn: copyOp(0, 0, 0b0011)},
	ir.OpI16x8ReplaceLane: {emit: (*fn).replaceLane, insn: copyOp(0, 0, 0b0011)},
	ir.OpI32x4ReplaceLane: {emit: (*fn).replaceLane, insn: copyOp(0, 0, 0b0011)},
	ir.OpI64x2ReplaceLane: {emit: (*fn).replaceLane, insn: copyOp(0, 0, 0b0011)},
	ir.OpF32x4ReplaceLane: {emit: (*fn).replaceLane, insn: copyOp(1, 0, 0)},
	ir.OpF64x2ReplaceLane: {emit: (*fn).replaceLane, insn: copyOp(1, 0, 0)},

	// Integer compares: CMEQ, CMGT, CMHI, CMGE, CMHS; lt and le compare
	// swapped, ne inverts eq.
	ir.OpI8x16Eq:  {emit: (*fn).vbin, insn: same3(1, szB, 0b10001)},
	ir.OpI8x16Ne:  {emit: (*fn).vbin, insn: same3(1, szB, 0b10001), insn2: insnNOT},
	ir.OpI8x16LtS: {emit: (*fn).vbin, insn: same3(0, szB, 0b00110), flags: vSwap},
	ir.OpI8x16LtU: {emit: (*fn).vbin, insn: same3(1, szB, 0b00110), flags: vSwap},
	ir.OpI8x16GtS: {emit: (*fn).vbin, insn: same3(0, szB, 0b00110)},
	ir.OpI8x16GtU: {emit: (*fn).vbin, insn: same3(1, szB, 0b00110)},
	ir.OpI8x16LeS: {emit: (*fn).vbin, insn: same3(0, szB, 0b00111), flags: vSwap},
	ir.OpI8x16LeU: {emit: (*fn).vbin, insn: same3(1, szB, 0b00111), flags: vSwap},
	ir.OpI8x16GeS: {emit: (*fn).vbin, insn: same3(0, szB, 0b00111)},
	ir.OpI8x16GeU: {emit: (*fn).vbin, insn: same3(1, szB, 0b00111)},
	ir.OpI16x8Eq:  {emit: (*fn).vbin, insn: same3(1, szH, 0b10001)},
	ir.OpI16x8Ne:  {emit: (*fn).vbin, insn: same3(1, szH, 0b10001), insn2: insnNOT},
	ir.OpI16x8LtS: {emit: (*fn).vbin, insn: same3(0, szH, 0b00110), flags: vSwap},
	ir.OpI16x8LtU: {emit: (*fn).vbin, insn: same3(1, szH, 0b00110), flags: vSwap},
	ir.OpI16x8GtS: {emit: (*fn).vbin, insn: same3(0, szH, 0b00110)},
	ir.OpI16x8GtU: {emit: (*fn).vbin, insn: same3(1, szH, 0b00110)},
	ir.OpI16x8LeS: {emit: (*fn).vbin, insn: same3(0, szH, 0b00111), flags: vSwap},
	ir.OpI16x8LeU: {emit: (*fn).vbin, insn: same3(1, szH, 0b00111), flags: vSwap},
	ir.OpI16x8GeS: {emit: (*fn).vbin, insn: same3(0, szH, 0b00111)},
	ir.OpI16x8GeU: {emit: (*fn).vbin, insn: same3(1, szH, 0b00111)},
	ir.OpI32x4Eq:  {emit: (*fn).vbin, insn: same3(1, szS, 0b10001)},
	ir.OpI32x4Ne:  {emit: (*fn).vbin, insn: same3(1, szS, 0b10001), insn2: insnNOT},
	ir.OpI32x4LtS: {emit: (*fn).vbin, insn: same3(0, szS, 0b00110), flags: vSwap},
	ir.OpI32x4LtU: {emit: (*fn).vbin, insn: same3(1, szS, 0b00110), flags: vSwap},
	ir.OpI32x4GtS: {emit: (*fn).vbin, insn: same3(0, szS, 0b00110)},
	ir.OpI32x4GtU: {emit: (*fn).vbin, insn: same3(1, szS, 0b00110)},
	ir.OpI32x4LeS: {emit: (*fn).vbin, insn: same3(0, szS, 0b00111), flags: vSwap},
	ir.OpI32x4LeU: {emit: (*fn).vbin, insn: same3(1, szS, 0b00111), flags: vSwap},
	ir.OpI32x4GeS: {emit: (*fn).vbin, insn: same3(0, szS, 0b00111)},
	ir.OpI32x4GeU: {emit: (*fn).vbin, insn: same3(1, szS, 0b00111)},
	ir.OpI64x2Eq:  {emit: (*fn).vbin, insn: same3(1, szD, 0b10001)},
	ir.OpI64x2Ne:  {emit: (*fn).vbin, insn: same3(1, szD, 0b10001), insn2: insnNOT},
	ir.OpI64x2LtS: {emit: (*fn).vbin, insn: same3(0, szD, 0b00110), flags: vSwap},
	ir.OpI64x2GtS: {emit: (*fn).vbin, insn: same3(0, szD, 0b00110)},
	ir.OpI64x2LeS: {emit: (*fn).vbin, insn: same3(0, szD, 0b00111), flags: vSwap},
	ir.OpI64x2GeS: {emit: (*fn).vbin, insn: same3(0, szD, 0b00111)},

	// Float compares: FCMEQ, FCMGT, FCMGE (false for NaN); ne inverts eq.
	ir.OpF32x4Eq: {emit: (*fn).vbin, insn: same3(0, 0, 0b11100)},
	ir.OpF32x4Ne: {emit: (*fn).vbin, insn: same3(0, 0, 0b11100), insn2: insnNOT},
	ir.OpF32x4Lt: {emit: (*fn).vbin, insn: same3(1, 2, 0b11100), flags: vSwap},
	ir.OpF32x4Gt: {emit: (*fn).vbin, insn: same3(1, 2, 0b11100)},
	ir.OpF32x4Le: {emit: (*fn).vbin, insn: same3(1, 0, 0b11100), flags: vSwap},
	ir.OpF32x4Ge: {emit: (*fn).vbin, insn: same3(1, 0, 0b11100)},
	ir.OpF64x2Eq: {emit: (*fn).vbin, insn: same3(0, 1, 0b11100)},
	ir.OpF64x2Ne: {emit: (*fn).vbin, insn: same3(0, 1, 0b11100), insn2: insnNOT},
	ir.OpF64x2Lt: {emit: (*fn).vbin, insn: same3(1, 3, 0b11100), flags: vSwap},
	ir.OpF64x2Gt: {emit: (*fn).vbin, insn: same3(1, 3, 0b11100)},
	ir.OpF64x2Le: {emit: (*fn).vbin, insn: same3(1, 1, 0b11100), flags: vSwap},
	ir.OpF64x2Ge: {emit: (*fn).vbin, insn: same3(1, 1, 0b11100)},

	ir.OpV128Not:       {emit: (*fn).vun, insn: insnNOT},
	ir.OpV128And:       {emit: (*fn).vbin, insn: insnAND},
	ir.OpV128Andnot:    {emit: (*fn).vbin, insn: same3(0, 1, 0b00011)}, // BIC
	ir.OpV128Or:        {emit: (*fn).vbin, insn: insnORR},
	ir.OpV128Xor:       {emit: (*fn).vbin, insn: same3(1, 0, 0b00011)}, // EOR
	ir.OpV128Bitselect: {emit: (*fn).bitselect, temps: true},
	ir.OpV128AnyTrue:   {emit: (*fn).anyTrue, insn: across(1, szB, 0b01010)}, // UMAXV

	ir.OpF32x4DemoteF64x2Zero: {emit: (*fn).vun, insn: misc2(0, 1, 0b10110) &^ qBit}, // FCVTN Vd.2S, Vn.2D
	ir.OpF64x2PromoteLowF32x4: {emit: (*fn).vun, insn: misc2(0, 1, 0b10111) &^ qBit}, // FCVTL Vd.2D, Vn.2S

	ir.OpI8x16Abs:          {emit: (*fn).vun, insn: misc2(0, szB, 0b01011)},
	ir.OpI8x16Neg:          {emit: (*fn).vun, insn: misc2(1, szB, 0b01011)},
	ir.OpI8x16Popcnt:       {emit: (*fn).vun, insn: misc2(0, szB, 0b00101)}, // CNT
	ir.OpI8x16AllTrue:      {emit: (*fn).allTrue, insn: across(1, szB, 0b11010)},
	ir.OpI8x16Bitmask:      {emit: (*fn).bitmask, temps: true},
	ir.OpI8x16NarrowI16x8S: {emit: (*fn).narrow, insn: misc2(0, szB, 0b10100) &^ qBit, temps: true}, // SQXTN
	ir.OpI8x16NarrowI16x8U: {emit: (*fn).narrow, insn: misc2(1, szB, 0b10010) &^ qBit, temps: true}, // SQXTUN
	ir.OpI8x16Shl:          {emit: (*fn).vshift, insn: shImm(0, 8, 0b01010), insn2: same3(1, szB, 0b01000)},
	ir.OpI8x16ShrS:         {emit: (*fn).vshift, insn: shImm(0, 16, 0), insn2: same3(0, szB, 0b01000), flags: vRight},
	ir.OpI8x16ShrU:         {emit: (*fn).vshift, insn: shImm(1, 16, 0), insn2: same3(1, szB, 0b01000), flags: vRight},
	ir.OpI8x16Add:          {emit: (*fn).vbin, insn: same3(0, szB, 0b10000)},
	ir.OpI8x16AddSatS:      {emit: (*fn).vbin, insn: same3(0, szB, 0b00001)},
	ir.OpI8x16AddSatU:      {emit: (*fn).vbin, insn: same3(1, szB, 0b00001)},
	ir.OpI8x16Sub:          {emit: (*fn).vbin, insn: same3(1, szB, 0b10000)},
	ir.OpI8x16SubSatS:      {emit: (*fn).vbin, insn: same3(0, szB, 0b00101)},
	ir.OpI8x16SubSatU:      {emit: (*fn).vbin, insn: same3(1, szB, 0b00101)},
	ir.OpI8x16MinS:         {emit: (*fn).vbin, insn: same3(0, szB, 0b01101)},
	ir.OpI8x16MinU:         {emit: (*fn).vbin, insn: same3(1, szB, 0b01101)},
	ir.OpI8x16MaxS:         {emit: (*fn).vbin, insn: same3(0, szB, 0b01100)},
	ir.OpI8x16MaxU:         {emit: (*fn).vbin, insn: same3(1, szB, 0b01100)},
	ir.OpI8x16AvgrU:        {emit: (*fn).vbin, insn: same3(1, szB, 0b00010)}, // URHADD

	ir.OpI16x8ExtaddPairwiseI8x16S: {emit: (*fn).vun, insn: misc2(0, szB, 0b00010)}, // SADDLP
	ir.OpI16x8ExtaddPairwiseI8x16U: {emit: (*fn).vun, insn: misc2(1, szB, 0b00010)}, // UADDLP
	ir.OpI32x4ExtaddPairwiseI16x8S: {emit: (*fn).vun, insn: misc2(0, szH, 0b00010)},
	ir.OpI32x4ExtaddPairwiseI16x8U: {emit: (*fn).vun, insn: misc2(1, szH, 0b00010)},

	ir.OpI16x8Abs:              {emit: (*fn).vun, insn: misc2(0, szH, 0b01011)},
	ir.OpI16x8Neg:              {emit: (*fn).vun, insn: misc2(1, szH, 0b01011)},
	ir.OpI16x8Q15mulrSatS:      {emit: (*fn).vbin, insn: same3(1, szH, 0b10110)}, // SQRDMULH
	ir.OpI16x8AllTrue:          {emit: (*fn).allTrue, insn: across(1, szH, 0b11010)},
	ir.OpI16x8Bitmask:          {emit: (*fn).bitmask, temps: true},
	ir.OpI16x8NarrowI32x4S:     {emit: (*fn).narrow, insn: misc2(0, szH, 0b10100) &^ qBit, temps: true},
	ir.OpI16x8NarrowI32x4U:     {emit: (*fn).narrow, insn: misc2(1, szH, 0b10010) &^ qBit, temps: true},
	ir.OpI16x8ExtendLowI8x16S:  {emit: (*fn).vun, insn: shImm(0, 8, 0b10100) &^ qBit}, // SXTL
	ir.OpI16x8ExtendHighI8x16S: {emit: (*fn).vun, insn: shImm(0, 8, 0b10100)},         // SXTL2
	ir.OpI16x8ExtendLowI8x16U:  {emit: (*fn).vun, insn: shImm(1, 8, 0b10100) &^ qBit}, // UXTL
	ir.OpI16x8ExtendHighI8x16U: {emit: (*fn).vun, insn: shImm(1, 8, 0b10100)},         // UXTL2
	ir.OpI16x8Shl:              {emit: (*fn).vshift, insn: shImm(0, 16, 0b01010), insn2: same3(1, szH, 0b01000)},
	ir.OpI16x8ShrS:             {emit: (*fn).vshift, insn: shImm(0, 32, 0), insn2: same3(0, szH, 0b01000), flags: vRight},
	ir.OpI16x8ShrU:             {emit: (*fn).vshift, insn: shImm(1, 32, 0), insn2: same3(1, szH, 0b01000), flags: vRight},
	ir.OpI16x8Add:              {emit: (*fn).vbin, insn: same3(0, szH, 0b10000)},
	ir.OpI16x8AddSatS:          {emit: (*fn).vbin, insn: same3(0, szH, 0b00001)},
	ir.OpI16x8AddSatU:          {emit: (*fn).vbin, insn: same3(1, szH, 0b00001)},
	ir.OpI16x8Sub:              {emit: (*fn).vbin, insn: same3(1, szH, 0b10000)},
	ir.OpI16x8SubSatS:          {emit: (*fn).vbin, insn: same3(0, szH, 0b00101)},
	ir.OpI16x8SubSatU:          {emit: (*fn).vbin, insn: same3(1, szH, 0b00101)},
	ir.OpI16x8Mul:              {emit: (*fn).vbin, insn: same3(0, szH, 0b10011)},
	ir.OpI16x8MinS:             {emit: (*fn).vbin, insn: same3(0, szH, 0b01101)},
	ir.OpI16x8MinU:             {emit: (*fn).vbin, insn: same3(1, szH, 0b01101)},
	ir.OpI16x8MaxS:             {emit: (*fn).vbin, insn: same3(0, szH, 0b01100)},
	ir.OpI16x8MaxU:             {emit: (*fn).vbin, insn: same3(1, szH, 0b01100)},
	ir.OpI16x8AvgrU:            {emit: (*fn).vbin, insn: same3(1, szH, 0b00010)},
	ir.OpI16x8ExtmulLowI8x16S:  {emit: (*fn).vbin, insn: diff3(0, szB, 0b1100) &^ qBit}, // SMULL
	ir.OpI16x8ExtmulHighI8x16S: {emit: (*fn).vbin, insn: diff3(0, szB, 0b1100)},         // SMULL2
	ir.OpI16x8ExtmulLowI8x16U:  {emit: (*fn).vbin, insn: diff3(1, szB, 0b1100) &^ qBit}, // UMULL
	ir.OpI16x8ExtmulHighI8x16U: {emit: (*fn).vbin, insn: diff3(1, szB, 0b1100)},         // UMULL2

	ir.OpI32x4Abs:              {emit: (*fn).vun, insn: misc2(0, szS, 0b01011)},
	ir.OpI32x4Neg:              {emit: (*fn).vun, insn: misc2(1, szS, 0b01011)},
	ir.OpI32x4AllTrue:          {emit: (*fn).allTrue, insn: across(1, szS, 0b11010)},
	ir.OpI32x4Bitmask:          {emit: (*fn).bitmask, temps: true},
	ir.OpI32x4ExtendLowI16x8S:  {emit: (*fn).vun, insn: shImm(0, 16, 0b10100) &^ qBit},
	ir.OpI32x4ExtendHighI16x8S: {emit: (*fn).vun, insn: shImm(0, 16, 0b10100)},
	ir.OpI32x4ExtendLowI16x8U:  {emit: (*fn).vun, insn: shImm(1, 16, 0b10100) &^ qBit},
	ir.OpI32x4ExtendHighI16x8U: {emit: (*fn).vun, insn: shImm(1, 16, 0b10100)},
	ir.OpI32x4Shl:              {emit: (*fn).vshift, insn: shImm(0, 32, 0b01010), insn2: same3(1, szS, 0b01000)},
	ir.OpI32x4ShrS:             {emit: (*fn).vshift, insn: shImm(0, 64, 0), insn2: same3(0, szS, 0b01000), flags: vRight},
	ir.OpI32x4ShrU:             {emit: (*fn).vshift, insn: shImm(1, 64, 0), insn2: same3(1, szS, 0b01000), flags: vRight},
	ir.OpI32x4Add:              {emit: (*fn).vbin, insn: same3(0, szS, 0b10000)},
	ir.OpI32x4Sub:              {emit: (*fn).vbin, insn: same3(1, szS, 0b10000)},
	ir.OpI32x4Mul:              {emit: (*fn).vbin, insn: same3(0, szS, 0b10011)},
	ir.OpI32x4MinS:             {emit: (*fn).vbin, insn: same3(0, szS, 0b01101)},
	ir.OpI32x4MinU:             {emit: (*fn).vbin, insn: same3(1, szS, 0b01101)},
	ir.OpI32x4MaxS:             {emit: (*fn).vbin, insn: same3(0, szS, 0b01100)},
	ir.OpI32x4MaxU:             {emit: (*fn).vbin, insn: same3(1, szS, 0b01100)},
	ir.OpI32x4DotI16x8S:        {emit: (*fn).dot, temps: true},
	ir.OpI32x4ExtmulLowI16x8S:  {emit: (*fn).vbin, insn: diff3(0, szH, 0b1100) &^ qBit},
	ir.OpI32x4ExtmulHighI16x8S: {emit: (*fn).vbin, insn: diff3(0, szH, 0b1100)},
	ir.OpI32x4ExtmulLowI16x8U:  {emit: (*fn).vbin, insn: diff3(1, szH, 0b1100) &^ qBit},
	ir.OpI32x4ExtmulHighI16x8U: {emit: (*fn).vbin, insn: diff3(1, szH, 0b1100)},

	ir.OpI64x2Abs:              {emit: (*fn).vun, insn: misc2(0, szD, 0b01011)},
	ir.OpI64x2Neg:              {emit: (*fn).vun, insn: misc2(1, szD, 0b01011)},
	ir.OpI64x2AllTrue:          {emit: (*fn).allTrue, insn: insnCMEQ0D},
	ir.OpI64x2Bitmask:          {emit: (*fn).bitmask, temps: true},
	ir.OpI64x2ExtendLowI32x4S:  {emit: (*fn).vun, insn: shImm(0, 32, 0b10100) &^ qBit},
	ir.OpI64x2ExtendHighI32x4S: {emit: (*fn).vun, insn: shImm(0, 32, 0b10100)},
	ir.OpI64x2ExtendLowI32x4U:  {emit: (*fn).vun, insn: shImm(1, 32, 0b10100) &^ qBit},
	ir.OpI64x2ExtendHighI32x4U: {emit: (*fn).vun, insn: shImm(1, 32, 0b10100)},
	ir.OpI64x2Shl:              {emit: (*fn).vshift, insn: shImm(0, 64, 0b01010), insn2: same3(1, szD, 0b01000)},
	ir.OpI64x2ShrS:             {emit: (*fn).vshift, insn: shImm(0, 128, 0), insn2: same3(0, szD, 0b01000), flags: vRight},
	ir.OpI64x2ShrU:             {emit: (*fn).vshift, insn: shImm(1, 128, 0), insn2: same3(1, szD, 0b01000), flags: vRight},
	ir.OpI64x2Add:              {emit: (*fn).vbin, insn: same3(0, szD, 0b10000)},
	ir.OpI64x2Sub:              {emit: (*fn).vbin, insn: same3(1, szD, 0b10000)},
	ir.OpI64x2Mul:              {emit: (*fn).mul64, temps: true},
	ir.OpI64x2ExtmulLowI32x4S:  {emit: (*fn).vbin, insn: diff3(0, szS, 0b1100) &^ qBit},
	ir.OpI64x2ExtmulHighI32x4S: {emit: (*fn).vbin, insn: diff3(0, szS, 0b1100)},
	ir.OpI64x2ExtmulLowI32x4U:  {emit: (*fn).vbin, insn: diff3(1, szS, 0b1100) &^ qBit},
	ir.OpI64x2ExtmulHighI32x4U: {emit: (*fn).vbin, insn: diff3(1, szS, 0b1100)},

	// Float lane-wise ops; the size field is a:sz (sz = 1 for f64).
	ir.OpF32x4Ceil:    {emit: (*fn).vun, insn: misc2(0, 2, 0b11000)}, // FRINTP
	ir.OpF32x4Floor:   {emit: (*fn).vun, insn: misc2(0, 0, 0b11001)}, // FRINTM
	ir.OpF32x4Trunc:   {emit: (*fn).vun, insn: misc2(0, 2, 0b11001)}, // FRINTZ
	ir.OpF32x4Nearest: {emit: (*fn).vun, insn: misc2(0, 0, 0b11000)}, // FRINTN
	ir.OpF64x2Ceil:    {emit: (*fn).vun, insn: misc2(0, 3, 0b11000)},
	ir.OpF64x2Floor:   {emit: (*fn).vun, insn: misc2(0, 1, 0b11001)},
	ir.OpF64x2Trunc:   {emit: (*fn).vun, insn: misc2(0, 3, 0b11001)},
	ir.OpF64x2Nearest: {emit: (*fn).vun, insn: misc2(0, 1, 0b11000)},

	ir.OpF32x4Abs:  {emit: (*fn).vun, insn: misc2(0, 2, 0b01111)},
	ir.OpF32x4Neg:  {emit: (*fn).vun, insn: misc2(1, 2, 0b01111)},
	ir.OpF32x4Sqrt: {emit: (*fn).vun, insn: misc2(1, 2, 0b11111)},
	ir.OpF32x4Add:  {emit: (*fn).vbin, insn: same3(0, 0, 0b11010)},
	ir.OpF32x4Sub:  {emit: (*fn).vbin, insn: same3(0, 2, 0b11010)},
	ir.OpF32x4Mul:  {emit: (*fn).vbin, insn: same3(1, 0, 0b11011)},
	ir.OpF32x4Div:  {emit: (*fn).vbin, insn: same3(1, 0, 0b11111)},
	ir.OpF32x4Min:  {emit: (*fn).vbin, insn: same3(0, 2, 0b11110)},
	ir.OpF32x4Max:  {emit: (*fn).vbin, insn: same3(0, 0, 0b11110)},
	ir.OpF32x4Pmin: {emit: (*fn).pminmax, insn: insnFCMGT(0), temps: true},
	ir.OpF32x4Pmax: {emit: (*fn).pminmax, insn: insnFCMGT(0), flags: vSwap, temps: true},
	ir.OpF64x2Abs:  {emit: (*fn).vun, insn: misc2(0, 3, 0b01111)},
	ir.OpF64x2Neg:  {emit: (*fn).vun, insn: misc2(1, 3, 0b01111)},
	ir.OpF64x2Sqrt: {emit: (*fn).vun, insn: misc2(1, 3, 0b11111)},
	ir.OpF64x2Add:  {emit: (*fn).vbin, insn: same3(0, 1, 0b11010)},
	ir.OpF64x2Sub:  {emit: (*fn).vbin, insn: same3(0, 3, 0b11010)},
	ir.OpF64x2Mul:  {emit: (*fn).vbin, insn: same3(1, 1, 0b11011)},
	ir.OpF64x2Div:  {emit: (*fn).vbin, insn: same3(1, 1, 0b11111)},
	ir.OpF64x2Min:  {emit: (*fn).vbin, insn: same3(0, 3, 0b11110)},
	ir.OpF64x2Max:  {emit: (*fn).vbin, insn: same3(0, 1, 0b11110)},
	ir.OpF64x2Pmin: {emit: (*fn).pminmax, insn: insnFCMGT(1), temps: true},
	ir.OpF64x2Pmax: {emit: (*fn).pminmax, insn: insnFCMGT(1), flags: vSwap, temps: true},

	ir.OpI32x4TruncSatF32x4S: {emit: (*fn).vun, insn: misc2(0, 2, 0b11011)}, // FCVTZS
	ir.OpI32x4TruncSatF32x4U: {emit: (*fn).vun, insn: misc2(1, 2, 0b11011)}, // FCVTZU
	ir.OpF32x4ConvertI32x4S:  {emit: (*fn).vun, insn: misc2(0, 0, 0b11101)}, // SCVTF
	ir.OpF32x4ConvertI32x4U:  {emit: (*fn).vun, insn: misc2(1, 0, 0b11101)}, // UCVTF
	// To i64 lanes (saturating), then narrowed with saturation into the
	// low half (SQXTN/UQXTN Vd.2S zero the high half).
	ir.OpI32x4TruncSatF64x2SZero: {emit: (*fn).vun, insn: misc2(0, 3, 0b11011), insn2: misc2(0, szS, 0b10100) &^ qBit},
	ir.OpI32x4TruncSatF64x2UZero: {emit: (*fn).vun, insn: misc2(1, 3, 0b11011), insn2: misc2(1, szS, 0b10100) &^ qBit},
	// Widened to i64 lanes (SXTL/UXTL), then converted exactly.
	ir.OpF64x2ConvertLowI32x4S: {emit: (*fn).vun, insn: shImm(0, 32, 0b10100) &^ qBit, insn2: misc2(0, 1, 0b11101)},
	ir.OpF64x2ConvertLowI32x4U: {emit: (*fn).vun, insn: shImm(1, 32, 0b10100) &^ qBit, insn2: misc2(1, 1, 0b11101)},

	ir.OpI8x16RelaxedSwizzle:           {emit: (*fn).vbin, insn: insnTBL1},
	ir.OpI32x4RelaxedTruncF32x4S:       {emit: (*fn).vun, insn: misc2(0, 2, 0b11011)},
	ir.OpI32x4RelaxedTruncF32x4U:       {emit: (*fn).vun, insn: misc2(1, 2, 0b11011)},
	ir.OpI32x4RelaxedTruncF64x2SZero:   {emit: (*fn).vun, insn: misc2(0, 3, 0b11011), insn2: misc2(0, szS, 0b10100) &^ qBit},
	ir.OpI32x4RelaxedTruncF64x2UZero:   {emit: (*fn).vun, insn: misc2(1, 3, 0b11011), insn2: misc2(1, szS, 0b10100) &^ qBit},
	ir.OpF32x4RelaxedMadd:              {emit: (*fn).madd, insn: same3(1, 0, 0b11011), insn2: same3(0, 0, 0b11010), temps: true}, // FMUL, FADD
	ir.OpF32x4RelaxedNmadd:             {emit: (*fn).madd, insn: same3(1, 0, 0b11011), insn2: same3(0, 2, 0b11010), flags: vSwap, temps: true},
	ir.OpF64x2RelaxedMadd:              {emit: (*fn).madd, insn: same3(1, 1, 0b11011), insn2: same3(0, 1, 0b11010), temps: true},
	ir.OpF64x2RelaxedNmadd:             {emit: (*fn).madd, insn: same3(1, 1, 0b11011), insn2: same3(0, 3, 0b11010), flags: vSwap, temps: true},
	ir.OpI8x16RelaxedLaneselect:        {emit: (*fn).bitselect, temps: true},
	ir.OpI16x8RelaxedLaneselect:        {emit: (*fn).bitselect, temps: true},
	ir.OpI32x4RelaxedLaneselect:        {emit: (*fn).bitselect, temps: true},
	ir.OpI64x2RelaxedLaneselect:        {emit: (*fn).bitselect, temps: true},
	ir.OpF32x4RelaxedMin:               {emit: (*fn).vbin, insn: same3(0, 2, 0b11110)},
	ir.OpF32x4RelaxedMax:               {emit: (*fn).vbin, insn: same3(0, 0, 0b11110)},
	ir.OpF64x2RelaxedMin:               {emit: (*fn).vbin, insn: same3(0, 3, 0b11110)},
	ir.OpF64x2RelaxedMax:               {emit: (*fn).vbin, insn: same3(0, 1, 0b11110)},
	ir.OpI16x8RelaxedQ15mulrS:          {emit: (*fn).vbin, insn: same3(1, szH, 0b10110)},
	ir.OpI16x8RelaxedDotI8x16I7x16S:    {emit: (*fn).dot, temps: true},
	ir.OpI32x4RelaxedDotI8x16I7x16AddS: {emit: (*fn).dot, temps: true},
}

func init() {
	for op := ir.OpSIMDFirst; op.IsSIMD(); op++ {
		row, ok := simdRows[op]
		if !ok {
			row = lowering{unsupported: "no NEON lowering"}
		}
		lowerings[op] = row
	}
}

// simdPool is where simdRegs finds registers: the scratch pair, then the
// registers that the sequence ops clobber.
var simdPool = [...]int16{fsc1, fsc0, arm64.REG_F29, arm64.REG_F28, arm64.REG_F27, arm64.REG_F26}

// simdTempSet is the allocator's view of V26–V29.
const simdTempSet = lower.RegSet(1<<(v0+26) | 1<<(v0+27) | 1<<(v0+28) | 1<<(v0+29))

// simdClobbers says which registers a SIMD op's lowering destroys: the
// temporaries of simdRegs, for the sequences (rows with temps).
func simdClobbers(v *ir.Value) lower.RegSet {
	if v.Op < ir.NumOps && lowerings[v.Op].temps {
		return simdTempSet
	}
	return 0
}

// word appends one hand-encoded instruction.
func (a *asm) word(w uint32) { a.Add(&obj.Prog{As: arm64.AWORD, To: immAddr(int64(w))}) }

// rnum is a register's number in an instruction field.
func rnum(r int16) uint32 { return uint32(r & 31) }

// enc3 fills in Rd, Rn and Rm.
func enc3(insn uint32, d, n, m int16) uint32 { return insn | rnum(m)<<16 | rnum(n)<<5 | rnum(d) }

// enc2 fills in Rd and Rn.
func enc2(insn uint32, d, n int16) uint32 { return insn | rnum(n)<<5 | rnum(d) }

// laneSize is the size field of the lanes of op's shape.
func laneSize(op ir.Op) uint32 {
	switch op.Lanes() {
	case 16:
		return szB
	case 8:
		return szH
	case 4:
		return szS
	}
	return szD
}

// imm5 is the imm5 field naming lane i of size sz (DUP, INS, UMOV, SMOV).
func imm5(sz uint32, i int64) uint32 { return uint32(i)<<(sz+1) | 1<<sz }

// vreg returns a register holding vector (or float) v, loading it into
// scratch when it has none.
func (e *fn) vreg(v *ir.Value, scratch int16) int16 { return e.regOf(v, scratch) }

// vmov copies V register s to d (nothing when they are the same).
func (e *fn) vmov(s, d int16) { e.rmov(ir.V128, s, d) }

// vconst loads the 16 bytes {lo, hi} into V register r: MOVI for all
// zeros and all ones, else from the literal pool (its address in X27).
func (e *fn) vconst(lo, hi uint64, r int16) {
	switch {
	case lo == 0 && hi == 0:
		e.a.word(enc2(insnMOVI0, r, 0))
	case lo == math.MaxUint64 && hi == math.MaxUint64:
		e.a.word(enc2(insnMOVI1, r, 0))
	default:
		e.a.adr(e.a.ConstAddr(lo, hi, 16), arm64.REGTMP)
		e.a.qmove(true, r, arm64.REGTMP, 0)
	}
}

// splat64 loads x into both 64-bit lanes of r.
func (e *fn) splat64(x uint64, r int16) { e.vconst(x, x, r) }

// simdRegs (for rows with temps) returns registers holding v's vector
// args (in allocated registers, read-only, or loaded into registers of
// simdPool) and the pool registers left as temporaries. Scalar (int) args
// get -1.
func (e *fn) simdRegs(v *ir.Value) (args, temps []int16) {
	if !lowerings[v.Op].temps {
		panic(fmt.Sprintf("%v: simdRegs in a row without temps", v.Op)) // CompileFunc reports it
	}
	var used [len(simdPool)]bool
	mark := func(r int16) {
		for i, p := range simdPool {
			if p == r {
				used[i] = true
			}
		}
	}
	args = make([]int16, len(v.Args))
	for i, x := range v.Args {
		args[i] = -1
		if l := e.loc(x); l.Kind == lower.LocReg && inVReg(x.Type) {
			args[i] = asmReg(l.Reg)
			mark(args[i])
		}
	}
	for i, x := range v.Args {
		if args[i] >= 0 || !inVReg(x.Type) {
			continue
		}
		for j, p := range simdPool {
			if !used[j] {
				used[j] = true
				args[i] = p
				e.loadInto(x, p)
				break
			}
		}
	}
	for j, p := range simdPool {
		if !used[j] {
			temps = append(temps, p)
		}
	}
	return args, temps
}

// seqDst returns the register a sequence computes v into and the
// temporaries left: v's own register when it holds none of the args (the
// sequence may write it before it reads them all), else a temporary.
func (e *fn) seqDst(v *ir.Value, args, temps []int16) (int16, []int16) {
	if l := e.loc(v); l.Kind == lower.LocReg {
		d := asmReg(l.Reg)
		if !slices.Contains(args, d) {
			rest := slices.DeleteFunc(slices.Clone(temps), func(r int16) bool { return r == d })
			return d, rest
		}
	}
	return temps[0], temps[1:]
}

// v128Const lowers v128.const.
func (e *fn) v128Const(v *ir.Value, _ *lowering) error {
	d := e.dst(v, fsc1)
	e.vconst(uint64(v.Aux), uint64(v.Aux2), d)
	e.commit(v, d)
	return nil
}

// vbin lowers d = x op y with one instruction (insn, arg1 first with
// vSwap), then insn2 on d in place if the row has one.
func (e *fn) vbin(v *ir.Value, l *lowering) error {
	x, y := v.Args[0], v.Args[1]
	if l.flags&vSwap != 0 {
		x, y = y, x
	}
	rx := e.vreg(x, fsc0)
	ry := e.vreg(y, fsc1)
	d := e.dst(v, fsc1)
	e.a.word(enc3(l.insn, d, rx, ry))
	if l.insn2 != 0 {
		e.a.word(enc2(l.insn2, d, d))
	}
	e.commit(v, d)
	return nil
}

// vun lowers d = op x with one instruction, then insn2 on d in place if
// the row has one.
func (e *fn) vun(v *ir.Value, l *lowering) error {
	r := e.vreg(v.Args[0], fsc0)
	d := e.dst(v, fsc1)
	e.a.word(enc2(l.insn, d, r))
	if l.insn2 != 0 {
		e.a.word(enc2(l.insn2, d, d))
	}
	e.commit(v, d)
	return nil
}

// narrow lowers the saturating narrowings: arg0 into the low half (insn,
// the 64-bit form), arg1 into the high half (its "2" form).
func (e *fn) narrow(v *ir.Value, l *lowering) error {
	args, t := e.simdRegs(v)
	r, _ := e.seqDst(v, args, t)
	e.a.word(enc2(l.insn, r, args[0]))
	e.a.word(enc2(l.insn|qBit, r, args[1]))
	e.commit(v, r)
	return nil
}

// splat lowers the splats: DUP of a general register, or of lane 0 of a
// float's V register.
func (e *fn) splat(v *ir.Value, _ *lowering) error {
	x := v.Args[0]
	sz := laneSize(v.Op)
	d := e.dst(v, fsc1)
	if isFloat(x.Type) {
		r := e.vreg(x, fsc0)
		e.a.word(enc2(copyOp(0, imm5(sz, 0), 0), d, r))
	} else {
		r := e.intReg(x, sc0)
		e.a.word(enc2(copyOp(0, imm5(sz, 0), 0b0001), d, r))
	}
	e.commit(v, d)
	return nil
}

// extractLane lowers extract_lane: SMOV/UMOV into a general register, or
// DUP (scalar) of the lane into a float's V register.
func (e *fn) extractLane(v *ir.Value, l *lowering) error {
	r := e.vreg(v.Args[0], fsc0)
	sz := laneSize(v.Op)
	var d int16
	if isFloat(v.Type) {
		d = e.dst(v, fsc1)
	} else {
		d = e.dst(v, sc1)
	}
	e.a.word(enc2(l.insn|imm5(sz, v.Aux)<<16, d, r))
	e.commit(v, d)
	return nil
}

// replaceLane lowers replace_lane: the vector into the result register,
// then INS of the scalar (a general register, or lane 0 of a float's).
func (e *fn) replaceLane(v *ir.Value, l *lowering) error {
	x, y := v.Args[0], v.Args[1]
	sz := laneSize(v.Op)
	d := e.dst(v, fsc1)
	var s int16
	if isFloat(y.Type) {
		s = e.vreg(y, fsc0)
		if s == d && !e.inReg(x, d) {
			e.vmov(s, fsc0)
			s = fsc0
		}
	} else {
		s = e.intReg(y, sc0)
	}
	e.loadInto(x, d)
	e.a.word(enc2(l.insn|imm5(sz, v.Aux)<<16, d, s))
	e.commit(v, d)
	return nil
}

// shuffle lowers i8x16.shuffle: TBL of the lane indices in the table of
// the two operands, which must be consecutive registers: V30, V31.
func (e *fn) shuffle(v *ir.Value, _ *lowering) error {
	e.loadInto(v.Args[0], fsc0)
	e.loadInto(v.Args[1], fsc1)
	d := e.dst(v, arm64.REG_F29)
	e.vconst(uint64(v.Aux), uint64(v.Aux2), d)
	e.a.word(enc3(insnTBL2, d, fsc0, d))
	e.commit(v, d)
	return nil
}

// bitselect lowers v128.bitselect (and relaxed laneselect, which may
// compute the same): (v1 & c) | (v2 & ^c) in one instruction when the
// result's register holds an operand — BSL over c, BIT over v2, BIF over
// v1 — else BSL over a copy of c.
func (e *fn) bitselect(v *ir.Value, _ *lowering) error {
	args, t := e.simdRegs(v)
	v1, v2, c := args[0], args[1], args[2]
	d := e.dst(v, t[0])
	switch d {
	case c:
		e.a.word(enc3(insnBSL, d, v1, v2))
	case v2:
		e.a.word(enc3(insnBIT, d, v1, c))
	case v1:
		e.a.word(enc3(insnBIF, d, v2, c))
	default:
		e.vmov(c, d)
		e.a.word(enc3(insnBSL, d, v1, v2))
	}
	e.commit(v, d)
	return nil
}

// pminmax lowers pmin (b < a ? b : a) and pmax (a < b ? b : a): FCMGT of
// a > b (b > a for vSwap), then BSL of b where it holds, a elsewhere.
func (e *fn) pminmax(v *ir.Value, l *lowering) error {
	args, t := e.simdRegs(v)
	a, b := args[0], args[1]
	r, _ := e.seqDst(v, args, t)
	if l.flags&vSwap != 0 {
		e.a.word(enc3(l.insn, r, b, a))
	} else {
		e.a.word(enc3(l.insn, r, a, b))
	}
	e.a.word(enc3(insnBSL, r, b, a))
	e.commit(v, r)
	return nil
}

// madd lowers relaxed madd (a×b + c) and nmadd (c - a×b, vSwap),
// unfused: the product (insn), then insn2.
func (e *fn) madd(v *ir.Value, l *lowering) error {
	args, t := e.simdRegs(v)
	r, _ := e.seqDst(v, args, t)
	e.a.word(enc3(l.insn, r, args[0], args[1]))
	if l.flags&vSwap != 0 {
		e.a.word(enc3(l.insn2, r, args[2], r))
	} else {
		e.a.word(enc3(l.insn2, r, r, args[2]))
	}
	e.commit(v, r)
	return nil
}

// anyTrue lowers v128.any_true: the largest byte (UMAXV) is not 0.
func (e *fn) anyTrue(v *ir.Value, l *lowering) error {
	r := e.vreg(v.Args[0], fsc0)
	e.a.word(enc2(l.insn, fsc1, r))
	e.flagToInt(v, arm64.COND_NE)
	return nil
}

// allTrue lowers all_true: the smallest lane (UMINV) is not 0; for i64x2
// no lane is 0 (CMEQ #0, then UMAXV of the mask is 0).
func (e *fn) allTrue(v *ir.Value, l *lowering) error {
	r := e.vreg(v.Args[0], fsc0)
	e.a.word(enc2(l.insn, fsc1, r))
	if l.insn == insnCMEQ0D {
		e.a.word(enc2(across(1, szS, 0b01010), fsc1, fsc1))
		e.flagToInt(v, arm64.COND_EQ)
		return nil
	}
	e.flagToInt(v, arm64.COND_NE)
	return nil
}

// flagToInt finishes any_true and all_true: v = (the low 32 bits of V31
// compared with 0 meet cond).
func (e *fn) flagToInt(v *ir.Value, cond int16) {
	a := e.a
	a.op(arm64.AFMOVS, regAddr(fsc1), regAddr(sc0))
	a.cmp(arm64.ACMPW, immAddr(0), sc0)
	d := e.dst(v, sc1)
	a.op(arm64.ACSET, condAddr(cond), regAddr(d))
	e.commit(v, d)
}

// bitmask lowers bitmask: each lane's top bit spread over the lane
// (SSHR), ANDed with the lane's bit of the mask, and the lanes added up
// (ADDV, ADDP); i8x16 first interleaves its two halves into 16-bit lanes
// (EXT, ZIP1), the high half's bits landing in the high bytes.
func (e *fn) bitmask(v *ir.Value, _ *lowering) error {
	a := e.a
	args, t := e.simdRegs(v)
	r, m := t[0], t[1]
	sz := laneSize(v.Op)
	bits := uint32(8) << sz
	a.word(enc2(shImm(0, 2*bits-(bits-1), 0), r, args[0])) // SSHR #bits-1
	var add uint32
	switch sz {
	case szB:
		e.splat64(0x8040201008040201, m)
		add = across(0, szH, 0b11011) // ADDV Hd, Vn.8H
	case szH:
		e.vconst(0x0008000400020001, 0x0080004000200010, m)
		add = across(0, szH, 0b11011)
	case szS:
		e.vconst(0x0000000200000001, 0x0000000800000004, m)
		add = across(0, szS, 0b11011) // ADDV Sd, Vn.4S
	default:
		e.vconst(1, 2, m)
		add = insnADDPD
	}
	a.word(enc3(insnAND, r, r, m))
	if sz == szB {
		a.word(enc3(insnEXT8, m, r, r))
		a.word(enc3(insnZIP1B, r, r, m))
	}
	a.word(enc2(add, r, r))
	d := e.dst(v, sc1)
	a.op(arm64.AFMOVS, regAddr(r), regAddr(d))
	e.commit(v, d)
	return nil
}

// vshift lowers the shifts, the count modulo the lane width: by a
// constant with SHL/SSHR/USHR (insn; nothing for 0), else SSHL/USHL
// (insn2) by the count (negated for right shifts) in every byte. The rows
// of the immediate forms hold immh:immb for a shift of 0 (bits, and 2*bits
// for right shifts, which for 64-bit lanes carries into bit 23 until the
// count is subtracted).
func (e *fn) vshift(v *ir.Value, l *lowering) error {
	a := e.a
	x, n := v.Args[0], v.Args[1]
	bits := int64(8) << laneSize(v.Op)
	r := e.vreg(x, fsc0)
	d := e.dst(v, fsc1)
	if n.Op == ir.OpConst {
		c := constBits(n) & (bits - 1)
		switch {
		case c == 0:
			e.vmov(r, d)
		case l.flags&vRight != 0:
			a.word(enc2(l.insn-uint32(c)<<16, d, r)) // immh:immb = 2*bits - c (the row has 2*bits)
		default:
			a.word(enc2(l.insn+uint32(c)<<16, d, r)) // immh:immb = bits + c
		}
		e.commit(v, d)
		return nil
	}
	cnt := e.intReg(n, sc0)
	a.op3(arm64.AANDW, immAddr(bits-1), cnt, regAddr(sc0))
	if l.flags&vRight != 0 {
		a.op(arm64.ANEGW, regAddr(sc0), regAddr(sc0))
	}
	s := int16(fsc0)
	if r == fsc0 {
		s = fsc1
	}
	a.word(enc2(insnDUPB, s, sc0))
	a.word(enc3(l.insn2, d, r, s))
	e.commit(v, d)
	return nil
}

// mul64 lowers i64x2.mul lane by lane with MUL in general registers.
func (e *fn) mul64(v *ir.Value, _ *lowering) error {
	a := e.a
	args, t := e.simdRegs(v)
	r, _ := e.seqDst(v, args, t)
	for lane := uint32(0); lane < 2; lane++ {
		a.word(enc2(insnUMOVX0|lane*laneD1, sc0, args[0]))
		a.word(enc2(insnUMOVX0|lane*laneD1, sc1, args[1]))
		a.op3(arm64.AMUL, regAddr(sc1), sc0, regAddr(sc0))
		a.word(enc2(insnINSX0|lane*laneD1, r, sc0))
	}
	e.commit(v, r)
	return nil
}

// dot lowers the dot products: the products of the low and the high
// halves widened (SMULL, SMULL2), then summed in pairs (ADDP, wrapping);
// the relaxed add form sums the i16 products of i8 lanes in pairs into
// i32 first (SADDLP, exact), then in pairs again, and adds arg2.
func (e *fn) dot(v *ir.Value, _ *lowering) error {
	a := e.a
	args, t := e.simdRegs(v)
	r, t := e.seqDst(v, args, t)
	s := t[0]
	src := uint32(szB) // i8 lanes
	if v.Op == ir.OpI32x4DotI16x8S {
		src = szH
	}
	a.word(enc3(insnSMULL|src<<22, r, args[0], args[1]))
	a.word(enc3(insnSMULL|src<<22|qBit, s, args[0], args[1]))
	if v.Op == ir.OpI32x4RelaxedDotI8x16I7x16AddS {
		a.word(enc2(insnSADDLP, r, r))
		a.word(enc2(insnSADDLP, s, s))
		a.word(enc3(insnADDP|szS<<22, r, r, s))
		a.word(enc3(insnADD4S, r, r, args[2]))
	} else {
		a.word(enc3(insnADDP|(src+1)<<22, r, r, s))
	}
	e.commit(v, r)
	return nil
}
