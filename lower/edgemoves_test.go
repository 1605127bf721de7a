package lower

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"wfxc/ir"
)

func TestEdgeMoves(t *testing.T) {
	// b0: if p0 → b1, b1 (both arms to the same block); b1: an i32 phi of
	// p0 and a constant, an f64 phi of p1 in no location, return.
	f := ir.NewFunc("f", 0, []ir.Type{ir.I32, ir.F64}, []ir.Type{ir.I32})
	b0 := f.Entry()
	p0 := b0.NewValueAux(ir.OpParam, ir.I32, 0)
	p1 := b0.NewValueAux(ir.OpParam, ir.F64, 1)
	c := b0.NewValueAux(ir.OpConst, ir.I32, 7)
	b0.Kind = ir.BlockIf
	b0.SetControls(p0)
	b1 := f.NewBlock(ir.BlockReturn)
	b0.AddEdgeTo(b1)
	b0.AddEdgeTo(b1)
	phi := b1.InsertPhi(ir.I32)
	phi.AddArg(p0)
	phi.AddArg(c)
	dead := b1.InsertPhi(ir.F64)
	dead.AddArg(p1)
	dead.AddArg(p1)
	b1.SetControls(phi)
	if err := ir.Verify(f); err != nil {
		t.Fatal(err)
	}
	ra := &Allocation{Locs: make([]Loc, f.NumValues())}
	ra.Locs[p0.ID] = RegLoc(1)
	ra.Locs[p1.ID] = RegLoc(17)
	ra.Locs[c.ID] = Loc{Kind: LocRemat}
	ra.Locs[phi.ID] = Loc{Kind: LocStack, Slot: 2}
	class := func(t ir.Type) (RegClass, bool) {
		if t == ir.F64 {
			return ClassFloat, true
		}
		return ClassInt, true
	}
	tests := []struct {
		name string
		b    *ir.Block
		i    int
		want []Move
	}{
		{"firstArm", b0, 0, []Move{{Dst: Loc{Kind: LocStack, Slot: 2}, Src: RegLoc(1), V: p0, Class: ClassInt}}},
		{"secondArm", b0, 1, []Move{{Dst: Loc{Kind: LocStack, Slot: 2}, Src: Loc{Kind: LocRemat}, V: c, Class: ClassInt}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := EdgeMoves(ra, tt.b, tt.i, class)
			if diff := cmp.Diff(tt.want, got, cmp.Comparer(func(x, y *ir.Value) bool { return x == y })); diff != "" {
				t.Errorf("EdgeMoves(b%d, %d) (-want +got):\n%s", tt.b.ID, tt.i, diff)
			}
		})
	}
}
