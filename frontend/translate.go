package frontend

// Translation of a validated function body to SSA IR.
//
// The translator walks the body once, keeping the wasm operand stack as a
// stack of *ir.Value and a control stack of frames (block, loop, if, the
// function itself). Locals become SSA values with the algorithm of Braun et
// al., "Simple and Efficient Construction of Static Single Assignment Form"
// (CC 2013, https://doi.org/10.1007/978-3-642-37051-8_6): a local read in a
// block without a definition looks through the predecessors, creating a phi
// in blocks that may still gain predecessors ("unsealed") or that have
// several. A block is sealed once all its predecessors are known: a
// forward-branch target at its frame's `end`, a loop header at the loop's
// `end`, everything else when it is created.
//
// Values carried across labels (block results, loop parameters) are not
// locals: every label owns one phi per carried value, and each branch to it
// appends its operands as it adds the edge, so phi args stay in Preds order.
// Trivial phis (all operands the same value or the phi itself) are removed at
// the end by a fixpoint that forwards each to its single operand.
//
//	(local.get 0) (if (result i32) (then (i32.const 1)) (else (local.get 0)))
//
// becomes
//
//	b0: v0 = vmctx; v1 = param [0]; if v1 -> b1 b2
//	b1: v2 = const [1]; plain -> b3
//	b2: plain -> b3
//	b3: v3 = phi v2 v1
//
// Instructions come from the validator's InstrReader, which decodes every
// immediate; the translator never reads the body's bytes itself. Code after
// an unconditional branch is unreachable: its instructions are decoded (to
// track nested frames) but produce no IR.

import (
	"fmt"
	"sort"

	"wfxc/ir"
	"wfxc/rt/abi"
)

// UnsupportedError is returned for valid input that the compiler cannot
// translate yet.
type UnsupportedError struct {
	Offset  int
	Feature string
}

func (e *UnsupportedError) Error() string {
	return fmt.Sprintf("0x%x: unsupported feature: %s", e.Offset, e.Feature)
}

// IRType maps a wasm value type of module m to its IR type. References in
// the func and extern hierarchies are pointer-sized refs, continuation
// references 16-byte conts, v128 16-byte vectors; other reference types
// (GC) are not supported yet. An exnref is an rt handle (rt/abi exn.go), a ref too.
func IRType(m *Module, t ValType) (ir.Type, bool) {
	switch t.Code {
	case CodeI32:
		return ir.I32, true
	case CodeI64:
		return ir.I64, true
	case CodeF32:
		return ir.F32, true
	case CodeF64:
		return ir.F64, true
	case CodeV128:
		return ir.V128, true
	case CodeRefNull, CodeRef:
		if m.isFuncRef(t) || t.Heap == HeapExtern || t.Heap == HeapNoExtern || t.Heap == HeapExn || t.Heap == HeapNoExn {
			return ir.Ref, true
		}
		if m.isContRef(t) {
			return ir.Cont, true
		}
	}
	return ir.TypeInvalid, false
}

// isFuncRef reports whether t is a reference in the func hierarchy.
func (m *Module) isFuncRef(t ValType) bool {
	switch {
	case !t.IsRef():
		return false
	case t.Heap == HeapFunc || t.Heap == HeapNoFunc:
		return true
	case t.Heap >= 0:
		return int(t.Heap) < len(m.Types) && m.Types[t.Heap].Comp.Kind == CompFunc
	}
	return false
}

// IRTypes maps a list of wasm value types of module m.
func IRTypes(m *Module, ts []ValType) ([]ir.Type, bool) {
	out := make([]ir.Type, len(ts))
	for i, t := range ts {
		var ok bool
		if out[i], ok = IRType(m, t); !ok {
			return nil, false
		}
	}
	return out, true
}

type frameKind uint8

const (
	frameFunc frameKind = iota
	frameBlock
	frameLoop
	frameIf
	frameElse
)

