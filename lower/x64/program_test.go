package x64

import (
	"encoding/binary"
	"fmt"
	"math"
	"testing"
	"wfxc/rt/native"

	"wfxc/ir"
	"wfxc/lower"
	"wfxc/rt/abi"
)

func TestExec_select(t *testing.T) {
	funcs := []*ir.Func{
		opFunc(0, ir.OpSelect, ir.I32, 0, []ir.Type{ir.I32, ir.I32, ir.I32}, nil),
		opFunc(1, ir.OpSelect, ir.I64, 0, []ir.Type{ir.I32, ir.I64, ir.I64}, nil),
		opFunc(2, ir.OpSelect, ir.F64, 0, []ir.Type{ir.I32, ir.F64, ir.F64}, nil),
		opFunc(3, ir.OpSelect, ir.F32, 0, []ir.Type{ir.I32, ir.F32, ir.F32}, nil),
		opFunc(4, ir.OpSelect, ir.I64, 0, []ir.Type{ir.I32, ir.I64, ir.I64}, map[int]uint64{1: 5, 2: 1 << 40}),
	}
	m := build(t, funcs, nil)
	for _, c := range []uint64{0, 1, 0x100000000, 0xffffffff} {
		taken := uint32(c) != 0
		pickv := func(a, b uint64) uint64 {
			if taken {
				return a
			}
			return b
		}
		m.check("select.i32", 0, val(pickv(11, 22)), c, 11, 22)
		m.check("select.i64", 1, val(pickv(1<<50, 3)), c, 1<<50, 3)
		m.check("select.f64", 2, val(pickv(math.Float64bits(1.5), math.Float64bits(-2))), c, math.Float64bits(1.5), math.Float64bits(-2))
		m.check("select.f32", 3, val(pickv(0x3fc00000, 0xc0000000)), c, 0x3fc00000, 0xc0000000)
		m.check("select.const", 4, val(pickv(5, 1<<40)), c)
	}
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
		v.Aux2 = testMemOff
		v.Pos = 99
		return f
	}
	v := b.NewValueAux(op, t, off, vm, a)
	v.Aux2 = testMemOff
	v.Pos = 99
	b.SetControls(v)
	return f
}

func TestExec_memory(t *testing.T) {
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
	m := build(t, funcs, nil)
	pattern := uint64(0xf1e2d3c4b5a69788)
	for i, c := range cases {
		name := fmt.Sprintf("%v.%v+%d", c.op, c.t, c.off)
		store := c.op >= ir.OpStore && c.op <= ir.OpStore32
		for _, addr := range []uint64{0, 1, 1000, testMemSize - uint64(c.size) - uint64(c.off), testMemSize - uint64(c.size) - uint64(c.off) + 1, 0xffffffff, 0xfffffff0} {
			if addr > math.MaxUint32 {
				continue
			}
			ea := addr + uint64(c.off)
			inBounds := ea+uint64(c.size) <= testMemSize
			if !store {
				if inBounds {
					binary.LittleEndian.PutUint64(m.mem[ea&^7:], 0)
					var b [8]byte
					binary.LittleEndian.PutUint64(b[:], pattern)
					copy(m.mem[ea:], b[:c.size])
				}
				var want outcome
				if !inBounds {
					want = trap(abi.TrapMemoryOutOfBounds)
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
					want = val(raw)
				}
				m.check(name, i, want, addr|0xabcd000000000000)
				continue
			}
			for j := range m.mem[:16] {
				m.mem[j] = 0
			}
			ec, _ := m.run(i, addr, pattern)
			if !inBounds {
				if ec != abi.ExitTrap || m.trapCode() != abi.TrapMemoryOutOfBounds {
					t.Errorf("%s(%#x): exit %d trap %d, want out of bounds", name, addr, ec, m.trapCode())
				}
				continue
			}
			if ec != abi.ExitDone {
				t.Errorf("%s(%#x): exit %d", name, addr, ec)
				continue
			}
			var got [8]byte
			copy(got[:], m.mem[ea:min(ea+8, testMemSize)])
			w := pattern
			if c.size < 8 {
				w &= 1<<(8*uint(c.size)) - 1
			}
			if g := binary.LittleEndian.Uint64(got[:]) & (1<<(8*uint(c.size)) - 1 | map[bool]uint64{true: math.MaxUint64}[c.size == 8]); g != w {
				t.Errorf("%s(%#x): stored %#x, want %#x", name, addr, g, w)
			}
			if ea+uint64(c.size) < testMemSize && m.mem[ea+uint64(c.size)] != 0 && ea+uint64(c.size) < 16 {
				t.Errorf("%s(%#x): wrote past %d bytes", name, addr, c.size)
			}
		}
	}
}

