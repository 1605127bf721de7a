package compile

import (
	"bytes"
	"encoding/binary"
	"os"
	"strings"
	"testing"

	"wfxc/rt/abi"
)

func readFib(t *testing.T) []byte {
	t.Helper()
	wasm, err := os.ReadFile("../examples/fib/fib.wasm")
	if err != nil {
		t.Fatal(err)
	}
	return wasm
}

// TestCompile_deterministic compiles a module many times (its functions in
// parallel) and requires byte-identical objects.
func TestCompile_deterministic(t *testing.T) {
	wasm := readFib(t)
	first, err := Compile(wasm, Options{Name: "fib"})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 20; i++ {
		r, err := Compile(wasm, Options{Name: "fib"})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(r.Object, first.Object) {
			t.Fatalf("compilation %d differs from the first", i+1)
		}
	}
}

// TestCompile_layout checks what the driver promises rt: code offsets of
// functions and wrappers inside the text, the enter/resume routines, sorted
// sites, and every call fixup patched (no zero rel32 left in call sites).
func TestCompile_layout(t *testing.T) {
	r, err := Compile(readFib(t), Options{Name: "fib"})
	if err != nil {
		t.Fatal(err)
	}
	d := r.Descriptor
	n := uint32(len(r.Text))
	if d.EnterOff >= n || d.Resume >= n || d.EnterOff == d.Resume {
		t.Errorf("enter %d, resume %d, text %d", d.EnterOff, d.Resume, n)
	}
	for i, f := range d.Funcs {
		if f.Code == abi.NoCode || f.Code+f.Size > n {
			t.Errorf("function %d: code [%d, +%d) outside the text (%d)", i, f.Code, f.Size, n)
		}
		if f.Code%16 != 0 {
			t.Errorf("function %d: code at %d, want 16-byte aligned", i, f.Code)
		}
	}
	for _, e := range d.Exports {
		if e.Kind == abi.ExternFunc && d.Funcs[e.Index].Wrapper == abi.NoCode {
			t.Errorf("export %q has no array-call wrapper", e.Name)
		}
	}
	for i := 1; i < len(d.Sites); i++ {
		if d.Sites[i-1].CodeOff > d.Sites[i].CodeOff {
			t.Fatalf("sites not sorted at %d", i)
		}
	}
	// fib calls itself twice: both rel32 operands point at fib's code.
	fib := d.Funcs[1]
	calls := 0
	for off := fib.Code; off+5 <= fib.Code+fib.Size; off++ {
		if r.Text[off] != 0xE8 {
			continue
		}
		rel := int32(binary.LittleEndian.Uint32(r.Text[off+1:]))
		if int64(off)+5+int64(rel) == int64(fib.Code) {
			calls++
		}
	}
	if calls != 2 {
		t.Errorf("found %d patched calls from fib to itself, want 2", calls)
	}
}

func TestCompile_options(t *testing.T) {
	wasm := readFib(t)
	tests := []struct {
		name, target, want string
	}{
		{"aarch64NotYet", "aarch64", "unsupported feature: target aarch64"},
		{"unknownTarget", "riscv", `unknown target "riscv"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Compile(wasm, Options{Target: tt.target})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
	if _, err := Compile([]byte("\x00asm\x01\x00\x00\x00\x01\xff"), Options{}); err == nil {
		t.Fatal("a malformed module compiled")
	}
}

func TestSanitizeName(t *testing.T) {
	for in, want := range map[string]string{"fib": "fib", "my-app.v2": "my_app_v2", "9lives": "_9lives", "": "module", "ünï": "_n_"} {
		if got := SanitizeName(in); got != want {
			t.Errorf("SanitizeName(%q) = %q, want %q", in, got, want)
		}
	}
}