type frame struct {
	kind    frameKind
	params  []ir.Type
	results []ir.Type
	// label is the branch target: the end block (block, if, func) or the
	// header (loop). labelPhis are the values a branch carries.
	label     *ir.Block
	labelPhis []*ir.Value
	end       *ir.Block   // continuation after `end`
	endPhis   []*ir.Value // results at end (== labelPhis except for loops)
	elseBlock *ir.Block   // if: the false successor, until `else`
	ifParams  []*ir.Value // if: the param values, for the else arm
	height    int         // operand stack height below the params
	reachable bool        // was the frame entered from reachable code
	// try_table (translate_exn.go): its clauses, whose labels are relative
	// to the frame t.frames[tryBase-1].
	catches []Catch
	tryBase int
}

type translator struct {
	m      *Module
	layout abi.VMCtxLayout
	f      *ir.Func
	rd     InstrReader // the body, one instruction at a time

	cur    *ir.Block // nil: unreachable code
	vmctx  *ir.Value
	stack  []*ir.Value
	frames []*frame

	nlocals    int
	localTypes []ir.Type
	ldefs      localDefs      // (block, local) → value
	sealed     []bool         // per block ID
	incomplete [][]incomplete // per block ID: its incomplete phis
	fwd        []*ir.Value    // by value ID: the value a trivial phi forwards to (finish)

	fuel *fuelState // fuel metering (fuel.go), nil when off

	// entryMark is where entryField inserts its loads into the entry
	// block: after the poll and the fuel set-up, before the first
	// instruction's values. entryFields are those loads, by ectx offset.
	entryMark   int
	entryFields map[int64]*ir.Value

	// fresh is the reference cont.new pushed if it was the previous
	// instruction (nil otherwise), freshNext the one the current
	// instruction pushes (contBind).
	fresh, freshNext *ir.Value
}

// Translate builds the SSA form of defined function index fn (an index into
// the function index space). The module must be valid.
func Translate(m *Module, layout abi.VMCtxLayout, fn int) (*ir.Func, error) {
	return TranslateWith(m, layout, fn, TranslateOptions{})
}

// TranslateWith is Translate with options (fuel.go).
func TranslateWith(m *Module, layout abi.VMCtxLayout, fn int, opts TranslateOptions) (*ir.Func, error) {
	def := fn - m.NumImportedFuncs
	if def < 0 || def >= len(m.Codes) {
		return nil, fmt.Errorf("translate: function %d has no body", fn)
	}
	code := &m.Codes[def]
	ft := m.FuncType(uint32(fn))
	params, ok1 := IRTypes(m, ft.Params)
	results, ok2 := IRTypes(m, ft.Results)
	if !ok1 || !ok2 {
		return nil, &UnsupportedError{Offset: code.Offset, Feature: "reference or vector types in function signatures"}
	}
	name := m.FuncNames[uint32(fn)]
	if name == "" {
		name = fmt.Sprintf("wasm[%d]", fn)
	}
	t := &translator{
		m:      m,
		layout: layout,
		f:      ir.NewFunc(name, fn, params, results),
	}
	if opts.Fuel {
		t.fuel = &fuelState{}
	}
	t.rd.Reset(code.Body, code.BodyOffset)
	if err := t.run(code, params); err != nil {
		return nil, err
	}
	return t.f, nil
}

func (t *translator) unsupported(off int, what string) error {
	return &UnsupportedError{Offset: off, Feature: what}
}

// errorf returns an *Error at the offset after the current instruction.
func (t *translator) errorf(msg string) error {
	return &Error{Offset: t.rd.Offset(), Msg: msg}
}

// ---- blocks and SSA construction ----

// An incomplete phi of an unsealed block, for local.
type incomplete struct {
	local int
	phi   *ir.Value
}

