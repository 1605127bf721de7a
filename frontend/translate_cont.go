package frontend

// Translation of the stack-switching instructions (DESIGN.md §6, rt/abi
// cont.go). Each instruction becomes plain IR: raw loads and stores of the
// continuation records (VMContRef) and of the ectx, the checks as branches
// to trap blocks, the handler search as a loop, and one stack_switch. No
// instruction exits to the runtime except cont.new when the store's free
// list is empty and cont.bind when a payload buffer must grow.
//
// A continuation reference is one ir.Cont value {VMContRef, revision}.
// The invariants kept by the code below, for the chain of stacks an
// execution is running (innermost first, from EctxContCurrent through
// ContParent to 0, the execution's base stack):
//
//   - EctxContCurrent is the stack running the code, EctxStackLimit its
//     limit. A resume (and a switch, for the stack it installs) sets both
//     before switching; a resume restores its own after the switch, so a
//     suspending or returning stack never touches them.
//   - A running fibre's control context holds its resumer's resume point
//     and is its root frame record. The root of a suspended chain holds
//     the suspension point in its context, a stale ContParent and the
//     innermost stack in ContLeaf.
//   - ContHandlers of a running stack is the handler table of the resume
//     that runs it, in that resume's frame; the search for a tag compares
//     identities in the tables of the chain, innermost first.
//
// resume $ct (on $e $l) (on $f switch), as IR (R the resumed record):
//
//	R = cont_ptr k; trap null; trap if [R+rev] != rev; [R+rev] = rev+1
//	message (frame area, or R's payload buffer after bound values) ← args
//	handler table (frame area) ← [1 | 1<<32, id($e), id($f)]
//	(none with one suspend clause only: [R+handlers] = 0, [R+tag0] = id)
//	[R+handlers] = table; [R+parent] = current; current = [R+leaf]; limit = …
//	res = stack_switch ctx(R), ctx(R), message (+1: an exception to throw)
//	current = [[res+8]+parent]; limit = saved; switch [res]: 0 → results,
//	free [res+8]; 1 → br $l with the payload and cont_make([res+8], its
//	revision)

import (
	"wfxc/ir"
	"wfxc/rt/abi"
)

// isContRef reports whether t is a reference in the continuation hierarchy.
func (m *Module) isContRef(t ValType) bool { return t.IsRef() && m.isContHeap(t.Heap) }

// isContHeap reports whether h is cont, nocont or a continuation type.
func (m *Module) isContHeap(h HeapType) bool {
	switch {
	case h == HeapCont || h == HeapNoCont:
		return true
	case h >= 0:
		return int(h) < len(m.Types) && m.Types[h].Comp.Kind == CompCont
	}
	return false
}

// ContEntryIndex is the function index of the continuation entry for
// function type ft (ContEntry): the entries follow the module's functions,
// one index per type.
func ContEntryIndex(m *Module, ft uint32) int { return m.NumFuncs() + int(ft) }

// ContEntryTypes lists the function types that need a continuation entry:
// those of the module's continuation types, in type order. It is empty
// unless the module uses stack switching.
func ContEntryTypes(m *Module) []uint32 {
	if !m.StackSwitching {
		return nil
	}
	seen := map[uint32]bool{}
	for _, st := range m.Types {
		if st.Comp.Kind == CompCont {
			seen[st.Comp.Cont] = true
		}
	}
	var out []uint32
	for i := range m.Types {
		if seen[uint32(i)] {
			out = append(out, uint32(i))
		}
	}
	return out
}

// ContEntry builds the entry function of continuations of function type ft:
// cont.new points a fresh fibre's control context at it, and the first
// switch to the fibre jumps to it with the message in the vmctx argument
// (the payload register). It calls the continuation's function (the funcref
// in ContFuncRef of the running record) with the message's values and
// sends its results up to the resumer: a MsgReturn message naming the
// record, which the resumer frees. It never returns.
func ContEntry(m *Module, ft uint32) (*ir.Func, error) {
	c := &m.Types[ft].Comp
	params, ok1 := IRTypes(m, c.Params)
	results, ok2 := IRTypes(m, c.Results)
	if !ok1 || !ok2 {
		return nil, &UnsupportedError{Feature: "continuations of functions with vector or GC types"}
	}
	f := ir.NewFunc("cont_entry["+itoa(int(ft))+"]", ContEntryIndex(m, ft), nil, nil)
	f.Root = true // it switches away at the end: no caller's registers to keep
	t := &translator{m: m, f: f}
	b := f.Entry()
	t.cur = b
	t.sealed = append(t.sealed, true)
	t.incomplete = append(t.incomplete, nil)
	msg := b.NewValue(ir.OpVMCtx, ir.I64)
	r := t.load(ir.Ref, t.ectx(), abi.EctxContCurrent)
	t.store(r, abi.ContState, t.constI64(abi.ContLive))
	rec := t.load(ir.Ref, r, abi.ContFuncRef)
	args := t.loadValues(msg, params)
	call := t.val(ir.OpCallRef, callType(results), -1, append([]*ir.Value{rec}, args...)...)
	t.pushResults(call, results)
	vals := t.popN(len(results))
	r = t.load(ir.Ref, t.ectx(), abi.EctxContCurrent)
	out := t.message(vals)
	top := t.topOf(r)
	sw := t.val(ir.OpStackSwitch, ir.I64, -1, top, top, out, r, t.constant(ir.I32, abi.MsgReturn))
	sw.Aux = 1 // this stack is done
	sw.Aux2 = ir.SwitchStoreTop | ir.SwitchLoadTop
	t.cur.Kind = ir.BlockTrap
	t.cur.Aux = abi.TrapUnreachable
	return f, nil
}

