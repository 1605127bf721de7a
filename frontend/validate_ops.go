package frontend

// Typing of the table-driven instruction groups: numeric operators
// (0x45–0xC4), loads and stores, 0xFB GC, 0xFC misc and 0xFD SIMD.

// numSig is the signature of a numeric operator: up to two operands and one
// result (type codes; 0 = none).
type numSig struct{ a, b, r byte }

var numSigs [256]numSig

// memNatural is the natural alignment (log2) and value type of each load
// and store opcode.
var memNatural = [256]struct {
	align uint32
	t     byte
}{
	OpI32Load: {2, CodeI32}, OpI64Load: {3, CodeI64}, OpF32Load: {2, CodeF32}, OpF64Load: {3, CodeF64},
	OpI32Load8S: {0, CodeI32}, OpI32Load8U: {0, CodeI32}, OpI32Load16S: {1, CodeI32}, OpI32Load16U: {1, CodeI32},
	OpI64Load8S: {0, CodeI64}, OpI64Load8U: {0, CodeI64}, OpI64Load16S: {1, CodeI64}, OpI64Load16U: {1, CodeI64},
	OpI64Load32S: {2, CodeI64}, OpI64Load32U: {2, CodeI64},
	OpI32Store: {2, CodeI32}, OpI64Store: {3, CodeI64}, OpF32Store: {2, CodeF32}, OpF64Store: {3, CodeF64},
	OpI32Store8: {0, CodeI32}, OpI32Store16: {1, CodeI32}, OpI64Store8: {0, CodeI64}, OpI64Store16: {1, CodeI64},
	OpI64Store32: {2, CodeI64},
}

func init() {
	set := func(lo, hi int, s numSig) {
		for op := lo; op <= hi; op++ {
			numSigs[op] = s
		}
	}
	i32, i64, f32, f64 := byte(CodeI32), byte(CodeI64), byte(CodeF32), byte(CodeF64)
	set(0x45, 0x45, numSig{i32, 0, i32})
	set(0x46, 0x4F, numSig{i32, i32, i32})
	set(0x50, 0x50, numSig{i64, 0, i32})
	set(0x51, 0x5A, numSig{i64, i64, i32})
	set(0x5B, 0x60, numSig{f32, f32, i32})
	set(0x61, 0x66, numSig{f64, f64, i32})
	set(0x67, 0x69, numSig{i32, 0, i32})
	set(0x6A, 0x78, numSig{i32, i32, i32})
	set(0x79, 0x7B, numSig{i64, 0, i64})
	set(0x7C, 0x8A, numSig{i64, i64, i64})
	set(0x8B, 0x91, numSig{f32, 0, f32})
	set(0x92, 0x98, numSig{f32, f32, f32})
	set(0x99, 0x9F, numSig{f64, 0, f64})
	set(0xA0, 0xA6, numSig{f64, f64, f64})
	conv := []struct {
		op    int
		from  byte
		to    byte
		count int
	}{
		{0xA7, i64, i32, 1}, {0xA8, f32, i32, 2}, {0xAA, f64, i32, 2}, {0xAC, i32, i64, 2},
		{0xAE, f32, i64, 2}, {0xB0, f64, i64, 2}, {0xB2, i32, f32, 2}, {0xB4, i64, f32, 2},
		{0xB6, f64, f32, 1}, {0xB7, i32, f64, 2}, {0xB9, i64, f64, 2}, {0xBB, f32, f64, 1},
		{0xBC, f32, i32, 1}, {0xBD, f64, i64, 1}, {0xBE, i32, f32, 1}, {0xBF, i64, f64, 1},
		{0xC0, i32, i32, 2}, {0xC2, i64, i64, 3},
	}
	for _, c := range conv {
		set(c.op, c.op+c.count-1, numSig{c.from, 0, c.to})
	}
}

