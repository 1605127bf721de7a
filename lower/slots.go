package lower

// Spill slots and final locations (phase 6 of regalloc.go). A spilled
// value lives in one stack slot for its whole life, so slots are handed
// out first-fit in order of interval start: a slot is reused by an
// interval that starts at or after the end of the slot's last occupant.
// Holes are not reused (an interval keeps its slot through them).
//
// A slot holds 8 bytes. A 16-byte value (v128, cont) takes two adjacent
// slots s and s+1; its Loc names s+1, the one at the lower address, so
// that the value's bytes are [address of slot s+1, +16).

import "slices"

// assignSlots gives the spilled intervals their slots, sets a.NumSlots,
// and records the location of every interval of list in a.Locs.
func assignSlots(a *Allocation, list, spilled []*interval) {
	slices.SortStableFunc(spilled, byStart)
	var slotEnd []int32
	free := func(s, n int, at int32) bool {
		for k := s; k < s+n; k++ {
			if k < len(slotEnd) && slotEnd[k] > at {
				return false
			}
		}
		return true
	}
	for _, iv := range spilled {
		n := 1
		if iv.v.Type.Size() > 8 {
			n = 2
		}
		slot := 0
		for !free(slot, n, iv.start()) {
			slot++
		}
		for len(slotEnd) < slot+n {
			slotEnd = append(slotEnd, 0)
		}
		for k := slot; k < slot+n; k++ {
			slotEnd[k] = iv.end()
		}
		a.Locs[iv.v.ID] = Loc{Kind: LocStack, Slot: int32(slot + n - 1)}
	}
	a.NumSlots = len(slotEnd)
	for _, iv := range list {
		if !iv.spilled {
			a.Locs[iv.v.ID] = RegLoc(iv.reg)
		}
	}
}
