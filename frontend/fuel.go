package frontend

// Fuel metering: a deterministic budget of wasm instructions (like
// Wasmtime's consume_fuel). Off by default; objects compiled without it are
// unchanged.
//
// The ectx holds minus the fuel left (abi.EctxFuel). Within a function
// the counter is an SSA local (one more after the wasm locals, so the
// translator's phis carry it around loops in a register), loaded from
// the ectx at entry and after every call, and stored back before every
// call, at the poll sites and on return. Each IR block that executes wasm
// instructions adds its cost once, where the code of its first
// instruction starts; every instruction costs 1 except nop, drop, block,
// loop, else, end, return and unreachable (Wasmtime's table). Function
// entries and loop headers — the poll sites, so every unbounded execution
// passes one — charge their block, store the counter and trap "all fuel
// consumed" when it is above 0:
//
//	(loop $l (br_if $l (local.get 0)))
//
// becomes, in the loop header,
//
//	v5 = phi v2 v8 (the counter); v7 = const [2]; v8 = iadd v5 v7
//	v9 = ectx; store_raw [176] v9 v8
//	v10 = icmp [gt_s] v8 0; v11 = select v10 TrapOutOfFuel 0; trapnz v11
//
// where the constant's Aux counts the block's instructions as the
// translator meets them (local.get, br_if).
//
// The count is exact along normal control flow. Two approximations, both
// deterministic: an exception caught in a landing block resumes with the
// counter as it was at the call (what the callee used until it threw is
// not charged), and after a trap other than "all fuel consumed" the ectx
// holds the counter as of the last store.

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
	charges map[*ir.Block]*ir.Value // each charged block's cost constant
	reload  bool                    // a call ran since the counter was read: ectx holds it
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

// fuelStart starts metering at the function entry (after the wasm
// locals are declared): the counter local is loaded from the ectx, and
// the entry is a poll site.
func (t *translator) fuelStart(entry *ir.Block, pos int) {
	t.fuel.local = len(t.localTypes)
	t.localTypes = append(t.localTypes, ir.I64)
	t.writeLocal(t.fuel.local, entry, t.load(ir.I64, t.ectx(), abi.EctxFuel))
	t.fuelPoll(entry, pos)
}

// fuelOp charges instruction in to the current block, after reloading
// the counter if a call ran since it was last read; a tail call stores it
// for the callee.
func (t *translator) fuelOp(in *Instr) {
	if t.fuel.reload {
		t.fuel.reload = false
		t.writeLocal(t.fuel.local, t.cur, t.load(ir.I64, t.ectx(), abi.EctxFuel))
	}
	if c := fuelCost(in.Op); c != 0 {
		t.fuelCharge(t.cur, in.Offset).Aux += c
	}
	switch in.Op {
	case OpReturnCall, OpReturnCallInd, OpReturnCallRef:
		t.fuelFlush()
	}
}

// fuelCharge returns the cost constant of the current block b, adding it
// to the counter local on first use.
func (t *translator) fuelCharge(b *ir.Block, pos int) *ir.Value {
	if c := t.fuel.charges[b]; c != nil {
		return c
	}
	c := t.constI64(0)
	t.writeLocal(t.fuel.local, b, t.val(ir.OpAdd, ir.I64, pos, t.readLocal(t.fuel.local, b), c))
	if t.fuel.charges == nil {
		t.fuel.charges = map[*ir.Block]*ir.Value{}
	}
	t.fuel.charges[b] = c
	return c
}

// fuelFlush stores the counter local into the ectx (before a call, at a
// poll site, on return), unless a call since the last read left the
// ectx authoritative.
func (t *translator) fuelFlush() {
	if !t.fuel.reload {
		t.store(t.ectx(), abi.EctxFuel, t.readLocal(t.fuel.local, t.cur))
	}
}

// fuelPoll charges poll site b (a function entry or loop header, the
// current block), stores the counter and traps when it is above 0.
func (t *translator) fuelPoll(b *ir.Block, pos int) {
	t.fuelCharge(b, pos)
	t.fuelFlush()
	sum := t.readLocal(t.fuel.local, b)
	over := t.cur.NewValueAux(ir.OpICmp, ir.I32, int64(ir.CondGtS), sum, t.constI64(0))
	code := t.val(ir.OpSelect, ir.I32, pos, over, t.constant(ir.I32, abi.TrapOutOfFuel), t.constant(ir.I32, 0))
	t.val(ir.OpTrapNZ, ir.Void, pos, code)
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
