package wat

import (
	"wfxc/frontend"
	"wfxc/internal/leb128"
)

// The instruction table: every instruction name of the text format with
// its binary opcode bytes and the shape of its immediates.

type immKind uint8

const (
	immNone         immKind = iota
	immBlock                // block, loop
	immIf                   // if
	immTryTable             // try_table
	immLabel                // br, br_if, br_on_null, br_on_non_null
	immBrTable              // br_table
	immFunc                 // call, return_call, ref.func
	immCallIndirect         // call_indirect, return_call_indirect
	immType                 // call_ref, struct.new, array.get, cont.new, …
	immLocal                // local.get/set/tee
	immGlobal               // global.get/set
	immTable                // table.get/set/size/grow/fill (optional table)
	immMem                  // loads and stores: memory? memarg
	immMemIdx               // memory.size/grow/fill (optional memory)
	immI32
	immI64
	immF32
	immF64
	immV128
	immRefNull
	immSelect
	immTag         // throw, suspend
	immMemInit     // memory.init memory? data
	immData        // data.drop
	immMemCopy     // memory.copy (memory memory)?
	immTableInit   // table.init table? elem
	immElem        // elem.drop
	immTableCopy   // table.copy (table table)?
	immShuffle     // i8x16.shuffle
	immLane        // extract/replace lane
	immMemLane     // v128.loadN_lane / storeN_lane: memory? memarg lane
	immField       // struct.get/set: type field
	immTypeU32     // array.new_fixed: type n
	immTypeData    // array.new_data, array.init_data
	immTypeElem    // array.new_elem, array.init_elem
	immTypeType    // array.copy, cont.bind
	immRefTest     // ref.test, ref.cast: reftype (nullability selects the opcode)
	immBrOnCast    // br_on_cast(_fail): label reftype reftype
	immResume      // resume: type handlers
	immResumeThrow // resume_throw: type tag handlers
	immTypeTag     // switch: type tag
)

type opInfo struct {
	code  []byte // opcode bytes (prefix and LEB sub-opcode)
	imm   immKind
	align uint8 // natural alignment (log2) for memory instructions
	// alt is the opcode for the nullable variant of ref.test/ref.cast.
	alt []byte
}

var ops = map[string]opInfo{}

func op1(name string, code byte, imm immKind) {
	ops[name] = opInfo{code: []byte{code}, imm: imm}
}

func opP(name string, prefix byte, sub uint32, imm immKind) {
	ops[name] = opInfo{code: leb128.AppendUint([]byte{prefix}, uint64(sub)), imm: imm}
}

