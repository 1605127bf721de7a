package lowertest

import (
	"strings"
	"testing"

	"wfxc/ir"
	"wfxc/rt/abi"
)

// OpRow is a back end's lowering-table row of one op, as the harness sees
// it: a lowering, or the reason the back end does not lower the op.
type OpRow struct {
	Lowered     bool
	Unsupported string
}

// OpTableComplete checks be's lowering table: every op has a row with
// exactly one of a lowering and an Unsupported reason; a small function
// using the op compiles when it is lowered, and fails naming the reason
// when it is not.
func OpTableComplete(t *testing.T, be *Backend) {
	for op := ir.OpInvalid + 1; op < ir.NumOps; op++ {
		row := be.Ops(op)
		switch {
		case row.Lowered && row.Unsupported != "":
			t.Errorf("%s: op %v: a lowering and Unsupported %q, want one", be.Name, op, row.Unsupported)
			continue
		case !row.Lowered && row.Unsupported == "":
			t.Errorf("%s: op %v: no row in the lowering table, want a lowering or an Unsupported reason", be.Name, op)
			continue
		}
		f := OpSample(op)
		if f == nil {
			t.Errorf("op %v: OpSample does not know how to build this op", op)
			continue
		}
		_, err := be.CompileFunc(f)
		switch {
		case row.Lowered && err != nil:
			t.Errorf("%s: op %v: %v", be.Name, op, err)
		case !row.Lowered && (err == nil || !strings.Contains(err.Error(), row.Unsupported)):
			t.Errorf("%s: op %v: unsupported (%s), but compiling it gives error %v", be.Name, op, row.Unsupported, err)
		}
	}
}

