package lower

// Spill slots and final locations (phase 6 of regalloc.go). A spilled
// value lives in one stack slot for its whole life, so slots are handed
// out first-fit in order of interval start: a slot is reused by an
// interval that starts at or after the end of the slot's last occupant.
// Holes are not reused (an interval keeps its slot through them).

import "slices"

// assignSlots gives the spilled intervals their slots, sets a.NumSlots,
// and records the location of every interval of list in a.Locs.
func assignSlots(a *Allocation, list, spilled []*interval) {
	slices.SortStableFunc(spilled, byStart)
	var slotEnd []int32
	for _, iv := range spilled {
		slot := -1
		for s, e := range slotEnd {
			if e <= iv.start() {
				slot = s
				break
			}
		}
		if slot < 0 {
			slot = len(slotEnd)
			slotEnd = append(slotEnd, 0)
		}
		slotEnd[slot] = iv.end()
		a.Locs[iv.v.ID] = Loc{Kind: LocStack, Slot: int32(slot)}
	}
	a.NumSlots = len(slotEnd)
	for _, iv := range list {
		if !iv.spilled {
			a.Locs[iv.v.ID] = RegLoc(iv.reg)
		}
	}
}
