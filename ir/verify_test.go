package ir

import (
	"strings"
	"testing"
)

// facSrc is a small valid function used by several tests.
const facSrc = `
func fac(i64) -> (i64) index 3 {
b0:
  v0 = vmctx : i64
  v1 = param [0] : i64
  v2 = const 1 : i64
  v3 = icmp sle v1 v2 : i32 @12
  if v3 -> b2 b1
b1: loop <- b0 b1
  v4 = phi v1 v6 : i64
  v5 = phi v2 v7 : i64
  v6 = isub v4 v2 : i64
  v7 = imul v5 v4 : i64
  v8 = icmp sgt v6 v2 : i32
  if v8 -> b1 b2
b2: <- b0 b1
  v9 = phi v2 v7 : i64
  return v9
}
`

func mustParse(t *testing.T, src string) *Func {
	t.Helper()
	f, err := Parse(src)
	if err != nil {
		t.Fatalf("Parse: %v\n%s", err, src)
	}
	return f
}

// TestVerify_text checks functions written in the text form: want is ""
// for a valid function, else a substring of the error.
func TestVerify_text(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string
	}{
		{"fac", facSrc, ""},
		{"phiArgCount", `func f(i32) -> (i32) {
b0:
  v0 = param [0] : i32
  if v0 -> b1 b2
b1:
  jump b2
b2:
  v1 = phi v0 : i32
  return v1
}`, "value v1 (phi): has 1 args, want 2 (one per predecessor of b2)"},
		{"ifSuccessors", `func f(i32) {
b0:
  v0 = param [0] : i32
  if v0 -> b1
b1:
  return
}`, "block b0: if-block has 1 successors, want 2"},
		{"plainSuccessors", `func f() {
b0:
  jump
}`, "block b0: plain block has 0 successors, want 1"},
		{"returnWithSuccessor", `func f() {
b0:
  return b1
b1:
  return
}`, "block b0: return block has 1 successors, want 0"},
		{"switchNoSuccessors", `func f(i32) {
b0:
  v0 = param [0] : i32
  switch v0
}`, "switch block has 0 successors"},
		{"switchOK", `func f(i32) -> (i32) {
b0:
  v0 = param [0] : i32
  switch v0 -> b1 b2 b1
b1:
  v1 = phi v0 v0 : i32
  return v1
b2:
  return v0
}`, ""},
		{"ifControlType", `func f(i64) {
b0:
  v0 = param [0] : i64
  if v0 -> b1 b1
b1:
  return
}`, "block b0: if control v0 has type i64, want i32"},
		{"returnCount", `func f(i32) -> (i32, i32) {
b0:
  v0 = param [0] : i32
  return v0
}`, "block b0: return block has 1 controls, want 2"},
		{"returnType", `func f(i32) -> (i64) {
b0:
  v0 = param [0] : i32
  return v0
}`, "block b0: return value 0 (v0) has type i32, want i64"},
		{"trapCode", `func f() {
b0:
  trap 99
}`, "block b0: trap code 99"},
		{"trapOK", `func f() {
b0:
  trap unreachable @4
}`, ""},
		{"entryPreds", `func f() {
b0:
  jump b0
}`, "block b0: entry block has 1 predecessors, want 0"},
		{"argCount", `func f(i32) -> (i32) {
b0:
  v0 = param [0] : i32
  v1 = iadd v0 : i32
  return v1
}`, "value v1 (iadd): has 1 args, want 2"},
		{"intArgType", `func f(i32, i64) -> (i32) {
b0:
  v0 = param [0] : i32
  v1 = param [1] : i64
  v2 = iadd v0 v1 : i32
  return v2
}`, "value v2 (iadd): arg 1 (v1) has type i64, want i32"},
		{"intOpOnFloat", `func f(f32) -> (f32) {
b0:
  v0 = param [0] : f32
  v1 = iadd v0 v0 : f32
  return v1
}`, "value v1 (iadd): type f32, want i32 or i64"},
		{"floatOpOnInt", `func f(i32) -> (i32) {
b0:
  v0 = param [0] : i32
  v1 = fadd v0 v0 : i32
  return v1
}`, "value v1 (fadd): type i32, want f32 or f64"},
		{"cmpResult", `func f(i64) -> (i64) {
b0:
  v0 = param [0] : i64
  v1 = icmp eq v0 v0 : i64
  return v1
}`, "value v1 (icmp): type i64, want i32"},
		{"icmpFloatCond", `func f(i64) -> (i32) {
b0:
  v0 = param [0] : i64
  v1 = icmp lt v0 v0 : i32
  return v1
}`, "condition lt is not an integer condition"},
		{"fcmpIntCond", `func f(f64) -> (i32) {
b0:
  v0 = param [0] : f64
  v1 = fcmp slt v0 v0 : i32
  return v1
}`, "condition slt is not a float condition"},
		{"loadNotVMCtx", `func f(i32) -> (i32) {
b0:
  v0 = param [0] : i32
  v1 = load v0 v0 [0, 16] : i32
  return v1
}`, "value v1 (load): arg 0 is not the vmctx value"},
		{"storeOK", `func f(i32) {
b0:
  v0 = vmctx : i64
  v1 = param [0] : i32
  v2 = istore8 v0 v1 v1 [4, 16] @9
  return
}`, ""},
		{"store32Type", `func f(i32) {
b0:
  v0 = vmctx : i64
  v1 = param [0] : i32
  v2 = istore32 v0 v1 v1 [4, 16]
  return
}`, "value v2 (istore32): arg 2 (v1) has type i32, want a type the store can write"},
		{"paramOutsideEntry", `func f(i32) {
b0:
  jump b1
b1:
  v0 = param [0] : i32
  return
}`, "value v0 (param): in b1, want the entry block b0"},
		{"paramType", `func f(i32) {
b0:
  v0 = param [0] : i64
  return
}`, "value v0 (param): type i64, want i32"},
		{"paramIndex", `func f(i32) {
b0:
  v0 = param [1] : i32
  return
}`, "value v0 (param): index 1 out of range, want < 1"},
		{"phiNotFirst", `func f(i32) -> (i32) {
b0:
  v0 = param [0] : i32
  jump b1
b1:
  v1 = iadd v0 v0 : i32
  v2 = phi v0 : i32
  return v2
}`, "value v2 (phi): follows a non-phi in b1, want phis first"},
		{"dominance", `func f(i32) -> (i32) {
b0:
  v0 = param [0] : i32
  if v0 -> b1 b2
b1:
  v1 = iadd v0 v0 : i32
  jump b3
b2:
  jump b3
b3:
  return v1
}`, "block b3: control 0 (v1 in b1) does not dominate the end of the block"},
		{"useBeforeDef", `func f(i32) -> (i32) {
b0:
  v0 = param [0] : i32
  v1 = iadd v0 v2 : i32
  v2 = iadd v0 v0 : i32
  return v1
}`, "value v1 (iadd): arg 1 (v2 in b0) does not dominate its use in b0"},
		{"phiDominance", `func f(i32) -> (i32) {
b0:
  v0 = param [0] : i32
  if v0 -> b1 b2
b1:
  v1 = iadd v0 v0 : i32
  jump b3
b2:
  jump b3
b3:
  v2 = phi v1 v1 : i32
  return v2
}`, "value v2 (phi): arg 1 (v1 in b1) does not dominate the end of predecessor b2"},
		{"unreachableUseIgnored", `func f(i32) -> (i32) {
b0:
  v0 = param [0] : i32
  return v0
b1:
  v1 = iadd v2 v0 : i32
  v2 = iadd v0 v0 : i32
  return v1
}`, ""},
		{"loopFlag", `func f(i32) {
b0:
  v0 = param [0] : i32
  jump b1
b1:
  if v0 -> b1 b2
b2:
  return
}`, "block b1: target of the back edge from b1, want Loop set"},
		{"voidArg", `func f(i32) -> (i32) {
b0:
  v0 = vmctx : i64
  v1 = param [0] : i32
  v2 = global_set v0 v1 [8]
  v3 = copy v2 : i32
  return v1
}`, "value v3 (copy): arg 0 (v2) is void, want a value"},
		{"tupleCall", `func f(i32) -> (i32) {
b0:
  v0 = vmctx : i64
  v1 = param [0] : i32
  v2 = call v0 v1 [1] : tuple (i32, i64) @3
  v3 = result v2 [0] : i32
  v4 = result v2 [1] : i64
  return v3
}`, ""},
		{"resultType", `func f(i32) -> (i32) {
b0:
  v0 = vmctx : i64
  v1 = param [0] : i32
  v2 = call v0 v1 [1] : tuple (i32, i64)
  v3 = result v2 [1] : i32
  return v3
}`, "value v3 (result): type i32, want i64"},
		{"tupleRead", `func f(i32) -> (i32) {
b0:
  v0 = vmctx : i64
  v1 = param [0] : i32
  v2 = call v0 v1 [1] : tuple (i32, i64)
  v3 = copy v2 : tuple
  return v1
}`, "arg 0 (v2) is a tuple"},
		{"callTypeMismatch", `func f(i32) -> (i64) {
b0:
  v0 = vmctx : i64
  v2 = call v0 [1] : i64 (i32)
  return v0
}`, "value v2 (call): type i64, want i32 (its one Result)"},
		{"reinterpretWidth", `func f(i32) -> (f64) {
b0:
  v0 = param [0] : i32
  v1 = bitcast v0 : f64
  return v1
}`, "reinterprets i32 as f64"},
		{"const32Range", `func f() -> (i32) {
b0:
  v0 = const 0x100000000 : i32
  return v0
}`, "constant 0x100000000 does not fit in 32 bits"},
		{"constAux2", `func f() -> (i32) {
b0:
  v0 = const 1 [5] : i32
  return v0
}`, "value v0 (const): Aux2 = 5, want 0"},
		{"globalIndirectFlag", `func f() -> (i32) {
b0:
  v0 = vmctx : i64
  v1 = global_get v0 [8, 2] : i32
  return v1
}`, "value v1 (global_get): Aux2 = 2, want 0 or 1"},
		{"auxUnused", `func f(i32) -> (i32) {
b0:
  v0 = param [0] : i32
  v1 = iadd v0 v0 [3] : i32
  return v1
}`, "value v1 (iadd): Aux = 3, want 0"},
		{"aux2Unused", `func f(i32) -> (i32) {
b0:
  v0 = vmctx : i64
  v1 = call v0 [2, 7] : i32
  return v1
}`, "value v1 (call): Aux2 = 7, want 0"},
		{"trapCode", `func f() -> (ref) {
b0:
  v0 = vmctx : i64
  v1 = global_get v0 [8] : ref
  v2 = ref_as_non_null v1 [0] : ref
  return v2
}`, "value v2 (ref_as_non_null): trap code 0, want one of abi.Trap*"},
		{"vmctxOffset", `func f() -> (i32) {
b0:
  v0 = vmctx : i64
  v1 = memory_size v0 [0, -16] : i32
  return v1
}`, "value v1 (memory_size): Aux2 = -16, want a vmctx offset"},
		{"funcIndex", `func f() -> (i32) {
b0:
  v0 = vmctx : i64
  v1 = call v0 [-1] : i32
  return v1
}`, "value v1 (call): Aux = -1, want a function index"},
		{"resultOfNonCall", `func f(i32) -> (i32) {
b0:
  v0 = param [0] : i32
  v1 = result v0 [0] : i32
  return v1
}`, "value v1 (result): arg 0 (v0) is a i32 param, want a tuple-typed call or stack switch"},
		{"stackSwitchArgs", `func f(i64) -> () {
b0:
  v0 = param [0] : i64
  v1 = stack_switch v0 v0 v0 v0 [0, 0] : i64
  return
}`, "value v1 (stack_switch): 4 args, want 3 (store_ctx, load_ctx, payload) or 5 (and who, kind)"},
		{"stackSwitchKind", `func f(i64) -> () {
b0:
  v0 = param [0] : i64
  v1 = const 0 : ref
  v2 = stack_switch v0 v0 v0 v1 v0 [0, 0] : i64
  return
}`, "value v2 (stack_switch): arg 4 (v0) has type i64, want i32"},
		{"stackSwitchTuple", `func f(i64) -> () {
b0:
  v0 = param [0] : i64
  v1 = stack_switch v0 v0 v0 [0, 0] : tuple (i64, i64)
  v2 = result v1 [0] : i64
  return
}`, "value v1 (stack_switch): type tuple, want i64 or (i64, ref, i32)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustParse(t, tt.src)
			err := Verify(f)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("Verify: %v, want nil", err)
			case tt.want != "" && err == nil:
				t.Fatalf("Verify: nil, want error containing %q", tt.want)
			case tt.want != "" && !strings.Contains(err.Error(), tt.want):
				t.Fatalf("Verify: %v, want error containing %q", err, tt.want)
			}
		})
	}
}

