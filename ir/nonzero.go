package ir

// Nonzero facts from branches. A block entered only through the edge an
// if-block takes when x != 0 knows that x != 0, and so does every block it
// dominates: each path from the entry to such a block b passes that edge
// after x's last definition (x's block strictly dominates the edge's
// target, so re-entering x's block means passing the edge again before
// b). Back ends use it where the zero case costs code, e.g. ctz on
// x86-64-v2 (BSF leaves its destination undefined for 0; a known-nonzero
// argument needs no fix-up):
//
//	b1: v5 = eqz v4; if v5 -> b1 b2     b2: <- b1 (only pred, the false edge)
//	b2: v6 = ctz v4                     v4 != 0 in b2 and below it

// NonzeroAt reports whether x != 0 whenever b runs, by the branches on the
// dominator path to b (see the file comment). x is an integer value. A
// phi is nonzero where it is defined if each of its args is nonzero on its
// edge (by the branch that takes the edge, or above it), phis in a cycle
// being assumed nonzero while they are checked: a phi only ever holds one
// of the args outside the cycle, each nonzero.
func NonzeroAt(d *DomTree, x *Value, b *Block) bool {
	return nonzeroAt(d, x, b, map[*Value]bool{})
}

func nonzeroAt(d *DomTree, x *Value, b *Block, seen map[*Value]bool) bool {
	if x.Op == OpConst {
		return x.Aux != 0 && (x.Type != I32 || uint32(x.Aux) != 0)
	}
	for blk := b; blk != nil && d.Reachable(blk); blk = d.Idom(blk) {
		if blk == x.Block {
			if x.Op != OpPhi || len(x.Args) != len(blk.Preds) {
				return false // above x's definition nothing is known of it
			}
			if seen[x] {
				return true
			}
			seen[x] = true
			for i, a := range x.Args {
				if !nonzeroOnEdge(d, a, blk.Preds[i], blk, seen) {
					return false
				}
			}
			return true
		}
		if len(blk.Preds) == 1 && takenIfNonzero(blk.Preds[0], blk, x) {
			return true
		}
	}
	return false
}

// nonzeroOnEdge reports whether a != 0 whenever the edge p -> s is taken.
func nonzeroOnEdge(d *DomTree, a *Value, p, s *Block, seen map[*Value]bool) bool {
	return takenIfNonzero(p, s, a) || nonzeroAt(d, a, p, seen)
}

// takenIfNonzero reports whether p is an if-block that goes to s only when
// x != 0.
func takenIfNonzero(p, s *Block, x *Value) bool {
	if p.Kind != BlockIf || len(p.Succs) != 2 || p.Succs[0] == p.Succs[1] || len(p.Controls) != 1 {
		return false
	}
	switch whenNonzero(p.Controls[0], x) {
	case onTrue:
		return s == p.Succs[0]
	case onFalse:
		return s == p.Succs[1]
	}
	return false
}

// nzEdge says on which edge of `if c` x is known nonzero.
type nzEdge int8

const (
	unknownNZ nzEdge = iota - 1 // c says nothing of x
	onFalse                     // x != 0 when c == 0
	onTrue                      // x != 0 when c != 0
)

// whenNonzero says on which edge of an if on c the value x is nonzero: c
// itself, eqz x, or x compared eq/ne with a zero constant.
func whenNonzero(c, x *Value) nzEdge {
	zero := func(z *Value) bool { return z.Op == OpConst && z.Aux == 0 }
	switch {
	case c == x:
		return onTrue
	case c.Op == OpEqz && c.Args[0] == x:
		return onFalse
	case c.Op == OpICmp && (c.Args[0] == x && zero(c.Args[1]) || c.Args[1] == x && zero(c.Args[0])):
		switch Cond(c.Aux) {
		case CondNe:
			return onTrue
		case CondEq:
			return onFalse
		}
	}
	return unknownNZ
}