// itoa formats a small non-negative integer.
func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// emitCont translates a stack-switching instruction.
func (t *translator) emitCont(in *Instr) error {
	pos := in.Offset
	switch in.Op {
	case OpContNew:
		return t.contNew(in.Idx[0], pos)
	case OpContBind:
		return t.contBind(in.Idx[0], in.Idx[1], pos)
	case OpSuspend:
		return t.suspend(in.Idx[0], pos)
	case OpResume, OpResumeThrow, OpResumeThrowRef:
		return t.resume(in, pos)
	case OpSwitch:
		return t.switchTo(in.Idx[0], in.Idx[1], pos)
	}
	return t.unsupported(pos, opName(in.Op))
}

// ---- helpers ----

// ectx is the execution context.
func (t *translator) ectx() *ir.Value { return t.cur.NewValue(ir.OpECtx, ir.I64) }

// entryField is ectx field off (EctxContCurrent or EctxStackLimit), of
// type typ, loaded once in the function's entry block. Both are
// invariant in an activation: a frame never leaves the stack it started
// on, so while it runs the current record and the stack limit are its
// stack's (every resume and switch puts them back when control comes
// back to the frame). Loading them at a resume or suspend instead would
// chain each round trip's loads to the previous one's stores through
// memory (store-to-load forwarding on the critical path: measured
// 6.0 → 5.3 ns per suspend/resume round trip for the stack limit alone).
func (t *translator) entryField(typ ir.Type, off int64) *ir.Value {
	return t.atEntry(off, func(entry *ir.Block) *ir.Value {
		return entry.NewValueAux(ir.OpLoadRaw, typ, off, entry.NewValue(ir.OpECtx, ir.I64))
	})
}

// entryTop is the top of the current record's stack (topOf), computed once in the entry block like the
// entryFields, or an unused address when the frame runs on the base
// stack (no current record: a suspension there traps). A suspension
// whose handler is the innermost resume switches through it: taking it
// from the frame instead of loading the record's stack top after the
// search keeps a dependent load off the round trip's critical path.
func (t *translator) entryTop() *ir.Value {
	return t.atEntry(entryTopKey, func(entry *ir.Block) *ir.Value {
		e := entry.NewValue(ir.OpECtx, ir.I64)
		cur := entry.NewValueAux(ir.OpLoadRaw, ir.I64, abi.EctxContCurrent, e)
		zero := entry.NewValueAux(ir.OpConst, ir.I64, 0)
		some := entry.NewValueAux(ir.OpICmp, ir.I32, int64(ir.CondNe), cur, zero)
		base := entry.NewValue(ir.OpSelect, ir.I64, some, cur, e)
		return entry.NewValueAux(ir.OpLoadRaw, ir.I64, abi.ContStackTop, base)
	})
}

// inLoop reports whether the instruction being translated is inside a
// loop of the function.
func (t *translator) inLoop() bool {
	for _, fr := range t.frames {
		if fr.kind == frameLoop {
			return true
		}
	}
	return false
}

// entryTopKey is entryTop's key among the entryFields (not an ectx
// offset).
const entryTopKey = -1

// atEntry returns the value build makes in the entry block, made once
// per key: its values go after those of earlier calls, before the first
// translated instruction's (entryMark).
func (t *translator) atEntry(key int64, build func(entry *ir.Block) *ir.Value) *ir.Value {
	if v := t.entryFields[key]; v != nil {
		return v
	}
	entry := t.f.Entry()
	n0 := len(entry.Values)
	v := build(entry)
	vals := entry.Values
	made := append([]*ir.Value(nil), vals[n0:]...)
	copy(vals[t.entryMark+len(made):], vals[t.entryMark:n0])
	copy(vals[t.entryMark:], made)
	t.entryMark += len(made)
	if t.entryFields == nil {
		t.entryFields = map[int64]*ir.Value{}
	}
	t.entryFields[key] = v
	return v
}

// storeIfNot stores x at base+off unless it is already there (a
// load, a compare and a branch almost never taken): on the paths where
// the field nearly always holds x, a store fewer. A suspend/resume round
// trip is bound by its stores (about one a cycle to distinct lines on the
// machines measured), not by its other instructions.
func (t *translator) storeIfNot(base *ir.Value, off int64, x *ir.Value) {
	set, join := t.newBlock(ir.BlockPlain), t.newBlock(ir.BlockPlain)
	set.Cold = true
	t.cur.Kind = ir.BlockIf
	t.cur.SetControls(t.icmp(ir.CondNe, t.load(x.Type, base, off), x))
	t.cur.AddEdgeTo(set)
	t.cur.AddEdgeTo(join)
	t.seal(set)
	t.cur = set
	t.store(base, off, x)
	t.jump(join)
	t.seal(join)
	t.cur = join
}

// load reads a typ field at base+off of a runtime record.
func (t *translator) load(typ ir.Type, base *ir.Value, off int64) *ir.Value {
	return t.cur.NewValueAux(ir.OpLoadRaw, typ, off, base)
}

// store writes x into the field at base+off of a runtime record.
func (t *translator) store(base *ir.Value, off int64, x *ir.Value) {
	t.cur.NewValueAux(ir.OpStoreRaw, ir.Void, off, base, x)
}

// add is base + off (i64).
func (t *translator) add(base *ir.Value, off int64) *ir.Value {
	return t.cur.NewValue(ir.OpAdd, ir.I64, base, t.constI64(uint64(off)))
}

// icmp compares two values of one type.
func (t *translator) icmp(c ir.Cond, x, y *ir.Value) *ir.Value {
	return t.cur.NewValueAux(ir.OpICmp, ir.I32, int64(c), x, y)
}

