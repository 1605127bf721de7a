package ir

// EvalSIMD, the semantics of the SIMD ops for the interpreter (and, later,
// constant folding). The lane-wise float ops go through Eval, so scalar
// and vector floats share one definition of NaN and rounding. Relaxed ops
// compute the same choice as the back ends (simd.go's header): the
// non-relaxed counterpart for swizzle, trunc, laneselect, min, max and
// q15mulr; madd and nmadd as a multiply and an add, each rounded; the i7
// dot products signed × signed, with 16-bit pair sums wrapping and the
// add form's four-product sums exact.

import (
	"math"
	"math/bits"
	"strings"
)

// Vec is a v128 value: its low and high 8 bytes (little-endian lanes).
type Vec [2]uint64

// Lane returns lane i of width w bytes, zero-extended.
func (v Vec) Lane(w, i int) uint64 {
	bit := 8 * w * i
	x := v[bit/64] >> (bit % 64)
	if w == 8 {
		return x
	}
	return x & (1<<(8*w) - 1)
}

// SetLane returns v with lane i of width w bytes set to the low bits of x.
func (v Vec) SetLane(w, i int, x uint64) Vec {
	bit := 8 * w * i
	m := uint64(math.MaxUint64)
	if w < 8 {
		m = 1<<(8*w) - 1
	}
	v[bit/64] = v[bit/64]&^(m<<(bit%64)) | (x&m)<<(bit%64)
	return v
}

// simdShape is the lane width (bytes), count and kind of an op's name.
func simdShape(name string) (w, n int, float bool) {
	switch {
	case strings.HasPrefix(name, "i8x16"):
		return 1, 16, false
	case strings.HasPrefix(name, "i16x8"):
		return 2, 8, false
	case strings.HasPrefix(name, "i32x4"):
		return 4, 4, false
	case strings.HasPrefix(name, "i64x2"):
		return 8, 2, false
	case strings.HasPrefix(name, "f32x4"):
		return 4, 4, true
	case strings.HasPrefix(name, "f64x2"):
		return 8, 2, true
	}
	return 16, 1, false
}

// sext sign-extends the low 8w bits of x.
func sext(x uint64, w int) int64 {
	s := 64 - 8*uint(w)
	return int64(x<<s) >> s
}

// satS and satU clamp x to the signed and unsigned range of w bytes.
func satS(x int64, w int) uint64 {
	lo, hi := int64(-1)<<(8*w-1), int64(1)<<(8*w-1)-1
	return uint64(min(max(x, lo), hi))
}

func satU(x int64, w int) uint64 {
	return uint64(min(max(x, 0), int64(1)<<(8*w)-1))
}

