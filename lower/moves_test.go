package lower

import (
	"fmt"
	"testing"

	"wfxc/ir"
)

// runMoves executes moves sequentially over a location → value map.
func runMoves(state map[Loc]string, ms []Move) {
	for _, m := range ms {
		if m.Src.Kind == LocRemat {
			state[m.Dst] = fmt.Sprintf("const%d", m.V.Aux)
			continue
		}
		state[m.Dst] = state[m.Src]
	}
}

func TestSequence_parallelSemantics(t *testing.T) {
	r := func(n Reg) Loc { return RegLoc(n) }
	s := func(n int32) Loc { return Loc{Kind: LocStack, Slot: n} }
	c := &ir.Value{Op: ir.OpConst, Type: ir.I64, Aux: 7}
	v := &ir.Value{Type: ir.I64}
	scratch := [NumClasses]Loc{r(11), r(31)}
	tests := []struct {
		name  string
		moves [][2]Loc
		remat []Loc
	}{
		{name: "chain", moves: [][2]Loc{{r(1), r(2)}, {r(2), r(3)}, {r(3), r(4)}}},
		{name: "swap", moves: [][2]Loc{{r(1), r(2)}, {r(2), r(1)}}},
		{name: "rotate3", moves: [][2]Loc{{r(1), r(2)}, {r(2), r(3)}, {r(3), r(1)}}},
		{name: "twoCycles", moves: [][2]Loc{{r(1), r(2)}, {r(2), r(1)}, {r(3), r(4)}, {r(4), r(3)}}},
		{name: "cycleWithTail", moves: [][2]Loc{{r(1), r(2)}, {r(2), r(1)}, {r(5), r(1)}, {s(0), r(2)}}},
		{name: "fanOut", moves: [][2]Loc{{r(1), r(0)}, {r(2), r(0)}, {r(0), r(1)}}},
		{name: "stackCycle", moves: [][2]Loc{{s(0), s(1)}, {s(1), s(0)}}},
		{name: "identity", moves: [][2]Loc{{r(1), r(1)}, {r(2), r(3)}}},
		{name: "rematOverSource", moves: [][2]Loc{{r(2), r(1)}}, remat: []Loc{r(1)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			state := map[Loc]string{}
			var ms []Move
			for _, m := range tc.moves {
				state[m[1]] = "v" + m[1].String()
				ms = append(ms, Move{Dst: m[0], Src: m[1], V: v})
			}
			for _, d := range tc.remat {
				ms = append(ms, Move{Dst: d, Src: Loc{Kind: LocRemat}, V: c})
			}
			want := map[Loc]string{}
			for k, x := range state {
				want[k] = x
			}
			for _, m := range ms {
				if m.Src.Kind == LocRemat {
					want[m.Dst] = "const7"
				} else {
					want[m.Dst] = state[m.Src]
				}
			}
			seq := Sequence(ms, scratch)
			runMoves(state, seq)
			for k, w := range want {
				if state[k] != w {
					t.Errorf("%v = %q, want %q (sequence %v)", k, state[k], w, seq)
				}
			}
		})
	}
}

// TestSequence_mixedClassCycle: a cycle through two spill slots holding an
// int and a float must save the value read (the float) in the float scratch
// register (found by differential fuzzing, bench/testdata/regress/1002484-big).
func TestSequence_mixedClassCycle(t *testing.T) {
	slot0, slot1 := Loc{Kind: LocStack, Slot: 0}, Loc{Kind: LocStack, Slot: 1}
	iscr, fscr := RegLoc(11), RegLoc(31)
	moves := []Move{
		{Dst: slot0, Src: slot1, Class: ClassInt},
		{Dst: slot1, Src: slot0, Class: ClassFloat},
	}
	got := Sequence(moves, [NumClasses]Loc{ClassInt: iscr, ClassFloat: fscr})
	if len(got) != 3 {
		t.Fatalf("got %d moves, want 3: %v", len(got), got)
	}
	save := got[0]
	if save.Src != slot0 || save.Dst != fscr || save.Class != ClassFloat {
		t.Fatalf("first move %+v, want the float in slot0 saved to the float scratch", save)
	}
	for _, m := range got {
		if m.Class == ClassFloat && m.Dst == iscr || m.Class == ClassInt && m.Dst == fscr {
			t.Errorf("move %+v puts a value in the other class's scratch", m)
		}
	}
}
