package x64

// SIMD lowerings (ir/simd.go) with SSE up to SSE4.2, the x86-64-v2 level
// the scalar lowerings already assume (POPCNT, ROUNDSD). The mirror on
// aarch64 is aarch64/simd.go (NEON).
//
// v128 values live in XMM registers or in two adjacent spill slots (the
// allocator's float class). Spill slots are only 8-byte aligned, so a
// spilled operand goes through MOVUPS into a register first: legacy SSE
// instructions fault on unaligned memory operands. The pool aligns its
// 16-byte constants, which serve as memory operands directly (PSHUFB
// masks; v128.const operands without a register, vsrc). Lane-wise ops with a single instruction compute straight into
// the result's register (simdBinop, simdUnop); longer sequences take their
// operands and temporaries from simdRegs, which hands out registers from
// the scratch pair and X10–X13, which those ops clobber (simdClobbers), so
// no other value lives there.
//
// Wasm semantics the sequences preserve, per op: float min/max propagate
// NaN (canonical) and order -0 < +0; the saturating truncations map NaN to
// 0; shifts take the count modulo the lane width. Relaxed SIMD picks one
// deterministic result the proposal allows: swizzle, laneselect, q15mulr,
// trunc, min and max compute their non-relaxed counterparts; madd and
// nmadd round twice (mul, then add); the i7 dot products multiply signed
// by signed with wrapping pairwise sums.

import (
	"fmt"
	"math"
	"slices"

	"github.com/twitchyliquid64/golang-asm/obj"
	"github.com/twitchyliquid64/golang-asm/obj/x86"

	"wfxc/ir"
	"wfxc/lower"
)

// simdPool is where simdRegs finds registers: the scratch pair, then the
// registers that the sequence ops clobber.
var simdPool = [...]int16{fsc1, fsc0, x86.REG_X13, x86.REG_X12, x86.REG_X11, x86.REG_X10}

// simdTempSet is the allocator's view of X10–X13.
const simdTempSet = lower.RegSet(1<<(x0+10) | 1<<(x0+11) | 1<<(x0+12) | 1<<(x0+13))

// Flags of simdCmp (in the row's imm).
const (
	cmpSwap = 1 << iota // compare arg1 with arg0
	cmpEqX              // then compare the result with (the new) arg0 for equality (as32)
	cmpNot              // then invert
)