func (t *translator) newBlock(kind ir.BlockKind) *ir.Block {
	b := t.f.NewBlock(kind)
	for int(b.ID) >= len(t.sealed) {
		t.sealed = append(t.sealed, false)
		t.incomplete = append(t.incomplete, nil)
	}
	return b
}

// resolve follows the forwarding of trivial phis (only finish sets any).
func (t *translator) resolve(v *ir.Value) *ir.Value {
	for int(v.ID) < len(t.fwd) && t.fwd[v.ID] != nil {
		v = t.fwd[v.ID]
	}
	return v
}

func (t *translator) writeLocal(i int, b *ir.Block, v *ir.Value) {
	t.ldefs.set(b.ID, i, v)
}

func (t *translator) readLocal(i int, b *ir.Block) *ir.Value {
	if v, ok := t.ldefs.get(b.ID, i); ok {
		return t.resolve(v)
	}
	var v *ir.Value
	switch {
	case !t.sealed[b.ID]:
		v = b.InsertPhi(t.localTypes[i])
		t.incomplete[b.ID] = append(t.incomplete[b.ID], incomplete{i, v})
	case len(b.Preds) == 1:
		v = t.readLocal(i, b.Preds[0])
	default:
		phi := b.InsertPhi(t.localTypes[i])
		t.writeLocal(i, b, phi)
		t.addPhiOperands(i, phi)
		v = phi
	}
	t.writeLocal(i, b, v)
	return v
}

func (t *translator) addPhiOperands(i int, phi *ir.Value) {
	for _, p := range phi.Block.Preds {
		phi.AddArg(t.readLocal(i, p))
	}
}

func (t *translator) seal(b *ir.Block) {
	if t.sealed[b.ID] {
		return
	}
	// In local order, not creation order (as when they were kept in a
	// map): reading a local can create phis, and their value numbers
	// follow. Each local has at most one incomplete phi per block (the
	// read that creates it defines the local there).
	inc := t.incomplete[b.ID]
	sort.Slice(inc, func(x, y int) bool { return inc[x].local < inc[y].local })
	for _, p := range inc {
		t.addPhiOperands(p.local, p.phi)
	}
	t.incomplete[b.ID] = nil
	t.sealed[b.ID] = true
}

// edge adds cur → target and appends the carried values to target's phis.
func (t *translator) edge(from, to *ir.Block, phis []*ir.Value, vals []*ir.Value) {
	from.AddEdgeTo(to)
	for i, phi := range phis {
		phi.AddArg(vals[i])
	}
}

// ---- operand stack ----

func (t *translator) push(v *ir.Value) { t.stack = append(t.stack, v) }

func (t *translator) pop() *ir.Value {
	v := t.stack[len(t.stack)-1]
	t.stack = t.stack[:len(t.stack)-1]
	return v
}

func (t *translator) popN(n int) []*ir.Value {
	vs := append([]*ir.Value(nil), t.stack[len(t.stack)-n:]...)
	t.stack = t.stack[:len(t.stack)-n]
	return vs
}

func (t *translator) top(n int) []*ir.Value { return t.stack[len(t.stack)-n:] }

// ---- values ----

func (t *translator) val(op ir.Op, typ ir.Type, pos int, args ...*ir.Value) *ir.Value {
	if t.fuel != nil && fuelCall(op) {
		t.fuelFlush()
	}
	v := t.cur.NewValue(op, typ, args...)
	v.Pos = int32(pos)
	if t.fuel != nil && fuelCall(op) {
		t.fuel.reload = true
	}
	return v
}

func (t *translator) constant(typ ir.Type, bits uint64) *ir.Value {
	return t.cur.NewValueAux(ir.OpConst, typ, int64(bits))
}

// ---- the walk ----

