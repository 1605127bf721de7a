package testsuite

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"wfxc/rt/abi"
)

// errUnsupportedValue marks a value the runner cannot pass or check yet.
type errUnsupportedValue struct{ typ string }

func (e errUnsupportedValue) Error() string { return "unsupported value type " + e.typ }

// Scalar returns the string of a scalar value, or "" and false when absent.
func (v Value) Scalar() (string, bool) {
	if len(v.Value) == 0 {
		return "", false
	}
	var s string
	if err := json.Unmarshal(v.Value, &s); err != nil {
		return "", false
	}
	return s, true
}

// Reference values at the host boundary: null is 0; the spec's host
// reference `ref.extern N` is the word N+1 (any non-zero word is a valid
// externref for the engine); a funcref is the address of its record.

// argBits converts an argument to its raw bits.
func argBits(v Value) (uint64, error) {
	s, ok := v.Scalar()
	switch v.Type {
	case "externref", "funcref":
		if !ok || s == "null" {
			return 0, nil
		}
		if v.Type == "funcref" {
			return 0, errUnsupportedValue{"non-null funcref argument"}
		}
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("bad externref argument %q", s)
		}
		return n + 1, nil
	case "i32", "i64", "f32", "f64":
		if !ok {
			return 0, fmt.Errorf("argument of type %s without a value", v.Type)
		}
		bits, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("bad %s argument %q", v.Type, s)
		}
		return bits, nil
	}
	return 0, errUnsupportedValue{v.Type}
}

// valTypeOf maps a JSON value type name to a descriptor value type.
func valTypeOf(name string) (abi.ValType, bool) {
	switch name {
	case "i32":
		return abi.ValType(0x7F), true
	case "i64":
		return abi.ValType(0x7E), true
	case "f32":
		return abi.ValType(0x7D), true
	case "f64":
		return abi.ValType(0x7C), true
	case "funcref", "nullfuncref", "refnull":
		return abi.MakeRefType(true, -0x10), true
	case "externref", "nullexternref":
		return abi.MakeRefType(true, -0x11), true
	case "v128":
		return abi.ValType(0x7B), true
	}
	return 0, false
}

// matchResult checks one result against an expected value pattern.
func matchResult(want Value, got uint64) (bool, error) {
	s, ok := want.Scalar()
	switch want.Type {
	case "refnull", "nullfuncref", "nullexternref":
		return got == 0, nil
	case "funcref", "externref":
		switch {
		case !ok:
			return got != 0, nil // any non-null reference
		case s == "null":
			return got == 0, nil
		case want.Type == "funcref":
			return false, errUnsupportedValue{"funcref value pattern"}
		}
		n, err := strconv.ParseUint(s, 10, 64)
		return err == nil && got == n+1, nil
	case "i32":
		w, err := strconv.ParseUint(s, 10, 64)
		return ok && err == nil && uint32(w) == uint32(got), nil
	case "i64":
		w, err := strconv.ParseUint(s, 10, 64)
		return ok && err == nil && w == got, nil
	case "f32":
		g := uint32(got)
		switch s {
		case "nan:canonical":
			return g&0x7fffffff == 0x7fc00000, nil
		case "nan:arithmetic":
			return g&0x7fc00000 == 0x7fc00000, nil
		}
		w, err := strconv.ParseUint(s, 10, 32)
		return ok && err == nil && uint32(w) == g, nil
	case "f64":
		switch s {
		case "nan:canonical":
			return got&0x7fffffffffffffff == 0x7ff8000000000000, nil
		case "nan:arithmetic":
			return got&0x7ff8000000000000 == 0x7ff8000000000000, nil
		}
		w, err := strconv.ParseUint(s, 10, 64)
		return ok && err == nil && w == got, nil
	}
	return false, errUnsupportedValue{want.Type}
}