// simdRows are the SIMD rows of the lowering table.
var simdRows = map[ir.Op]lowering{
	ir.OpV128Const:    {emit: (*fn).v128Const},
	ir.OpI8x16Shuffle: {emit: (*fn).shuffle, xmm: true, temps: true},
	ir.OpI8x16Swizzle: {emit: (*fn).swizzle, xmm: true, temps: true},

	ir.OpI8x16Splat: {emit: (*fn).splat},
	ir.OpI16x8Splat: {emit: (*fn).splat},
	ir.OpI32x4Splat: {emit: (*fn).splat},
	ir.OpI64x2Splat: {emit: (*fn).splat},
	ir.OpF32x4Splat: {emit: (*fn).splat},
	ir.OpF64x2Splat: {emit: (*fn).splat},

	ir.OpI8x16ExtractLaneS: {emit: (*fn).extractLane, as64: x86.APEXTRB, as32: x86.AMOVBLSX},
	ir.OpI8x16ExtractLaneU: {emit: (*fn).extractLane, as64: x86.APEXTRB},
	ir.OpI16x8ExtractLaneS: {emit: (*fn).extractLane, as64: x86.APEXTRW, as32: x86.AMOVWLSX},
	ir.OpI16x8ExtractLaneU: {emit: (*fn).extractLane, as64: x86.APEXTRW},
	ir.OpI32x4ExtractLane:  {emit: (*fn).extractLane, as64: x86.APEXTRD},
	ir.OpI64x2ExtractLane:  {emit: (*fn).extractLane, as64: x86.APEXTRQ},
	ir.OpF32x4ExtractLane:  {emit: (*fn).extractLane, as64: x86.AINSERTPS},
	ir.OpF64x2ExtractLane:  {emit: (*fn).extractLane, as64: x86.APSHUFD},
	ir.OpI8x16ReplaceLane:  {emit: (*fn).replaceLane, as64: x86.APINSRB},
	ir.OpI16x8ReplaceLane:  {emit: (*fn).replaceLane, as64: x86.APINSRW},
	ir.OpI32x4ReplaceLane:  {emit: (*fn).replaceLane, as64: x86.APINSRD},
	ir.OpI64x2ReplaceLane:  {emit: (*fn).replaceLane, as64: x86.APINSRQ},
	ir.OpF32x4ReplaceLane:  {emit: (*fn).replaceLane, as64: x86.AINSERTPS},
	ir.OpF64x2ReplaceLane:  {emit: (*fn).replaceLane, as64: x86.AMOVSD, as32: x86.AMOVLHPS},

	ir.OpI8x16Eq:  {emit: (*fn).simdBinop, xmm: true, as64: x86.APCMPEQB, comm: true},
	ir.OpI8x16Ne:  {emit: (*fn).simdCmp, xmm: true, as64: x86.APCMPEQB, imm: cmpNot, temps: true},
	ir.OpI8x16LtS: {emit: (*fn).simdCmp, xmm: true, as64: x86.APCMPGTB, imm: cmpSwap, temps: true},
	ir.OpI8x16LtU: {emit: (*fn).simdCmp, xmm: true, as64: x86.APMAXUB, as32: x86.APCMPEQB, imm: cmpEqX | cmpNot, temps: true},
	ir.OpI8x16GtS: {emit: (*fn).simdBinop, xmm: true, as64: x86.APCMPGTB},
	ir.OpI8x16GtU: {emit: (*fn).simdCmp, xmm: true, as64: x86.APMINUB, as32: x86.APCMPEQB, imm: cmpEqX | cmpNot, temps: true},
	ir.OpI8x16LeS: {emit: (*fn).simdCmp, xmm: true, as64: x86.APMINSB, as32: x86.APCMPEQB, imm: cmpEqX, temps: true},
	ir.OpI8x16LeU: {emit: (*fn).simdCmp, xmm: true, as64: x86.APMINUB, as32: x86.APCMPEQB, imm: cmpEqX, temps: true},
	ir.OpI8x16GeS: {emit: (*fn).simdCmp, xmm: true, as64: x86.APMAXSB, as32: x86.APCMPEQB, imm: cmpEqX, temps: true},
	ir.OpI8x16GeU: {emit: (*fn).simdCmp, xmm: true, as64: x86.APMAXUB, as32: x86.APCMPEQB, imm: cmpEqX, temps: true},
	ir.OpI16x8Eq:  {emit: (*fn).simdBinop, xmm: true, as64: x86.APCMPEQW, comm: true},
	ir.OpI16x8Ne:  {emit: (*fn).simdCmp, xmm: true, as64: x86.APCMPEQW, imm: cmpNot, temps: true},
	ir.OpI16x8LtS: {emit: (*fn).simdCmp, xmm: true, as64: x86.APCMPGTW, imm: cmpSwap, temps: true},
	ir.OpI16x8LtU: {emit: (*fn).simdCmp, xmm: true, as64: x86.APMAXUW, as32: x86.APCMPEQW, imm: cmpEqX | cmpNot, temps: true},
	ir.OpI16x8GtS: {emit: (*fn).simdBinop, xmm: true, as64: x86.APCMPGTW},
	ir.OpI16x8GtU: {emit: (*fn).simdCmp, xmm: true, as64: x86.APMINUW, as32: x86.APCMPEQW, imm: cmpEqX | cmpNot, temps: true},
	ir.OpI16x8LeS: {emit: (*fn).simdCmp, xmm: true, as64: x86.APMINSW, as32: x86.APCMPEQW, imm: cmpEqX, temps: true},
	ir.OpI16x8LeU: {emit: (*fn).simdCmp, xmm: true, as64: x86.APMINUW, as32: x86.APCMPEQW, imm: cmpEqX, temps: true},
	ir.OpI16x8GeS: {emit: (*fn).simdCmp, xmm: true, as64: x86.APMAXSW, as32: x86.APCMPEQW, imm: cmpEqX, temps: true},
	ir.OpI16x8GeU: {emit: (*fn).simdCmp, xmm: true, as64: x86.APMAXUW, as32: x86.APCMPEQW, imm: cmpEqX, temps: true},
	ir.OpI32x4Eq:  {emit: (*fn).simdBinop, xmm: true, as64: x86.APCMPEQL, comm: true},
	ir.OpI32x4Ne:  {emit: (*fn).simdCmp, xmm: true, as64: x86.APCMPEQL, imm: cmpNot, temps: true},
	ir.OpI32x4LtS: {emit: (*fn).simdCmp, xmm: true, as64: x86.APCMPGTL, imm: cmpSwap, temps: true},
	ir.OpI32x4LtU: {emit: (*fn).simdCmp, xmm: true, as64: x86.APMAXUD, as32: x86.APCMPEQL, imm: cmpEqX | cmpNot, temps: true},
	ir.OpI32x4GtS: {emit: (*fn).simdBinop, xmm: true, as64: x86.APCMPGTL},
	ir.OpI32x4GtU: {emit: (*fn).simdCmp, xmm: true, as64: x86.APMINUD, as32: x86.APCMPEQL, imm: cmpEqX | cmpNot, temps: true},
	ir.OpI32x4LeS: {emit: (*fn).simdCmp, xmm: true, as64: x86.APMINSD, as32: x86.APCMPEQL, imm: cmpEqX, temps: true},
	ir.OpI32x4LeU: {emit: (*fn).simdCmp, xmm: true, as64: x86.APMINUD, as32: x86.APCMPEQL, imm: cmpEqX, temps: true},
	ir.OpI32x4GeS: {emit: (*fn).simdCmp, xmm: true, as64: x86.APMAXSD, as32: x86.APCMPEQL, imm: cmpEqX, temps: true},
	ir.OpI32x4GeU: {emit: (*fn).simdCmp, xmm: true, as64: x86.APMAXUD, as32: x86.APCMPEQL, imm: cmpEqX, temps: true},
	ir.OpI64x2Eq:  {emit: (*fn).simdBinop, xmm: true, as64: x86.APCMPEQQ, comm: true},
	ir.OpI64x2Ne:  {emit: (*fn).simdCmp, xmm: true, as64: x86.APCMPEQQ, imm: cmpNot, temps: true},
	ir.OpI64x2LtS: {emit: (*fn).simdCmp, xmm: true, as64: x86.APCMPGTQ, imm: cmpSwap, temps: true},
	ir.OpI64x2GtS: {emit: (*fn).simdBinop, xmm: true, as64: x86.APCMPGTQ},
	ir.OpI64x2LeS: {emit: (*fn).simdCmp, xmm: true, as64: x86.APCMPGTQ, imm: cmpNot, temps: true},
	ir.OpI64x2GeS: {emit: (*fn).simdCmp, xmm: true, as64: x86.APCMPGTQ, imm: cmpSwap | cmpNot, temps: true},

	// Float compares: CMPPS/CMPPD predicates 0 eq, 1 lt, 2 le, 4 neq;
	// gt and ge compare swapped (imm bit 8).
	ir.OpF32x4Eq: {emit: (*fn).simdFCmp, xmm: true, as64: x86.ACMPPS, imm: 0, temps: true},
	ir.OpF32x4Ne: {emit: (*fn).simdFCmp, xmm: true, as64: x86.ACMPPS, imm: 4, temps: true},
	ir.OpF32x4Lt: {emit: (*fn).simdFCmp, xmm: true, as64: x86.ACMPPS, imm: 1, temps: true},
	ir.OpF32x4Gt: {emit: (*fn).simdFCmp, xmm: true, as64: x86.ACMPPS, imm: 1 | 256, temps: true},
	ir.OpF32x4Le: {emit: (*fn).simdFCmp, xmm: true, as64: x86.ACMPPS, imm: 2, temps: true},
	ir.OpF32x4Ge: {emit: (*fn).simdFCmp, xmm: true, as64: x86.ACMPPS, imm: 2 | 256, temps: true},
	ir.OpF64x2Eq: {emit: (*fn).simdFCmp, xmm: true, as64: x86.ACMPPD, imm: 0, temps: true},
	ir.OpF64x2Ne: {emit: (*fn).simdFCmp, xmm: true, as64: x86.ACMPPD, imm: 4, temps: true},
	ir.OpF64x2Lt: {emit: (*fn).simdFCmp, xmm: true, as64: x86.ACMPPD, imm: 1, temps: true},
	ir.OpF64x2Gt: {emit: (*fn).simdFCmp, xmm: true, as64: x86.ACMPPD, imm: 1 | 256, temps: true},
	ir.OpF64x2Le: {emit: (*fn).simdFCmp, xmm: true, as64: x86.ACMPPD, imm: 2, temps: true},
	ir.OpF64x2Ge: {emit: (*fn).simdFCmp, xmm: true, as64: x86.ACMPPD, imm: 2 | 256, temps: true},

	ir.OpV128Not:       {emit: (*fn).vnot, temps: true},
	ir.OpV128And:       {emit: (*fn).simdBinop, xmm: true, as64: x86.APAND, comm: true},
	ir.OpV128Andnot:    {emit: (*fn).simdBinopRev, xmm: true, as64: x86.APANDN}, // PANDN x, d: d = ^d & x with d = arg1
	ir.OpV128Or:        {emit: (*fn).simdBinop, xmm: true, as64: x86.APOR, comm: true},
	ir.OpV128Xor:       {emit: (*fn).simdBinop, xmm: true, as64: x86.APXOR, comm: true},
	ir.OpV128Bitselect: {emit: (*fn).bitselect, temps: true},
	ir.OpV128AnyTrue:   {emit: (*fn).anyTrue},

	ir.OpF32x4DemoteF64x2Zero: {emit: (*fn).simdUnop, xmm: true, as64: x86.ACVTPD2PS},
	ir.OpF64x2PromoteLowF32x4: {emit: (*fn).simdUnop, xmm: true, as64: x86.ACVTPS2PD},

	ir.OpI8x16Abs:          {emit: (*fn).simdUnop, xmm: true, as64: x86.APABSB},
	ir.OpI8x16Neg:          {emit: (*fn).vneg, as64: x86.APSUBB, temps: true},
	ir.OpI8x16Popcnt:       {emit: (*fn).popcnt8, temps: true},
	ir.OpI8x16AllTrue:      {emit: (*fn).allTrue, as64: x86.APCMPEQB},
	ir.OpI8x16Bitmask:      {emit: (*fn).bitmask, as64: x86.APMOVMSKB},
	ir.OpI8x16NarrowI16x8S: {emit: (*fn).simdBinop, xmm: true, as64: x86.APACKSSWB},
	ir.OpI8x16NarrowI16x8U: {emit: (*fn).simdBinop, xmm: true, as64: x86.APACKUSWB},
	ir.OpI8x16Shl:          {emit: (*fn).shl8, temps: true},
	ir.OpI8x16ShrS:         {emit: (*fn).shr8, as64: x86.APSRAW, as32: x86.APACKSSWB, temps: true},
	ir.OpI8x16ShrU:         {emit: (*fn).shr8, as64: x86.APSRLW, as32: x86.APACKUSWB, temps: true},
	ir.OpI8x16Add:          {emit: (*fn).simdBinop, xmm: true, as64: x86.APADDB, comm: true},
	ir.OpI8x16AddSatS:      {emit: (*fn).simdBinop, xmm: true, as64: x86.APADDSB, comm: true},
	ir.OpI8x16AddSatU:      {emit: (*fn).simdBinop, xmm: true, as64: x86.APADDUSB, comm: true},
	ir.OpI8x16Sub:          {emit: (*fn).simdBinop, xmm: true, as64: x86.APSUBB},
	ir.OpI8x16SubSatS:      {emit: (*fn).simdBinop, xmm: true, as64: x86.APSUBSB},
	ir.OpI8x16SubSatU:      {emit: (*fn).simdBinop, xmm: true, as64: x86.APSUBUSB},
	ir.OpI8x16MinS:         {emit: (*fn).simdBinop, xmm: true, as64: x86.APMINSB, comm: true},
	ir.OpI8x16MinU:         {emit: (*fn).simdBinop, xmm: true, as64: x86.APMINUB, comm: true},
	ir.OpI8x16MaxS:         {emit: (*fn).simdBinop, xmm: true, as64: x86.APMAXSB, comm: true},
	ir.OpI8x16MaxU:         {emit: (*fn).simdBinop, xmm: true, as64: x86.APMAXUB, comm: true},
	ir.OpI8x16AvgrU:        {emit: (*fn).simdBinop, xmm: true, as64: x86.APAVGB, comm: true},

	ir.OpI16x8ExtaddPairwiseI8x16S: {emit: (*fn).extadd, temps: true},
	ir.OpI16x8ExtaddPairwiseI8x16U: {emit: (*fn).extadd, temps: true},
	ir.OpI32x4ExtaddPairwiseI16x8S: {emit: (*fn).extadd, temps: true},
	ir.OpI32x4ExtaddPairwiseI16x8U: {emit: (*fn).extadd, temps: true},

	ir.OpI16x8Abs:              {emit: (*fn).simdUnop, xmm: true, as64: x86.APABSW},
	ir.OpI16x8Neg:              {emit: (*fn).vneg, as64: x86.APSUBW, temps: true},
	ir.OpI16x8Q15mulrSatS:      {emit: (*fn).q15mulr, temps: true},
	ir.OpI16x8AllTrue:          {emit: (*fn).allTrue, as64: x86.APCMPEQW},
	ir.OpI16x8Bitmask:          {emit: (*fn).bitmask, as64: x86.APACKSSWB},
	ir.OpI16x8NarrowI32x4S:     {emit: (*fn).simdBinop, xmm: true, as64: x86.APACKSSLW},
	ir.OpI16x8NarrowI32x4U:     {emit: (*fn).simdBinop, xmm: true, as64: x86.APACKUSDW},
	ir.OpI16x8ExtendLowI8x16S:  {emit: (*fn).extend, xmm: true, as64: x86.APMOVSXBW},
	ir.OpI16x8ExtendHighI8x16S: {emit: (*fn).extend, xmm: true, as64: x86.APMOVSXBW, imm: 1},
	ir.OpI16x8ExtendLowI8x16U:  {emit: (*fn).extend, xmm: true, as64: x86.APMOVZXBW},
	ir.OpI16x8ExtendHighI8x16U: {emit: (*fn).extend, xmm: true, as64: x86.APMOVZXBW, imm: 1},
	ir.OpI16x8Shl:              {emit: (*fn).simdShift, as64: x86.APSLLW, imm: 15},
	ir.OpI16x8ShrS:             {emit: (*fn).simdShift, as64: x86.APSRAW, imm: 15},
	ir.OpI16x8ShrU:             {emit: (*fn).simdShift, as64: x86.APSRLW, imm: 15},
	ir.OpI16x8Add:              {emit: (*fn).simdBinop, xmm: true, as64: x86.APADDW, comm: true},
	ir.OpI16x8AddSatS:          {emit: (*fn).simdBinop, xmm: true, as64: x86.APADDSW, comm: true},
	ir.OpI16x8AddSatU:          {emit: (*fn).simdBinop, xmm: true, as64: x86.APADDUSW, comm: true},
	ir.OpI16x8Sub:              {emit: (*fn).simdBinop, xmm: true, as64: x86.APSUBW},
	ir.OpI16x8SubSatS:          {emit: (*fn).simdBinop, xmm: true, as64: x86.APSUBSW},
	ir.OpI16x8SubSatU:          {emit: (*fn).simdBinop, xmm: true, as64: x86.APSUBUSW},
	ir.OpI16x8Mul:              {emit: (*fn).simdBinop, xmm: true, as64: x86.APMULLW, comm: true},
	ir.OpI16x8MinS:             {emit: (*fn).simdBinop, xmm: true, as64: x86.APMINSW, comm: true},
	ir.OpI16x8MinU:             {emit: (*fn).simdBinop, xmm: true, as64: x86.APMINUW, comm: true},
	ir.OpI16x8MaxS:             {emit: (*fn).simdBinop, xmm: true, as64: x86.APMAXSW, comm: true},
	ir.OpI16x8MaxU:             {emit: (*fn).simdBinop, xmm: true, as64: x86.APMAXUW, comm: true},
	ir.OpI16x8AvgrU:            {emit: (*fn).simdBinop, xmm: true, as64: x86.APAVGW, comm: true},
	ir.OpI16x8ExtmulLowI8x16S:  {emit: (*fn).extmul, as64: x86.APMULLW, as32: x86.APMOVSXBW, temps: true},
	ir.OpI16x8ExtmulHighI8x16S: {emit: (*fn).extmul, as64: x86.APMULLW, as32: x86.APMOVSXBW, imm: 1, temps: true},
	ir.OpI16x8ExtmulLowI8x16U:  {emit: (*fn).extmul, as64: x86.APMULLW, as32: x86.APMOVZXBW, temps: true},
	ir.OpI16x8ExtmulHighI8x16U: {emit: (*fn).extmul, as64: x86.APMULLW, as32: x86.APMOVZXBW, imm: 1, temps: true},

	ir.OpI32x4Abs:              {emit: (*fn).simdUnop, xmm: true, as64: x86.APABSD},
	ir.OpI32x4Neg:              {emit: (*fn).vneg, as64: x86.APSUBL, temps: true},
	ir.OpI32x4AllTrue:          {emit: (*fn).allTrue, as64: x86.APCMPEQL},
	ir.OpI32x4Bitmask:          {emit: (*fn).bitmask, as64: x86.AMOVMSKPS},
	ir.OpI32x4ExtendLowI16x8S:  {emit: (*fn).extend, xmm: true, as64: x86.APMOVSXWD},
	ir.OpI32x4ExtendHighI16x8S: {emit: (*fn).extend, xmm: true, as64: x86.APMOVSXWD, imm: 1},
	ir.OpI32x4ExtendLowI16x8U:  {emit: (*fn).extend, xmm: true, as64: x86.APMOVZXWD},
	ir.OpI32x4ExtendHighI16x8U: {emit: (*fn).extend, xmm: true, as64: x86.APMOVZXWD, imm: 1},
	ir.OpI32x4Shl:              {emit: (*fn).simdShift, as64: x86.APSLLL, imm: 31},
	ir.OpI32x4ShrS:             {emit: (*fn).simdShift, as64: x86.APSRAL, imm: 31},
	ir.OpI32x4ShrU:             {emit: (*fn).simdShift, as64: x86.APSRLL, imm: 31},
	ir.OpI32x4Add:              {emit: (*fn).simdBinop, xmm: true, as64: x86.APADDL, comm: true},
	ir.OpI32x4Sub:              {emit: (*fn).simdBinop, xmm: true, as64: x86.APSUBL},
	ir.OpI32x4Mul:              {emit: (*fn).simdBinop, xmm: true, as64: x86.APMULLD, comm: true},
	ir.OpI32x4MinS:             {emit: (*fn).simdBinop, xmm: true, as64: x86.APMINSD, comm: true},
	ir.OpI32x4MinU:             {emit: (*fn).simdBinop, xmm: true, as64: x86.APMINUD, comm: true},
	ir.OpI32x4MaxS:             {emit: (*fn).simdBinop, xmm: true, as64: x86.APMAXSD, comm: true},
	ir.OpI32x4MaxU:             {emit: (*fn).simdBinop, xmm: true, as64: x86.APMAXUD, comm: true},
	ir.OpI32x4DotI16x8S:        {emit: (*fn).simdBinop, xmm: true, as64: x86.APMADDWL, comm: true},
	ir.OpI32x4ExtmulLowI16x8S:  {emit: (*fn).extmul, as64: x86.APMULLD, as32: x86.APMOVSXWD, temps: true},
	ir.OpI32x4ExtmulHighI16x8S: {emit: (*fn).extmul, as64: x86.APMULLD, as32: x86.APMOVSXWD, imm: 1, temps: true},
	ir.OpI32x4ExtmulLowI16x8U:  {emit: (*fn).extmul, as64: x86.APMULLD, as32: x86.APMOVZXWD, temps: true},
	ir.OpI32x4ExtmulHighI16x8U: {emit: (*fn).extmul, as64: x86.APMULLD, as32: x86.APMOVZXWD, imm: 1, temps: true},

	ir.OpI64x2Abs:              {emit: (*fn).abs64, temps: true},
	ir.OpI64x2Neg:              {emit: (*fn).vneg, as64: x86.APSUBQ, temps: true},
	ir.OpI64x2AllTrue:          {emit: (*fn).allTrue, as64: x86.APCMPEQQ},
	ir.OpI64x2Bitmask:          {emit: (*fn).bitmask, as64: x86.AMOVMSKPD},
	ir.OpI64x2ExtendLowI32x4S:  {emit: (*fn).extend, xmm: true, as64: x86.APMOVSXDQ},
	ir.OpI64x2ExtendHighI32x4S: {emit: (*fn).extend, xmm: true, as64: x86.APMOVSXDQ, imm: 1},
	ir.OpI64x2ExtendLowI32x4U:  {emit: (*fn).extend, xmm: true, as64: x86.APMOVZXDQ},
	ir.OpI64x2ExtendHighI32x4U: {emit: (*fn).extend, xmm: true, as64: x86.APMOVZXDQ, imm: 1},
	ir.OpI64x2Shl:              {emit: (*fn).simdShift, as64: x86.APSLLQ, imm: 63},
	ir.OpI64x2ShrS:             {emit: (*fn).shr64s, temps: true},
	ir.OpI64x2ShrU:             {emit: (*fn).simdShift, as64: x86.APSRLQ, imm: 63},
	ir.OpI64x2Add:              {emit: (*fn).simdBinop, xmm: true, as64: x86.APADDQ, comm: true},
	ir.OpI64x2Sub:              {emit: (*fn).simdBinop, xmm: true, as64: x86.APSUBQ},
	ir.OpI64x2Mul:              {emit: (*fn).mul64, temps: true},
	ir.OpI64x2ExtmulLowI32x4S:  {emit: (*fn).extmul, as64: x86.APMULDQ, as32: x86.APSHUFD, imm: 0x50, temps: true},
	ir.OpI64x2ExtmulHighI32x4S: {emit: (*fn).extmul, as64: x86.APMULDQ, as32: x86.APSHUFD, imm: 0xfa, temps: true},
	ir.OpI64x2ExtmulLowI32x4U:  {emit: (*fn).extmul, as64: x86.APMULULQ, as32: x86.APSHUFD, imm: 0x50, temps: true},
	ir.OpI64x2ExtmulHighI32x4U: {emit: (*fn).extmul, as64: x86.APMULULQ, as32: x86.APSHUFD, imm: 0xfa, temps: true},

	ir.OpF32x4Ceil:    {emit: (*fn).simdUnop, xmm: true, as64: x86.AROUNDPS, imm: 2},
	ir.OpF32x4Floor:   {emit: (*fn).simdUnop, xmm: true, as64: x86.AROUNDPS, imm: 1},
	ir.OpF32x4Trunc:   {emit: (*fn).simdUnop, xmm: true, as64: x86.AROUNDPS, imm: 3},
	ir.OpF32x4Nearest: {emit: (*fn).simdUnop, xmm: true, as64: x86.AROUNDPS, imm: 0},
	ir.OpF64x2Ceil:    {emit: (*fn).simdUnop, xmm: true, as64: x86.AROUNDPD, imm: 2},
	ir.OpF64x2Floor:   {emit: (*fn).simdUnop, xmm: true, as64: x86.AROUNDPD, imm: 1},
	ir.OpF64x2Trunc:   {emit: (*fn).simdUnop, xmm: true, as64: x86.AROUNDPD, imm: 3},
	ir.OpF64x2Nearest: {emit: (*fn).simdUnop, xmm: true, as64: x86.AROUNDPD, imm: 0},

	ir.OpF32x4Abs:  {emit: (*fn).fsign, as64: x86.AANDPS, imm: 0x7fffffff7fffffff, temps: true},
	ir.OpF32x4Neg:  {emit: (*fn).fsign, as64: x86.AXORPS, imm: -0x7fffffff80000000, temps: true},
	ir.OpF32x4Sqrt: {emit: (*fn).simdUnop, xmm: true, as64: x86.ASQRTPS},
	ir.OpF32x4Add:  {emit: (*fn).simdBinop, xmm: true, as64: x86.AADDPS, comm: true},
	ir.OpF32x4Sub:  {emit: (*fn).simdBinop, xmm: true, as64: x86.ASUBPS},
	ir.OpF32x4Mul:  {emit: (*fn).simdBinop, xmm: true, as64: x86.AMULPS, comm: true},
	ir.OpF32x4Div:  {emit: (*fn).simdBinop, xmm: true, as64: x86.ADIVPS},
	ir.OpF32x4Min:  {emit: (*fn).fmin, as64: x86.AMINPS, as32: x86.ACMPPS, imm: 10, temps: true},
	ir.OpF32x4Max:  {emit: (*fn).fmax, as64: x86.AMAXPS, as32: x86.ACMPPS, imm: 10, temps: true},
	ir.OpF32x4Pmin: {emit: (*fn).simdBinopRev, xmm: true, as64: x86.AMINPS},
	ir.OpF32x4Pmax: {emit: (*fn).simdBinopRev, xmm: true, as64: x86.AMAXPS},
	ir.OpF64x2Abs:  {emit: (*fn).fsign, as64: x86.AANDPD, imm: math.MaxInt64, temps: true},
	ir.OpF64x2Neg:  {emit: (*fn).fsign, as64: x86.AXORPD, imm: math.MinInt64, temps: true},
	ir.OpF64x2Sqrt: {emit: (*fn).simdUnop, xmm: true, as64: x86.ASQRTPD},
	ir.OpF64x2Add:  {emit: (*fn).simdBinop, xmm: true, as64: x86.AADDPD, comm: true},
	ir.OpF64x2Sub:  {emit: (*fn).simdBinop, xmm: true, as64: x86.ASUBPD},
	ir.OpF64x2Mul:  {emit: (*fn).simdBinop, xmm: true, as64: x86.AMULPD, comm: true},
	ir.OpF64x2Div:  {emit: (*fn).simdBinop, xmm: true, as64: x86.ADIVPD},
	ir.OpF64x2Min:  {emit: (*fn).fmin, as64: x86.AMINPD, as32: x86.ACMPPD, imm: 13, temps: true},
	ir.OpF64x2Max:  {emit: (*fn).fmax, as64: x86.AMAXPD, as32: x86.ACMPPD, imm: 13, temps: true},
	ir.OpF64x2Pmin: {emit: (*fn).simdBinopRev, xmm: true, as64: x86.AMINPD},
	ir.OpF64x2Pmax: {emit: (*fn).simdBinopRev, xmm: true, as64: x86.AMAXPD},

	ir.OpI32x4TruncSatF32x4S:     {emit: (*fn).truncSat32S, temps: true},
	ir.OpI32x4TruncSatF32x4U:     {emit: (*fn).truncSat32U, temps: true},
	ir.OpF32x4ConvertI32x4S:      {emit: (*fn).simdUnop, xmm: true, as64: x86.ACVTPL2PS},
	ir.OpF32x4ConvertI32x4U:      {emit: (*fn).convert32U, temps: true},
	ir.OpI32x4TruncSatF64x2SZero: {emit: (*fn).truncSat64S, temps: true},
	ir.OpI32x4TruncSatF64x2UZero: {emit: (*fn).truncSat64U, temps: true},
	ir.OpF64x2ConvertLowI32x4S:   {emit: (*fn).simdUnop, xmm: true, as64: x86.ACVTPL2PD},
	ir.OpF64x2ConvertLowI32x4U:   {emit: (*fn).convert64U, temps: true},

	ir.OpI8x16RelaxedSwizzle:           {emit: (*fn).swizzle, xmm: true, temps: true},
	ir.OpI32x4RelaxedTruncF32x4S:       {emit: (*fn).truncSat32S, temps: true},
	ir.OpI32x4RelaxedTruncF32x4U:       {emit: (*fn).truncSat32U, temps: true},
	ir.OpI32x4RelaxedTruncF64x2SZero:   {emit: (*fn).truncSat64S, temps: true},
	ir.OpI32x4RelaxedTruncF64x2UZero:   {emit: (*fn).truncSat64U, temps: true},
	ir.OpF32x4RelaxedMadd:              {emit: (*fn).madd, as64: x86.AMULPS, as32: x86.AADDPS, temps: true},
	ir.OpF32x4RelaxedNmadd:             {emit: (*fn).madd, as64: x86.AMULPS, as32: x86.ASUBPS, imm: 1, temps: true},
	ir.OpF64x2RelaxedMadd:              {emit: (*fn).madd, as64: x86.AMULPD, as32: x86.AADDPD, temps: true},
	ir.OpF64x2RelaxedNmadd:             {emit: (*fn).madd, as64: x86.AMULPD, as32: x86.ASUBPD, imm: 1, temps: true},
	ir.OpI8x16RelaxedLaneselect:        {emit: (*fn).bitselect, temps: true},
	ir.OpI16x8RelaxedLaneselect:        {emit: (*fn).bitselect, temps: true},
	ir.OpI32x4RelaxedLaneselect:        {emit: (*fn).bitselect, temps: true},
	ir.OpI64x2RelaxedLaneselect:        {emit: (*fn).bitselect, temps: true},
	ir.OpF32x4RelaxedMin:               {emit: (*fn).fmin, as64: x86.AMINPS, as32: x86.ACMPPS, imm: 10, temps: true},
	ir.OpF32x4RelaxedMax:               {emit: (*fn).fmax, as64: x86.AMAXPS, as32: x86.ACMPPS, imm: 10, temps: true},
	ir.OpF64x2RelaxedMin:               {emit: (*fn).fmin, as64: x86.AMINPD, as32: x86.ACMPPD, imm: 13, temps: true},
	ir.OpF64x2RelaxedMax:               {emit: (*fn).fmax, as64: x86.AMAXPD, as32: x86.ACMPPD, imm: 13, temps: true},
	ir.OpI16x8RelaxedQ15mulrS:          {emit: (*fn).q15mulr, temps: true},
	ir.OpI16x8RelaxedDotI8x16I7x16S:    {emit: (*fn).dot8, temps: true},
	ir.OpI32x4RelaxedDotI8x16I7x16AddS: {emit: (*fn).dot8, temps: true},
}

