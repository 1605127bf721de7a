package lowertest

import (
	"fmt"
	"math"

	"wfxc/ir"
)

// Differential testing: random well-formed IR (straight-line code,
// if-diamonds and counted loops with phis, nested, plus calls, memory and
// globals) runs natively and in ir/interp; results and traps must agree.

type rng uint64

func (r *rng) intn(n int) int {
	*r = *r*6364136223846793005 + 1442695040888963407
	return int(uint64(*r)>>33) % n
}

type progGen struct {
	r      rng
	f      *ir.Func
	b      *ir.Block
	vm     *ir.Value
	budget int
}

var genTypes = []ir.Type{ir.I32, ir.I64, ir.F32, ir.F64}

// scope is the set of values visible (dominating) at the current point.
type scope []*ir.Value

func (g *progGen) pick(s scope, t ir.Type) *ir.Value {
	var c []*ir.Value
	for _, v := range s {
		if v.Type == t {
			c = append(c, v)
		}
	}
	if len(c) == 0 || g.r.intn(8) == 0 {
		return g.constant(t)
	}
	return c[g.r.intn(len(c))]
}

var interesting = []uint64{0, 1, 2, 3, 7, 31, 32, 63, 0xff, 0x8000, 0x7fffffff, 0x80000000, 0xffffffff,
	0x7fffffffffffffff, 1 << 63, math.MaxUint64, 0x123456789abcdef}

var interestingF = []float64{0, math.Copysign(0, -1), 1, -1, 0.5, -2.5, 3.5, 1e10, -1e20, math.Inf(1), math.Inf(-1), math.NaN(), 4294967296.5, -2147483649}

func (g *progGen) constant(t ir.Type) *ir.Value {
	var bits uint64
	switch t {
	case ir.I32:
		bits = interesting[g.r.intn(len(interesting))] & 0xffffffff
	case ir.I64:
		bits = interesting[g.r.intn(len(interesting))]
	case ir.F32:
		bits = uint64(math.Float32bits(float32(interestingF[g.r.intn(len(interestingF))])))
	case ir.F64:
		bits = math.Float64bits(interestingF[g.r.intn(len(interestingF))])
	}
	return g.b.NewValueAux(ir.OpConst, t, int64(bits))
}

func (g *progGen) intOp(s scope, t ir.Type) *ir.Value {
	b := g.b
	x, y := g.pick(s, t), g.pick(s, t)
	ops := []ir.Op{ir.OpAdd, ir.OpSub, ir.OpMul, ir.OpAnd, ir.OpOr, ir.OpXor, ir.OpShl, ir.OpShrS, ir.OpShrU,
		ir.OpRotl, ir.OpRotr, ir.OpClz, ir.OpCtz, ir.OpPopcnt, ir.OpDivS, ir.OpDivU, ir.OpRemS, ir.OpRemU}
	switch op := ops[g.r.intn(len(ops))]; op {
	case ir.OpClz, ir.OpCtz, ir.OpPopcnt:
		return b.NewValue(op, t, x)
	case ir.OpDivS, ir.OpDivU, ir.OpRemS, ir.OpRemU:
		if g.r.intn(4) != 0 { // mostly avoid the zero divisor
			one := b.NewValueAux(ir.OpConst, t, 1)
			y = b.NewValue(ir.OpOr, t, y, one)
		}
		return b.NewValue(op, t, x, y)
	default:
		return b.NewValue(op, t, x, y)
	}
}

func (g *progGen) floatOp(s scope, t ir.Type) *ir.Value {
	b := g.b
	x, y := g.pick(s, t), g.pick(s, t)
	ops := []ir.Op{ir.OpFAdd, ir.OpFSub, ir.OpFMul, ir.OpFDiv, ir.OpFMin, ir.OpFMax, ir.OpFCopysign,
		ir.OpFAbs, ir.OpFNeg, ir.OpFSqrt, ir.OpFCeil, ir.OpFFloor, ir.OpFTrunc, ir.OpFNearest}
	op := ops[g.r.intn(len(ops))]
	if ir.Ops[op].Args == 1 {
		return b.NewValue(op, t, x)
	}
	return b.NewValue(op, t, x, y)
}

