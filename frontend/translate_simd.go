package frontend

// Translation of the SIMD (0xFD) instructions. Every instruction that
// computes on vectors becomes the IR op of the same name (ir/simd.go); the
// memory instructions are built from the plain loads and stores:
//
//	v128.load / v128.store          load / store of a v128
//	v128.loadNxM_{s,u}              load i64; i64x2.splat; <2N>x<M>.extend_low_<N>x<2M>_{s,u}
//	v128.loadN_splat                load (8/16: zero-extending) i32 or i64; <N>x<K>.splat
//	v128.loadN_zero                 load i32/i64; replace_lane 0 of v128.const 0
//	v128.loadN_lane                 load the scalar; replace_lane
//	v128.storeN_lane                extract_lane (8/16: _u); store the low N bits
//
// so bounds checks, trap sites and the memory layout are the scalar ones.

import (
	"strings"

	"wfxc/ir"
)

// simdIROps maps each SIMD sub-opcode that has an IR op of its own (all
// but the memory instructions) to it, by name.
var simdIROps = func() map[uint32]ir.Op {
	byName := map[string]ir.Op{}
	for op := ir.OpSIMDFirst; op.IsSIMD(); op++ {
		byName[ir.Ops[op].Name] = op
	}
	m := map[uint32]ir.Op{}
	for sub, info := range SIMDOps() {
		if op, ok := byName[info.Name]; ok {
			m[sub] = op
		}
	}
	return m
}()

// simdLoads describes the loads of the v128.load* instructions: the scalar
// load, and the op that turns the loaded scalar into the vector.
var simdLoads = map[uint32]struct {
	row  memRow
	then ir.Op // OpInvalid: the load is the vector (v128.load)
}{
	0x00: {memRow{ir.OpLoad, ir.V128, false}, ir.OpInvalid},
	0x01: {memRow{ir.OpLoad, ir.I64, false}, ir.OpI16x8ExtendLowI8x16S},
	0x02: {memRow{ir.OpLoad, ir.I64, false}, ir.OpI16x8ExtendLowI8x16U},
	0x03: {memRow{ir.OpLoad, ir.I64, false}, ir.OpI32x4ExtendLowI16x8S},
	0x04: {memRow{ir.OpLoad, ir.I64, false}, ir.OpI32x4ExtendLowI16x8U},
	0x05: {memRow{ir.OpLoad, ir.I64, false}, ir.OpI64x2ExtendLowI32x4S},
	0x06: {memRow{ir.OpLoad, ir.I64, false}, ir.OpI64x2ExtendLowI32x4U},
	0x07: {memRow{ir.OpLoad8U, ir.I32, false}, ir.OpI8x16Splat},
	0x08: {memRow{ir.OpLoad16U, ir.I32, false}, ir.OpI16x8Splat},
	0x09: {memRow{ir.OpLoad, ir.I32, false}, ir.OpI32x4Splat},
	0x0a: {memRow{ir.OpLoad, ir.I64, false}, ir.OpI64x2Splat},
	0x5c: {memRow{ir.OpLoad, ir.I32, false}, ir.OpI32x4ReplaceLane},
	0x5d: {memRow{ir.OpLoad, ir.I64, false}, ir.OpI64x2ReplaceLane},
}

// simdLanes describes the lane loads and stores (0x54–0x5b by lane size):
// the scalar load and store, and the ops moving the scalar into and out
// of the vector.
var simdLanes = [4]struct {
	load, store      memRow
	replace, extract ir.Op
}{
	{memRow{ir.OpLoad8U, ir.I32, false}, memRow{ir.OpStore8, ir.I32, true}, ir.OpI8x16ReplaceLane, ir.OpI8x16ExtractLaneU},
	{memRow{ir.OpLoad16U, ir.I32, false}, memRow{ir.OpStore16, ir.I32, true}, ir.OpI16x8ReplaceLane, ir.OpI16x8ExtractLaneU},
	{memRow{ir.OpLoad, ir.I32, false}, memRow{ir.OpStore, ir.I32, true}, ir.OpI32x4ReplaceLane, ir.OpI32x4ExtractLane},
	{memRow{ir.OpLoad, ir.I64, false}, memRow{ir.OpStore, ir.I64, true}, ir.OpI64x2ReplaceLane, ir.OpI64x2ExtractLane},
}

// emitSIMD translates a SIMD instruction.
func (t *translator) emitSIMD(in *Instr) error {
	pos := in.Offset
	switch sub := in.Sub; {
	case sub == 0x0c: // v128.const
		t.push(t.v128Const(in.V128))
		return nil
	case sub == 0x0b: // v128.store
		_, err := t.access(memRow{ir.OpStore, ir.V128, true}, in)
		return err
	case sub >= 0x54 && sub <= 0x57: // v128.loadN_lane
		l := &simdLanes[sub-0x54]
		vec := t.pop()
		x, err := t.access(l.load, in)
		if x == nil {
			return err
		}
		v := t.val(l.replace, ir.V128, pos, vec, x)
		v.Aux = int64(in.Lane)
		t.push(v)
		return nil
	case sub >= 0x58 && sub <= 0x5b: // v128.storeN_lane
		l := &simdLanes[sub-0x58]
		x := t.val(l.extract, l.store.typ, pos, t.pop())
		x.Aux = int64(in.Lane)
		t.push(x)
		_, err := t.access(l.store, in)
		return err
	}
	if ld, ok := simdLoads[in.Sub]; ok {
		x, err := t.access(ld.row, in)
		switch {
		case x == nil:
			return err
		case ld.then == ir.OpInvalid:
		case ld.then == ir.OpI32x4ReplaceLane || ld.then == ir.OpI64x2ReplaceLane: // loadN_zero
			x = t.val(ld.then, ir.V128, pos, t.v128Const([16]byte{}), x)
		case strings.HasSuffix(ir.Ops[ld.then].Name, ".splat"):
			x = t.val(ld.then, ir.V128, pos, x)
		default: // loadNxM: the 8 bytes in the low half, then widened
			x = t.val(ld.then, ir.V128, pos, t.val(ir.OpI64x2Splat, ir.V128, pos, x))
		}
		t.push(x)
		return nil
	}
	op, ok := simdIROps[in.Sub]
	if !ok {
		return t.unsupported(pos, "SIMD instruction "+SIMDInfo(in.Sub).Name)
	}
	argTypes, result := ir.SIMDSig(op)
	v := t.val(op, result, pos, t.popN(len(argTypes))...)
	switch {
	case op == ir.OpI8x16Shuffle:
		v.Aux, v.Aux2 = v128Halves(in.V128)
	case ir.Ops[op].Aux == ir.AuxLane:
		v.Aux = int64(in.Lane)
	}
	t.push(v)
	return nil
}

// v128Const returns a v128.const value of the bytes b.
func (t *translator) v128Const(b [16]byte) *ir.Value {
	v := t.cur.NewValue(ir.OpV128Const, ir.V128)
	v.Aux, v.Aux2 = v128Halves(b)
	return v
}

// v128Halves returns the low and high 8 bytes of b as little-endian words.
func v128Halves(b [16]byte) (lo, hi int64) {
	for i := 7; i >= 0; i-- {
		lo = lo<<8 | int64(b[i])
		hi = hi<<8 | int64(b[8+i])
	}
	return lo, hi
}
