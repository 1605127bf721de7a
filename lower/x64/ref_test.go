package x64

import (
	"testing"

	"wfxc/ir"
	"wfxc/rt/abi"
)

// vmctx layout of these tests (beyond the harness's memory and globals).
const (
	refRecordsPtr = 1024 // u64: address of the funcref records
	refTypeID     = 1040 // u32: the caller's expected type id
	refTable      = 1056 // {base, len} of a table
	refRecords    = 2048 // the records (FuncRefSize each)
	refTableElems = 3072 // the table's elements
)

func TestExec_libcall(t *testing.T) {
	// f(x i64, y i32) = libcall 17(vm, x, y) + x, with x live across.
	f := ir.NewFunc("lib", 0, []ir.Type{ir.I64, ir.I32}, []ir.Type{ir.I64})
	b := f.Entry()
	b.Kind = ir.BlockReturn
	vm := b.NewValue(ir.OpVMCtx, ir.I64)
	x := b.NewValueAux(ir.OpParam, ir.I64, 0)
	y := b.NewValueAux(ir.OpParam, ir.I32, 1)
	l := b.NewValueAux(ir.OpLibcall, ir.I64, abi.LibcallMemoryInit, vm, x, y)
	b.SetControls(b.NewValue(ir.OpAdd, ir.I64, l, x))
	m := build(t, []*ir.Func{f}, nil)
	var got []uint64
	m.libcalls = map[int64]func([]uint64){abi.LibcallMemoryInit: func(s []uint64) {
		got = append([]uint64(nil), s[:2]...)
		s[0] = 1000
	}}
	m.check("libcall", 0, val(1000+5), 5, 0xffffffff)
	if len(got) != 2 || got[0] != 5 || got[1] != 0xffffffff {
		t.Fatalf("libcall args %#x, want [5 0xffffffff]", got)
	}
}

func TestExec_trapNZ(t *testing.T) {
	m := build(t, []*ir.Func{opFuncVoid(0, ir.OpTrapNZ, ir.I32)}, nil)
	m.check("trapnz", 0, val(0), 0)
	m.check("trapnz", 0, trap(abi.TrapTableOutOfBounds), abi.TrapTableOutOfBounds)
}

// opFuncVoid builds f(x) { op x; return 0 }.
func opFuncVoid(index int, op ir.Op, t ir.Type) *ir.Func {
	f := ir.NewFunc(op.String(), index, []ir.Type{t}, []ir.Type{ir.I32})
	b := f.Entry()
	b.Kind = ir.BlockReturn
	b.NewValue(op, ir.Void, b.NewValueAux(ir.OpParam, t, 0))
	b.SetControls(b.NewValueAux(ir.OpConst, ir.I32, 0))
	return f
}

func TestExec_refFuncCallRef(t *testing.T) {
	// double(x) = 2x is function 1; f(x) = call_ref(ref.func 1, x) after a
	// type check; g() = ref.is_null-free use of ref_as_non_null on a global.
	double := opFunc(1, ir.OpAdd, ir.I64, 0, []ir.Type{ir.I64, ir.I64}, nil)
	double.Params = []ir.Type{ir.I64}
	{
		b := double.Entry()
		b.Values = b.Values[:0]
		p := b.NewValueAux(ir.OpParam, ir.I64, 0)
		s := b.NewValue(ir.OpAdd, ir.I64, p, p)
		b.SetControls(s)
	}
	f := ir.NewFunc("f", 0, []ir.Type{ir.I64}, []ir.Type{ir.I64})
	b := f.Entry()
	b.Kind = ir.BlockReturn
	vm := b.NewValue(ir.OpVMCtx, ir.I64)
	x := b.NewValueAux(ir.OpParam, ir.I64, 0)
	r := b.NewValueAux(ir.OpRefFunc, ir.Ref, 1, vm)
	r.Aux2 = refRecordsPtr
	b.NewValueAux(ir.OpFuncTypeCheck, ir.Void, refTypeID, vm, r).Pos = 55
	c := b.NewValue(ir.OpCallRef, ir.I64, r, x)
	b.SetControls(c)
	m := build(t, []*ir.Func{f, double}, nil)
	put64(m.vmctx, refRecordsPtr, uint64(addr(m.vmctx))+refRecords)
	rec := refRecords + abi.FuncRefSize
	created := 0
	m.libcalls = map[int64]func([]uint64){abi.LibcallFuncRef: func(s []uint64) {
		if s[0] != 1 {
			t.Errorf("LibcallFuncRef(%d), want function 1", s[0])
		}
		created++
		put64(m.vmctx, rec+abi.FuncRefCode, uint64(m.exec.Addr(m.funcOff[1])))
		put64(m.vmctx, rec+abi.FuncRefTypeID, 7)
		put64(m.vmctx, rec+abi.FuncRefVMCtx, uint64(addr(m.vmctx)))
		s[0] = uint64(addr(m.vmctx)) + uint64(rec)
	}}
	put64(m.vmctx, refTypeID, 0xffffffff00000007) // only the low u32 counts
	m.check("call_ref", 0, val(42), 21)
	m.check("call_ref", 0, val(10), 5)
	if created != 1 {
		t.Errorf("record created %d times, want once", created)
	}
	put64(m.vmctx, refTypeID, 8)
	m.check("call_ref", 0, trap(abi.TrapIndirectCallType), 5)
}

