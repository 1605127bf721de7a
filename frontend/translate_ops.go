package frontend

import (
	"wfxc/ir"
	"wfxc/rt/abi"
)

// opRow says how a stack-only wasm instruction maps to one IR value.
type opRow struct {
	op   ir.Op
	typ  ir.Type // result type
	args int
	cond ir.Cond // for comparisons
}

// simpleOps covers every instruction that pops args, pushes one value and
// has no immediates.
var simpleOps = map[byte]opRow{
	OpI32Eqz: {ir.OpEqz, ir.I32, 1, 0},
	OpI64Eqz: {ir.OpEqz, ir.I32, 1, 0},

	OpI32Eq: {ir.OpICmp, ir.I32, 2, ir.CondEq}, OpI32Ne: {ir.OpICmp, ir.I32, 2, ir.CondNe},
	OpI32LtS: {ir.OpICmp, ir.I32, 2, ir.CondLtS}, OpI32LtU: {ir.OpICmp, ir.I32, 2, ir.CondLtU},
	OpI32GtS: {ir.OpICmp, ir.I32, 2, ir.CondGtS}, OpI32GtU: {ir.OpICmp, ir.I32, 2, ir.CondGtU},
	OpI32LeS: {ir.OpICmp, ir.I32, 2, ir.CondLeS}, OpI32LeU: {ir.OpICmp, ir.I32, 2, ir.CondLeU},
	OpI32GeS: {ir.OpICmp, ir.I32, 2, ir.CondGeS}, OpI32GeU: {ir.OpICmp, ir.I32, 2, ir.CondGeU},
	OpI64Eq: {ir.OpICmp, ir.I32, 2, ir.CondEq}, OpI64Ne: {ir.OpICmp, ir.I32, 2, ir.CondNe},
	OpI64LtS: {ir.OpICmp, ir.I32, 2, ir.CondLtS}, OpI64LtU: {ir.OpICmp, ir.I32, 2, ir.CondLtU},
	OpI64GtS: {ir.OpICmp, ir.I32, 2, ir.CondGtS}, OpI64GtU: {ir.OpICmp, ir.I32, 2, ir.CondGtU},
	OpI64LeS: {ir.OpICmp, ir.I32, 2, ir.CondLeS}, OpI64LeU: {ir.OpICmp, ir.I32, 2, ir.CondLeU},
	OpI64GeS: {ir.OpICmp, ir.I32, 2, ir.CondGeS}, OpI64GeU: {ir.OpICmp, ir.I32, 2, ir.CondGeU},

	OpF32Eq: {ir.OpFCmp, ir.I32, 2, ir.CondEq}, OpF32Ne: {ir.OpFCmp, ir.I32, 2, ir.CondNe},
	OpF32Lt: {ir.OpFCmp, ir.I32, 2, ir.CondLt}, OpF32Gt: {ir.OpFCmp, ir.I32, 2, ir.CondGt},
	OpF32Le: {ir.OpFCmp, ir.I32, 2, ir.CondLe}, OpF32Ge: {ir.OpFCmp, ir.I32, 2, ir.CondGe},
	OpF64Eq: {ir.OpFCmp, ir.I32, 2, ir.CondEq}, OpF64Ne: {ir.OpFCmp, ir.I32, 2, ir.CondNe},
	OpF64Lt: {ir.OpFCmp, ir.I32, 2, ir.CondLt}, OpF64Gt: {ir.OpFCmp, ir.I32, 2, ir.CondGt},
	OpF64Le: {ir.OpFCmp, ir.I32, 2, ir.CondLe}, OpF64Ge: {ir.OpFCmp, ir.I32, 2, ir.CondGe},

	OpI32Clz: {ir.OpClz, ir.I32, 1, 0}, OpI32Ctz: {ir.OpCtz, ir.I32, 1, 0}, OpI32Popcnt: {ir.OpPopcnt, ir.I32, 1, 0},
	OpI32Add: {ir.OpAdd, ir.I32, 2, 0}, OpI32Sub: {ir.OpSub, ir.I32, 2, 0}, OpI32Mul: {ir.OpMul, ir.I32, 2, 0},
	OpI32DivS: {ir.OpDivS, ir.I32, 2, 0}, OpI32DivU: {ir.OpDivU, ir.I32, 2, 0},
	OpI32RemS: {ir.OpRemS, ir.I32, 2, 0}, OpI32RemU: {ir.OpRemU, ir.I32, 2, 0},
	OpI32And: {ir.OpAnd, ir.I32, 2, 0}, OpI32Or: {ir.OpOr, ir.I32, 2, 0}, OpI32Xor: {ir.OpXor, ir.I32, 2, 0},
	OpI32Shl: {ir.OpShl, ir.I32, 2, 0}, OpI32ShrS: {ir.OpShrS, ir.I32, 2, 0}, OpI32ShrU: {ir.OpShrU, ir.I32, 2, 0},
	OpI32Rotl: {ir.OpRotl, ir.I32, 2, 0}, OpI32Rotr: {ir.OpRotr, ir.I32, 2, 0},

	OpI64Clz: {ir.OpClz, ir.I64, 1, 0}, OpI64Ctz: {ir.OpCtz, ir.I64, 1, 0}, OpI64Popcnt: {ir.OpPopcnt, ir.I64, 1, 0},
	OpI64Add: {ir.OpAdd, ir.I64, 2, 0}, OpI64Sub: {ir.OpSub, ir.I64, 2, 0}, OpI64Mul: {ir.OpMul, ir.I64, 2, 0},
	OpI64DivS: {ir.OpDivS, ir.I64, 2, 0}, OpI64DivU: {ir.OpDivU, ir.I64, 2, 0},
	OpI64RemS: {ir.OpRemS, ir.I64, 2, 0}, OpI64RemU: {ir.OpRemU, ir.I64, 2, 0},
	OpI64And: {ir.OpAnd, ir.I64, 2, 0}, OpI64Or: {ir.OpOr, ir.I64, 2, 0}, OpI64Xor: {ir.OpXor, ir.I64, 2, 0},
	OpI64Shl: {ir.OpShl, ir.I64, 2, 0}, OpI64ShrS: {ir.OpShrS, ir.I64, 2, 0}, OpI64ShrU: {ir.OpShrU, ir.I64, 2, 0},
	OpI64Rotl: {ir.OpRotl, ir.I64, 2, 0}, OpI64Rotr: {ir.OpRotr, ir.I64, 2, 0},

	OpF32Abs: {ir.OpFAbs, ir.F32, 1, 0}, OpF32Neg: {ir.OpFNeg, ir.F32, 1, 0},
	OpF32Ceil: {ir.OpFCeil, ir.F32, 1, 0}, OpF32Floor: {ir.OpFFloor, ir.F32, 1, 0},
	OpF32Trunc: {ir.OpFTrunc, ir.F32, 1, 0}, OpF32Nearest: {ir.OpFNearest, ir.F32, 1, 0},
	OpF32Sqrt: {ir.OpFSqrt, ir.F32, 1, 0},
	OpF32Add:  {ir.OpFAdd, ir.F32, 2, 0}, OpF32Sub: {ir.OpFSub, ir.F32, 2, 0},
	OpF32Mul: {ir.OpFMul, ir.F32, 2, 0}, OpF32Div: {ir.OpFDiv, ir.F32, 2, 0},
	OpF32Min: {ir.OpFMin, ir.F32, 2, 0}, OpF32Max: {ir.OpFMax, ir.F32, 2, 0},
	OpF32Copysign: {ir.OpFCopysign, ir.F32, 2, 0},

	OpF64Abs: {ir.OpFAbs, ir.F64, 1, 0}, OpF64Neg: {ir.OpFNeg, ir.F64, 1, 0},
	OpF64Ceil: {ir.OpFCeil, ir.F64, 1, 0}, OpF64Floor: {ir.OpFFloor, ir.F64, 1, 0},
	OpF64Trunc: {ir.OpFTrunc, ir.F64, 1, 0}, OpF64Nearest: {ir.OpFNearest, ir.F64, 1, 0},
	OpF64Sqrt: {ir.OpFSqrt, ir.F64, 1, 0},
	OpF64Add:  {ir.OpFAdd, ir.F64, 2, 0}, OpF64Sub: {ir.OpFSub, ir.F64, 2, 0},
	OpF64Mul: {ir.OpFMul, ir.F64, 2, 0}, OpF64Div: {ir.OpFDiv, ir.F64, 2, 0},
	OpF64Min: {ir.OpFMin, ir.F64, 2, 0}, OpF64Max: {ir.OpFMax, ir.F64, 2, 0},
	OpF64Copysign: {ir.OpFCopysign, ir.F64, 2, 0},

	OpI32WrapI64:        {ir.OpWrap, ir.I32, 1, 0},
	OpI32TruncF32S:      {ir.OpTruncS, ir.I32, 1, 0},
	OpI32TruncF32U:      {ir.OpTruncU, ir.I32, 1, 0},
	OpI32TruncF64S:      {ir.OpTruncS, ir.I32, 1, 0},
	OpI32TruncF64U:      {ir.OpTruncU, ir.I32, 1, 0},
	OpI64ExtendI32S:     {ir.OpExtendS, ir.I64, 1, 0},
	OpI64ExtendI32U:     {ir.OpExtendU, ir.I64, 1, 0},
	OpI64TruncF32S:      {ir.OpTruncS, ir.I64, 1, 0},
	OpI64TruncF32U:      {ir.OpTruncU, ir.I64, 1, 0},
	OpI64TruncF64S:      {ir.OpTruncS, ir.I64, 1, 0},
	OpI64TruncF64U:      {ir.OpTruncU, ir.I64, 1, 0},
	OpF32ConvertI32S:    {ir.OpConvertS, ir.F32, 1, 0},
	OpF32ConvertI32U:    {ir.OpConvertU, ir.F32, 1, 0},
	OpF32ConvertI64S:    {ir.OpConvertS, ir.F32, 1, 0},
	OpF32ConvertI64U:    {ir.OpConvertU, ir.F32, 1, 0},
	OpF32DemoteF64:      {ir.OpDemote, ir.F32, 1, 0},
	OpF64ConvertI32S:    {ir.OpConvertS, ir.F64, 1, 0},
	OpF64ConvertI32U:    {ir.OpConvertU, ir.F64, 1, 0},
	OpF64ConvertI64S:    {ir.OpConvertS, ir.F64, 1, 0},
	OpF64ConvertI64U:    {ir.OpConvertU, ir.F64, 1, 0},
	OpF64PromoteF32:     {ir.OpPromote, ir.F64, 1, 0},
	OpI32ReinterpretF32: {ir.OpReinterpret, ir.I32, 1, 0},
	OpI64ReinterpretF64: {ir.OpReinterpret, ir.I64, 1, 0},
	OpF32ReinterpretI32: {ir.OpReinterpret, ir.F32, 1, 0},
	OpF64ReinterpretI64: {ir.OpReinterpret, ir.F64, 1, 0},
	OpI32Extend8S:       {ir.OpSignExt8, ir.I32, 1, 0},
	OpI32Extend16S:      {ir.OpSignExt16, ir.I32, 1, 0},
	OpI64Extend8S:       {ir.OpSignExt8, ir.I64, 1, 0},
	OpI64Extend16S:      {ir.OpSignExt16, ir.I64, 1, 0},
	OpI64Extend32S:      {ir.OpSignExt32, ir.I64, 1, 0},
}

