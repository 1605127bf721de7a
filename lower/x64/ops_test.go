package x64

import (
	"fmt"
	"math"
	"math/bits"
	"testing"

	"wfxc/ir"
	"wfxc/rt/abi"
)

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

// outcome is a result or a trap.
type outcome struct {
	val  uint64
	trap uint64 // 0 = none
}

func (o outcome) String() string {
	if o.trap != 0 {
		return "trap " + abi.TrapMessages[o.trap]
	}
	return fmt.Sprintf("%#x", o.val)
}

func val(v uint64) outcome   { return outcome{val: v} }
func trap(c uint64) outcome  { return outcome{trap: c} }
func val32(v uint32) outcome { return outcome{val: uint64(v)} }
func f32o(f float32) outcome { return outcome{val: uint64(math.Float32bits(f))} }
func f64o(f float64) outcome { return outcome{val: math.Float64bits(f)} }
func b2o(b bool) outcome {
	if b {
		return val(1)
	}
	return val(0)
}

var (
	i32Vals = []uint64{0, 1, 2, 7, 31, 32, 33, 0xffffffff, 0xfffffff9, 0x80000000, 0x7fffffff, 0x12345678, 0x80000001}
	i64Vals = []uint64{0, 1, 2, 7, 63, 64, 65, math.MaxUint64, 0xfffffffffffffff9, 1 << 63, math.MaxInt64, 0x123456789abcdef0, 0xffffffff, 0x80000000}
)

