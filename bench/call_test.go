package bench

import (
	"context"
	"testing"

	"github.com/tetratelabs/wazero"

	"wfxc/compile"
	"wfxc/frontend/wat"
	"wfxc/rt"
)

// The cost of a trivial export call from Go, wfxc beside wazero in the same
// run (issue 15):
//
//	go test -run '^$' -bench Call -count 5 .
//
// add is (i32, i32) -> i32; every variant passes two arguments and reads
// one result, without allocating.

const addWat = `(module (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))`

func addWasm(b *testing.B) []byte {
	wasm, err := wat.ParseModule([]byte(addWat))
	if err != nil {
		b.Fatal(err)
	}
	return wasm
}

// wfxcAdd returns the export add of a fresh wfxc instance.
func wfxcAdd(b *testing.B) *rt.Func {
	res, err := compile.Compile(addWasm(b), compile.Options{Name: "add"})
	if err != nil {
		b.Fatal(err)
	}
	mod, err := rt.LoadObject(res.Object)
	if err != nil {
		b.Fatal(err)
	}
	inst, err := rt.NewStore().Instantiate(mod, nil)
	if err != nil {
		b.Fatal(err)
	}
	return inst.Func("add")
}

func BenchmarkCall(b *testing.B) {
	b.Run("wfxc/CallInto", func(b *testing.B) {
		f := wfxcAdd(b)
		args, res := []uint64{1, 2}, make([]uint64, 1)
		for b.Loop() {
			if err := f.CallInto(args, res); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("wfxc/typed", func(b *testing.B) {
		// What the typed wrapper of a generated Go package does.
		f := wfxcAdd(b)
		ctx := context.Background()
		for b.Loop() {
			var res [1]uint64
			if err := f.CallContext(ctx, []uint64{uint64(uint32(int32(1))), uint64(uint32(int32(2)))}, res[:1]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("wfxc/CallContext", func(b *testing.B) {
		f := wfxcAdd(b)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		args, res := []uint64{1, 2}, make([]uint64, 1)
		for b.Loop() {
			if err := f.CallContext(ctx, args, res); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("wazero/CallWithStack", func(b *testing.B) {
		ctx := context.Background()
		r := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigCompiler())
		defer r.Close(ctx)
		mod, err := r.Instantiate(ctx, addWasm(b))
		if err != nil {
			b.Fatal(err)
		}
		f := mod.ExportedFunction("add")
		stack := make([]uint64, 2)
		for b.Loop() {
			stack[0], stack[1] = 1, 2
			if err := f.CallWithStack(ctx, stack); err != nil {
				b.Fatal(err)
			}
		}
	})
}