// slots is the number of 8-byte message slots of values of types ts.
func slots(ts []ir.Type) int64 {
	n := int64(0)
	for _, typ := range ts {
		n += int64((typ.Size() + 7) / 8)
	}
	return n
}

// storeValues writes vals as message values at base (after the header).
func (t *translator) storeValues(base *ir.Value, vals []*ir.Value) {
	off := int64(8 * abi.MsgHeader)
	for _, v := range vals {
		t.store(base, off, v)
		off += 8 * slots([]ir.Type{v.Type})
	}
}

// loadValues reads values of types ts from the message at base.
func (t *translator) loadValues(base *ir.Value, ts []ir.Type) []*ir.Value {
	off := int64(8 * abi.MsgHeader)
	out := make([]*ir.Value, len(ts))
	for i, typ := range ts {
		out[i] = t.load(typ, base, off)
		off += 8 * slots([]ir.Type{typ})
	}
	return out
}

// message writes vals into a message going up (to a resume) in the frame
// area and returns its address, or 0 when there are no values (the
// receiver reads none): the record it names and its kind travel in
// registers of their own (ir.SwitchUp), so its header slots stay unused.
func (t *translator) message(vals []*ir.Value) *ir.Value {
	if len(vals) == 0 {
		return t.constI64(0)
	}
	var ts []ir.Type
	for _, v := range vals {
		ts = append(ts, v.Type)
	}
	area := t.frameArea(8*(abi.MsgHeader+slots(ts)), 0)
	t.storeValues(area, vals)
	return area
}

// frameArea is the address off bytes into the frame's outgoing area of at
// least size bytes.
func (t *translator) frameArea(size, off int64) *ir.Value {
	v := t.cur.NewValueAux(ir.OpFrameArea, ir.I64, size)
	v.Aux2 = off
	return v
}

// topOf is the top of record r's stack, abi.ContCtxSize bytes above its
// control context (stack_switch's SwitchStoreTop and SwitchLoadTop fold
// that offset).
func (t *translator) topOf(r *ir.Value) *ir.Value {
	return t.load(ir.I64, r, abi.ContStackTop)
}

// suspOf is the address of record r's ContSusp, the suspension point of
// the chain it heads: r itself.
func suspOf(r *ir.Value) *ir.Value { return r }

// ContSusp is at offset 0 of a record (suspOf).
var _ [0]struct{} = [abi.ContSusp]struct{}{}

// trapIf ends the current block with a branch to a trap with code when
// cond (i32) is non-zero, and continues in a new block.
func (t *translator) trapIf(cond *ir.Value, code int64, pos int) {
	trap := t.newBlock(ir.BlockTrap)
	trap.Aux = code
	trap.Pos = int32(pos)
	next := t.newBlock(ir.BlockPlain)
	t.cur.Kind = ir.BlockIf
	t.cur.SetControls(cond)
	t.cur.AddEdgeTo(trap)
	t.cur.AddEdgeTo(next)
	t.seal(trap)
	t.seal(next)
	t.cur = next
}

// jump ends the current block with a jump to b.
func (t *translator) jump(b *ir.Block) {
	t.cur.Kind = ir.BlockPlain
	t.cur.AddEdgeTo(b)
}

// consume checks continuation reference k (null, already consumed) and
// bumps its record's revision; it returns the record.
func (t *translator) consume(k *ir.Value, pos int) *ir.Value {
	r, rev := t.checkLive(k, pos)
	t.markConsumed(r, rev)
	return r
}

// checkLive traps unless k refers to a live continuation and returns its
// record and revision.
func (t *translator) checkLive(k *ir.Value, pos int) (r, rev *ir.Value) {
	r = t.val(ir.OpContPtr, ir.Ref, pos, k)
	t.trapIf(t.icmp(ir.CondEq, r, t.constant(ir.Ref, 0)), abi.TrapNullCont, pos)
	rev = t.val(ir.OpContRev, ir.I64, pos, k)
	t.trapIf(t.icmp(ir.CondNe, t.load(ir.I64, r, abi.ContRevision), rev), abi.TrapContConsumed, pos)
	return r, rev
}

// markConsumed bumps record r's revision past rev, so every reference
// to it traps from now on.
func (t *translator) markConsumed(r, rev *ir.Value) {
	t.store(r, abi.ContRevision, t.cur.NewValue(ir.OpAdd, ir.I64, rev, t.constI64(1)))
}

// contRef is a reference to record r with its current revision.
func (t *translator) contRef(r *ir.Value) *ir.Value {
	return t.cur.NewValue(ir.OpContMake, ir.Cont, r, t.load(ir.I64, r, abi.ContRevision))
}

// contFunc returns the function type of continuation type ct.
func (t *translator) contFunc(ct uint32) *CompType {
	return &t.m.Types[t.m.Types[ct].Comp.Cont].Comp
}

// types maps wasm value types, failing as unsupported.
func (t *translator) types(ts []ValType, pos int) ([]ir.Type, error) {
	out, ok := IRTypes(t.m, ts)
	if !ok {
		return nil, t.unsupported(pos, "continuations with vector or GC types")
	}
	return out, nil
}

// tagID loads the identity of tag i: inside a loop once, in the entry
// block (it is the instance's, fixed for its life), so that a suspend or
// resume in a loop reloads it from a frame slot instead of reloading the
// vmctx and then the field, elsewhere where it is used.
func (t *translator) tagID(i uint32) *ir.Value {
	off := int64(t.layout.Tag(int(i)))
	if !t.inLoop() {
		return t.load(ir.I64, t.vmctx, off)
	}
	return t.atEntry(entryTagKey-int64(i), func(entry *ir.Block) *ir.Value {
		return entry.NewValueAux(ir.OpLoadRaw, ir.I64, off, t.vmctx)
	})
}

