package wat

import (
	"errors"
	"testing"

	"wfxc/frontend"
)

// TestSourceMap_validationError: a validation error's byte offset maps back
// to the instruction that caused it, flat or folded.
func TestSourceMap_validationError(t *testing.T) {
	tests := []struct {
		name      string
		src       string
		line, col int
	}{
		{"flat", "(module\n  (func (result i32)\n    i64.const 1\n    i32.eqz))", 4, 5},
		{"folded", "(module\n  (func (param i32) (result i64)\n    (local.get 0)\n    (i64.add (i64.const 1))))", 4, 6},
		{"secondFunction", "(module\n  (func)\n  (func (result i32)\n    (block (result i32) (f32.const 1))))", 4, 26}, // at the implicit end: the value that does not fit
		{"bareFields", "(func (result i32)\n  (i32.add (i32.const 1)))", 2, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wasm, sm, err := ParseModuleMap([]byte(tt.src), "t.wat")
			if err != nil {
				t.Fatal(err)
			}
			_, err = frontend.DecodeAndValidate(wasm)
			var fe *frontend.Error
			if !errors.As(err, &fe) {
				t.Fatalf("validation: %v, want an error", err)
			}
			line, col, ok := sm.Position(fe.Offset)
			if !ok || line != tt.line || col != tt.col {
				t.Fatalf("%v at %d:%d (ok %v), want %d:%d", err, line, col, ok, tt.line, tt.col)
			}
		})
	}
}
