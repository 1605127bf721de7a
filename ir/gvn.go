package ir

// Global value numbering: a pure value that computes the same op on the
// same args (and Aux, Aux2, type) as a value in a dominating position is
// replaced by that value. Constants are values too, so equal constants
// collapse into the first one, and a computation in a loop whose constant
// operand was materialised inside the loop then names a constant defined
// outside it (which LICM needs to see it as invariant).
//
//	b1:                               b1:
//	  v3 = imul v1 v2 : i32             v3 = imul v1 v2 : i32
//	  v4 = const 3 : i32                v4 = const 3 : i32
//	  v5 = ishl v3 v4 : i32             v5 = ishl v3 v4 : i32
//	  jump b2                           jump b2
//	b2:                          →    b2:
//	  v7 = imul v1 v2 : i32             v9 = iadd v5 v3 : i32
//	  v8 = const 3 : i32
//	  v6 = ishl v7 v8 : i32
//	  v9 = iadd v6 v7 : i32
//
// The walk is the dominator tree in preorder with a scoped table (the
// "dominator-based value numbering" of Briggs, Cooper and Simpson, "Value
// Numbering", 1997, https://www.cs.tufts.edu/~nr/cs257/archive/keith-cooper/value-numbering.pdf):
// a value found in the table is defined in a block that dominates the
// current one, or earlier in the same block, so it dominates every use of
// the value it replaces. Args of commutative integer ops are ordered by ID
// first (not float ones: which NaN an x86 addsd returns depends on the order).
// Only Pure ops with at most three args take part (not copies, tuple
// results, or the arg-less plumbing ops whose placement matters); phis
// keep their own identity. The replaced values are left unused for
// deadcode.

// gvnKey identifies a pure computation.
type gvnKey struct {
	op         Op
	typ        Type
	aux, aux2  int64
	n          int8
	a0, a1, a2 int32
}

// GVN replaces pure values by equal dominating ones.
func GVN(f *Func) error {
	d := Dominators(f)
	children := make([][]*Block, f.NumBlocks())
	for _, b := range f.Blocks {
		if p := d.Idom(b); p != nil {
			children[p.ID] = append(children[p.ID], b)
		}
	}
	repl := make([]*Value, f.NumValues())
	resolve := func(v *Value) *Value {
		if r := repl[v.ID]; r != nil {
			return r
		}
		return v
	}
	table := map[gvnKey]*Value{}
	var undo []gvnKey // keys added, per open scope (the dominator-tree path)
	type frame struct {
		b    *Block
		mark int // len(undo) when b's scope opened; -1 before it is visited
	}
	stack := []frame{{f.Entry(), -1}}
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		if top.mark >= 0 {
			for _, k := range undo[top.mark:] {
				delete(table, k)
			}
			undo = undo[:top.mark]
			stack = stack[:len(stack)-1]
			continue
		}
		b := top.b
		top.mark = len(undo)
		for _, v := range b.Values {
			for i, a := range v.Args {
				if r := resolve(a); r != a {
					v.SetArg(i, r)
				}
			}
			k, ok := gvnKeyOf(v)
			if !ok {
				continue
			}
			if w, hit := table[k]; hit {
				repl[v.ID] = w
				continue
			}
			table[k] = v
			undo = append(undo, k)
		}
		for i := len(children[b.ID]) - 1; i >= 0; i-- {
			stack = append(stack, frame{children[b.ID][i], -1})
		}
	}
	// Phi args along back edges and controls may name replaced values.
	for _, b := range f.Blocks {
		for _, v := range b.Values {
			for i, a := range v.Args {
				if r := resolve(a); r != a {
					v.SetArg(i, r)
				}
			}
		}
		for i, c := range b.Controls {
			if r := resolve(c); r != c {
				c.Uses--
				r.Uses++
				b.Controls[i] = r
			}
		}
	}
	return nil
}

// gvnKeyOf returns v's key if v takes part in value numbering.
func gvnKeyOf(v *Value) (gvnKey, bool) {
	info := Ops[v.Op]
	if info.Effect != Pure || v.Type == Tuple || v.Results != nil || len(v.Args) > 3 {
		return gvnKey{}, false
	}
	switch v.Op {
	case OpCopy, OpPhi, OpResult:
		return gvnKey{}, false
	case OpConst:
	default:
		if len(v.Args) == 0 {
			return gvnKey{}, false
		}
	}
	k := gvnKey{op: v.Op, typ: v.Type, aux: v.Aux, aux2: v.Aux2, n: int8(len(v.Args))}
	ids := [3]int32{}
	for i, a := range v.Args {
		ids[i] = a.ID
	}
	if info.Commutative && v.Type.IsInt() && len(v.Args) == 2 && ids[1] < ids[0] {
		ids[0], ids[1] = ids[1], ids[0]
	}
	k.a0, k.a1, k.a2 = ids[0], ids[1], ids[2]
	return k, true
}
