package frontend

// Fuel metering: a deterministic budget of wasm instructions (like
// Wasmtime's consume_fuel). Off by default; objects compiled without it are
// unchanged.
//
// The ectx holds minus the fuel left (abi.EctxFuel). Within a function
// the counter is an SSA local (one more after the wasm locals, so the
// translator's phis carry it around loops in a register), loaded from
// the ectx at entry and after calls, and stored back before calls and on
// return. Each IR block that executes wasm instructions adds its cost
// once, where the code of its first instruction starts: one add per
// block, nothing else in straight-line code. Every instruction costs 1
// except nop, drop, block, loop, else, end, return and unreachable
// (Wasmtime's table). Function entries and loop headers — the poll
// sites, so every unbounded execution passes one — charge their block
// with fuel_check, which adds the cost and traps "all fuel consumed" when
// the sum is above 0 (an add and a branch to the out-of-line trap stub;
// rt then records the budget as used up, so the counter need not be in
// the ectx there):
//
//	(loop $l (br_if $l (local.get 0)))
//
// becomes, in the loop header,
//
//	v5 = phi v2 v7 (the counter); v7 = fuel_check [2] v5
//
// where the Aux counts the block's instructions as the translator meets
// them (local.get, br_if); other blocks add a constant (iadd) the same
// way. A while loop, whose header ends with the exit test, is charged
// once per iteration too: the block after the test is charged in the
// header's fuel_check, and the exit edge takes that cost back (fuelExit;
// the check may then trap up to that block's cost early, deterministically).
// testdata/fuel.wat and fuel.ir show the shapes.
//
// After a call the ectx holds the counter (the callee charged there); the
// reload is put off over straight-line instructions (fuelStraight), so
// that consecutive calls pass it on without a load and a store between
// them, and a store is left out when the ectx holds the value already.
//
// The count is exact along normal control flow. Two approximations, both
// deterministic: an exception caught in a landing block resumes with the
// counter as it was when last read before the call (what was used since
// is not charged), and after a trap other than "all fuel consumed" the
// ectx holds the counter as of the last store (before the last call or
// return).

import (
	"wfxc/ir"
	"wfxc/rt/abi"
)

// TranslateOptions change what Translate generates.
type TranslateOptions struct {
	Fuel bool // meter fuel (abi.EctxFuel, abi.TrapOutOfFuel)
}

// fuelState is the translator's fuel metering.
type fuelState struct {
	local   int                     // index of the fuel counter's SSA local (after the wasm locals)
	charges map[*ir.Block]*ir.Value // each charged block's cost (the Aux of a constant or a fuel_check)
	reload  bool                    // a call ran since the counter was read: ectx holds it
	inEctx  *ir.Value               // the counter value last stored in or loaded from the ectx…
	inBlock *ir.Block               // …in this block (where nothing else can have changed it since)
	comp    map[*ir.Block]*ir.Value // a loop body charged in its header: the constant taking its cost back on the exit
}

// fuelCost is the fuel an instruction costs.
func fuelCost(op byte) int64 {
	switch op {
	case OpNop, OpDrop, OpBlock, OpLoop, OpElse, OpEnd, OpReturn, OpUnreachable:
		return 0
	}
	return 1
}

// fuelCall reports whether op runs other code that uses the counter in
// the ectx (a call, or a switch to another stack).
func fuelCall(op ir.Op) bool {
	switch op {
	case ir.OpCall, ir.OpCallImport, ir.OpCallRef, ir.OpStackSwitch:
		return true
	}
	return false
}

// fuelStraight reports whether instruction op stays in the current block
// and does not read the counter (locals, globals, constants, memory
// accesses, numeric ops, drop, select, direct calls), so a reload after a
// call can wait until after it.
func fuelStraight(op byte) bool {
	switch {
	case op == OpCall, op == OpDrop, op == OpSelect,
		op >= OpLocalGet && op <= OpGlobalSet,
		op >= OpI32Load && op <= OpI64Store32,
		op >= OpI32Const && op <= OpI64Extend32S:
		return true
	}
	return false
}

// fuelStart starts metering at the function entry (after the wasm
// locals are declared): the counter local is loaded from the ectx, and
// the entry is a poll site.
func (t *translator) fuelStart(entry *ir.Block, pos int) {
	t.fuel.local = len(t.localTypes)
	t.localTypes = append(t.localTypes, ir.I64)
	t.fuelLoad(entry)
	t.fuelPoll(entry, pos)
}

// fuelLoad reads the counter from the ectx into the counter local in b.
func (t *translator) fuelLoad(b *ir.Block) {
	t.fuel.reload = false
	t.fuel.inEctx, t.fuel.inBlock = t.load(ir.I64, t.ectx(), abi.EctxFuel), b
	t.writeLocal(t.fuel.local, b, t.fuel.inEctx)
}

