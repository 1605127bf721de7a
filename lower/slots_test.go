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

// TestAssignSlots_wide checks that a 16-byte value takes two adjacent
// slots of the pair pool above the 8-byte slots (never sharing a slot
// with an 8-byte value) and is located at the lower-addressed
// (higher-numbered) one.
func TestAssignSlots_wide(t *testing.T) {
	f := ir.NewFunc("f", 0, nil, nil)
	b := f.Entry()
	mk := func(typ ir.Type, rs ...liveRange) *interval {
		return &interval{v: b.NewValue(ir.OpConst, typ), ranges: rs, reg: -1, spilled: true}
	}
	list := []*interval{
		mk(ir.I64, liveRange{0, 4}),   // slot 0
		mk(ir.I64, liveRange{1, 10}),  // slot 1
		mk(ir.Cont, liveRange{2, 8}),  // pair 0: slots 2, 3
		mk(ir.Cont, liveRange{5, 12}), // slot 0 is free, but pairs stay apart: pair 1, slots 4, 5
		mk(ir.I64, liveRange{9, 11}),  // slot 0
		mk(ir.Cont, liveRange{9, 12}), // pair 0 (free at 8)
	}
	a := &Allocation{Locs: make([]Loc, f.NumValues())}
	assignSlots(a, list, append([]*interval(nil), list...))
	if got, want := fmt.Sprint(a.Locs), "[slot0 slot1 slot3 slot5 slot0 slot3]"; got != want {
		t.Errorf("locations %s, want %s", got, want)
	}
	if a.NumSlots != 6 {
		t.Errorf("%d slots, want 6", a.NumSlots)
	}
}

// TestAssignSlots_pairsApart: a 16-byte value starting where two 8-byte
// values end does not take their slots (a parallel move on that edge
// would compare the pair with each slot for equality only).
func TestAssignSlots_pairsApart(t *testing.T) {
	f := ir.NewFunc("f", 0, nil, nil)
	b := f.Entry()
	mk := func(typ ir.Type, rs ...liveRange) *interval {
		return &interval{v: b.NewValue(ir.OpConst, typ), ranges: rs, reg: -1, spilled: true}
	}
	list := []*interval{
		mk(ir.F32, liveRange{0, 4}),  // slot 0
		mk(ir.I64, liveRange{0, 4}),  // slot 1
		mk(ir.Cont, liveRange{4, 8}), // not slots 0 and 1: the pair above them
	}
	a := &Allocation{Locs: make([]Loc, f.NumValues())}
	assignSlots(a, list, append([]*interval(nil), list...))
	if got, want := fmt.Sprint(a.Locs), "[slot0 slot1 slot3]"; got != want {
		t.Errorf("locations %s, want %s", got, want)
	}
}
