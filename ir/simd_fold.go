package ir

// Constant folding of the SIMD ops (Constfold calls foldSIMD): an op on
// integer lanes whose args are all constants (v128.const, or integer
// consts for the scalar args) becomes the v128.const (or const) EvalSIMD
// computes. Ops on float lanes, and conversions from or to floats, are
// left to run time, as Constfold leaves scalar floats.
//
//	v1 = v128.const [1, 2] : v128
//	v2 = const 3 : i32                        v3 = v128.const [8, 16] : v128
//	v3 = i64x2.shl v1 v2 : v128          →    v4 = const 8 : i64
//	v4 = i64x2.extract_lane v3 [0] : i64

import "strings"

// simdFloat reports whether op computes on float lanes or converts
// between floats and integers.
func simdFloat(o Op) bool {
	name := Ops[o].Name
	return strings.Contains(name, "f32") || strings.Contains(name, "f64")
}

func foldSIMD(v *Value) {
	if len(v.Args) == 0 || simdFloat(v.Op) {
		return
	}
	args := make([]Vec, len(v.Args))
	for i, a := range v.Args {
		switch s := copySource(a); {
		case s.Op == OpV128Const:
			args[i] = Vec{uint64(s.Aux), uint64(s.Aux2)}
		case s.Op == OpConst && s.Type.IsInt():
			args[i] = Vec{uint64(s.Aux) & mask(s.Type)}
		default:
			return
		}
	}
	r, ok := EvalSIMD(v.Op, v.Aux, v.Aux2, args)
	if !ok {
		return
	}
	v.resetArgs()
	if v.Type == V128 {
		v.Op, v.Aux, v.Aux2 = OpV128Const, int64(r[0]), int64(r[1])
		return
	}
	v.Op, v.Aux, v.Aux2 = OpConst, int64(r[0]&mask(v.Type)), 0
}