// satOps maps 0xFC sub-opcodes 0–7.
var satOps = [8]opRow{
	{ir.OpTruncSatS, ir.I32, 1, 0}, {ir.OpTruncSatU, ir.I32, 1, 0},
	{ir.OpTruncSatS, ir.I32, 1, 0}, {ir.OpTruncSatU, ir.I32, 1, 0},
	{ir.OpTruncSatS, ir.I64, 1, 0}, {ir.OpTruncSatU, ir.I64, 1, 0},
	{ir.OpTruncSatS, ir.I64, 1, 0}, {ir.OpTruncSatU, ir.I64, 1, 0},
}

// memRow describes a load or store.
type memRow struct {
	op    ir.Op
	typ   ir.Type // loaded type, or stored value type
	store bool
}

var memOps = map[byte]memRow{
	OpI32Load: {ir.OpLoad, ir.I32, false}, OpI64Load: {ir.OpLoad, ir.I64, false},
	OpF32Load: {ir.OpLoad, ir.F32, false}, OpF64Load: {ir.OpLoad, ir.F64, false},
	OpI32Load8S: {ir.OpLoad8S, ir.I32, false}, OpI32Load8U: {ir.OpLoad8U, ir.I32, false},
	OpI32Load16S: {ir.OpLoad16S, ir.I32, false}, OpI32Load16U: {ir.OpLoad16U, ir.I32, false},
	OpI64Load8S: {ir.OpLoad8S, ir.I64, false}, OpI64Load8U: {ir.OpLoad8U, ir.I64, false},
	OpI64Load16S: {ir.OpLoad16S, ir.I64, false}, OpI64Load16U: {ir.OpLoad16U, ir.I64, false},
	OpI64Load32S: {ir.OpLoad32S, ir.I64, false}, OpI64Load32U: {ir.OpLoad32U, ir.I64, false},
	OpI32Store: {ir.OpStore, ir.I32, true}, OpI64Store: {ir.OpStore, ir.I64, true},
	OpF32Store: {ir.OpStore, ir.F32, true}, OpF64Store: {ir.OpStore, ir.F64, true},
	OpI32Store8: {ir.OpStore8, ir.I32, true}, OpI32Store16: {ir.OpStore16, ir.I32, true},
	OpI64Store8: {ir.OpStore8, ir.I64, true}, OpI64Store16: {ir.OpStore16, ir.I64, true},
	OpI64Store32: {ir.OpStore32, ir.I64, true},
}

