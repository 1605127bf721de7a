package ir

import "wfxc/rt/abi"

// Continuation splitting: scalar replacement of continuation references.
//
// A continuation reference (Cont) is a 16-byte pair {VMContRef, revision}
// that back ends keep in a vector register. The translator makes one with
// cont_make and takes it apart with cont_ptr and cont_rev; in between it
// often only flows through phis, as in the loop that resumes the
// continuation a handler received. Contsplit replaces such a web of phis by
// a phi of the addresses and a phi of the revisions, and folds cont_ptr and
// cont_rev of cont_make and of null, so the pair never exists as one value:
//
//	b1: loop <- b0 b2                       b1: loop <- b0 b2
//	  v5 = phi v3 v9 : cont                   v10 = phi v1 v7 : ref
//	  v6 = cont_ptr v5 : ref           →      v11 = phi v2 v8 : i64
//	  v7' = cont_rev v5 : i64                 (uses of v6 and v7' use v10, v11)
//	b2: v9 = cont_make v7 v8 : cont
//
// (v3 = cont_make v1 v2 in b0.) A web is split only if every value flowing
// in is a cont_make, the null constant or a phi of the web, and every use
// of its phis is a cont_ptr, a cont_rev or a phi of the web: a reference
// that is stored, passed or returned keeps its pair form. The cont_ptr and
// cont_rev values become copies, which the copy propagation at the end
// removes.

// Contsplit splits continuation phi webs and folds cont_ptr/cont_rev.
func Contsplit(f *Func) error {
	var phis []*Value
	for _, b := range f.Blocks {
		for _, v := range b.Values {
			if v.Op == OpPhi && v.Type == Cont {
				phis = append(phis, v)
			}
		}
	}
	folded := foldNullTests(f, phis)
	folded = foldContParts(f) || folded
	if len(phis) == 0 {
		if folded {
			return Copyprop(f)
		}
		return nil
	}
	// Union the phis that feed one another into webs.
	web := map[*Value]*Value{}
	for _, p := range phis {
		web[p] = p
	}
	var find func(*Value) *Value
	find = func(v *Value) *Value {
		for web[v] != v {
			web[v] = web[web[v]]
			v = web[v]
		}
		return v
	}
	for _, p := range phis {
		for _, a := range p.Args {
			if _, ok := web[a]; ok {
				web[find(a)] = find(p)
			}
		}
	}
	// A web is bad if a value of another kind flows in, or if a phi of it
	// has a use other than cont_ptr, cont_rev or a phi of the web.
	bad := map[*Value]bool{}
	for _, p := range phis {
		for _, a := range p.Args {
			if _, ok := web[a]; !ok && a.Op != OpContMake && !isNullCont(a) {
				bad[find(p)] = true
			}
		}
	}
	markUse := func(a *Value, user *Value) {
		if _, ok := web[a]; !ok {
			return
		}
		switch {
		case user != nil && (user.Op == OpContPtr || user.Op == OpContRev):
		case user != nil && user.Op == OpPhi && user.Type == Cont:
			if _, ok := web[user]; ok && find(user) == find(a) {
				return
			}
			bad[find(a)] = true
		default:
			bad[find(a)] = true
		}
	}
	for _, b := range f.Blocks {
		for _, v := range b.Values {
			for _, a := range v.Args {
				markUse(a, v)
			}
		}
		for _, c := range b.Controls {
			markUse(c, nil)
		}
	}
	// Split the good webs: each phi gets an address phi and a revision
	// phi in its block, filled once all exist (webs are cyclic).
	type parts struct{ ptr, rev *Value }
	split := map[*Value]parts{}
	for _, p := range phis {
		if !bad[find(p)] {
			split[p] = parts{p.Block.InsertPhi(Ref), p.Block.InsertPhi(I64)}
		}
	}
	if len(split) == 0 {
		if folded {
			return Copyprop(f)
		}
		return nil
	}
	var nullPtr, nullRev *Value
	nulls := func() (*Value, *Value) {
		if nullPtr == nil {
			// In the entry block, which dominates every phi using them,
			// after its parameters (it may end with a call).
			e := f.Entry()
			nullPtr, nullRev = e.NewValue(OpConst, Ref), e.NewValue(OpConst, I64)
			k := 0
			for k < len(e.Values)-2 && (e.Values[k].Op == OpVMCtx || e.Values[k].Op == OpParam) {
				k++
			}
			copy(e.Values[k+2:], e.Values[k:len(e.Values)-2])
			e.Values[k], e.Values[k+1] = nullPtr, nullRev
		}
		return nullPtr, nullRev
	}
	for _, p := range phis {
		s, ok := split[p]
		if !ok {
			continue
		}
		for _, a := range p.Args {
			switch {
			case a.Op == OpContMake:
				s.ptr.AddArg(a.Args[0])
				s.rev.AddArg(a.Args[1])
			case isNullCont(a):
				np, nr := nulls()
				s.ptr.AddArg(np)
				s.rev.AddArg(nr)
			default:
				s.ptr.AddArg(split[a].ptr)
				s.rev.AddArg(split[a].rev)
			}
		}
	}
	for _, b := range f.Blocks {
		for _, v := range b.Values {
			if (v.Op == OpContPtr || v.Op == OpContRev) && len(v.Args) == 1 {
				if s, ok := split[v.Args[0]]; ok {
					part := s.ptr
					if v.Op == OpContRev {
						part = s.rev
					}
					v.Op = OpCopy
					v.SetArg(0, part)
				}
			}
		}
	}
	foldRevisionChecks(f)
	// The split phis now feed only one another: drop them.
	for p := range split {
		p.resetArgs()
	}
	for _, b := range f.Blocks {
		kept := b.Values[:0]
		for _, v := range b.Values {
			if _, ok := split[v]; ok {
				v.Block = nil
				continue
			}
			kept = append(kept, v)
		}
		for i := len(kept); i < len(b.Values); i++ {
			b.Values[i] = nil
		}
		b.Values = kept
	}
	return Copyprop(f)
}

