package compile

import (
	"bytes"
	"os"
	"runtime"
	"strings"
	"testing"

	"wfxc/lower/backends"
	"wfxc/rt/abi"
	"wfxc/testsuite/gen"
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

// TestCompile_deterministicLarge compiles large generated modules (≥1,000
// functions, several MB; one with exceptions and tail calls, one with stack
// switching) at several GOMAXPROCS and requires byte-identical objects: the
// parallel compilation and every map the compiler keeps must not leak into the
// output. (The translator once added the operands of a block's incomplete phis
// in map order, which renumbered values from run to run.)
func TestCompile_deterministicLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles ~10 MB of generated wasm several times")
	}
	cases := []struct {
		name   string
		cfg    gen.Config
		bounds Bounds
	}{
		{"exn", gen.Config{Funcs: 1000, MaxStmts: 5, MaxDepth: 5, Tables: true, BulkMemory: true, TailCalls: true, Exceptions: true}, BoundsExplicit},
		{"guard", gen.Config{Funcs: 1000, MaxStmts: 5, MaxDepth: 5, Tables: true, BulkMemory: true, TailCalls: true, Exceptions: true}, BoundsGuard},
		{"cont", gen.Config{Funcs: 400, MaxStmts: 5, MaxDepth: 5, Tables: true, StackSwitching: true, Exceptions: true}, BoundsDefault},
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wasm := gen.Module(7, c.cfg)
			if c.cfg.Funcs >= 1000 && len(wasm) < 1<<20 {
				t.Fatalf("the generated module has %d bytes, want at least 1 MiB", len(wasm))
			}
			var first []byte
			for _, procs := range []int{1, 2, 8, 1} {
				runtime.GOMAXPROCS(procs)
				r, err := Compile(wasm, Options{Name: "big", Target: abi.X86_64, Bounds: c.bounds})
				if err != nil {
					t.Fatal(err)
				}
				if first == nil {
					first = r.Object
					t.Logf("%d bytes of wasm, %d of object", len(wasm), len(first))
				} else if !bytes.Equal(r.Object, first) {
					t.Fatalf("GOMAXPROCS=%d: the object differs from the first compilation's", procs)
				}
			}
		})
	}
}

// TestCompile_guardPages: guard pages are for x86_64, where they are the
// default, and only for memories they can bound.
func TestCompile_guardPages(t *testing.T) {
	wasm := readFib(t)
	if _, err := Compile(wasm, Options{Name: "fib", Target: abi.AArch64, Bounds: BoundsGuard}); err == nil || !strings.Contains(err.Error(), "x86_64 only") {
		t.Errorf("aarch64 with guard pages: %v, want an error", err)
	}
	for _, c := range []struct {
		name   string
		target abi.Arch
		bounds Bounds
		want   bool // descriptor GuardPages
	}{
		{"x86_64 guard", abi.X86_64, BoundsGuard, true},
		{"x86_64 default", abi.X86_64, BoundsDefault, true},
		{"x86_64 explicit", abi.X86_64, BoundsExplicit, false},
		{"aarch64 default", abi.AArch64, BoundsDefault, false},
		{"aarch64 explicit", abi.AArch64, BoundsExplicit, false},
	} {
		r, err := Compile(wasm, Options{Name: "fib", Target: c.target, Bounds: c.bounds})
		if err != nil || r.Descriptor.GuardPages != c.want || c.want && r.Descriptor.TrapOff == 0 {
			t.Errorf("%s: %v, descriptor GuardPages %v, want %v", c.name, err, r != nil && r.Descriptor.GuardPages, c.want)
		}
	}
	// Without a memory there is nothing to guard.
	if r, err := Compile([]byte("\x00asm\x01\x00\x00\x00"), Options{Target: abi.X86_64, Bounds: BoundsGuard}); err != nil || r.Descriptor.GuardPages {
		t.Errorf("no memory, guard pages: %v, descriptor GuardPages %v, want false", err, r != nil && r.Descriptor.GuardPages)
	}
	for _, c := range []struct {
		in   string
		want Bounds
		err  bool
	}{{"", BoundsDefault, false}, {"explicit", BoundsExplicit, false}, {"guard", BoundsGuard, false}, {"none", 0, true}} {
		if got, err := ParseBounds(c.in); got != c.want || (err != nil) != c.err {
			t.Errorf("ParseBounds(%q) = %v, %v; want %v, error %v", c.in, got, err, c.want, c.err)
		}
	}
	// What guard pages cannot bound (pages below 4 KiB, shared memories)
	// keeps explicit checks; memory64 is always checked explicitly.
	for _, c := range []struct {
		ms   []abi.Memory
		want bool
	}{
		{[]abi.Memory{{PageLog2: 16}, {Is64: true, PageLog2: 16}}, true},
		{[]abi.Memory{{PageLog2: 16}, {PageLog2: 0}}, false},
		{[]abi.Memory{{PageLog2: 12}}, true},
		{[]abi.Memory{{PageLog2: 16, Shared: true}}, false},
		{[]abi.Memory{{Is64: true, PageLog2: 0}}, true},
	} {
		if got := guardable(c.ms); got != c.want {
			t.Errorf("guardable(%+v) = %v, want %v", c.ms, got, c.want)
		}
	}
}

