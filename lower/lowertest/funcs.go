package lowertest

import (
	"fmt"
	"math"
	"math/bits"

	"wfxc/ir"
	"wfxc/rt/abi"
)

// Small IR programs, each with the reference semantics it is checked
// against.

func val32(v uint32) Outcome { return Val(uint64(v)) }

func b2o(b bool) Outcome {
	if b {
		return Val(1)
	}
	return Val(0)
}

// opFunc builds a function computing op over its params; an arg given in
// consts is a constant instead of a param.
func opFunc(index int, op ir.Op, res ir.Type, aux int64, args []ir.Type, consts map[int]uint64) *ir.Func {
	var params []ir.Type
	for i, t := range args {
		if _, ok := consts[i]; !ok {
			params = append(params, t)
		}
	}
	f := ir.NewFunc(fmt.Sprintf("%v", op), index, params, []ir.Type{res})
	b := f.Entry()
	b.Kind = ir.BlockReturn
	var vs []*ir.Value
	p := 0
	for i, t := range args {
		if c, ok := consts[i]; ok {
			vs = append(vs, b.NewValueAux(ir.OpConst, t, int64(c)))
			continue
		}
		vs = append(vs, b.NewValueAux(ir.OpParam, t, int64(p)))
		p++
	}
	v := b.NewValueAux(op, res, aux, vs...)
	v.Pos = 1234
	b.SetControls(v)
	return f
}

var (
	i32Vals = []uint64{0, 1, 2, 7, 31, 32, 33, 0xffffffff, 0xfffffff9, 0x80000000, 0x7fffffff, 0x12345678, 0x80000001}
	i64Vals = []uint64{0, 1, 2, 7, 63, 64, 65, math.MaxUint64, 0xfffffffffffffff9, 1 << 63, math.MaxInt64, 0x123456789abcdef0, 0xffffffff, 0x80000000}
)

func ref32(op ir.Op, x, y uint32) Outcome {
	sx, sy := int32(x), int32(y)
	switch op {
	case ir.OpAdd:
		return val32(x + y)
	case ir.OpSub:
		return val32(x - y)
	case ir.OpMul:
		return val32(x * y)
	case ir.OpDivS:
		if y == 0 {
			return Trap(abi.TrapIntDivByZero)
		}
		if sx == math.MinInt32 && sy == -1 {
			return Trap(abi.TrapIntOverflow)
		}
		return val32(uint32(sx / sy))
	case ir.OpDivU:
		if y == 0 {
			return Trap(abi.TrapIntDivByZero)
		}
		return val32(x / y)
	case ir.OpRemS:
		if y == 0 {
			return Trap(abi.TrapIntDivByZero)
		}
		if sy == -1 {
			return val32(0)
		}
		return val32(uint32(sx % sy))
	case ir.OpRemU:
		if y == 0 {
			return Trap(abi.TrapIntDivByZero)
		}
		return val32(x % y)
	case ir.OpAnd:
		return val32(x & y)
	case ir.OpOr:
		return val32(x | y)
	case ir.OpXor:
		return val32(x ^ y)
	case ir.OpShl:
		return val32(x << (y & 31))
	case ir.OpShrS:
		return val32(uint32(sx >> (y & 31)))
	case ir.OpShrU:
		return val32(x >> (y & 31))
	case ir.OpRotl:
		return val32(bits.RotateLeft32(x, int(y&31)))
	case ir.OpRotr:
		return val32(bits.RotateLeft32(x, -int(y&31)))
	}
	panic(op)
}

