package lowertest

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"testing"

	"wfxc/ir"
	"wfxc/ir/interp"
	"wfxc/rt/abi"
	"wfxc/rt/native"
)

// A test is one entry of the suite: it builds programs, runs them on be
// and checks them against reference semantics.
type test struct {
	name string
	run  func(t *testing.T, be *Backend)
}

// suite is every test Run runs, in order.
var suite = []test{
	{"Exec_intBinops", execIntBinops},
	{"Exec_intUnops", execIntUnops},
	{"Exec_icmp", execIcmp},
	{"Exec_floatBinops", execFloatBinops},
	{"Exec_floatUnops", execFloatUnops},
	{"Exec_fcmp", execFcmp},
	{"Exec_truncate", execTruncate},
	{"Exec_convert", execConvert},
	{"Exec_promoteDemoteReinterpret", execPromoteDemoteReinterpret},
	{"Exec_sum", execSum},
	{"Exec_fac", execFac},
	{"Exec_stackOverflow", execStackOverflow},
	{"Exec_select", execSelect},
	{"Exec_memory", execMemory},
	{"Exec_memoryTrapSite", execMemoryTrapSite},
	{"Exec_memorySizeAndGlobals", execMemorySizeAndGlobals},
	{"Exec_switch", execSwitch},
	{"Exec_manyParamsAndResults", execManyParamsAndResults},
	{"Exec_registerPressure", execRegisterPressure},
	{"Exec_reloads", execReloads},
	{"Exec_loops", execLoops},
	{"Exec_poll", execPoll},
	{"Exec_pollNest", execPollNest},
	{"Exec_hostCall", execHostCall},
	{"Exec_hostCallStackArgsAndResults", execHostCallStackArgsAndResults},
	{"Exec_libcall", execLibcall},
	{"Exec_trapNZ", execTrapNZ},
	{"Exec_refFuncCallRef", execRefFuncCallRef},
	{"Exec_tables", execTables},
	{"Exec_tailCallConstantStack", execTailCallConstantStack},
	{"Exec_tailCallOtherShapes", execTailCallOtherShapes},
	{"Diff_randomPrograms", diffRandomPrograms},
	{"CompileFunc_parallelDeterministic", compileParallelDeterministic},
}

// Run runs the whole suite on be, one subtest per test.
func Run(t *testing.T, be *Backend) {
	for _, tt := range suite {
		t.Run(tt.name, func(t *testing.T) { tt.run(t, be) })
	}
}

func execIntBinops(t *testing.T, be *Backend) {
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
	m := Build(t, be, funcs, nil)
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
				var want Outcome
				if c.t == ir.I32 {
					want = ref32(c.op, uint32(x), uint32(y))
				} else {
					want = ref64(c.op, x, y)
				}
				if c.y != nil {
					m.Check(c.name, i, want, x)
				} else {
					m.Check(c.name, i, want, x, y)
				}
			}
		}
	}
}

func execIntUnops(t *testing.T, be *Backend) {
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
	m := Build(t, be, funcs, nil)
	vals := append(append([]uint64{}, i64Vals...), 0xff, 0x80, 0x7f, 0xffff, 0x8000, 0x1234ff80, 0xffffffff00000000)
	for i, c := range cases {
		for _, x := range vals {
			in := x
			if c.arg == ir.I32 {
				in = uint64(uint32(x)) | 0xdead000000000000 // upper bits must be ignored
			}
			m.Check(fmt.Sprintf("%v.%v", c.op, c.arg), i, Val(c.ref(x)), in)
		}
	}
}

func execIcmp(t *testing.T, be *Backend) {
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
	m := Build(t, be, funcs, nil)
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
					want = Val(20)
					if r {
						want = Val(10)
					}
				}
				name := fmt.Sprintf("icmp.%v.%v(branch=%v)", c.cond, c.t, c.branch)
				if c.y != nil {
					m.Check(name, i, want, x)
				} else {
					m.Check(name, i, want, x, y)
				}
			}
		}
	}
}