// TestVerify_built checks broken functions the text form cannot express.
func TestVerify_built(t *testing.T) {
	tests := []struct {
		name   string
		break_ func(f *Func)
		want   string
	}{
		{"uses", func(f *Func) { f.Blocks[0].Values[1].Uses++ }, "value v1 (param): Uses is 3, want 2"},
		{"wrongBlock", func(f *Func) { f.Blocks[0].Values[2].Block = f.Blocks[1] }, "value v2: listed in b0 but its Block is b1"},
		{"duplicateValue", func(f *Func) { f.Blocks[1].Values[0].ID = 1 }, "value v1: ID used by two values"},
		{"duplicateBlock", func(f *Func) { f.Blocks[2].ID = 1 }, "block b1: ID used by two blocks"},
		{"valueIDRange", func(f *Func) { f.Blocks[0].Values[0].ID = 100 }, "value v100: ID out of range, want < 10"},
		{"missingPred", func(f *Func) {
			b := f.Blocks[2]
			b.Preds = b.Preds[:1]
			b.Values[0].Args[1].Uses--
			b.Values[0].Args = b.Values[0].Args[:1]
		}, "block b1: edge to b2 is missing from b2's predecessors (1 more)"},
		{"extraPred", func(f *Func) {
			f.Blocks[2].Preds = append(f.Blocks[2].Preds, f.Blocks[0])
		}, "block b2: predecessor b0 has no matching successor edge (1 more)"},
		{"foreignSucc", func(f *Func) {
			g := mustParse(t, facSrc)
			f.Blocks[1].Succs[1] = g.Blocks[2]
		}, "block b1: successor b2 is not a block of fac"},
		{"foreignArg", func(f *Func) {
			g := mustParse(t, facSrc)
			f.Blocks[1].Values[2].Args[0] = g.Blocks[1].Values[0]
		}, "value v6 (isub): arg 0 is not a value of fac"},
		{"invalidOp", func(f *Func) { f.Blocks[1].Values[2].Op = NumOps }, "value v6: invalid op"},
		{"invalidKind", func(f *Func) { f.Blocks[2].Kind = BlockInvalid }, "block b2: invalid kind 0"},
		{"noBlocks", func(f *Func) { f.Blocks = nil }, "func fac: has no blocks"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustParse(t, facSrc)
			if err := Verify(f); err != nil {
				t.Fatalf("before: %v", err)
			}
			tt.break_(f)
			err := Verify(f)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Verify: %v, want error containing %q", err, tt.want)
			}
		})
	}
}

