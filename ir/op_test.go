package ir_test

import (
	"testing"
	"unsafe"

	"wfxc/ir"
	"wfxc/ir/interp"
)

// TestOpTableComplete checks every op row: a unique name, an effect, a
// sane arg count, Aux kinds, a consistent memory access size, and a case
// in the interpreter. (The verifier's typing
// rule is checked by TestVerify_everyOpHasRule; the back ends check their
// own lowering tables.)
func TestOpTableComplete(t *testing.T) {
	seen := make(map[string]ir.Op)
	for op := ir.Op(1); op < ir.NumOps; op++ {
		info := ir.Ops[op]
		if info.Name == "" {
			t.Errorf("op %d: no Name", op)
			continue
		}
		if prev, dup := seen[info.Name]; dup {
			t.Errorf("op %s: name also used by op %d", info.Name, prev)
		}
		seen[info.Name] = op
		if info.Effect == ir.EffectUnknown {
			t.Errorf("op %s: Effect is EffectUnknown", info.Name)
		}
		if info.Effect > ir.Control {
			t.Errorf("op %s: Effect %d out of range", info.Name, info.Effect)
		}
		if info.Args < -1 || info.Args > 3 {
			t.Errorf("op %s: Args = %d, want -1 (variadic) or 0..3", info.Name, info.Args)
		}
		if info.Commutative && info.Args != 2 {
			t.Errorf("op %s: commutative with %d args, want 2", info.Name, info.Args)
		}
		if !interp.Handles(op) {
			t.Errorf("op %s: no interpreter case", info.Name)
		}
		for _, k := range []struct {
			field string
			kind  ir.AuxKind
		}{{"Aux", info.Aux}, {"Aux2", info.Aux2}} {
			if k.kind == ir.AuxUnknown || k.kind >= ir.NumAuxKinds {
				t.Errorf("op %s: %s kind is %v, want a known kind (AuxNone if unused)", info.Name, k.field, k.kind)
			}
		}
		// A linear-memory access: a load (arg0 vmctx, arg1 address) or a
		// store (also arg2, the value) at arg1+Aux of the memory at
		// vmctx+Aux2; and only those have an access offset.
		mem := info.Access != 0
		switch {
		case mem && info.Access != ir.AccessTypeSize && info.Access != 1 && info.Access != 2 && info.Access != 4 && info.Access != 8:
			t.Errorf("op %s: Access %d, want 1, 2, 4, 8 or AccessTypeSize", info.Name, info.Access)
		case mem && !(info.Effect == ir.Read && info.Args == 2 || info.Effect == ir.Write && info.Args == 3):
			t.Errorf("op %s: Access with Effect %d and %d args, want a load (Read, 2 args) or a store (Write, 3 args)", info.Name, info.Effect, info.Args)
		case mem != (info.Aux == ir.AuxOffset):
			t.Errorf("op %s: Access %d with Aux kind %v, want an access exactly when Aux is an offset", info.Name, info.Access, info.Aux)
		case mem && info.Aux2 != ir.AuxVMCtxOffset:
			t.Errorf("op %s: Access with Aux2 kind %v, want vmctx_offset (the memory)", info.Name, info.Aux2)
		}
	}
	if ir.Ops[ir.OpInvalid].Name != "" {
		t.Errorf("OpInvalid has a name, want none")
	}
}

// TestSizeof guards the sizes of the hot IR structs on 64-bit hosts (Go's
// cmd/compile sizeof_test.go): grow them only on purpose.
func TestSizeof(t *testing.T) {
	const ptr64 = unsafe.Sizeof(uintptr(0)) == 8
	tests := []struct {
		name   string
		got    uintptr
		want32 uintptr
		want64 uintptr
	}{
		{"Value", unsafe.Sizeof(ir.Value{}), 60, 88},
		{"Block", unsafe.Sizeof(ir.Block{}), 88, 152}, // +Catches (invoke clauses)
	}
	for _, tt := range tests {
		want := tt.want32
		if ptr64 {
			want = tt.want64
		}
		if tt.got != want {
			t.Errorf("unsafe.Sizeof(%s) = %d, want %d", tt.name, tt.got, want)
		}
	}
}

func TestAccessSize(t *testing.T) {
	f, err := ir.Parse(`func f(i32, i64, f64) {
b0:
  v0 = vmctx : i64
  v1 = param [0] : i32
  v2 = param [1] : i64
  v3 = param [2] : f64
  v4 = load v0 v1 [0, 16] : i32
  v5 = load v0 v1 [0, 16] : f64
  v6 = sload8 v0 v1 [0, 16] : i64
  v7 = uload32 v0 v1 [0, 16] : i64
  v8 = store v0 v1 v2 [0, 16]
  v9 = store v0 v1 v3 [0, 16]
  v10 = istore16 v0 v1 v2 [0, 16]
  v11 = iadd v1 v1 : i32
  v12 = memory_size v0 [0, 16] : i32
  return
}
`)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int32]int64{4: 4, 5: 8, 6: 1, 7: 4, 8: 8, 9: 8, 10: 2, 11: 0, 12: 0}
	for _, v := range f.Entry().Values {
		if w, ok := want[v.ID]; ok {
			if got := v.AccessSize(); got != w {
				t.Errorf("%s: AccessSize = %d, want %d", v.LongString(), got, w)
			}
		}
	}
}
