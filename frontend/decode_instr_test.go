package frontend

import (
	"reflect"
	"strings"
	"testing"
)

func TestInstrReader_immediates(t *testing.T) {
	tests := []struct {
		name  string
		code  string
		check func(in *Instr) bool
	}{
		{"i32.const -1", "\x41\x7f", func(in *Instr) bool { return in.Op == OpI32Const && int64(in.Const) == -1 }},
		{"i64.const min", "\x42\x80\x80\x80\x80\x80\x80\x80\x80\x80\x7f", func(in *Instr) bool { return int64(in.Const) == -1<<63 }},
		{"f32.const 1", "\x43\x00\x00\x80\x3f", func(in *Instr) bool { return in.Const == 0x3f800000 }},
		{"block type index", "\x02\x05", func(in *Instr) bool { return in.Block == BlockType{Index: 5} }},
		{"block empty", "\x02\x40", func(in *Instr) bool { return in.Block.Empty && in.Block.Index == -1 }},
		{"block (ref null 3)", "\x02\x63\x03", func(in *Instr) bool {
			return in.Block == BlockType{Val: ValType{Code: CodeRefNull, Heap: 3}, Index: -1}
		}},
		{"br_table", "\x0e\x02\x01\x02\x00", func(in *Instr) bool { return reflect.DeepEqual(in.Labels, []uint32{1, 2, 0}) }},
		{"call_indirect", "\x11\x04\x01", func(in *Instr) bool { return in.Idx == [2]uint32{4, 1} }},
		{"load memarg with memory", "\x28\x42\x03\x10", func(in *Instr) bool {
			return in.Mem == MemArg{Align: 2, Mem: 3, Offset: 16}
		}},
		{"memop flags", "\x28\x80\x01\x00", nil},
		{"select t", "\x1c\x01\x7e", func(in *Instr) bool { return reflect.DeepEqual(in.Types, []ValType{I64}) }},
		{"try_table", "\x1f\x40\x02\x00\x01\x02\x03\x03", func(in *Instr) bool {
			return reflect.DeepEqual(in.Catches, []Catch{{Kind: CatchTag, Tag: 1, Label: 2}, {Kind: CatchAllRef, Label: 3}})
		}},
		{"bad catch", "\x1f\x40\x01\x04\x00", nil},
		{"resume_throw", "\xe4\x01\x02\x02\x00\x03\x04\x01\x05", func(in *Instr) bool {
			return in.Idx == [2]uint32{1, 2} &&
				reflect.DeepEqual(in.Handlers, []Handler{{Tag: 3, Label: 4}, {Switch: true, Tag: 5}})
		}},
		{"bad handler", "\xe3\x00\x01\x02\x00", nil},
		{"switch", "\xe6\x07\x08", func(in *Instr) bool { return in.Idx == [2]uint32{7, 8} }},
		{"ref.null cont", "\xd0\x68", func(in *Instr) bool { return in.Heap == HeapCont }},
		{"struct.get", "\xfb\x02\x03\x04", func(in *Instr) bool { return in.Sub == GCStructGet && in.Idx == [2]uint32{3, 4} }},
		{"ref.cast null", "\xfb\x17\x6e", func(in *Instr) bool { return in.Nullable && in.Heap == HeapAny }},
		{"br_on_cast", "\xfb\x18\x01\x02\x6e\x6b", func(in *Instr) bool {
			return in.Idx[0] == 2 && in.RefFrom == refNull(HeapAny) && in.RefTo == refNonNull(HeapStruct)
		}},
		{"br_on_cast flags", "\xfb\x18\x04\x00\x6e\x6b", nil},
		{"memory.init", "\xfc\x08\x01\x02", func(in *Instr) bool { return in.Sub == MiscMemoryInit && in.Idx == [2]uint32{1, 2} }},
		{"v128.const", "\xfd\x0c" + strings.Repeat("\x01", 16), func(in *Instr) bool { return in.V128[15] == 1 }},
		{"load8_lane", "\xfd\x54\x00\x05\x0f", func(in *Instr) bool { return in.Mem.Offset == 5 && in.Lane == 15 }},
		{"relaxed madd", "\xfd\x85\x02", func(in *Instr) bool { return in.Sub == 0x105 }},
		{"illegal simd", "\xfd\x9a\x01", nil},
		{"illegal gc", "\xfb\x1f", nil},
		{"illegal misc", "\xfc\x12", nil},
		{"legacy try", "\x06\x40", nil},
		{"truncated", "\x41", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ir := NewInstrReader([]byte(tc.code), 100)
			in, err := ir.Next()
			if tc.check == nil {
				var e *Error
				if err == nil {
					t.Fatalf("decoded %+v, want an error", in)
				}
				if e, _ = err.(*Error); e == nil || e.Offset < 100 {
					t.Fatalf("error %v lacks a module offset", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if in.Offset != 100 || !ir.EOF() {
				t.Errorf("offset %d, EOF %v; want 100, true", in.Offset, ir.EOF())
			}
			if !tc.check(in) {
				t.Errorf("decoded %+v", in)
			}
		})
	}
}