func (f *funcValidator) numeric(in *Instr) error {
	s := numSigs[in.Op]
	if s.r == 0 {
		return f.errf("illegal opcode")
	}
	if s.b != 0 {
		if _, err := f.popExpect(ValType{Code: s.b}); err != nil {
			return err
		}
	}
	if _, err := f.popExpect(ValType{Code: s.a}); err != nil {
		return err
	}
	return f.push(ValType{Code: s.r})
}

func (f *funcValidator) loadStore(in *Instr) error {
	nat := memNatural[in.Op]
	at, err := f.memArg(in.Mem, nat.align)
	if err != nil {
		return err
	}
	t := ValType{Code: nat.t}
	if in.Op >= OpI32Store {
		if _, err := f.popExpect(t); err != nil {
			return err
		}
		_, err := f.popExpect(at)
		return err
	}
	if _, err := f.popExpect(at); err != nil {
		return err
	}
	return f.push(t)
}

func (f *funcValidator) dataIndex(d uint32) error {
	if f.v.m.DataCount < 0 {
		return f.errf("data count section required")
	}
	if int64(d) >= f.v.m.DataCount {
		return f.errf("unknown data segment %d", d)
	}
	return nil
}

func (f *funcValidator) elemType(e uint32) (ValType, error) {
	if int64(e) >= int64(len(f.v.m.Elems)) {
		return bot, f.errf("unknown elem segment %d", e)
	}
	return f.v.m.Elems[e].Type, nil
}

func (f *funcValidator) popN(ts ...ValType) error { return f.popVals(ts) }

func (f *funcValidator) miscInstr(in *Instr) error {
	v := f.v
	switch in.Sub {
	case MiscI32TruncSatF32S, MiscI32TruncSatF32U:
		return f.unop(F32, I32)
	case MiscI32TruncSatF64S, MiscI32TruncSatF64U:
		return f.unop(F64, I32)
	case MiscI64TruncSatF32S, MiscI64TruncSatF32U:
		return f.unop(F32, I64)
	case MiscI64TruncSatF64S, MiscI64TruncSatF64U:
		return f.unop(F64, I64)
	case MiscMemoryInit:
		at, err := f.memory(in.Idx[1])
		if err != nil {
			return err
		}
		if err := f.dataIndex(in.Idx[0]); err != nil {
			return err
		}
		return f.popN(at, I32, I32)
	case MiscDataDrop:
		return f.dataIndex(in.Idx[0])
	case MiscMemoryCopy:
		dt, err := f.memory(in.Idx[0])
		if err != nil {
			return err
		}
		st, err := f.memory(in.Idx[1])
		if err != nil {
			return err
		}
		n := I64
		if dt == I32 || st == I32 {
			n = I32
		}
		return f.popN(dt, st, n)
	case MiscMemoryFill:
		at, err := f.memory(in.Idx[0])
		if err != nil {
			return err
		}
		return f.popN(at, I32, at)
	case MiscTableInit:
		tt, err := f.table(in.Idx[1])
		if err != nil {
			return err
		}
		et, err := f.elemType(in.Idx[0])
		if err != nil {
			return err
		}
		if !v.valSub(et, tt.Elem) {
			return f.errf("type mismatch: element segment type %s does not match table type %s", typeName(et), typeName(tt.Elem))
		}
		return f.popN(addrType(tt.Limits.Is64), I32, I32)
	case MiscElemDrop:
		_, err := f.elemType(in.Idx[0])
		return err
	case MiscTableCopy:
		dt, err := f.table(in.Idx[0])
		if err != nil {
			return err
		}
		st, err := f.table(in.Idx[1])
		if err != nil {
			return err
		}
		if !v.valSub(st.Elem, dt.Elem) {
			return f.errf("type mismatch: source table type %s does not match destination %s", typeName(st.Elem), typeName(dt.Elem))
		}
		n := I64
		if !dt.Limits.Is64 || !st.Limits.Is64 {
			n = I32
		}
		return f.popN(addrType(dt.Limits.Is64), addrType(st.Limits.Is64), n)
	case MiscTableGrow:
		tt, err := f.table(in.Idx[0])
		if err != nil {
			return err
		}
		at := addrType(tt.Limits.Is64)
		if err := f.popN(tt.Elem, at); err != nil {
			return err
		}
		return f.push(at)
	case MiscTableSize:
		tt, err := f.table(in.Idx[0])
		if err != nil {
			return err
		}
		return f.push(addrType(tt.Limits.Is64))
	case MiscTableFill:
		tt, err := f.table(in.Idx[0])
		if err != nil {
			return err
		}
		at := addrType(tt.Limits.Is64)
		return f.popN(at, tt.Elem, at)
	}
	return f.errf("illegal opcode")
}