// TestCompile_layout checks what the driver promises rt: code offsets of
// functions and wrappers inside the text, aligned as the back end asks, the
// enter/resume routines and sorted sites. (lower/backends checks that the
// calls in the text reach their targets; link_test.go checks the linker.)
func TestCompile_layout(t *testing.T) {
	r, err := Compile(readFib(t), Options{Name: "fib"})
	if err != nil {
		t.Fatal(err)
	}
	be, err := backends.For(abi.X86_64)
	if err != nil {
		t.Fatal(err)
	}
	d := r.Descriptor
	if d.Arch != abi.X86_64 {
		t.Errorf("descriptor arch %v, want x86_64", d.Arch)
	}
	n := uint32(len(r.Text))
	if d.EnterOff >= n || d.Resume >= n || d.EnterOff == d.Resume {
		t.Errorf("enter %d, resume %d, text %d", d.EnterOff, d.Resume, n)
	}
	for i, f := range d.Funcs {
		if f.Code == abi.NoCode || f.Code+f.Size > n {
			t.Errorf("function %d: code [%d, +%d) outside the text (%d)", i, f.Code, f.Size, n)
		}
		if f.Code%uint32(be.CodeAlign()) != 0 {
			t.Errorf("function %d: code at %d, want %d-byte aligned", i, f.Code, be.CodeAlign())
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
}

func TestCompile_options(t *testing.T) {
	wasm := readFib(t)
	tests := []struct {
		name   string
		target abi.Arch
		want   string
	}{
		{"unknownTarget", "riscv", `unknown target "riscv" (want x86_64 or aarch64)`},
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
	// The zero target is the host's.
	def, err := Compile(wasm, Options{Name: "fib"})
	if err != nil {
		t.Fatal(err)
	}
	x86, err := Compile(wasm, Options{Name: "fib", Target: abi.X86_64})
	if err != nil {
		t.Fatal(err)
	}
	host, err := Compile(wasm, Options{Name: "fib", Target: abi.HostArch()})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(def.Object, host.Object) || def.Descriptor.Arch != abi.HostArch() {
		t.Errorf("the zero target gives arch %v and a different object than the host's", def.Descriptor.Arch)
	}
	a64, err := Compile(wasm, Options{Name: "fib", Target: abi.AArch64})
	if err != nil {
		t.Fatal(err)
	}
	if a64.Descriptor.Arch != abi.AArch64 || bytes.Equal(a64.Object, x86.Object) {
		t.Errorf("target aarch64 gives arch %v", a64.Descriptor.Arch)
	}
}

func TestSanitizeName(t *testing.T) {
	for in, want := range map[string]string{"fib": "fib", "my-app.v2": "my_app_v2", "9lives": "_9lives", "": "module", "ünï": "_n_"} {
		if got := SanitizeName(in); got != want {
			t.Errorf("SanitizeName(%q) = %q, want %q", in, got, want)
		}
	}
}