func init() {
	op1("unreachable", 0x00, immNone)
	op1("nop", 0x01, immNone)
	op1("block", 0x02, immBlock)
	op1("loop", 0x03, immBlock)
	op1("if", 0x04, immIf)
	op1("throw", 0x08, immTag)
	op1("throw_ref", 0x0A, immNone)
	op1("br", 0x0C, immLabel)
	op1("br_if", 0x0D, immLabel)
	op1("br_table", 0x0E, immBrTable)
	op1("return", 0x0F, immNone)
	op1("call", 0x10, immFunc)
	op1("call_indirect", 0x11, immCallIndirect)
	op1("return_call", 0x12, immFunc)
	op1("return_call_indirect", 0x13, immCallIndirect)
	op1("call_ref", 0x14, immType)
	op1("return_call_ref", 0x15, immType)
	op1("drop", 0x1A, immNone)
	op1("select", 0x1B, immSelect)
	op1("try_table", 0x1F, immTryTable)
	op1("local.get", 0x20, immLocal)
	op1("local.set", 0x21, immLocal)
	op1("local.tee", 0x22, immLocal)
	op1("global.get", 0x23, immGlobal)
	op1("global.set", 0x24, immGlobal)
	op1("table.get", 0x25, immTable)
	op1("table.set", 0x26, immTable)
	mems := []struct {
		name  string
		align uint8
	}{
		{"i32.load", 2}, {"i64.load", 3}, {"f32.load", 2}, {"f64.load", 3},
		{"i32.load8_s", 0}, {"i32.load8_u", 0}, {"i32.load16_s", 1}, {"i32.load16_u", 1},
		{"i64.load8_s", 0}, {"i64.load8_u", 0}, {"i64.load16_s", 1}, {"i64.load16_u", 1},
		{"i64.load32_s", 2}, {"i64.load32_u", 2},
		{"i32.store", 2}, {"i64.store", 3}, {"f32.store", 2}, {"f64.store", 3},
		{"i32.store8", 0}, {"i32.store16", 1}, {"i64.store8", 0}, {"i64.store16", 1}, {"i64.store32", 2},
	}
	for i, m := range mems {
		ops[m.name] = opInfo{code: []byte{byte(0x28 + i)}, imm: immMem, align: m.align}
	}
	op1("memory.size", 0x3F, immMemIdx)
	op1("memory.grow", 0x40, immMemIdx)
	op1("i32.const", 0x41, immI32)
	op1("i64.const", 0x42, immI64)
	op1("f32.const", 0x43, immF32)
	op1("f64.const", 0x44, immF64)
	plain := []string{
		"i32.eqz", "i32.eq", "i32.ne", "i32.lt_s", "i32.lt_u", "i32.gt_s", "i32.gt_u", "i32.le_s", "i32.le_u", "i32.ge_s", "i32.ge_u",
		"i64.eqz", "i64.eq", "i64.ne", "i64.lt_s", "i64.lt_u", "i64.gt_s", "i64.gt_u", "i64.le_s", "i64.le_u", "i64.ge_s", "i64.ge_u",
		"f32.eq", "f32.ne", "f32.lt", "f32.gt", "f32.le", "f32.ge",
		"f64.eq", "f64.ne", "f64.lt", "f64.gt", "f64.le", "f64.ge",
		"i32.clz", "i32.ctz", "i32.popcnt", "i32.add", "i32.sub", "i32.mul", "i32.div_s", "i32.div_u", "i32.rem_s", "i32.rem_u",
		"i32.and", "i32.or", "i32.xor", "i32.shl", "i32.shr_s", "i32.shr_u", "i32.rotl", "i32.rotr",
		"i64.clz", "i64.ctz", "i64.popcnt", "i64.add", "i64.sub", "i64.mul", "i64.div_s", "i64.div_u", "i64.rem_s", "i64.rem_u",
		"i64.and", "i64.or", "i64.xor", "i64.shl", "i64.shr_s", "i64.shr_u", "i64.rotl", "i64.rotr",
		"f32.abs", "f32.neg", "f32.ceil", "f32.floor", "f32.trunc", "f32.nearest", "f32.sqrt",
		"f32.add", "f32.sub", "f32.mul", "f32.div", "f32.min", "f32.max", "f32.copysign",
		"f64.abs", "f64.neg", "f64.ceil", "f64.floor", "f64.trunc", "f64.nearest", "f64.sqrt",
		"f64.add", "f64.sub", "f64.mul", "f64.div", "f64.min", "f64.max", "f64.copysign",
		"i32.wrap_i64", "i32.trunc_f32_s", "i32.trunc_f32_u", "i32.trunc_f64_s", "i32.trunc_f64_u",
		"i64.extend_i32_s", "i64.extend_i32_u", "i64.trunc_f32_s", "i64.trunc_f32_u", "i64.trunc_f64_s", "i64.trunc_f64_u",
		"f32.convert_i32_s", "f32.convert_i32_u", "f32.convert_i64_s", "f32.convert_i64_u", "f32.demote_f64",
		"f64.convert_i32_s", "f64.convert_i32_u", "f64.convert_i64_s", "f64.convert_i64_u", "f64.promote_f32",
		"i32.reinterpret_f32", "i64.reinterpret_f64", "f32.reinterpret_i32", "f64.reinterpret_i64",
		"i32.extend8_s", "i32.extend16_s", "i64.extend8_s", "i64.extend16_s", "i64.extend32_s",
	}
	for i, n := range plain {
		op1(n, byte(0x45+i), immNone)
	}
	op1("ref.null", 0xD0, immRefNull)
	op1("ref.is_null", 0xD1, immNone)
	op1("ref.func", 0xD2, immFunc)
	op1("ref.eq", 0xD3, immNone)
	op1("ref.as_non_null", 0xD4, immNone)
	op1("br_on_null", 0xD5, immLabel)
	op1("br_on_non_null", 0xD6, immLabel)
	op1("cont.new", 0xE0, immType)
	op1("cont.bind", 0xE1, immTypeType)
	op1("suspend", 0xE2, immTag)
	op1("resume", 0xE3, immResume)
	op1("resume_throw", 0xE4, immResumeThrow)
	op1("resume_throw_ref", 0xE5, immResume)
	op1("switch", 0xE6, immTypeTag)

	// 0xFB: GC.
	gc := []struct {
		name string
		imm  immKind
	}{
		{"struct.new", immType}, {"struct.new_default", immType}, {"struct.get", immField}, {"struct.get_s", immField},
		{"struct.get_u", immField}, {"struct.set", immField}, {"array.new", immType}, {"array.new_default", immType},
		{"array.new_fixed", immTypeU32}, {"array.new_data", immTypeData}, {"array.new_elem", immTypeElem},
		{"array.get", immType}, {"array.get_s", immType}, {"array.get_u", immType}, {"array.set", immType},
		{"array.len", immNone}, {"array.fill", immType}, {"array.copy", immTypeType}, {"array.init_data", immTypeData},
		{"array.init_elem", immTypeElem}, {"ref.test", immRefTest}, {"", immNone}, {"ref.cast", immRefTest}, {"", immNone},
		{"br_on_cast", immBrOnCast}, {"br_on_cast_fail", immBrOnCast}, {"any.convert_extern", immNone},
		{"extern.convert_any", immNone}, {"ref.i31", immNone}, {"i31.get_s", immNone}, {"i31.get_u", immNone},
	}
	for i, g := range gc {
		if g.name != "" {
			opP(g.name, 0xFB, uint32(i), g.imm)
		}
	}
	ops["ref.test"] = opInfo{code: []byte{0xFB, 20}, alt: []byte{0xFB, 21}, imm: immRefTest}
	ops["ref.cast"] = opInfo{code: []byte{0xFB, 22}, alt: []byte{0xFB, 23}, imm: immRefTest}

	// 0xFC: misc.
	misc := []struct {
		name string
		imm  immKind
	}{
		{"i32.trunc_sat_f32_s", immNone}, {"i32.trunc_sat_f32_u", immNone}, {"i32.trunc_sat_f64_s", immNone},
		{"i32.trunc_sat_f64_u", immNone}, {"i64.trunc_sat_f32_s", immNone}, {"i64.trunc_sat_f32_u", immNone},
		{"i64.trunc_sat_f64_s", immNone}, {"i64.trunc_sat_f64_u", immNone}, {"memory.init", immMemInit},
		{"data.drop", immData}, {"memory.copy", immMemCopy}, {"memory.fill", immMemIdx},
		{"table.init", immTableInit}, {"elem.drop", immElem}, {"table.copy", immTableCopy},
		{"table.grow", immTable}, {"table.size", immTable}, {"table.fill", immTable},
	}
	for i, g := range misc {
		opP(g.name, 0xFC, uint32(i), g.imm)
	}

	// 0xFD: SIMD, from the frontend's table.
	for sub, s := range frontend.SIMDOps() {
		ops[s.Name] = opInfo{code: leb128.AppendUint([]byte{0xFD}, uint64(sub)), imm: simdImms[s.Imm], align: s.Align}
	}
}

// simdImms maps the frontend's SIMD immediate kinds to the parser's.
var simdImms = [...]immKind{
	frontend.SIMDImmNone:    immNone,
	frontend.SIMDImmMem:     immMem,
	frontend.SIMDImmMemLane: immMemLane,
	frontend.SIMDImmLane:    immLane,
	frontend.SIMDImmV128:    immV128,
	frontend.SIMDImmShuffle: immShuffle,
}
