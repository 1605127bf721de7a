package gen

// SIMD expressions (Config.SIMD): numbers computed through v128 values.
// simdExpr(t) pushes a number of type t read from a vector (a lane, a
// bitmask, any_true/all_true); vexpr pushes a vector built from constants,
// splats, replace_lane, v128 locals and every kind of SIMD memory access,
// combined by the fixed-width instructions of simdOps. Relaxed SIMD is not
// generated: its results may differ between engines by design.
//
// Determinism: a float vector result's NaN lanes are replaced by the
// canonical NaN (vcanon), and floats are canonicalised before they enter a
// vector, so NaN payloads never become observable as lane bits.

// v128 is the vector value type.
const v128 valType = 0x7B

// simdOp is a SIMD instruction: its sub-opcode, operand count (vectors;
// shifts take an i32 count as the second), and whether its result holds
// float lanes that may be NaN (f32x4 = 4, f64x2 = 2; 0 for none).
type simdOp struct {
	sub   uint32
	args  int
	shift bool
	float int
}

// simdOps are the vector → vector instructions the generator uses.
var simdOps = func() []simdOp {
	var ops []simdOp
	add := func(float int, args int, subs ...uint32) {
		for _, s := range subs {
			ops = append(ops, simdOp{sub: s, args: args, float: float})
		}
	}
	add(0, 2, 0x0e)                   // swizzle
	add(0, 2, rangeU(0x23, 0x40)...)  // integer compares
	add(0, 2, rangeU(0x41, 0x4c)...)  // float compares (masks)
	add(0, 1, 0x4d)                   // not
	add(0, 2, 0x4e, 0x4f, 0x50, 0x51) // and andnot or xor
	add(0, 3, 0x52)                   // bitselect
	add(4, 1, 0x5e)                   // demote
	add(2, 1, 0x5f)                   // promote
	add(0, 1, 0x60, 0x61, 0x62)       // i8x16 abs neg popcnt
	add(0, 2, 0x65, 0x66)             // narrow
	add(4, 1, 0x67, 0x68, 0x69, 0x6a) // f32x4 rounding
	add(0, 2, 0x6e, 0x6f, 0x70, 0x71, 0x72, 0x73, 0x76, 0x77, 0x78, 0x79, 0x7b)
	add(2, 1, 0x74, 0x75, 0x7a, 0x94) // f64x2 rounding
	add(0, 1, 0x7c, 0x7d, 0x7e, 0x7f) // extadd
	add(0, 1, 0x80, 0x81)             // i16x8 abs neg
	add(0, 2, 0x82, 0x85, 0x86)       // q15mulr, narrow
	add(0, 1, 0x87, 0x88, 0x89, 0x8a) // extend
	add(0, 2, rangeU(0x8e, 0x93)...)  // i16x8 add/sub (sat)
	add(0, 2, rangeU(0x95, 0x99)...)  // mul min max
	add(0, 2, rangeU(0x9b, 0x9f)...)  // avgr extmul
	add(0, 1, 0xa0, 0xa1, 0xa7, 0xa8, 0xa9, 0xaa)
	add(0, 2, 0xae, 0xb1, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xbc, 0xbd, 0xbe, 0xbf)
	add(0, 1, 0xc0, 0xc1, 0xc7, 0xc8, 0xc9, 0xca)
	add(0, 2, 0xce, 0xd1, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf)
	add(4, 1, 0xe0, 0xe1, 0xe3)       // f32x4 abs neg sqrt
	add(4, 2, rangeU(0xe4, 0xeb)...)  // f32x4 arithmetic
	add(2, 1, 0xec, 0xed, 0xef)       // f64x2 abs neg sqrt
	add(2, 2, rangeU(0xf0, 0xf7)...)  // f64x2 arithmetic
	add(0, 1, 0xf8, 0xf9, 0xfc, 0xfd) // trunc_sat
	add(4, 1, 0xfa, 0xfb)             // f32x4.convert
	add(2, 1, 0xfe, 0xff)             // f64x2.convert_low
	for _, s := range []uint32{0x6b, 0x6c, 0x6d, 0x8b, 0x8c, 0x8d, 0xab, 0xac, 0xad, 0xcb, 0xcc, 0xcd} {
		ops = append(ops, simdOp{sub: s, args: 2, shift: true})
	}
	return ops
}()

func rangeU(lo, hi uint32) []uint32 {
	var s []uint32
	for x := lo; x <= hi; x++ {
		s = append(s, x)
	}
	return s
}

// simd emits SIMD sub-opcode sub.
func (f *fn) simd(sub uint32) {
	f.op(0xFD)
	f.u32(sub)
}

// lanes of each shape by its splat sub-opcode − 0x0f: i8x16 … f64x2.
var shapeLanes = [6]int{16, 8, 4, 2, 4, 2}

// shapeType is the scalar type of each shape's lanes.
var shapeType = [6]valType{i32, i32, i32, i64, f32, f64}