func (f *funcValidator) unop(a, r ValType) error {
	if _, err := f.popExpect(a); err != nil {
		return err
	}
	return f.push(r)
}

// checkCastTarget checks the heap type of a cast target.
func (f *funcValidator) checkCastTarget(t ValType) error {
	if err := f.v.checkHeap(t.Heap, f.in.Offset); err != nil {
		return err
	}
	if f.v.top(t.Heap) == HeapCont {
		return f.errf("invalid cast to continuation types")
	}
	return nil
}

// diffRef is t1 minus t2 (br_on_cast's fall-through type).
func diffRef(t1, t2 ValType) ValType {
	if t2.Nullable() {
		return refNonNull(t1.Heap)
	}
	return t1
}

func (f *funcValidator) gcInstr(in *Instr) error {
	v := f.v
	x := in.Idx[0]
	switch in.Sub {
	case GCStructNew, GCStructNewDefault:
		st, err := f.typeAt(x, CompStruct)
		if err != nil {
			return err
		}
		if in.Sub == GCStructNew {
			for i := len(st.Fields) - 1; i >= 0; i-- {
				if _, err := f.popExpect(unpacked(st.Fields[i].Type)); err != nil {
					return err
				}
			}
		} else {
			for _, fl := range st.Fields {
				if !defaultable(fl.Type) {
					return f.errf("type mismatch: field type is not defaultable")
				}
			}
		}
		return f.push(refNonNull(HeapType(x)))
	case GCStructGet, GCStructGetS, GCStructGetU, GCStructSet:
		st, err := f.typeAt(x, CompStruct)
		if err != nil {
			return err
		}
		if int64(in.Idx[1]) >= int64(len(st.Fields)) {
			return f.errf("unknown field %d", in.Idx[1])
		}
		fl := st.Fields[in.Idx[1]]
		if in.Sub == GCStructSet {
			if !fl.Mutable {
				return f.errf("field is immutable")
			}
			if _, err := f.popExpect(unpacked(fl.Type)); err != nil {
				return err
			}
			_, err := f.popExpect(refNull(HeapType(x)))
			return err
		}
		if isPacked(fl.Type) != (in.Sub != GCStructGet) {
			return f.errf("type mismatch: field is packed or not as the instruction requires")
		}
		if _, err := f.popExpect(refNull(HeapType(x))); err != nil {
			return err
		}
		return f.push(unpacked(fl.Type))
	case GCArrayNew, GCArrayNewDefault, GCArrayNewFixed, GCArrayNewData, GCArrayNewElem:
		at, err := f.typeAt(x, CompArray)
		if err != nil {
			return err
		}
		et := at.Fields[0].Type
		switch in.Sub {
		case GCArrayNew:
			if err := f.popN(unpacked(et), I32); err != nil {
				return err
			}
		case GCArrayNewDefault:
			if !defaultable(et) {
				return f.errf("type mismatch: array type is not defaultable")
			}
			if err := f.popN(I32); err != nil {
				return err
			}
		case GCArrayNewFixed:
			n := in.Idx[1]
			fr := &f.ctrls[len(f.ctrls)-1]
			if avail := len(f.vals) - fr.height; int64(n) > int64(avail) && !fr.unreachable {
				return f.errf("type mismatch: array.new_fixed needs %d operands, stack has %d", n, avail)
			}
			// Beyond the frame the stack is polymorphic: stop there.
			for i := uint32(0); i < n && len(f.vals) > fr.height; i++ {
				if _, err := f.popExpect(unpacked(et)); err != nil {
					return err
				}
			}
		case GCArrayNewData:
			if !isNumOrVec(et) {
				return f.errf("array type is not numeric or vector")
			}
			if err := f.dataIndex(in.Idx[1]); err != nil {
				return err
			}
			if err := f.popN(I32, I32); err != nil {
				return err
			}
		case GCArrayNewElem:
			st, err := f.elemType(in.Idx[1])
			if err != nil {
				return err
			}
			if !v.valSub(st, et) {
				return f.errf("type mismatch: element segment type %s does not match array type %s", typeName(st), typeName(et))
			}
			if err := f.popN(I32, I32); err != nil {
				return err
			}
		}
		return f.push(refNonNull(HeapType(x)))
	case GCArrayGet, GCArrayGetS, GCArrayGetU:
		at, err := f.typeAt(x, CompArray)
		if err != nil {
			return err
		}
		et := at.Fields[0].Type
		if isPacked(et) != (in.Sub != GCArrayGet) {
			return f.errf("type mismatch: array element is packed or not as the instruction requires")
		}
		if err := f.popN(refNull(HeapType(x)), I32); err != nil {
			return err
		}
		return f.push(unpacked(et))
	case GCArraySet, GCArrayFill:
		at, err := f.typeAt(x, CompArray)
		if err != nil {
			return err
		}
		if !at.Fields[0].Mutable {
			return f.errf("array is immutable")
		}
		et := unpacked(at.Fields[0].Type)
		if in.Sub == GCArraySet {
			return f.popN(refNull(HeapType(x)), I32, et)
		}
		return f.popN(refNull(HeapType(x)), I32, et, I32)
	case GCArrayLen:
		if err := f.popN(refNull(HeapArray)); err != nil {
			return err
		}
		return f.push(I32)
	case GCArrayCopy:
		dt, err := f.typeAt(x, CompArray)
		if err != nil {
			return err
		}
		st, err := f.typeAt(in.Idx[1], CompArray)
		if err != nil {
			return err
		}
		if !dt.Fields[0].Mutable {
			return f.errf("array is immutable")
		}
		if !v.storageSub(st.Fields[0].Type, dt.Fields[0].Type) {
			return f.errf("array types do not match")
		}
		return f.popN(refNull(HeapType(x)), I32, refNull(HeapType(in.Idx[1])), I32, I32)
	case GCArrayInitData, GCArrayInitElem:
		at, err := f.typeAt(x, CompArray)
		if err != nil {
			return err
		}
		if !at.Fields[0].Mutable {
			return f.errf("array is immutable")
		}
		et := at.Fields[0].Type
		if in.Sub == GCArrayInitData {
			if !isNumOrVec(et) {
				return f.errf("array type is not numeric or vector")
			}
			if err := f.dataIndex(in.Idx[1]); err != nil {
				return err
			}
		} else {
			st, err := f.elemType(in.Idx[1])
			if err != nil {
				return err
			}
			if !v.valSub(st, et) {
				return f.errf("type mismatch: element segment type %s does not match array type %s", typeName(st), typeName(et))
			}
		}
		return f.popN(refNull(HeapType(x)), I32, I32, I32)
	case GCRefTest, GCRefTestNull, GCRefCast, GCRefCastNull:
		t := refType(in.Nullable, in.Heap)
		if err := f.checkCastTarget(t); err != nil {
			return err
		}
		if _, err := f.popExpect(refNull(v.top(in.Heap))); err != nil {
			return err
		}
		if in.Sub == GCRefTest || in.Sub == GCRefTestNull {
			return f.push(I32)
		}
		return f.push(t)
	case GCBrOnCast, GCBrOnCastFail:
		t1, t2 := in.RefFrom, in.RefTo
		if err := v.checkHeap(t1.Heap, in.Offset); err != nil {
			return err
		}
		if err := f.checkCastTarget(t2); err != nil {
			return err
		}
		if !v.valSub(t2, t1) {
			return f.errf("type mismatch: cast target %s is not a subtype of %s", typeName(t2), typeName(t1))
		}
		fr, err := f.label(in.Idx[0])
		if err != nil {
			return err
		}
		lt := labelTypes(fr)
		if len(lt) == 0 {
			return f.errf("type mismatch: br_on_cast requires a label ending in a reference, label has []")
		}
		onBranch, fallThrough := t2, diffRef(t1, t2)
		if in.Sub == GCBrOnCastFail {
			onBranch, fallThrough = fallThrough, t2
		}
		if !v.valSub(onBranch, lt[len(lt)-1]) {
			return f.errf("type mismatch: branch type %s does not match label %s", typeName(onBranch), typesName(lt))
		}
		if _, err := f.popExpect(t1); err != nil {
			return err
		}
		rest := lt[:len(lt)-1]
		if err := f.popVals(rest); err != nil {
			return err
		}
		if err := f.pushVals(rest); err != nil {
			return err
		}
		return f.push(fallThrough)
	case GCAnyConvertExtern, GCExternConvertAny:
		from, to := HeapExtern, HeapAny
		if in.Sub == GCExternConvertAny {
			from, to = HeapAny, HeapExtern
		}
		t, err := f.popExpect(refNull(from))
		if err != nil {
			return err
		}
		if t.Code == CodeRef || t.Code == 0 {
			// Unreachable code: the unknown operand is (ref bot).
			return f.push(refNonNull(to))
		}
		return f.push(refNull(to))
	case GCRefI31:
		return f.unop(I32, refNonNull(HeapI31))
	case GCI31GetS, GCI31GetU:
		return f.unop(refNull(HeapI31), I32)
	}
	return f.errf("illegal opcode")
}