func ref64(op ir.Op, x, y uint64) Outcome {
	sx, sy := int64(x), int64(y)
	switch op {
	case ir.OpAdd:
		return Val(x + y)
	case ir.OpSub:
		return Val(x - y)
	case ir.OpMul:
		return Val(x * y)
	case ir.OpDivS:
		if y == 0 {
			return Trap(abi.TrapIntDivByZero)
		}
		if sx == math.MinInt64 && sy == -1 {
			return Trap(abi.TrapIntOverflow)
		}
		return Val(uint64(sx / sy))
	case ir.OpDivU:
		if y == 0 {
			return Trap(abi.TrapIntDivByZero)
		}
		return Val(x / y)
	case ir.OpRemS:
		if y == 0 {
			return Trap(abi.TrapIntDivByZero)
		}
		if sy == -1 {
			return Val(0)
		}
		return Val(uint64(sx % sy))
	case ir.OpRemU:
		if y == 0 {
			return Trap(abi.TrapIntDivByZero)
		}
		return Val(x % y)
	case ir.OpAnd:
		return Val(x & y)
	case ir.OpOr:
		return Val(x | y)
	case ir.OpXor:
		return Val(x ^ y)
	case ir.OpShl:
		return Val(x << (y & 63))
	case ir.OpShrS:
		return Val(uint64(sx >> (y & 63)))
	case ir.OpShrU:
		return Val(x >> (y & 63))
	case ir.OpRotl:
		return Val(bits.RotateLeft64(x, int(y&63)))
	case ir.OpRotr:
		return Val(bits.RotateLeft64(x, -int(y&63)))
	}
	panic(op)
}

var intBinOps = []ir.Op{ir.OpAdd, ir.OpSub, ir.OpMul, ir.OpDivS, ir.OpDivU, ir.OpRemS, ir.OpRemU,
	ir.OpAnd, ir.OpOr, ir.OpXor, ir.OpShl, ir.OpShrS, ir.OpShrU, ir.OpRotl, ir.OpRotr}

func bool2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

func icmpRef(c ir.Cond, x, y uint64, w int) bool {
	sx, sy := int64(x), int64(y)
	if w == 32 {
		x, y = uint64(uint32(x)), uint64(uint32(y))
		sx, sy = int64(int32(x)), int64(int32(y))
	}
	switch c {
	case ir.CondEq:
		return x == y
	case ir.CondNe:
		return x != y
	case ir.CondLtS:
		return sx < sy
	case ir.CondLtU:
		return x < y
	case ir.CondGtS:
		return sx > sy
	case ir.CondGtU:
		return x > y
	case ir.CondLeS:
		return sx <= sy
	case ir.CondLeU:
		return x <= y
	case ir.CondGeS:
		return sx >= sy
	case ir.CondGeU:
		return x >= y
	}
	panic(c)
}

// branchFunc builds f(x, y) = cmp(x, y) ? 10 : 20 with the compare fused
// into the branch.
func branchFunc(index int, op ir.Op, t ir.Type, cond ir.Cond, consts map[int]uint64) *ir.Func {
	var params []ir.Type
	for i := 0; i < 2; i++ {
		if _, ok := consts[i]; !ok {
			params = append(params, t)
		}
	}
	f := ir.NewFunc("branch", index, params, []ir.Type{ir.I32})
	b := f.Entry()
	b.Kind = ir.BlockIf
	var args []*ir.Value
	p := 0
	for i := 0; i < 2; i++ {
		if c, ok := consts[i]; ok {
			args = append(args, b.NewValueAux(ir.OpConst, t, int64(c)))
		} else {
			args = append(args, b.NewValueAux(ir.OpParam, t, int64(p)))
			p++
		}
	}
	c := b.NewValueAux(op, ir.I32, int64(cond), args...)
	b.SetControls(c)
	yes, no := f.NewBlock(ir.BlockReturn), f.NewBlock(ir.BlockReturn)
	b.AddEdgeTo(yes)
	b.AddEdgeTo(no)
	yes.SetControls(yes.NewValueAux(ir.OpConst, ir.I32, 10))
	no.SetControls(no.NewValueAux(ir.OpConst, ir.I32, 20))
	return f
}

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

