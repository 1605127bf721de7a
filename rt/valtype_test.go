package rt

import (
	"testing"

	"wfxc/rt/abi"
)

// TestValType_constants: the reference constants are what the descriptor
// encodes for the nullable abstract reference types.
func TestValType_constants(t *testing.T) {
	tests := []struct {
		name      string
		got, want ValType
	}{
		{"funcref", FuncRef, abi.MakeRefType(true, -0x10)},
		{"externref", ExternRef, abi.MakeRefType(true, -0x11)},
		{"exnref", ExnRef, abi.MakeRefType(true, -0x17)},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %#x, want %#x", tt.name, uint64(tt.got), uint64(tt.want))
		}
		if n := valTypeName(tt.got); n != tt.name {
			t.Errorf("valTypeName(%s) = %q", tt.name, n)
		}
	}
	if s := sigString(Sig([]ValType{I32, F64}, ExternRef)); s != "(i32, f64) -> (externref)" {
		t.Errorf("sigString = %q", s)
	}
}
