package ir

import (
	"math"
	"strings"
	"testing"
)

// TestPrint_exact checks the printed form of a function built with the API.
func TestPrint_exact(t *testing.T) {
	f := NewFunc("odd name", 7, []Type{I32, F32}, []Type{F64})
	b0 := f.Entry()
	vm := b0.NewValue(OpVMCtx, I64)
	p0 := b0.NewValueAux(OpParam, I32, 0)
	p1 := b0.NewValueAux(OpParam, F32, 1)
	nan := b0.NewValueAux(OpConst, F64, int64(math.Float64bits(math.NaN())))
	negz := b0.NewValueAux(OpConst, F32, int64(math.Float32bits(float32(math.Copysign(0, -1)))))
	c := b0.NewValueAux(OpConst, I32, -5)
	ld := b0.NewValueAux(OpLoad, I32, 8, vm, p0)
	ld.Aux2 = 16
	ld.Pos = 33
	call := b0.NewValueAux(OpCall, Tuple, 2, vm, p1)
	call.Results = []Type{I32, F64}
	r := b0.NewValueAux(OpResult, F64, 1, call)
	void := b0.NewValueAux(OpCallImport, Void, 40, vm)
	void.Results = []Type{}
	cmp := b0.NewValueAux(OpFCmp, I32, int64(CondLe), p1, negz)
	_ = c
	b1 := f.NewBlock(BlockReturn)
	b2 := f.NewBlock(BlockTrap)
	b2.Aux = 3
	b2.Pos = 50
	b0.Kind = BlockSwitch
	b0.SetControls(cmp)
	b0.AddEdgeTo(b1)
	b0.AddEdgeTo(b2)
	b0.AddEdgeTo(b1)
	b1.Loop = true
	phi := b1.InsertPhi(F64)
	phi.AddArg(r)
	phi.AddArg(nan)
	b1.SetControls(phi)
	_ = ld
	const want = `func "odd name"(i32, f32) -> (f64) index 7 {
b0:
  v0 = vmctx : i64
  v1 = param [0] : i32
  v2 = param [1] : f32
  v3 = const 0x7ff8000000000001 : f64
  v4 = const -0 : f32
  v5 = const -5 : i32
  v6 = load v0 v1 [8, 16] : i32 @33
  v7 = call v0 v2 [2] : tuple (i32, f64)
  v8 = result v7 [1] : f64
  v9 = call_import v0 [40] ()
  v10 = fcmp le v2 v4 : i32
  switch v10 -> b1 b2 b1
b1: loop <- b0 b0
  v11 = phi v8 v3 : f64
  return v11
b2: <- b0
  trap int_overflow @50
}
`
	if got := f.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if err := Verify(f); err != nil {
		t.Errorf("Verify: %v", err)
	}
	roundTrip(t, f)
}

func roundTrip(t *testing.T, f *Func) {
	t.Helper()
	text := f.String()
	g, err := Parse(text)
	if err != nil {
		t.Fatalf("Parse: %v\n%s", err, text)
	}
	if got := g.String(); got != text {
		t.Fatalf("round trip changed the text:\n%s\nwant:\n%s", got, text)
	}
	if g.NumValues() != f.NumValues() && f.NumValues() > 0 {
		// Parsed IDs are the printed ones; the bound may only shrink if
		// trailing values were deleted.
		if g.NumValues() > f.NumValues() {
			t.Errorf("NumValues = %d, want <= %d", g.NumValues(), f.NumValues())
		}
	}
}

