package main

import (
	"fmt"
	"strings"

	"wfxc/frontend/wat"
)

// v128 values on the command line are written as the text format writes
// v128.const operands, as one argument: a shape and its lanes,
// "i32x4 1 2 3 -4", "f64x2 1.5 -inf", "i8x16 0 1 … 15". Results print as
// v128:i32x4 followed by the four lanes as unsigned decimals.

// v128Shapes maps a shape to its lane count and lane width in bits.
var v128Shapes = map[string][2]int{"i8x16": {16, 8}, "i16x8": {8, 16}, "i32x4": {4, 32}, "i64x2": {2, 64},
	"f32x4": {4, 32}, "f64x2": {2, 64}}

// parseV128 parses a v128 argument into its two slots.
func parseV128(s string) ([]uint64, error) {
	f := strings.Fields(s)
	if len(f) == 0 {
		return nil, fmt.Errorf("want a v128 as a shape and its lanes, like \"i32x4 1 2 3 4\"")
	}
	sh, ok := v128Shapes[f[0]]
	if !ok {
		return nil, fmt.Errorf("unknown v128 shape %q, want i8x16, i16x8, i32x4, i64x2, f32x4 or f64x2", f[0])
	}
	n, w := sh[0], sh[1]
	if len(f) != 1+n {
		return nil, fmt.Errorf("%s takes %d lanes, got %d", f[0], n, len(f)-1)
	}
	var slots [2]uint64
	for i, l := range f[1:] {
		var x uint64
		var err error
		if f[0][0] == 'f' {
			x, err = wat.ParseFloat(l, w)
		} else {
			x, err = wat.ParseInt(l, uint(w))
		}
		if err != nil {
			return nil, fmt.Errorf("lane %d: %w", i, err)
		}
		if w < 64 {
			x &= 1<<w - 1
		}
		bit := i * w
		slots[bit/64] |= x << (bit % 64)
	}
	return slots[:], nil
}

// formatV128 prints a v128 result as its four i32 lanes.
func formatV128(slots []uint64) string {
	return fmt.Sprintf("v128:i32x4 %d %d %d %d", uint32(slots[0]), uint32(slots[0]>>32), uint32(slots[1]), uint32(slots[1]>>32))
}
