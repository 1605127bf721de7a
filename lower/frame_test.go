package lower

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLayoutFrame(t *testing.T) {
	callee := []Reg{3, 12, 13, 14}
	tests := []struct {
		name     string
		used     RegSet
		slots    int
		spec     FrameSpec
		want     Frame
		slot2    int64 // SlotOff(2)
		callWord int64 // CallWordOff(1)
	}{
		{"leaf", 0, 0, FrameSpec{Word: 8, Align: 16},
			Frame{Word: 8, SlotBase: 8, CallBase: 8, Size: 0}, -24, -16},
		{"docExample", 1<<12 | 1<<3 | 1<<0, 3, FrameSpec{Word: 8, Align: 16, CallWords: 2, OutBytes: 24},
			Frame{Saved: []Reg{3, 12}, Word: 8, SlotBase: 24, CallBase: 48, Size: 80}, -40, -56},
		{"roundedUp", 1 << 14, 1, FrameSpec{Word: 8, Align: 16, OutBytes: 8},
			Frame{Saved: []Reg{14}, Word: 8, SlotBase: 16, CallBase: 24, Size: 32}, -32, -32},
		{"saveAll", 0, 0, FrameSpec{Word: 8, Align: 16, SaveAll: true},
			Frame{Saved: callee, Word: 8, SlotBase: 40, CallBase: 40, Size: 32}, -56, -48},
		{"word4Align8", 1 << 13, 1, FrameSpec{Word: 4, Align: 8, CallWords: 2},
			Frame{Saved: []Reg{13}, Word: 4, SlotBase: 8, CallBase: 12, Size: 16}, -16, -16},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.spec.CalleeSaved = callee
			f := LayoutFrame(&Allocation{NumSlots: tt.slots, UsedRegs: tt.used}, tt.spec)
			if diff := cmp.Diff(tt.want, f); diff != "" {
				t.Errorf("LayoutFrame (-want +got):\n%s", diff)
			}
			if got := f.SlotOff(2); got != tt.slot2 {
				t.Errorf("SlotOff(2) = %d, want %d", got, tt.slot2)
			}
			if got := f.CallWordOff(1); got != tt.callWord {
				t.Errorf("CallWordOff(1) = %d, want %d", got, tt.callWord)
			}
			for i := range f.Saved {
				if got := f.SavedOff(i); got != -f.Word*int64(i+1) {
					t.Errorf("SavedOff(%d) = %d", i, got)
				}
			}
			if f.Size%tt.spec.Align != 0 || f.Size < -f.CallWordOff(tt.spec.CallWords)-f.Word+tt.spec.OutBytes {
				t.Errorf("Size %d: not aligned or too small for the call words and the outgoing area", f.Size)
			}
		})
	}
}