// fuelOp charges instruction in to the current block, after reloading
// the counter if a call ran since it was last read (unless in is
// straight-line code); a tail call stores it for the callee.
func (t *translator) fuelOp(in *Instr) {
	if t.fuel.reload && !fuelStraight(in.Op) {
		t.fuelLoad(t.cur)
	}
	if c := fuelCost(in.Op); c != 0 {
		t.fuelCharge(t.cur, in.Offset).Aux += c
		if k := t.fuel.comp[t.cur]; k != nil {
			k.Aux -= c
		}
	}
	switch in.Op {
	case OpReturnCall, OpReturnCallInd, OpReturnCallRef:
		t.fuelFlush()
	}
}

// fuelCharge returns the value whose Aux is the cost of the current block
// b, adding a constant to the counter local on first use.
func (t *translator) fuelCharge(b *ir.Block, pos int) *ir.Value {
	if c := t.fuel.charges[b]; c != nil {
		return c
	}
	c := t.constI64(0)
	t.fuelCount(b, t.val(ir.OpAdd, ir.I64, pos, t.fuelRead(b), c), c)
	return c
}

// fuelRead returns the counter in block b, reloading it from the ectx if
// a call ran since it was last read.
func (t *translator) fuelRead(b *ir.Block) *ir.Value {
	if t.fuel.reload {
		t.fuelLoad(b)
	}
	return t.readLocal(t.fuel.local, b)
}

// fuelCount makes x the counter in block b and cost's Aux b's cost.
func (t *translator) fuelCount(b *ir.Block, x, cost *ir.Value) {
	t.writeLocal(t.fuel.local, b, x)
	if t.fuel.charges == nil {
		t.fuel.charges = map[*ir.Block]*ir.Value{}
	}
	t.fuel.charges[b] = cost
}

// fuelFlush stores the counter local into the ectx (before a call, on
// return), unless the ectx holds it already: a call since the last read
// left it there, or the block (or its only predecessor) stored or loaded
// this value last.
func (t *translator) fuelFlush() {
	if t.fuel.reload {
		return
	}
	x := t.readLocal(t.fuel.local, t.cur)
	b := t.cur
	if len(b.Preds) == 1 && b.Preds[0] == t.fuel.inBlock {
		b = b.Preds[0]
	}
	if x == t.fuel.inEctx && b == t.fuel.inBlock {
		return
	}
	t.store(t.ectx(), abi.EctxFuel, x)
	t.fuel.inEctx, t.fuel.inBlock = x, t.cur
}

// fuelPoll charges poll site b (a function entry or loop header, the
// current block) with a fuel_check, which traps when the counter is above 0.
func (t *translator) fuelPoll(b *ir.Block, pos int) {
	c := t.val(ir.OpFuelCheck, ir.I64, pos, t.fuelRead(b))
	t.fuelCount(b, c, c)
}

// fuelExit is called when a br_if to frame fr ends the current block,
// whose fall-through successor is next. When the block is a loop header
// and fr lies outside the loop (the exit test of a while loop, `(loop $l
// (br_if $done …) … (br $l))`), next is charged in the header's
// fuel_check — one add per iteration instead of two — and the exit edge
// goes through a new block that takes next's cost back, which fuelExit
// returns; otherwise it returns the current block.
func (t *translator) fuelExit(fr *frame, next *ir.Block) *ir.Block {
	h := t.cur
	if c := t.fuel.charges[h]; c == nil || c.Op != ir.OpFuelCheck || !t.exitsLoop(fr, h) {
		return h
	}
	e := t.newBlock(ir.BlockPlain)
	h.AddEdgeTo(e)
	t.seal(e)
	k := e.NewValueAux(ir.OpConst, ir.I64, 0)
	x := e.NewValue(ir.OpAdd, ir.I64, t.readLocal(t.fuel.local, e), k)
	x.Pos = t.fuel.charges[h].Pos
	t.writeLocal(t.fuel.local, e, x)
	t.fuel.charges[next] = t.fuel.charges[h]
	if t.fuel.comp == nil {
		t.fuel.comp = map[*ir.Block]*ir.Value{}
	}
	t.fuel.comp[next] = k
	return e
}

// exitsLoop reports whether a branch to frame fr leaves the loop whose
// header is h.
func (t *translator) exitsLoop(fr *frame, h *ir.Block) bool {
	for i := len(t.frames) - 1; i >= 0; i-- {
		switch f := t.frames[i]; {
		case f == fr:
			return false // fr is inside the loop (or is the loop)
		case f.kind == frameLoop && f.label == h:
			return true
		}
	}
	return false
}

// fuelReturn stores the counter in the return block ret.
func (t *translator) fuelReturn(ret *ir.Block) {
	if len(ret.Preds) == 0 {
		return
	}
	t.cur = ret
	t.fuelFlush()
	t.cur = nil
}
