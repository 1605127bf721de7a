package lower

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"wfxc/ir"
)

// TestComputeLiveness checks the live-in and live-out sets and LiveAcross
// on small functions, one shape each.
func TestComputeLiveness(t *testing.T) {
	tests := []struct {
		name   string
		src    string
		in     map[int32][]int32 // by block: live-in value IDs (blocks not listed: none)
		out    map[int32][]int32 // by block: live-out value IDs
		across map[int32][]int32 // by value: the values live across it
	}{
		{
			name: "loop",
			src: `func sum(i32) -> (i32) {
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
}`,
			// v1 only feeds a phi: live out of b0, not into b1.
			in:  map[int32][]int32{1: {0, 2}, 2: {0, 2, 3, 4}, 3: {4}},
			out: map[int32][]int32{0: {0, 1, 2}, 1: {0, 2, 3, 4}, 2: {0, 2, 6, 7}},
			across: map[int32][]int32{
				3: {0, 2},       // a phi: the live-in set
				5: {0, 2, 3, 4}, // v5 itself is read by the branch, so not across
				6: {0, 2, 3},    // v4 dies at v6
				7: {0, 2, 6},
			},
		},
		{
			name: "calls",
			src: `func f(i32, i32) -> (i32) {
b0:
  v0 = vmctx : i64
  v1 = param [0] : i32
  v2 = param [1] : i32
  v3 = call v0 v1 [1] : tuple (i32, i32)
  v4 = result v3 [0] : i32
  v5 = result v3 [1] : i32
  v6 = iadd v4 v2 : i32
  v7 = call v0 v6 [2] : i32
  v8 = iadd v7 v5 : i32
  return v8
}`,
			across: map[int32][]int32{
				1: {0},    // params in order: v2 comes after v1
				3: {0, 2}, // its results are defined by it; v1 dies at it
				6: {0, 5},
				7: {5}, // v0 and v6 die at the call
				8: nil,
			},
		},
		{
			name: "swapAndDeadPhi",
			src: `func swap(i32, i32, i32) -> (i32) {
b0:
  v0 = param [0] : i32
  v1 = param [1] : i32
  v2 = param [2] : i32
  jump b1
b1: loop <- b0 b2
  v3 = phi v0 v4 : i32
  v4 = phi v1 v3 : i32
  v5 = phi v2 v2 : i32
  if v3 -> b2 b3
b2: <- b1
  jump b1
b3: <- b1
  return v4
}`,
			// The phis read each other; v5 is read by nobody, so v2 is dead.
			out: map[int32][]int32{0: {0, 1}, 1: {3, 4}, 2: {3, 4}},
			in:  map[int32][]int32{2: {3, 4}, 3: {4}},
		},
		{
			name: "unreachable",
			src: `func u(i32) -> (i32) {
b0:
  v0 = param [0] : i32
  jump b2
b1:
  v1 = iadd v0 v0 : i32
  jump b2
b2: <- b0 b1
  v2 = phi v0 v1 : i32
  return v2
}`,
			// b1 is outside the order: its use of v0 and its edge to b2 do not count.
			out:    map[int32][]int32{0: {0}},
			across: map[int32][]int32{1: nil},
		},
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
			order := Linearize(f)
			l := ComputeLiveness(f, order)
			for _, b := range f.Blocks {
				if got, want := valueIDs(l.LiveIn(b)), tt.in[b.ID]; !slices.Equal(got, want) {
					t.Errorf("b%d: live in %v, want %v", b.ID, got, want)
				}
				if got, want := valueIDs(l.LiveOut(b)), tt.out[b.ID]; !slices.Equal(got, want) {
					t.Errorf("b%d: live out %v, want %v", b.ID, got, want)
				}
			}
			vs := values(f)
			for id, want := range tt.across {
				if got := valueIDs(l.LiveAcross(vs[id])); !slices.Equal(got, want) {
					t.Errorf("v%d: live across %v, want %v", id, got, want)
				}
			}
			checkLiveness(t, f, order, l)
		})
	}
}

// TestComputeLiveness_irTestdata compares ComputeLiveness with a reference
// on every function of ir/testdata (loops, switches, duplicate edges,
// calls, traps): path exploration from each use for the block sets
// (Brandner et al., "Computing Liveness Sets for SSA-Form Programs", INRIA
// RR-7503, 2011) and a backward walk of the block for LiveAcross.
func TestComputeLiveness_irTestdata(t *testing.T) {
	files, err := filepath.Glob("../ir/testdata/*.ir")
	if err != nil || len(files) == 0 {
		t.Fatalf("no ../ir/testdata/*.ir: %v", err)
	}
	n := 0
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		fs, err := ir.ParseFuncs(string(src))
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for _, f := range fs {
			t.Run(filepath.Base(file)+"/"+f.Name, func(t *testing.T) {
				if err := ir.Verify(f); err != nil {
					t.Fatal(err)
				}
				order := Linearize(f)
				checkLiveness(t, f, order, ComputeLiveness(f, order))
			})
			n++
		}
	}
	if n < 20 {
		t.Fatalf("checked %d functions, want the whole of ir/testdata", n)
	}
}

