package rt

import (
	"fmt"
	"strings"

	"wfxc/rt/abi"
)

// ValType is a wasm value type (abi.ValType): use the constants below
// rather than binary codes.
type ValType = abi.ValType

// FuncType is a function signature (abi.FuncType).
type FuncType = abi.FuncType

// The value types of the host boundary. A reference type's heap type is
// kept in the bits above the code (abi.MakeRefType); these are the
// nullable abstract ones.
const (
	I32       ValType = 0x7F
	I64       ValType = 0x7E
	F32       ValType = 0x7D
	F64       ValType = 0x7C
	V128      ValType = 0x7B
	FuncRef   ValType = 0xFFFF_FFFF_FFFF_F063 // (ref null func): heap type -0x10
	ExternRef ValType = 0xFFFF_FFFF_FFFF_EF63 // (ref null extern): heap type -0x11
	ExnRef    ValType = 0xFFFF_FFFF_FFFF_E963 // (ref null exn): heap type -0x17
)

// Sig returns the signature with params and results.
func Sig(params []ValType, results ...ValType) FuncType {
	return FuncType{Params: params, Results: results}
}

// valTypeName names t as the text format does.
func valTypeName(t ValType) string {
	switch t {
	case I32:
		return "i32"
	case I64:
		return "i64"
	case F32:
		return "f32"
	case F64:
		return "f64"
	case V128:
		return "v128"
	case FuncRef:
		return "funcref"
	case ExternRef:
		return "externref"
	case ExnRef:
		return "exnref"
	}
	null := ""
	if t.Code() == 0x63 {
		null = "null "
	}
	if t.Code() == 0x63 || t.Code() == 0x64 {
		return fmt.Sprintf("(ref %s%d)", null, t.Heap())
	}
	return fmt.Sprintf("type 0x%x", t.Code())
}

// sigString writes a signature as "(i32, i64) -> (f64)".
func sigString(t FuncType) string {
	names := func(ts []ValType) string {
		s := make([]string, len(ts))
		for i, v := range ts {
			s[i] = valTypeName(v)
		}
		return "(" + strings.Join(s, ", ") + ")"
	}
	return names(t.Params) + " -> " + names(t.Results)
}
