package ir

import (
	"strings"
	"testing"

	"wfxc/rt/abi"
)

// TestVerify_libcall checks libcall sites against the libcall table.
func TestVerify_libcall(t *testing.T) {
	tests := []struct {
		name  string
		build func(b *Block, vm, x64, x32, ref *Value)
		err   string // "" = valid
	}{
		{"memory.grow", func(b *Block, vm, x64, x32, ref *Value) {
			b.NewValueAux(OpLibcall, I32, abi.LibcallMemoryGrow, vm, x64, x64)
		}, ""},
		{"table.fill", func(b *Block, vm, x64, x32, ref *Value) {
			s := b.NewValueAux(OpLibcall, I32, abi.LibcallTableFill, vm, x64, x64, ref, x64)
			b.NewValue(OpTrapNZ, Void, s)
		}, ""},
		{"unknown index", func(b *Block, vm, x64, x32, ref *Value) {
			b.NewValueAux(OpLibcall, Void, 2, vm)
		}, "libcall 2 is not in the libcall table"},
		{"too few operands", func(b *Block, vm, x64, x32, ref *Value) {
			b.NewValueAux(OpLibcall, I32, abi.LibcallMemoryInit, vm, x64, x64)
		}, "libcall memory.init: 2 operands, want 5"},
		{"i32 operand", func(b *Block, vm, x64, x32, ref *Value) {
			b.NewValueAux(OpLibcall, Void, abi.LibcallDataDrop, vm, x32)
		}, "libcall data.drop: operand 0 (v2) has type i32, want i64"},
		{"integer for a ref slot", func(b *Block, vm, x64, x32, ref *Value) {
			b.NewValueAux(OpLibcall, I32, abi.LibcallTableGrow, vm, x64, x64, x64)
		}, "libcall table.grow: operand 2 (v1) has type i64, want ref"},
		{"status of the wrong type", func(b *Block, vm, x64, x32, ref *Value) {
			b.NewValueAux(OpLibcall, I64, abi.LibcallMemoryFill, vm, x64, x64, x64, x64)
		}, "libcall memory.fill: type i64, want i32 (a status)"},
		{"no vmctx", func(b *Block, vm, x64, x32, ref *Value) {
			b.NewValueAux(OpLibcall, Void, abi.LibcallElemDrop, x64, x64)
		}, "libcall elem.drop: arg 0 is not the vmctx value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := NewFunc("f", 0, []Type{I64, I32, Ref}, nil)
			b := f.Entry()
			b.Kind = BlockReturn
			vm := b.NewValue(OpVMCtx, I64)
			x64 := b.NewValueAux(OpParam, I64, 0)
			x32 := b.NewValueAux(OpParam, I32, 1)
			ref := b.NewValueAux(OpParam, Ref, 2)
			tt.build(b, vm, x64, x32, ref)
			err := Verify(f)
			switch {
			case tt.err == "" && err != nil:
				t.Fatalf("Verify: %v, want no error", err)
			case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
				t.Fatalf("Verify: %v, want an error containing %q", err, tt.err)
			}
		})
	}
}
