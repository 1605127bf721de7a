package x64

import (
	"fmt"
	"math"
	"testing"

	"wfxc/ir"
	"wfxc/rt/abi"
)

var (
	f64Vals = []float64{0, math.Copysign(0, -1), 1, -1, 1.5, -2.5, 0.5, -0.5, 2.5, 3.5, 1e300, -1e300, 4.9e-324,
		math.Inf(1), math.Inf(-1), math.NaN(), 2147483647.9, 2147483648, -2147483648.9, -2147483649,
		4294967295.5, 4294967296, 9223372036854775807, -9223372036854775808, 18446744073709551615, 18446744073709549568,
		-9223372036854777856, 1e20, -0.99}
	f32Vals = func() []float32 {
		var r []float32
		for _, f := range f64Vals {
			r = append(r, float32(f))
		}
		return append(r, 2147483520, -2147483648, -2147483904, 4294967040, 9223371487098961920, 18446742974197923840)
	}()
)

// sameFloat compares result bits, treating any two NaNs as equal.
func sameFloat(t ir.Type, got, want uint64) bool {
	if t == ir.F32 {
		g, w := math.Float32frombits(uint32(got)), math.Float32frombits(uint32(want))
		return uint32(got) == uint32(want) || g != g && w != w
	}
	g, w := math.Float64frombits(got), math.Float64frombits(want)
	return got == want || g != g && w != w
}

func fbits(t ir.Type, f float64) uint64 {
	if t == ir.F32 {
		return uint64(math.Float32bits(float32(f)))
	}
	return math.Float64bits(f)
}

func wasmMin(x, y float64) float64 {
	if x != x || y != y {
		return math.NaN()
	}
	return math.Min(x, y)
}

func wasmMax(x, y float64) float64 {
	if x != x || y != y {
		return math.NaN()
	}
	return math.Max(x, y)
}

func floatRef(op ir.Op, t ir.Type, x, y float64) float64 {
	r := func(f float64) float64 {
		if t == ir.F32 {
			return float64(float32(f))
		}
		return f
	}
	switch op {
	case ir.OpFAdd:
		if t == ir.F32 {
			return float64(float32(x) + float32(y))
		}
		return x + y
	case ir.OpFSub:
		if t == ir.F32 {
			return float64(float32(x) - float32(y))
		}
		return x - y
	case ir.OpFMul:
		if t == ir.F32 {
			return float64(float32(x) * float32(y))
		}
		return x * y
	case ir.OpFDiv:
		if t == ir.F32 {
			return float64(float32(x) / float32(y))
		}
		return x / y
	case ir.OpFMin:
		return wasmMin(x, y)
	case ir.OpFMax:
		return wasmMax(x, y)
	case ir.OpFCopysign:
		return math.Copysign(x, y)
	case ir.OpFAbs:
		return math.Abs(x)
	case ir.OpFNeg:
		return -x
	case ir.OpFSqrt:
		if t == ir.F32 {
			return float64(float32(math.Sqrt(x)))
		}
		return math.Sqrt(x)
	case ir.OpFCeil:
		return r(math.Ceil(x))
	case ir.OpFFloor:
		return r(math.Floor(x))
	case ir.OpFTrunc:
		return r(math.Trunc(x))
	case ir.OpFNearest:
		return r(math.RoundToEven(x))
	}
	panic(op)
}

func floatVals(t ir.Type) []float64 {
	if t == ir.F64 {
		return f64Vals
	}
	var r []float64
	for _, f := range f32Vals {
		r = append(r, float64(f))
	}
	return r
}

func (m *machine) checkFloat(name string, fn int, t ir.Type, want uint64, args ...uint64) {
	m.t.Helper()
	ec, out := m.run(fn, args...)
	if ec != abi.ExitDone {
		m.t.Errorf("%s%#x: exit %d trap %d", name, args, ec, m.trapCode())
		return
	}
	got := out[0]
	if t == ir.F32 && got>>32 != 0 {
		m.t.Errorf("%s%#x: upper bits of f32 result slot set: %#x", name, args, got)
	}
	if !sameFloat(t, got, want) {
		m.t.Errorf("%s%#x = %#x, want %#x", name, args, got, want)
	}
}

