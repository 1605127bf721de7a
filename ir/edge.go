package ir

// Edges. An edge b → c is recorded twice: as c in b.Succs and as b in
// c.Preds. When b has several edges to c (both arms of an if, a switch
// naming a block twice), the k-th occurrence of c in b.Succs pairs with the
// k-th occurrence of b in c.Preds, which is the order AddEdgeTo creates
// them in. Phi arg i belongs to the edge from Preds[i].

// PredIndex returns the index in b.Succs[j].Preds of the edge b → b.Succs[j].
func (b *Block) PredIndex(j int) int {
	c := b.Succs[j]
	k := 0 // occurrences of c in b.Succs before j
	for _, s := range b.Succs[:j] {
		if s == c {
			k++
		}
	}
	for i, p := range c.Preds {
		if p == b {
			if k == 0 {
				return i
			}
			k--
		}
	}
	return -1
}

// RemoveSucc removes the edge b → b.Succs[j], with the matching predecessor
// of the target and the phi args that flowed along it. It does not change
// b.Kind.
func (b *Block) RemoveSucc(j int) {
	c := b.Succs[j]
	if i := b.PredIndex(j); i >= 0 {
		c.removePred(i)
	}
	b.Succs = append(b.Succs[:j], b.Succs[j+1:]...)
}

// removePred removes c.Preds[i] and arg i of every phi in c.
func (c *Block) removePred(i int) {
	c.Preds = append(c.Preds[:i], c.Preds[i+1:]...)
	for _, v := range c.Values {
		if v.Op != OpPhi || i >= len(v.Args) {
			continue
		}
		v.Args[i].Uses--
		v.Args = append(v.Args[:i], v.Args[i+1:]...)
	}
}

// resetArgs drops all of v's args, keeping Uses counts right.
func (v *Value) resetArgs() {
	for _, a := range v.Args {
		a.Uses--
	}
	v.Args = v.Args[:0]
}
