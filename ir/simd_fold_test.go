package ir

import "testing"

func TestConstfold_simd(t *testing.T) {
	f := NewFunc("f", 0, []Type{F64}, []Type{I64, F64})
	b := f.Entry()
	p := b.NewValueAux(OpParam, F64, 0)
	c := b.NewValueAux(OpV128Const, V128, 1)
	c.Aux2 = 2
	n := b.NewValueAux(OpConst, I32, 3)
	s := b.NewValue(OpI64x2Shl, V128, c, n)
	x := b.NewValueAux(OpI64x2ExtractLane, I64, 1, s)
	fs := b.NewValue(OpF64x2Splat, V128, p)
	fa := b.NewValue(OpF64x2Add, V128, fs, c)
	fx := b.NewValueAux(OpF64x2ExtractLane, F64, 0, fa)
	b.Kind = BlockReturn
	b.SetControls(x, fx)
	if err := Verify(f); err != nil {
		t.Fatal(err)
	}
	if err := Constfold(f); err != nil {
		t.Fatal(err)
	}
	if err := Verify(f); err != nil {
		t.Fatal(err)
	}
	if s.Op != OpV128Const || s.Aux != 8 || s.Aux2 != 16 {
		t.Errorf("shl: %s, want v128.const [8, 16]", s.LongString())
	}
	if x.Op != OpConst || x.Aux != 16 {
		t.Errorf("extract_lane: %s, want const 16", x.LongString())
	}
	if fa.Op != OpF64x2Add || fx.Op != OpF64x2ExtractLane {
		t.Errorf("float lanes folded: %s, %s", fa.LongString(), fx.LongString())
	}
}