// truncRef is the wasm semantics of trunc (sat=false) and trunc_sat.
func truncRef(x float64, res ir.Type, signed, sat bool) Outcome {
	if x != x {
		if sat {
			return Val(0)
		}
		return Trap(abi.TrapInvalidConversion)
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
			return Trap(abi.TrapIntOverflow)
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
		return Val(r)
	}
	switch {
	case signed && res == ir.I32:
		return Val(uint64(uint32(int32(t))))
	case signed:
		return Val(uint64(int64(t)))
	case res == ir.I32:
		return Val(uint64(uint32(t)))
	case t >= math.Ldexp(1, 63):
		return Val(uint64(t-math.Ldexp(1, 63)) | 1<<63)
	default:
		return Val(uint64(t))
	}
}

// SumFunc builds sum(n) = 1 + 2 + … + n with a loop and phis.
func SumFunc() *ir.Func {
	f := ir.NewFunc("sum", 0, []ir.Type{ir.I32}, []ir.Type{ir.I32})
	b0 := f.Entry()
	n := b0.NewValueAux(ir.OpParam, ir.I32, 0)
	zero := b0.NewValueAux(ir.OpConst, ir.I32, 0)
	one := b0.NewValueAux(ir.OpConst, ir.I32, 1)
	hdr := f.NewBlock(ir.BlockIf)
	body := f.NewBlock(ir.BlockPlain)
	exit := f.NewBlock(ir.BlockReturn)
	b0.AddEdgeTo(hdr)
	i := hdr.InsertPhi(ir.I32)
	s := hdr.InsertPhi(ir.I32)
	cmp := hdr.NewValueAux(ir.OpICmp, ir.I32, int64(ir.CondLeS), i, n)
	hdr.SetControls(cmp)
	hdr.Loop = true
	hdr.AddEdgeTo(body)
	hdr.AddEdgeTo(exit)
	s2 := body.NewValue(ir.OpAdd, ir.I32, s, i)
	i2 := body.NewValue(ir.OpAdd, ir.I32, i, one)
	body.AddEdgeTo(hdr)
	i.AddArg(one)
	i.AddArg(i2)
	s.AddArg(zero)
	s.AddArg(s2)
	exit.SetControls(s)
	return f
}

// FacFunc builds fac(n) = n <= 1 ? 1 : n * fac(n-1) over i64, recursively.
func FacFunc(index int) *ir.Func {
	f := ir.NewFunc("fac", index, []ir.Type{ir.I64}, []ir.Type{ir.I64})
	b0 := f.Entry()
	vm := b0.NewValue(ir.OpVMCtx, ir.I64)
	n := b0.NewValueAux(ir.OpParam, ir.I64, 0)
	one := b0.NewValueAux(ir.OpConst, ir.I64, 1)
	c := b0.NewValueAux(ir.OpICmp, ir.I32, int64(ir.CondLeS), n, one)
	b0.Kind = ir.BlockIf
	b0.SetControls(c)
	base := f.NewBlock(ir.BlockReturn)
	rec := f.NewBlock(ir.BlockReturn)
	b0.AddEdgeTo(base)
	b0.AddEdgeTo(rec)
	base.SetControls(one)
	n1 := rec.NewValue(ir.OpSub, ir.I64, n, one)
	r := rec.NewValueAux(ir.OpCall, ir.I64, int64(index), vm, n1)
	p := rec.NewValue(ir.OpMul, ir.I64, n, r)
	rec.SetControls(p)
	return f
}

// memFunc builds f(addr[, value]) = op at offset off of memory 0.
func memFunc(index int, op ir.Op, t ir.Type, off int64) *ir.Func {
	store := op == ir.OpStore || op == ir.OpStore8 || op == ir.OpStore16 || op == ir.OpStore32
	params := []ir.Type{ir.I32}
	var results []ir.Type
	if store {
		params = append(params, t)
	} else {
		results = []ir.Type{t}
	}
	f := ir.NewFunc(fmt.Sprint(op), index, params, results)
	b := f.Entry()
	b.Kind = ir.BlockReturn
	vm := b.NewValue(ir.OpVMCtx, ir.I64)
	a := b.NewValueAux(ir.OpParam, ir.I32, 0)
	if store {
		x := b.NewValueAux(ir.OpParam, t, 1)
		v := b.NewValueAux(op, ir.Void, off, vm, a, x)
		v.Aux2 = MemOff
		v.Pos = 99
		return f
	}
	v := b.NewValueAux(op, t, off, vm, a)
	v.Aux2 = MemOff
	v.Pos = 99
	b.SetControls(v)
	return f
}

