package ir_test

import (
	"testing"
	"unsafe"

	"wfxc/ir"
	"wfxc/ir/interp"
)

// TestOpTableComplete checks every op row: a unique name, an effect, a
// sane arg count, and a case in the interpreter. (The verifier's typing
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
		{"Block", unsafe.Sizeof(ir.Block{}), 76, 128},
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