// value emits one random value of type t.
func (g *progGen) value(s scope, t ir.Type) *ir.Value {
	b := g.b
	switch g.r.intn(10) {
	case 0: // conversions into t
		switch t {
		case ir.I32:
			switch g.r.intn(5) {
			case 0:
				return b.NewValue(ir.OpWrap, t, g.pick(s, ir.I64))
			case 1:
				return b.NewValueAux(ir.OpICmp, t, int64(ir.CondEq+ir.Cond(g.r.intn(10))), g.pick(s, ir.I64), g.pick(s, ir.I64))
			case 2:
				return b.NewValueAux(ir.OpFCmp, t, int64([]ir.Cond{ir.CondEq, ir.CondNe, ir.CondLt, ir.CondGt, ir.CondLe, ir.CondGe}[g.r.intn(6)]), g.pick(s, ir.F64), g.pick(s, ir.F64))
			case 3:
				return b.NewValue([]ir.Op{ir.OpTruncSatS, ir.OpTruncSatU}[g.r.intn(2)], t, g.pick(s, []ir.Type{ir.F32, ir.F64}[g.r.intn(2)]))
			default:
				return b.NewValue(ir.OpEqz, t, g.pick(s, ir.I32))
			}
		case ir.I64:
			switch g.r.intn(3) {
			case 0:
				return b.NewValue([]ir.Op{ir.OpExtendS, ir.OpExtendU}[g.r.intn(2)], t, g.pick(s, ir.I32))
			case 1:
				return b.NewValue([]ir.Op{ir.OpTruncSatS, ir.OpTruncSatU}[g.r.intn(2)], t, g.pick(s, []ir.Type{ir.F32, ir.F64}[g.r.intn(2)]))
			default:
				return b.NewValue([]ir.Op{ir.OpSignExt8, ir.OpSignExt16, ir.OpSignExt32}[g.r.intn(3)], t, g.pick(s, ir.I64))
			}
		case ir.F32, ir.F64:
			switch g.r.intn(3) {
			case 0:
				return b.NewValue([]ir.Op{ir.OpConvertS, ir.OpConvertU}[g.r.intn(2)], t, g.pick(s, []ir.Type{ir.I32, ir.I64}[g.r.intn(2)]))
			case 1:
				if t == ir.F32 {
					return b.NewValue(ir.OpDemote, t, g.pick(s, ir.F64))
				}
				return b.NewValue(ir.OpPromote, t, g.pick(s, ir.F32))
			default:
				it := ir.I32
				if t == ir.F64 {
					it = ir.I64
				}
				return b.NewValue(ir.OpReinterpret, t, g.pick(s, it))
			}
		}
	case 1:
		return b.NewValue(ir.OpSelect, t, g.pick(s, ir.I32), g.pick(s, t), g.pick(s, t))
	case 2: // memory at masked addresses: ints below 0x8000, floats stored above
		// (so NaN payloads, which differ from the interpreter's, never
		// reach an integer), anything loaded
		addr := b.NewValue(ir.OpAnd, ir.I32, g.pick(s, ir.I32), b.NewValueAux(ir.OpConst, ir.I32, 0xfff8))
		if t.IsInt() && g.r.intn(2) == 0 {
			iaddr := b.NewValue(ir.OpAnd, ir.I32, addr, b.NewValueAux(ir.OpConst, ir.I32, 0x7ff8))
			st := b.NewValueAux([]ir.Op{ir.OpStore, ir.OpStore8, ir.OpStore16}[g.r.intn(3)], ir.Void, int64(g.r.intn(3)), g.vm, iaddr, g.pick(s, t))
			st.Aux2 = MemOff
		}
		if isFloat(t) {
			addr = b.NewValue(ir.OpOr, ir.I32, addr, b.NewValueAux(ir.OpConst, ir.I32, 0x8000))
			if g.r.intn(2) == 0 {
				st := b.NewValueAux(ir.OpStore, ir.Void, int64(g.r.intn(3)), g.vm, addr, g.pick(s, t))
				st.Aux2 = MemOff
			}
		}
		if t.IsInt() {
			addr = b.NewValue(ir.OpAnd, ir.I32, addr, b.NewValueAux(ir.OpConst, ir.I32, 0x7ff8))
		}
		op := ir.OpLoad
		if t.IsInt() {
			op = []ir.Op{ir.OpLoad, ir.OpLoad8S, ir.OpLoad16U}[g.r.intn(3)]
		}
		ld := b.NewValueAux(op, t, int64(g.r.intn(9)), g.vm, addr)
		ld.Aux2 = MemOff
		return ld
	case 3:
		if t == ir.I64 {
			v := b.NewValueAux(ir.OpGlobalGet, t, GlobalsOff, g.vm)
			b.NewValueAux(ir.OpGlobalSet, ir.Void, GlobalsOff, g.vm, g.pick(s, t))
			return v
		}
	}
	if t.IsInt() {
		return g.intOp(s, t)
	}
	return g.floatOp(s, t)
}