// formatResult prints a raw result of a JSON type for failure messages.
func formatResult(typ string, bits uint64) string {
	switch typ {
	case "i32":
		return fmt.Sprintf("i32:%d", uint32(bits))
	case "f32":
		return fmt.Sprintf("f32:%d (%g)", uint32(bits), math.Float32frombits(uint32(bits)))
	case "f64":
		return fmt.Sprintf("f64:%d (%g)", bits, math.Float64frombits(bits))
	}
	return fmt.Sprintf("%s:%d", typ, bits)
}

// v128 values travel as two raw slots (low 8 bytes first). A JSON v128
// lists its lanes as strings of lane_type: i8, i16, i32, i64 (the lanes'
// bits as unsigned decimals), f32, f64 (IEEE bits, or nan:canonical /
// nan:arithmetic in patterns).

// v128Lanes returns the lane width in bits of a v128 value's lane_type.
func v128Lanes(v Value) (int, bool) {
	switch v.LaneType {
	case "i8":
		return 8, true
	case "i16":
		return 16, true
	case "i32", "f32":
		return 32, true
	case "i64", "f64":
		return 64, true
	}
	return 0, false
}

// v128LaneStrings returns the lane strings of a v128 value.
func v128LaneStrings(v Value) ([]string, error) {
	var lanes []string
	if err := json.Unmarshal(v.Value, &lanes); err != nil {
		return nil, fmt.Errorf("bad v128 value %s", v.Value)
	}
	w, ok := v128Lanes(v)
	if !ok || len(lanes)*w != 128 {
		return nil, fmt.Errorf("bad v128 value: %d lanes of type %q", len(lanes), v.LaneType)
	}
	return lanes, nil
}

// lane returns lane i (of width w bits) of the 128 bits {lo, hi}.
func lane(lo, hi uint64, w, i int) uint64 {
	bit := w * i
	x := lo
	if bit >= 64 {
		x, bit = hi, bit-64
	}
	if w == 64 {
		return x
	}
	return x >> bit & (1<<w - 1)
}

// argSlots converts an argument to its raw slots (two for a v128).
func argSlots(v Value) ([]uint64, error) {
	if v.Type != "v128" {
		b, err := argBits(v)
		return []uint64{b}, err
	}
	lanes, err := v128LaneStrings(v)
	if err != nil {
		return nil, err
	}
	w, _ := v128Lanes(v)
	var s [2]uint64
	for i, l := range lanes {
		x, err := strconv.ParseUint(l, 10, w)
		if err != nil {
			return nil, fmt.Errorf("bad %s lane %q", v.LaneType, l)
		}
		bit := w * i
		s[bit/64] |= x << (bit % 64)
	}
	return s[:], nil
}

// slotCount is the number of raw slots of a value of JSON type typ.
func slotCount(typ string) int {
	if typ == "v128" {
		return 2
	}
	return 1
}

// matchSlots checks the result slots got (slotCount(want.Type) of them)
// against want.
func matchSlots(want Value, got []uint64) (bool, error) {
	if want.Type != "v128" {
		return matchResult(want, got[0])
	}
	lanes, err := v128LaneStrings(want)
	if err != nil {
		return false, err
	}
	w, _ := v128Lanes(want)
	for i, l := range lanes {
		lw := Value{Type: want.LaneType, Value: json.RawMessage(strconv.Quote(l))}
		if w < 32 {
			lw.Type = "i32"
		}
		ok, err := matchResult(lw, lane(got[0], got[1], w, i))
		if err != nil || !ok {
			return false, err
		}
	}
	return true, nil
}

// formatSlots prints result slots of a JSON type for failure messages.
func formatSlots(want Value, got []uint64) string {
	if want.Type != "v128" {
		return formatResult(want.Type, got[0])
	}
	w, ok := v128Lanes(want)
	if !ok {
		return fmt.Sprintf("v128:%#016x%016x", got[1], got[0])
	}
	s := "v128:" + want.LaneType
	for i := range 128 / w {
		s += fmt.Sprintf(" %d", lane(got[0], got[1], w, i))
	}
	return s
}
