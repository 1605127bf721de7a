package lower

import (
	"fmt"
	"testing"

	"wfxc/ir"
)

// TestBuildIntervals_loop pins the numbering and the intervals of the sum
// loop of the regalloc.go essay: a value live around the loop covers all
// of it, a phi's incoming values reach the end of the latch, and a value
// dead on one path has a hole there.
func TestBuildIntervals_loop(t *testing.T) {
	f, err := ir.Parse(`func sum(i32) -> (i32) {
b0:
  v0 = param [0] : i32
  v1 = const 0 : i32
  v2 = const 1 : i32
  jump b1
b1: loop <- b0 b2
  v3 = phi v2 v7 : i32
  v4 = phi v1 v6 : i32
  v5 = icmp sle v3 v0 : i32
  if v5 -> b2 b3
b2: <- b1
  v6 = iadd v4 v3 : i32
  v7 = iadd v3 v2 : i32
  jump b1
b3: <- b1
  return v4
}`)
	if err != nil {
		t.Fatal(err)
	}
	c := testConfig(4, func(*ir.Value) RegSet { return 0 })
	order, _ := linearize(f)
	a := &Allocation{Order: order, Locs: make([]Loc, f.NumValues()), Pos: make([]int32, f.NumValues()), Results: map[*ir.Value][]*ir.Value{}}
	needs, class, err := needLocations(f, a, c)
	if err != nil {
		t.Fatal(err)
	}
	p := number(f, a, c)
	if got, want := fmt.Sprint(p.start, p.term), "[0 8 14 22] [6 12 20 24]"; got != want {
		t.Errorf("block starts and terminators %s, want %s", got, want)
	}
	if got, want := fmt.Sprint(a.Pos), "[0 2 4 8 8 10 16 18]"; got != want {
		t.Errorf("positions %s, want %s", got, want)
	}
	ivs, list := buildIntervals(f, a, p, ComputeLiveness(f, order), class, needs)
	tests := []struct {
		name   string
		value  int32
		ranges string // "" for no interval
	}{
		{"paramAroundLoop", 0, "[{0 22}]"},
		{"constRemat", 1, ""},
		{"phiDiesInBody", 3, "[{8 18}]"},
		{"phiDeadInBodyTail", 4, "[{8 16} {22 24}]"},
		{"compareToBranch", 5, "[{10 12}]"},
		{"intoPhiToLatchEnd", 6, "[{16 22}]"},
		{"intoPhiFromLast", 7, "[{18 22}]"},
	}
	for _, tt := range tests {
		got := ""
		if iv := ivs[tt.value]; iv != nil {
			got = fmt.Sprint(iv.ranges)
		}
		if got != tt.ranges {
			t.Errorf("%s: v%d ranges %q, want %q", tt.name, tt.value, got, tt.ranges)
		}
	}
	if len(list) != 6 {
		t.Errorf("%d intervals, want 6 (all but the constants)", len(list))
	}
}