// entryTagKey - i is the key of tag i's identity among the entryFields
// (below entryTopKey, so no ectx offset).
const entryTagKey = entryTopKey - 1

// ---- instructions ----

// contNew: a record from the free list (or, when it is empty, a new one
// from rt), prepared to enter ContEntry of the function type.
func (t *translator) contNew(ct uint32, pos int) error {
	ft := t.m.Types[ct].Comp.Cont
	rec := t.pop()
	t.trapIf(t.icmp(ir.CondEq, rec, t.constant(ir.Ref, 0)), abi.TrapNullFuncRef, pos)
	e := t.ectx()
	free := t.load(ir.Ref, e, abi.EctxContFree)
	fast, slow, join := t.newBlock(ir.BlockPlain), t.newBlock(ir.BlockPlain), t.newBlock(ir.BlockPlain)
	t.cur.Kind = ir.BlockIf
	t.cur.SetControls(t.icmp(ir.CondNe, free, t.constant(ir.Ref, 0)))
	t.cur.AddEdgeTo(fast)
	t.cur.AddEdgeTo(slow)
	t.seal(fast)
	t.seal(slow)
	t.cur = fast
	t.store(t.ectx(), abi.EctxContFree, t.load(ir.Ref, free, abi.ContParent))
	t.jump(join)
	t.cur = slow
	fresh := t.libcall(pos, abi.LibcallContNew, ir.Ref)
	t.jump(join)
	t.seal(join)
	t.cur = join
	r := join.InsertPhi(ir.Ref)
	r.AddArg(free)
	r.AddArg(fresh)
	t.store(r, abi.ContState, t.constI64(abi.ContFresh))
	t.store(r, abi.ContFuncRef, rec)
	t.store(r, abi.ContParent, t.constant(ir.Ref, 0))
	t.store(r, abi.ContLeaf, r)
	t.store(r, abi.ContNArgs, t.constI64(0))
	top := t.load(ir.I64, r, abi.ContStackTop)
	t.store(r, abi.ContSusp+abi.StackCtxSP, t.add(top, -abi.FibreEntrySP))
	t.store(r, abi.ContSusp+abi.StackCtxFP, t.add(top, -abi.FibreEntryFP))
	entry := t.cur.NewValueAux(ir.OpFuncAddr, ir.I64, int64(ContEntryIndex(t.m, ft)))
	t.store(r, abi.ContSusp+abi.StackCtxIP, entry)
	t.store(top, -abi.FibreEntrySP, t.cur.NewValue(ir.OpFibreRoot, ir.I64))
	k := t.contRef(r)
	t.push(k)
	t.freshNext = k
	return nil
}

// deliver writes vals as the values of a downward message to record r:
// into the frame area at area (8*MsgHeader + the values) when r has no
// bound values, else after them in r's payload buffer. It returns the
// message address. With no values, the message is r's payload buffer,
// whatever its count (its bound values, if any, are the message's; a
// receiver reads no header going down), so there is nothing to branch on.
func (t *translator) deliver(r, area *ir.Value, vals []*ir.Value) *ir.Value {
	if len(vals) == 0 {
		buf := t.load(ir.I64, r, abi.ContArgs)
		t.storeIfNot(r, abi.ContNArgs, t.constI64(0))
		return buf
	}
	nb := t.load(ir.I64, r, abi.ContNArgs)
	fast, slow, join := t.newBlock(ir.BlockPlain), t.newBlock(ir.BlockPlain), t.newBlock(ir.BlockPlain)
	t.cur.Kind = ir.BlockIf
	t.cur.SetControls(t.icmp(ir.CondEq, nb, t.constI64(0)))
	t.cur.AddEdgeTo(fast)
	t.cur.AddEdgeTo(slow)
	t.seal(fast)
	t.seal(slow)
	t.cur = fast
	t.storeValues(area, vals)
	t.jump(join)
	t.cur = slow // after the bound values, in r's payload buffer
	buf := t.load(ir.I64, r, abi.ContArgs)
	t.storeValues(t.cur.NewValue(ir.OpAdd, ir.I64, buf, t.cur.NewValue(ir.OpShl, ir.I64, nb, t.constI64(3))), vals)
	t.store(r, abi.ContNArgs, t.constI64(0))
	t.jump(join)
	t.seal(join)
	t.cur = join
	msg := join.InsertPhi(ir.I64)
	msg.AddArg(area)
	msg.AddArg(buf)
	return msg
}

// contBind: the bound values go to the record's payload buffer (grown by
// rt when too small for them and the values still to come).
func (t *translator) contBind(ct1, ct2 uint32, pos int) error {
	f1, f2 := t.contFunc(ct1), t.contFunc(ct2)
	n := len(f1.Params) - len(f2.Params)
	bound, err := t.types(f1.Params[:n], pos)
	if err != nil {
		return err
	}
	rest, err := t.types(f2.Params, pos)
	if err != nil {
		return err
	}
	k := t.pop()
	vals := t.popN(n)
	if k == t.fresh {
		return t.bindFresh(k, vals, slots(bound), slots(bound)+slots(rest), pos)
	}
	r := t.consume(k, pos)
	nb := t.load(ir.I64, r, abi.ContNArgs)
	need := t.cur.NewValue(ir.OpAdd, ir.I64, nb, t.constI64(uint64(abi.MsgHeader+slots(bound)+slots(rest))))
	t.ensureArgs(r, need, pos)
	nb = t.load(ir.I64, r, abi.ContNArgs)
	buf := t.load(ir.I64, r, abi.ContArgs)
	t.storeValues(t.cur.NewValue(ir.OpAdd, ir.I64, buf, t.cur.NewValue(ir.OpShl, ir.I64, nb, t.constI64(3))), vals)
	t.store(r, abi.ContNArgs, t.cur.NewValue(ir.OpAdd, ir.I64, nb, t.constI64(uint64(slots(bound)))))
	t.push(t.contRef(r))
	return nil
}

