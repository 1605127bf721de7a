package interp

import (
	"strconv"

	"wfxc/ir"
)

// laneBytes is the lane width of a spec v128 value's lane_type.
var laneBytes = map[string]int{"i8": 1, "i16": 2, "i32": 4, "f32": 4, "i64": 8, "f64": 8}

// slotCountOf is the number of uint64 slots of a spec value.
func slotCountOf(v specValue) int {
	if v.Type == "v128" {
		return 2
	}
	return 1
}

// slotsOf parses a spec argument into its slots (two for a v128).
func slotsOf(v specValue) ([]uint64, bool) {
	if v.Type != "v128" {
		x, ok := scalar(v)
		return []uint64{x}, ok
	}
	lanes, w, ok := v128Lanes(v)
	if !ok {
		return nil, false
	}
	var x ir.Vec
	for i, l := range lanes {
		b, err := strconv.ParseUint(l, 10, 8*w)
		if err != nil {
			return nil, false
		}
		x = x.SetLane(w, i, b)
	}
	return x[:], true
}

// v128Lanes returns the lane strings and width of a spec v128 value.
func v128Lanes(v specValue) ([]string, int, bool) {
	w, ok := laneBytes[v.LaneType]
	list, isList := v.Value.([]any)
	if !ok || !isList || len(list)*w != 16 {
		return nil, 0, false
	}
	lanes := make([]string, len(list))
	for i, l := range list {
		if lanes[i], ok = l.(string); !ok {
			return nil, 0, false
		}
	}
	return lanes, w, true
}

// matchesSlots checks result slots against a spec value (a v128 lane by
// lane, with the NaN patterns of its float lanes).
func matchesSlots(e specValue, got []uint64) bool {
	if e.Type != "v128" {
		return matches(e, got[0])
	}
	lanes, w, ok := v128Lanes(e)
	if !ok {
		return false
	}
	x := ir.Vec{got[0], got[1]}
	for i, l := range lanes {
		t := e.LaneType
		if w < 4 {
			t = "i32"
		}
		if !matches(specValue{Type: t, Value: l}, x.Lane(w, i)) {
			return false
		}
	}
	return true
}
