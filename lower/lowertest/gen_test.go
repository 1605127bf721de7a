package lowertest

import (
	"testing"

	"wfxc/ir"
)

// TestGenProgram checks the generator on its own: every program verifies,
// the same seed gives the same program, and the programs use the features
// the differential test is meant to cover.
func TestGenProgram(t *testing.T) {
	seen := map[ir.Op]bool{}
	kinds := map[ir.BlockKind]bool{}
	for seed := uint64(1); seed <= 300; seed++ {
		f := GenProgram(seed)
		if err := ir.Verify(f); err != nil {
			t.Fatalf("seed %d: %v\n%s", seed, err, f)
		}
		if again := GenProgram(seed).String(); again != f.String() {
			t.Fatalf("seed %d: two different programs", seed)
		}
		for _, b := range f.Blocks {
			kinds[b.Kind] = true
			for _, v := range b.Values {
				seen[v.Op] = true
			}
		}
	}
	for _, op := range []ir.Op{ir.OpPhi, ir.OpLoad, ir.OpStore8, ir.OpGlobalSet, ir.OpCall, ir.OpCallImport, ir.OpPoll, ir.OpDivS, ir.OpFCmp, ir.OpTruncSatU} {
		if !seen[op] {
			t.Errorf("no program uses %v", op)
		}
	}
	for _, k := range []ir.BlockKind{ir.BlockIf, ir.BlockSwitch, ir.BlockTailCall} {
		if !kinds[k] {
			t.Errorf("no program has a %v block", k)
		}
	}
}
