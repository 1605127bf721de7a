package lower

// Liveness of SSA values, by backward dataflow over the blocks of a linear
// order (phase 3 of regalloc.go). The allocator builds its intervals from
// it; stack maps and landing pads can ask which values survive a call or
// a stack switch (LiveAcross).
//
// A value is tracked when it has a result someone reads: not Void, not
// Tuple (a tuple is read through its OpResult values, in the call's block)
// and Uses > 0. Only tracked values that cross a block boundary (used in
// another block than their own, or passed to a phi) get a bit in the sets;
// the others are live from their definition to their last use in their
// own block, which LiveAcross works out from the block itself.
//
// Phis follow the usual SSA convention: a phi's arg is read at the end of
// the matching predecessor, so it is live out of that predecessor and not
// live into the phi's block; the phi itself is defined at its block's
// start. A phi nobody reads keeps none of its args alive. Blocks outside
// the order (unreachable ones) have no sets, and the edges from them are
// ignored. Example:
//
//	b0: v1 = param 0; v2 = const 0; jump b1          out: v1 v2
//	b1: v3 = phi v2 v4; if v3 -> b2 b3               in: v1        out: v1 v3
//	b2: v4 = iadd v3 v1; jump b1                     in: v1 v3     out: v1 v4
//	b3: return v3                                    in: v3
//
// The sets are iterated to a fixed point: gen(b) holds the values b reads
// before defining them, kill(b) those it defines, and
//
//	out(b) = phiargs(b) ∪ ⋃ in(s) for s in succs(b)
//	in(b)  = gen(b) ∪ (out(b) − kill(b))

import (
	"math/bits"
	"slices"

	"wfxc/ir"
)

// Liveness is the live-in and live-out sets of every block of one order,
// computed by ComputeLiveness.
type Liveness struct {
	index  []int32     // by value ID: bit in the sets, -1 if the value never crosses a block boundary
	place  []int32     // by value ID: index of the value in its block's Values (for LiveAcross)
	values []*ir.Value // by bit
	in     []bitset    // by block ID; nil for a block outside the order
	out    []bitset    // by block ID, including the args b passes to its successors' phis
}

// tracked reports whether liveness follows v: it has a result that is read.
func tracked(v *ir.Value) bool {
	return v.Type != ir.Void && v.Type != ir.Tuple && v.Uses > 0
}

// ComputeLiveness returns the liveness of the values of f over the blocks
// of order (Linearize's, or any order holding the reachable blocks).
func ComputeLiveness(f *ir.Func, order []*ir.Block) *Liveness {
	nv, nb := f.NumValues(), f.NumBlocks()
	l := &Liveness{index: make([]int32, nv), place: make([]int32, nv), in: make([]bitset, nb), out: make([]bitset, nb)}
	for i := range l.index {
		l.index[i] = -1
	}
	inOrder := make([]bool, nb)
	for _, b := range order {
		inOrder[b.ID] = true
	}
	global := func(x *ir.Value) {
		if tracked(x) && l.index[x.ID] < 0 {
			l.index[x.ID] = int32(len(l.values))
			l.values = append(l.values, x)
		}
	}
	for _, b := range order {
		for i, v := range b.Values {
			l.place[v.ID] = int32(i)
			for _, x := range v.Args {
				if v.Op == ir.OpPhi || x.Block != b {
					global(x)
				}
			}
		}
		for _, x := range b.Controls {
			if x.Block != b {
				global(x)
			}
		}
	}

	n := len(l.values)
	gen := make([]bitset, nb)
	kill := make([]bitset, nb)
	// Every block's four sets from two allocations: gen and kill (dropped
	// at the end), in and out (kept).
	temp, kept := newBitsets(n, 2*len(order)), newBitsets(n, 2*len(order))
	for j, b := range order {
		g, k := temp[2*j], temp[2*j+1]
		use := func(x *ir.Value) {
			if i := l.index[x.ID]; i >= 0 && !k.has(i) {
				g.set(i)
			}
		}
		for _, v := range b.Values {
			if v.Op != ir.OpPhi {
				for _, x := range v.Args {
					use(x)
				}
			}
			if i := l.index[v.ID]; i >= 0 {
				k.set(i)
			}
		}
		for _, x := range b.Controls {
			use(x)
		}
		gen[b.ID], kill[b.ID] = g, k
		l.in[b.ID], l.out[b.ID] = kept[2*j], kept[2*j+1]
	}
	// Phi args are live out of their predecessor.
	for _, b := range order {
		for i, p := range b.Preds {
			if !inOrder[p.ID] {
				continue
			}
			for _, v := range b.Values {
				if v.Op == ir.OpPhi && tracked(v) {
					if j := l.index[v.Args[i].ID]; j >= 0 {
						l.out[p.ID].set(j)
					}
				}
			}
		}
	}
	tmp := newBitset(n)
	for changed := true; changed; {
		changed = false
		for i := len(order) - 1; i >= 0; i-- {
			b := order[i]
			out := l.out[b.ID]
			for _, s := range b.Succs {
				out.orWith(l.in[s.ID]) // in(s) never holds s's own phis: they are in kill(s)
			}
			for j := range tmp {
				tmp[j] = out[j]&^kill[b.ID][j] | gen[b.ID][j]
			}
			if l.in[b.ID].orWith(tmp) {
				changed = true
			}
		}
	}
	return l
}

