package ir

import (
	"testing"

	"wfxc/rt/abi"
)

// TestEval_cases covers what the run files cannot express: unmasked
// inputs, ok=false for ops or types Eval does not handle.
func TestEval_cases(t *testing.T) {
	tests := []struct {
		name    string
		op      Op
		t, argT Type
		aux     int64
		args    []uint64
		want    uint64
		trap    int64
		ok      bool
	}{
		{"addMasksInputs", OpAdd, I32, I32, 0, []uint64{0xffffffff_ffffffff, 2}, 1, 0, true},
		{"constI32SignExtended", OpConst, I32, I32, -1, nil, 0xffffffff, 0, true},
		{"constF32", OpConst, F32, F32, 0x3fc00000, nil, 0x3fc00000, 0, true},
		{"divsOverflow64", OpDivS, I64, I64, 0, []uint64{1 << 63, 1<<64 - 1}, 0, abi.TrapIntOverflow, true},
		{"icmpI64", OpICmp, I32, I64, int64(CondLtS), []uint64{1<<64 - 1, 0}, 1, 0, true},
		{"icmpRefEq", OpICmp, I32, Ref, int64(CondEq), []uint64{8, 8}, 1, 0, true},
		{"icmpBadCond", OpICmp, I32, I32, int64(CondLt), []uint64{1, 2}, 0, 0, false},
		{"fcmpBadCond", OpFCmp, I32, F64, int64(CondLtS), []uint64{1, 2}, 0, 0, false},
		{"selectFloat", OpSelect, F64, F64, 0, []uint64{0, 1, 2}, 2, 0, true},
		{"load", OpLoad, I32, I32, 0, []uint64{0, 0}, 0, 0, false},
		{"phi", OpPhi, I32, I32, 0, []uint64{0}, 0, 0, false},
		{"addMixedTypes", OpAdd, I64, I32, 0, []uint64{1, 2}, 0, 0, false},
		{"wrapFromI32", OpWrap, I32, I32, 0, []uint64{1}, 0, 0, false},
		{"reinterpretSameType", OpReinterpret, I32, I32, 0, []uint64{1}, 0, 0, false},
		{"promoteWrongArg", OpPromote, F64, F64, 0, []uint64{1}, 0, 0, false},
		{"tooFewArgs", OpAdd, I32, I32, 0, []uint64{1}, 0, 0, false},
		{"truncU64Big", OpTruncU, I64, F64, 0, []uint64{0x43efffffffffffff}, 0xfffffffffffff800, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, trap, ok := Eval(tt.op, tt.t, tt.argT, tt.aux, tt.args)
			if got != tt.want || trap != tt.trap || ok != tt.ok {
				t.Errorf("Eval = %#x, trap %d, ok %v; want %#x, trap %d, ok %v", got, trap, ok, tt.want, tt.trap, tt.ok)
			}
		})
	}
}

// TestEval_roundingQuietsNaN: the rounding ops return an arithmetic NaN
// (quiet bit set, payload kept) for a signalling NaN input.
func TestEval_roundingQuietsNaN(t *testing.T) {
	for _, op := range []Op{OpFCeil, OpFFloor, OpFTrunc, OpFNearest} {
		for _, tc := range []struct {
			t       Type
			in, out uint64
		}{
			{F64, 0x7ff4000000000000, 0x7ffc000000000000},
			{F64, 0xfff0000000000001, 0xfff8000000000001},
			{F32, 0x7fa00000, 0x7fe00000},
			{F32, 0xff800001, 0xffc00001},
		} {
			got, trap, ok := Eval(op, tc.t, tc.t, 0, []uint64{tc.in})
			if got != tc.out || trap != 0 || !ok {
				t.Errorf("%s %s(%#x) = %#x, %d, %v; want %#x", op, tc.t, tc.in, got, trap, ok, tc.out)
			}
		}
	}
}