// ensureArgs grows record r's payload buffer to need slots (an i64) when
// it has fewer.
func (t *translator) ensureArgs(r, need *ir.Value, pos int) {
	grow, join := t.newBlock(ir.BlockPlain), t.newBlock(ir.BlockPlain)
	t.cur.Kind = ir.BlockIf
	t.cur.SetControls(t.icmp(ir.CondLtU, t.load(ir.I64, r, abi.ContArgsCap), need))
	t.cur.AddEdgeTo(grow)
	t.cur.AddEdgeTo(join)
	t.seal(grow)
	t.cur = grow
	t.libcall(pos, abi.LibcallContArgs, ir.Void, r, need)
	t.jump(join)
	t.seal(join)
	t.cur = join
}

// bindFresh is cont.bind of reference k, which the cont.new just before
// made: nothing else can refer to it, so it needs no null or revision
// check, and consuming it needs no new revision (the reference k is
// gone with the instruction); it has no bound values yet. vals go to the
// payload buffer (nb slots), which needs room for all slots of values: a
// check and a libcall only beyond the ContArgsMin slots it always has.
func (t *translator) bindFresh(k *ir.Value, vals []*ir.Value, nb, all int64, pos int) error {
	r := k.Args[0] // contRef's record
	if abi.MsgHeader+all > abi.ContArgsMin {
		t.ensureArgs(r, t.constI64(uint64(abi.MsgHeader+all)), pos)
	}
	t.storeValues(t.load(ir.I64, r, abi.ContArgs), vals)
	t.store(r, abi.ContNArgs, t.constI64(uint64(nb)))
	t.push(k)
	return nil
}

// resume runs the continuation as a child under its handlers, then
// dispatches on the message that comes back. resume gives it values;
// resume_throw and resume_throw_ref an exception to throw at its
// suspension point (MsgThrow) — or, when it never ran, here: it is
// consumed and the exception leaves it at once.
func (t *translator) resume(in *Instr, pos int) error {
	ct, hs := in.Idx[0], append([]Handler(nil), in.Handlers...) // the reader reuses in.Handlers
	ft := t.contFunc(ct)
	results, err := t.types(ft.Results, pos)
	if err != nil {
		return err
	}
	var params []ir.Type // of the message's values
	switch in.Op {
	case OpResume:
		if params, err = t.types(ft.Params, pos); err != nil {
			return err
		}
	case OpResumeThrow:
		if params, err = t.types(t.m.TagType(in.Idx[1]).Params, pos); err != nil {
			return err
		}
	default:
		params = []ir.Type{ir.Ref}
	}
	k := t.pop()
	args := t.popN(len(params))
	if in.Op == OpResumeThrowRef { // the exnref is checked first
		x := t.val(ir.OpRefAsNonNull, ir.Ref, pos, args[0])
		x.Aux = abi.TrapNullExnRef
		args[0] = x
	}
	r := t.consume(k, pos)
	table := int64(8 * (1 + len(hs)))
	size := table + 8*(abi.MsgHeader+max(slots(params), throwArgs+slots(params)))
	var msg *ir.Value
	if in.Op == OpResume {
		msg = t.deliver(r, t.frameArea(size, table), args)
	} else {
		var exn *ir.Value
		if in.Op == OpResumeThrow {
			exn = t.newExn(in.Idx[1], args, size, pos)
		} else {
			exn = args[0]
		}
		if err := t.throwIfFresh(r, exn, pos); err != nil {
			return err
		}
		area := t.frameArea(size, table)
		t.store(area, 8*abi.MsgHeader, exn)
		t.store(r, abi.ContNArgs, t.constI64(0))
		msg = t.add(area, abi.MsgThrowBit)
	}

	// The handler table, suspend clauses first.
	var sus, sw []Handler
	for _, h := range hs {
		if h.Switch {
			sw = append(sw, h)
		} else {
			sus = append(sus, h)
		}
	}
	// At most one suspend clause and no switch clause: no table, the
	// clause is ContTag0 alone (ContHandlers 0).
	tag0 := t.constI64(0)
	if len(sus) > 0 {
		tag0 = t.tagID(sus[0].Tag)
	}
	if len(sus) <= 1 && len(sw) == 0 {
		t.store(r, abi.ContHandlers, t.constI64(0))
	} else {
		area := t.frameArea(size, 0)
		t.store(area, 0, t.constI64(uint64(len(sus))|uint64(len(sw))<<32))
		for i, h := range append(append([]Handler(nil), sus...), sw...) {
			id := tag0
			if i > 0 || len(sus) == 0 {
				id = t.tagID(h.Tag)
			}
			t.store(area, int64(8*(1+i)), id)
		}
		t.store(r, abi.ContHandlers, area)
	}
	t.store(r, abi.ContTag0, tag0)

	res, who, kind, err := t.runChild(r, msg, pos)
	if err != nil {
		return err
	}

	// Dispatch: 0 returned, 1+i suspended to clause i.
	sw0 := t.cur
	ret := t.newBlock(ir.BlockPlain)
	switch len(sus) {
	case 0:
		sw0.Kind = ir.BlockPlain
	case 1:
		sw0.Kind = ir.BlockIf
		sw0.SetControls(t.icmp(ir.CondEq, kind, t.constant(ir.I32, 0)))
	default:
		sw0.Kind = ir.BlockSwitch
		sw0.SetControls(kind)
	}
	sw0.AddEdgeTo(ret)
	t.seal(ret)
	for _, h := range sus {
		fr, err := t.labelFrame(h.Label)
		if err != nil {
			return err
		}
		hb := t.newBlock(ir.BlockPlain)
		sw0.AddEdgeTo(hb)
		t.seal(hb)
		t.cur = hb
		var payload []ir.Type
		for _, phi := range fr.labelPhis[:len(fr.labelPhis)-1] {
			payload = append(payload, phi.Type)
		}
		vals := append(t.loadValues(res, payload), t.contRef(who))
		t.edge(hb, fr.label, fr.labelPhis, vals)
	}
	if len(sus) > 1 { // the switch's default: no other kind is sent
		bad := t.newBlock(ir.BlockTrap)
		bad.Aux = abi.TrapUnreachable
		bad.Pos = int32(pos)
		sw0.AddEdgeTo(bad)
		t.seal(bad)
	}

	t.cur = ret
	vals := t.loadValues(res, results)
	t.freeCont(who)
	for _, v := range vals {
		t.push(v)
	}
	return nil
}

