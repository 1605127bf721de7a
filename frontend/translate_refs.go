package frontend

// Translation of references, tables, indirect calls, memory growth and bulk
// memory. Table accesses are IR ops the back end expands inline (bounds
// check, load, lazy initialisation slow path); everything that needs the
// runtime — growing, filling, copying, initialising from segments — is an
// OpLibcall whose status result (0 or a trap code) is raised at this site by
// OpTrapNZ, so traps keep their wasm position and backtrace.

import (
	"wfxc/ir"
	"wfxc/rt/abi"
)

// emitRef translates the reference, table and call_indirect instructions.
func (t *translator) emitRef(in *Instr) error {
	op, pos := in.Op, in.Offset
	switch op {
	case OpRefNull:
		if t.m.isContHeap(in.Heap) {
			t.push(t.constant(ir.Cont, 0))
			return nil
		}
		t.push(t.constant(ir.Ref, 0))
	case OpRefIsNull:
		v := t.refPtr(t.pop(), pos)
		c := t.val(ir.OpICmp, ir.I32, pos, v, t.constant(ir.Ref, 0))
		c.Aux = int64(ir.CondEq)
		t.push(c)
	case OpRefFunc:
		v := t.val(ir.OpRefFunc, ir.Ref, pos, t.vmctx)
		v.Aux = int64(in.Idx[0])
		v.Aux2 = int64(t.layout.FuncRefs)
		t.push(v)
	case OpRefAsNonNull:
		x := t.pop()
		v := t.val(ir.OpRefAsNonNull, ir.Ref, pos, t.refPtr(x, pos))
		v.Aux = abi.TrapNullReference
		if x.Type == ir.Cont { // checked above; the reference goes on
			v = x
		}
		t.push(v)
	case OpBrOnNull, OpBrOnNonNull:
		fr, err := t.labelFrame(in.Idx[0])
		if err != nil {
			return err
		}
		ref := t.pop()
		cond := t.val(ir.OpICmp, ir.I32, pos, t.refPtr(ref, pos), t.constant(ir.Ref, 0))
		if op == OpBrOnNull {
			// Null: branch without the reference; else go on with it.
			cond.Aux = int64(ir.CondEq)
			t.branchIf(cond, fr)
			t.push(ref)
		} else {
			// Non-null: branch with the reference; else go on without it.
			cond.Aux = int64(ir.CondNe)
			t.push(ref)
			t.branchIf(cond, fr)
			t.pop()
		}
	case OpTableGet, OpTableSet:
		ti := in.Idx[0]
		if err := t.checkTable(ti, pos); err != nil {
			return err
		}
		function := t.m.isFuncRef(t.m.TableType(ti).Elem)
		if op == OpTableGet {
			idx := t.pop()
			opc := ir.OpTableGet
			if function {
				opc = ir.OpTableGetFunc
			}
			typ := ir.Ref
			if t.m.isContRef(t.m.TableType(ti).Elem) {
				typ = ir.Cont // 16-byte elements
			}
			v := t.val(opc, typ, pos, t.vmctx, idx)
			v.Aux, v.Aux2 = abi.TrapTableOutOfBounds, int64(t.layout.TableBase(int(ti)))
			t.push(v)
			return nil
		}
		val := t.pop()
		idx := t.pop()
		opc := ir.OpTableSet
		if function {
			opc = ir.OpTableSetFunc
		}
		v := t.val(opc, ir.Void, pos, t.vmctx, idx, val)
		v.Aux, v.Aux2 = abi.TrapTableOutOfBounds, int64(t.layout.TableBase(int(ti)))
	case OpCallIndirect:
		ti, table := in.Idx[0], in.Idx[1]
		if err := t.checkTable(table, pos); err != nil {
			return err
		}
		if int(ti) >= len(t.m.Types) || t.m.Types[ti].Comp.Kind != CompFunc {
			return &Error{Offset: pos, Msg: "unknown type"}
		}
		return t.callRef(t.indirectTarget(table, ti, pos), &t.m.Types[ti].Comp, pos)
	case OpCallRef:
		ti := in.Idx[0]
		if int(ti) >= len(t.m.Types) || t.m.Types[ti].Comp.Kind != CompFunc {
			return &Error{Offset: pos, Msg: "unknown type"}
		}
		rec := t.val(ir.OpRefAsNonNull, ir.Ref, pos, t.pop())
		rec.Aux = abi.TrapNullFuncRef
		return t.callRef(rec, &t.m.Types[ti].Comp, pos)
	case OpReturnCall:
		fn := in.Idx[0]
		if int(fn) >= t.m.NumFuncs() {
			return &Error{Offset: pos, Msg: "unknown function"}
		}
		ft := t.m.FuncType(fn)
		if _, ok := IRTypes(t.m, ft.Params); !ok {
			return t.unsupported(pos, "calls with unsupported value types")
		}
		args := append([]*ir.Value{t.vmctx}, t.popN(len(ft.Params))...)
		if int(fn) < t.m.NumImportedFuncs {
			t.tailCall(ir.BlockTailCallImport, int64(t.layout.ImportedFuncCode(int(fn))), args, pos)
		} else {
			t.tailCall(ir.BlockTailCall, int64(fn), args, pos)
		}
	case OpReturnCallInd, OpReturnCallRef:
		ti := in.Idx[0]
		var rec *ir.Value
		if op == OpReturnCallInd {
			table := in.Idx[1]
			if err := t.checkTable(table, pos); err != nil {
				return err
			}
			rec = t.indirectTarget(table, ti, pos)
		} else {
			rec = t.val(ir.OpRefAsNonNull, ir.Ref, pos, t.pop())
			rec.Aux = abi.TrapNullFuncRef
		}
		if int(ti) >= len(t.m.Types) || t.m.Types[ti].Comp.Kind != CompFunc {
			return &Error{Offset: pos, Msg: "unknown type"}
		}
		ft := &t.m.Types[ti].Comp
		if _, ok := IRTypes(t.m, ft.Params); !ok {
			return t.unsupported(pos, "calls with unsupported value types")
		}
		args := append([]*ir.Value{rec}, t.popN(len(ft.Params))...)
		t.tailCall(ir.BlockTailCallRef, 0, args, pos)
	case OpMemoryGrow:
		mem := in.Idx[0]
		if int(mem) >= t.m.NumMemories() {
			return &Error{Offset: pos, Msg: "unknown memory"}
		}
		rt := ir.I32
		if t.m.MemoryType(mem).Is64 {
			rt = ir.I64
		}
		delta := t.pop()
		t.push(t.libcall(pos, abi.LibcallMemoryGrow, rt, t.constI64(uint64(mem)), delta))
	default:
		return t.unsupported(pos, opName(op))
	}
	return nil
}

