package lower

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"wfxc/ir"
)

// loopFunc: b0 → h ⇄ body, h → exit; b0 also branches around to exit.
func loopFunc() (*ir.Func, []*ir.Block) {
	f := ir.NewFunc("loops", 0, []ir.Type{ir.I32}, nil)
	b0 := f.Entry()
	b0.Kind = ir.BlockIf
	n := b0.NewValueAux(ir.OpParam, ir.I32, 0)
	b0.SetControls(n)
	h1 := f.NewBlock(ir.BlockIf)
	h2 := f.NewBlock(ir.BlockIf)
	body2 := f.NewBlock(ir.BlockPlain)
	latch1 := f.NewBlock(ir.BlockPlain)
	exit := f.NewBlock(ir.BlockReturn)
	b0.AddEdgeTo(h1)
	b0.AddEdgeTo(exit)
	h1.SetControls(n)
	h1.AddEdgeTo(exit) // exit first: plain RPO would interleave
	h1.AddEdgeTo(h2)
	h2.SetControls(n)
	h2.AddEdgeTo(latch1)
	h2.AddEdgeTo(body2)
	body2.AddEdgeTo(h2)
	latch1.AddEdgeTo(h1)
	return f, []*ir.Block{b0, h1, h2, body2, latch1, exit}
}

func TestLinearize_loopsContiguous(t *testing.T) {
	f, bs := loopFunc()
	order := Linearize(f)
	idx := map[*ir.Block]int{}
	for i, b := range order {
		idx[b] = i
	}
	if len(order) != 6 || order[0] != bs[0] {
		t.Fatalf("order %v", ids(order))
	}
	// Inner loop {h2, body2} contiguous; outer loop {h1, h2, body2, latch1} contiguous.
	if d := idx[bs[3]] - idx[bs[2]]; d != 1 {
		t.Errorf("inner loop not contiguous: %v", ids(order))
	}
	lo, hi := idx[bs[1]], idx[bs[1]]
	for _, b := range bs[1:5] {
		lo, hi = min(lo, idx[b]), max(hi, idx[b])
	}
	if hi-lo != 3 {
		t.Errorf("outer loop not contiguous: %v", ids(order))
	}
}

func ids(bs []*ir.Block) []int32 {
	var r []int32
	for _, b := range bs {
		r = append(r, b.ID)
	}
	return r
}

// TestLinearize_coldLast: a Cold block goes after the others, with the
// bare trap blocks, the rest keeping reverse postorder; without the mark
// it follows the block that branches to it.
func TestLinearize_coldLast(t *testing.T) {
	src := `func f(i32, i64) -> () {
b0:
  v0 = param [0] : i32
  v1 = param [1] : i64
  if v0 -> b1 b2
b1:%s
  v2 = store_raw v1 v1 [8]
  jump b2
b2:
  if v0 -> b3 b4
b3:
  trap unreachable
b4:
  return
}
`
	for _, tt := range []struct {
		mark string
		want []int32
	}{
		{"", []int32{0, 1, 2, 4, 3}},
		{" cold", []int32{0, 2, 4, 1, 3}},
	} {
		f, err := ir.Parse(fmt.Sprintf(src, tt.mark))
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(Linearize(f)); !slices.Equal(got, tt.want) {
			t.Errorf("b1%s: order %v, want %v", tt.mark, got, tt.want)
		}
		if tt.mark != "" && !strings.Contains(f.String(), "b1: cold") {
			t.Errorf("Cold not printed:\n%s", f)
		}
	}
}