func init() {
	for op, row := range simdRows {
		lowerings[op] = row
	}
}

// simdClobbers says which registers a SIMD op's lowering destroys: the
// temporaries of simdRegs, for the sequences (rows with temps).
func simdClobbers(v *ir.Value) lower.RegSet {
	if lowerings[v.Op].temps {
		return simdTempSet
	}
	return 0
}

// vreg returns a register holding vector or float v, loading it into
// scratch when it has none.
func (e *fn) vreg(v *ir.Value, scratch int16) int16 { return e.regOf(v, scratch, xmov(v.Type)) }

// movx copies XMM register s to d (nothing when they are the same).
func (e *fn) movx(s, d int16) {
	if s != d {
		e.a.op(x86.AMOVAPS, regAddr(s), regAddr(d))
	}
}

// vconst loads the 16 bytes {lo, hi} into XMM register r.
func (e *fn) vconst(lo, hi uint64, r int16) {
	switch {
	case lo == 0 && hi == 0:
		e.a.op(x86.APXOR, regAddr(r), regAddr(r))
	case lo == math.MaxUint64 && hi == math.MaxUint64:
		e.a.op(x86.APCMPEQB, regAddr(r), regAddr(r))
	default:
		e.a.op(x86.AMOVUPS, e.a.ConstAddr(lo, hi, 16), regAddr(r))
	}
}