// access emits the load or store row with in's memarg, popping its operands
// (address, then value for stores), and returns it; it returns nil when the
// access always traps (the block then ends in a trap).
func (t *translator) access(row memRow, in *Instr) (*ir.Value, error) {
	pos := in.Offset
	mem, off := in.Mem.Mem, in.Mem.Offset
	if int(mem) >= t.m.NumMemories() {
		return nil, &Error{Offset: pos, Msg: "unknown memory"}
	}
	is64 := t.m.MemoryType(mem).Is64
	if !is64 && off > 0xffffffff {
		return nil, &Error{Offset: pos, Msg: "offset out of range"}
	}
	if off >= maxMemoryBytes {
		// No memory is that large: the access always traps.
		t.popN(map[bool]int{true: 2, false: 1}[row.store])
		t.cur.Kind = ir.BlockTrap
		t.cur.Aux = abi.TrapMemoryOutOfBounds
		t.cur.Pos = int32(pos)
		t.setUnreachable()
		return nil, nil
	}
	var v *ir.Value
	if row.store {
		val := t.pop()
		addr := t.pop()
		v = t.val(row.op, ir.Void, pos, t.vmctx, addr, val)
	} else {
		addr := t.pop()
		v = t.val(row.op, row.typ, pos, t.vmctx, addr)
	}
	v.Aux = int64(off)
	v.Aux2 = int64(t.layout.MemoryBase(int(mem)))
	return v, nil
}