func TestExec_floatBinops(t *testing.T) {
	ops := []ir.Op{ir.OpFAdd, ir.OpFSub, ir.OpFMul, ir.OpFDiv, ir.OpFMin, ir.OpFMax, ir.OpFCopysign}
	type fnCase struct {
		op ir.Op
		t  ir.Type
		y  *float64
	}
	var funcs []*ir.Func
	var cases []fnCase
	for _, ty := range []ir.Type{ir.F32, ir.F64} {
		for _, op := range ops {
			funcs = append(funcs, opFunc(len(funcs), op, ty, 0, []ir.Type{ty, ty}, nil))
			cases = append(cases, fnCase{op, ty, nil})
			for _, y := range []float64{math.Copysign(0, -1), 2.5, math.NaN()} {
				y := y
				funcs = append(funcs, opFunc(len(funcs), op, ty, 0, []ir.Type{ty, ty}, map[int]uint64{1: fbits(ty, y)}))
				cases = append(cases, fnCase{op, ty, &y})
			}
		}
	}
	m := build(t, funcs, nil)
	for i, c := range cases {
		vals := floatVals(c.t)
		for _, x := range vals {
			ys := vals
			if c.y != nil {
				ys = []float64{*c.y}
			}
			for _, y := range ys {
				want := fbits(c.t, floatRef(c.op, c.t, x, y))
				name := fmt.Sprintf("%v.%v", c.op, c.t)
				if c.y != nil {
					m.checkFloat(name+"(_,const)", i, c.t, want, fbits(c.t, x))
				} else {
					m.checkFloat(name, i, c.t, want, fbits(c.t, x), fbits(c.t, y))
				}
			}
		}
	}
}

func TestExec_floatUnops(t *testing.T) {
	ops := []ir.Op{ir.OpFAbs, ir.OpFNeg, ir.OpFSqrt, ir.OpFCeil, ir.OpFFloor, ir.OpFTrunc, ir.OpFNearest}
	type fnCase struct {
		op ir.Op
		t  ir.Type
	}
	var funcs []*ir.Func
	var cases []fnCase
	for _, ty := range []ir.Type{ir.F32, ir.F64} {
		for _, op := range ops {
			funcs = append(funcs, opFunc(len(funcs), op, ty, 0, []ir.Type{ty}, nil))
			cases = append(cases, fnCase{op, ty})
		}
	}
	m := build(t, funcs, nil)
	for i, c := range cases {
		for _, x := range append(floatVals(c.t), -0.2, 0.2, -1.5, 4.5, -4.5) {
			want := fbits(c.t, floatRef(c.op, c.t, x, 0))
			m.checkFloat(fmt.Sprintf("%v.%v", c.op, c.t), i, c.t, want, fbits(c.t, x))
		}
	}
	// abs/neg only touch the sign bit, even of NaNs.
	nan := uint64(0x7ff4000000000001)
	m.checkFloat("fneg.f64(snan)", 8, ir.F64, nan|1<<63, nan)
}

func fcmpRef(c ir.Cond, x, y float64) bool {
	switch c {
	case ir.CondEq:
		return x == y
	case ir.CondNe:
		return x != y
	case ir.CondLt:
		return x < y
	case ir.CondGt:
		return x > y
	case ir.CondLe:
		return x <= y
	case ir.CondGe:
		return x >= y
	}
	panic(c)
}