// OpSample returns a small function (params i64, i32, f64) that uses op
// once, with args of the types the op takes, or nil for an op it does not
// know how to build (add a case).
func OpSample(op ir.Op) *ir.Func {
	f := ir.NewFunc(op.String(), 0, []ir.Type{ir.I64, ir.I32, ir.F64}, nil)
	b := f.Entry()
	b.Kind = ir.BlockReturn
	vm := b.NewValue(ir.OpVMCtx, ir.I64)
	i64 := b.NewValueAux(ir.OpParam, ir.I64, 0)
	i32 := b.NewValueAux(ir.OpParam, ir.I32, 1)
	f64 := b.NewValueAux(ir.OpParam, ir.F64, 2)
	var v *ir.Value
	switch {
	case op.IsSIMD():
		v = simdSample(b, op, i64, i32, f64) // simd.go
		f.Results = []ir.Type{v.Type}
		b.SetControls(v)
		return f
	}
	switch op {
	case ir.OpParam:
		v = i64
	case ir.OpVMCtx:
		v = vm
	case ir.OpConst:
		v = b.NewValueAux(op, ir.I64, 5)
	case ir.OpPhi:
		next := f.NewBlock(ir.BlockReturn)
		b.Kind = ir.BlockPlain
		b.AddEdgeTo(next)
		v = next.InsertPhi(ir.I64)
		v.AddArg(i64)
		next.SetControls(v)
		f.Results = []ir.Type{ir.I64}
		return f
	case ir.OpCall:
		v = b.NewValueAux(op, ir.I64, 0, vm, i64)
	case ir.OpCallImport:
		v = b.NewValueAux(op, ir.I64, 64, vm, i64)
	case ir.OpResult:
		c := b.NewValueAux(ir.OpCall, ir.Tuple, 0, vm)
		c.Results = []ir.Type{ir.I64, ir.I64}
		v = b.NewValueAux(op, ir.I64, 1, c)
	case ir.OpPoll:
		b.NewValue(op, ir.Void)
	case ir.OpStackSwitch:
		v = b.NewValue(op, ir.I64, i64, i64, i64)
	case ir.OpThrow:
		b.NewValueAux(op, ir.Void, 0, vm, i64, i32, f64)
	case ir.OpLandingArg:
		v = b.NewValueAux(op, ir.F64, 1)
	case ir.OpECtx, ir.OpFrameArea:
		v = b.NewValueAux(op, ir.I64, 0)
		if op == ir.OpFrameArea {
			v.Aux = 32
		}
	case ir.OpFuncAddr, ir.OpFibreRoot:
		v = b.NewValueAux(op, ir.I64, 0)
	case ir.OpLoadRaw:
		v = b.NewValueAux(op, ir.I64, 8, i64)
	case ir.OpStoreRaw:
		b.NewValueAux(op, ir.Void, 8, i64, i64)
	case ir.OpContMake:
		ref := b.NewValueAux(ir.OpGlobalGet, ir.Ref, 64, vm)
		c := b.NewValue(op, ir.Cont, ref, i64)
		b.NewValueAux(ir.OpGlobalSet, ir.Void, 80, vm, c)
	case ir.OpContPtr, ir.OpContRev:
		ref := b.NewValueAux(ir.OpGlobalGet, ir.Ref, 64, vm)
		c := b.NewValue(ir.OpContMake, ir.Cont, ref, i64)
		typ := ir.I64
		if op == ir.OpContPtr {
			typ = ir.Ref
		}
		v = b.NewValue(op, typ, c)
	case ir.OpRefFunc:
		v = b.NewValueAux(op, ir.Ref, 3, vm)
		v.Aux2 = 64
	case ir.OpRefAsNonNull:
		v = b.NewValueAux(op, ir.Ref, abi.TrapNullReference, b.NewValueAux(ir.OpGlobalGet, ir.Ref, 64, vm))
	case ir.OpTableGet, ir.OpTableGetFunc:
		v = b.NewValueAux(op, ir.Ref, abi.TrapTableOutOfBounds, vm, i32)
		v.Aux2 = 32
	case ir.OpTableSet, ir.OpTableSetFunc:
		s := b.NewValueAux(op, ir.Void, abi.TrapTableOutOfBounds, vm, i32, b.NewValueAux(ir.OpGlobalGet, ir.Ref, 64, vm))
		s.Aux2 = 32
	case ir.OpTableSize:
		v = b.NewValue(op, ir.I32, vm)
		v.Aux2 = 32
	case ir.OpFuncTypeCheck:
		b.NewValueAux(op, ir.Void, 80, vm, b.NewValueAux(ir.OpGlobalGet, ir.Ref, 64, vm))
	case ir.OpCallRef:
		v = b.NewValue(op, ir.I64, b.NewValueAux(ir.OpGlobalGet, ir.Ref, 64, vm), i64)
	case ir.OpLibcall:
		v = b.NewValueAux(op, ir.I64, abi.LibcallTableGrow, vm, i64, i32)
	case ir.OpTrapNZ:
		b.NewValue(op, ir.Void, i32)
	case ir.OpFuelCheck:
		v = b.NewValueAux(op, ir.I64, 3, i64)
	case ir.OpSelect:
		v = b.NewValue(op, ir.I64, i32, i64, i64)
	case ir.OpStore, ir.OpStore8, ir.OpStore16, ir.OpStore32:
		b.NewValue(op, ir.Void, vm, i32, i64)
	case ir.OpGlobalSet:
		b.NewValueAux(op, ir.Void, 64, vm, i64)
	case ir.OpLoad, ir.OpLoad8S, ir.OpLoad8U, ir.OpLoad16S, ir.OpLoad16U, ir.OpLoad32S, ir.OpLoad32U:
		v = b.NewValue(op, ir.I64, vm, i32)
	case ir.OpMemorySize, ir.OpGlobalGet:
		v = b.NewValue(op, ir.I64, vm)
	case ir.OpFCmp:
		v = b.NewValueAux(op, ir.I32, int64(ir.CondLt), f64, f64)
	case ir.OpICmp:
		v = b.NewValueAux(op, ir.I32, int64(ir.CondLtS), i64, i64)
	case ir.OpWrap, ir.OpEqz:
		v = b.NewValue(op, ir.I32, i64)
	case ir.OpExtendS, ir.OpExtendU:
		v = b.NewValue(op, ir.I64, i32)
	case ir.OpTruncS, ir.OpTruncU, ir.OpTruncSatS, ir.OpTruncSatU:
		v = b.NewValue(op, ir.I64, f64)
	case ir.OpConvertS, ir.OpConvertU:
		v = b.NewValue(op, ir.F64, i64)
	case ir.OpPromote:
		v = b.NewValue(op, ir.F64, b.NewValue(ir.OpDemote, ir.F32, f64))
	case ir.OpDemote:
		v = b.NewValue(op, ir.F32, f64)
	case ir.OpReinterpret:
		v = b.NewValue(op, ir.I64, f64)
	default:
		// The remaining ops are int or float arithmetic of one or two
		// args of the result's type.
		n := ir.Ops[op].Args
		if n < 0 || n > 2 {
			return nil
		}
		if op >= ir.OpFAdd && op <= ir.OpFNearest {
			v = b.NewValue(op, ir.F64, []*ir.Value{f64, f64}[:n]...)
		} else {
			v = b.NewValue(op, ir.I64, []*ir.Value{i64, i64}[:n]...)
		}
	}
	if v != nil {
		f.Results = []ir.Type{v.Type}
		b.SetControls(v)
	}
	return f
}