// maxMemoryBytes bounds every memory (2^48 bytes, the address space of
// today's 64-bit machines); larger static offsets always trap.
const maxMemoryBytes = 1 << 48

// emit translates one instruction in reachable code.
func (t *translator) emit(in *Instr) error {
	op, pos := in.Op, in.Offset
	if row, ok := simpleOps[op]; ok {
		args := t.popN(row.args)
		v := t.val(row.op, row.typ, pos, args...)
		v.Aux = int64(row.cond)
		t.push(v)
		return nil
	}
	if row, ok := memOps[op]; ok {
		v, err := t.access(row, in)
		if v != nil && !row.store {
			t.push(v)
		}
		return err
	}
	switch op {
	case OpThrow:
		return t.throw(in.Idx[0], pos)
	case OpThrowRef:
		return t.throwRef(pos)
	case OpUnreachable:
		t.cur.Kind = ir.BlockTrap
		t.cur.Aux = abi.TrapUnreachable
		t.cur.Pos = int32(pos)
		t.setUnreachable()
	case OpNop:
	case OpBr:
		fr, err := t.labelFrame(in.Idx[0])
		if err != nil {
			return err
		}
		t.branchTo(fr, t.cur)
		t.setUnreachable()
	case OpBrIf:
		fr, err := t.labelFrame(in.Idx[0])
		if err != nil {
			return err
		}
		t.branchIf(t.pop(), fr)
	case OpBrTable:
		idx := t.pop()
		t.cur.Kind = ir.BlockSwitch
		t.cur.SetControls(idx)
		for _, d := range in.Labels { // the last one is the default
			fr, err := t.labelFrame(d)
			if err != nil {
				return err
			}
			t.branchTo(fr, t.cur)
		}
		t.setUnreachable()
	case OpReturn:
		t.branchTo(t.frames[0], t.cur)
		t.setUnreachable()
	case OpCall:
		fn := in.Idx[0]
		if int(fn) >= t.m.NumFuncs() {
			return &Error{Offset: pos, Msg: "unknown function"}
		}
		return t.call(fn, pos)
	case OpDrop:
		t.pop()
	case OpSelect, OpSelectT:
		if op == OpSelectT { // in.Types is stale for a plain select
			for _, vt := range in.Types {
				if _, ok := IRType(t.m, vt); !ok {
					return t.unsupported(pos, "select of reference or vector types")
				}
			}
		}
		cond := t.pop()
		b := t.pop()
		a := t.pop()
		t.push(t.val(ir.OpSelect, a.Type, pos, cond, a, b))
	case OpLocalGet, OpLocalSet, OpLocalTee:
		i := in.Idx[0]
		if int(i) >= t.nlocals {
			return &Error{Offset: pos, Msg: "unknown local"}
		}
		switch op {
		case OpLocalGet:
			t.push(t.readLocal(int(i), t.cur))
		case OpLocalSet:
			t.writeLocal(int(i), t.cur, t.pop())
		default:
			t.writeLocal(int(i), t.cur, t.stack[len(t.stack)-1])
		}
	case OpGlobalGet, OpGlobalSet:
		g := in.Idx[0]
		if int(g) >= t.m.NumGlobals() {
			return &Error{Offset: pos, Msg: "unknown global"}
		}
		gt, ok := IRType(t.m, t.m.GlobalType(g).Type)
		if !ok {
			return t.unsupported(pos, "reference or vector globals")
		}
		indirect := int64(0)
		if int(g) < t.m.NumImportedGlobals {
			indirect = 1
		}
		var v *ir.Value
		if op == OpGlobalGet {
			v = t.val(ir.OpGlobalGet, gt, pos, t.vmctx)
			t.push(v)
		} else {
			v = t.val(ir.OpGlobalSet, ir.Void, pos, t.vmctx, t.pop())
		}
		v.Aux = int64(t.layout.Global(int(g)))
		v.Aux2 = indirect
	case OpMemorySize:
		mem := in.Idx[0]
		if int(mem) >= t.m.NumMemories() {
			return &Error{Offset: pos, Msg: "unknown memory"}
		}
		st := ir.I32
		if t.m.MemoryType(mem).Is64 {
			st = ir.I64
		}
		v := t.val(ir.OpMemorySize, st, pos, t.vmctx)
		v.Aux2 = int64(t.layout.MemoryBase(int(mem)))
		t.push(v)
	case OpI32Const:
		t.push(t.constant(ir.I32, uint64(uint32(in.Const)))) // in.Const is sign-extended
	case OpI64Const:
		t.push(t.constant(ir.I64, in.Const))
	case OpF32Const:
		t.push(t.constant(ir.F32, in.Const))
	case OpF64Const:
		t.push(t.constant(ir.F64, in.Const))
	case OpPrefixMisc:
		if in.Sub < uint32(len(satOps)) {
			row := satOps[in.Sub]
			t.push(t.val(row.op, row.typ, pos, t.pop()))
			return nil
		}
		return t.emitMisc(in)
	case OpContNew, OpContBind, OpSuspend, OpResume, OpResumeThrow, OpResumeThrowRef, OpSwitch:
		return t.emitCont(in)
	case OpPrefixSIMD:
		return t.emitSIMD(in) // translate_simd.go
	default:
		return t.emitRef(in)
	}
	return nil
}

