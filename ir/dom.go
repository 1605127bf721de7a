package ir

// Dominators.
//
// Block a dominates block b if every path from the entry to b goes through
// a; the immediate dominator idom(b) is the closest strict dominator, and
// the idom links form the dominator tree rooted at the entry. The verifier
// uses it to check that every arg dominates its use; passes use it to walk
// blocks in an order where definitions come before uses.
//
// The algorithm is Cooper, Harvey and Kennedy, "A Simple, Fast Dominance
// Algorithm" (2001), https://www.cs.rice.edu/~keith/EMBED/dom.pdf: number
// the reachable blocks in postorder, then repeat until nothing changes: for
// each block b in reverse postorder (entry excluded), idom(b) = the
// "intersection" of the already-processed predecessors, where intersecting
// two blocks walks the one with the smaller postorder number up its idom
// chain until both meet. It is quadratic in the worst case but in practice
// converges in two or three sweeps over reducible graphs, which is what
// structured Wasm control flow produces.
//
// Unreachable blocks (no path from the entry) get no idom and are ignored as
// predecessors; Dominates(a, b) is false when either is unreachable. Queries
// are O(1): after the idoms are known, a depth-first walk of the tree gives
// each block an interval [pre, post], and a dominates b iff b's interval
// nests in a's.
//
//	b0: if v1 -> b1 b2        idom(b1) = b0
//	b1: jump b3               idom(b2) = b0
//	b2: jump b3               idom(b3) = b0 (neither b1 nor b2 dominates it)
//	b3: return

// DomTree is the dominator tree of a function's reachable blocks.
type DomTree struct {
	idom      []*Block // by block ID; nil for the entry and unreachable blocks
	po        []int32  // postorder number by block ID; -1 = unreachable
	rpo       []*Block // reachable blocks in reverse postorder
	pre, post []int32  // dominator-tree DFS interval by block ID
}

// Postorder returns the blocks reachable from the entry in postorder
// (successors visited in Succs order).
func Postorder(f *Func) []*Block {
	seen := make([]bool, f.NumBlocks())
	type frame struct {
		b *Block
		i int
	}
	var order []*Block
	entry := f.Entry()
	seen[entry.ID] = true
	stack := []frame{{entry, 0}}
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		if top.i < len(top.b.Succs) {
			s := top.b.Succs[top.i]
			top.i++
			if !seen[s.ID] {
				seen[s.ID] = true
				stack = append(stack, frame{s, 0})
			}
			continue
		}
		order = append(order, top.b)
		stack = stack[:len(stack)-1]
	}
	return order
}

// Dominators computes the dominator tree of f. Block IDs must be below
// f.NumBlocks() and successors must belong to f (Verify checks both before
// calling it).
func Dominators(f *Func) *DomTree {
	n := f.NumBlocks()
	ints := make([]int32, 3*n) // po, pre and post in one allocation
	d := &DomTree{idom: make([]*Block, n), po: ints[:n:n], pre: ints[n : 2*n : 2*n], post: ints[2*n:]}
	for i := range d.po {
		d.po[i] = -1
	}
	order := Postorder(f)
	for i, b := range order {
		d.po[b.ID] = int32(i)
	}
	d.rpo = make([]*Block, len(order))
	for i, b := range order {
		d.rpo[len(order)-1-i] = b
	}
	entry := f.Entry()
	d.idom[entry.ID] = entry // temporarily, so intersect terminates at the root
	for changed := true; changed; {
		changed = false
		for _, b := range d.rpo[1:] {
			var nd *Block
			for _, p := range b.Preds {
				if d.po[p.ID] < 0 || d.idom[p.ID] == nil {
					continue // unreachable or not processed yet
				}
				if nd == nil {
					nd = p
				} else {
					nd = d.intersect(p, nd)
				}
			}
			if nd != nil && d.idom[b.ID] != nd {
				d.idom[b.ID] = nd
				changed = true
			}
		}
	}
	d.idom[entry.ID] = nil

	// Number the tree for O(1) Dominates. The children of block p, in
	// reverse postorder, are kids[start[p]:start[p+1]] (by postorder
	// number: a block's is below its idom's, so the counts are complete
	// before any child is placed).
	m := len(order)
	start := make([]int32, m+1)
	for _, b := range d.rpo[1:] {
		start[d.po[d.idom[b.ID].ID]+1]++
	}
	for i := 1; i <= m; i++ {
		start[i] += start[i-1]
	}
	fill := make([]int32, m)
	kids := make([]*Block, m)
	for _, b := range d.rpo[1:] {
		p := d.po[d.idom[b.ID].ID]
		kids[start[p]+fill[p]] = b
		fill[p]++
	}
	clock := int32(0)
	type frame struct {
		b    *Block
		i, e int32
	}
	stack := make([]frame, 1, 16)
	ep := d.po[entry.ID]
	stack[0] = frame{entry, start[ep], start[ep+1]}
	d.pre[entry.ID] = clock
	clock++
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		if top.i < top.e {
			c := kids[top.i]
			top.i++
			d.pre[c.ID] = clock
			clock++
			cp := d.po[c.ID]
			stack = append(stack, frame{c, start[cp], start[cp+1]})
			continue
		}
		d.post[top.b.ID] = clock
		clock++
		stack = stack[:len(stack)-1]
	}
	return d
}

func (d *DomTree) intersect(a, b *Block) *Block {
	for a != b {
		for d.po[a.ID] < d.po[b.ID] {
			a = d.idom[a.ID]
		}
		for d.po[b.ID] < d.po[a.ID] {
			b = d.idom[b.ID]
		}
	}
	return a
}

// Idom returns the immediate dominator of b, or nil for the entry and
// unreachable blocks.
func (d *DomTree) Idom(b *Block) *Block { return d.idom[b.ID] }

// Reachable reports whether b is reachable from the entry.
func (d *DomTree) Reachable(b *Block) bool { return d.po[b.ID] >= 0 }

// RPO returns the reachable blocks in reverse postorder (entry first).
func (d *DomTree) RPO() []*Block { return d.rpo }

// Dominates reports whether a dominates b (every block dominates itself).
// It is false if either block is unreachable.
func (d *DomTree) Dominates(a, b *Block) bool {
	if d.po[a.ID] < 0 || d.po[b.ID] < 0 {
		return false
	}
	return d.pre[a.ID] <= d.pre[b.ID] && d.post[b.ID] <= d.post[a.ID]
}