func (m *Machine) checkFloat(name string, fn int, t ir.Type, want uint64, args ...uint64) {
	m.t.Helper()
	ec, out := m.Run(fn, args...)
	if ec != abi.ExitDone {
		m.t.Errorf("%s%#x: exit %d trap %d", name, args, ec, m.TrapCode())
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

func execFloatBinops(t *testing.T, be *Backend) {
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
	m := Build(t, be, funcs, nil)
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

func execFloatUnops(t *testing.T, be *Backend) {
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
	m := Build(t, be, funcs, nil)
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

func execFcmp(t *testing.T, be *Backend) {
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
	m := Build(t, be, funcs, nil)
	vals := []float64{0, math.Copysign(0, -1), 1, -1, math.Inf(1), math.Inf(-1), math.NaN(), 2.5}
	for i, c := range cases {
		for _, x := range vals {
			for _, y := range vals {
				r := fcmpRef(c.c, x, y)
				want := b2o(r)
				if c.branch {
					want = Val(20)
					if r {
						want = Val(10)
					}
				}
				m.Check(fmt.Sprintf("fcmp.%v.%v(branch=%v)(%v,%v)", c.c, c.t, c.branch, x, y), i, want, fbits(c.t, x), fbits(c.t, y))
			}
		}
	}
}

func execTruncate(t *testing.T, be *Backend) {
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
	m := Build(t, be, funcs, nil)
	for i, c := range cases {
		signed := c.op == ir.OpTruncS || c.op == ir.OpTruncSatS
		sat := c.op == ir.OpTruncSatS || c.op == ir.OpTruncSatU
		for _, x := range floatVals(c.src) {
			want := truncRef(x, c.res, signed, sat)
			m.Check(fmt.Sprintf("%v.%v.%v(%v)", c.op, c.src, c.res, x), i, want, fbits(c.src, x))
		}
	}
}

func execConvert(t *testing.T, be *Backend) {
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
	m := Build(t, be, funcs, nil)
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

func execPromoteDemoteReinterpret(t *testing.T, be *Backend) {
	funcs := []*ir.Func{
		opFunc(0, ir.OpPromote, ir.F64, 0, []ir.Type{ir.F32}, nil),
		opFunc(1, ir.OpDemote, ir.F32, 0, []ir.Type{ir.F64}, nil),
		opFunc(2, ir.OpReinterpret, ir.I64, 0, []ir.Type{ir.F64}, nil),
		opFunc(3, ir.OpReinterpret, ir.F64, 0, []ir.Type{ir.I64}, nil),
		opFunc(4, ir.OpReinterpret, ir.I32, 0, []ir.Type{ir.F32}, nil),
		opFunc(5, ir.OpReinterpret, ir.F32, 0, []ir.Type{ir.I32}, nil),
	}
	m := Build(t, be, funcs, nil)
	for _, x := range f32Vals {
		m.checkFloat("promote", 0, ir.F64, math.Float64bits(float64(x)), uint64(math.Float32bits(x)))
	}
	for _, x := range f64Vals {
		m.checkFloat("demote", 1, ir.F32, uint64(math.Float32bits(float32(x))), math.Float64bits(x))
	}
	for _, x := range []uint64{0, 1 << 63, 0x7ff8000000000001, 0x123456789abcdef0} {
		m.Check("reinterpret.i64", 2, Val(x), x)
		m.Check("reinterpret.f64", 3, Val(x), x)
		m.Check("reinterpret.i32", 4, Val(x&0xffffffff), x&0xffffffff)
		m.Check("reinterpret.f32", 5, Val(x&0xffffffff), x&0xffffffff)
	}
}

func execSum(t *testing.T, be *Backend) {
	m := Build(t, be, []*ir.Func{SumFunc()}, nil)
	for _, tc := range []struct{ n, want uint64 }{{0, 0}, {1, 1}, {10, 55}, {1000, 500500}} {
		ec, out := m.Run(0, tc.n)
		if ec != abi.ExitDone || out[0] != tc.want {
			t.Errorf("sum(%d) = %d (exit %d), want %d", tc.n, out[0], ec, tc.want)
		}
	}
}

func execFac(t *testing.T, be *Backend) {
	m := Build(t, be, []*ir.Func{FacFunc(0)}, nil)
	want := uint64(1)
	for n := uint64(0); n <= 20; n++ {
		if n > 0 {
			want *= n
		}
		ec, out := m.Run(0, n)
		if ec != abi.ExitDone || out[0] != want {
			t.Errorf("fac(%d) = %d (exit %d), want %d", n, out[0], ec, want)
		}
	}
}

func execStackOverflow(t *testing.T, be *Backend) {
	// f(n) = f(n+1) + 1: unbounded recursion.
	f := ir.NewFunc("inf", 0, []ir.Type{ir.I64}, []ir.Type{ir.I64})
	b := f.Entry()
	b.Kind = ir.BlockReturn
	vm := b.NewValue(ir.OpVMCtx, ir.I64)
	n := b.NewValueAux(ir.OpParam, ir.I64, 0)
	one := b.NewValueAux(ir.OpConst, ir.I64, 1)
	n1 := b.NewValue(ir.OpAdd, ir.I64, n, one)
	r := b.NewValueAux(ir.OpCall, ir.I64, 0, vm, n1)
	r.Pos = 77
	s := b.NewValue(ir.OpAdd, ir.I64, r, one)
	b.SetControls(s)
	m := Build(t, be, []*ir.Func{f}, nil)
	ec, _ := m.Run(0, 0)
	if ec != abi.ExitTrap || m.TrapCode() != abi.TrapStackOverflow {
		t.Fatalf("exit %d trap %d, want exit %d trap %d", ec, m.TrapCode(), abi.ExitTrap, abi.TrapStackOverflow)
	}
	// Running again after a trap works (fresh native stack).
	ec, _ = m.Run(0, 0)
	if ec != abi.ExitTrap {
		t.Fatalf("second run: exit %d", ec)
	}
}

func execSelect(t *testing.T, be *Backend) {
	funcs := []*ir.Func{
		opFunc(0, ir.OpSelect, ir.I32, 0, []ir.Type{ir.I32, ir.I32, ir.I32}, nil),
		opFunc(1, ir.OpSelect, ir.I64, 0, []ir.Type{ir.I32, ir.I64, ir.I64}, nil),
		opFunc(2, ir.OpSelect, ir.F64, 0, []ir.Type{ir.I32, ir.F64, ir.F64}, nil),
		opFunc(3, ir.OpSelect, ir.F32, 0, []ir.Type{ir.I32, ir.F32, ir.F32}, nil),
		opFunc(4, ir.OpSelect, ir.I64, 0, []ir.Type{ir.I32, ir.I64, ir.I64}, map[int]uint64{1: 5, 2: 1 << 40}),
	}
	m := Build(t, be, funcs, nil)
	for _, c := range []uint64{0, 1, 0x100000000, 0xffffffff} {
		taken := uint32(c) != 0
		pickv := func(a, b uint64) uint64 {
			if taken {
				return a
			}
			return b
		}
		m.Check("select.i32", 0, Val(pickv(11, 22)), c, 11, 22)
		m.Check("select.i64", 1, Val(pickv(1<<50, 3)), c, 1<<50, 3)
		m.Check("select.f64", 2, Val(pickv(math.Float64bits(1.5), math.Float64bits(-2))), c, math.Float64bits(1.5), math.Float64bits(-2))
		m.Check("select.f32", 3, Val(pickv(0x3fc00000, 0xc0000000)), c, 0x3fc00000, 0xc0000000)
		m.Check("select.const", 4, Val(pickv(5, 1<<40)), c)
	}
}

func execMemory(t *testing.T, be *Backend) {
	type fnCase struct {
		op   ir.Op
		t    ir.Type
		size int
		off  int64
	}
	cases := []fnCase{
		{ir.OpLoad, ir.I32, 4, 0}, {ir.OpLoad, ir.I64, 8, 0}, {ir.OpLoad, ir.F32, 4, 0}, {ir.OpLoad, ir.F64, 8, 0},
		{ir.OpLoad8S, ir.I32, 1, 0}, {ir.OpLoad8U, ir.I32, 1, 0}, {ir.OpLoad16S, ir.I32, 2, 0}, {ir.OpLoad16U, ir.I32, 2, 0},
		{ir.OpLoad8S, ir.I64, 1, 0}, {ir.OpLoad8U, ir.I64, 1, 0}, {ir.OpLoad16S, ir.I64, 2, 0}, {ir.OpLoad16U, ir.I64, 2, 0},
		{ir.OpLoad32S, ir.I64, 4, 0}, {ir.OpLoad32U, ir.I64, 4, 0},
		{ir.OpLoad, ir.I64, 8, 100}, {ir.OpLoad, ir.I32, 4, 0xffffffff},
		{ir.OpStore, ir.I32, 4, 0}, {ir.OpStore, ir.I64, 8, 0}, {ir.OpStore, ir.F32, 4, 0}, {ir.OpStore, ir.F64, 8, 0},
		{ir.OpStore8, ir.I32, 1, 0}, {ir.OpStore16, ir.I32, 2, 0}, {ir.OpStore8, ir.I64, 1, 0},
		{ir.OpStore16, ir.I64, 2, 0}, {ir.OpStore32, ir.I64, 4, 0}, {ir.OpStore, ir.I64, 8, 7},
	}
	var funcs []*ir.Func
	for i, c := range cases {
		funcs = append(funcs, memFunc(i, c.op, c.t, c.off))
	}
	m := Build(t, be, funcs, nil)
	pattern := uint64(0xf1e2d3c4b5a69788)
	for i, c := range cases {
		name := fmt.Sprintf("%v.%v+%d", c.op, c.t, c.off)
		store := c.op >= ir.OpStore && c.op <= ir.OpStore32
		for _, addr := range []uint64{0, 1, 1000, MemSize - uint64(c.size) - uint64(c.off), MemSize - uint64(c.size) - uint64(c.off) + 1, 0xffffffff, 0xfffffff0} {
			if addr > math.MaxUint32 {
				continue
			}
			ea := addr + uint64(c.off)
			inBounds := ea+uint64(c.size) <= MemSize
			if !store {
				if inBounds {
					binary.LittleEndian.PutUint64(m.Mem[ea&^7:], 0)
					var b [8]byte
					binary.LittleEndian.PutUint64(b[:], pattern)
					copy(m.Mem[ea:], b[:c.size])
				}
				var want Outcome
				if !inBounds {
					want = Trap(abi.TrapMemoryOutOfBounds)
				} else {
					raw := pattern & (1<<(8*uint(c.size)) - 1)
					if c.size == 8 {
						raw = pattern
					}
					switch c.op {
					case ir.OpLoad8S:
						raw = uint64(int64(int8(raw)))
					case ir.OpLoad16S:
						raw = uint64(int64(int16(raw)))
					case ir.OpLoad32S:
						raw = uint64(int64(int32(raw)))
					}
					if c.t == ir.I32 || c.t == ir.F32 {
						raw &= 0xffffffff
					}
					want = Val(raw)
				}
				m.Check(name, i, want, addr|0xabcd000000000000)
				continue
			}
			for j := range m.Mem[:16] {
				m.Mem[j] = 0
			}
			ec, _ := m.Run(i, addr, pattern)
			if !inBounds {
				if ec != abi.ExitTrap || m.TrapCode() != abi.TrapMemoryOutOfBounds {
					t.Errorf("%s(%#x): exit %d trap %d, want out of bounds", name, addr, ec, m.TrapCode())
				}
				continue
			}
			if ec != abi.ExitDone {
				t.Errorf("%s(%#x): exit %d", name, addr, ec)
				continue
			}
			var got [8]byte
			copy(got[:], m.Mem[ea:min(ea+8, MemSize)])
			w := pattern
			if c.size < 8 {
				w &= 1<<(8*uint(c.size)) - 1
			}
			if g := binary.LittleEndian.Uint64(got[:]) & (1<<(8*uint(c.size)) - 1 | map[bool]uint64{true: math.MaxUint64}[c.size == 8]); g != w {
				t.Errorf("%s(%#x): stored %#x, want %#x", name, addr, g, w)
			}
			if ea+uint64(c.size) < MemSize && m.Mem[ea+uint64(c.size)] != 0 && ea+uint64(c.size) < 16 {
				t.Errorf("%s(%#x): wrote past %d bytes", name, addr, c.size)
			}
		}
	}
}

func execMemoryTrapSite(t *testing.T, be *Backend) {
	m := Build(t, be, []*ir.Func{memFunc(0, ir.OpLoad, ir.I32, 0)}, nil)
	ec, _ := m.Run(0, MemSize)
	if ec != abi.ExitTrap {
		t.Fatalf("exit %d, want trap", ec)
	}
	pc := Get64(m.Ectx, abi.EctxTrapPC) - uint64(m.Exec.Addr(m.FuncOff[0]))
	c := m.Compiled[0]
	found := false
	for _, s := range c.Sites {
		if uint64(s.Off) == pc && s.Pos == 99 {
			found = true
		}
	}
	if !found {
		t.Fatalf("TrapPC offset %#x not among sites %+v", pc, c.Sites)
	}
	if fp := Get64(m.Ectx, abi.EctxTrapFP); fp == 0 {
		t.Fatalf("TrapFP = 0")
	}
}

func execMemorySizeAndGlobals(t *testing.T, be *Backend) {
	// f(x) = (g0 = g0 + x; g1(indirect) = f64(g1) * 2; memory.size + g0)
	f := ir.NewFunc("globals", 0, []ir.Type{ir.I64}, []ir.Type{ir.I64, ir.F64})
	b := f.Entry()
	b.Kind = ir.BlockReturn
	vm := b.NewValue(ir.OpVMCtx, ir.I64)
	x := b.NewValueAux(ir.OpParam, ir.I64, 0)
	g0 := b.NewValueAux(ir.OpGlobalGet, ir.I64, GlobalsOff, vm)
	s := b.NewValue(ir.OpAdd, ir.I64, g0, x)
	b.NewValueAux(ir.OpGlobalSet, ir.Void, GlobalsOff, vm, s)
	g1 := b.NewValueAux(ir.OpGlobalGet, ir.F64, GlobalsOff+16, vm)
	g1.Aux2 = 1
	two := b.NewValueAux(ir.OpConst, ir.F64, int64(math.Float64bits(2)))
	d := b.NewValue(ir.OpFMul, ir.F64, g1, two)
	set := b.NewValueAux(ir.OpGlobalSet, ir.Void, GlobalsOff+16, vm, d)
	set.Aux2 = 1
	ms := b.NewValue(ir.OpMemorySize, ir.I64, vm)
	ms.Aux2 = MemOff
	r := b.NewValue(ir.OpAdd, ir.I64, ms, s)
	b.SetControls(r, d)
	m := Build(t, be, []*ir.Func{f}, nil)
	Put64(m.VMCtx, GlobalsOff, 40)
	Put64(m.VMCtx, GlobalsOff+16, uint64(Addr(m.VMCtx))+1000)
	Put64(m.VMCtx, 1000, math.Float64bits(1.25))
	ec, out := m.Run(0, 2)
	if ec != abi.ExitDone || out[0] != 43 || math.Float64frombits(out[1]) != 2.5 {
		t.Fatalf("got exit %d, %d, %v; want 43, 2.5", ec, out[0], math.Float64frombits(out[1]))
	}
	if g := Get64(m.VMCtx, GlobalsOff); g != 42 {
		t.Errorf("global 0 = %d, want 42", g)
	}
	if g := math.Float64frombits(Get64(m.VMCtx, 1000)); g != 2.5 {
		t.Errorf("indirect global = %v, want 2.5", g)
	}
}

func execSwitch(t *testing.T, be *Backend) {
	m := Build(t, be, []*ir.Func{switchFunc()}, nil)
	for _, c := range []struct{ x, want uint64 }{{0, 8}, {1, 14}, {2, 100}, {3, 8}, {4, 7}, {5, 7}, {0xffffffff, 7}, {0x100000000, 8}} {
		m.Check("switch", 0, Val(c.want), c.x, 7)
	}
}

func execManyParamsAndResults(t *testing.T, be *Backend) {
	// caller(x i64) calls many(x+0, 1.25, …) and returns all results
	// shuffled, keeping values live across the call.
	callee := manyFunc(1)
	caller := ir.NewFunc("caller", 0, []ir.Type{ir.I64, ir.F64}, callee.Results)
	b := caller.Entry()
	b.Kind = ir.BlockReturn
	vm := b.NewValue(ir.OpVMCtx, ir.I64)
	x := b.NewValueAux(ir.OpParam, ir.I64, 0)
	y := b.NewValueAux(ir.OpParam, ir.F64, 1)
	args := []*ir.Value{vm}
	want := manyArgs()
	for i, t := range callee.Params {
		var v *ir.Value
		switch {
		case i == 0:
			v = x
		case i == 1:
			v = y
		default:
			v = b.NewValueAux(ir.OpConst, t, int64(want[i]))
		}
		args = append(args, v)
	}
	call := b.NewValueAux(ir.OpCall, ir.Tuple, 1, args...)
	call.Results = callee.Results
	var rs []*ir.Value
	for i, t := range callee.Results {
		rs = append(rs, b.NewValueAux(ir.OpResult, t, int64(i), call))
	}
	// Use x and y after the call (live across it).
	r0 := b.NewValue(ir.OpAdd, ir.I64, rs[0], x)
	r2 := b.NewValue(ir.OpFAdd, ir.F64, rs[2], y)
	b.SetControls(r0, rs[1], r2, rs[3], rs[4], rs[5], rs[6])
	m := Build(t, be, []*ir.Func{caller, callee}, nil)

	// Through the wrapper directly (stack params and results).
	_, out := m.Run(1, want...)
	w := manyWant(want)
	for i := range w {
		if out[i] != w[i] {
			t.Errorf("many: result %d = %#x, want %#x", i, out[i], w[i])
		}
	}
	// Through a wasm call.
	ec, out := m.Run(0, want[0], want[1])
	if ec != abi.ExitDone {
		t.Fatalf("exit %d", ec)
	}
	w[0] += want[0]
	w[2] = math.Float64bits(math.Float64frombits(w[2]) + math.Float64frombits(want[1]))
	for i := range w {
		if out[i] != w[i] {
			t.Errorf("caller: result %d = %#x, want %#x", i, out[i], w[i])
		}
	}
}

func execRegisterPressure(t *testing.T, be *Backend) {
	m := Build(t, be, []*ir.Func{PressureFunc(), clobberFunc(1)}, nil)
	for _, x := range []int64{1, -7, 123456789} {
		y := 1.5
		si := uint64(x + 1)
		sf := y
		for i := 30; i >= 1; i-- {
			si = si*3 ^ uint64(x*int64(i))
			sf = sf*0.5 + y*float64(i)
		}
		ec, out := m.Run(0, uint64(x), math.Float64bits(y))
		if ec != abi.ExitDone || out[0] != si || math.Float64frombits(out[1]) != sf {
			t.Errorf("pressure(%d) = exit %d, %#x, %v; want %#x, %v", x, ec, out[0], math.Float64frombits(out[1]), si, sf)
		}
	}
}

func execLoops(t *testing.T, be *Backend) {
	m := Build(t, be, []*ir.Func{fibFunc(0), nestedFunc(1)}, nil)
	a, b := uint64(0), uint64(1)
	for n := uint64(0); n <= 90; n++ {
		m.Check("fib", 0, Val(a), n)
		a, b = b, a+b
	}
	for _, n := range []int64{0, 1, 2, 10, 100} {
		var want uint64
		for i := int64(0); i < n; i++ {
			for j := int64(0); j < i; j++ {
				want += uint64(i * j)
			}
		}
		m.Check("nested", 1, Val(want), uint64(n))
	}
}

func execPoll(t *testing.T, be *Backend) {
	m := Build(t, be, []*ir.Func{nestedFunc(0)}, nil)
	m.StopOnYield = true
	m.Interrupt = true
	ec, _ := m.Run(0, 50)
	if ec != abi.ExitYield {
		t.Fatalf("exit %d, want yield", ec)
	}
	Put64(m.Ectx, abi.EctxG, uint64(native.G()))
	if ec := m.Resume(); ec != abi.ExitDone {
		t.Fatalf("resume: exit %d", ec)
	}
	var want uint64
	for i := uint64(0); i < 50; i++ {
		for j := uint64(0); j < i; j++ {
			want += i * j
		}
	}
	if got := Get64(m.Buf, 0); got != want {
		t.Fatalf("after yield: %d, want %d", got, want)
	}
	// Yield at every poll that checks: still the right answer. The outer
	// loop's header runs n+1 times, i = 0…n; it checks when i is a
	// multiple of the period.
	period := max(be.LoopPollPeriod, 1)
	for _, n := range []uint64{20, 3000} {
		Put64(m.Ectx, abi.EctxInterrupt, 1)
		ec, _ = m.Run(0, n)
		yields := uint64(0)
		for ec == abi.ExitYield {
			yields++ // one exit per poll that checks, whoever asked
			ec = m.Resume()
		}
		if want := n/period + 1; ec != abi.ExitDone || yields != want {
			t.Fatalf("n=%d: exit %d after %d yields, want done after %d", n, ec, yields, want)
		}
		want = 0
		for i := uint64(0); i < n; i++ {
			for j := uint64(0); j < i; j++ {
				want += i * j
			}
		}
		if got := Get64(m.Buf, 0); got != want {
			t.Fatalf("n=%d, yielding: %d, want %d", n, got, want)
		}
	}
}

func execHostCall(t *testing.T, be *Backend) {
	// Import 0: (i32, f64, i64) → (i64, f32). Function 1 calls it twice.
	imp := Import{
		Params:  []ir.Type{ir.I32, ir.F64, ir.I64},
		Results: []ir.Type{ir.I64, ir.F32},
	}
	var seen [][]uint64
	imp.Fn = func(s []uint64) {
		seen = append(seen, append([]uint64(nil), s...))
		s[0] = s[0]&0xffffffff + s[2]
		s[1] = uint64(math.Float32bits(float32(math.Float64frombits(s[1]) * 2)))
	}
	f := ir.NewFunc("caller", 1, []ir.Type{ir.I32, ir.I64}, []ir.Type{ir.I64, ir.F32})
	b := f.Entry()
	b.Kind = ir.BlockReturn
	vm := b.NewValue(ir.OpVMCtx, ir.I64)
	x := b.NewValueAux(ir.OpParam, ir.I32, 0)
	y := b.NewValueAux(ir.OpParam, ir.I64, 1)
	half := b.NewValueAux(ir.OpConst, ir.F64, int64(math.Float64bits(0.75)))
	c := b.NewValueAux(ir.OpCallImport, ir.Tuple, ImportsOff, vm, x, half, y)
	c.Results = imp.Results
	r0 := b.NewValueAux(ir.OpResult, ir.I64, 0, c)
	r1 := b.NewValueAux(ir.OpResult, ir.F32, 1, c)
	c2 := b.NewValueAux(ir.OpCallImport, ir.Tuple, ImportsOff, vm, x, half, r0)
	c2.Results = imp.Results
	r2 := b.NewValueAux(ir.OpResult, ir.I64, 0, c2)
	s := b.NewValue(ir.OpAdd, ir.I64, r2, y)
	b.SetControls(s, r1)
	m := Build(t, be, []*ir.Func{nil, f}, map[int]Import{0: imp})
	ec, out := m.Run(1, 5, 100)
	if ec != abi.ExitDone {
		t.Fatalf("exit %d", ec)
	}
	if out[0] != 5+(5+100)+100 || math.Float32frombits(uint32(out[1])) != 1.5 {
		t.Fatalf("got %d, %v; want 210, 1.5", out[0], math.Float32frombits(uint32(out[1])))
	}
	if len(seen) != 2 || seen[0][0] != 5 || math.Float64frombits(seen[0][1]) != 0.75 || seen[0][2] != 100 || seen[1][2] != 105 {
		t.Fatalf("host saw %v", seen)
	}
}

func execHostCallStackArgsAndResults(t *testing.T, be *Backend) {
	// Import 0: (i64 ×7, f64 ×9, i32) → (i64, i64, i64, f64, f64, f64):
	// enough that some params and results travel on the stack (on x86-64:
	// beyond RSI…R9 and XMM0–7, RAX/RDX and XMM0/XMM1).
	var params []ir.Type
	for i := 0; i < 7; i++ {
		params = append(params, ir.I64)
	}
	for i := 0; i < 9; i++ {
		params = append(params, ir.F64)
	}
	params = append(params, ir.I32)
	results := []ir.Type{ir.I64, ir.I64, ir.I64, ir.F64, ir.F64, ir.F64}
	var seen []uint64
	imp := Import{Params: params, Results: results, Fn: func(s []uint64) {
		seen = append([]uint64(nil), s[:len(params)]...)
		var si uint64
		var sf float64
		for i := 0; i < 7; i++ {
			si += s[i] * uint64(i+1)
		}
		for i := 7; i < 16; i++ {
			sf += math.Float64frombits(s[i]) * float64(i)
		}
		last := s[16]
		s[0], s[1], s[2] = si, last, 77
		s[3], s[4], s[5] = math.Float64bits(sf), math.Float64bits(-1), math.Float64bits(0.5)
	}}
	f := ir.NewFunc("caller", 1, nil, results)
	b := f.Entry()
	b.Kind = ir.BlockReturn
	vm := b.NewValue(ir.OpVMCtx, ir.I64)
	args := []*ir.Value{vm}
	for i, pt := range params {
		bits := int64(i + 1)
		if pt == ir.F64 {
			bits = int64(math.Float64bits(float64(i) + 0.5))
		}
		if pt == ir.I32 {
			bits = -3
		}
		args = append(args, b.NewValueAux(ir.OpConst, pt, bits))
	}
	c := b.NewValueAux(ir.OpCallImport, ir.Tuple, ImportsOff, args...)
	c.Results = results
	var rs []*ir.Value
	for i, rt := range results {
		rs = append(rs, b.NewValueAux(ir.OpResult, rt, int64(i), c))
	}
	b.SetControls(rs...)
	m := Build(t, be, []*ir.Func{nil, f}, map[int]Import{0: imp})
	ec, out := m.Run(1)
	if ec != abi.ExitDone {
		t.Fatalf("exit %d", ec)
	}
	for i := 0; i < 7; i++ {
		if seen[i] != uint64(i+1) {
			t.Errorf("host param %d = %d, want %d", i, seen[i], i+1)
		}
	}
	for i := 7; i < 16; i++ {
		if got := math.Float64frombits(seen[i]); got != float64(i)+0.5 {
			t.Errorf("host param %d = %v, want %v", i, got, float64(i)+0.5)
		}
	}
	if seen[16] != 0xfffffffd {
		t.Errorf("host i32 param = %#x, want 0xfffffffd (zero-extended)", seen[16])
	}
	var si uint64
	var sf float64
	for i := 0; i < 7; i++ {
		si += uint64(i+1) * uint64(i+1)
	}
	for i := 7; i < 16; i++ {
		sf += (float64(i) + 0.5) * float64(i)
	}
	want := []uint64{si, 0xfffffffd, 77, math.Float64bits(sf), math.Float64bits(-1), math.Float64bits(0.5)}
	for i, w := range want {
		if out[i] != w {
			t.Errorf("result %d = %#x, want %#x", i, out[i], w)
		}
	}
}

func execLibcall(t *testing.T, be *Backend) {
	// f(x i64, y i32) = libcall 17(vm, x, y) + x, with x live across.
	f := ir.NewFunc("lib", 0, []ir.Type{ir.I64, ir.I32}, []ir.Type{ir.I64})
	b := f.Entry()
	b.Kind = ir.BlockReturn
	vm := b.NewValue(ir.OpVMCtx, ir.I64)
	x := b.NewValueAux(ir.OpParam, ir.I64, 0)
	y := b.NewValueAux(ir.OpParam, ir.I32, 1)
	l := b.NewValueAux(ir.OpLibcall, ir.I64, abi.LibcallMemoryInit, vm, x, y)
	b.SetControls(b.NewValue(ir.OpAdd, ir.I64, l, x))
	m := Build(t, be, []*ir.Func{f}, nil)
	var got []uint64
	m.Libcalls = map[int64]func([]uint64){abi.LibcallMemoryInit: func(s []uint64) {
		got = append([]uint64(nil), s[:2]...)
		s[0] = 1000
	}}
	m.Check("libcall", 0, Val(1000+5), 5, 0xffffffff)
	if len(got) != 2 || got[0] != 5 || got[1] != 0xffffffff {
		t.Fatalf("libcall args %#x, want [5 0xffffffff]", got)
	}
}

func execTrapNZ(t *testing.T, be *Backend) {
	m := Build(t, be, []*ir.Func{opFuncVoid(0, ir.OpTrapNZ, ir.I32)}, nil)
	m.Check("trapnz", 0, Val(0), 0)
	m.Check("trapnz", 0, Trap(abi.TrapTableOutOfBounds), abi.TrapTableOutOfBounds)
}

func execRefFuncCallRef(t *testing.T, be *Backend) {
	// double(x) = 2x is function 1; f(x) = call_ref(ref.func 1, x) after a
	// type check; g() = ref.is_null-free use of ref_as_non_null on a global.
	double := opFunc(1, ir.OpAdd, ir.I64, 0, []ir.Type{ir.I64, ir.I64}, nil)
	double.Params = []ir.Type{ir.I64}
	{
		b := double.Entry()
		b.Values = b.Values[:0]
		p := b.NewValueAux(ir.OpParam, ir.I64, 0)
		s := b.NewValue(ir.OpAdd, ir.I64, p, p)
		b.SetControls(s)
	}
	f := ir.NewFunc("f", 0, []ir.Type{ir.I64}, []ir.Type{ir.I64})
	b := f.Entry()
	b.Kind = ir.BlockReturn
	vm := b.NewValue(ir.OpVMCtx, ir.I64)
	x := b.NewValueAux(ir.OpParam, ir.I64, 0)
	r := b.NewValueAux(ir.OpRefFunc, ir.Ref, 1, vm)
	r.Aux2 = refRecordsPtr
	b.NewValueAux(ir.OpFuncTypeCheck, ir.Void, refTypeID, vm, r).Pos = 55
	c := b.NewValue(ir.OpCallRef, ir.I64, r, x)
	b.SetControls(c)
	m := Build(t, be, []*ir.Func{f, double}, nil)
	Put64(m.VMCtx, refRecordsPtr, uint64(Addr(m.VMCtx))+refRecords)
	rec := refRecords + abi.FuncRefSize
	created := 0
	m.Libcalls = map[int64]func([]uint64){abi.LibcallFuncRef: func(s []uint64) {
		if s[0] != 1 {
			t.Errorf("LibcallFuncRef(%d), want function 1", s[0])
		}
		created++
		Put64(m.VMCtx, rec+abi.FuncRefCode, uint64(m.Exec.Addr(m.FuncOff[1])))
		Put64(m.VMCtx, rec+abi.FuncRefTypeID, 7)
		Put64(m.VMCtx, rec+abi.FuncRefVMCtx, uint64(Addr(m.VMCtx)))
		s[0] = uint64(Addr(m.VMCtx)) + uint64(rec)
	}}
	Put64(m.VMCtx, refTypeID, 0xffffffff00000007) // only the low u32 counts
	m.Check("call_ref", 0, Val(42), 21)
	m.Check("call_ref", 0, Val(10), 5)
	if created != 1 {
		t.Errorf("record created %d times, want once", created)
	}
	Put64(m.VMCtx, refTypeID, 8)
	m.Check("call_ref", 0, Trap(abi.TrapIndirectCallType), 5)
}

func execTables(t *testing.T, be *Backend) {
	mk := func(index int, op ir.Op, params []ir.Type, res []ir.Type) (*ir.Func, *ir.Block, *ir.Value, []*ir.Value) {
		f := ir.NewFunc(op.String(), index, params, res)
		b := f.Entry()
		b.Kind = ir.BlockReturn
		vm := b.NewValue(ir.OpVMCtx, ir.I64)
		var ps []*ir.Value
		for i, p := range params {
			ps = append(ps, b.NewValueAux(ir.OpParam, p, int64(i)))
		}
		return f, b, vm, ps
	}
	get, b, vm, ps := mk(0, ir.OpTableGet, []ir.Type{ir.I32}, []ir.Type{ir.Ref})
	v := b.NewValueAux(ir.OpTableGet, ir.Ref, abi.TrapTableOutOfBounds, vm, ps[0])
	v.Aux2 = refTable
	b.SetControls(v)
	set, b, vm, ps := mk(1, ir.OpTableSet, []ir.Type{ir.I64, ir.Ref}, []ir.Type{ir.I32})
	b.NewValueAux(ir.OpTableSet, ir.Void, abi.TrapTableOutOfBounds, vm, ps[0], ps[1]).Aux2 = refTable
	sz := b.NewValue(ir.OpTableSize, ir.I32, vm)
	sz.Aux2 = refTable
	b.SetControls(sz)
	getf, b, vm, ps := mk(2, ir.OpTableGetFunc, []ir.Type{ir.I32}, []ir.Type{ir.Ref})
	v = b.NewValueAux(ir.OpTableGetFunc, ir.Ref, abi.TrapTableOutOfBounds, vm, ps[0])
	v.Aux2 = refTable
	b.SetControls(b.NewValueAux(ir.OpRefAsNonNull, ir.Ref, abi.TrapIndirectCallNull, v))
	setf, b, vm, ps := mk(3, ir.OpTableSetFunc, []ir.Type{ir.I32, ir.Ref}, []ir.Type{ir.I32})
	b.NewValueAux(ir.OpTableSetFunc, ir.Void, abi.TrapTableOutOfBounds, vm, ps[0], ps[1]).Aux2 = refTable
	b.SetControls(b.NewValueAux(ir.OpConst, ir.I32, 0))

	m := Build(t, be, []*ir.Func{get, set, getf, setf}, nil)
	base := uint64(Addr(m.VMCtx)) + refTableElems
	Put64(m.VMCtx, refTable, base)
	Put64(m.VMCtx, refTable+8, 4)
	m.Check("table_set", 1, Val(4), 2, 0xabc0)
	m.Check("table_get", 0, Val(0xabc0), 2)
	m.Check("table_get", 0, Trap(abi.TrapTableOutOfBounds), 4)
	m.Check("table_get", 0, Trap(abi.TrapTableOutOfBounds), 0xffffffff)
	m.Check("table_set", 1, Trap(abi.TrapTableOutOfBounds), 1<<32|1, 0)

	// Function table: element 1 not initialised → libcall; 2 tagged; 3 tagged null.
	clear(m.VMCtx[refTableElems : refTableElems+32])
	Put64(m.VMCtx, refTableElems+16, 0x5550|1)
	Put64(m.VMCtx, refTableElems+24, 1)
	elemCalls := 0
	m.Libcalls = map[int64]func([]uint64){abi.LibcallTableElem: func(s []uint64) {
		elemCalls++
		if s[0] != refTable || s[1] != 1 {
			t.Errorf("LibcallTableElem(%#x, %d), want (%#x, 1)", s[0], s[1], refTable)
		}
		Put64(m.VMCtx, refTableElems+8, 0x7770|1)
		s[0] = 0x7770
	}}
	m.Check("table_get_func", 2, Val(0x7770), 1)
	m.Check("table_get_func", 2, Val(0x7770), 1)
	m.Check("table_get_func", 2, Val(0x5550), 2)
	m.Check("table_get_func", 2, Trap(abi.TrapIndirectCallNull), 3)
	if elemCalls != 1 {
		t.Errorf("LibcallTableElem called %d times, want once", elemCalls)
	}
	m.Check("table_set_func", 3, Val(0), 0, 0)
	m.Check("table_set_func", 3, Val(0), 3, 0x8880)
	if e0, e3 := Get64(m.VMCtx, refTableElems), Get64(m.VMCtx, refTableElems+24); e0 != 1 || e3 != 0x8881 {
		t.Errorf("stored elements %#x, %#x; want 0x1, 0x8881", e0, e3)
	}
}

func execTailCallConstantStack(t *testing.T, be *Backend) {
	for _, extra := range []int{0, 6} { // 6: eight params, some on the stack (four on x86-64)
		m := Build(t, be, []*ir.Func{countFunc(0, extra)}, nil)
		var ex []uint64
		for i := 0; i < extra; i++ {
			ex = append(ex, uint64(100+i))
		}
		for _, n := range []uint64{0, 5, 1_000_000} { // a million frames would overflow
			ec, out := m.Run(0, append([]uint64{n, 0}, ex...)...)
			if ec != abi.ExitDone {
				t.Fatalf("extra %d: count(%d): exit %d trap %d", extra, n, ec, m.TrapCode())
			}
			for i, w := range countWant(n, ex) {
				if out[i] != w {
					t.Errorf("extra %d: count(%d) result %d = %#x, want %#x", extra, n, i, out[i], w)
				}
			}
		}
	}
}

// TestExec_tailCallOtherShapes tail-calls functions whose stack params
// differ (a call then a return), imports and funcref records.
func execTailCallOtherShapes(t *testing.T, be *Backend) {
	// f(x) tail-calls count(x, 0, 1..6): more stack params than f has.
	f := ir.NewFunc("f", 1, []ir.Type{ir.I64}, []ir.Type{ir.I64, ir.F64, ir.I64, ir.I64})
	b := f.Entry()
	b.Kind = ir.BlockTailCall
	b.Aux = 0
	vm := b.NewValue(ir.OpVMCtx, ir.I64)
	x := b.NewValueAux(ir.OpParam, ir.I64, 0)
	ctl := []*ir.Value{vm, x, b.NewValueAux(ir.OpConst, ir.I64, 0)}
	for i := 0; i < 6; i++ {
		ctl = append(ctl, b.NewValueAux(ir.OpConst, ir.I64, int64(100+i)))
	}
	b.SetControls(ctl...)

	// g(x) tail-calls the host import 2: (i64) → i64.
	g := ir.NewFunc("g", 3, []ir.Type{ir.I64}, []ir.Type{ir.I64})
	b = g.Entry()
	b.Kind = ir.BlockTailCallImport
	b.Aux = ImportsOff + 2*16
	vm = b.NewValue(ir.OpVMCtx, ir.I64)
	b.SetControls(vm, b.NewValue(ir.OpAdd, ir.I64, b.NewValueAux(ir.OpParam, ir.I64, 0), b.NewValueAux(ir.OpConst, ir.I64, 1)))
	imp := Import{Params: []ir.Type{ir.I64}, Results: []ir.Type{ir.I64}, Fn: func(s []uint64) { s[0] *= 10 }}

	// h(x) tail-calls the function of the funcref record at vmctx+2048
	// (set to g's code below).
	h := ir.NewFunc("h", 4, []ir.Type{ir.I64}, []ir.Type{ir.I64})
	b = h.Entry()
	b.Kind = ir.BlockTailCallRef
	vm = b.NewValue(ir.OpVMCtx, ir.I64)
	rec := b.NewValue(ir.OpAdd, ir.I64, vm, b.NewValueAux(ir.OpConst, ir.I64, 2048))
	b.SetControls(rec, b.NewValueAux(ir.OpParam, ir.I64, 0))

	m := Build(t, be, []*ir.Func{countFunc(0, 6), f, g, h}, map[int]Import{2: imp})
	ec, out := m.Run(1, 7)
	w := countWant(7, []uint64{100, 101, 102, 103, 104, 105})
	if ec != abi.ExitDone || out[0] != w[0] || out[1] != w[1] || out[2] != w[2] || out[3] != w[3] {
		t.Errorf("f(7) = exit %d %#x, want %#x", ec, out[:4], w)
	}
	m.Check("tail call import", 3, Val(50), 4)
	Put64(m.VMCtx, 2048+abi.FuncRefCode, uint64(m.Exec.Addr(m.FuncOff[3])))
	Put64(m.VMCtx, 2048+abi.FuncRefVMCtx, uint64(Addr(m.VMCtx)))
	m.Check("tail call ref", 4, Val(90), 8)
}

func diffRandomPrograms(t *testing.T, be *Backend) {
	helper := helperFunc()
	programs := 300
	if testing.Short() {
		programs = 50
	}
	traps, returns, values, spills := 0, 0, 0, 0
	defer func() {
		sp := "?"
		if be.Spilled != nil {
			sp = fmt.Sprint(spills)
		}
		t.Logf("%d programs, %d values, %s spilling: %d runs returned, %d trapped", programs, values, sp, returns, traps)
		if returns < programs || traps == 0 {
			t.Errorf("generator too weak: %d returned, %d trapped", returns, traps)
		}
	}()
	for seed := uint64(1); seed <= uint64(programs); seed++ {
		f := GenProgram(seed)
		if err := ir.Verify(f); err != nil {
			t.Fatalf("seed %d: generator made invalid IR: %v\n%s", seed, err, f.String())
		}
		m := Build(t, be, []*ir.Func{f, helper}, map[int]Import{2: diffImport})
		values += f.NumValues()
		if be.Spilled != nil && be.Spilled(m.Compiled[0].Code) {
			spills++
		}
		r := rng(seed * 7919)
		for run := 0; run < 4; run++ {
			args := make([]uint64, len(f.Params))
			for i, pt := range f.Params {
				switch pt {
				case ir.F32:
					args[i] = uint64(math.Float32bits(float32(interestingF[r.intn(len(interestingF))])))
				case ir.F64:
					args[i] = math.Float64bits(interestingF[r.intn(len(interestingF))])
				default:
					args[i] = interesting[r.intn(len(interesting))]
					if pt == ir.I32 {
						args[i] &= 0xffffffff
					}
				}
			}
			im := &interp.Machine{Funcs: map[int]*ir.Func{0: f, 1: helper}, Memory: make([]byte, MemSize), MaxSteps: 1 << 22,
				Imports: map[int64]interp.Import{ImportsOff + 2*16: func(a []uint64) ([]uint64, error) {
					s := []uint64{a[0], a[1]}
					diffImport.Fn(s)
					return s[:1], nil
				}}}
			want, werr := im.Call(f, args)
			var trap *interp.Trap
			if werr != nil && !errors.As(werr, &trap) {
				t.Fatalf("seed %d: interp: %v", seed, werr)
			}
			clear(m.Mem)
			clear(m.VMCtx[GlobalsOff:ImportsOff])
			ec, out := m.Run(0, args...)
			fail := func(format string, a ...any) {
				t.Errorf("seed %d args %#x: %s\n%s", seed, args, fmt.Sprintf(format, a...), f.String())
			}
			if trap != nil {
				traps++
				if ec != 1 || int64(m.TrapCode()) != trap.Code {
					fail("native exit %d trap %d, interp %v", ec, m.TrapCode(), trap)
				}
				continue
			}
			if ec != 0 {
				fail("native exit %d trap %d, interp returned %#x", ec, m.TrapCode(), want)
				continue
			}
			returns++
			for i, rt := range f.Results {
				if !sameResult(rt, out[i], want[i]) {
					fail("result %d (%v) = %#x, interp %#x", i, rt, out[i], want[i])
					break
				}
			}
			if t.Failed() {
				return
			}
		}
	}
}

// compileParallelDeterministic compiles the same functions from several
// goroutines (golang-asm state is per compilation) and checks the output
// is byte-identical.
func compileParallelDeterministic(t *testing.T, be *Backend) {
	var funcs []*ir.Func
	for seed := uint64(1); seed <= 20; seed++ {
		funcs = append(funcs, GenProgram(seed))
	}
	want := make([][]byte, len(funcs))
	for i, f := range funcs {
		c, err := be.CompileFunc(f)
		if err != nil {
			t.Fatal(err)
		}
		want[i] = c.Code
	}
	errs := make(chan error, 4)
	for w := 0; w < 4; w++ {
		go func() {
			for i, f := range funcs {
				c, err := be.CompileFunc(f)
				if err == nil && !bytes.Equal(c.Code, want[i]) {
					err = fmt.Errorf("%s: output differs between compilations", f.Name)
				}
				if err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for w := 0; w < 4; w++ {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