func TestExec_tables(t *testing.T) {
	mk := func(index int, op ir.Op, params []ir.Type, res []ir.Type) (*ir.Func, *ir.Block, *ir.Value, []*ir.Value) {
		f := ir.NewFunc(op.String(), index, params, res)
		b := f.Entry()
		b.Kind = ir.BlockReturn
		vm := b.NewValue(ir.OpVMCtx, ir.I64)
		var ps []*ir.Value
		for i, p := range params {
			ps = append(ps, b.NewValueAux(ir.OpParam, p, int64(i)))
		}
		return f, b, vm, ps
	}
	get, b, vm, ps := mk(0, ir.OpTableGet, []ir.Type{ir.I32}, []ir.Type{ir.Ref})
	v := b.NewValueAux(ir.OpTableGet, ir.Ref, abi.TrapTableOutOfBounds, vm, ps[0])
	v.Aux2 = refTable
	b.SetControls(v)
	set, b, vm, ps := mk(1, ir.OpTableSet, []ir.Type{ir.I64, ir.Ref}, []ir.Type{ir.I32})
	b.NewValueAux(ir.OpTableSet, ir.Void, abi.TrapTableOutOfBounds, vm, ps[0], ps[1]).Aux2 = refTable
	sz := b.NewValue(ir.OpTableSize, ir.I32, vm)
	sz.Aux2 = refTable
	b.SetControls(sz)
	getf, b, vm, ps := mk(2, ir.OpTableGetFunc, []ir.Type{ir.I32}, []ir.Type{ir.Ref})
	v = b.NewValueAux(ir.OpTableGetFunc, ir.Ref, abi.TrapTableOutOfBounds, vm, ps[0])
	v.Aux2 = refTable
	b.SetControls(b.NewValueAux(ir.OpRefAsNonNull, ir.Ref, abi.TrapIndirectCallNull, v))
	setf, b, vm, ps := mk(3, ir.OpTableSetFunc, []ir.Type{ir.I32, ir.Ref}, []ir.Type{ir.I32})
	b.NewValueAux(ir.OpTableSetFunc, ir.Void, abi.TrapTableOutOfBounds, vm, ps[0], ps[1]).Aux2 = refTable
	b.SetControls(b.NewValueAux(ir.OpConst, ir.I32, 0))

	m := build(t, []*ir.Func{get, set, getf, setf}, nil)
	base := uint64(addr(m.vmctx)) + refTableElems
	put64(m.vmctx, refTable, base)
	put64(m.vmctx, refTable+8, 4)
	m.check("table_set", 1, val(4), 2, 0xabc0)
	m.check("table_get", 0, val(0xabc0), 2)
	m.check("table_get", 0, trap(abi.TrapTableOutOfBounds), 4)
	m.check("table_get", 0, trap(abi.TrapTableOutOfBounds), 0xffffffff)
	m.check("table_set", 1, trap(abi.TrapTableOutOfBounds), 1<<32|1, 0)

	// Function table: element 1 not initialised → libcall; 2 tagged; 3 tagged null.
	clear(m.vmctx[refTableElems : refTableElems+32])
	put64(m.vmctx, refTableElems+16, 0x5550|1)
	put64(m.vmctx, refTableElems+24, 1)
	elemCalls := 0
	m.libcalls = map[int64]func([]uint64){abi.LibcallTableElem: func(s []uint64) {
		elemCalls++
		if s[0] != refTable || s[1] != 1 {
			t.Errorf("LibcallTableElem(%#x, %d), want (%#x, 1)", s[0], s[1], refTable)
		}
		put64(m.vmctx, refTableElems+8, 0x7770|1)
		s[0] = 0x7770
	}}
	m.check("table_get_func", 2, val(0x7770), 1)
	m.check("table_get_func", 2, val(0x7770), 1)
	m.check("table_get_func", 2, val(0x5550), 2)
	m.check("table_get_func", 2, trap(abi.TrapIndirectCallNull), 3)
	if elemCalls != 1 {
		t.Errorf("LibcallTableElem called %d times, want once", elemCalls)
	}
	m.check("table_set_func", 3, val(0), 0, 0)
	m.check("table_set_func", 3, val(0), 3, 0x8880)
	if e0, e3 := get64(m.vmctx, refTableElems), get64(m.vmctx, refTableElems+24); e0 != 1 || e3 != 0x8881 {
		t.Errorf("stored elements %#x, %#x; want 0x1, 0x8881", e0, e3)
	}
}