func TestExec_fcmp(t *testing.T) {
	conds := []ir.Cond{ir.CondEq, ir.CondNe, ir.CondLt, ir.CondGt, ir.CondLe, ir.CondGe}
	type fnCase struct {
		t      ir.Type
		c      ir.Cond
		branch bool
	}
	var funcs []*ir.Func
	var cases []fnCase
	for _, ty := range []ir.Type{ir.F32, ir.F64} {
		for _, c := range conds {
			funcs = append(funcs, opFunc(len(funcs), ir.OpFCmp, ir.I32, int64(c), []ir.Type{ty, ty}, nil))
			cases = append(cases, fnCase{ty, c, false})
			funcs = append(funcs, branchFunc(len(funcs), ir.OpFCmp, ty, c, nil))
			cases = append(cases, fnCase{ty, c, true})
		}
	}
	m := build(t, funcs, nil)
	vals := []float64{0, math.Copysign(0, -1), 1, -1, math.Inf(1), math.Inf(-1), math.NaN(), 2.5}
	for i, c := range cases {
		for _, x := range vals {
			for _, y := range vals {
				r := fcmpRef(c.c, x, y)
				want := b2o(r)
				if c.branch {
					want = val(20)
					if r {
						want = val(10)
					}
				}
				m.check(fmt.Sprintf("fcmp.%v.%v(branch=%v)(%v,%v)", c.c, c.t, c.branch, x, y), i, want, fbits(c.t, x), fbits(c.t, y))
			}
		}
	}
}

// truncRef is the wasm semantics of trunc (sat=false) and trunc_sat.
func truncRef(x float64, res ir.Type, signed, sat bool) outcome {
	if x != x {
		if sat {
			return val(0)
		}
		return trap(abi.TrapInvalidConversion)
	}
	t := math.Trunc(x)
	var lo, hi float64 // inclusive range of the result
	switch {
	case res == ir.I32 && signed:
		lo, hi = math.MinInt32, math.MaxInt32
	case res == ir.I32:
		lo, hi = 0, math.MaxUint32
	case signed:
		lo, hi = -9223372036854775808, 9223372036854775807
	default:
		lo, hi = 0, 18446744073709551615
	}
	if t < lo || t > hi || (res == ir.I64 && t >= math.Ldexp(1, 63) && signed) || (res == ir.I64 && !signed && t >= math.Ldexp(1, 64)) {
		if !sat {
			return trap(abi.TrapIntOverflow)
		}
		var r uint64
		switch {
		case t < lo && signed && res == ir.I32:
			r = 0x80000000
		case t < lo && signed:
			r = 1 << 63
		case t < lo:
			r = 0
		case signed && res == ir.I32:
			r = math.MaxInt32
		case signed:
			r = math.MaxInt64
		case res == ir.I32:
			r = math.MaxUint32
		default:
			r = math.MaxUint64
		}
		return val(r)
	}
	switch {
	case signed && res == ir.I32:
		return val(uint64(uint32(int32(t))))
	case signed:
		return val(uint64(int64(t)))
	case res == ir.I32:
		return val(uint64(uint32(t)))
	case t >= math.Ldexp(1, 63):
		return val(uint64(t-math.Ldexp(1, 63)) | 1<<63)
	default:
		return val(uint64(t))
	}
}

func TestExec_truncate(t *testing.T) {
	type fnCase struct {
		op       ir.Op
		src, res ir.Type
	}
	var funcs []*ir.Func
	var cases []fnCase
	for _, op := range []ir.Op{ir.OpTruncS, ir.OpTruncU, ir.OpTruncSatS, ir.OpTruncSatU} {
		for _, src := range []ir.Type{ir.F32, ir.F64} {
			for _, res := range []ir.Type{ir.I32, ir.I64} {
				funcs = append(funcs, opFunc(len(funcs), op, res, 0, []ir.Type{src}, nil))
				cases = append(cases, fnCase{op, src, res})
			}
		}
	}
	m := build(t, funcs, nil)
	for i, c := range cases {
		signed := c.op == ir.OpTruncS || c.op == ir.OpTruncSatS
		sat := c.op == ir.OpTruncSatS || c.op == ir.OpTruncSatU
		for _, x := range floatVals(c.src) {
			want := truncRef(x, c.res, signed, sat)
			m.check(fmt.Sprintf("%v.%v.%v(%v)", c.op, c.src, c.res, x), i, want, fbits(c.src, x))
		}
	}
}