// runChild makes record r (whose handlers are set) the child of the running
// stack and switches to it with message msg; it returns the message that
// comes back (its payload), the record it names and its kind (registers,
// ir.SwitchUp), with the running stack's current
// record and limit restored (entryField: this frame's own, loaded at its
// entry). That record (the one that returned, or the root of the
// suspended chain) is a child of this resume, so its ContParent is that
// current record.
func (t *translator) runChild(r, msg *ir.Value, pos int) (res, who, kind *ir.Value, err error) {
	e := t.ectx()
	cur := t.entryField(ir.Ref, abi.EctxContCurrent)
	lim := t.entryField(ir.I64, abi.EctxStackLimit)
	t.store(r, abi.ContParent, cur)
	leaf := t.load(ir.Ref, r, abi.ContLeaf)
	t.store(e, abi.EctxContCurrent, leaf)
	t.store(e, abi.EctxStackLimit, t.load(ir.I64, leaf, abi.ContStackLimit))
	// Continue at the chain's suspension point; r's stack's context (the
	// root frame record) gets this resume point.
	res = t.val(ir.OpStackSwitch, ir.Tuple, pos, t.topOf(r), suspOf(r), msg)
	res.Results = ir.SwitchUp
	res.Aux2 = ir.SwitchStoreTop
	payload := t.cur.NewValueAux(ir.OpResult, ir.I64, 0, res)
	who = t.cur.NewValueAux(ir.OpResult, ir.Ref, 1, res)
	kind = t.cur.NewValueAux(ir.OpResult, ir.I32, 2, res)
	// An exception the child does not catch comes back to this switch:
	// try_table clauses in force here catch it (rt restores the current
	// record and limit then).
	if err := t.invoke(res); err != nil {
		return nil, nil, nil, err
	}
	e = t.ectx()
	t.store(e, abi.EctxContCurrent, cur) // who's ContParent
	t.store(e, abi.EctxStackLimit, lim)
	return payload, who, kind, nil
}

// throwArgs is the number of argument slots of LibcallExnNew before its
// payload in the frame area.
const throwArgs = 3

// newExn makes an exception of tag with payload vals (LibcallExnNew, the
// payload in the frame area of size bytes after the libcall's arguments)
// and returns its exnref.
func (t *translator) newExn(tag uint32, vals []*ir.Value, size int64, pos int) *ir.Value {
	buf := t.frameArea(size, 8*throwArgs)
	off := int64(0)
	for _, v := range vals {
		if v.Type.Size() < 8 { // a slot holds the zero-extended bits
			t.store(buf, off, t.constI64(0))
		}
		t.store(buf, off, v)
		off += 8 * slots([]ir.Type{v.Type})
	}
	return t.libcall(pos, abi.LibcallExnNew, ir.Ref, t.constI64(uint64(tag)), buf, t.constI64(uint64(off/8)))
}

// throwIfFresh throws exn here when continuation record r never ran:
// resume_throw runs none of its code; the continuation is consumed.
func (t *translator) throwIfFresh(r, exn *ir.Value, pos int) error {
	fresh, next := t.newBlock(ir.BlockPlain), t.newBlock(ir.BlockPlain)
	t.cur.Kind = ir.BlockIf
	t.cur.SetControls(t.icmp(ir.CondEq, t.load(ir.I64, r, abi.ContState), t.constI64(abi.ContFresh)))
	t.cur.AddEdgeTo(fresh)
	t.cur.AddEdgeTo(next)
	t.seal(fresh)
	t.seal(next)
	t.cur = fresh
	t.freeCont(r)
	if err := t.throwExnref(exn, pos); err != nil {
		return err
	}
	t.cur = next
	return nil
}

// throwExnref ends the current block by throwing exnref exn (non-null).
func (t *translator) throwExnref(exn *ir.Value, pos int) error {
	v := t.libcall(pos, abi.LibcallThrowRef, ir.Void, exn)
	if err := t.invoke(v); err != nil {
		return err
	}
	t.cur.Kind = ir.BlockTrap
	t.cur.Aux = abi.TrapUnreachable
	t.cur.Pos = int32(pos)
	return nil
}

// received continues at a suspension point after the switch back to it
// with message res: a MsgThrow message throws its exception here.
func (t *translator) received(res *ir.Value, pos int) error {
	thr, next := t.newBlock(ir.BlockPlain), t.newBlock(ir.BlockPlain)
	t.cur.Kind = ir.BlockIf
	t.cur.SetControls(t.icmp(ir.CondNe, t.cur.NewValue(ir.OpAnd, ir.I64, res, t.constI64(abi.MsgThrowBit)), t.constI64(0)))
	t.cur.AddEdgeTo(thr)
	t.cur.AddEdgeTo(next)
	t.seal(thr)
	t.seal(next)
	t.cur = thr
	if err := t.throwExnref(t.load(ir.Ref, res, 8*abi.MsgHeader-abi.MsgThrowBit), pos); err != nil {
		return err
	}
	t.cur = next
	return nil
}