// call emits a direct call to function fn.
func (t *translator) call(fn uint32, pos int) error {
	ft := t.m.FuncType(fn)
	results, ok1 := IRTypes(t.m, ft.Results)
	_, ok2 := IRTypes(t.m, ft.Params)
	if !ok1 || !ok2 {
		return t.unsupported(pos, "calls with reference or vector types")
	}
	args := append([]*ir.Value{t.vmctx}, t.popN(len(ft.Params))...)
	var v *ir.Value
	rtype := callType(results)
	if int(fn) < t.m.NumImportedFuncs {
		v = t.val(ir.OpCallImport, rtype, pos, args...)
		v.Aux = int64(t.layout.ImportedFuncCode(int(fn)))
	} else {
		v = t.val(ir.OpCall, rtype, pos, args...)
		v.Aux = int64(fn)
	}
	return t.pushResults(v, results)
}

// callType is the Type of a call value with these results.
func callType(results []ir.Type) ir.Type {
	switch len(results) {
	case 0:
		return ir.Void
	case 1:
		return results[0]
	}
	return ir.Tuple
}

// pushResults records the results of call v and pushes them.
func (t *translator) pushResults(v *ir.Value, results []ir.Type) error {
	v.Results = results
	switch len(results) {
	case 0:
	case 1:
		t.push(v)
	default: // the results of a tuple-typed call stay in its block
		for i, r := range results {
			t.push(t.cur.NewValueAux(ir.OpResult, r, int64(i), v))
		}
	}
	return t.invoke(v)
}