// EvalSIMD computes SIMD op o with Aux aux and Aux2 aux2 on args (vector
// args as Vecs, scalar args in their low word). A scalar result is in the
// low word. ok is false for an op it does not know.
func EvalSIMD(o Op, aux, aux2 int64, args []Vec) (r Vec, ok bool) {
	name := Ops[o].Name
	verb := name[strings.IndexByte(name, '.')+1:]
	w, n, float := simdShape(name)
	ft := F32
	if w == 8 {
		ft = F64
	}
	var x, y, z Vec
	switch len(args) {
	case 3:
		z = args[2]
		fallthrough
	case 2:
		y = args[1]
		fallthrough
	case 1:
		x = args[0]
	}
	lanewise := func(f func(a, b uint64) uint64) Vec {
		for i := range n {
			r = r.SetLane(w, i, f(x.Lane(w, i), y.Lane(w, i)))
		}
		return r
	}
	scalar := func(op Op, t, argT Type, aux int64, a ...uint64) uint64 {
		res, _, _ := Eval(op, t, argT, aux, a)
		return res
	}
	mask := func(b bool) uint64 {
		if b {
			return math.MaxUint64
		}
		return 0
	}
	switch {
	case o == OpV128Const:
		return Vec{uint64(aux), uint64(aux2)}, true
	case o == OpI8x16Shuffle:
		sel := Vec{uint64(aux), uint64(aux2)}
		for i := range 16 {
			k := int(sel.Lane(1, i))
			src := x
			if k >= 16 {
				src, k = y, k-16
			}
			r = r.SetLane(1, i, src.Lane(1, k%16))
		}
		return r, true
	case o == OpI8x16Swizzle || o == OpI8x16RelaxedSwizzle:
		for i := range 16 {
			if k := y.Lane(1, i); k < 16 {
				r = r.SetLane(1, i, x.Lane(1, int(k)))
			}
		}
		return r, true
	case verb == "splat":
		for i := range n {
			r = r.SetLane(w, i, x[0])
		}
		return r, true
	case strings.HasPrefix(verb, "extract_lane"):
		l := x.Lane(w, int(aux))
		if verb == "extract_lane_s" {
			l = uint64(sext(l, w)) & 0xffffffff
		}
		return Vec{l}, true
	case verb == "replace_lane":
		return x.SetLane(w, int(aux), y[0]), true
	case verb == "not":
		return Vec{^x[0], ^x[1]}, true
	case verb == "and":
		return Vec{x[0] & y[0], x[1] & y[1]}, true
	case verb == "andnot":
		return Vec{x[0] &^ y[0], x[1] &^ y[1]}, true
	case verb == "or":
		return Vec{x[0] | y[0], x[1] | y[1]}, true
	case verb == "xor":
		return Vec{x[0] ^ y[0], x[1] ^ y[1]}, true
	case verb == "bitselect" || verb == "relaxed_laneselect":
		return Vec{x[0]&z[0] | y[0]&^z[0], x[1]&z[1] | y[1]&^z[1]}, true
	case verb == "any_true":
		return Vec{b2u(x[0]|x[1] != 0)}, true
	case verb == "all_true":
		all := true
		for i := range n {
			all = all && x.Lane(w, i) != 0
		}
		return Vec{b2u(all)}, true
	case verb == "bitmask":
		var m uint64
		for i := range n {
			m |= x.Lane(w, i) >> (8*w - 1) << i
		}
		return Vec{m}, true
	case verb == "shl", verb == "shr_s", verb == "shr_u":
		k := y[0] % uint64(8*w)
		return lanewise(func(a, _ uint64) uint64 {
			switch verb {
			case "shl":
				return a << k
			case "shr_s":
				return uint64(sext(a, w) >> k)
			}
			return a >> k
		}), true
	}
	if r, ok := evalSIMDConvert(verb, x, scalar); ok {
		return r, true
	}
	if float {
		return evalSIMDFloat(verb, w, n, ft, x, y, z, scalar, mask)
	}
	return evalSIMDInt(verb, w, n, x, y, z, mask)
}