// checkLiveness compares l with the reference sets of refLiveness, checks
// that IsLiveIn/IsLiveOut agree with LiveIn/LiveOut, and compares
// LiveAcross of every value with a backward walk of its block.
func checkLiveness(t *testing.T, f *ir.Func, order []*ir.Block, l *Liveness) {
	t.Helper()
	in, out := refLiveness(f, order)
	vs := values(f)
	for _, b := range order {
		if got, want := valueIDs(l.LiveIn(b)), sortedIDs(in[b.ID]); !slices.Equal(got, want) {
			t.Errorf("b%d: live in %v, reference %v\n%s", b.ID, got, want, f)
		}
		if got, want := valueIDs(l.LiveOut(b)), sortedIDs(out[b.ID]); !slices.Equal(got, want) {
			t.Errorf("b%d: live out %v, reference %v\n%s", b.ID, got, want, f)
		}
		for _, v := range vs {
			if v == nil {
				continue
			}
			if got, want := l.IsLiveIn(b, v), in[b.ID][v.ID]; got != want {
				t.Errorf("b%d: IsLiveIn(v%d) = %v, want %v", b.ID, v.ID, got, want)
			}
			if got, want := l.IsLiveOut(b, v), out[b.ID][v.ID]; got != want {
				t.Errorf("b%d: IsLiveOut(v%d) = %v, want %v", b.ID, v.ID, got, want)
			}
		}
		// Backward walk: live holds what is live just after b.Values[i].
		live := map[int32]bool{}
		for id := range out[b.ID] {
			live[id] = true
		}
		for _, x := range b.Controls {
			if tracked(x) {
				live[x.ID] = true
			}
		}
		for i := len(b.Values) - 1; i >= 0; i-- {
			v := b.Values[i]
			if v.Op == ir.OpPhi {
				break
			}
			after := map[int32]bool{}
			for id := range live {
				after[id] = true
			}
			delete(after, v.ID)
			if got, want := valueIDs(l.LiveAcross(v)), sortedIDs(after); !slices.Equal(got, want) {
				t.Errorf("v%d: live across %v, backward walk %v\n%s", v.ID, got, want, f)
			}
			delete(live, v.ID)
			for _, x := range v.Args {
				if tracked(x) {
					live[x.ID] = true
				}
			}
		}
		for _, v := range b.Values {
			if v.Op == ir.OpPhi {
				if got, want := valueIDs(l.LiveAcross(v)), sortedIDs(in[b.ID]); !slices.Equal(got, want) {
					t.Errorf("v%d (phi): live across %v, want live in %v", v.ID, got, want)
				}
			}
		}
	}
}

// refLiveness computes the live-in and live-out sets (by block ID, then
// value ID) by walking back from each use to the definition.
func refLiveness(f *ir.Func, order []*ir.Block) (in, out []map[int32]bool) {
	in = make([]map[int32]bool, f.NumBlocks())
	out = make([]map[int32]bool, f.NumBlocks())
	for _, b := range order {
		in[b.ID], out[b.ID] = map[int32]bool{}, map[int32]bool{}
	}
	var liveOutAt func(x *ir.Value, p *ir.Block)
	liveInAt := func(x *ir.Value, b *ir.Block) {
		if in[b.ID][x.ID] {
			return
		}
		in[b.ID][x.ID] = true
		for _, p := range b.Preds {
			if in[p.ID] != nil {
				liveOutAt(x, p)
			}
		}
	}
	liveOutAt = func(x *ir.Value, p *ir.Block) {
		out[p.ID][x.ID] = true
		if x.Block != p {
			liveInAt(x, p)
		}
	}
	for _, b := range order {
		for _, v := range b.Values {
			for i, x := range v.Args {
				switch {
				case !tracked(x):
				case v.Op == ir.OpPhi:
					if p := b.Preds[i]; tracked(v) && in[p.ID] != nil {
						liveOutAt(x, p)
					}
				case x.Block != b:
					liveInAt(x, b)
				}
			}
		}
		for _, x := range b.Controls {
			if tracked(x) && x.Block != b {
				liveInAt(x, b)
			}
		}
	}
	return in, out
}

func values(f *ir.Func) []*ir.Value {
	vs := make([]*ir.Value, f.NumValues())
	for _, b := range f.Blocks {
		for _, v := range b.Values {
			vs[v.ID] = v
		}
	}
	return vs
}

func valueIDs(vs []*ir.Value) []int32 {
	var r []int32
	for _, v := range vs {
		r = append(r, v.ID)
	}
	return r
}

func sortedIDs(s map[int32]bool) []int32 {
	var r []int32
	for id, ok := range s {
		if ok {
			r = append(r, id)
		}
	}
	slices.Sort(r)
	return r
}