// seq emits a random sequence of code in g.b and returns the scope after it.
func (g *progGen) seq(s scope, depth int) scope {
	for n := g.r.intn(4) + 1; n > 0 && g.budget > 0; n-- {
		g.budget--
		switch k := g.r.intn(10); {
		case k < 5 || depth >= 3:
			for m := g.r.intn(4) + 1; m > 0; m-- {
				s = append(s, g.value(s, genTypes[g.r.intn(4)]))
			}
		case k < 6:
			s = g.diamond(s, depth)
		case k < 7:
			s = g.switchRegion(s, depth)
		case k < 9:
			s = g.loop(s, depth)
		default:
			s = g.call(s)
		}
	}
	return s
}

func (g *progGen) call(s scope) scope {
	if g.r.intn(3) == 0 {
		// The host import (function 2): (i32, i64) → i64.
		c := g.b.NewValueAux(ir.OpCallImport, ir.I64, ImportsOff+2*16, g.vm, g.pick(s, ir.I32), g.pick(s, ir.I64))
		return append(s, c)
	}
	c := g.b.NewValueAux(ir.OpCall, ir.Tuple, 1, g.vm, g.pick(s, ir.I64), g.pick(s, ir.F64), g.pick(s, ir.I32))
	c.Results = []ir.Type{ir.I64, ir.F64}
	r0 := g.b.NewValueAux(ir.OpResult, ir.I64, 0, c)
	r1 := g.b.NewValueAux(ir.OpResult, ir.F64, 1, c)
	return append(s, r0, r1)
}

func (g *progGen) diamond(s scope, depth int) scope {
	f := g.f
	cond := g.pick(s, ir.I32)
	if g.r.intn(2) == 0 {
		t := []ir.Type{ir.I32, ir.I64, ir.F64}[g.r.intn(3)]
		c := ir.Cond(ir.CondEq + ir.Cond(g.r.intn(10)))
		if isFloat(t) {
			c = []ir.Cond{ir.CondLt, ir.CondGe, ir.CondEq}[g.r.intn(3)]
			cond = g.b.NewValueAux(ir.OpFCmp, ir.I32, int64(c), g.pick(s, t), g.pick(s, t))
		} else {
			cond = g.b.NewValueAux(ir.OpICmp, ir.I32, int64(c), g.pick(s, t), g.pick(s, t))
		}
	}
	head := g.b
	head.Kind = ir.BlockIf
	head.SetControls(cond)
	then, join := f.NewBlock(ir.BlockPlain), f.NewBlock(ir.BlockPlain)
	var els *ir.Block
	head.AddEdgeTo(then)
	if g.r.intn(4) == 0 {
		head.AddEdgeTo(join) // no else arm: the join has the head as a pred
	} else {
		els = f.NewBlock(ir.BlockPlain)
		head.AddEdgeTo(els)
	}
	g.b = then
	st := g.seq(append(scope{}, s...), depth+1)
	thenEnd := g.b
	thenEnd.AddEdgeTo(join)
	se, elsEnd := s, head
	if els != nil {
		g.b = els
		se = g.seq(append(scope{}, s...), depth+1)
		elsEnd = g.b
		elsEnd.AddEdgeTo(join)
	}
	g.b = join
	out := append(scope{}, s...)
	for n := g.r.intn(3) + 1; n > 0; n-- {
		t := genTypes[g.r.intn(4)]
		p := join.InsertPhi(t)
		for _, pred := range join.Preds {
			sc := se
			if pred == thenEnd {
				sc = st
			}
			save := g.b
			g.b = pred
			a := g.pick(sc, t)
			g.b = save
			p.AddArg(a)
		}
		out = append(out, p)
	}
	return out
}