func TestExec_convert(t *testing.T) {
	type fnCase struct {
		op       ir.Op
		src, res ir.Type
		ref      func(uint64) float64
	}
	cases := []fnCase{
		{ir.OpConvertS, ir.I32, ir.F32, func(x uint64) float64 { return float64(float32(int32(x))) }},
		{ir.OpConvertS, ir.I32, ir.F64, func(x uint64) float64 { return float64(int32(x)) }},
		{ir.OpConvertS, ir.I64, ir.F32, func(x uint64) float64 { return float64(float32(int64(x))) }},
		{ir.OpConvertS, ir.I64, ir.F64, func(x uint64) float64 { return float64(int64(x)) }},
		{ir.OpConvertU, ir.I32, ir.F32, func(x uint64) float64 { return float64(float32(uint32(x))) }},
		{ir.OpConvertU, ir.I32, ir.F64, func(x uint64) float64 { return float64(uint32(x)) }},
		{ir.OpConvertU, ir.I64, ir.F32, func(x uint64) float64 { return float64(float32(x)) }},
		{ir.OpConvertU, ir.I64, ir.F64, func(x uint64) float64 { return float64(x) }},
	}
	var funcs []*ir.Func
	for i, c := range cases {
		funcs = append(funcs, opFunc(i, c.op, c.res, 0, []ir.Type{c.src}, nil))
	}
	m := build(t, funcs, nil)
	vals := append(append([]uint64{}, i64Vals...), 0x8000000000000001, 0xfffffffffffff7ff, 0x7ffffffffffffdff, 16777217, 0x20000000000001, 0xffffff7fffffffff)
	for i, c := range cases {
		for _, x := range vals {
			in := x
			if c.src == ir.I32 {
				in = uint64(uint32(x))
			}
			m.checkFloat(fmt.Sprintf("%v.%v.%v", c.op, c.src, c.res), i, c.res, fbits(c.res, c.ref(in)), in)
		}
	}
}

func TestExec_promoteDemoteReinterpret(t *testing.T) {
	funcs := []*ir.Func{
		opFunc(0, ir.OpPromote, ir.F64, 0, []ir.Type{ir.F32}, nil),
		opFunc(1, ir.OpDemote, ir.F32, 0, []ir.Type{ir.F64}, nil),
		opFunc(2, ir.OpReinterpret, ir.I64, 0, []ir.Type{ir.F64}, nil),
		opFunc(3, ir.OpReinterpret, ir.F64, 0, []ir.Type{ir.I64}, nil),
		opFunc(4, ir.OpReinterpret, ir.I32, 0, []ir.Type{ir.F32}, nil),
		opFunc(5, ir.OpReinterpret, ir.F32, 0, []ir.Type{ir.I32}, nil),
	}
	m := build(t, funcs, nil)
	for _, x := range f32Vals {
		m.checkFloat("promote", 0, ir.F64, math.Float64bits(float64(x)), uint64(math.Float32bits(x)))
	}
	for _, x := range f64Vals {
		m.checkFloat("demote", 1, ir.F32, uint64(math.Float32bits(float32(x))), math.Float64bits(x))
	}
	for _, x := range []uint64{0, 1 << 63, 0x7ff8000000000001, 0x123456789abcdef0} {
		m.check("reinterpret.i64", 2, val(x), x)
		m.check("reinterpret.f64", 3, val(x), x)
		m.check("reinterpret.i32", 4, val(x&0xffffffff), x&0xffffffff)
		m.check("reinterpret.f32", 5, val(x&0xffffffff), x&0xffffffff)
	}
}
