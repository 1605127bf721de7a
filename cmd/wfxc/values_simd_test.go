package main

import (
	"strings"
	"testing"
)

func TestParseV128(t *testing.T) {
	tests := []struct {
		name, in string
		want     [2]uint64
		err      string
	}{
		{"i32x4", "i32x4 1 2 3 -1", [2]uint64{0x0000000200000001, 0xffffffff00000003}, ""},
		{"i8x16", "i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 -1", [2]uint64{0x0706050403020100, 0xff0e0d0c0b0a0908}, ""},
		{"i16x8", "i16x8 1 0 0 0 0 0 0 0x8000", [2]uint64{1, 0x8000 << 48}, ""},
		{"f64x2", "f64x2 1 -inf", [2]uint64{0x3ff0000000000000, 0xfff0000000000000}, ""},
		{"f32x4", "f32x4 1 0 0 -0", [2]uint64{0x3f800000, 0x8000000000000000}, ""},
		{"badShape", "i32x2 1 2", [2]uint64{}, "unknown v128 shape"},
		{"lanes", "i64x2 1", [2]uint64{}, "takes 2 lanes, got 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseV128(tc.in)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want one containing %q", err, tc.err)
				}
				return
			}
			if err != nil || got[0] != tc.want[0] || got[1] != tc.want[1] {
				t.Fatalf("parseV128(%q) = %#x, %v, want %#x", tc.in, got, err, tc.want)
			}
		})
	}
	if got := formatV128([]uint64{0x0000000200000001, 0xffffffff00000003}); got != "v128:i32x4 1 2 3 4294967295" {
		t.Errorf("formatV128 = %q", got)
	}
}
