package ir

import "sort"

// Loop-invariant code motion: pure values inside a loop whose args are all
// defined outside it are moved to the loop's preheader, so they are
// computed once per entry into the loop instead of once per iteration.
//
//	b1:                         b1:
//	  jump b2                     v9 = ishl v1 v3      ; hoisted
//	b2: loop <- b1 b4             jump b2
//	  v5 = phi v0 v8            b2: loop <- b1 b4
//	  v9 = ishl v1 v3             v5 = phi v0 v8
//	  v8 = iadd v5 v9             v8 = iadd v5 v9
//
// Assumptions and choices:
//   - Loops are natural loops: the blocks that reach a back-edge source
//     without passing the header, for every back edge into the header (an
//     edge whose target dominates its source).
//   - A loop is treated only when its header has exactly one predecessor
//     outside the loop and that block ends in a plain jump to the header:
//     the preheader. The wasm translator always produces one (the block
//     before a `loop`), so no block is ever inserted here.
//   - Only Pure ops move (they cannot trap and have no effect, so computing
//     them early or on a path that would not have reached them is
//     harmless). Constants stay: back ends rematerialise them. A compare
//     used only by its own block's branch stays, so the back end can still
//     fuse it into the branch. Results of calls never qualify (their call
//     is not pure).
//   - Loops are processed inner before outer, so a value can climb out of a
//     nest one level per loop.

// LICM hoists loop-invariant pure values into loop preheaders.
func LICM(f *Func) error {
	d := Dominators(f)
	loops := NaturalLoops(f, d)
	// Inner loops first: a loop nested in another has fewer blocks.
	sort.SliceStable(loops, func(i, j int) bool { return len(loops[i].Blocks) < len(loops[j].Blocks) })
	for _, l := range loops {
		if pre := l.Preheader(); pre != nil {
			hoistLoop(l.Header, l.Blocks, pre, d)
		}
	}
	return nil
}

// Loop is a natural loop: its header and the blocks that reach a back
// edge's source without passing the header, for every back edge into it
// (an edge whose target dominates its source), the header included.
type Loop struct {
	Header *Block
	Blocks map[*Block]bool
}

// NaturalLoops returns f's natural loops, in the order of their headers in
// f.Blocks; d is f's dominator tree.
func NaturalLoops(f *Func, d *DomTree) []Loop {
	var loops []Loop
	for _, h := range f.Blocks {
		if !d.Reachable(h) {
			continue
		}
		var body map[*Block]bool
		for _, p := range h.Preds {
			if !d.Dominates(h, p) {
				continue // an entry edge, not a back edge
			}
			if body == nil {
				body = map[*Block]bool{h: true}
			}
			// Walk backwards from the back-edge source up to the header.
			work := []*Block{p}
			for len(work) > 0 {
				b := work[len(work)-1]
				work = work[:len(work)-1]
				if body[b] {
					continue
				}
				body[b] = true
				work = append(work, b.Preds...)
			}
		}
		if body != nil {
			loops = append(loops, Loop{h, body})
		}
	}
	return loops
}

// Preheader is the loop's only predecessor outside it when that block
// ends in a plain jump (to the header), else nil. The wasm translator
// makes one for every loop.
func (l Loop) Preheader() *Block {
	var pre *Block
	for _, p := range l.Header.Preds {
		if !l.Blocks[p] {
			if pre != nil {
				return nil
			}
			pre = p
		}
	}
	if pre == nil || pre.Kind != BlockPlain || len(pre.Succs) != 1 {
		return nil
	}
	return pre
}

// hoistLoop moves the invariant values of the loop (blocks, with header h)
// into its preheader pre, in an order that keeps definitions before uses.
func hoistLoop(h *Block, blocks map[*Block]bool, pre *Block, d *DomTree) {
	// Visit the loop's blocks in dominator-respecting order (reverse
	// postorder), so an invariant value is seen before values using it.
	var order []*Block
	for _, b := range d.RPO() {
		if blocks[b] {
			order = append(order, b)
		}
	}
	invariant := func(v *Value) bool {
		for _, a := range v.Args {
			if blocks[a.Block] {
				return false
			}
		}
		return true
	}
	for _, b := range order {
		kept := b.Values[:0]
		for _, v := range b.Values {
			if hoistable(v, b) && invariant(v) {
				v.Block = pre
				pre.Values = append(pre.Values, v)
				continue
			}
			kept = append(kept, v)
		}
		b.Values = kept
	}
}

// hoistable reports whether v may leave its block b.
func hoistable(v *Value, b *Block) bool {
	if Ops[v.Op].Effect != Pure || v.Op == OpConst || v.Op == OpResult || v.Type == Tuple {
		return false
	}
	switch v.Op {
	case OpICmp, OpFCmp, OpEqz:
		// Keep a compare next to the branch it feeds.
		if v.Uses == 1 && len(b.Controls) == 1 && b.Controls[0] == v {
			return false
		}
	}
	return true
}