// evalSIMDInt computes the integer lane ops of EvalSIMD.
func evalSIMDInt(verb string, w, n int, x, y, z Vec, mask func(bool) uint64) (r Vec, ok bool) {
	lanewise := func(f func(a, b uint64) uint64) Vec {
		for i := range n {
			r = r.SetLane(w, i, f(x.Lane(w, i), y.Lane(w, i)))
		}
		return r
	}
	s := func(a uint64) int64 { return sext(a, w) }
	switch verb {
	case "add":
		return lanewise(func(a, b uint64) uint64 { return a + b }), true
	case "sub":
		return lanewise(func(a, b uint64) uint64 { return a - b }), true
	case "mul":
		return lanewise(func(a, b uint64) uint64 { return a * b }), true
	case "add_sat_s":
		return lanewise(func(a, b uint64) uint64 { return satS(s(a)+s(b), w) }), true
	case "add_sat_u":
		return lanewise(func(a, b uint64) uint64 { return satU(int64(a+b), w) }), true
	case "sub_sat_s":
		return lanewise(func(a, b uint64) uint64 { return satS(s(a)-s(b), w) }), true
	case "sub_sat_u":
		return lanewise(func(a, b uint64) uint64 { return satU(int64(a)-int64(b), w) }), true
	case "min_s":
		return lanewise(func(a, b uint64) uint64 { return uint64(min(s(a), s(b))) }), true
	case "min_u":
		return lanewise(func(a, b uint64) uint64 { return min(a, b) }), true
	case "max_s":
		return lanewise(func(a, b uint64) uint64 { return uint64(max(s(a), s(b))) }), true
	case "max_u":
		return lanewise(func(a, b uint64) uint64 { return max(a, b) }), true
	case "avgr_u":
		return lanewise(func(a, b uint64) uint64 { return (a + b + 1) / 2 }), true
	case "eq":
		return lanewise(func(a, b uint64) uint64 { return mask(a == b) }), true
	case "ne":
		return lanewise(func(a, b uint64) uint64 { return mask(a != b) }), true
	case "lt_s":
		return lanewise(func(a, b uint64) uint64 { return mask(s(a) < s(b)) }), true
	case "lt_u":
		return lanewise(func(a, b uint64) uint64 { return mask(a < b) }), true
	case "gt_s":
		return lanewise(func(a, b uint64) uint64 { return mask(s(a) > s(b)) }), true
	case "gt_u":
		return lanewise(func(a, b uint64) uint64 { return mask(a > b) }), true
	case "le_s":
		return lanewise(func(a, b uint64) uint64 { return mask(s(a) <= s(b)) }), true
	case "le_u":
		return lanewise(func(a, b uint64) uint64 { return mask(a <= b) }), true
	case "ge_s":
		return lanewise(func(a, b uint64) uint64 { return mask(s(a) >= s(b)) }), true
	case "ge_u":
		return lanewise(func(a, b uint64) uint64 { return mask(a >= b) }), true
	case "abs":
		return lanewise(func(a, _ uint64) uint64 { return uint64(max(s(a), -s(a))) }), true
	case "neg":
		return lanewise(func(a, _ uint64) uint64 { return -a }), true
	case "popcnt":
		return lanewise(func(a, _ uint64) uint64 { return uint64(bits.OnesCount64(a)) }), true
	case "q15mulr_sat_s", "relaxed_q15mulr_s":
		return lanewise(func(a, b uint64) uint64 { return satS((s(a)*s(b)+1<<14)>>15, w) }), true
	case "dot_i16x8_s":
		for i := range n {
			d := sext(x.Lane(2, 2*i), 2)*sext(y.Lane(2, 2*i), 2) + sext(x.Lane(2, 2*i+1), 2)*sext(y.Lane(2, 2*i+1), 2)
			r = r.SetLane(4, i, uint64(d))
		}
		return r, true
	case "relaxed_dot_i8x16_i7x16_s":
		for i := range n {
			d := sext(x.Lane(1, 2*i), 1)*sext(y.Lane(1, 2*i), 1) + sext(x.Lane(1, 2*i+1), 1)*sext(y.Lane(1, 2*i+1), 1)
			r = r.SetLane(2, i, uint64(d))
		}
		return r, true
	case "relaxed_dot_i8x16_i7x16_add_s":
		for i := range n {
			var d int64
			for k := 4 * i; k < 4*i+4; k++ {
				d += sext(x.Lane(1, k), 1) * sext(y.Lane(1, k), 1)
			}
			r = r.SetLane(4, i, uint64(d)+z.Lane(4, i))
		}
		return r, true
	}
	// Widening and narrowing: the source lanes are half (narrow: double)
	// the result's width.
	hw := w / 2
	signedSrc := strings.HasSuffix(verb, "_s") || strings.HasSuffix(verb, "_s_zero")
	src := func(v Vec, i int) int64 {
		if signedSrc {
			return sext(v.Lane(hw, i), hw)
		}
		return int64(v.Lane(hw, i))
	}
	switch {
	case strings.HasPrefix(verb, "extend_low"), strings.HasPrefix(verb, "extend_high"):
		off := 0
		if strings.HasPrefix(verb, "extend_high") {
			off = n
		}
		for i := range n {
			r = r.SetLane(w, i, uint64(src(x, off+i)))
		}
		return r, true
	case strings.HasPrefix(verb, "extmul_low"), strings.HasPrefix(verb, "extmul_high"):
		off := 0
		if strings.HasPrefix(verb, "extmul_high") {
			off = n
		}
		for i := range n {
			r = r.SetLane(w, i, uint64(src(x, off+i)*src(y, off+i)))
		}
		return r, true
	case strings.HasPrefix(verb, "extadd_pairwise"):
		for i := range n {
			r = r.SetLane(w, i, uint64(src(x, 2*i)+src(x, 2*i+1)))
		}
		return r, true
	case strings.HasPrefix(verb, "narrow"):
		sat := func(v int64) uint64 { return satS(v, w) }
		if !signedSrc {
			sat = func(v int64) uint64 { return satU(v, w) }
		}
		for i := range n / 2 {
			r = r.SetLane(w, i, sat(sext(x.Lane(2*w, i), 2*w)))
			r = r.SetLane(w, n/2+i, sat(sext(y.Lane(2*w, i), 2*w)))
		}
		return r, true
	}
	return r, false
}

