package lower

import (
	"testing"

	"wfxc/ir"
)

// TestReloads checks planReloads on small functions, one shape each: in
// all of them a call destroys every register (like a stack switch), so a
// value live across it is spilled, and the reloads say where it is read in
// a register instead.
func TestReloads(t *testing.T) {
	const afterCall = `func f(i64, i64) -> (i64) {
b0:
  v0 = vmctx : i64
  v1 = param [0] : i64
  v2 = param [1] : i64
  v3 = call v0 v2 [1] : i64
  v4 = iadd v1 v3 : i64
  v5 = imul v4 v1 : i64
  v6 = iadd v5 v1 : i64
  return v6
}`
	const beforeCall = `func f(i64, i64) -> (i64) {
b0:
  v0 = vmctx : i64
  v1 = param [0] : i64
  v2 = param [1] : i64
  v3 = iadd v1 v2 : i64
  v4 = call v0 v3 [1] : i64
  v5 = iadd v1 v4 : i64
  v6 = iadd v5 v1 : i64
  return v6
}`
	const pending = `func f(i64, i64) -> (i64) {
b0:
  v0 = vmctx : i64
  v1 = param [0] : i64
  v2 = param [1] : i64
  v3 = call v0 v2 [1] : i64
  v4 = const 0 : i64
  v5 = icmp eq v3 v4 : i32
  v6 = iadd v3 v1 : i64
  v7 = iadd v6 v1 : i64
  if v5 -> b1 b2
b1: <- b0
  return v7
b2: <- b0
  return v1
}`
	type want struct {
		v, first, last int32 // value, its first and last use read in the register (value IDs; first -1: in place, -2: loaded right after v)
	}
	tests := []struct {
		name     string
		src      string
		incoming map[int32]Reg // Config.Incoming by value ID
		noLoc    map[int32]bool
		want     []want
	}{
		{name: "afterCall", src: afterCall, want: []want{{1, 4, 6}}},
		{
			// v2 is live across the call: in a register from its
			// definition to its use before the call, even a single one.
			name: "afterDef",
			src: `func f(i64) -> (i64) {
b0:
  v0 = vmctx : i64
  v1 = param [0] : i64
  v2 = iadd v1 v1 : i64
  v3 = const 7 : i64
  v4 = iadd v1 v3 : i64
  v5 = imul v4 v2 : i64
  v6 = call v0 v5 [1] : i64
  v7 = iadd v6 v2 : i64
  return v7
}`,
			want: []want{{2, -2, 5}},
		},
		{
			// A use between two calls, and the uses at the calls: no
			// register survives from one to the next.
			name: "betweenCalls",
			src: `func f(i64) -> (i64) {
b0:
  v0 = vmctx : i64
  v1 = param [0] : i64
  v2 = call v0 v1 [1] : i64
  v3 = iadd v2 v1 : i64
  v4 = call v0 v3 [1] : i64
  v5 = iadd v4 v1 : i64
  return v5
}`,
		},
		{
			// v1 arrives in r4 and is read there before the call, then
			// loaded once after it; in r1 it would not be, v2 holds r1.
			name: "inPlace", src: beforeCall, incoming: map[int32]Reg{1: 4},
			want: []want{{1, -1, 3}, {1, 5, 6}},
		},
		{name: "inPlaceTaken", src: beforeCall, incoming: map[int32]Reg{1: 1}, want: []want{{1, 5, 6}}},
		{
			// b1 is entered only from b0, right after it: the register
			// loaded in b0 still holds v1 there.
			name: "chain",
			src: `func f(i64, i64) -> (i64) {
b0:
  v0 = vmctx : i64
  v1 = param [0] : i64
  v2 = param [1] : i64
  v3 = call v0 v2 [1] : i64
  v4 = iadd v1 v3 : i64
  v6 = wrap v4 : i32
  if v6 -> b1 b2
b1: <- b0
  v5 = iadd v4 v1 : i64
  return v5
b2: <- b0
  return v1
}`,
			want: []want{{1, 4, 5}},
		},
		{
			// b2 is also entered from b1: no register is known to hold
			// v1 at its start.
			name: "join",
			src: `func f(i64, i64) -> (i64) {
b0:
  v0 = vmctx : i64
  v1 = param [0] : i64
  v2 = param [1] : i64
  v3 = call v0 v2 [1] : i64
  v4 = iadd v1 v3 : i64
  v6 = wrap v4 : i32
  if v6 -> b1 b2
b1: <- b0
  jump b2
b2: <- b0 b1
  v5 = iadd v4 v1 : i64
  return v5
}`,
		},
		// v5 is fused into the branch (no location): until the branch
		// the target still reads v3 where v5 found it, so nothing may be
		// loaded in between.
		{name: "pending", src: pending, noLoc: map[int32]bool{5: true}},
		{name: "pendingNone", src: pending, want: []want{{1, 6, 7}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := ir.Parse(tt.src)
			if err != nil {
				t.Fatal(err)
			}
			if err := ir.Verify(f); err != nil {
				t.Fatal(err)
			}
			all := RegSet(1<<6 - 1)
			c := testConfig(6, func(v *ir.Value) RegSet {
				if v.Op == ir.OpCall {
					return all
				}
				return 0
			})
			c.NoReg = func(v *ir.Value) (LocKind, bool) {
				if v.Op == ir.OpConst {
					return LocRemat, true
				}
				if tt.noLoc[v.ID] {
					return LocNone, true
				}
				return 0, false
			}
			c.Incoming = func(v *ir.Value) Reg {
				if r, ok := tt.incoming[v.ID]; ok {
					return r
				}
				return -1
			}
			a, err := Allocate(f, c)
			if err != nil {
				t.Fatal(err)
			}
			byID := map[int32]*ir.Value{}
			for _, b := range f.Blocks {
				for _, v := range b.Values {
					byID[v.ID] = v
				}
			}
			var got []Reload
			for _, v := range byID {
				if rn := a.runs; rn != nil {
					got = append(got, a.byValue[rn[v.ID].start:rn[v.ID].start+rn[v.ID].n]...)
				}
			}
			if len(got) != len(tt.want) {
				t.Fatalf("reloads %+v, want %d: %+v", got, len(tt.want), tt.want)
			}
			loads := 0
			for _, w := range tt.want {
				v := byID[w.v]
				from := int32(-1)
				switch {
				case w.first >= 0:
					from = a.Pos[w.first] - 1
					loads++
				case w.first == -2:
					from = a.Pos[w.v] + 1
					loads++
				}
				var r *Reload
				for i := range got {
					if got[i].V == v && got[i].From == from {
						r = &got[i]
					}
				}
				if r == nil {
					t.Fatalf("no reload of v%d from %d in %+v", w.v, from, got)
				}
				if r.Last != a.Pos[w.last] || r.InPlace != (w.first == -1) || c.CalleeSaved.Has(r.Reg) {
					t.Errorf("reload %+v, want last %d, in place %v, a caller-saved register", *r, a.Pos[w.last], w.first == -1)
				}
				if w.first == -1 && r.Reg != tt.incoming[w.v] {
					t.Errorf("in place in r%d, want r%d where it arrives", r.Reg, tt.incoming[w.v])
				}
				if a.Loc(v).Kind != LocStack {
					t.Errorf("v%d at %v, want a stack slot", w.v, a.Loc(v))
				}
				// Read in the register from the first use to the last,
				// in its slot elsewhere.
				for _, p := range []int32{from + 1, r.Last} {
					if l := a.LocAt(v, p); l != RegLoc(r.Reg) {
						t.Errorf("v%d at %d: %v, want r%d", w.v, p, l, r.Reg)
					}
				}
				for _, p := range []int32{-1, from, r.Last + 1} {
					if l := a.LocAt(v, p); l != a.Loc(v) {
						t.Errorf("v%d at %d: %v, want its slot %v", w.v, p, l, a.Loc(v))
					}
				}
			}
			if len(a.Reloads) != loads {
				t.Errorf("Reloads %+v, want the %d that load", a.Reloads, loads)
			}
			for i := 1; i < len(a.Reloads); i++ {
				if a.Reloads[i].From < a.Reloads[i-1].From {
					t.Errorf("Reloads not in increasing From: %+v", a.Reloads)
				}
			}
		})
	}
}
