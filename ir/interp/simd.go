package interp

// v128 values and the SIMD ops. A v128's low half is in frame.vals like
// any value, its high half in frame.hi; ir.EvalSIMD computes the ops.

import (
	"fmt"

	"wfxc/ir"
)

// slotCount is the number of uint64 slots values of types ts take.
func slotCount(ts []ir.Type) int {
	n := 0
	for _, t := range ts {
		n++
		if t == ir.V128 {
			n++
		}
	}
	return n
}

// numPhis is the number of phis at the start of b.
func numPhis(b *ir.Block) int {
	n := 0
	for n < len(b.Values) && b.Values[n].Op == ir.OpPhi {
		n++
	}
	return n
}

// vec returns the value of v as a Vec (a scalar in the low word).
func (fr *frame) vec(v *ir.Value) ir.Vec {
	x := ir.Vec{fr.vals[v.ID]}
	if v.Type == ir.V128 && fr.hi != nil {
		x[1] = fr.hi[v.ID]
	}
	return x
}

// setVec sets v128 value v.
func (fr *frame) setVec(v *ir.Value, x ir.Vec) {
	if fr.hi == nil {
		fr.hi = make([]uint64, len(fr.vals))
	}
	fr.vals[v.ID], fr.hi[v.ID] = x[0], x[1]
}

// slots flattens vs into uint64 slots (two per v128).
func (fr *frame) slots(vs []*ir.Value) []uint64 {
	out := make([]uint64, 0, len(vs))
	for _, v := range vs {
		x := fr.vec(v)
		out = append(out, x[0])
		if v.Type == ir.V128 {
			out = append(out, x[1])
		}
	}
	return out
}

// setSlots sets v from the slots s (one, or two for a v128).
func (fr *frame) setSlots(v *ir.Value, s []uint64) {
	if v.Type == ir.V128 {
		fr.setVec(v, ir.Vec{s[0], s[1]})
		return
	}
	fr.vals[v.ID] = s[0] & typeMask(v.Type)
}

// execSIMD executes a SIMD op.
func execSIMD(fr *frame, v *ir.Value) error {
	args := make([]ir.Vec, len(v.Args))
	for i, a := range v.Args {
		args[i] = fr.vec(a)
		args[i][0] &= typeMask(a.Type)
	}
	r, ok := ir.EvalSIMD(v.Op, v.Aux, v.Aux2, args)
	if !ok {
		return fmt.Errorf("interp: %s: cannot evaluate %s", fr.f.Name, v.LongString())
	}
	if v.Type == ir.V128 {
		fr.setVec(v, r)
	} else {
		fr.vals[v.ID] = r[0] & typeMask(v.Type)
	}
	return nil
}

// execVecMove executes the plumbing ops on v128 values: copy, select and
// the all-zero const (locals' initial value in other translators).
func execVecMove(fr *frame, v *ir.Value) error {
	switch v.Op {
	case ir.OpCopy:
		fr.setVec(v, fr.vec(v.Args[0]))
	case ir.OpSelect:
		x := v.Args[2]
		if uint32(fr.vals[v.Args[0].ID]) != 0 {
			x = v.Args[1]
		}
		fr.setVec(v, fr.vec(x))
	default:
		return unsupported(fr, v)
	}
	return nil
}
