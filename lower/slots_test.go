package lower

import (
	"fmt"
	"testing"

	"wfxc/ir"
)

// TestAssignSlots checks first-fit slot reuse: a slot is free again once
// its last occupant has ended, holes are not reused, and unspilled
// intervals get their registers.
func TestAssignSlots(t *testing.T) {
	f := ir.NewFunc("f", 0, nil, nil)
	b := f.Entry()
	mk := func(reg Reg, spilled bool, rs ...liveRange) *interval {
		return &interval{v: b.NewValue(ir.OpConst, ir.I32), ranges: rs, reg: reg, spilled: spilled}
	}
	list := []*interval{
		mk(-1, true, liveRange{0, 4}),
		mk(-1, true, liveRange{2, 6}),
		mk(-1, true, liveRange{4, 8}),                    // reuses slot 0
		mk(-1, true, liveRange{6, 7}, liveRange{20, 22}), // slot 1: free at 6
		mk(-1, true, liveRange{9, 10}),                   // slot 0; slot 1 is held through the hole
		mk(3, false, liveRange{0, 30}),
	}
	a := &Allocation{Locs: make([]Loc, f.NumValues())}
	// Out of order on purpose: assignSlots sorts by start.
	assignSlots(a, list, []*interval{list[4], list[2], list[0], list[3], list[1]})
	if got, want := fmt.Sprint(a.Locs), "[slot0 slot1 slot0 slot1 slot0 r3]"; got != want {
		t.Errorf("locations %s, want %s", got, want)
	}
	if a.NumSlots != 2 {
		t.Errorf("%d slots, want 2", a.NumSlots)
	}
}