// evalSIMDFloat computes the float lane ops of EvalSIMD and the
// conversions between float and int vectors, lane by lane through Eval.
func evalSIMDFloat(verb string, w, n int, ft Type, x, y, z Vec,
	scalar func(op Op, t, argT Type, aux int64, a ...uint64) uint64, mask func(bool) uint64) (r Vec, ok bool) {
	unop := map[string]Op{"abs": OpFAbs, "neg": OpFNeg, "sqrt": OpFSqrt, "ceil": OpFCeil, "floor": OpFFloor,
		"trunc": OpFTrunc, "nearest": OpFNearest}
	binop := map[string]Op{"add": OpFAdd, "sub": OpFSub, "mul": OpFMul, "div": OpFDiv, "min": OpFMin, "max": OpFMax,
		"relaxed_min": OpFMin, "relaxed_max": OpFMax}
	cmp := map[string]Cond{"eq": CondEq, "ne": CondNe, "lt": CondLt, "gt": CondGt, "le": CondLe, "ge": CondGe}
	lt := func(a, b uint64) bool { return scalar(OpFCmp, I32, ft, int64(CondLt), a, b) != 0 }
	for i := range n {
		a, b, c := x.Lane(w, i), y.Lane(w, i), z.Lane(w, i)
		var l uint64
		switch verb {
		case "pmin":
			l = a
			if lt(b, a) {
				l = b
			}
		case "pmax":
			l = a
			if lt(a, b) {
				l = b
			}
		case "relaxed_madd":
			l = scalar(OpFAdd, ft, ft, 0, scalar(OpFMul, ft, ft, 0, a, b), c)
		case "relaxed_nmadd":
			l = scalar(OpFSub, ft, ft, 0, c, scalar(OpFMul, ft, ft, 0, a, b))
		default:
			if op, ok := unop[verb]; ok {
				l = scalar(op, ft, ft, 0, a)
			} else if op, ok := binop[verb]; ok {
				l = scalar(op, ft, ft, 0, a, b)
			} else if c, ok := cmp[verb]; ok {
				l = mask(scalar(OpFCmp, I32, ft, int64(c), a, b) != 0)
			} else {
				return r, false
			}
		}
		r = r.SetLane(w, i, l)
	}
	return r, true
}

// evalSIMDConvert computes the conversions (named by the result shape:
// i32x4.trunc_sat_f32x4_s, f64x2.promote_low_f32x4, …).
func evalSIMDConvert(verb string, x Vec, scalar func(op Op, t, argT Type, aux int64, a ...uint64) uint64) (r Vec, ok bool) {
	type conv struct {
		op      Op
		t, argT Type
		w, srcW int // result and source lane widths
		n       int // lanes converted (the others are 0)
	}
	convs := map[string]conv{
		"trunc_sat_f32x4_s":          {OpTruncSatS, I32, F32, 4, 4, 4},
		"trunc_sat_f32x4_u":          {OpTruncSatU, I32, F32, 4, 4, 4},
		"relaxed_trunc_f32x4_s":      {OpTruncSatS, I32, F32, 4, 4, 4},
		"relaxed_trunc_f32x4_u":      {OpTruncSatU, I32, F32, 4, 4, 4},
		"trunc_sat_f64x2_s_zero":     {OpTruncSatS, I32, F64, 4, 8, 2},
		"trunc_sat_f64x2_u_zero":     {OpTruncSatU, I32, F64, 4, 8, 2},
		"relaxed_trunc_f64x2_s_zero": {OpTruncSatS, I32, F64, 4, 8, 2},
		"relaxed_trunc_f64x2_u_zero": {OpTruncSatU, I32, F64, 4, 8, 2},
		"convert_i32x4_s":            {OpConvertS, F32, I32, 4, 4, 4},
		"convert_i32x4_u":            {OpConvertU, F32, I32, 4, 4, 4},
		"convert_low_i32x4_s":        {OpConvertS, F64, I32, 8, 4, 2},
		"convert_low_i32x4_u":        {OpConvertU, F64, I32, 8, 4, 2},
		"demote_f64x2_zero":          {OpDemote, F32, F64, 4, 8, 2},
		"promote_low_f32x4":          {OpPromote, F64, F32, 8, 4, 2},
	}
	c, ok := convs[verb]
	if !ok {
		return r, false
	}
	for i := range c.n {
		r = r.SetLane(c.w, i, scalar(c.op, c.t, c.argT, 0, x.Lane(c.srcW, i)))
	}
	return r, true
}