// switchRegion emits a switch over a small index to arms (some named
// twice, some edges straight to the join) that meet in a join with phis.
func (g *progGen) switchRegion(s scope, depth int) scope {
	f := g.f
	head := g.b
	idx := head.NewValue(ir.OpAnd, ir.I32, g.pick(s, ir.I32), head.NewValueAux(ir.OpConst, ir.I32, 7))
	head.Kind = ir.BlockSwitch
	head.SetControls(idx)
	join := f.NewBlock(ir.BlockPlain)
	var arms []*ir.Block
	for n := g.r.intn(3) + 1; n > 0; n-- {
		arms = append(arms, f.NewBlock(ir.BlockPlain))
	}
	ends := map[*ir.Block]scope{head: s}
	targets := append([]*ir.Block{}, arms...)
	for n := g.r.intn(4); n >= 0; n-- {
		if g.r.intn(3) == 0 {
			targets = append(targets, join)
		} else {
			targets = append(targets, arms[g.r.intn(len(arms))])
		}
	}
	for i := len(targets) - 1; i > 0; i-- {
		j := g.r.intn(i + 1)
		targets[i], targets[j] = targets[j], targets[i]
	}
	for _, tb := range targets { // the last one is the default
		head.AddEdgeTo(tb)
	}
	for _, arm := range arms {
		g.b = arm
		sc := g.seq(append(scope{}, s...), depth+1)
		ends[g.b] = sc
		g.b.AddEdgeTo(join)
	}
	g.b = join
	out := append(scope{}, s...)
	for n := g.r.intn(3) + 1; n > 0; n-- {
		t := genTypes[g.r.intn(4)]
		p := join.InsertPhi(t)
		for _, pred := range join.Preds {
			save := g.b
			g.b = pred
			a := g.pick(ends[pred], t)
			g.b = save
			p.AddArg(a)
		}
		out = append(out, p)
	}
	return out
}

func (g *progGen) loop(s scope, depth int) scope {
	f := g.f
	pre := g.b
	hdr, body, exit := f.NewBlock(ir.BlockIf), f.NewBlock(ir.BlockPlain), f.NewBlock(ir.BlockPlain)
	hdr.Loop = true
	pre.AddEdgeTo(hdr)
	i := hdr.InsertPhi(ir.I32)
	var carried []*ir.Value
	for n := g.r.intn(3) + 1; n > 0; n-- {
		carried = append(carried, hdr.InsertPhi(genTypes[g.r.intn(4)]))
	}
	g.b = hdr
	if g.r.intn(2) == 0 {
		hdr.NewValue(ir.OpPoll, ir.Void)
	}
	limit := hdr.NewValueAux(ir.OpConst, ir.I32, int64(g.r.intn(5)))
	hdr.SetControls(hdr.NewValueAux(ir.OpICmp, ir.I32, int64(ir.CondLtU), i, limit))
	hdr.AddEdgeTo(body)
	hdr.AddEdgeTo(exit)
	inLoop := append(append(append(scope{}, s...), i), carried...)
	// Entry args.
	g.b = pre
	i.AddArg(pre.NewValueAux(ir.OpConst, ir.I32, 0))
	for _, c := range carried {
		c.AddArg(g.pick(s, c.Type))
	}
	g.b = body
	sb := g.seq(inLoop, depth+1)
	latch := g.b
	i.AddArg(latch.NewValue(ir.OpAdd, ir.I32, i, latch.NewValueAux(ir.OpConst, ir.I32, 1)))
	for _, c := range carried {
		c.AddArg(g.value(sb, c.Type))
	}
	latch.AddEdgeTo(hdr)
	g.b = exit
	return inLoop
}

// diffImport is the host import of random programs: (i32, i64) → i64.
var diffImport = Import{
	Params:  []ir.Type{ir.I32, ir.I64},
	Results: []ir.Type{ir.I64},
	Fn: func(s []uint64) {
		s[0] = uint64(uint32(s[0]))*0x9e3779b97f4a7c15 ^ s[1]
	},
}