// foldNullTests folds the null tests (icmp eq or ne of cont_ptr x and the
// null ref) of references x that cannot be null: a cont_make (whose record
// is never 0) and a phi all of whose inputs cannot be — as the reference
// a handler receives and resumes in a loop, which the loop's resume tests
// on every round trip. It reports whether it changed anything.
//
//	b1: loop <- b0 b2                       b1: loop <- b0 b2
//	  v5 = phi v3 v9 : cont                   v5 = phi v3 v9 : cont
//	  v6 = cont_ptr v5 : ref           →      v6 = cont_ptr v5 : ref
//	  v7 = icmp eq v6 v0 : i32                v7 = const 0 : i32
//	(v3, v9 cont_make; v0 const 0 : ref)
func foldNullTests(f *Func, phis []*Value) bool {
	// The phis that cannot be null: the greatest set closed under "every
	// input is a cont_make or in the set" (a cycle of phis brings only
	// what flows into it from outside).
	nonNull := map[*Value]bool{}
	for _, p := range phis {
		nonNull[p] = true
	}
	for changed := true; changed; {
		changed = false
		for _, p := range phis {
			if !nonNull[p] {
				continue
			}
			for _, a := range p.Args {
				if a = copySource(a); a.Op != OpContMake && !nonNull[a] {
					nonNull[p], changed = false, true
					break
				}
			}
		}
	}
	isPtr := func(a *Value) bool {
		if a.Op != OpContPtr || len(a.Args) != 1 {
			return false
		}
		x := copySource(a.Args[0])
		return x.Op == OpContMake || nonNull[x]
	}
	folded := false
	for _, b := range f.Blocks {
		for _, v := range b.Values {
			folded = foldNullTest(v, isPtr) || folded
		}
	}
	if folded {
		for _, b := range f.Blocks {
			foldBranch(b) // deadcode removes what became unreachable
		}
	}
	return folded
}

