package lower

// Spill slots and final locations (phase 6 of regalloc.go). A spilled
// value lives in one stack slot for its whole life, so slots are handed
// out first-fit in order of interval start: a slot is reused by an
// interval that starts at or after the end of the slot's last occupant.
// Holes are not reused (an interval keeps its slot through them).
//
// A slot holds 8 bytes. A 16-byte value (v128, cont) takes two adjacent
// slots s and s+1; its Loc names s+1, the one at the lower address, so
// that the value's bytes are [address of slot s+1, +16). The pairs come
// from a pool of their own above the 8-byte slots, so two locations are
// either the same or disjoint: the parallel moves (moves.go) compare
// locations for equality, and a pair overlapping an 8-byte slot freed on
// the same edge would let a move clobber a source another still reads
// (found by difffuzz: a continuation phi in slots {4, 5} written before an
// f32 in slot 4 was read).

import "slices"

// assignSlots gives the spilled intervals their slots, sets a.NumSlots,
// and records the location of every interval of list in a.Locs.
func assignSlots(a *Allocation, list, spilled []*interval) {
	slices.SortStableFunc(spilled, byStart)
	// firstFit returns the first entry of ends free at at, claiming it
	// until end.
	firstFit := func(ends *[]int32, at, end int32) int {
		k := 0
		for k < len(*ends) && (*ends)[k] > at {
			k++
		}
		if k == len(*ends) {
			*ends = append(*ends, 0)
		}
		(*ends)[k] = end
		return k
	}
	var narrow, wide []int32
	var wideAt []*interval
	var pairs []int
	for _, iv := range spilled {
		if iv.v.Type.Size() > 8 {
			wideAt = append(wideAt, iv)
			pairs = append(pairs, firstFit(&wide, iv.start(), iv.end()))
			continue
		}
		a.Locs[iv.v.ID] = Loc{Kind: LocStack, Slot: int32(firstFit(&narrow, iv.start(), iv.end()))}
	}
	for i, iv := range wideAt {
		a.Locs[iv.v.ID] = Loc{Kind: LocStack, Slot: int32(len(narrow) + 2*pairs[i] + 1)}
	}
	a.NumSlots = len(narrow) + 2*len(wide)
	for _, iv := range list {
		if !iv.spilled {
			a.Locs[iv.v.ID] = RegLoc(iv.reg)
		}
	}
}