// splat64 is a constant with x in both 64-bit lanes.
func (e *fn) splat64(x uint64, r int16) { e.vconst(x, x, r) }

// simdRegs (for rows with temps) returns registers holding v's vector args (in allocated
// registers, read-only, or loaded into registers of simdPool) and the
// pool registers left as temporaries. Scalar (int) args get -1.
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
		if l := e.loc(x); l.Kind == lower.LocReg && inXMM(x.Type) {
			args[i] = asmReg(l.Reg)
			mark(args[i])
		}
	}
	for i, x := range v.Args {
		if args[i] >= 0 || !inXMM(x.Type) {
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

// v128Const lowers v128.const.
func (e *fn) v128Const(v *ir.Value, _ *lowering) error {
	d := e.dst(v, fsc1)
	e.vconst(uint64(v.Aux), uint64(v.Aux2), d)
	e.commit(v, d)
	return nil
}

// simdBinop lowers d = x op y with a two-operand instruction.
func (e *fn) simdBinop(v *ir.Value, l *lowering) error {
	e.binop(v, v.Args[0], v.Args[1], l.as64, l.comm)
	return nil
}

// simdBinopRev lowers ops whose instruction takes arg1 as its destination
// (andnot with PANDN, pmin/pmax with MINPS/MAXPS).
func (e *fn) simdBinopRev(v *ir.Value, l *lowering) error {
	e.binop(v, v.Args[1], v.Args[0], l.as64, false)
	return nil
}

// binop emits "as y, d" with d = x, into v's location.
func (e *fn) binop(v, x, y *ir.Value, as obj.As, comm bool) {
	if e.cpu != 0 && e.vexBinop(v, x, y, as) { // vex.go
		return
	}
	d := e.dst(v, fsc1)
	if e.inReg(y, d) && !e.inReg(x, d) {
		if comm {
			x, y = y, x
		} else {
			d = fsc1
		}
	}
	src := e.vsrc(y, fsc0)
	e.loadInto(x, d)
	e.a.op(as, src, regAddr(d))
	e.commit(v, d)
}

// vsrc returns a source operand for vector y: its register, or for a
// v128.const without one its 16-byte-aligned pool entry (a loop's
// constants, hoisted and spilled, are read from the pool rather than
// reloaded from their slots first), else y loaded into scratch.
func (e *fn) vsrc(y *ir.Value, scratch int16) obj.Addr {
	if l := e.loc(y); y.Op == ir.OpV128Const && y.Type == ir.V128 && l.Kind != lower.LocReg {
		return e.a.ConstAddr(uint64(y.Aux), uint64(y.Aux2), 16)
	}
	return regAddr(e.vreg(y, scratch))
}

// simdUnop lowers d = op x (with the row's immediate for ROUNDPS/ROUNDPD).
func (e *fn) simdUnop(v *ir.Value, l *lowering) error {
	r := e.vreg(v.Args[0], fsc0)
	d := e.dst(v, fsc1)
	if l.as64 == x86.AROUNDPS || l.as64 == x86.AROUNDPD {
		e.a.op3(l.as64, immAddr(l.imm), regAddr(r), regAddr(d))
	} else {
		e.a.op(l.as64, regAddr(r), regAddr(d))
	}
	e.commit(v, d)
	return nil
}

// extend lowers the extend_low/high ops: PMOVSX/PMOVZX of the low half
// (imm 1: after moving the high half down).
func (e *fn) extend(v *ir.Value, l *lowering) error {
	if x := v.Args[0]; e.folded[x.ID] { // v128.loadNxM (foldLoads)
		d := e.dst(v, fsc1)
		e.guardSite(x.Args[0], e.a.op(l.as64, e.foldAt, regAddr(d)))
		e.commit(v, d)
		return nil
	}
	if x := v.Args[0]; e.xfold != nil && e.xfold[x.ID] {
		e.extendChain(v) // simdext.go
		return nil
	}
	r := e.vreg(v.Args[0], fsc0)
	d := e.dst(v, fsc1)
	if l.imm == 1 {
		e.a.op3(x86.APSHUFD, immAddr(0xee), regAddr(r), regAddr(d))
		r = d
	}
	e.a.op(l.as64, regAddr(r), regAddr(d))
	e.commit(v, d)
	return nil
}

// simdShift lowers shifts of 16-, 32- and 64-bit lanes: the count modulo
// the lane width (the row's imm is the mask), as an immediate or in XMM.
func (e *fn) simdShift(v *ir.Value, l *lowering) error {
	x, n := v.Args[0], v.Args[1]
	d := e.dst(v, fsc1)
	if n.Op == ir.OpConst {
		e.loadInto(x, d)
		e.a.op(l.as64, immAddr(constBits(n)&l.imm), regAddr(d))
		e.commit(v, d)
		return nil
	}
	e.shiftCount(n, l.imm, 0, fsc0)
	e.loadInto(x, d)
	e.a.op(l.as64, regAddr(fsc0), regAddr(d))
	e.commit(v, d)
	return nil
}

// shiftCount puts (n & mask) + add into the low quadword of XMM r.
func (e *fn) shiftCount(n *ir.Value, mask, add int64, r int16) {
	e.a.op(x86.AMOVL, e.rm(n, sc0, false), regAddr(sc0))
	e.a.op(x86.AANDL, immAddr(mask), regAddr(sc0))
	if add != 0 {
		e.a.op(x86.AADDL, immAddr(add), regAddr(sc0))
	}
	e.a.op(x86.AMOVQ, regAddr(sc0), regAddr(r))
}

// splat lowers the splats: the scalar into lane 0, then broadcast.
func (e *fn) splat(v *ir.Value, _ *lowering) error {
	a := e.a
	x := v.Args[0]
	if v.Op == ir.OpI64x2Splat && e.folded[x.ID] {
		e.splatLoad(v) // simdext.go
		return nil
	}
	d := e.dst(v, fsc1)
	switch v.Op {
	case ir.OpF32x4Splat:
		a.op3(x86.APSHUFD, immAddr(0), regAddr(e.vreg(x, fsc0)), regAddr(d))
	case ir.OpF64x2Splat:
		a.op3(x86.APSHUFD, immAddr(0x44), regAddr(e.vreg(x, fsc0)), regAddr(d))
	default:
		a.op(x86.AMOVQ, regAddr(e.intReg(x, sc0)), regAddr(d))
		switch v.Op {
		case ir.OpI8x16Splat:
			a.op(x86.APXOR, regAddr(fsc0), regAddr(fsc0))
			a.op(x86.APSHUFB, regAddr(fsc0), regAddr(d))
		case ir.OpI16x8Splat:
			a.op3(x86.APSHUFLW, immAddr(0), regAddr(d), regAddr(d))
			a.op3(x86.APSHUFD, immAddr(0), regAddr(d), regAddr(d))
		case ir.OpI32x4Splat:
			a.op3(x86.APSHUFD, immAddr(0), regAddr(d), regAddr(d))
		case ir.OpI64x2Splat:
			a.op(x86.APUNPCKLQDQ, regAddr(d), regAddr(d))
		}
	}
	e.commit(v, d)
	return nil
}

// extractLane lowers extract_lane: PEXTR* (then a sign extension, as32)
// into a general register; for floats the lane moved to lane 0.
func (e *fn) extractLane(v *ir.Value, l *lowering) error {
	a := e.a
	r := e.vreg(v.Args[0], fsc0)
	lane := v.Aux
	switch v.Type {
	case ir.F32:
		d := e.dst(v, fsc1)
		a.op3(x86.AINSERTPS, immAddr(lane<<6|0xe), regAddr(r), regAddr(d)) // lane → 0, zero 1–3
		e.commit(v, d)
		return nil
	case ir.F64:
		d := e.dst(v, fsc1)
		if lane == 0 {
			a.op(x86.AMOVQ, regAddr(r), regAddr(d)) // zeroes the high half
		} else {
			a.op3(x86.APSHUFD, immAddr(0xee), regAddr(r), regAddr(d))
		}
		e.commit(v, d)
		return nil
	}
	d := e.dst(v, sc1)
	switch {
	case l.as64 == x86.APEXTRD && lane == 0:
		a.op(x86.AMOVL, regAddr(r), regAddr(d))
	case l.as64 == x86.APEXTRQ && lane == 0:
		a.op(x86.AMOVQ, regAddr(r), regAddr(d))
	default:
		a.op3(l.as64, immAddr(lane), regAddr(r), regAddr(d))
	}
	if l.as32 != 0 {
		a.op(l.as32, regAddr(d), regAddr(d))
	}
	e.commit(v, d)
	return nil
}

// replaceLane lowers replace_lane: the vector into the result register,
// then PINSR* / INSERTPS / MOVSD / MOVLHPS of the scalar.
func (e *fn) replaceLane(v *ir.Value, l *lowering) error {
	a := e.a
	x, y := v.Args[0], v.Args[1]
	if v.Op == ir.OpI64x2ReplaceLane && e.folded[y.ID] {
		e.replaceLoad(v) // simdext.go
		return nil
	}
	d := e.dst(v, fsc1)
	lane := v.Aux
	switch v.Op {
	case ir.OpF32x4ReplaceLane, ir.OpF64x2ReplaceLane:
		ry := e.vreg(y, fsc0)
		if ry == d && !e.inReg(x, d) {
			a.op(x86.AMOVAPS, regAddr(ry), regAddr(fsc0))
			ry = fsc0
		}
		e.loadInto(x, d)
		switch {
		case v.Op == ir.OpF32x4ReplaceLane:
			a.op3(x86.AINSERTPS, immAddr(lane<<4), regAddr(ry), regAddr(d))
		case lane == 0:
			a.op(l.as64, regAddr(ry), regAddr(d)) // MOVSD: the low half
		default:
			a.op(l.as32, regAddr(ry), regAddr(d)) // MOVLHPS: the high half
		}
	default:
		s := e.intReg(y, sc0)
		e.loadInto(x, d)
		a.op3(l.as64, immAddr(lane), regAddr(s), regAddr(d))
	}
	e.commit(v, d)
	return nil
}

// shuffle lowers i8x16.shuffle. One source (every index below 16, every
// index 16 or above, or both operands the same value): nothing for the
// identity, PSHUFD for a permutation of 32-bit lanes, PSHUFLW/PSHUFHW for
// one of the 16-bit lanes of one half, PALIGNR for a rotation, else PSHUFB
// with a constant mask. Two sources: PUNPCKL*/PUNPCKH* for the interleaves,
// SHUFPS for two 32-bit lanes of each, PALIGNR for 16 consecutive bytes of
// the pair, PBLENDW for 16-bit lanes kept in place; else PSHUFB of each
// operand with a mask that zeroes the lanes taken from the other, then OR.
func (e *fn) shuffle(v *ir.Value, _ *lowering) error {
	var idx [16]byte
	for i := range 16 {
		if i < 8 {
			idx[i] = byte(uint64(v.Aux) >> (8 * i))
		} else {
			idx[i] = byte(uint64(v.Aux2) >> (8 * (i - 8)))
		}
	}
	x, y := v.Args[0], v.Args[1]
	lo, hi := true, true // every index from x; from y
	for i := range idx {
		if x == y {
			idx[i] &= 15
		}
		lo = lo && idx[i] < 16
		hi = hi && idx[i] >= 16
	}
	if hi {
		for i := range idx {
			idx[i] -= 16
		}
		x, lo = y, true
	}
	if lo {
		e.shuffle1(v, x, idx)
		return nil
	}
	e.shuffle2(v, x, y, idx)
	return nil
}

// shuffleTemp returns a register of simdPool other than the given ones.
func shuffleTemp(not ...int16) int16 {
	for _, p := range simdPool {
		if !slices.Contains(not, p) {
			return p
		}
	}
	panic("shuffleTemp: no register") // simdPool has six, callers exclude at most three
}

// lanes32 reports whether idx moves whole 32-bit lanes and returns, per
// result lane, the source lane (0–7: 4–7 are the second operand's).
func lanes32(idx [16]byte) (p [4]byte, ok bool) {
	for k := range 4 {
		b := idx[4*k]
		if b%4 != 0 {
			return p, false
		}
		for j := 1; j < 4; j++ {
			if idx[4*k+j] != b+byte(j) {
				return p, false
			}
		}
		p[k] = b / 4
	}
	return p, true
}

// lanes16 is lanes32 for 16-bit lanes (0–15: 8–15 are the second operand's).
func lanes16(idx [16]byte) (p [8]byte, ok bool) {
	for k := range 8 {
		b := idx[2*k]
		if b%2 != 0 || idx[2*k+1] != b+1 {
			return p, false
		}
		p[k] = b / 2
	}
	return p, true
}

// rotation reports whether idx[i] == (i + k) mod n for every i, with
// 0 < k < 16, and returns k.
func rotation(idx [16]byte, n byte) (byte, bool) {
	k := idx[0]
	if k == 0 || k >= 16 {
		return 0, false
	}
	for i := range idx {
		if idx[i] != (byte(i)+k)%n {
			return 0, false
		}
	}
	return k, true
}

// shuffle1 lowers a shuffle of the single vector x.
func (e *fn) shuffle1(v, x *ir.Value, idx [16]byte) {
	a := e.a
	d := e.dst(v, fsc1)
	identity := true
	for i, b := range idx {
		identity = identity && b == byte(i)
	}
	p32, ok32 := lanes32(idx)
	p16, ok16 := lanes16(idx)
	switch {
	case identity:
		e.loadInto(x, d)
	case ok32:
		a.op3(x86.APSHUFD, immAddr(int64(p32[0])|int64(p32[1])<<2|int64(p32[2])<<4|int64(p32[3])<<6), regAddr(e.vreg(x, fsc0)), regAddr(d))
	case ok16 && p16[0] < 4 && p16[1] < 4 && p16[2] < 4 && p16[3] < 4 && p16[4] == 4 && p16[5] == 5 && p16[6] == 6 && p16[7] == 7:
		a.op3(x86.APSHUFLW, immAddr(int64(p16[0])|int64(p16[1])<<2|int64(p16[2])<<4|int64(p16[3])<<6), regAddr(e.vreg(x, fsc0)), regAddr(d))
	case ok16 && p16[0] == 0 && p16[1] == 1 && p16[2] == 2 && p16[3] == 3 && p16[4] >= 4 && p16[5] >= 4 && p16[6] >= 4 && p16[7] >= 4:
		a.op3(x86.APSHUFHW, immAddr(int64(p16[4]-4)|int64(p16[5]-4)<<2|int64(p16[6]-4)<<4|int64(p16[7]-4)<<6), regAddr(e.vreg(x, fsc0)), regAddr(d))
	default:
		if k, ok := rotation(idx, 16); ok {
			r := e.vreg(x, fsc0)
			if e.avx() {
				e.vexShuffle(r, d, nil, k) // vex.go
				break
			}
			e.movx(r, d)
			a.op3(x86.APALIGNR, immAddr(int64(k)), regAddr(r), regAddr(d)) // (d:r) >> 8k with d == r
			break
		}
		// The mask from the pool, whose 16-byte constants are 16-byte
		// aligned as SSE's memory operands must be.
		if e.avx() {
			m := a.ConstAddr(leHalves(idx))
			e.vexShuffle(e.vreg(x, fsc0), d, &m, 0) // vex.go
			break
		}
		e.loadInto(x, d)
		a.op(x86.APSHUFB, a.ConstAddr(leHalves(idx)), regAddr(d))
	}
	e.commit(v, d)
}

// unpacks are the interleaving instructions by lane size (1, 2, 4, 8
// bytes): low halves, high halves.
var unpacks = [4][2]obj.As{
	{x86.APUNPCKLBW, x86.APUNPCKHBW},
	{x86.APUNPCKLWL, x86.APUNPCKHWL},
	{x86.APUNPCKLLQ, x86.APUNPCKHLQ},
	{x86.APUNPCKLQDQ, x86.APUNPCKHQDQ},
}

// unpack reports whether idx interleaves lanes of size 1<<lg of the low
// (half 0) or high (half 1) halves of the first (from x) and second
// operand: lane i is lane half*n/2 + i/2 of x for even i, of y for odd.
func unpack(idx [16]byte, lg uint, half int) bool {
	s := 1 << lg
	for i := range 16 / s {
		src := byte(half*8 + i/2*s)
		if i%2 == 1 {
			src += 16
		}
		for j := range s {
			if idx[i*s+j] != src+byte(j) {
				return false
			}
		}
	}
	return true
}

// swapped is idx with the operands exchanged.
func swapped(idx [16]byte) [16]byte {
	for i := range idx {
		idx[i] ^= 16
	}
	return idx
}

// shuffle2 lowers a shuffle taking lanes from both x and y.
func (e *fn) shuffle2(v, x, y *ir.Value, idx [16]byte) {
	a := e.a
	sw := swapped(idx)
	for lg := range uint(4) {
		for half := range 2 {
			if unpack(idx, lg, half) {
				e.binop(v, x, y, unpacks[lg][half], false)
				return
			}
			if unpack(sw, lg, half) {
				e.binop(v, y, x, unpacks[lg][half], false)
				return
			}
		}
	}
	// SHUFPS: d's lanes 0, 1 from d (x), lanes 2, 3 from the source (y).
	for _, c := range [2]struct {
		idx  [16]byte
		x, y *ir.Value
	}{{idx, x, y}, {sw, y, x}} {
		if p, ok := lanes32(c.idx); ok && p[0] < 4 && p[1] < 4 && p[2] >= 4 && p[3] >= 4 {
			e.binop3(v, c.x, c.y, x86.ASHUFPS, int64(p[0])|int64(p[1])<<2|int64(p[2]-4)<<4|int64(p[3]-4)<<6)
			return
		}
	}
	// PALIGNR k, src, d: bytes k.. of (d:src), src the low half.
	if k, ok := rotation(idx, 32); ok {
		e.binop3(v, y, x, x86.APALIGNR, int64(k))
		return
	}
	if k, ok := rotation(sw, 32); ok {
		e.binop3(v, x, y, x86.APALIGNR, int64(k))
		return
	}
	// PBLENDW: lane i of d (x) or, for bit i, of the source (y).
	if p, ok := lanes16(idx); ok {
		blend, imm := true, int64(0)
		for i, b := range p {
			switch b {
			case byte(i):
			case byte(i) + 8:
				imm |= 1 << i
			default:
				blend = false
			}
		}
		if blend {
			e.binop3(v, x, y, x86.APBLENDW, imm)
			return
		}
	}
	var m0, m1 [16]byte
	for i, b := range idx {
		m0[i], m1[i] = 0x80, 0x80
		if b < 16 {
			m0[i] = b
		} else {
			m1[i] = b - 16
		}
	}
	rx := e.vreg(x, fsc0)
	ry := e.vreg(y, fsc1)
	d := e.dst(v, shuffleTemp(rx, ry))
	if d == ry {
		d = shuffleTemp(rx, ry)
	}
	m := shuffleTemp(rx, ry, d)
	a.op(x86.AMOVUPS, a.ConstAddr(leHalves(m0)), regAddr(m))
	e.movx(rx, d)
	a.op(x86.APSHUFB, regAddr(m), regAddr(d)) // d = x's lanes
	s := shuffleTemp(rx, ry, d, m)
	e.movx(ry, s)
	a.op(x86.AMOVUPS, a.ConstAddr(leHalves(m1)), regAddr(m))
	a.op(x86.APSHUFB, regAddr(m), regAddr(s)) // s = y's lanes
	a.op(x86.APOR, regAddr(s), regAddr(d))
	e.commit(v, d)
}

// binop3 is binop for an instruction with an immediate: "as imm, y, d"
// with d = x.
func (e *fn) binop3(v, x, y *ir.Value, as obj.As, imm int64) {
	if e.vexBinop3(v, x, y, as, imm) { // vex.go
		return
	}
	d := e.dst(v, fsc1)
	if e.inReg(y, d) && !e.inReg(x, d) {
		d = fsc1
	}
	ry := e.vreg(y, fsc0)
	e.loadInto(x, d)
	e.a.op3(as, immAddr(imm), regAddr(ry), regAddr(d))
	e.commit(v, d)
}

// leHalves returns the little-endian words of b and the pool size 16.
func leHalves(b [16]byte) (lo, hi uint64, size int) {
	for i := 7; i >= 0; i-- {
		lo = lo<<8 | uint64(b[i])
		hi = hi<<8 | uint64(b[8+i])
	}
	return lo, hi, 16
}

// swizzle lowers i8x16.swizzle: PSHUFB with the indices pushed to ≥ 0x80
// (lane 0) when they are ≥ 16.
func (e *fn) swizzle(v *ir.Value, _ *lowering) error {
	args, t := e.simdRegs(v)
	r, m := t[0], t[1]
	e.movx(args[0], r)
	e.splat64(0x7070707070707070, m)
	e.a.op(x86.APADDUSB, regAddr(args[1]), regAddr(m))
	e.a.op(x86.APSHUFB, regAddr(m), regAddr(r))
	e.commit(v, r)
	return nil
}

// simdCmp lowers the integer compares without an instruction of their
// own (flags cmpSwap, cmpEqX, cmpNot in the row's imm):
//
//	r = x; r = r op y          ; PCMPGT, or PMIN/PMAX for cmpEqX
//	r = (r == x)               ; cmpEqX: x ≤ y ⟺ min(x, y) == x
//	r ^= all-ones              ; cmpNot
func (e *fn) simdCmp(v *ir.Value, l *lowering) error {
	a := e.a
	args, t := e.simdRegs(v)
	x, y := args[0], args[1]
	if l.imm&cmpSwap != 0 {
		x, y = y, x
	}
	r := t[0]
	e.movx(x, r)
	a.op(l.as64, regAddr(y), regAddr(r))
	if l.imm&cmpEqX != 0 {
		a.op(l.as32, regAddr(x), regAddr(r))
	}
	if l.imm&cmpNot != 0 {
		a.op(x86.APCMPEQB, regAddr(t[1]), regAddr(t[1]))
		a.op(x86.APXOR, regAddr(t[1]), regAddr(r))
	}
	e.commit(v, r)
	return nil
}

// simdFCmp lowers float compares with CMPPS/CMPPD: predicate imm&0xff,
// operands swapped when imm has bit 8.
func (e *fn) simdFCmp(v *ir.Value, l *lowering) error {
	args, t := e.simdRegs(v)
	x, y := args[0], args[1]
	if l.imm&256 != 0 {
		x, y = y, x
	}
	r := t[0]
	e.movx(x, r)
	e.a.op3(l.as64, regAddr(y), regAddr(r), immAddr(l.imm&0xff)) // r = r <pred> y
	e.commit(v, r)
	return nil
}

// vnot lowers v128.not: XOR with all-ones.
func (e *fn) vnot(v *ir.Value, _ *lowering) error {
	args, t := e.simdRegs(v)
	r := t[0]
	e.vconst(math.MaxUint64, math.MaxUint64, r)
	e.a.op(x86.APXOR, regAddr(args[0]), regAddr(r))
	e.commit(v, r)
	return nil
}

// vneg lowers the integer negations: 0 - x.
func (e *fn) vneg(v *ir.Value, l *lowering) error {
	args, t := e.simdRegs(v)
	r := t[0]
	e.vconst(0, 0, r)
	e.a.op(l.as64, regAddr(args[0]), regAddr(r))
	e.commit(v, r)
	return nil
}

// bitselect lowers v128.bitselect (and relaxed laneselect, which may
// compute the same): ((v1 ^ v2) & c) ^ v2.
func (e *fn) bitselect(v *ir.Value, _ *lowering) error {
	a := e.a
	args, t := e.simdRegs(v)
	r := t[0]
	e.movx(args[0], r)
	a.op(x86.APXOR, regAddr(args[1]), regAddr(r))
	a.op(x86.APAND, regAddr(args[2]), regAddr(r))
	a.op(x86.APXOR, regAddr(args[1]), regAddr(r))
	e.commit(v, r)
	return nil
}

// anyTrue lowers v128.any_true: PTEST sets ZF when every bit is 0.
func (e *fn) anyTrue(v *ir.Value, _ *lowering) error {
	r := e.vreg(v.Args[0], fsc0)
	d := e.dst(v, sc1)
	e.a.op(x86.AXORL, regAddr(d), regAddr(d))
	e.a.op(x86.APTEST, regAddr(r), regAddr(r))
	e.a.op1(x86.ASETNE, regAddr(byteReg(d)))
	e.commit(v, d)
	return nil
}

// allTrue lowers all_true: no lane equals 0.
func (e *fn) allTrue(v *ir.Value, l *lowering) error {
	a := e.a
	r := e.vreg(v.Args[0], fsc0)
	a.op(x86.APXOR, regAddr(fsc1), regAddr(fsc1))
	a.op(l.as64, regAddr(r), regAddr(fsc1)) // lanes that are 0 → all-ones
	d := e.dst(v, sc1)
	a.op(x86.AXORL, regAddr(d), regAddr(d))
	a.op(x86.APTEST, regAddr(fsc1), regAddr(fsc1))
	a.op1(x86.ASETEQ, regAddr(byteReg(d)))
	e.commit(v, d)
	return nil
}

// bitmask lowers bitmask: the lanes' top bits with PMOVMSKB, MOVMSKPS or
// MOVMSKPD; i16x8 packs to bytes first (PACKSSWB keeps the sign).
func (e *fn) bitmask(v *ir.Value, l *lowering) error {
	a := e.a
	r := e.vreg(v.Args[0], fsc0)
	d := e.dst(v, sc1)
	if l.as64 == x86.APACKSSWB {
		e.movx(r, fsc1)
		a.op(x86.APACKSSWB, regAddr(fsc1), regAddr(fsc1))
		a.op(x86.APMOVMSKB, regAddr(fsc1), regAddr(d))
		a.op(x86.AMOVBLZX, regAddr(d), regAddr(d))
	} else {
		a.op(l.as64, regAddr(r), regAddr(d))
	}
	e.commit(v, d)
	return nil
}

// popcnt8 lowers i8x16.popcnt with a nibble table (PSHUFB):
// cnt[lo nibble] + cnt[hi nibble].
func (e *fn) popcnt8(v *ir.Value, _ *lowering) error {
	a := e.a
	args, t := e.simdRegs(v)
	lo, hi, mask, lut := t[0], t[1], t[2], t[3]
	e.splat64(0x0f0f0f0f0f0f0f0f, mask)
	e.movx(args[0], lo)
	a.op(x86.APAND, regAddr(mask), regAddr(lo))
	e.movx(args[0], hi)
	a.op(x86.APSRLW, immAddr(4), regAddr(hi))
	a.op(x86.APAND, regAddr(mask), regAddr(hi))
	e.vconst(0x0302020102010100, 0x0403030203020201, lut)
	e.movx(lut, mask)
	a.op(x86.APSHUFB, regAddr(lo), regAddr(lut))
	a.op(x86.APSHUFB, regAddr(hi), regAddr(mask))
	a.op(x86.APADDB, regAddr(mask), regAddr(lut))
	e.commit(v, lut)
	return nil
}

// shl8 lowers i8x16.shl: a 16-bit shift, then the bits that crossed into
// the next byte masked off ((0xff << n) & 0xff in every byte).
func (e *fn) shl8(v *ir.Value, _ *lowering) error {
	a := e.a
	args, t := e.simdRegs(v)
	r, m, cnt, z := t[0], t[1], t[2], t[3]
	e.shiftCount(v.Args[1], 7, 0, cnt)
	e.movx(args[0], r)
	a.op(x86.APSLLW, regAddr(cnt), regAddr(r))
	e.splat64(0x00ff00ff00ff00ff, m)
	a.op(x86.APSLLW, regAddr(cnt), regAddr(m))
	e.vconst(0, 0, z)
	a.op(x86.APSHUFB, regAddr(z), regAddr(m)) // byte 0 everywhere
	a.op(x86.APAND, regAddr(m), regAddr(r))
	e.commit(v, r)
	return nil
}

// shr8 lowers i8x16.shr_s/shr_u: each byte doubled into a 16-bit lane
// (PUNPCKLBW/PUNPCKHBW with itself), shifted by n+8, packed back.
func (e *fn) shr8(v *ir.Value, l *lowering) error {
	a := e.a
	args, t := e.simdRegs(v)
	lo, hi, cnt := t[0], t[1], t[2]
	e.shiftCount(v.Args[1], 7, 8, cnt)
	e.movx(args[0], lo)
	a.op(x86.APUNPCKLBW, regAddr(args[0]), regAddr(lo))
	e.movx(args[0], hi)
	a.op(x86.APUNPCKHBW, regAddr(args[0]), regAddr(hi))
	a.op(l.as64, regAddr(cnt), regAddr(lo))
	a.op(l.as64, regAddr(cnt), regAddr(hi))
	a.op(l.as32, regAddr(hi), regAddr(lo))
	e.commit(v, lo)
	return nil
}

// shr64s lowers i64x2.shr_s (SSE has no PSRAQ): with m = 2^63 >> n,
// x >> n (arithmetic) = ((x >>u n) ^ m) - m.
func (e *fn) shr64s(v *ir.Value, _ *lowering) error {
	a := e.a
	args, t := e.simdRegs(v)
	r, m, cnt := t[0], t[1], t[2]
	e.shiftCount(v.Args[1], 63, 0, cnt)
	e.movx(args[0], r)
	a.op(x86.APSRLQ, regAddr(cnt), regAddr(r))
	e.splat64(1<<63, m)
	a.op(x86.APSRLQ, regAddr(cnt), regAddr(m))
	a.op(x86.APXOR, regAddr(m), regAddr(r))
	a.op(x86.APSUBQ, regAddr(m), regAddr(r))
	e.commit(v, r)
	return nil
}

// abs64 lowers i64x2.abs: s = sign of each lane (the high dword's sign
// bit spread), (x ^ s) - s.
func (e *fn) abs64(v *ir.Value, _ *lowering) error {
	a := e.a
	args, t := e.simdRegs(v)
	r, s := t[0], t[1]
	a.op3(x86.APSHUFD, immAddr(0xf5), regAddr(args[0]), regAddr(s))
	a.op(x86.APSRAL, immAddr(31), regAddr(s))
	e.movx(args[0], r)
	a.op(x86.APXOR, regAddr(s), regAddr(r))
	a.op(x86.APSUBQ, regAddr(s), regAddr(r))
	e.commit(v, r)
	return nil
}

// mul64 lowers i64x2.mul lane by lane with IMULQ.
func (e *fn) mul64(v *ir.Value, _ *lowering) error {
	a := e.a
	args, t := e.simdRegs(v)
	r, y := t[0], args[1]
	e.movx(args[0], r)
	a.op(x86.AMOVQ, regAddr(r), regAddr(sc0))
	a.op(x86.AMOVQ, regAddr(y), regAddr(sc1))
	a.op(x86.AIMULQ, regAddr(sc1), regAddr(sc0))
	a.op3(x86.APINSRQ, immAddr(0), regAddr(sc0), regAddr(r))
	a.op3(x86.APEXTRQ, immAddr(1), regAddr(r), regAddr(sc0))
	a.op3(x86.APEXTRQ, immAddr(1), regAddr(y), regAddr(sc1))
	a.op(x86.AIMULQ, regAddr(sc1), regAddr(sc0))
	a.op3(x86.APINSRQ, immAddr(1), regAddr(sc0), regAddr(r))
	e.commit(v, r)
	return nil
}

// extmul lowers extmul_low/high: both operands widened (as32: PMOVSX/ZX,
// after moving the high half down when imm is 1; for i64x2 PSHUFD with the
// imm that puts the lanes at dwords 0 and 2), then multiplied (as64).
func (e *fn) extmul(v *ir.Value, l *lowering) error {
	a := e.a
	args, t := e.simdRegs(v)
	widen := func(x, r int16) {
		switch {
		case l.as32 == x86.APSHUFD:
			a.op3(x86.APSHUFD, immAddr(l.imm), regAddr(x), regAddr(r))
		case l.imm == 1:
			a.op3(x86.APSHUFD, immAddr(0xee), regAddr(x), regAddr(r))
			a.op(l.as32, regAddr(r), regAddr(r))
		default:
			a.op(l.as32, regAddr(x), regAddr(r))
		}
	}
	r, s := t[0], t[1]
	widen(args[0], r)
	widen(args[1], s)
	a.op(l.as64, regAddr(s), regAddr(r))
	e.commit(v, r)
	return nil
}

// extadd lowers extadd_pairwise with PMADDUBSW (bytes) or PMADDWD (words)
// against ones; unsigned words are biased by -32768 first and the sum
// corrected by +65536.
func (e *fn) extadd(v *ir.Value, _ *lowering) error {
	a := e.a
	args, t := e.simdRegs(v)
	r, m := t[0], t[1]
	switch v.Op {
	case ir.OpI16x8ExtaddPairwiseI8x16S: // ones (unsigned) × x (signed)
		e.splat64(0x0101010101010101, r)
		a.op(x86.APMADDUBSW, regAddr(args[0]), regAddr(r))
	case ir.OpI16x8ExtaddPairwiseI8x16U: // x (unsigned) × ones (signed)
		e.movx(args[0], r)
		e.splat64(0x0101010101010101, m)
		a.op(x86.APMADDUBSW, regAddr(m), regAddr(r))
	case ir.OpI32x4ExtaddPairwiseI16x8S:
		e.movx(args[0], r)
		e.splat64(0x0001000100010001, m)
		a.op(x86.APMADDWL, regAddr(m), regAddr(r))
	case ir.OpI32x4ExtaddPairwiseI16x8U:
		e.movx(args[0], r)
		e.splat64(0x8000800080008000, m)
		a.op(x86.APXOR, regAddr(m), regAddr(r))
		e.splat64(0x0001000100010001, m)
		a.op(x86.APMADDWL, regAddr(m), regAddr(r))
		e.splat64(0x0001000000010000, m)
		a.op(x86.APADDL, regAddr(m), regAddr(r))
	}
	e.commit(v, r)
	return nil
}

// q15mulr lowers q15mulr_sat_s: PMULHRSW, whose only overflow
// (0x8000 × 0x8000 = 0x8000) is flipped to 0x7fff.
func (e *fn) q15mulr(v *ir.Value, _ *lowering) error {
	a := e.a
	args, t := e.simdRegs(v)
	r, m := t[0], t[1]
	e.movx(args[0], r)
	a.op(x86.APMULHRSW, regAddr(args[1]), regAddr(r))
	e.splat64(0x8000800080008000, m)
	a.op(x86.APCMPEQW, regAddr(r), regAddr(m))
	a.op(x86.APXOR, regAddr(m), regAddr(r))
	e.commit(v, r)
	return nil
}

// dot8 lowers the relaxed i8×i7 dot products exactly (signed × signed):
// bytes widened to words and multiplied, pairs summed with PHADDW
// (wrapping); the add form instead sums quads with PMADDWD and PHADDD
// and adds arg2.
func (e *fn) dot8(v *ir.Value, _ *lowering) error {
	a := e.a
	args, t := e.simdRegs(v)
	r, s, u := t[0], t[1], t[2]
	half := func(x, r int16, high bool) {
		if high {
			a.op3(x86.APSHUFD, immAddr(0xee), regAddr(x), regAddr(r))
			a.op(x86.APMOVSXBW, regAddr(r), regAddr(r))
		} else {
			a.op(x86.APMOVSXBW, regAddr(x), regAddr(r))
		}
	}
	mul := x86.APMULLW
	if v.Op == ir.OpI32x4RelaxedDotI8x16I7x16AddS {
		mul = x86.APMADDWL
	}
	half(args[0], r, false)
	half(args[1], s, false)
	a.op(mul, regAddr(s), regAddr(r))
	half(args[0], s, true)
	half(args[1], u, true)
	a.op(mul, regAddr(u), regAddr(s))
	if v.Op == ir.OpI32x4RelaxedDotI8x16I7x16AddS {
		a.op(x86.APHADDD, regAddr(s), regAddr(r))
		a.op(x86.APADDL, regAddr(args[2]), regAddr(r))
	} else {
		a.op(x86.APHADDW, regAddr(s), regAddr(r))
	}
	e.commit(v, r)
	return nil
}

// fsign lowers float abs and neg: AND/XOR with the constant in imm in
// both halves.
func (e *fn) fsign(v *ir.Value, l *lowering) error {
	args, t := e.simdRegs(v)
	r := t[0]
	e.splat64(uint64(l.imm), r)
	e.a.op(l.as64, regAddr(args[0]), regAddr(r))
	e.commit(v, r)
	return nil
}

// fmin lowers wasm min (NaN-propagating, -0 < +0): MINPS both ways, OR
// (keeps -0 and NaN), then NaN lanes made canonical: the unordered mask
// ORed in and its low imm bits (the payload) cleared.
func (e *fn) fmin(v *ir.Value, l *lowering) error {
	a := e.a
	args, t := e.simdRegs(v)
	x, y := args[0], args[1]
	r, s := t[0], t[1]
	e.movx(y, s)
	a.op(l.as64, regAddr(x), regAddr(s))
	e.movx(x, r)
	a.op(l.as64, regAddr(y), regAddr(r))
	a.op(x86.AORPS, regAddr(r), regAddr(s))
	e.movx(s, r)
	a.op3(l.as32, regAddr(s), regAddr(r), immAddr(3)) // r = unordered(r, s)
	a.op(x86.AORPS, regAddr(r), regAddr(s))
	e.canonNaN(l, r, s)
	e.commit(v, r)
	return nil
}

// fmax lowers wasm max: MAXPS both ways; their XOR, ORed into one and
// subtracted from it, gives +0 for (+0, -0) and propagates NaN; NaN lanes
// are made canonical as in fmin.
func (e *fn) fmax(v *ir.Value, l *lowering) error {
	a := e.a
	args, t := e.simdRegs(v)
	x, y := args[0], args[1]
	r, s := t[0], t[1]
	e.movx(y, s)
	a.op(l.as64, regAddr(x), regAddr(s))
	e.movx(x, r)
	a.op(l.as64, regAddr(y), regAddr(r))
	a.op(x86.AXORPS, regAddr(s), regAddr(r))
	a.op(x86.AORPS, regAddr(r), regAddr(s))
	sub := x86.ASUBPS
	if l.as64 == x86.AMAXPD {
		sub = x86.ASUBPD
	}
	a.op(sub, regAddr(r), regAddr(s))
	e.movx(s, r)
	a.op3(l.as32, regAddr(s), regAddr(r), immAddr(3))
	e.canonNaN(l, r, s)
	e.commit(v, r)
	return nil
}

// canonNaN finishes fmin/fmax: r holds the NaN-lane mask, s the result
// with NaN lanes; r = s with the payload of NaN lanes cleared.
func (e *fn) canonNaN(l *lowering, r, s int16) {
	shift := x86.APSRLL
	if l.imm == 13 {
		shift = x86.APSRLQ
	}
	e.a.op(shift, immAddr(l.imm), regAddr(r))
	e.a.op(x86.AANDNPS, regAddr(s), regAddr(r)) // r = ^r & s
}

// truncSat32S lowers i32x4.trunc_sat_f32x4_s: NaN lanes zeroed, CVTTPS2DQ,
// and lanes that overflowed positive (0x80000000 from a non-negative
// input) turned into 0x7fffffff.
func (e *fn) truncSat32S(v *ir.Value, _ *lowering) error {
	a := e.a
	args, t := e.simdRegs(v)
	r, s := t[0], t[1]
	e.movx(args[0], r)
	e.movx(r, s)
	a.op3(x86.ACMPPS, regAddr(s), regAddr(s), immAddr(0)) // ordered lanes
	a.op(x86.APAND, regAddr(s), regAddr(r))
	a.op(x86.APXOR, regAddr(r), regAddr(s)) // top bit set for lanes ≥ 0
	a.op(x86.ACVTTPS2PL, regAddr(r), regAddr(r))
	a.op(x86.APAND, regAddr(r), regAddr(s)) // top bit: ≥ 0 but converted < 0
	a.op(x86.APSRAL, immAddr(31), regAddr(s))
	a.op(x86.APXOR, regAddr(s), regAddr(r))
	e.commit(v, r)
	return nil
}

// truncSat32U lowers i32x4.trunc_sat_f32x4_u: negative and NaN lanes
// clamped to 0; lanes ≥ 2^31 converted as x - 2^31 and added back.
func (e *fn) truncSat32U(v *ir.Value, _ *lowering) error {
	a := e.a
	args, t := e.simdRegs(v)
	r, s, u := t[0], t[1], t[2]
	e.movx(args[0], r)
	a.op(x86.APXOR, regAddr(s), regAddr(s))
	a.op(x86.AMAXPS, regAddr(s), regAddr(r)) // NaN → 0, negative → 0
	a.op(x86.APCMPEQL, regAddr(s), regAddr(s))
	a.op(x86.APSRLL, immAddr(1), regAddr(s))
	a.op(x86.ACVTPL2PS, regAddr(s), regAddr(s)) // 2^31
	e.movx(r, u)
	a.op(x86.ASUBPS, regAddr(s), regAddr(u))
	a.op3(x86.ACMPPS, regAddr(u), regAddr(s), immAddr(2)) // s = 2^31 ≤ x - 2^31: overflow
	a.op(x86.ACVTTPS2PL, regAddr(u), regAddr(u))
	a.op(x86.APXOR, regAddr(s), regAddr(u))
	a.op(x86.APXOR, regAddr(s), regAddr(s))
	a.op(x86.APMAXSD, regAddr(s), regAddr(u))
	a.op(x86.ACVTTPS2PL, regAddr(r), regAddr(r))
	a.op(x86.APADDL, regAddr(u), regAddr(r))
	e.commit(v, r)
	return nil
}

// truncSat64S lowers i32x4.trunc_sat_f64x2_s_zero: NaN lanes → 0, clamped
// above at 2^31-1, CVTTPD2DQ (which gives INT32_MIN below and zeroes the
// upper lanes).
func (e *fn) truncSat64S(v *ir.Value, _ *lowering) error {
	a := e.a
	args, t := e.simdRegs(v)
	r, s, u := t[0], t[1], t[2]
	e.movx(args[0], r)
	e.movx(r, s)
	a.op3(x86.ACMPPD, regAddr(s), regAddr(s), immAddr(0))
	e.splat64(math.Float64bits(2147483647), u)
	a.op(x86.AANDPD, regAddr(u), regAddr(s))
	a.op(x86.AMINPD, regAddr(s), regAddr(r))
	a.op(x86.ACVTTPD2PL, regAddr(r), regAddr(r))
	e.commit(v, r)
	return nil
}

// truncSat64U lowers i32x4.trunc_sat_f64x2_u_zero: clamped to
// [0, 2^32-1] (NaN → 0), truncated, and the integer read from the low
// mantissa bits of x + 2^52.
func (e *fn) truncSat64U(v *ir.Value, _ *lowering) error {
	a := e.a
	args, t := e.simdRegs(v)
	r, s, u := t[0], t[1], t[2]
	e.movx(args[0], r)
	a.op(x86.APXOR, regAddr(s), regAddr(s))
	a.op(x86.AMAXPD, regAddr(s), regAddr(r))
	e.splat64(math.Float64bits(4294967295), u)
	a.op(x86.AMINPD, regAddr(u), regAddr(r))
	a.op3(x86.AROUNDPD, immAddr(3), regAddr(r), regAddr(r))
	e.splat64(math.Float64bits(1<<52), u)
	a.op(x86.AADDPD, regAddr(u), regAddr(r))
	a.op3(x86.ASHUFPS, immAddr(0x88), regAddr(s), regAddr(r))
	e.commit(v, r)
	return nil
}

// convert32U lowers f32x4.convert_i32x4_u: the high and low 16 bits
// converted exactly, hi × 2^16 + lo rounded once.
func (e *fn) convert32U(v *ir.Value, _ *lowering) error {
	a := e.a
	args, t := e.simdRegs(v)
	r, s, m := t[0], t[1], t[2]
	e.movx(args[0], s)
	a.op(x86.APSLLL, immAddr(16), regAddr(s))
	a.op(x86.APSRLL, immAddr(16), regAddr(s))
	e.movx(args[0], r)
	a.op(x86.APSRLL, immAddr(16), regAddr(r))
	a.op(x86.ACVTPL2PS, regAddr(r), regAddr(r))
	b := uint64(math.Float32bits(65536))
	e.splat64(b|b<<32, m)
	a.op(x86.AMULPS, regAddr(m), regAddr(r))
	a.op(x86.ACVTPL2PS, regAddr(s), regAddr(s))
	a.op(x86.AADDPS, regAddr(s), regAddr(r))
	e.commit(v, r)
	return nil
}

// convert64U lowers f64x2.convert_low_i32x4_u: each u32 as the low
// mantissa bits of 2^52, minus 2^52.
func (e *fn) convert64U(v *ir.Value, _ *lowering) error {
	a := e.a
	args, t := e.simdRegs(v)
	r, m := t[0], t[1]
	e.movx(args[0], r)
	e.splat64(0x4330000043300000, m)
	a.op(x86.AUNPCKLPS, regAddr(m), regAddr(r))
	e.splat64(math.Float64bits(1<<52), m)
	a.op(x86.ASUBPD, regAddr(m), regAddr(r))
	e.commit(v, r)
	return nil
}

// madd lowers relaxed madd (a×b + c) and nmadd (c - a×b), unfused.
func (e *fn) madd(v *ir.Value, l *lowering) error {
	a := e.a
	args, t := e.simdRegs(v)
	r, s := t[0], t[1]
	e.movx(args[0], r)
	a.op(l.as64, regAddr(args[1]), regAddr(r))
	if l.imm == 1 {
		e.movx(args[2], s)
		a.op(l.as32, regAddr(r), regAddr(s))
		e.commit(v, s)
		return nil
	}
	a.op(l.as32, regAddr(args[2]), regAddr(r))
	e.commit(v, r)
	return nil
}