func (t *translator) run(code *Code, params []ir.Type) error {
	entry := t.f.Entry()
	for int(entry.ID) >= len(t.sealed) {
		t.sealed = append(t.sealed, false)
		t.incomplete = append(t.incomplete, nil)
	}
	t.sealed[entry.ID] = true
	t.cur = entry
	t.vmctx = entry.NewValue(ir.OpVMCtx, ir.I64)
	t.localTypes = append(t.localTypes, params...)
	for i, p := range params {
		t.writeLocal(i, entry, entry.NewValueAux(ir.OpParam, p, int64(i)))
	}
	for _, d := range code.Locals {
		lt, ok := IRType(t.m, d.Type)
		if !ok {
			return t.unsupported(code.Offset, "reference or vector locals")
		}
		zero := entry.NewValueAux(ir.OpConst, lt, 0)
		if lt == ir.V128 {
			zero.Op = ir.OpV128Const // both halves 0
		}
		for k := uint32(0); k < d.Count; k++ {
			t.writeLocal(len(t.localTypes), entry, zero)
			t.localTypes = append(t.localTypes, lt)
		}
	}
	t.nlocals = len(t.localTypes)
	entry.NewValue(ir.OpPoll, ir.Void)
	if t.fuel != nil {
		t.fuelStart(entry, code.Offset)
	}
	t.entryMark = len(entry.Values)

	ret := t.newBlock(ir.BlockReturn)
	fr := &frame{kind: frameFunc, results: t.f.Results, label: ret, end: ret, reachable: true}
	for _, rt := range t.f.Results {
		fr.labelPhis = append(fr.labelPhis, ret.InsertPhi(rt))
	}
	fr.endPhis = fr.labelPhis
	ret.SetControls(fr.labelPhis...)
	t.frames = append(t.frames, fr)

	for len(t.frames) > 0 {
		if t.rd.EOF() {
			return t.errorf("unexpected end of function body")
		}
		in, err := t.rd.Next()
		if err != nil {
			return err
		}
		if err := t.instr(in); err != nil {
			return err
		}
	}
	if t.fuel != nil {
		t.fuelReturn(ret)
	}
	return t.finish()
}

// finish removes unreachable blocks and trivial phis.
func (t *translator) finish() error {
	// Reachability from the entry.
	reach := make([]bool, t.f.NumBlocks())
	work := []*ir.Block{t.f.Entry()}
	reach[t.f.Entry().ID] = true
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		for _, s := range b.Succs {
			if !reach[s.ID] {
				reach[s.ID] = true
				work = append(work, s)
			}
		}
	}
	kept := t.f.Blocks[:0]
	for _, b := range t.f.Blocks {
		if reach[b.ID] {
			kept = append(kept, b)
		} else {
			for _, v := range b.Values {
				for _, a := range v.Args {
					a.Uses--
				}
			}
			for _, c := range b.Controls {
				c.Uses--
			}
		}
	}
	t.f.Blocks = kept

	// Remove trivial phis until nothing changes.
	t.fwd = make([]*ir.Value, t.f.NumValues())
	for changed := true; changed; {
		changed = false
		for _, b := range t.f.Blocks {
			for _, v := range b.Values {
				if v.Op != ir.OpPhi {
					continue
				}
				if t.fwd[v.ID] != nil {
					continue
				}
				var same *ir.Value
				trivial := true
				for _, a := range v.Args {
					a = t.resolve(a)
					if a == v || a == same {
						continue
					}
					if same != nil {
						trivial = false
						break
					}
					same = a
				}
				if trivial && same != nil {
					t.fwd[v.ID] = same
					changed = true
				}
			}
		}
	}
	// Rewrite args through the forwarding map and drop forwarded phis.
	for _, b := range t.f.Blocks {
		vals := b.Values[:0]
		for _, v := range b.Values {
			if int(v.ID) < len(t.fwd) && t.fwd[v.ID] != nil {
				for _, a := range v.Args {
					a.Uses--
				}
				continue
			}
			for i, a := range v.Args {
				if r := t.resolve(a); r != a {
					v.SetArg(i, r)
				}
			}
			vals = append(vals, v)
		}
		b.Values = vals
		for i, c := range b.Controls {
			if r := t.resolve(c); r != c {
				c.Uses--
				r.Uses++
				b.Controls[i] = r
			}
		}
	}
	return nil
}