// emitMisc translates the 0xFC bulk memory and table instructions; their
// index immediates are in.Idx, in binary order.
func (t *translator) emitMisc(in *Instr) error {
	sub, pos, imm := in.Sub, in.Offset, in.Idx
	c := func(x uint32) *ir.Value { return t.constI64(uint64(x)) }
	switch sub {
	case MiscMemoryInit: // data, memory; [dst src n]
		n, src, dst := t.pop(), t.pop(), t.pop()
		t.status(pos, abi.LibcallMemoryInit, c(imm[1]), c(imm[0]), dst, src, n)
	case MiscDataDrop:
		t.libcall(pos, abi.LibcallDataDrop, ir.Void, c(imm[0]))
	case MiscMemoryCopy: // dst memory, src memory; [dst src n]
		n, src, dst := t.pop(), t.pop(), t.pop()
		t.status(pos, abi.LibcallMemoryCopy, c(imm[0]), c(imm[1]), dst, src, n)
	case MiscMemoryFill: // memory; [dst val n]
		n, val, dst := t.pop(), t.pop(), t.pop()
		t.status(pos, abi.LibcallMemoryFill, c(imm[0]), dst, val, n)
	case MiscTableInit: // elem, table; [dst src n]
		n, src, dst := t.pop(), t.pop(), t.pop()
		t.status(pos, abi.LibcallTableInit, c(imm[1]), c(imm[0]), dst, src, n)
	case MiscElemDrop:
		t.libcall(pos, abi.LibcallElemDrop, ir.Void, c(imm[0]))
	case MiscTableCopy: // dst table, src table; [dst src n]
		n, src, dst := t.pop(), t.pop(), t.pop()
		t.status(pos, abi.LibcallTableCopy, c(imm[0]), c(imm[1]), dst, src, n)
	case MiscTableGrow: // table; [init n]
		n, init := t.pop(), t.pop()
		if init.Type == ir.Cont {
			p, r := t.contWords(init, pos)
			t.push(t.libcall(pos, abi.LibcallTableGrowCont, t.tableIndexType(imm[0]), c(imm[0]), n, p, r))
			return nil
		}
		t.push(t.libcall(pos, abi.LibcallTableGrow, t.tableIndexType(imm[0]), c(imm[0]), n, init))
	case MiscTableSize:
		v := t.val(ir.OpTableSize, t.tableIndexType(imm[0]), pos, t.vmctx)
		v.Aux2 = int64(t.layout.TableBase(int(imm[0])))
		t.push(v)
	case MiscTableFill: // table; [i val n]
		n, val, i := t.pop(), t.pop(), t.pop()
		if val.Type == ir.Cont {
			p, r := t.contWords(val, pos)
			t.status(pos, abi.LibcallTableFillCont, c(imm[0]), i, p, n, r)
			return nil
		}
		t.status(pos, abi.LibcallTableFill, c(imm[0]), i, val, n)
	default:
		return t.unsupported(pos, miscName(sub))
	}
	return nil
}

