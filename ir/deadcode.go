package ir

// Dead code elimination.
//
// Deadcode removes (1) blocks that no path from the entry reaches, taking
// their edges out of the surviving successors' Preds and the matching args
// out of those successors' phis, and (2) values whose results nobody needs
// and whose removal nobody can observe: Pure ops and phis. Everything else
// (traps, memory, calls, params, polls) is kept even when unused.
//
// Liveness is a mark phase, not a Uses == 0 test, so dead cycles (a loop
// phi feeding only an add that feeds only the phi) go too: the roots are
// the controls and every value that is neither Pure nor a phi; a value is
// live if a live value or control uses it.
//
//	b0:                           b0:
//	  v1 = param [0] : i32          v1 = param [0] : i32
//	  v2 = iadd v1 v1 : i32   →     return v1
//	  return v1                   (b1 had no predecessors: gone)
//	b1:
//	  return v2
//
// It assumes Preds/Succs are consistent; the result keeps them so.

// Deadcode removes unreachable blocks and unused side-effect-free values.
func Deadcode(f *Func) error {
	removeUnreachable(f)
	removeDeadValues(f)
	return nil
}

func removeUnreachable(f *Func) {
	reachable := make([]bool, f.NumBlocks())
	for _, b := range Postorder(f) {
		reachable[b.ID] = true
	}
	live := f.Blocks[:0]
	var dead []*Block
	for _, b := range f.Blocks {
		if reachable[b.ID] {
			live = append(live, b)
		} else {
			dead = append(dead, b)
		}
	}
	if len(dead) == 0 {
		return
	}
	for _, b := range dead {
		for j := len(b.Succs) - 1; j >= 0; j-- {
			b.RemoveSucc(j)
		}
		for _, v := range b.Values {
			v.resetArgs()
			v.Block = nil
		}
		b.SetControls()
		b.Values = nil
		b.Preds = nil
	}
	for i := len(live); i < len(f.Blocks); i++ {
		f.Blocks[i] = nil
	}
	f.Blocks = live
}

func removeDeadValues(f *Func) {
	live := make([]bool, f.NumValues())
	var work []*Value
	mark := func(v *Value) {
		if !live[v.ID] {
			live[v.ID] = true
			work = append(work, v)
		}
	}
	for _, b := range f.Blocks {
		for _, c := range b.Controls {
			mark(c)
		}
		for _, v := range b.Values {
			if !removable(v.Op) {
				mark(v)
			}
		}
	}
	for len(work) > 0 {
		v := work[len(work)-1]
		work = work[:len(work)-1]
		for _, a := range v.Args {
			mark(a)
		}
	}
	for _, b := range f.Blocks {
		kept := b.Values[:0]
		for _, v := range b.Values {
			if live[v.ID] {
				kept = append(kept, v)
				continue
			}
			v.resetArgs()
			v.Block = nil
		}
		for i := len(kept); i < len(b.Values); i++ {
			b.Values[i] = nil
		}
		b.Values = kept
	}
}

// removable reports whether an unused value of op may be deleted: pure
// ops, phis, and the reads that never trap (a raw record field, a
// global, a memory's or table's size) — e.g. the revision load left
// behind by a resume whose check contsplit folded.
func removable(op Op) bool {
	switch op {
	case OpPhi, OpLoadRaw, OpGlobalGet, OpMemorySize, OpTableSize:
		return true
	}
	return Ops[op].Effect == Pure
}
