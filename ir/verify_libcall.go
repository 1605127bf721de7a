package ir

import (
	"fmt"

	"wfxc/rt/abi"
)

// checkLibcall checks a libcall site against its row of the one libcall
// table (rt/abi/libcall.go): the index names a libcall, the operands after
// the vmctx match its argument slots one by one (an integer slot takes an
// i64 — the site zero-extends i32 operands — and a reference slot a ref),
// and the value's type matches the result slot.
func checkLibcall(v *Value) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("value v%d (%s): %s", v.ID, v.Op, fmt.Sprintf(format, args...))
	}
	row := abi.Libcall(v.Aux)
	if row == nil {
		return bad("libcall %d is not in the libcall table", v.Aux)
	}
	if len(v.Args) == 0 || v.Args[0].Op != OpVMCtx {
		return bad("libcall %s: arg 0 is not the vmctx value", row.Name)
	}
	if got, want := len(v.Args)-1, len(row.Args); got != want {
		return bad("libcall %s: %d operands, want %d", row.Name, got, want)
	}
	for i, kind := range row.Args {
		a := v.Args[i+1]
		switch {
		case !kind.IsArg():
			return bad("libcall %s: operand %d has slot kind %d in the libcall table, want an argument kind", row.Name, i, kind)
		case kind == abi.SlotU64 && a.Type != I64:
			return bad("libcall %s: operand %d (v%d) has type %s, want i64", row.Name, i, a.ID, a.Type)
		case kind == abi.SlotRef && a.Type != Ref:
			return bad("libcall %s: operand %d (v%d) has type %s, want ref", row.Name, i, a.ID, a.Type)
		}
	}
	var ok bool
	want := ""
	switch row.Result {
	case abi.SlotNone, abi.SlotNoReturn:
		ok, want = v.Type == Void, "void"
	case abi.SlotU64:
		ok, want = v.Type == I64, "i64"
	case abi.SlotRef:
		ok, want = v.Type == Ref, "ref"
	case abi.SlotIndex:
		ok, want = v.Type == I32 || v.Type == I64, "i32 or i64"
	case abi.SlotStatus:
		ok, want = v.Type == I32, "i32 (a status)"
	default:
		return bad("libcall %s: result slot kind %d in the libcall table, want a result kind", row.Name, row.Result)
	}
	if !ok {
		return bad("libcall %s: type %s, want %s", row.Name, v.Type, want)
	}
	return nil
}
