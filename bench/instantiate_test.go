package bench

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"

	"wfxc/compile"
	"wfxc/frontend/wat"
	"wfxc/rt"
	"wfxc/rt/wasi"
)

// smallModule is a typical small module: a memory with a data segment, a
// table with an element segment, globals and a handful of functions.
const smallModule = `(module
  (memory (export "memory") 1)
  (global $g (mut i32) (i32.const 7))
  (table 4 funcref)
  (elem (i32.const 0) $a $b $c $a)
  (data (i32.const 64) "hello, small module")
  (func $a (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func $b (param i32) (result i32) (i32.mul (local.get 0) (i32.const 3)))
  (func $c (param i32) (result i32) (i32.xor (local.get 0) (global.get $g)))
  (type $t (func (param i32) (result i32)))
  (func (export "run") (param i32) (result i32)
    (call_indirect (type $t) (i32.load8_u (i32.const 64)) (i32.and (local.get 0) (i32.const 3)))))`

// largeModule generates a large module in the shape of a C program
// compiled for wasm32 (a function table of 600 elements, a 64 KiB data
// image, 17 pages of memory): nfuncs functions of straight-line arithmetic
// and calls, about 1 MB of code. large-c (testdata/largec) is one that is
// a C program, compiled by clang for wasm32-wasi.
func largeModule(nfuncs int) string {
	var b strings.Builder
	b.WriteString("(module\n  (memory (export \"memory\") 17)\n  (type $t (func (param i32) (result i32)))\n")
	for i := 0; i < 8; i++ {
		fmt.Fprintf(&b, "  (global $g%d (mut i32) (i32.const %d))\n", i, i*17)
	}
	nelem := min(600, nfuncs)
	fmt.Fprintf(&b, "  (table %d funcref)\n  (elem (i32.const 0)", nelem)
	for i := 0; i < nelem; i++ {
		fmt.Fprintf(&b, " $f%d", (i*7)%nfuncs)
	}
	b.WriteString(")\n  (data (i32.const 1024) \"")
	for i := 0; i < 64<<10; i++ {
		fmt.Fprintf(&b, "\\%02x", byte(i*31+i>>8))
	}
	b.WriteString("\")\n")
	for i := 0; i < nfuncs; i++ {
		fmt.Fprintf(&b, "  (func $f%d (type $t) (local $x i32)\n    (local.set $x (local.get 0))\n", i)
		for j := 0; j < 40; j++ {
			fmt.Fprintf(&b, "    (local.set $x (i32.xor (i32.mul (local.get $x) (i32.const %d)) (i32.load offset=%d (i32.and (local.get $x) (i32.const 0xfffc)))))\n",
				2*j+1+i, 1024+4*j)
		}
		if i > 0 {
			fmt.Fprintf(&b, "    (if (i32.eqz (i32.and (local.get $x) (i32.const 15))) (then (local.set $x (call $f%d (local.get $x)))))\n", i/2)
		}
		fmt.Fprintf(&b, "    (global.set $g%d (i32.add (global.get $g%d) (local.get $x)))\n    (local.get $x))\n", i%8, i%8)
	}
	b.WriteString("  (func (export \"run\") (param i32) (result i32)\n    (call_indirect (type $t) (local.get 0) (i32.rem_u (local.get 0) (i32.const 600)))))\n")
	return b.String()
}

// instantiateModules are the modules of BenchmarkInstantiate, in order:
// small, large (generated text, 1,500 functions) and large-c (a generated
// C program built for wasm32-wasi: 2,843 functions, 1.0 MB of code, 1.2
// MB in all, WASI imports; testdata/largec).
func instantiateModules(tb testing.TB) (names []string, mods map[string][]byte) {
	mods = map[string][]byte{}
	for name, src := range map[string]string{"small": smallModule, "large": largeModule(1500)} {
		wasm, err := wat.ParseModule([]byte(src))
		if err != nil {
			tb.Fatalf("%s: %v", name, err)
		}
		mods[name] = wasm
	}
	wasm, err := os.ReadFile("testdata/largec/largec.wasm")
	if err != nil {
		tb.Fatal(err)
	}
	mods["large-c"] = wasm
	return []string{"small", "large", "large-c"}, mods
}