// blockType returns the params and results of the block type of in (a
// block, loop or if).
func (t *translator) blockType(in *Instr) ([]ir.Type, []ir.Type, error) {
	off := in.Offset + 1 // the block type follows the one-byte opcode
	bt := in.Block
	switch {
	case bt.Empty:
		return nil, nil, nil
	case bt.Index < 0:
		vt, ok := IRType(t.m, bt.Val)
		if !ok {
			return nil, nil, t.unsupported(off, "reference or vector block types")
		}
		return nil, []ir.Type{vt}, nil
	}
	if bt.Index >= int64(len(t.m.Types)) || t.m.Types[bt.Index].Comp.Kind != CompFunc {
		return nil, nil, &Error{Offset: off, Msg: "unknown type"}
	}
	ft := &t.m.Types[bt.Index].Comp
	ps, ok1 := IRTypes(t.m, ft.Params)
	rs, ok2 := IRTypes(t.m, ft.Results)
	if !ok1 || !ok2 {
		return nil, nil, t.unsupported(off, "reference or vector block types")
	}
	return ps, rs, nil
}

func (t *translator) pushFrame(kind frameKind, params, results []ir.Type) *frame {
	fr := &frame{kind: kind, params: params, results: results, reachable: t.cur != nil}
	fr.height = len(t.stack) - len(params)
	if !fr.reachable {
		fr.height = len(t.stack)
	}
	t.frames = append(t.frames, fr)
	return fr
}

// endBlock creates the continuation block of a frame with result phis.
func (t *translator) makeEnd(fr *frame) {
	fr.end = t.newBlock(ir.BlockPlain)
	for _, rt := range fr.results {
		fr.endPhis = append(fr.endPhis, fr.end.InsertPhi(rt))
	}
}

// branch emits an unconditional branch from cur to the frame at depth.
func (t *translator) branchTo(fr *frame, from *ir.Block) {
	n := len(fr.labelPhis)
	t.edge(from, fr.label, fr.labelPhis, t.top(n))
}

// branchIf ends the current block with a branch to frame fr, carrying the
// top of the stack, when cond (i32) is non-zero, and continues in a new
// block otherwise.
func (t *translator) branchIf(cond *ir.Value, fr *frame) {
	next := t.newBlock(ir.BlockPlain)
	t.cur.Kind = ir.BlockIf
	t.cur.SetControls(cond)
	from := t.cur
	if t.fuel != nil {
		from = t.fuelExit(fr, next) // the exit edge of a loop header may go through a block
	}
	t.branchTo(fr, from)
	t.cur.AddEdgeTo(next)
	t.seal(next)
	t.cur = next
}

func (t *translator) labelFrame(depth uint32) (*frame, error) {
	if int(depth) >= len(t.frames) {
		return nil, t.errorf("unknown label")
	}
	return t.frames[len(t.frames)-1-int(depth)], nil
}

// setUnreachable ends the current block (already terminated) and drops the
// operand stack down to the current frame's base.
func (t *translator) setUnreachable() {
	t.cur = nil
	fr := t.frames[len(t.frames)-1]
	if len(t.stack) > fr.height {
		t.stack = t.stack[:fr.height]
	}
}

// instr translates one instruction.
func (t *translator) instr(in *Instr) error {
	t.fresh, t.freshNext = t.freshNext, nil
	if t.fuel != nil && t.cur != nil {
		t.fuelOp(in)
	}
	// Control instructions are handled in reachable and unreachable code.
	switch in.Op {
	case OpBlock, OpLoop, OpIf:
		params, results, err := t.blockType(in)
		if err != nil {
			return err
		}
		return t.startFrame(in.Op, params, results, in.Offset)
	case OpTryTable:
		params, results, err := t.blockType(in)
		if err != nil {
			return err
		}
		t.tryFrame(in, params, results)
		return nil
	case OpElse:
		return t.elseInstr()
	case OpEnd:
		return t.endInstr()
	}
	if t.cur == nil {
		return t.skip(in)
	}
	return t.emit(in)
}