// skip accepts an instruction in unreachable code, which emits nothing; it
// must still be one the translator supports in reachable code.
func (t *translator) skip(in *Instr) error {
	if _, ok := simpleOps[in.Op]; ok {
		return nil
	}
	if _, ok := memOps[in.Op]; ok {
		return nil
	}
	switch in.Op {
	case OpUnreachable, OpNop, OpReturn, OpDrop, OpSelect, OpSelectT,
		OpBr, OpBrIf, OpBrTable, OpCall, OpCallIndirect, OpCallRef,
		OpReturnCall, OpReturnCallInd, OpReturnCallRef,
		OpLocalGet, OpLocalSet, OpLocalTee, OpGlobalGet, OpGlobalSet,
		OpMemorySize, OpMemoryGrow, OpI32Const, OpI64Const, OpF32Const, OpF64Const,
		OpRefNull, OpRefIsNull, OpRefFunc, OpRefAsNonNull, OpBrOnNull, OpBrOnNonNull,
		OpTableGet, OpTableSet, OpThrow, OpThrowRef,
		OpContNew, OpContBind, OpSuspend, OpResume, OpResumeThrow, OpResumeThrowRef, OpSwitch,
		OpPrefixSIMD:
		return nil
	case OpPrefixMisc:
		if in.Sub <= MiscTableFill {
			return nil
		}
		return t.unsupported(in.Offset, miscName(in.Sub))
	}
	return t.unsupported(in.Offset, opName(in.Op))
}

// opName names an opcode for "unsupported feature" messages.
func opName(op byte) string {
	switch op {
	case OpThrow, OpThrowRef, OpTryTable:
		return "exception handling"
	case OpRefEq:
		return "ref.eq"
	case OpContNew, OpContBind, OpSuspend, OpResume, OpResumeThrow, OpResumeThrowRef, OpSwitch:
		return "stack switching"
	case OpPrefixGC:
		return "GC instructions"
	case OpPrefixSIMD:
		return "SIMD"
	}
	return "opcode 0x" + hex2(op)
}

func miscName(sub uint32) string {
	switch {
	case sub <= 11:
		return "bulk memory"
	case sub <= 17:
		return "table instructions"
	}
	return "0xFC instructions"
}

func hex2(b byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[b>>4], digits[b&15]})
}
