package ir

// Constant folding.
//
// Constfold replaces integer ops whose args are all constants by the
// constant they compute, using Eval (eval.go), which implements Wasm's
// semantics exactly. An op that would trap on its constant args (division
// by zero, signed overflow) is left alone so that it still traps at run
// time. Only ops whose result and args are all i32/i64 are folded: float
// results are left to run time because Wasm lets NaN bits vary. SIMD ops
// on integer lanes fold likewise (simd_fold.go).
//
// It also resolves decisions made on constants:
//   - select with a constant condition becomes a copy of the chosen arg
//     (copyprop removes it);
//   - an if or switch on a constant becomes a jump: the edges not taken are
//     removed, with their phi args (deadcode then removes blocks left
//     unreachable).
//
// Blocks are visited in reverse postorder so a value's args are folded
// before it (except phis, which are never folded). Args are looked at
// through copies.
//
//	v1 = const 6 : i32
//	v2 = const 7 : i32            v3 = const 42 : i32
//	v3 = imul v1 v2 : i32    →    v4 = const 0 : i32
//	v4 = sdiv v3 v0 : i32         v5 = sdiv v3 v0 : i32   (v0 may be 0: kept)
//	if v3 -> b1 b2                jump b1

// Constfold folds constant integer ops, selects and branches.
func Constfold(f *Func) error {
	order := Postorder(f)
	for i := len(order) - 1; i >= 0; i-- {
		b := order[i]
		for _, v := range b.Values {
			foldValue(v)
		}
		foldBranch(b)
	}
	return nil
}

// constArg returns the constant that a (seen through copies) is, or nil.
func constArg(a *Value) *Value {
	if s := copySource(a); s.Op == OpConst {
		return s
	}
	return nil
}

func foldValue(v *Value) {
	switch v.Op {
	case OpConst, OpCopy, OpPhi:
		return
	case OpSelect:
		c := constArg(v.Args[0])
		if c == nil {
			return
		}
		chosen := v.Args[2]
		if uint32(c.Aux) != 0 {
			chosen = v.Args[1]
		}
		chosen.Uses++ // keep it alive across resetArgs
		v.resetArgs()
		v.Op = OpCopy
		v.Args = append(v.Args, chosen)
		return
	}
	if v.Op.IsSIMD() {
		foldSIMD(v) // simd_fold.go
		return
	}
	if foldNullTest(v, func(r *Value) bool { return r.Op == OpRefFunc }) {
		return
	}
	if !Evaluable(v.Op) || !v.Type.IsInt() || len(v.Args) == 0 {
		return
	}
	bits := make([]uint64, len(v.Args))
	for i, a := range v.Args {
		c := constArg(a)
		if c == nil || !c.Type.IsInt() {
			return
		}
		bits[i] = uint64(c.Aux)
	}
	r, trap, ok := Eval(v.Op, v.Type, v.Args[0].Type, v.Aux, bits)
	if !ok || trap != 0 {
		return
	}
	v.resetArgs()
	v.Op = OpConst
	v.Aux = int64(r)
	v.Aux2 = 0
}

// foldNullTest folds v, an icmp eq or ne of a reference (seen through
// copies) and the null constant, to 0 or 1 when nonNull says the reference
// cannot be null; it reports whether it did. Constfold's nonNull is a
// ref_func (a function's funcref record, which cont.new tests);
// contsplit's is a continuation's address.
func foldNullTest(v *Value, nonNull func(r *Value) bool) bool {
	if v.Op != OpICmp || (v.Aux != int64(CondEq) && v.Aux != int64(CondNe)) {
		return false
	}
	r, z := copySource(v.Args[0]), constArg(v.Args[1])
	if z == nil {
		r, z = copySource(v.Args[1]), constArg(v.Args[0])
	}
	if z == nil || z.Type != Ref || z.Aux != 0 || !nonNull(r) {
		return false
	}
	ne := v.Aux == int64(CondNe)
	v.resetArgs()
	v.Op = OpConst
	v.Aux, v.Aux2 = 0, 0
	if ne {
		v.Aux = 1
	}
	return true
}

func foldBranch(b *Block) {
	if (b.Kind != BlockIf && b.Kind != BlockSwitch) || len(b.Controls) != 1 {
		return
	}
	c := constArg(b.Controls[0])
	if c == nil || len(b.Succs) == 0 {
		return
	}
	k := 0 // the successor taken
	idx := uint64(uint32(c.Aux))
	switch b.Kind {
	case BlockIf:
		if idx == 0 {
			k = 1
		}
	case BlockSwitch:
		k = len(b.Succs) - 1
		if idx < uint64(k) {
			k = int(idx)
		}
	}
	// Remove from the end so lower indices stay valid.
	for j := len(b.Succs) - 1; j >= 0; j-- {
		if j != k {
			b.RemoveSucc(j)
		}
	}
	b.Kind = BlockPlain
	b.SetControls()
}
