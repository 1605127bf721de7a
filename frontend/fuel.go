package frontend

// Fuel metering: a deterministic budget of wasm instructions (like
// Wasmtime's consume_fuel). Off by default; objects compiled without it are
// unchanged.
//
// The ectx holds minus the fuel left (abi.EctxFuel). Each IR block that
// executes wasm instructions adds its cost once, on entry to the code of its
// first instruction; every instruction costs 1 except nop, drop, block,
// loop, else, end, return and unreachable (Wasmtime's table). Function
// entries and loop headers — the poll sites, so every unbounded execution
// passes one — charge their block and trap "all fuel consumed" when the
// counter is above 0:
//
//	(loop $l (br_if $l (local.get 0)))
//
// becomes, in the loop header,
//
//	v5 = ectx; v6 = load_raw [176] v5; v7 = const [2]; v8 = iadd v6 v7
//	store_raw [176] v5 v8
//	v9 = icmp [gt_s] v8 0; v10 = select v9 TrapOutOfFuel 0; trapnz v10
//
// where the constant's Aux counts the block's instructions as the
// translator meets them (local.get, br_if).

import (
	"wfxc/ir"
	"wfxc/rt/abi"
)

// TranslateOptions change what Translate generates.
type TranslateOptions struct {
	Fuel bool // meter fuel (abi.EctxFuel, abi.TrapOutOfFuel)
}

// fuelState is the translator's fuel metering: the charge of each block
// charged so far.
type fuelState struct {
	charges map[*ir.Block]fuelCharge
}

// fuelCharge is a block's charge: its cost constant (Aux grows as the
// block's instructions are translated) and the counter after it.
type fuelCharge struct {
	cost, sum *ir.Value
}

// fuelCost is the fuel an instruction costs.
func fuelCost(op byte) int64 {
	switch op {
	case OpNop, OpDrop, OpBlock, OpLoop, OpElse, OpEnd, OpReturn, OpUnreachable:
		return 0
	}
	return 1
}

// fuelOp charges instruction in to the current block.
func (t *translator) fuelOp(in *Instr) {
	if c := fuelCost(in.Op); c != 0 {
		t.fuelCharge(t.cur, in.Offset).cost.Aux += c
	}
}

// fuelCharge returns the charge of the current block b, emitting it at
// the current end of b on first use.
func (t *translator) fuelCharge(b *ir.Block, pos int) fuelCharge {
	if ch, ok := t.fuel.charges[b]; ok {
		return ch
	}
	e := t.ectx()
	old := t.load(ir.I64, e, abi.EctxFuel)
	ch := fuelCharge{cost: t.constI64(0)}
	ch.sum = t.val(ir.OpAdd, ir.I64, pos, old, ch.cost)
	t.store(e, abi.EctxFuel, ch.sum)
	if t.fuel.charges == nil {
		t.fuel.charges = map[*ir.Block]fuelCharge{}
	}
	t.fuel.charges[b] = ch
	return ch
}

// fuelPoll charges poll site b (a function entry or loop header, the
// current block) and traps there when the fuel is used up.
func (t *translator) fuelPoll(b *ir.Block, pos int) {
	sum := t.fuelCharge(b, pos).sum
	over := t.cur.NewValueAux(ir.OpICmp, ir.I32, int64(ir.CondGtS), sum, t.constI64(0))
	code := t.val(ir.OpSelect, ir.I32, pos, over, t.constant(ir.I32, abi.TrapOutOfFuel), t.constant(ir.I32, 0))
	t.val(ir.OpTrapNZ, ir.Void, pos, code)
}
