package lower

// Edge moves. Phis are resolved on the edges into their block: on the edge
// b → c, each phi of c gets, in its location, its arg for that edge (phi
// arg i flows in from c.Preds[i], ir.Block.PredIndex finds i). The moves of
// one edge happen at once, so a back end emits them through Sequence.
//
//	b3: if v9 → b4, b4        b4: v10 = phi v7 v8
//	EdgeMoves(b3, 0) = {loc(v10) ← loc(v7)}; EdgeMoves(b3, 1) = {loc(v10) ← loc(v8)}

import "wfxc/ir"

// EdgeMoves returns the parallel move of the edge b → b.Succs[i] under the
// allocation ra: one move per phi of the successor that has a location.
// class gives the register class of a value type (Config.Class).
func EdgeMoves(ra *Allocation, b *ir.Block, i int, class func(ir.Type) (RegClass, bool)) []Move {
	pi := b.PredIndex(i)
	if pi < 0 {
		return nil
	}
	var ms []Move
	for _, v := range b.Succs[i].Values {
		if v.Op != ir.OpPhi {
			continue
		}
		if d := ra.Loc(v); d.Kind != LocNone {
			x := v.Args[pi]
			c, _ := class(x.Type)
			ms = append(ms, Move{Dst: d, Src: ra.Loc(x), V: x, Class: c})
		}
	}
	return ms
}