// freeCont gives the record of a returned continuation back to the free
// list.
func (t *translator) freeCont(r *ir.Value) {
	e := t.ectx()
	t.store(r, abi.ContState, t.constI64(abi.ContReturned))
	t.store(r, abi.ContParent, t.load(ir.Ref, e, abi.EctxContFree))
	t.store(e, abi.EctxContFree, r)
}

// search finds the innermost handler of tag identity id among the
// handler tables of the running chain from s0 (the current record): suspend clauses, or switch clauses when
// sw. It returns the record whose resume has the clause (the root of what
// will be captured) and the clause's index among the suspend clauses; no
// handler traps "unhandled tag" at pos. A suspension first compares the
// innermost table's first clause (ContTag0), the common case.
//
// For a suspension, top is the top of root's stack, above the control
// context to switch through; top0 makes s0's on the fast path (s0 not
// null).
//
// The fast path (a suspension's handler is s0's innermost clause) ends in
// block hit, which the caller continues with root s0, index 0 and top
// hitTop; the other paths end in t.cur, with root, index and top phis.
func (t *translator) search(s0 *ir.Value, top0 func() *ir.Value, id *ir.Value, sw bool, pos int) (root, index, top *ir.Value, hit *ir.Block, hitTop *ir.Value) {
	var fast, done *ir.Block
	if !sw {
		fast, done, hit = t.newBlock(ir.BlockPlain), t.newBlock(ir.BlockPlain), t.newBlock(ir.BlockPlain)
		slow := t.newBlock(ir.BlockPlain)
		t.cur.Kind = ir.BlockIf
		t.cur.SetControls(t.icmp(ir.CondEq, s0, t.constant(ir.Ref, 0)))
		t.cur.AddEdgeTo(slow)
		t.cur.AddEdgeTo(fast)
		t.seal(fast)
		t.cur = fast
		hitTop = top0()
		// slow first, here and above: in reverse postorder the search's
		// blocks then come before hit, which falls through into the
		// code after it (the fast path's one jump is to hit).
		fast.Kind = ir.BlockIf
		fast.SetControls(t.icmp(ir.CondNe, t.load(ir.I64, s0, abi.ContTag0), id))
		fast.AddEdgeTo(slow)
		fast.AddEdgeTo(hit)
		t.seal(hit)
		t.seal(slow)
		t.cur = slow
	}
	outer := t.newBlock(ir.BlockPlain)
	outer.Loop = true
	t.jump(outer)
	t.cur = outer
	s := outer.InsertPhi(ir.Ref)
	s.AddArg(s0)
	t.trapIf(t.icmp(ir.CondEq, s, t.constant(ir.Ref, 0)), abi.TrapUnhandledTag, pos)
	h := t.load(ir.I64, s, abi.ContHandlers)
	// No table (ContHandlers 0): ContTag0 is the only clause, a suspend
	// clause (0: none).
	table, notable := t.newBlock(ir.BlockPlain), t.newBlock(ir.BlockPlain)
	parent := t.newBlock(ir.BlockPlain)
	t.cur.Kind = ir.BlockIf
	t.cur.SetControls(t.icmp(ir.CondEq, h, t.constI64(0)))
	t.cur.AddEdgeTo(notable)
	t.cur.AddEdgeTo(table)
	t.seal(notable)
	t.seal(table)
	var hit0 *ir.Block
	t.cur = notable
	if sw {
		t.jump(parent)
	} else {
		hit0 = t.newBlock(ir.BlockPlain)
		notable.Kind = ir.BlockIf
		notable.SetControls(t.icmp(ir.CondEq, t.load(ir.I64, s, abi.ContTag0), id))
		notable.AddEdgeTo(hit0)
		notable.AddEdgeTo(parent)
		t.seal(hit0)
	}
	t.cur = table
	ns := t.cur.NewValue(ir.OpExtendU, ir.I64, t.load(ir.I32, h, 0))
	lo, hi := t.constI64(0), ns
	if sw {
		nw := t.cur.NewValue(ir.OpExtendU, ir.I64, t.load(ir.I32, h, 4))
		lo, hi = ns, t.cur.NewValue(ir.OpAdd, ir.I64, ns, nw)
	}
	inner := t.newBlock(ir.BlockPlain)
	inner.Loop = true
	t.jump(inner)
	t.cur = inner
	i := inner.InsertPhi(ir.I64)
	i.AddArg(lo)
	next, test := t.newBlock(ir.BlockPlain), t.newBlock(ir.BlockPlain)
	inner.Kind = ir.BlockIf
	inner.SetControls(t.icmp(ir.CondEq, i, hi))
	inner.AddEdgeTo(next)
	inner.AddEdgeTo(test)
	t.seal(next)
	t.seal(test)
	// next: the parent's tables.
	t.cur = next
	t.jump(parent)
	t.seal(parent)
	t.cur = parent
	s.AddArg(t.load(ir.Ref, s, abi.ContParent))
	t.jump(outer)
	t.seal(outer)
	// test: clause i.
	t.cur = test
	slot := t.cur.NewValue(ir.OpAdd, ir.I64, h, t.cur.NewValue(ir.OpShl, ir.I64, i, t.constI64(3)))
	found, step := t.newBlock(ir.BlockPlain), t.newBlock(ir.BlockPlain)
	test.Kind = ir.BlockIf
	test.SetControls(t.icmp(ir.CondEq, t.load(ir.I64, slot, 8), id))
	test.AddEdgeTo(found)
	test.AddEdgeTo(step)
	t.seal(found)
	t.seal(step)
	t.cur = step
	i.AddArg(t.cur.NewValue(ir.OpAdd, ir.I64, i, t.constI64(1)))
	t.jump(inner)
	t.seal(inner)
	t.cur = found
	if sw {
		return s, i, nil, nil, nil
	}
	top1 := t.topOf(s)
	t.jump(done)
	t.cur = hit0
	zero0 := t.constI64(0)
	top2 := t.topOf(s)
	t.jump(done)
	t.seal(done)
	t.cur = done
	root, index, top = done.InsertPhi(ir.Ref), done.InsertPhi(ir.I64), done.InsertPhi(ir.I64)
	root.AddArg(s)
	root.AddArg(s)
	index.AddArg(i)
	index.AddArg(zero0)
	top.AddArg(top1)
	top.AddArg(top2)
	return root, index, top, hit, hitTop
}