// LiveIn returns the values live on entry to b, by ID; b's phis are not
// among them.
func (l *Liveness) LiveIn(b *ir.Block) []*ir.Value { return l.list(l.in[b.ID]) }

// LiveOut returns the values live at the end of b, by ID, including the
// args b passes to its successors' phis.
func (l *Liveness) LiveOut(b *ir.Block) []*ir.Value { return l.list(l.out[b.ID]) }

// IsLiveIn reports whether v is live on entry to b.
func (l *Liveness) IsLiveIn(b *ir.Block, v *ir.Value) bool { return l.has(l.in[b.ID], v) }

// IsLiveOut reports whether v is live at the end of b.
func (l *Liveness) IsLiveOut(b *ir.Block, v *ir.Value) bool { return l.has(l.out[b.ID], v) }

// LiveAcross returns the values, by ID, that are live both just before v
// and just after it (defined before v, read after it): what a call or a
// stack switch v must preserve. v itself, and the OpResult values of a
// tuple-typed v, are defined by v and so are not among them. For a phi,
// which is defined with the other phis at the block start, it is LiveIn
// of the phi's block. Its cost is linear in the size of v's block.
func (l *Liveness) LiveAcross(v *ir.Value) []*ir.Value {
	b := v.Block
	if l.in[b.ID] == nil {
		return nil
	}
	if v.Op == ir.OpPhi {
		return l.LiveIn(b)
	}
	at := l.place[v.ID]
	var r []*ir.Value
	add := func(x *ir.Value) {
		if tracked(x) && (x.Block != b || l.place[x.ID] < at) {
			r = append(r, x)
		}
	}
	for _, w := range b.Values[at+1:] {
		for _, x := range w.Args {
			add(x)
		}
	}
	for _, x := range b.Controls {
		add(x)
	}
	l.each(l.out[b.ID], add)
	slices.SortFunc(r, func(x, y *ir.Value) int { return int(x.ID - y.ID) })
	return slices.Compact(r)
}

func (l *Liveness) has(s bitset, v *ir.Value) bool {
	i := l.index[v.ID]
	return s != nil && i >= 0 && s.has(i)
}

// each calls fn for the value of every bit in s, in bit order.
func (l *Liveness) each(s bitset, fn func(x *ir.Value)) {
	for w, word := range s {
		for word != 0 {
			bit := bits.TrailingZeros64(word)
			word &^= 1 << uint(bit)
			fn(l.values[w*64+bit])
		}
	}
}

func (l *Liveness) list(s bitset) []*ir.Value {
	var r []*ir.Value
	l.each(s, func(x *ir.Value) { r = append(r, x) })
	slices.SortFunc(r, func(x, y *ir.Value) int { return int(x.ID - y.ID) })
	return r
}

type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

// newBitsets returns k sets of n bits sharing one allocation.
func newBitsets(n, k int) []bitset {
	w := (n + 63) / 64
	words := make([]uint64, w*k)
	s := make([]bitset, k)
	for i := range s {
		s[i] = words[i*w : (i+1)*w : (i+1)*w]
	}
	return s
}
func (s bitset) set(i int32)      { s[i/64] |= 1 << (uint(i) % 64) }
func (s bitset) has(i int32) bool { return s[i/64]&(1<<(uint(i)%64)) != 0 }
func (s bitset) orWith(o bitset) bool {
	ch := false
	for i := range s {
		n := s[i] | o[i]
		if n != s[i] {
			s[i] = n
			ch = true
		}
	}
	return ch
}