// foldRevisionChecks folds the revision check of a resume (icmp ne of the
// record's ContRevision and the reference's revision) when the reference
// is a split phi whose every input was made from its record's revision
// loaded at the end of that edge's predecessor, and nothing between those
// loads and the check can change a revision (a store to a ContRevision
// field, or an op that may run code or enter rt): the loop that resumes
// the continuation its handler received, as
//
//	b6: ... v35 = load_raw v15 [24]; jump b8
//	b8: loop <- b6 b17
//	  v93 = phi v15 v78 : ref
//	  v94 = phi v35 v85 : i64
//	  v38 = poll                             (the same in b8 and b10 but
//	  jump b10                                v44 = const 0 : i32,
//	b10: v43 = load_raw v93 [24] : i64        and b10 jumps to b12)
//	  v44 = icmp ne v43 v94 : i32
//	  if v44 -> b11 b12
//	b17: v85 = load_raw v78 [24]; jump b8
//
// A poll may exit to rt, which changes no revision when it comes back.
func foldRevisionChecks(f *Func) {
	clobbers := func(v *Value) bool {
		return v.Op == OpStoreRaw && v.Aux == abi.ContRevision || Ops[v.Op].Effect == Call
	}
	// cleanAfter: nothing after x in its block clobbers.
	cleanAfter := func(x *Value) bool {
		seen := false
		for _, v := range x.Block.Values {
			if seen && clobbers(v) {
				return false
			}
			seen = seen || v == x
		}
		return seen
	}
	isRev := func(v *Value) bool {
		return v.Op == OpLoadRaw && v.Aux == abi.ContRevision && v.Type == I64 && len(v.Args) == 1
	}
	redundant := func(cmp *Value) bool {
		if cmp.Op != OpICmp || cmp.Aux != int64(CondNe) {
			return false
		}
		cur, ref := copySource(cmp.Args[0]), copySource(cmp.Args[1])
		if !isRev(cur) {
			cur, ref = ref, cur
		}
		if !isRev(cur) {
			return false
		}
		ptr := copySource(cur.Args[0])
		if ptr.Op != OpPhi || ref.Op != OpPhi || ptr.Block != ref.Block || len(ptr.Args) != len(ref.Args) || len(ptr.Args) != len(ptr.Block.Preds) {
			return false
		}
		for i, a := range ptr.Args {
			r := copySource(ref.Args[i])
			if !isRev(r) || copySource(r.Args[0]) != copySource(a) || r.Block != ptr.Block.Preds[i] || !cleanAfter(r) {
				return false
			}
		}
		// From the phis' block down a chain of single edges to the check.
		for b := ptr.Block; ; {
			for _, v := range b.Values {
				if v == cur {
					return true
				}
				if clobbers(v) {
					return false
				}
			}
			if len(b.Succs) != 1 || len(b.Succs[0].Preds) != 1 || b.Succs[0] == ptr.Block {
				return false
			}
			b = b.Succs[0]
		}
	}
	folded := false
	for _, b := range f.Blocks {
		for _, v := range b.Values {
			if redundant(v) {
				v.resetArgs()
				v.Op, v.Aux, v.Aux2 = OpConst, 0, 0
				folded = true
			}
		}
	}
	if folded {
		for _, b := range f.Blocks {
			foldBranch(b)
		}
	}
}

// foldContParts turns cont_ptr and cont_rev of a cont_make into copies of
// its operand and of the null constant into constants; it reports whether
// it changed anything.
func foldContParts(f *Func) bool {
	changed := false
	for _, b := range f.Blocks {
		for _, v := range b.Values {
			if (v.Op != OpContPtr && v.Op != OpContRev) || len(v.Args) != 1 {
				continue
			}
			x := v.Args[0]
			switch {
			case x.Op == OpContMake:
				part := x.Args[0]
				if v.Op == OpContRev {
					part = x.Args[1]
				}
				v.Op = OpCopy
				v.SetArg(0, part)
				changed = true
			case isNullCont(x):
				v.resetArgs()
				v.Op, v.Aux = OpConst, 0
				changed = true
			}
		}
	}
	return changed
}

// isNullCont reports the null continuation reference constant.
func isNullCont(v *Value) bool { return v.Op == OpConst && v.Type == Cont && v.Aux == 0 }