// TestParse_roundTrip parses, prints, parses again and compares.
func TestParse_roundTrip(t *testing.T) {
	tests := []struct {
		name string
		src  string
	}{
		{"fac", facSrc},
		{"floats", `func f() -> (f32, f64, f64, f32) {
b0:
  v0 = const 1.5 : f32
  v1 = const -Inf : f64
  v2 = const 5e-324 : f64
  v3 = const 0x7fc00000 : f32
  return v0 v1 v2 v3
}`},
		{"auxOnPlainBlock", `func f() {
b0:
  jump b1 [9] @3
b1:
  trap 200
}`},
		{"emptyName", `func ""() {
b0:
  return
}`},
		{"quotedName", `func "a;b\"c"() {
b0:
  return
}`},
		{"derivedPreds", `func f(i32) -> (i32) {
b0:
  v0 = param [0] : i32
  if v0 -> b1 b2
b1:
  jump b2
b2:
  v1 = phi v0 v0 : i32
  return v1
}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			roundTrip(t, mustParse(t, tt.src))
		})
	}
}

// TestParse_values checks fields the text sets.
func TestParse_values(t *testing.T) {
	f := mustParse(t, `func g(i64) -> () index 4 {
b0:
  v0 = vmctx : i64
  v5 = const 0xffffffff : i32
  v6 = const -1.25 : f64 ; a comment
  v7 = icmp ult v5 v5 : i32 @17
  v8 = global_get v0 [24, 1] : i64
  return
}`)
	vs := f.Entry().Values
	check := func(what string, got, want any) {
		t.Helper()
		if got != want {
			t.Errorf("%s = %v, want %v", what, got, want)
		}
	}
	check("Name", f.Name, "g")
	check("Index", f.Index, 4)
	check("len(Results)", len(f.Results), 0)
	check("v5.Aux", vs[1].Aux, int64(0xffffffff))
	check("v6.Aux", vs[2].Aux, int64(math.Float64bits(-1.25)))
	check("v7.Aux", Cond(vs[3].Aux), CondLtU)
	check("v7.Pos", vs[3].Pos, int32(17))
	check("v5.Uses", vs[1].Uses, int32(2))
	check("v0.Pos", vs[0].Pos, int32(-1))
	check("v8.Aux", vs[4].Aux, int64(24))
	check("v8.Aux2", vs[4].Aux2, int64(1))
	check("NumValues", f.NumValues(), 9)
	check("NumBlocks", f.NumBlocks(), 1)
}

func TestParse_errors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string
	}{
		{"unknownOp", "func f() {\nb0:\n  v0 = frob : i32\n  return\n}", "line 3: unknown op \"frob\""},
		{"unknownType", "func f(i9) {\nb0:\n  return\n}", "line 1: unknown type \"i9\""},
		{"undefinedValue", "func f() -> (i32) {\nb0:\n  return v4\n}", "line 3: b0 uses undefined value v4"},
		{"undefinedArg", "func f() {\nb0:\n  v1 = copy v9 : i32\n  return\n}", "line 3: v1 uses undefined value v9"},
		{"undefinedBlock", "func f() {\nb0:\n  jump b7\n}", "line 3: b0 jumps to undefined block b7"},
		{"noTerminator", "func f() {\nb0:\n  v0 = const 1 : i32\nb1:\n  return\n}", "line 4: block b0 has no terminator"},
		{"noClose", "func f() {\nb0:\n  return\n", "function f has no closing"},
		{"duplicateValue", "func f() {\nb0:\n  v0 = const 1 : i32\n  v0 = const 2 : i32\n  return\n}", "line 4: value v0 defined twice"},
		{"duplicateBlock", "func f() {\nb0:\n  jump b0\nb0:\n  return\n}", "line 4: block b0 defined twice"},
		{"constValue", "func f() {\nb0:\n  v0 = const : i32\n  return\n}", "line 3: const needs a value"},
		{"badConst", "func f() {\nb0:\n  v0 = const 1.5 : i32\n  return\n}", "line 3: bad i32 constant \"1.5\""},
		{"badCond", "func f() {\nb0:\n  v0 = icmp less v1 v1 : i32\n  return\n}", "line 3: unknown condition \"less\""},
		{"badTrap", "func f() {\nb0:\n  trap oops\n}", "line 3: unknown trap code \"oops\""},
		{"predMismatch", "func f() {\nb0:\n  jump b1\nb1: <- b0 b0\n  return\n}", "line 4: b1 lists 2 predecessors, want 1"},
		{"valueOutsideBlock", "func f() {\n  v0 = const 1 : i32\n}", "line 2: value outside a block"},
		{"badChar", "func f() {\nb0:\n  return #\n}", "line 3: unexpected character '#'"},
		{"trailing", "func f() {\nb0:\n  v0 = const 1 : i32 junk\n  return\n}", "line 3: got \"junk\", want an arg"},
		{"noBlocks", "func f() {\n}", "function f has no blocks"},
		{"notFunc", "blah", "line 1: got \"blah\", want \"func\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.src)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Parse: %v, want error containing %q", err, tt.want)
			}
		})
	}
}

func TestParseFuncs_several(t *testing.T) {
	fs, err := ParseFuncs(facSrc + "\n; between\n" + facSrc)
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 2 {
		t.Fatalf("got %d funcs, want 2", len(fs))
	}
	if _, err := Parse(facSrc + facSrc); err == nil || !strings.Contains(err.Error(), "got 2 functions, want 1") {
		t.Errorf("Parse of two funcs: %v", err)
	}
}

// TestPrint_everyOp round-trips one value of every op with assorted Aux,
// Aux2, Pos and Results (not a valid function: only the text matters).
func TestPrint_everyOp(t *testing.T) {
	f := NewFunc("all", 0, []Type{I32}, nil)
	b := f.Entry()
	x := b.NewValueAux(OpParam, I32, 0)
	for op := Op(1); op < NumOps; op++ {
		for k, typ := range []Type{I32, F32, Void} {
			v := b.NewValueAux(op, typ, int64(k)*3, x)
			v.Aux2 = int64(k % 2)
			v.Pos = int32(k) - 1
			if k == 1 {
				v.Results = []Type{I64}
			}
		}
	}
	b.Kind = BlockReturn
	roundTrip(t, f)
}