// wfxcInstantiator compiles and loads wasm for instantiation with WASI
// imports (used by large-c; the others import nothing).
func wfxcInstantiator(tb testing.TB, wasm []byte) (*rt.Module, rt.Resolver) {
	res, err := compile.Compile(wasm, compile.Options{Name: "m"})
	if err != nil {
		tb.Fatal(err)
	}
	mod, err := rt.LoadObject(res.Object)
	if err != nil {
		tb.Fatal(err)
	}
	w, err := wasi.New(wasi.Config{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { w.Close() })
	return mod, w
}

// wazeroInstantiator is wfxcInstantiator's twin on wazero (optimizing
// compiler).
func wazeroInstantiator(tb testing.TB, wasm []byte) (wazero.Runtime, wazero.CompiledModule) {
	ctx := context.Background()
	r := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigCompiler().WithCoreFeatures(wazeroFeatures))
	tb.Cleanup(func() { r.Close(ctx) })
	wasi_snapshot_preview1.MustInstantiate(ctx, r)
	cm, err := r.CompileModule(ctx, wasm)
	if err != nil {
		tb.Fatal(err)
	}
	return r, cm
}

// BenchmarkInstantiate measures instantiation (and closing the instance)
// of a small module and two large ones (≥ 1,000 functions, ≥ 1 MB) on wfxc
// with its pooling allocator (wfxc), without it (wfxc-nopool) and on
// wazero (optimizing compiler): BenchmarkInstantiate/<module>/<engine>.
//
//	cd bench && go test -run '^$' -bench Instantiate -count 5
func BenchmarkInstantiate(b *testing.B) {
	names, mods := instantiateModules(b)
	for _, name := range names {
		wasm := mods[name]
		for _, pooled := range []bool{true, false} {
			engine := "wfxc"
			if !pooled {
				engine = "wfxc-nopool"
			}
			b.Run(name+"/"+engine, func(b *testing.B) {
				mod, imports := wfxcInstantiator(b, wasm)
				s := rt.NewStore()
				defer s.Close()
				if pooled {
					p, err := rt.NewPool(rt.PoolConfig{Instances: 16, Memories: 16, Tables: 16})
					if err != nil {
						b.Fatal(err)
					}
					defer p.Close()
					s.SetPool(p)
				}
				for b.Loop() {
					inst, err := s.Instantiate(mod, imports)
					if err != nil {
						b.Fatal(err)
					}
					inst.Close()
				}
			})
		}
		b.Run(name+"/wazero", func(b *testing.B) {
			ctx := context.Background()
			r, cm := wazeroInstantiator(b, wasm)
			cfg := wazero.NewModuleConfig().WithName("").WithStartFunctions()
			for b.Loop() {
				m, err := r.InstantiateModule(ctx, cm, cfg)
				if err != nil {
					b.Fatal(err)
				}
				m.Close(ctx)
			}
		})
	}
}

// TestInstantiate_modules: the benchmark modules instantiate and run
// alike on wfxc (pooled) and wazero (a reactor's _initialize first).
func TestInstantiate_modules(t *testing.T) {
	ctx := context.Background()
	names, mods := instantiateModules(t)
	for _, name := range names {
		wasm := mods[name]
		mod, imports := wfxcInstantiator(t, wasm)
		p, err := rt.NewPool(rt.PoolConfig{Instances: 2, Memories: 2, Tables: 2})
		if err != nil {
			t.Fatal(err)
		}
		s := rt.NewStore()
		s.SetPool(p)
		inst, err := s.Instantiate(mod, imports)
		if err != nil {
			t.Fatalf("%s on wfxc: %v", name, err)
		}
		if f := inst.Func("_initialize"); f != nil {
			if _, err := f.Call(); err != nil {
				t.Fatalf("%s on wfxc: _initialize: %v", name, err)
			}
		}
		res, err := inst.Func("run").Call(12345)
		if err != nil {
			t.Fatalf("%s on wfxc: run: %v", name, err)
		}
		got := res[0]
		s.Close()
		p.Close()

		r, cm := wazeroInstantiator(t, wasm)
		m, err := r.InstantiateModule(ctx, cm, wazero.NewModuleConfig().WithName("").WithStartFunctions())
		if err != nil {
			t.Fatalf("%s on wazero: %v", name, err)
		}
		if f := m.ExportedFunction("_initialize"); f != nil {
			if _, err := f.Call(ctx); err != nil {
				t.Fatalf("%s on wazero: _initialize: %v", name, err)
			}
		}
		wres, err := m.ExportedFunction("run").Call(ctx, 12345)
		if err != nil {
			t.Fatalf("%s on wazero: run: %v", name, err)
		}
		want := wres[0]
		if rt := m.ExportedFunction("run").Definition().ResultTypes(); len(rt) == 1 && rt[0] == api.ValueTypeI32 {
			got, want = uint64(uint32(got)), uint64(uint32(want))
		}
		if got != want {
			t.Errorf("%s: run(12345) = %d on wfxc, %d on wazero", name, got, want)
		}
	}
}