// suspend sends the tag's values to the innermost handler and continues
// with the values it is resumed with.
func (t *translator) suspend(tag uint32, pos int) error {
	tt := &t.m.Types[t.m.TagTypeIdx[tag]].Comp
	params, err := t.types(tt.Params, pos)
	if err != nil {
		return err
	}
	results, err := t.types(tt.Results, pos)
	if err != nil {
		return err
	}
	vals := t.popN(len(params))
	// The current record is loaded here, not taken from the frame like
	// the stack top: a register for its uses on the way to the switch,
	// not a reload of a spilled value at each.
	cur := t.load(ir.Ref, t.ectx(), abi.EctxContCurrent)
	top0 := func() *ir.Value { return t.topOf(cur) } // on the fast path: cur is not null
	if t.inLoop() {
		top0 = t.entryTop // once per activation, not per iteration
	}
	msg := t.message(vals)
	r, i, top, hit, hitTop := t.search(cur, top0, t.tagID(tag), false, pos)
	// The switch is made twice: on the fast path its kind and record are
	// constants, and nothing waits for the phis of the search.
	send := func(r, kind, top *ir.Value) *ir.Value {
		if r == cur { // it is its own leaf unless a resume left another there
			t.storeIfNot(r, abi.ContLeaf, cur)
		} else {
			t.store(r, abi.ContLeaf, cur)
		}
		sw := t.val(ir.OpStackSwitch, ir.I64, pos, suspOf(r), top, msg, r, kind)
		sw.Aux2 = ir.SwitchLoadTop
		return sw
	}
	slowRes := send(r, t.cur.NewValue(ir.OpWrap, ir.I32, t.cur.NewValue(ir.OpAdd, ir.I64, i, t.constI64(1))), top)
	slowEnd := t.cur
	t.cur = hit
	fastRes := send(cur, t.constant(ir.I32, 1), hitTop)
	join := t.newBlock(ir.BlockPlain)
	t.jump(join)
	t.cur = slowEnd
	t.jump(join)
	t.seal(join)
	t.cur = join
	res := join.InsertPhi(ir.I64)
	res.AddArg(fastRes)
	res.AddArg(slowRes)
	if err := t.received(res, pos); err != nil {
		return err
	}
	for _, v := range t.loadValues(res, results) {
		t.push(v)
	}
	return nil
}

// switchTo suspends the chain up to the innermost switch handler of the
// tag and runs the target continuation in its place, handing it the
// suspended chain as its last argument.
func (t *translator) switchTo(ct1, tag uint32, pos int) error {
	f1 := t.contFunc(ct1)
	params, err := t.types(f1.Params, pos)
	if err != nil {
		return err
	}
	last := f1.Params[len(f1.Params)-1]
	results, err := t.types(t.contFunc(uint32(last.Heap)).Params, pos)
	if err != nil {
		return err
	}
	k := t.pop()
	args := t.popN(len(params) - 1)
	// The target is checked before the handler search but consumed only
	// once a switch handler is found: an unhandled tag traps and leaves
	// it live, as in the reference interpreter.
	target, rev := t.checkLive(k, pos)
	e := t.ectx()
	cur := t.entryField(ir.Ref, abi.EctxContCurrent)
	r, _, _, _, _ := t.search(cur, nil, t.tagID(tag), true, pos)
	t.markConsumed(target, rev)
	t.store(r, abi.ContLeaf, cur)
	parent := t.load(ir.Ref, r, abi.ContParent)
	t.store(r, abi.ContParent, t.constant(ir.Ref, 0))
	self := t.contRef(r)
	// The target takes r's place under the same handlers.
	t.store(target, abi.ContParent, parent)
	t.store(target, abi.ContHandlers, t.load(ir.I64, r, abi.ContHandlers))
	t.store(target, abi.ContTag0, t.load(ir.I64, r, abi.ContTag0))
	leaf := t.load(ir.Ref, target, abi.ContLeaf)
	t.store(e, abi.EctxContCurrent, leaf)
	t.store(e, abi.EctxStackLimit, t.load(ir.I64, leaf, abi.ContStackLimit))
	size := 8 * (abi.MsgHeader + slots(params))
	msg := t.deliver(target, t.frameArea(size, 0), append(args, self))
	// r's context (the handler's resume point, its root frame record)
	// goes to the target's stack; the switch saves this suspension point
	// in r's ContSusp and continues at the target's.
	ttop, rtop := t.topOf(target), t.topOf(r)
	for w := int64(-abi.ContCtxSize); w < 0; w += 8 {
		t.store(ttop, w, t.load(ir.I64, rtop, w))
	}
	res := t.val(ir.OpStackSwitch, ir.I64, pos, suspOf(r), suspOf(target), msg)
	if err := t.received(res, pos); err != nil {
		return err
	}
	for _, v := range t.loadValues(res, results) {
		t.push(v)
	}
	return nil
}