// indirectTarget pops the index of a call_indirect through table and
// returns the checked funcref record of its callee, of type ti.
func (t *translator) indirectTarget(table, ti uint32, pos int) *ir.Value {
	idx := t.pop()
	rec := t.val(ir.OpTableGetFunc, ir.Ref, pos, t.vmctx, idx)
	rec.Aux, rec.Aux2 = abi.TrapUndefinedElement, int64(t.layout.TableBase(int(table)))
	rec = t.val(ir.OpRefAsNonNull, ir.Ref, pos, rec)
	rec.Aux = abi.TrapIndirectCallNull
	check := t.val(ir.OpFuncTypeCheck, ir.Void, pos, t.vmctx, rec)
	check.Aux = int64(t.layout.TypeID(int(ti)))
	if !t.m.Types[ti].Final {
		check.Aux2 = 1 // a subtype's function may be called too
	}
	return rec
}

// tailCall ends the current block with a tail call.
func (t *translator) tailCall(kind ir.BlockKind, aux int64, args []*ir.Value, pos int) {
	t.cur.Kind = kind
	t.cur.Aux = aux
	t.cur.Pos = int32(pos)
	t.cur.SetControls(args...)
	t.setUnreachable()
}

// callRef calls the function of funcref record rec with signature ft.
func (t *translator) callRef(rec *ir.Value, ft *CompType, pos int) error {
	results, ok1 := IRTypes(t.m, ft.Results)
	_, ok2 := IRTypes(t.m, ft.Params)
	if !ok1 || !ok2 {
		return t.unsupported(pos, "calls with unsupported value types")
	}
	args := append([]*ir.Value{rec}, t.popN(len(ft.Params))...)
	v := t.val(ir.OpCallRef, callType(results), pos, args...)
	return t.pushResults(v, results)
}

// libcall emits a runtime call; i32 operands are zero-extended to i64.
func (t *translator) libcall(pos int, call int, result ir.Type, args ...*ir.Value) *ir.Value {
	all := make([]*ir.Value, 0, len(args)+1)
	all = append(all, t.vmctx)
	for _, a := range args {
		if a.Type == ir.I32 {
			a = t.val(ir.OpExtendU, ir.I64, pos, a)
		}
		all = append(all, a)
	}
	v := t.val(ir.OpLibcall, result, pos, all...)
	v.Aux = int64(call)
	return v
}

// status emits a libcall whose result is a trap code, and raises it here.
func (t *translator) status(pos int, call int, args ...*ir.Value) {
	s := t.libcall(pos, call, ir.I32, args...)
	t.val(ir.OpTrapNZ, ir.Void, pos, s)
}

func (t *translator) constI64(x uint64) *ir.Value { return t.constant(ir.I64, x) }

// checkTable checks that table ti of the instruction at pos exists.
func (t *translator) checkTable(ti uint32, pos int) error {
	if int(ti) >= t.m.NumTables() {
		return &Error{Offset: pos, Msg: "unknown table"}
	}
	return nil
}

// tableIndexType is the index type of table ti (i64 for table64).
func (t *translator) tableIndexType(ti uint32) ir.Type {
	if int(ti) < t.m.NumTables() && t.m.TableType(ti).Limits.Is64 {
		return ir.I64
	}
	return ir.I32
}

// refPtr is the address word of reference x: x itself, or the VMContRef of
// a continuation reference.
func (t *translator) refPtr(x *ir.Value, pos int) *ir.Value {
	if x.Type != ir.Cont {
		return x
	}
	return t.val(ir.OpContPtr, ir.Ref, pos, x)
}

// contWords splits a continuation reference into its VMContRef and
// revision (libcall operands).
func (t *translator) contWords(x *ir.Value, pos int) (ptr, rev *ir.Value) {
	return t.val(ir.OpContPtr, ir.Ref, pos, x), t.val(ir.OpContRev, ir.I64, pos, x)
}