// switchFunc: f(x, y) = switch x {0: y+1, 1: y*2, 2: 100, 3: y+1 (same block as 0), default: y}
// with results joined by a phi (edge moves on every edge).
func switchFunc() *ir.Func {
	f := ir.NewFunc("switch", 0, []ir.Type{ir.I32, ir.I32}, []ir.Type{ir.I32})
	b := f.Entry()
	b.Kind = ir.BlockSwitch
	x := b.NewValueAux(ir.OpParam, ir.I32, 0)
	y := b.NewValueAux(ir.OpParam, ir.I32, 1)
	b.SetControls(x)
	c0 := f.NewBlock(ir.BlockPlain)
	c1 := f.NewBlock(ir.BlockPlain)
	join := f.NewBlock(ir.BlockReturn)
	b.AddEdgeTo(c0)
	b.AddEdgeTo(c1)
	b.AddEdgeTo(join) // case 2 straight to the join
	b.AddEdgeTo(c0)
	b.AddEdgeTo(join) // default
	one := c0.NewValueAux(ir.OpConst, ir.I32, 1)
	r0 := c0.NewValue(ir.OpAdd, ir.I32, y, one)
	c0.AddEdgeTo(join)
	r1 := c1.NewValue(ir.OpAdd, ir.I32, y, y)
	c1.AddEdgeTo(join)
	hundred := b.NewValueAux(ir.OpConst, ir.I32, 100)
	// join preds: b (case 2), b (default), c0, c1
	p := join.InsertPhi(ir.I32)
	p.AddArg(hundred)
	p.AddArg(y)
	p.AddArg(r0)
	p.AddArg(r1)
	join.SetControls(p)
	return f
}

// manyFunc is callee(a0..a7 i64, f0..f9 f64, b i32) → (i64, i64, f64, i64, f64, f64, i32):
// checksum-like results that depend on every argument and its position.
func manyFunc(index int) *ir.Func {
	var params []ir.Type
	for i := 0; i < 8; i++ {
		params = append(params, ir.I64)
		params = append(params, ir.F64)
	}
	params = append(params, ir.F64, ir.F64, ir.I32)
	results := []ir.Type{ir.I64, ir.I64, ir.F64, ir.I64, ir.F64, ir.F64, ir.I32}
	f := ir.NewFunc("many", index, params, results)
	b := f.Entry()
	b.Kind = ir.BlockReturn
	var is, fs []*ir.Value
	var last *ir.Value
	for i, t := range params {
		p := b.NewValueAux(ir.OpParam, t, int64(i))
		switch t {
		case ir.I64:
			is = append(is, p)
		case ir.F64:
			fs = append(fs, p)
		default:
			last = p
		}
	}
	// si = Σ a_i * (i+1); sf = Σ f_i * (i+1)
	si := b.NewValueAux(ir.OpConst, ir.I64, 0)
	for i, p := range is {
		k := b.NewValueAux(ir.OpConst, ir.I64, int64(i+1))
		si = b.NewValue(ir.OpAdd, ir.I64, si, b.NewValue(ir.OpMul, ir.I64, p, k))
	}
	sf := b.NewValueAux(ir.OpConst, ir.F64, 0)
	for i, p := range fs {
		k := b.NewValueAux(ir.OpConst, ir.F64, int64(math.Float64bits(float64(i+1))))
		sf = b.NewValue(ir.OpFAdd, ir.F64, sf, b.NewValue(ir.OpFMul, ir.F64, p, k))
	}
	b.SetControls(si, is[7], sf, is[0], fs[9], fs[0], last)
	return f
}