// helperFunc is function 1: (i64, f64, i32) → (i64, f64).
func helperFunc() *ir.Func {
	f := ir.NewFunc("helper", 1, []ir.Type{ir.I64, ir.F64, ir.I32}, []ir.Type{ir.I64, ir.F64})
	b := f.Entry()
	b.Kind = ir.BlockReturn
	x := b.NewValueAux(ir.OpParam, ir.I64, 0)
	y := b.NewValueAux(ir.OpParam, ir.F64, 1)
	z := b.NewValueAux(ir.OpParam, ir.I32, 2)
	r := b.NewValue(ir.OpXor, ir.I64, b.NewValue(ir.OpMul, ir.I64, x, b.NewValueAux(ir.OpConst, ir.I64, 31)), b.NewValue(ir.OpExtendU, ir.I64, z))
	q := b.NewValue(ir.OpFSub, ir.F64, y, b.NewValueAux(ir.OpConvertS, ir.F64, 0, z))
	b.SetControls(r, q)
	return f
}

// GenProgram returns the random program of seed: function 0, calling
// function 1 (helperFunc) and the host import 2 (diffImport), with memory 0
// and a global at the harness's vmctx offsets.
func GenProgram(seed uint64) *ir.Func {
	g := &progGen{r: rng(seed), budget: 12}
	var params []ir.Type
	for n := g.r.intn(9) + 1; n > 0; n-- {
		params = append(params, genTypes[g.r.intn(4)])
	}
	results := []ir.Type{genTypes[g.r.intn(4)], genTypes[g.r.intn(4)], genTypes[g.r.intn(4)]}
	tail := g.r.intn(5) == 0 // end with a tail call of the helper
	if tail {
		results = []ir.Type{ir.I64, ir.F64}
	}
	g.f = ir.NewFunc(fmt.Sprintf("gen%d", seed), 0, params, results)
	g.b = g.f.Entry()
	g.vm = g.b.NewValue(ir.OpVMCtx, ir.I64)
	var s scope
	for i, t := range params {
		s = append(s, g.b.NewValueAux(ir.OpParam, t, int64(i)))
	}
	s = g.seq(s, 0)
	if tail {
		g.b.Kind = ir.BlockTailCall
		g.b.Aux = 1
		g.b.SetControls(g.vm, g.pick(s, ir.I64), g.pick(s, ir.F64), g.pick(s, ir.I32))
		return g.f
	}
	g.b.Kind = ir.BlockReturn
	var ctl []*ir.Value
	for _, t := range results {
		ctl = append(ctl, g.pick(s, t))
	}
	g.b.SetControls(ctl...)
	return g.f
}

func sameResult(t ir.Type, x, y uint64) bool {
	switch t {
	case ir.I32:
		return uint32(x) == uint32(y)
	case ir.F32:
		fx, fy := math.Float32frombits(uint32(x)), math.Float32frombits(uint32(y))
		return uint32(x) == uint32(y) || fx != fx && fy != fy
	case ir.F64:
		fx, fy := math.Float64frombits(x), math.Float64frombits(y)
		return x == y || fx != fx && fy != fy
	}
	return x == y
}

// LargeFunc returns a large random function (thousands of values, deep
// nesting of loops and branches), for compile-time benchmarks.
func LargeFunc() *ir.Func {
	g := &progGen{r: rng(42), budget: 3000}
	g.f = ir.NewFunc("big", 0, []ir.Type{ir.I64, ir.F64}, []ir.Type{ir.I64})
	g.b = g.f.Entry()
	g.vm = g.b.NewValue(ir.OpVMCtx, ir.I64)
	s := scope{g.b.NewValueAux(ir.OpParam, ir.I64, 0), g.b.NewValueAux(ir.OpParam, ir.F64, 1)}
	for g.budget > 0 {
		s = g.seq(s, 0)
	}
	g.b.Kind = ir.BlockReturn
	g.b.SetControls(g.pick(s, ir.I64))
	return g.f
}

func isFloat(t ir.Type) bool { return t == ir.F32 || t == ir.F64 }
