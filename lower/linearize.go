package lower

// Block order for the allocator and the emitter (phase 1 of regalloc.go):
// reverse postorder, with every natural loop made contiguous, so
// dominators come first and a loop's values are not kept live across
// unrelated code. Loops are found from the back edges of the depth-first
// search; a loop body is every block that reaches a latch without passing
// the header.

import (
	"slices"

	"wfxc/ir"
)

// Linearize returns the reachable blocks of f in reverse postorder, with
// every natural loop made contiguous: when a loop header is placed, the
// rest of its loop (nested loops grouped likewise) follows in reverse
// postorder before anything outside it. Dominators still come before the
// blocks they dominate, and a loop's values are not kept live across
// unrelated code.
func Linearize(f *ir.Func) []*ir.Block {
	order, _ := linearize(f)
	return order
}

// linearize is Linearize, also returning the loop depth of each block (by
// block ID).
func linearize(f *ir.Func) ([]*ir.Block, []int) {
	nb := f.NumBlocks()
	depth := make([]int, nb)
	seen := make([]bool, nb)
	onStack := make([]bool, nb)
	var post []*ir.Block
	var backEdges [][2]*ir.Block // latch, header
	type frame struct {
		b *ir.Block
		i int
	}
	stack := []frame{{f.Entry(), 0}}
	seen[f.Entry().ID] = true
	onStack[f.Entry().ID] = true
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		if top.i < len(top.b.Succs) {
			// Visit successors last-first, so Succs[0] tends to follow
			// its block directly.
			s := top.b.Succs[len(top.b.Succs)-1-top.i]
			top.i++
			if onStack[s.ID] {
				backEdges = append(backEdges, [2]*ir.Block{top.b, s})
			}
			if !seen[s.ID] {
				seen[s.ID] = true
				onStack[s.ID] = true
				stack = append(stack, frame{s, 0})
			}
			continue
		}
		onStack[top.b.ID] = false
		post = append(post, top.b)
		stack = stack[:len(stack)-1]
	}
	slices.Reverse(post)
	if len(backEdges) == 0 {
		coldLast(post)
		return post, depth
	}
	// Natural loop bodies: blocks reaching a latch without passing the header.
	loops := map[int32][]bool{}
	for _, e := range backEdges {
		latch, h := e[0], e[1]
		body := loops[h.ID]
		if body == nil {
			body = make([]bool, nb)
			body[h.ID] = true
			loops[h.ID] = body
		}
		work := []*ir.Block{latch}
		for len(work) > 0 {
			b := work[len(work)-1]
			work = work[:len(work)-1]
			if body[b.ID] || !seen[b.ID] {
				continue
			}
			body[b.ID] = true
			work = append(work, b.Preds...)
		}
	}
	order := make([]*ir.Block, 0, len(post))
	placed := make([]bool, nb)
	var place func(b *ir.Block)
	place = func(b *ir.Block) {
		if placed[b.ID] {
			return
		}
		placed[b.ID] = true
		order = append(order, b)
		if body := loops[b.ID]; body != nil {
			for _, x := range post {
				if body[x.ID] {
					place(x)
				}
			}
		}
	}
	for _, b := range post {
		place(b)
	}
	coldLast(order)
	for _, body := range loops {
		for id, in := range body {
			if in {
				depth[id]++
			}
		}
	}
	return order, depth
}

// coldLast moves the blocks that only trap (no values, BlockTrap) and
// those marked Cold after the others, keeping both groups in order: checks
// then fall through on the path that passes, and the rare path of a branch
// is a jump out and back instead of a taken jump over it on the common
// one. The entry stays first. A value used in a cold block is live there
// and in the blocks that lead to it, not in between (the intervals have
// holes).
func coldLast(order []*ir.Block) {
	bare := func(b *ir.Block) bool { return b.Kind == ir.BlockTrap && len(b.Values) == 0 || b.Cold }
	var cold []*ir.Block
	n := 0
	for i, b := range order {
		if i > 0 && bare(b) {
			cold = append(cold, b)
			continue
		}
		order[n] = b
		n++
	}
	copy(order[n:], cold)
}
