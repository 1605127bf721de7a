package frontend

// The SIMD (0xFD prefix) opcode table: one row per sub-opcode with its name,
// typing signature, immediate kind, scalar type (splat/lanes), lane count and
// natural alignment (log2) for memory accesses. Rows that are absent are
// illegal opcodes. Relaxed SIMD occupies 0x100–0x113. It is the only SIMD
// table: the decoder, the validator, OpName and the text-format assembler
// (frontend/wat, through SIMDOps) all read it.

import "iter"

// simdSig is the typing class of a SIMD instruction; zero means illegal.
type simdSig byte

// SIMD typing classes.
const (
	simdIllegal   simdSig = iota
	simdLoad              // [addr] -> [v128]
	simdStore             // [addr v128] -> []
	simdConst             // [] -> [v128]
	simdShuffle           // [v128 v128] -> [v128], 16 lane indices < 32
	simdUnary             // [v128] -> [v128]
	simdBinary            // [v128 v128] -> [v128]
	simdTernary           // [v128 v128 v128] -> [v128]
	simdTest              // [v128] -> [i32]
	simdShift             // [v128 i32] -> [v128]
	simdSplat             // [scalar] -> [v128]
	simdExtract           // [v128] -> [scalar]
	simdReplace           // [v128 scalar] -> [v128]
	simdLoadLane          // [addr v128] -> [v128]
	simdStoreLane         // [addr v128] -> []
)

// SIMDImm is the kind of immediates that follow a SIMD sub-opcode.
type SIMDImm byte

// SIMD immediate kinds.
const (
	SIMDImmNone    SIMDImm = iota
	SIMDImmMem             // memarg
	SIMDImmMemLane         // memarg, lane byte
	SIMDImmLane            // lane byte
	SIMDImmV128            // 16 bytes (v128.const)
	SIMDImmShuffle         // 16 lane indices (i8x16.shuffle)
)

// SIMDOp describes one SIMD instruction.
type SIMDOp struct {
	Name   string  // text-format name
	sig    simdSig // typing class
	Imm    SIMDImm // immediates
	Scalar byte    // scalar value type code for splat/extract/replace
	Lanes  byte    // number of lanes addressed by the lane immediate
	Align  byte    // natural alignment (log2 bytes) of memory accesses
}