func isNumOrVec(t ValType) bool { return !t.IsRef() }

func (f *funcValidator) simdInstr(in *Instr) error {
	op := &simdOps[in.Sub]
	switch op.sig {
	case simdLoad:
		at, err := f.memArg(in.Mem, uint32(op.Align))
		if err != nil {
			return err
		}
		return f.unop(at, V128)
	case simdStore:
		at, err := f.memArg(in.Mem, uint32(op.Align))
		if err != nil {
			return err
		}
		return f.popN(at, V128)
	case simdLoadLane, simdStoreLane:
		at, err := f.memArg(in.Mem, uint32(op.Align))
		if err != nil {
			return err
		}
		if in.Lane >= op.Lanes {
			return f.errf("invalid lane index")
		}
		if err := f.popN(at, V128); err != nil {
			return err
		}
		if op.sig == simdLoadLane {
			return f.push(V128)
		}
		return nil
	case simdConst:
		return f.push(V128)
	case simdShuffle:
		for _, l := range in.V128 {
			if l >= 32 {
				return f.errf("invalid lane index")
			}
		}
		return f.binop(V128, V128, V128)
	case simdUnary:
		return f.unop(V128, V128)
	case simdBinary:
		return f.binop(V128, V128, V128)
	case simdTernary:
		if err := f.popN(V128, V128, V128); err != nil {
			return err
		}
		return f.push(V128)
	case simdTest:
		return f.unop(V128, I32)
	case simdShift:
		return f.binop(V128, I32, V128)
	case simdSplat:
		return f.unop(ValType{Code: op.Scalar}, V128)
	case simdExtract:
		if in.Lane >= op.Lanes {
			return f.errf("invalid lane index")
		}
		return f.unop(V128, ValType{Code: op.Scalar})
	case simdReplace:
		if in.Lane >= op.Lanes {
			return f.errf("invalid lane index")
		}
		return f.binop(V128, ValType{Code: op.Scalar}, V128)
	}
	return f.errf("illegal opcode")
}

func (f *funcValidator) binop(a, b, r ValType) error {
	if err := f.popN(a, b); err != nil {
		return err
	}
	return f.push(r)
}