func ref32(op ir.Op, x, y uint32) outcome {
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
			return trap(abi.TrapIntDivByZero)
		}
		if sx == math.MinInt32 && sy == -1 {
			return trap(abi.TrapIntOverflow)
		}
		return val32(uint32(sx / sy))
	case ir.OpDivU:
		if y == 0 {
			return trap(abi.TrapIntDivByZero)
		}
		return val32(x / y)
	case ir.OpRemS:
		if y == 0 {
			return trap(abi.TrapIntDivByZero)
		}
		if sy == -1 {
			return val32(0)
		}
		return val32(uint32(sx % sy))
	case ir.OpRemU:
		if y == 0 {
			return trap(abi.TrapIntDivByZero)
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

func ref64(op ir.Op, x, y uint64) outcome {
	sx, sy := int64(x), int64(y)
	switch op {
	case ir.OpAdd:
		return val(x + y)
	case ir.OpSub:
		return val(x - y)
	case ir.OpMul:
		return val(x * y)
	case ir.OpDivS:
		if y == 0 {
			return trap(abi.TrapIntDivByZero)
		}
		if sx == math.MinInt64 && sy == -1 {
			return trap(abi.TrapIntOverflow)
		}
		return val(uint64(sx / sy))
	case ir.OpDivU:
		if y == 0 {
			return trap(abi.TrapIntDivByZero)
		}
		return val(x / y)
	case ir.OpRemS:
		if y == 0 {
			return trap(abi.TrapIntDivByZero)
		}
		if sy == -1 {
			return val(0)
		}
		return val(uint64(sx % sy))
	case ir.OpRemU:
		if y == 0 {
			return trap(abi.TrapIntDivByZero)
		}
		return val(x % y)
	case ir.OpAnd:
		return val(x & y)
	case ir.OpOr:
		return val(x | y)
	case ir.OpXor:
		return val(x ^ y)
	case ir.OpShl:
		return val(x << (y & 63))
	case ir.OpShrS:
		return val(uint64(sx >> (y & 63)))
	case ir.OpShrU:
		return val(x >> (y & 63))
	case ir.OpRotl:
		return val(bits.RotateLeft64(x, int(y&63)))
	case ir.OpRotr:
		return val(bits.RotateLeft64(x, -int(y&63)))
	}
	panic(op)
}

var intBinOps = []ir.Op{ir.OpAdd, ir.OpSub, ir.OpMul, ir.OpDivS, ir.OpDivU, ir.OpRemS, ir.OpRemU,
	ir.OpAnd, ir.OpOr, ir.OpXor, ir.OpShl, ir.OpShrS, ir.OpShrU, ir.OpRotl, ir.OpRotr}

// check runs function fn on args and compares with want.
func (m *machine) check(name string, fn int, want outcome, args ...uint64) {
	m.t.Helper()
	ec, out := m.run(fn, args...)
	var got outcome
	switch ec {
	case abi.ExitDone:
		got = val(out[0])
	case abi.ExitTrap:
		got = trap(m.trapCode())
	default:
		m.t.Errorf("%s%#x: exit code %d", name, args, ec)
		return
	}
	if got != want {
		m.t.Errorf("%s%#x = %v, want %v", name, args, got, want)
	}
}

func TestExec_intBinops(t *testing.T) {
	type fnCase struct {
		name string
		op   ir.Op
		t    ir.Type
		y    *uint64 // constant second operand
	}
	var funcs []*ir.Func
	var cases []fnCase
	for _, ty := range []ir.Type{ir.I32, ir.I64} {
		for _, op := range intBinOps {
			funcs = append(funcs, opFunc(len(funcs), op, ty, 0, []ir.Type{ty, ty}, nil))
			cases = append(cases, fnCase{fmt.Sprintf("%v.%v", op, ty), op, ty, nil})
			for _, y := range []uint64{0, 1, 5, 31, 33, 0xffffffffffffffff, 0x80000000} {
				y := y
				if ty == ir.I32 {
					y &= 0xffffffff
				}
				funcs = append(funcs, opFunc(len(funcs), op, ty, 0, []ir.Type{ty, ty}, map[int]uint64{1: y}))
				cases = append(cases, fnCase{fmt.Sprintf("%v.%v(_, const %#x)", op, ty, y), op, ty, &y})
			}
		}
	}
	m := build(t, funcs, nil)
	for i, c := range cases {
		vals := i32Vals
		if c.t == ir.I64 {
			vals = i64Vals
		}
		for _, x := range vals {
			ys := vals
			if c.y != nil {
				ys = []uint64{*c.y}
			}
			for _, y := range ys {
				var want outcome
				if c.t == ir.I32 {
					want = ref32(c.op, uint32(x), uint32(y))
				} else {
					want = ref64(c.op, x, y)
				}
				if c.y != nil {
					m.check(c.name, i, want, x)
				} else {
					m.check(c.name, i, want, x, y)
				}
			}
		}
	}
}

func TestExec_intUnops(t *testing.T) {
	type fnCase struct {
		op       ir.Op
		arg, res ir.Type
		ref      func(uint64) uint64
	}
	cases := []fnCase{
		{ir.OpClz, ir.I32, ir.I32, func(x uint64) uint64 { return uint64(bits.LeadingZeros32(uint32(x))) }},
		{ir.OpClz, ir.I64, ir.I64, func(x uint64) uint64 { return uint64(bits.LeadingZeros64(x)) }},
		{ir.OpCtz, ir.I32, ir.I32, func(x uint64) uint64 { return uint64(bits.TrailingZeros32(uint32(x))) }},
		{ir.OpCtz, ir.I64, ir.I64, func(x uint64) uint64 { return uint64(bits.TrailingZeros64(x)) }},
		{ir.OpPopcnt, ir.I32, ir.I32, func(x uint64) uint64 { return uint64(bits.OnesCount32(uint32(x))) }},
		{ir.OpPopcnt, ir.I64, ir.I64, func(x uint64) uint64 { return uint64(bits.OnesCount64(x)) }},
		{ir.OpEqz, ir.I32, ir.I32, func(x uint64) uint64 { return bool2u(uint32(x) == 0) }},
		{ir.OpEqz, ir.I64, ir.I32, func(x uint64) uint64 { return bool2u(x == 0) }},
		{ir.OpWrap, ir.I64, ir.I32, func(x uint64) uint64 { return x & 0xffffffff }},
		{ir.OpExtendS, ir.I32, ir.I64, func(x uint64) uint64 { return uint64(int64(int32(x))) }},
		{ir.OpExtendU, ir.I32, ir.I64, func(x uint64) uint64 { return x & 0xffffffff }},
		{ir.OpSignExt8, ir.I32, ir.I32, func(x uint64) uint64 { return uint64(uint32(int32(int8(x)))) }},
		{ir.OpSignExt16, ir.I32, ir.I32, func(x uint64) uint64 { return uint64(uint32(int32(int16(x)))) }},
		{ir.OpSignExt8, ir.I64, ir.I64, func(x uint64) uint64 { return uint64(int64(int8(x))) }},
		{ir.OpSignExt16, ir.I64, ir.I64, func(x uint64) uint64 { return uint64(int64(int16(x))) }},
		{ir.OpSignExt32, ir.I64, ir.I64, func(x uint64) uint64 { return uint64(int64(int32(x))) }},
	}
	var funcs []*ir.Func
	for i, c := range cases {
		funcs = append(funcs, opFunc(i, c.op, c.res, 0, []ir.Type{c.arg}, nil))
	}
	m := build(t, funcs, nil)
	vals := append(append([]uint64{}, i64Vals...), 0xff, 0x80, 0x7f, 0xffff, 0x8000, 0x1234ff80, 0xffffffff00000000)
	for i, c := range cases {
		for _, x := range vals {
			in := x
			if c.arg == ir.I32 {
				in = uint64(uint32(x)) | 0xdead000000000000 // upper bits must be ignored
			}
			m.check(fmt.Sprintf("%v.%v", c.op, c.arg), i, val(c.ref(x)), in)
		}
	}
}

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

func TestExec_icmp(t *testing.T) {
	type fnCase struct {
		t      ir.Type
		cond   ir.Cond
		branch bool
		y      *uint64
	}
	var funcs []*ir.Func
	var cases []fnCase
	for _, ty := range []ir.Type{ir.I32, ir.I64} {
		for c := ir.CondEq; c <= ir.CondGeU; c++ {
			funcs = append(funcs, opFunc(len(funcs), ir.OpICmp, ir.I32, int64(c), []ir.Type{ty, ty}, nil))
			cases = append(cases, fnCase{ty, c, false, nil})
			funcs = append(funcs, branchFunc(len(funcs), ir.OpICmp, ty, c, nil))
			cases = append(cases, fnCase{ty, c, true, nil})
			y := uint64(7)
			funcs = append(funcs, branchFunc(len(funcs), ir.OpICmp, ty, c, map[int]uint64{1: y}))
			cases = append(cases, fnCase{ty, c, true, &y})
		}
	}
	m := build(t, funcs, nil)
	for i, c := range cases {
		vals, w := i32Vals, 32
		if c.t == ir.I64 {
			vals, w = i64Vals, 64
		}
		for _, x := range vals {
			ys := vals
			if c.y != nil {
				ys = []uint64{*c.y}
			}
			for _, y := range ys {
				r := icmpRef(c.cond, x, y, w)
				want := b2o(r)
				if c.branch {
					want = val(20)
					if r {
						want = val(10)
					}
				}
				name := fmt.Sprintf("icmp.%v.%v(branch=%v)", c.cond, c.t, c.branch)
				if c.y != nil {
					m.check(name, i, want, x)
				} else {
					m.check(name, i, want, x, y)
				}
			}
		}
	}
}