// simdOps is indexed by sub-opcode.
var simdOps = [...]SIMDOp{
	0x00:  {Name: "v128.load", sig: simdLoad, Imm: SIMDImmMem, Align: 4},
	0x01:  {Name: "v128.load8x8_s", sig: simdLoad, Imm: SIMDImmMem, Align: 3},
	0x02:  {Name: "v128.load8x8_u", sig: simdLoad, Imm: SIMDImmMem, Align: 3},
	0x03:  {Name: "v128.load16x4_s", sig: simdLoad, Imm: SIMDImmMem, Align: 3},
	0x04:  {Name: "v128.load16x4_u", sig: simdLoad, Imm: SIMDImmMem, Align: 3},
	0x05:  {Name: "v128.load32x2_s", sig: simdLoad, Imm: SIMDImmMem, Align: 3},
	0x06:  {Name: "v128.load32x2_u", sig: simdLoad, Imm: SIMDImmMem, Align: 3},
	0x07:  {Name: "v128.load8_splat", sig: simdLoad, Imm: SIMDImmMem},
	0x08:  {Name: "v128.load16_splat", sig: simdLoad, Imm: SIMDImmMem, Align: 1},
	0x09:  {Name: "v128.load32_splat", sig: simdLoad, Imm: SIMDImmMem, Align: 2},
	0x0a:  {Name: "v128.load64_splat", sig: simdLoad, Imm: SIMDImmMem, Align: 3},
	0x0b:  {Name: "v128.store", sig: simdStore, Imm: SIMDImmMem, Align: 4},
	0x0c:  {Name: "v128.const", sig: simdConst, Imm: SIMDImmV128},
	0x0d:  {Name: "i8x16.shuffle", sig: simdShuffle, Imm: SIMDImmShuffle},
	0x0e:  {Name: "i8x16.swizzle", sig: simdBinary},
	0x0f:  {Name: "i8x16.splat", sig: simdSplat, Scalar: CodeI32},
	0x10:  {Name: "i16x8.splat", sig: simdSplat, Scalar: CodeI32},
	0x11:  {Name: "i32x4.splat", sig: simdSplat, Scalar: CodeI32},
	0x12:  {Name: "i64x2.splat", sig: simdSplat, Scalar: CodeI64},
	0x13:  {Name: "f32x4.splat", sig: simdSplat, Scalar: CodeF32},
	0x14:  {Name: "f64x2.splat", sig: simdSplat, Scalar: CodeF64},
	0x15:  {Name: "i8x16.extract_lane_s", sig: simdExtract, Imm: SIMDImmLane, Scalar: CodeI32, Lanes: 16},
	0x16:  {Name: "i8x16.extract_lane_u", sig: simdExtract, Imm: SIMDImmLane, Scalar: CodeI32, Lanes: 16},
	0x17:  {Name: "i8x16.replace_lane", sig: simdReplace, Imm: SIMDImmLane, Scalar: CodeI32, Lanes: 16},
	0x18:  {Name: "i16x8.extract_lane_s", sig: simdExtract, Imm: SIMDImmLane, Scalar: CodeI32, Lanes: 8},
	0x19:  {Name: "i16x8.extract_lane_u", sig: simdExtract, Imm: SIMDImmLane, Scalar: CodeI32, Lanes: 8},
	0x1a:  {Name: "i16x8.replace_lane", sig: simdReplace, Imm: SIMDImmLane, Scalar: CodeI32, Lanes: 8},
	0x1b:  {Name: "i32x4.extract_lane", sig: simdExtract, Imm: SIMDImmLane, Scalar: CodeI32, Lanes: 4},
	0x1c:  {Name: "i32x4.replace_lane", sig: simdReplace, Imm: SIMDImmLane, Scalar: CodeI32, Lanes: 4},
	0x1d:  {Name: "i64x2.extract_lane", sig: simdExtract, Imm: SIMDImmLane, Scalar: CodeI64, Lanes: 2},
	0x1e:  {Name: "i64x2.replace_lane", sig: simdReplace, Imm: SIMDImmLane, Scalar: CodeI64, Lanes: 2},
	0x1f:  {Name: "f32x4.extract_lane", sig: simdExtract, Imm: SIMDImmLane, Scalar: CodeF32, Lanes: 4},
	0x20:  {Name: "f32x4.replace_lane", sig: simdReplace, Imm: SIMDImmLane, Scalar: CodeF32, Lanes: 4},
	0x21:  {Name: "f64x2.extract_lane", sig: simdExtract, Imm: SIMDImmLane, Scalar: CodeF64, Lanes: 2},
	0x22:  {Name: "f64x2.replace_lane", sig: simdReplace, Imm: SIMDImmLane, Scalar: CodeF64, Lanes: 2},
	0x23:  {Name: "i8x16.eq", sig: simdBinary},
	0x24:  {Name: "i8x16.ne", sig: simdBinary},
	0x25:  {Name: "i8x16.lt_s", sig: simdBinary},
	0x26:  {Name: "i8x16.lt_u", sig: simdBinary},
	0x27:  {Name: "i8x16.gt_s", sig: simdBinary},
	0x28:  {Name: "i8x16.gt_u", sig: simdBinary},
	0x29:  {Name: "i8x16.le_s", sig: simdBinary},
	0x2a:  {Name: "i8x16.le_u", sig: simdBinary},
	0x2b:  {Name: "i8x16.ge_s", sig: simdBinary},
	0x2c:  {Name: "i8x16.ge_u", sig: simdBinary},
	0x2d:  {Name: "i16x8.eq", sig: simdBinary},
	0x2e:  {Name: "i16x8.ne", sig: simdBinary},
	0x2f:  {Name: "i16x8.lt_s", sig: simdBinary},
	0x30:  {Name: "i16x8.lt_u", sig: simdBinary},
	0x31:  {Name: "i16x8.gt_s", sig: simdBinary},
	0x32:  {Name: "i16x8.gt_u", sig: simdBinary},
	0x33:  {Name: "i16x8.le_s", sig: simdBinary},
	0x34:  {Name: "i16x8.le_u", sig: simdBinary},
	0x35:  {Name: "i16x8.ge_s", sig: simdBinary},
	0x36:  {Name: "i16x8.ge_u", sig: simdBinary},
	0x37:  {Name: "i32x4.eq", sig: simdBinary},
	0x38:  {Name: "i32x4.ne", sig: simdBinary},
	0x39:  {Name: "i32x4.lt_s", sig: simdBinary},
	0x3a:  {Name: "i32x4.lt_u", sig: simdBinary},
	0x3b:  {Name: "i32x4.gt_s", sig: simdBinary},
	0x3c:  {Name: "i32x4.gt_u", sig: simdBinary},
	0x3d:  {Name: "i32x4.le_s", sig: simdBinary},
	0x3e:  {Name: "i32x4.le_u", sig: simdBinary},
	0x3f:  {Name: "i32x4.ge_s", sig: simdBinary},
	0x40:  {Name: "i32x4.ge_u", sig: simdBinary},
	0x41:  {Name: "f32x4.eq", sig: simdBinary},
	0x42:  {Name: "f32x4.ne", sig: simdBinary},
	0x43:  {Name: "f32x4.lt", sig: simdBinary},
	0x44:  {Name: "f32x4.gt", sig: simdBinary},
	0x45:  {Name: "f32x4.le", sig: simdBinary},
	0x46:  {Name: "f32x4.ge", sig: simdBinary},
	0x47:  {Name: "f64x2.eq", sig: simdBinary},
	0x48:  {Name: "f64x2.ne", sig: simdBinary},
	0x49:  {Name: "f64x2.lt", sig: simdBinary},
	0x4a:  {Name: "f64x2.gt", sig: simdBinary},
	0x4b:  {Name: "f64x2.le", sig: simdBinary},
	0x4c:  {Name: "f64x2.ge", sig: simdBinary},
	0x4d:  {Name: "v128.not", sig: simdUnary},
	0x4e:  {Name: "v128.and", sig: simdBinary},
	0x4f:  {Name: "v128.andnot", sig: simdBinary},
	0x50:  {Name: "v128.or", sig: simdBinary},
	0x51:  {Name: "v128.xor", sig: simdBinary},
	0x52:  {Name: "v128.bitselect", sig: simdTernary},
	0x53:  {Name: "v128.any_true", sig: simdTest},
	0x54:  {Name: "v128.load8_lane", sig: simdLoadLane, Imm: SIMDImmMemLane, Lanes: 16},
	0x55:  {Name: "v128.load16_lane", sig: simdLoadLane, Imm: SIMDImmMemLane, Lanes: 8, Align: 1},
	0x56:  {Name: "v128.load32_lane", sig: simdLoadLane, Imm: SIMDImmMemLane, Lanes: 4, Align: 2},
	0x57:  {Name: "v128.load64_lane", sig: simdLoadLane, Imm: SIMDImmMemLane, Lanes: 2, Align: 3},
	0x58:  {Name: "v128.store8_lane", sig: simdStoreLane, Imm: SIMDImmMemLane, Lanes: 16},
	0x59:  {Name: "v128.store16_lane", sig: simdStoreLane, Imm: SIMDImmMemLane, Lanes: 8, Align: 1},
	0x5a:  {Name: "v128.store32_lane", sig: simdStoreLane, Imm: SIMDImmMemLane, Lanes: 4, Align: 2},
	0x5b:  {Name: "v128.store64_lane", sig: simdStoreLane, Imm: SIMDImmMemLane, Lanes: 2, Align: 3},
	0x5c:  {Name: "v128.load32_zero", sig: simdLoad, Imm: SIMDImmMem, Align: 2},
	0x5d:  {Name: "v128.load64_zero", sig: simdLoad, Imm: SIMDImmMem, Align: 3},
	0x5e:  {Name: "f32x4.demote_f64x2_zero", sig: simdUnary},
	0x5f:  {Name: "f64x2.promote_low_f32x4", sig: simdUnary},
	0x60:  {Name: "i8x16.abs", sig: simdUnary},
	0x61:  {Name: "i8x16.neg", sig: simdUnary},
	0x62:  {Name: "i8x16.popcnt", sig: simdUnary},
	0x63:  {Name: "i8x16.all_true", sig: simdTest},
	0x64:  {Name: "i8x16.bitmask", sig: simdTest},
	0x65:  {Name: "i8x16.narrow_i16x8_s", sig: simdBinary},
	0x66:  {Name: "i8x16.narrow_i16x8_u", sig: simdBinary},
	0x67:  {Name: "f32x4.ceil", sig: simdUnary},
	0x68:  {Name: "f32x4.floor", sig: simdUnary},
	0x69:  {Name: "f32x4.trunc", sig: simdUnary},
	0x6a:  {Name: "f32x4.nearest", sig: simdUnary},
	0x6b:  {Name: "i8x16.shl", sig: simdShift},
	0x6c:  {Name: "i8x16.shr_s", sig: simdShift},
	0x6d:  {Name: "i8x16.shr_u", sig: simdShift},
	0x6e:  {Name: "i8x16.add", sig: simdBinary},
	0x6f:  {Name: "i8x16.add_sat_s", sig: simdBinary},
	0x70:  {Name: "i8x16.add_sat_u", sig: simdBinary},
	0x71:  {Name: "i8x16.sub", sig: simdBinary},
	0x72:  {Name: "i8x16.sub_sat_s", sig: simdBinary},
	0x73:  {Name: "i8x16.sub_sat_u", sig: simdBinary},
	0x74:  {Name: "f64x2.ceil", sig: simdUnary},
	0x75:  {Name: "f64x2.floor", sig: simdUnary},
	0x76:  {Name: "i8x16.min_s", sig: simdBinary},
	0x77:  {Name: "i8x16.min_u", sig: simdBinary},
	0x78:  {Name: "i8x16.max_s", sig: simdBinary},
	0x79:  {Name: "i8x16.max_u", sig: simdBinary},
	0x7a:  {Name: "f64x2.trunc", sig: simdUnary},
	0x7b:  {Name: "i8x16.avgr_u", sig: simdBinary},
	0x7c:  {Name: "i16x8.extadd_pairwise_i8x16_s", sig: simdUnary},
	0x7d:  {Name: "i16x8.extadd_pairwise_i8x16_u", sig: simdUnary},
	0x7e:  {Name: "i32x4.extadd_pairwise_i16x8_s", sig: simdUnary},
	0x7f:  {Name: "i32x4.extadd_pairwise_i16x8_u", sig: simdUnary},
	0x80:  {Name: "i16x8.abs", sig: simdUnary},
	0x81:  {Name: "i16x8.neg", sig: simdUnary},
	0x82:  {Name: "i16x8.q15mulr_sat_s", sig: simdBinary},
	0x83:  {Name: "i16x8.all_true", sig: simdTest},
	0x84:  {Name: "i16x8.bitmask", sig: simdTest},
	0x85:  {Name: "i16x8.narrow_i32x4_s", sig: simdBinary},
	0x86:  {Name: "i16x8.narrow_i32x4_u", sig: simdBinary},
	0x87:  {Name: "i16x8.extend_low_i8x16_s", sig: simdUnary},
	0x88:  {Name: "i16x8.extend_high_i8x16_s", sig: simdUnary},
	0x89:  {Name: "i16x8.extend_low_i8x16_u", sig: simdUnary},
	0x8a:  {Name: "i16x8.extend_high_i8x16_u", sig: simdUnary},
	0x8b:  {Name: "i16x8.shl", sig: simdShift},
	0x8c:  {Name: "i16x8.shr_s", sig: simdShift},
	0x8d:  {Name: "i16x8.shr_u", sig: simdShift},
	0x8e:  {Name: "i16x8.add", sig: simdBinary},
	0x8f:  {Name: "i16x8.add_sat_s", sig: simdBinary},
	0x90:  {Name: "i16x8.add_sat_u", sig: simdBinary},
	0x91:  {Name: "i16x8.sub", sig: simdBinary},
	0x92:  {Name: "i16x8.sub_sat_s", sig: simdBinary},
	0x93:  {Name: "i16x8.sub_sat_u", sig: simdBinary},
	0x94:  {Name: "f64x2.nearest", sig: simdUnary},
	0x95:  {Name: "i16x8.mul", sig: simdBinary},
	0x96:  {Name: "i16x8.min_s", sig: simdBinary},
	0x97:  {Name: "i16x8.min_u", sig: simdBinary},
	0x98:  {Name: "i16x8.max_s", sig: simdBinary},
	0x99:  {Name: "i16x8.max_u", sig: simdBinary},
	0x9b:  {Name: "i16x8.avgr_u", sig: simdBinary},
	0x9c:  {Name: "i16x8.extmul_low_i8x16_s", sig: simdBinary},
	0x9d:  {Name: "i16x8.extmul_high_i8x16_s", sig: simdBinary},
	0x9e:  {Name: "i16x8.extmul_low_i8x16_u", sig: simdBinary},
	0x9f:  {Name: "i16x8.extmul_high_i8x16_u", sig: simdBinary},
	0xa0:  {Name: "i32x4.abs", sig: simdUnary},
	0xa1:  {Name: "i32x4.neg", sig: simdUnary},
	0xa3:  {Name: "i32x4.all_true", sig: simdTest},
	0xa4:  {Name: "i32x4.bitmask", sig: simdTest},
	0xa7:  {Name: "i32x4.extend_low_i16x8_s", sig: simdUnary},
	0xa8:  {Name: "i32x4.extend_high_i16x8_s", sig: simdUnary},
	0xa9:  {Name: "i32x4.extend_low_i16x8_u", sig: simdUnary},
	0xaa:  {Name: "i32x4.extend_high_i16x8_u", sig: simdUnary},
	0xab:  {Name: "i32x4.shl", sig: simdShift},
	0xac:  {Name: "i32x4.shr_s", sig: simdShift},
	0xad:  {Name: "i32x4.shr_u", sig: simdShift},
	0xae:  {Name: "i32x4.add", sig: simdBinary},
	0xb1:  {Name: "i32x4.sub", sig: simdBinary},
	0xb5:  {Name: "i32x4.mul", sig: simdBinary},
	0xb6:  {Name: "i32x4.min_s", sig: simdBinary},
	0xb7:  {Name: "i32x4.min_u", sig: simdBinary},
	0xb8:  {Name: "i32x4.max_s", sig: simdBinary},
	0xb9:  {Name: "i32x4.max_u", sig: simdBinary},
	0xba:  {Name: "i32x4.dot_i16x8_s", sig: simdBinary},
	0xbc:  {Name: "i32x4.extmul_low_i16x8_s", sig: simdBinary},
	0xbd:  {Name: "i32x4.extmul_high_i16x8_s", sig: simdBinary},
	0xbe:  {Name: "i32x4.extmul_low_i16x8_u", sig: simdBinary},
	0xbf:  {Name: "i32x4.extmul_high_i16x8_u", sig: simdBinary},
	0xc0:  {Name: "i64x2.abs", sig: simdUnary},
	0xc1:  {Name: "i64x2.neg", sig: simdUnary},
	0xc3:  {Name: "i64x2.all_true", sig: simdTest},
	0xc4:  {Name: "i64x2.bitmask", sig: simdTest},
	0xc7:  {Name: "i64x2.extend_low_i32x4_s", sig: simdUnary},
	0xc8:  {Name: "i64x2.extend_high_i32x4_s", sig: simdUnary},
	0xc9:  {Name: "i64x2.extend_low_i32x4_u", sig: simdUnary},
	0xca:  {Name: "i64x2.extend_high_i32x4_u", sig: simdUnary},
	0xcb:  {Name: "i64x2.shl", sig: simdShift},
	0xcc:  {Name: "i64x2.shr_s", sig: simdShift},
	0xcd:  {Name: "i64x2.shr_u", sig: simdShift},
	0xce:  {Name: "i64x2.add", sig: simdBinary},
	0xd1:  {Name: "i64x2.sub", sig: simdBinary},
	0xd5:  {Name: "i64x2.mul", sig: simdBinary},
	0xd6:  {Name: "i64x2.eq", sig: simdBinary},
	0xd7:  {Name: "i64x2.ne", sig: simdBinary},
	0xd8:  {Name: "i64x2.lt_s", sig: simdBinary},
	0xd9:  {Name: "i64x2.gt_s", sig: simdBinary},
	0xda:  {Name: "i64x2.le_s", sig: simdBinary},
	0xdb:  {Name: "i64x2.ge_s", sig: simdBinary},
	0xdc:  {Name: "i64x2.extmul_low_i32x4_s", sig: simdBinary},
	0xdd:  {Name: "i64x2.extmul_high_i32x4_s", sig: simdBinary},
	0xde:  {Name: "i64x2.extmul_low_i32x4_u", sig: simdBinary},
	0xdf:  {Name: "i64x2.extmul_high_i32x4_u", sig: simdBinary},
	0xe0:  {Name: "f32x4.abs", sig: simdUnary},
	0xe1:  {Name: "f32x4.neg", sig: simdUnary},
	0xe3:  {Name: "f32x4.sqrt", sig: simdUnary},
	0xe4:  {Name: "f32x4.add", sig: simdBinary},
	0xe5:  {Name: "f32x4.sub", sig: simdBinary},
	0xe6:  {Name: "f32x4.mul", sig: simdBinary},
	0xe7:  {Name: "f32x4.div", sig: simdBinary},
	0xe8:  {Name: "f32x4.min", sig: simdBinary},
	0xe9:  {Name: "f32x4.max", sig: simdBinary},
	0xea:  {Name: "f32x4.pmin", sig: simdBinary},
	0xeb:  {Name: "f32x4.pmax", sig: simdBinary},
	0xec:  {Name: "f64x2.abs", sig: simdUnary},
	0xed:  {Name: "f64x2.neg", sig: simdUnary},
	0xef:  {Name: "f64x2.sqrt", sig: simdUnary},
	0xf0:  {Name: "f64x2.add", sig: simdBinary},
	0xf1:  {Name: "f64x2.sub", sig: simdBinary},
	0xf2:  {Name: "f64x2.mul", sig: simdBinary},
	0xf3:  {Name: "f64x2.div", sig: simdBinary},
	0xf4:  {Name: "f64x2.min", sig: simdBinary},
	0xf5:  {Name: "f64x2.max", sig: simdBinary},
	0xf6:  {Name: "f64x2.pmin", sig: simdBinary},
	0xf7:  {Name: "f64x2.pmax", sig: simdBinary},
	0xf8:  {Name: "i32x4.trunc_sat_f32x4_s", sig: simdUnary},
	0xf9:  {Name: "i32x4.trunc_sat_f32x4_u", sig: simdUnary},
	0xfa:  {Name: "f32x4.convert_i32x4_s", sig: simdUnary},
	0xfb:  {Name: "f32x4.convert_i32x4_u", sig: simdUnary},
	0xfc:  {Name: "i32x4.trunc_sat_f64x2_s_zero", sig: simdUnary},
	0xfd:  {Name: "i32x4.trunc_sat_f64x2_u_zero", sig: simdUnary},
	0xfe:  {Name: "f64x2.convert_low_i32x4_s", sig: simdUnary},
	0xff:  {Name: "f64x2.convert_low_i32x4_u", sig: simdUnary},
	0x100: {Name: "i8x16.relaxed_swizzle", sig: simdBinary},
	0x101: {Name: "i32x4.relaxed_trunc_f32x4_s", sig: simdUnary},
	0x102: {Name: "i32x4.relaxed_trunc_f32x4_u", sig: simdUnary},
	0x103: {Name: "i32x4.relaxed_trunc_f64x2_s_zero", sig: simdUnary},
	0x104: {Name: "i32x4.relaxed_trunc_f64x2_u_zero", sig: simdUnary},
	0x105: {Name: "f32x4.relaxed_madd", sig: simdTernary},
	0x106: {Name: "f32x4.relaxed_nmadd", sig: simdTernary},
	0x107: {Name: "f64x2.relaxed_madd", sig: simdTernary},
	0x108: {Name: "f64x2.relaxed_nmadd", sig: simdTernary},
	0x109: {Name: "i8x16.relaxed_laneselect", sig: simdTernary},
	0x10a: {Name: "i16x8.relaxed_laneselect", sig: simdTernary},
	0x10b: {Name: "i32x4.relaxed_laneselect", sig: simdTernary},
	0x10c: {Name: "i64x2.relaxed_laneselect", sig: simdTernary},
	0x10d: {Name: "f32x4.relaxed_min", sig: simdBinary},
	0x10e: {Name: "f32x4.relaxed_max", sig: simdBinary},
	0x10f: {Name: "f64x2.relaxed_min", sig: simdBinary},
	0x110: {Name: "f64x2.relaxed_max", sig: simdBinary},
	0x111: {Name: "i16x8.relaxed_q15mulr_s", sig: simdBinary},
	0x112: {Name: "i16x8.relaxed_dot_i8x16_i7x16_s", sig: simdBinary},
	0x113: {Name: "i32x4.relaxed_dot_i8x16_i7x16_add_s", sig: simdTernary},
}

// SIMDInfo returns the description of SIMD sub-opcode sub, or nil if it is
// illegal.
func SIMDInfo(sub uint32) *SIMDOp {
	if sub >= uint32(len(simdOps)) || simdOps[sub].sig == simdIllegal {
		return nil
	}
	return &simdOps[sub]
}

// SIMDOps yields every legal SIMD sub-opcode with its description, in
// sub-opcode order (the text-format assembler builds its table from it).
func SIMDOps() iter.Seq2[uint32, *SIMDOp] {
	return func(yield func(uint32, *SIMDOp) bool) {
		for sub := range simdOps {
			if simdOps[sub].sig != simdIllegal && !yield(uint32(sub), &simdOps[sub]) {
				return
			}
		}
	}
}