func manyWant(args []uint64) []uint64 {
	var si uint64
	var sf float64
	var is []uint64
	var fs []float64
	for i := 0; i < 16; i++ {
		if i%2 == 0 {
			is = append(is, args[i])
		} else {
			fs = append(fs, math.Float64frombits(args[i]))
		}
	}
	fs = append(fs, math.Float64frombits(args[16]), math.Float64frombits(args[17]))
	for i, x := range is {
		si += x * uint64(i+1)
	}
	for i, x := range fs {
		sf += x * float64(i+1)
	}
	return []uint64{si, is[7], math.Float64bits(sf), is[0], math.Float64bits(fs[9]), math.Float64bits(fs[0]), args[18] & 0xffffffff}
}

func manyArgs() []uint64 {
	var args []uint64
	for i := 0; i < 16; i++ {
		if i%2 == 0 {
			args = append(args, uint64(i*1000+3))
		} else {
			args = append(args, math.Float64bits(float64(i)+0.25))
		}
	}
	return append(args, math.Float64bits(16.5), math.Float64bits(17.5), 0xffffff19)
}

// PressureFunc computes n values from (x, y) that are all live at once,
// then folds them, so most must be spilled; floats too, and across a call.
func PressureFunc() *ir.Func {
	f := ir.NewFunc("pressure", 0, []ir.Type{ir.I64, ir.F64}, []ir.Type{ir.I64, ir.F64})
	b := f.Entry()
	b.Kind = ir.BlockReturn
	vm := b.NewValue(ir.OpVMCtx, ir.I64)
	x := b.NewValueAux(ir.OpParam, ir.I64, 0)
	y := b.NewValueAux(ir.OpParam, ir.F64, 1)
	var is, fs []*ir.Value
	for i := 1; i <= 30; i++ {
		k := b.NewValueAux(ir.OpConst, ir.I64, int64(i))
		is = append(is, b.NewValue(ir.OpMul, ir.I64, x, k))
		kf := b.NewValueAux(ir.OpConst, ir.F64, int64(math.Float64bits(float64(i))))
		fs = append(fs, b.NewValue(ir.OpFMul, ir.F64, y, kf))
	}
	// A call in the middle: everything above is live across it.
	c := b.NewValueAux(ir.OpCall, ir.I64, 1, vm, x)
	si := c
	sf := y
	for i := len(is) - 1; i >= 0; i-- {
		si = b.NewValue(ir.OpXor, ir.I64, b.NewValue(ir.OpMul, ir.I64, si, b.NewValueAux(ir.OpConst, ir.I64, 3)), is[i])
		sf = b.NewValue(ir.OpFAdd, ir.F64, b.NewValue(ir.OpFMul, ir.F64, sf, b.NewValueAux(ir.OpConst, ir.F64, int64(math.Float64bits(0.5)))), fs[i])
	}
	b.SetControls(si, sf)
	return f
}

// clobberFunc(x) trashes every caller-saved register it can and returns x+1.
func clobberFunc(index int) *ir.Func {
	f := ir.NewFunc("clobber", index, []ir.Type{ir.I64}, []ir.Type{ir.I64})
	b := f.Entry()
	b.Kind = ir.BlockReturn
	x := b.NewValueAux(ir.OpParam, ir.I64, 0)
	var vs []*ir.Value
	for i := 0; i < 14; i++ {
		vs = append(vs, b.NewValue(ir.OpAdd, ir.I64, x, b.NewValueAux(ir.OpConst, ir.I64, int64(i*77+5))))
	}
	var fvs []*ir.Value
	for i := 0; i < 16; i++ {
		fvs = append(fvs, b.NewValueAux(ir.OpConvertS, ir.F64, 0, vs[i%len(vs)]))
	}
	s := vs[0]
	for _, v := range vs[1:] {
		s = b.NewValue(ir.OpXor, ir.I64, s, v)
	}
	fsum := fvs[0]
	for _, v := range fvs[1:] {
		fsum = b.NewValue(ir.OpFAdd, ir.F64, fsum, v)
	}
	t := b.NewValueAux(ir.OpTruncSatS, ir.I64, 0, fsum)
	z := b.NewValue(ir.OpXor, ir.I64, b.NewValue(ir.OpXor, ir.I64, s, t), b.NewValue(ir.OpXor, ir.I64, s, t))
	r := b.NewValue(ir.OpAdd, ir.I64, b.NewValue(ir.OpAdd, ir.I64, x, z), b.NewValueAux(ir.OpConst, ir.I64, 1))
	b.SetControls(r)
	return f
}