// TestVerify_builder builds a function with the NewFunc/NewBlock/NewValue
// API, as the translator does.
func TestVerify_builder(t *testing.T) {
	f := NewFunc("add", 0, []Type{I32, I32}, []Type{I32})
	b := f.Entry()
	b.NewValue(OpVMCtx, I64)
	x := b.NewValueAux(OpParam, I32, 0)
	y := b.NewValueAux(OpParam, I32, 1)
	s := b.NewValue(OpAdd, I32, x, y)
	b.Kind = BlockReturn
	b.SetControls(s)
	if err := Verify(f); err != nil {
		t.Fatal(err)
	}
}

// TestVerify_everyOpHasRule checks that the verifier has a typing rule for
// every op in the table.
func TestVerify_everyOpHasRule(t *testing.T) {
	f := NewFunc("f", 0, []Type{I32}, nil)
	b := f.Entry()
	x := b.NewValueAux(OpParam, I32, 0)
	for op := Op(1); op < NumOps; op++ {
		n := Ops[op].Args
		if n < 0 {
			n = 1
		}
		args := make([]*Value, n)
		for i := range args {
			args[i] = x
		}
		v := b.NewValue(op, I32, args...)
		if err := checkTypes(f, v); err != nil && strings.Contains(err.Error(), "no typing rule") {
			t.Errorf("op %s: %v", op, err)
		}
	}
}
