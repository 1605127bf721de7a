package ir

import "slices"

// Reassociation of accumulator chains. A loop that sums several terms into
// an accumulator, as clang emits an unrolled reduction,
//
//	v5 = phi v0 v9                  v5 = phi v0 v9
//	v6 = iadd v1 v5                 v6 = iadd v1 v2
//	v7 = iadd v2 v6        →        v7 = iadd v3 v4
//	v8 = iadd v3 v7                 v8 = iadd v6 v7
//	v9 = iadd v4 v8                 v9 = iadd v5 v8
//
// carries the phi through every add of the chain: one iteration waits for
// four dependent adds of the previous one. Rebuilt as a balanced tree of
// the other terms, with the phi added last (first operand, so a two-address
// back end can keep it in the phi's register), only one add is on the
// loop-carried path.
//
// Assumptions and choices:
//   - Only ops that are associative and commutative on their bits: integer
//     add, and, or, xor, and their lane-wise vector forms (wrapping, so
//     exact). Never floats.
//   - A chain is a tree of one op and type in one block whose inner values
//     have exactly one use, the next value of the tree; its root may have
//     any. It is rebuilt when it has at least three terms, among them a
//     phi that the root flows back into (the accumulator) and that is not
//     already an operand of the root. The rebuild reuses the tree's own
//     values, in block order, each taking two terms defined before it or
//     values it made earlier, so no value is created, moved or removed and
//     the root keeps its ID; a chain whose terms come too late for that is
//     left as it is.

// reassocOps are the ops Reassoc rebuilds chains of.
var reassocOps = [NumOps]bool{
	OpAdd: true, OpAnd: true, OpOr: true, OpXor: true,
	OpI8x16Add: true, OpI16x8Add: true, OpI32x4Add: true, OpI64x2Add: true,
	OpV128And: true, OpV128Or: true, OpV128Xor: true,
}

// reassocs reports whether Reassoc rebuilds chains of op (false for ops
// outside the table).
func reassocs(op Op) bool { return op < NumOps && reassocOps[op] }

// Reassoc rebuilds accumulator chains as balanced trees with the phi last.
func Reassoc(f *Func) error {
	for _, b := range f.Blocks {
		reassocBlock(b)
	}
	return nil
}

func reassocBlock(b *Block) {
	// Most blocks hold no chain (no inner value, so every tree has two
	// terms and stays): find one before building the maps. a.Block == b
	// holds for every a in b.Values, so this finds at least what inner
	// below does.
	chain := false
	for _, v := range b.Values {
		if !reassocs(v.Op) || len(v.Args) != 2 {
			continue
		}
		for _, a := range v.Args {
			chain = chain || a.Block == b && a.Op == v.Op && a.Type == v.Type && a.Uses == 1 && len(a.Args) == 2
		}
	}
	if !chain {
		return
	}
	index := make(map[*Value]int, len(b.Values))
	for i, v := range b.Values {
		index[v] = i
	}
	// inner reports whether a is an inner value of the tree through v.
	inner := func(v, a *Value) bool {
		_, here := index[a]
		return here && a.Op == v.Op && a.Type == v.Type && a.Uses == 1 && len(a.Args) == 2
	}
	// isInner marks the values that are some tree's inner value; they are
	// not roots.
	isInner := map[*Value]bool{}
	for _, v := range b.Values {
		if !reassocs(v.Op) || len(v.Args) != 2 {
			continue
		}
		for _, a := range v.Args {
			if inner(v, a) {
				isInner[a] = true
			}
		}
	}
	for _, root := range b.Values {
		if !reassocs(root.Op) || len(root.Args) != 2 || isInner[root] {
			continue
		}
		var nodes, terms []*Value
		var walk func(v *Value)
		walk = func(v *Value) {
			nodes = append(nodes, v)
			for _, a := range v.Args {
				if inner(root, a) {
					walk(a)
				} else {
					terms = append(terms, a)
				}
			}
		}
		walk(root)
		if len(terms) < 3 {
			continue
		}
		phi := -1 // the accumulator: a phi the root flows back into
		for i, t := range terms {
			if t.Op == OpPhi && slices.Contains(t.Args, root) {
				phi = i
				break
			}
		}
		if phi < 0 || root.Args[0] == terms[phi] || root.Args[1] == terms[phi] {
			continue
		}
		p := terms[phi]
		rest := append(append([]*Value(nil), terms[:phi]...), terms[phi+1:]...)
		// Terms enter a queue as they become available (defined in
		// another block or before the inner value at hand), the inner
		// values in block order take its first two each and go to its
		// back (pairs of terms first: balanced), then the root adds the
		// phi. A dry run first: an inner value with fewer than two
		// available leaves the chain as it is.
		at := func(v *Value) int {
			if i, here := index[v]; here {
				return i
			}
			return -1
		}
		sortByIndex(rest, at)
		inners := nodes[1:]
		sortByIndex(inners, at)
		pairs := make([][2]*Value, 0, len(inners))
		var queue []*Value
		next := 0
		ok := true
		for _, n := range inners {
			for next < len(rest) && at(rest[next]) < at(n) {
				queue = append(queue, rest[next])
				next++
			}
			if len(queue) < 2 {
				ok = false
				break
			}
			pairs = append(pairs, [2]*Value{queue[0], queue[1]})
			queue = append(queue[2:], n)
		}
		queue = append(queue, rest[next:]...)
		if !ok || len(queue) != 1 {
			continue
		}
		for i, n := range inners {
			n.SetArg(0, pairs[i][0])
			n.SetArg(1, pairs[i][1])
		}
		root.SetArg(0, p)
		root.SetArg(1, queue[0])
	}
}

// sortByIndex sorts vs by at (insertion sort, stable: trees are small).
func sortByIndex(vs []*Value, at func(*Value) int) {
	for i := 1; i < len(vs); i++ {
		for j := i; j > 0 && at(vs[j]) < at(vs[j-1]); j-- {
			vs[j], vs[j-1] = vs[j-1], vs[j]
		}
	}
}