// fibFunc is iterative fib with three phis; nestedFunc is
// Σ_{i<n} Σ_{j<i} i*j with nested loops.
func fibFunc(index int) *ir.Func {
	f := ir.NewFunc("fib", index, []ir.Type{ir.I64}, []ir.Type{ir.I64})
	b0 := f.Entry()
	n := b0.NewValueAux(ir.OpParam, ir.I64, 0)
	zero := b0.NewValueAux(ir.OpConst, ir.I64, 0)
	one := b0.NewValueAux(ir.OpConst, ir.I64, 1)
	h := f.NewBlock(ir.BlockIf)
	body := f.NewBlock(ir.BlockPlain)
	exit := f.NewBlock(ir.BlockReturn)
	b0.AddEdgeTo(h)
	i := h.InsertPhi(ir.I64)
	a := h.InsertPhi(ir.I64)
	bb := h.InsertPhi(ir.I64)
	h.SetControls(h.NewValueAux(ir.OpICmp, ir.I32, int64(ir.CondLtU), i, n))
	h.AddEdgeTo(body)
	h.AddEdgeTo(exit)
	s := body.NewValue(ir.OpAdd, ir.I64, a, bb)
	i2 := body.NewValue(ir.OpAdd, ir.I64, i, one)
	body.AddEdgeTo(h)
	i.AddArg(zero)
	i.AddArg(i2)
	a.AddArg(zero)
	a.AddArg(bb) // swap: a, b = b, a+b (a phi cycle)
	bb.AddArg(one)
	bb.AddArg(s)
	exit.SetControls(a)
	return f
}

func nestedFunc(index int) *ir.Func {
	f := ir.NewFunc("nested", index, []ir.Type{ir.I32}, []ir.Type{ir.I64})
	b0 := f.Entry()
	n := b0.NewValueAux(ir.OpParam, ir.I32, 0)
	z32 := b0.NewValueAux(ir.OpConst, ir.I32, 0)
	z64 := b0.NewValueAux(ir.OpConst, ir.I64, 0)
	one := b0.NewValueAux(ir.OpConst, ir.I32, 1)
	outer := f.NewBlock(ir.BlockIf)
	innerPre := f.NewBlock(ir.BlockPlain)
	inner := f.NewBlock(ir.BlockIf)
	innerBody := f.NewBlock(ir.BlockPlain)
	outerLatch := f.NewBlock(ir.BlockPlain)
	exit := f.NewBlock(ir.BlockReturn)
	b0.AddEdgeTo(outer)
	i := outer.InsertPhi(ir.I32)
	s := outer.InsertPhi(ir.I64)
	poll := outer.NewValue(ir.OpPoll, ir.Void)
	_ = poll
	outer.SetControls(outer.NewValueAux(ir.OpICmp, ir.I32, int64(ir.CondLtS), i, n))
	outer.AddEdgeTo(innerPre)
	outer.AddEdgeTo(exit)
	innerPre.AddEdgeTo(inner)
	j := inner.InsertPhi(ir.I32)
	s2 := inner.InsertPhi(ir.I64)
	inner.SetControls(inner.NewValueAux(ir.OpICmp, ir.I32, int64(ir.CondLtS), j, i))
	inner.AddEdgeTo(innerBody)
	inner.AddEdgeTo(outerLatch)
	ij := innerBody.NewValue(ir.OpMul, ir.I32, i, j)
	s3 := innerBody.NewValue(ir.OpAdd, ir.I64, s2, innerBody.NewValue(ir.OpExtendU, ir.I64, ij))
	j2 := innerBody.NewValue(ir.OpAdd, ir.I32, j, one)
	innerBody.AddEdgeTo(inner)
	j.AddArg(z32)
	j.AddArg(j2)
	s2.AddArg(s)
	s2.AddArg(s3)
	i2 := outerLatch.NewValue(ir.OpAdd, ir.I32, i, one)
	outerLatch.AddEdgeTo(outer)
	i.AddArg(z32)
	i.AddArg(i2)
	s.AddArg(z64)
	s.AddArg(s2)
	exit.SetControls(s)
	return f
}