// simdExpr pushes a number of type t read from a vector.
func (f *fn) simdExpr(t valType, d int) {
	r := f.m.r
	switch {
	case t == i32 && r.Intn(3) == 0:
		f.vexpr(d - 1)
		f.simd([]uint32{0x53, 0x63, 0x64, 0x83, 0x84, 0xa3, 0xa4, 0xc3, 0xc4}[r.Intn(9)]) // any_true, all_true, bitmask
	case t == i32:
		sh := r.Intn(3) // i8x16, i16x8, i32x4
		f.vexpr(d - 1)
		sub := []uint32{0x15, 0x18, 0x1b}[sh]
		if sh < 2 && r.Intn(2) == 0 {
			sub++ // extract_lane_u
		}
		f.simd(sub)
		f.op(byte(r.Intn(shapeLanes[sh])))
	case t == i64:
		f.vexpr(d - 1)
		f.simd(0x1d)
		f.op(byte(r.Intn(2)))
	case t == f32:
		f.vexpr(d - 1)
		f.simd(0x1f)
		f.op(byte(r.Intn(4)))
	default:
		f.vexpr(d - 1)
		f.simd(0x21)
		f.op(byte(r.Intn(2)))
	}
}

// vexpr pushes a v128 value, nesting at most d deep.
func (f *fn) vexpr(d int) {
	r := f.m.r
	if d <= 0 {
		f.vleaf()
		return
	}
	switch k := r.Intn(20); {
	case k < 3:
		f.vleaf()
	case k < 11:
		o := simdOps[r.Intn(len(simdOps))]
		for i := 0; i < o.args; i++ {
			if o.shift && i == 1 {
				f.expr(i32, d-1)
				continue
			}
			f.vexpr(d - 1)
		}
		f.simd(o.sub)
		if o.float != 0 {
			f.vcanon(o.float)
		}
	case k == 11: // splat
		sh := r.Intn(6)
		f.expr(shapeType[sh], d-1)
		if shapeType[sh].isFloat() {
			f.canonicalize(shapeType[sh])
		}
		f.simd(0x0f + uint32(sh))
	case k == 12: // replace_lane
		sh := r.Intn(6)
		f.vexpr(d - 1)
		f.expr(shapeType[sh], d-1)
		if shapeType[sh].isFloat() {
			f.canonicalize(shapeType[sh])
		}
		f.simd([]uint32{0x17, 0x1a, 0x1c, 0x1e, 0x20, 0x22}[sh])
		f.op(byte(r.Intn(shapeLanes[sh])))
	case k == 13: // shuffle
		f.vexpr(d - 1)
		f.vexpr(d - 1)
		f.simd(0x0d)
		for range 16 {
			f.op(byte(r.Intn(32)))
		}
	case k == 14: // loads
		sub := []uint32{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0x5c, 0x5d}[r.Intn(13)]
		align := []uint32{4, 3, 3, 3, 3, 3, 3, 0, 1, 2, 3, 2, 3}
		f.addr(d)
		f.simd(sub)
		switch {
		case sub <= 10:
			f.memarg(align[sub])
		default:
			f.memarg(align[sub-0x5c+11])
		}
	case k == 15: // load_lane
		l := r.Intn(4)
		f.addr(d)
		f.vexpr(d - 1)
		f.simd(0x54 + uint32(l))
		f.memarg(uint32(l))
		f.op(byte(r.Intn(16 >> l)))
	case k == 16:
		f.vexpr(d - 1)
		f.op(opLocalTee)
		f.u32(f.localOf(v128))
	default:
		f.vexpr(d - 1)
		f.vexpr(d - 1)
		f.simd([]uint32{0x4e, 0x50, 0x51, 0xae, 0x6e, 0x8e}[r.Intn(6)])
	}
}

// vleaf pushes a v128.const or a v128 local.
func (f *fn) vleaf() {
	r := f.m.r
	if r.Intn(3) == 0 {
		f.op(opLocalGet)
		f.u32(f.localOf(v128))
		return
	}
	f.simd(0x0c)
	sh := r.Intn(6)
	n := shapeLanes[sh]
	for range n {
		f.code = appendLE(f.code, f.m.constBits(shapeType[sh]), 16/n)
	}
}

// vcanon replaces the NaN lanes of the float vector on the stack (lanes
// = 4: f32x4, 2: f64x2) by the canonical NaN: bitselect(v, nan, v == v).
// The result is also left in the scratch local (local.tee): vexpr may
// read that local later, and the raw lanes' NaN bits differ between
// machines (x86-64's default NaN is negative, aarch64's positive).
func (f *fn) vcanon(lanes int) {
	s, ok := f.scratch[v128]
	if !ok {
		s = uint32(len(f.locals))
		f.locals = append(f.locals, v128)
		f.scratch[v128] = s
	}
	f.op(opLocalSet)
	f.u32(s)
	f.op(opLocalGet)
	f.u32(s)
	f.simd(0x0c)
	for range lanes {
		if lanes == 4 {
			f.code = appendLE(f.code, 0x7FC00000, 4)
		} else {
			f.code = appendLE(f.code, 0x7FF8000000000000, 8)
		}
	}
	f.op(opLocalGet)
	f.u32(s)
	f.op(opLocalGet)
	f.u32(s)
	if lanes == 4 {
		f.simd(0x41) // f32x4.eq
	} else {
		f.simd(0x47) // f64x2.eq
	}
	f.simd(0x52) // v128.bitselect
	f.op(opLocalTee)
	f.u32(s)
}

// vstore emits v128.store or a store_lane of a vector.
func (f *fn) vstore(d int) {
	r := f.m.r
	f.addr(d)
	f.vexpr(d - 1)
	if r.Intn(2) == 0 {
		f.simd(0x0b)
		f.memarg(4)
		return
	}
	l := r.Intn(4)
	f.simd(0x58 + uint32(l))
	f.memarg(uint32(l))
	f.op(byte(r.Intn(16 >> l)))
}