func TestExec_memoryTrapSite(t *testing.T) {
	m := build(t, []*ir.Func{memFunc(0, ir.OpLoad, ir.I32, 0)}, nil)
	ec, _ := m.run(0, testMemSize)
	if ec != abi.ExitTrap {
		t.Fatalf("exit %d, want trap", ec)
	}
	pc := get64(m.ectx, abi.EctxTrapPC) - uint64(m.exec.Addr(m.funcOff[0]))
	c := m.compiled[0]
	found := false
	for _, s := range c.Sites {
		if uint64(s.Off) == pc && s.Pos == 99 {
			found = true
		}
	}
	if !found {
		t.Fatalf("TrapPC offset %#x not among sites %+v", pc, c.Sites)
	}
	if fp := get64(m.ectx, abi.EctxTrapFP); fp == 0 {
		t.Fatalf("TrapFP = 0")
	}
}

func TestExec_memorySizeAndGlobals(t *testing.T) {
	// f(x) = (g0 = g0 + x; g1(indirect) = f64(g1) * 2; memory.size + g0)
	f := ir.NewFunc("globals", 0, []ir.Type{ir.I64}, []ir.Type{ir.I64, ir.F64})
	b := f.Entry()
	b.Kind = ir.BlockReturn
	vm := b.NewValue(ir.OpVMCtx, ir.I64)
	x := b.NewValueAux(ir.OpParam, ir.I64, 0)
	g0 := b.NewValueAux(ir.OpGlobalGet, ir.I64, testGlobalsOff, vm)
	s := b.NewValue(ir.OpAdd, ir.I64, g0, x)
	b.NewValueAux(ir.OpGlobalSet, ir.Void, testGlobalsOff, vm, s)
	g1 := b.NewValueAux(ir.OpGlobalGet, ir.F64, testGlobalsOff+16, vm)
	g1.Aux2 = 1
	two := b.NewValueAux(ir.OpConst, ir.F64, int64(math.Float64bits(2)))
	d := b.NewValue(ir.OpFMul, ir.F64, g1, two)
	set := b.NewValueAux(ir.OpGlobalSet, ir.Void, testGlobalsOff+16, vm, d)
	set.Aux2 = 1
	ms := b.NewValue(ir.OpMemorySize, ir.I64, vm)
	ms.Aux2 = testMemOff
	r := b.NewValue(ir.OpAdd, ir.I64, ms, s)
	b.SetControls(r, d)
	m := build(t, []*ir.Func{f}, nil)
	put64(m.vmctx, testGlobalsOff, 40)
	put64(m.vmctx, testGlobalsOff+16, uint64(addr(m.vmctx))+1000)
	put64(m.vmctx, 1000, math.Float64bits(1.25))
	ec, out := m.run(0, 2)
	if ec != abi.ExitDone || out[0] != 43 || math.Float64frombits(out[1]) != 2.5 {
		t.Fatalf("got exit %d, %d, %v; want 43, 2.5", ec, out[0], math.Float64frombits(out[1]))
	}
	if g := get64(m.vmctx, testGlobalsOff); g != 42 {
		t.Errorf("global 0 = %d, want 42", g)
	}
	if g := math.Float64frombits(get64(m.vmctx, 1000)); g != 2.5 {
		t.Errorf("indirect global = %v, want 2.5", g)
	}
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

func TestExec_switch(t *testing.T) {
	m := build(t, []*ir.Func{switchFunc()}, nil)
	for _, c := range []struct{ x, want uint64 }{{0, 8}, {1, 14}, {2, 100}, {3, 8}, {4, 7}, {5, 7}, {0xffffffff, 7}, {0x100000000, 8}} {
		m.check("switch", 0, val(c.want), c.x, 7)
	}
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

func TestExec_manyParamsAndResults(t *testing.T) {
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
	m := build(t, []*ir.Func{caller, callee}, nil)

	// Through the wrapper directly (stack params and results).
	_, out := m.run(1, want...)
	w := manyWant(want)
	for i := range w {
		if out[i] != w[i] {
			t.Errorf("many: result %d = %#x, want %#x", i, out[i], w[i])
		}
	}
	// Through a wasm call.
	ec, out := m.run(0, want[0], want[1])
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

// pressureFunc computes n values from (x, y) that are all live at once,
// then folds them, so most must be spilled; floats too, and across a call.
func pressureFunc() *ir.Func {
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

func TestExec_registerPressure(t *testing.T) {
	m := build(t, []*ir.Func{pressureFunc(), clobberFunc(1)}, nil)
	for _, x := range []int64{1, -7, 123456789} {
		y := 1.5
		si := uint64(x + 1)
		sf := y
		for i := 30; i >= 1; i-- {
			si = si*3 ^ uint64(x*int64(i))
			sf = sf*0.5 + y*float64(i)
		}
		ec, out := m.run(0, uint64(x), math.Float64bits(y))
		if ec != abi.ExitDone || out[0] != si || math.Float64frombits(out[1]) != sf {
			t.Errorf("pressure(%d) = exit %d, %#x, %v; want %#x, %v", x, ec, out[0], math.Float64frombits(out[1]), si, sf)
		}
	}
	c, err := CompileFunc(pressureFunc())
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Code) > 4000 {
		t.Errorf("pressure: %d bytes of code", len(c.Code))
	}
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

func TestExec_loops(t *testing.T) {
	m := build(t, []*ir.Func{fibFunc(0), nestedFunc(1)}, nil)
	a, b := uint64(0), uint64(1)
	for n := uint64(0); n <= 90; n++ {
		m.check("fib", 0, val(a), n)
		a, b = b, a+b
	}
	for _, n := range []int64{0, 1, 2, 10, 100} {
		var want uint64
		for i := int64(0); i < n; i++ {
			for j := int64(0); j < i; j++ {
				want += uint64(i * j)
			}
		}
		m.check("nested", 1, val(want), uint64(n))
	}
}

func TestExec_poll(t *testing.T) {
	m := build(t, []*ir.Func{nestedFunc(0)}, nil)
	m.stopOnYield = true
	m.interrupt = true
	ec, _ := m.run(0, 50)
	if ec != abi.ExitYield {
		t.Fatalf("exit %d, want yield", ec)
	}
	put64(m.ectx, abi.EctxG, uint64(native.G()))
	if ec := m.resume(); ec != abi.ExitDone {
		t.Fatalf("resume: exit %d", ec)
	}
	var want uint64
	for i := uint64(0); i < 50; i++ {
		for j := uint64(0); j < i; j++ {
			want += i * j
		}
	}
	if got := get64(m.buf, 0); got != want {
		t.Fatalf("after yield: %d, want %d", got, want)
	}
	// Yield at every poll: still the right answer.
	put64(m.ectx, abi.EctxInterrupt, 1)
	ec, _ = m.run(0, 20)
	yields := 0
	for ec == abi.ExitYield {
		yields++ // one exit per poll executed, whoever asked
		ec = m.resume()
	}
	if ec != abi.ExitDone || yields != 21 {
		t.Fatalf("exit %d after %d yields, want done after 21", ec, yields)
	}
}

func TestExec_hostCall(t *testing.T) {
	// Import 0: (i32, f64, i64) → (i64, f32). Function 1 calls it twice.
	imp := testImport{
		params:  []ir.Type{ir.I32, ir.F64, ir.I64},
		results: []ir.Type{ir.I64, ir.F32},
	}
	var seen [][]uint64
	imp.fn = func(s []uint64) {
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
	c := b.NewValueAux(ir.OpCallImport, ir.Tuple, testImportsOff, vm, x, half, y)
	c.Results = imp.results
	r0 := b.NewValueAux(ir.OpResult, ir.I64, 0, c)
	r1 := b.NewValueAux(ir.OpResult, ir.F32, 1, c)
	c2 := b.NewValueAux(ir.OpCallImport, ir.Tuple, testImportsOff, vm, x, half, r0)
	c2.Results = imp.results
	r2 := b.NewValueAux(ir.OpResult, ir.I64, 0, c2)
	s := b.NewValue(ir.OpAdd, ir.I64, r2, y)
	b.SetControls(s, r1)
	m := build(t, []*ir.Func{nil, f}, map[int]testImport{0: imp})
	ec, out := m.run(1, 5, 100)
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

func TestExec_hostCallStackArgsAndResults(t *testing.T) {
	// Import 0: (i64 ×7, f64 ×9, i32) → (i64, i64, i64, f64, f64, f64):
	// params beyond the registers and results beyond RAX/RDX, XMM0/XMM1.
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
	imp := testImport{params: params, results: results, fn: func(s []uint64) {
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
	c := b.NewValueAux(ir.OpCallImport, ir.Tuple, testImportsOff, args...)
	c.Results = results
	var rs []*ir.Value
	for i, rt := range results {
		rs = append(rs, b.NewValueAux(ir.OpResult, rt, int64(i), c))
	}
	b.SetControls(rs...)
	m := build(t, []*ir.Func{nil, f}, map[int]testImport{0: imp})
	ec, out := m.run(1)
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

// TestRuntime_cfi checks every routine's CFI rows: they start at 0 with
// CFA = RSP+8, offsets increase, and all lie inside the code.
func TestRuntime_cfi(t *testing.T) {
	var cs []*lower.Compiled
	for _, c := range Runtime() {
		cs = append(cs, c)
	}
	cs = append(cs, Wrapper("w", []ir.Type{ir.I32, ir.F64}, []ir.Type{ir.I64}, 0),
		HostCallStub("h", []ir.Type{ir.I32}, []ir.Type{ir.F32}, 3))
	for _, c := range cs {
		if len(c.CFI) == 0 {
			t.Errorf("%s: no CFI rows", c.Name)
			continue
		}
		if r := c.CFI[0]; c.Name != "trap" && (r.Off != 0 || r.CFAReg != lower.CFARegSP || r.CFAOffset != 8) {
			t.Errorf("%s: first row %+v, want CFA = RSP+8 at 0", c.Name, r)
		}
		for i := 1; i < len(c.CFI); i++ {
			if c.CFI[i].Off <= c.CFI[i-1].Off || int(c.CFI[i].Off) > len(c.Code) {
				t.Errorf("%s: row %d %+v out of order or outside %d bytes", c.Name, i, c.CFI[i], len(c.Code))
			}
		}
	}
}
