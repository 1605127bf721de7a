package main

import (
	"fmt"
	"math"
	"strconv"

	"wfxc/frontend/wat"
	"wfxc/rt/abi"
)

// Values on the command line of `wfxc run --invoke`: arguments are written
// as the text format writes constants (42, -7, 0x10, 1.5, -0x1p-3, inf,
// -nan, nan:0x200000) and references as null, or N for the host reference
// `ref.extern N`; results print as TYPE:VALUE (see formatValue).

// Abstract heap types (their negative s33 codes, abi.ValType.Heap).
const (
	heapNoExn    = -0x0C
	heapNoFunc   = -0x0D
	heapNoExtern = -0x0E
	heapNone     = -0x0F
	heapFunc     = -0x10
	heapExtern   = -0x11
	heapAny      = -0x12
	heapEq       = -0x13
	heapI31      = -0x14
	heapStruct   = -0x15
	heapArray    = -0x16
	heapExn      = -0x17
	heapCont     = -0x18
	heapNoCont   = -0x0B
)

var heapNames = map[int64]string{
	heapNoExn: "noexn", heapNoFunc: "nofunc", heapNoExtern: "noextern", heapNone: "none",
	heapFunc: "func", heapExtern: "extern", heapAny: "any", heapEq: "eq", heapI31: "i31",
	heapStruct: "struct", heapArray: "array", heapExn: "exn", heapCont: "cont", heapNoCont: "nocont",
}

// isRef reports whether t is a reference type.
func isRef(t abi.ValType) bool { return t.Code() == 0x63 || t.Code() == 0x64 }

// parseArg parses argument s of type t into its slots (of a module with
// types: continuation references take two).
func parseArg(t abi.ValType, s string, types []abi.FuncType) ([]uint64, error) {
	switch t.Code() {
	case 0x7F, 0x7E:
		bits := uint(32)
		if t.Code() == 0x7E {
			bits = 64
		}
		v, err := wat.ParseInt(s, bits)
		return []uint64{v}, err
	case 0x7D, 0x7C:
		bits := 32
		if t.Code() == 0x7C {
			bits = 64
		}
		v, err := wat.ParseFloat(s, bits)
		return []uint64{v}, err
	case 0x63, 0x64:
		n := t.SlotsIn(types)
		if s == "null" {
			if t.Code() == 0x64 {
				return nil, fmt.Errorf("null is not a value of a non-nullable reference type")
			}
			return make([]uint64, n), nil
		}
		if t.Heap() == heapExtern {
			v, err := strconv.ParseUint(s, 10, 64)
			if err != nil || v == math.MaxUint64 {
				return nil, fmt.Errorf("want null or a host reference number")
			}
			return []uint64{v + 1}, nil
		}
		return nil, fmt.Errorf("only null can be passed as a %s (and N, meaning ref.extern N, as an externref)", typeName(t))
	case 0x7B:
		return parseV128(s) // values_simd.go
	}
	return nil, fmt.Errorf("unsupported parameter type 0x%x", t.Code())
}

// typeName names a value type as the text format does.
func typeName(t abi.ValType) string {
	switch t.Code() {
	case 0x7F:
		return "i32"
	case 0x7E:
		return "i64"
	case 0x7D:
		return "f32"
	case 0x7C:
		return "f64"
	case 0x7B:
		return "v128"
	case 0x63, 0x64:
		h, ok := heapNames[t.Heap()]
		if !ok {
			h = strconv.FormatInt(t.Heap(), 10) // a type index
		}
		if t.Code() == 0x63 {
			if ok {
				return h + "ref"
			}
			return "(ref null " + h + ")"
		}
		return "(ref " + h + ")"
	}
	return fmt.Sprintf("value of type 0x%x", t.Code())
}

// formatValue prints a result from its slots as TYPE:VALUE; integers as the
// unsigned decimal of their bits (like the spec test data), floats as their
// value (nan with its payload when it is not the canonical one), references as null, N for the host reference
// `ref.extern N`, or "ref" for any other non-null reference.
func formatValue(t abi.ValType, slots []uint64) string {
	bits := slots[0]
	name := typeName(t)
	switch t.Code() {
	case 0x7F:
		return fmt.Sprintf("i32:%d", uint32(bits))
	case 0x7E:
		return fmt.Sprintf("i64:%d", bits)
	case 0x7D:
		f := math.Float32frombits(uint32(bits))
		if f != f {
			return "f32:" + nanString(uint64(uint32(bits)), 23, 31)
		}
		return "f32:" + floatString(float64(f), 32)
	case 0x7C:
		f := math.Float64frombits(bits)
		if f != f {
			return "f64:" + nanString(bits, 52, 63)
		}
		return "f64:" + floatString(f, 64)
	case 0x7B:
		return formatV128(slots) // values_simd.go
	case 0x63, 0x64:
		switch {
		case bits == 0:
			return name + ":null"
		case t.Heap() == heapExtern:
			return fmt.Sprintf("%s:%d", name, bits-1)
		}
		return name + ":ref"
	}
	return fmt.Sprintf("%s:%d", name, bits)
}

// nanString writes a NaN as the text format does: [-]nan, or nan:0x… when
// its payload (mantBits wide, the sign at bit signBit) is not canonical.
func nanString(bits uint64, mantBits, signBit uint) string {
	s := ""
	if bits>>signBit&1 != 0 {
		s = "-"
	}
	payload := bits & (1<<mantBits - 1)
	if payload == 1<<(mantBits-1) {
		return s + "nan"
	}
	return fmt.Sprintf("%snan:0x%x", s, payload)
}

// floatString writes a non-NaN float of bits = 32 or 64 bits: the shortest
// decimal that reads back as the same value, or [-]inf.
func floatString(f float64, bits int) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	return strconv.FormatFloat(f, 'g', -1, bits)
}