func (t *translator) startFrame(op byte, params, results []ir.Type, pos int) error {
	if t.cur == nil {
		kind := frameBlock
		if op == OpIf {
			kind = frameIf
		}
		t.pushFrame(kind, params, results)
		return nil
	}
	switch op {
	case OpBlock:
		fr := t.pushFrame(frameBlock, params, results)
		t.makeEnd(fr)
		fr.label, fr.labelPhis = fr.end, fr.endPhis
	case OpLoop:
		fr := t.pushFrame(frameLoop, params, results)
		t.makeEnd(fr)
		header := t.newBlock(ir.BlockPlain)
		header.Loop = true
		fr.label = header
		for _, p := range params {
			fr.labelPhis = append(fr.labelPhis, header.InsertPhi(p))
		}
		t.edge(t.cur, header, fr.labelPhis, t.top(len(params)))
		t.cur.Kind = ir.BlockPlain
		t.popN(len(params))
		for _, phi := range fr.labelPhis {
			t.push(phi)
		}
		t.cur = header
		header.NewValue(ir.OpPoll, ir.Void).Pos = int32(pos)
		if t.fuel != nil {
			t.fuelPoll(header, pos)
		}
	case OpIf:
		cond := t.pop()
		fr := t.pushFrame(frameIf, params, results)
		t.makeEnd(fr)
		fr.label, fr.labelPhis = fr.end, fr.endPhis
		then := t.newBlock(ir.BlockPlain)
		els := t.newBlock(ir.BlockPlain)
		t.cur.Kind = ir.BlockIf
		t.cur.SetControls(cond)
		t.cur.AddEdgeTo(then)
		t.cur.AddEdgeTo(els)
		t.seal(then)
		t.seal(els)
		fr.elseBlock = els
		fr.ifParams = append([]*ir.Value(nil), t.top(len(params))...)
		t.cur = then
	}
	return nil
}

func (t *translator) elseInstr() error {
	fr := t.frames[len(t.frames)-1]
	if fr.kind != frameIf {
		return t.errorf("else without if")
	}
	if fr.end == nil { // the if was unreachable
		fr.kind = frameElse
		return nil
	}
	if t.cur != nil {
		t.branchTo(fr, t.cur)
	}
	t.stack = t.stack[:fr.height]
	t.stack = append(t.stack, fr.ifParams...)
	t.cur = fr.elseBlock
	fr.elseBlock = nil
	fr.kind = frameElse
	return nil
}

func (t *translator) endInstr() error {
	fr := t.frames[len(t.frames)-1]
	if fr.end == nil && fr.kind != frameFunc {
		// Frame entered from unreachable code: everything after stays unreachable.
		t.frames = t.frames[:len(t.frames)-1]
		return nil
	}
	if t.cur != nil {
		t.edge(t.cur, fr.end, fr.endPhis, t.top(len(fr.results)))
	}
	if fr.kind == frameIf && fr.elseBlock != nil {
		// No else arm: the false edge carries the params as results.
		t.edge(fr.elseBlock, fr.end, fr.endPhis, fr.ifParams)
	}
	if fr.kind == frameLoop {
		t.seal(fr.label)
	}
	t.seal(fr.end)
	t.frames = t.frames[:len(t.frames)-1]
	t.stack = t.stack[:fr.height]
	if fr.kind == frameFunc {
		t.cur = nil
		return nil
	}
	if len(fr.end.Preds) == 0 {
		t.cur = nil
		return nil
	}
	t.cur = fr.end
	for _, phi := range fr.endPhis {
		t.push(phi)
	}
	return nil
}