// vmctx layout of these tests (beyond the harness's memory and globals).
const (
	refRecordsPtr = 1024 // u64: address of the funcref records
	refTypeID     = 1040 // u32: the caller's expected type id
	refTable      = 1056 // {base, len} of a table
	refRecords    = 2048 // the records (FuncRefSize each)
	refTableElems = 3072 // the table's elements
)

// opFuncVoid builds f(x) { op x; return 0 }.
func opFuncVoid(index int, op ir.Op, t ir.Type) *ir.Func {
	f := ir.NewFunc(op.String(), index, []ir.Type{t}, []ir.Type{ir.I32})
	b := f.Entry()
	b.Kind = ir.BlockReturn
	b.NewValue(op, ir.Void, b.NewValueAux(ir.OpParam, t, 0))
	b.SetControls(b.NewValueAux(ir.OpConst, ir.I32, 0))
	return f
}

// countFunc is count(n, acc) = n == 0 ? acc : count(n-1, acc+1) with a
// tail call, plus extra i64 params (to put some on the stack) that are
// passed along rotated and folded into the result at the end.
func countFunc(index, extra int) *ir.Func {
	params := []ir.Type{ir.I64, ir.I64}
	for i := 0; i < extra; i++ {
		params = append(params, ir.I64)
	}
	f := ir.NewFunc("count", index, params, []ir.Type{ir.I64, ir.F64, ir.I64, ir.I64})
	b := f.Entry()
	b.Kind = ir.BlockIf
	vm := b.NewValue(ir.OpVMCtx, ir.I64)
	var ps []*ir.Value
	for i, t := range params {
		ps = append(ps, b.NewValueAux(ir.OpParam, t, int64(i)))
	}
	zero := b.NewValueAux(ir.OpConst, ir.I64, 0)
	b.SetControls(b.NewValueAux(ir.OpICmp, ir.I32, int64(ir.CondEq), ps[0], zero))
	done, again := f.NewBlock(ir.BlockReturn), f.NewBlock(ir.BlockTailCall)
	b.AddEdgeTo(done)
	b.AddEdgeTo(again)
	sum := ps[1]
	for _, p := range ps[2:] {
		sum = done.NewValue(ir.OpAdd, ir.I64, done.NewValue(ir.OpMul, ir.I64, sum, done.NewValueAux(ir.OpConst, ir.I64, 3)), p)
	}
	done.SetControls(ps[1], done.NewValueAux(ir.OpConvertS, ir.F64, 0, ps[1]), sum, ps[0])
	one := again.NewValueAux(ir.OpConst, ir.I64, 1)
	ctl := []*ir.Value{vm, again.NewValue(ir.OpSub, ir.I64, ps[0], one), again.NewValue(ir.OpAdd, ir.I64, ps[1], one)}
	if extra > 0 {
		ctl = append(ctl, ps[len(ps)-1])
		ctl = append(ctl, ps[2:len(ps)-1]...)
	}
	again.Aux = int64(index)
	again.SetControls(ctl...)
	return f
}

func countWant(n uint64, extra []uint64) []uint64 {
	k := len(extra)
	rot := append([]uint64(nil), extra...)
	for i := uint64(0); i < n && k > 0; i++ {
		rot = append([]uint64{rot[k-1]}, rot[:k-1]...)
	}
	sum := n
	for _, x := range rot {
		sum = sum*3 + x
	}
	return []uint64{n, math.Float64bits(float64(n)), sum, 0}
}
