package bench

import (
	"context"
	"runtime"
	"testing"
	"time"

	"golang.org/x/sys/unix"

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
// one result, without allocating. Besides ns/op (wall time) each reports
// cpu-ns/op, the CPU time of the benchmark's thread per call: on a loaded
// machine the wall time includes time spent waiting for a core.

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

// threadCPU is the CPU time the calling thread has used.
func threadCPU(b *testing.B) time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ts.Nano())
}

// cpuLoop runs body b.N times (b.Loop) on one locked thread and reports
// cpu-ns/op beside ns/op.
func cpuLoop(b *testing.B, body func()) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	start := threadCPU(b)
	for b.Loop() {
		body()
	}
	b.ReportMetric(float64(threadCPU(b)-start)/float64(b.N), "cpu-ns/op")
}

func BenchmarkCall(b *testing.B) {
	b.Run("wfxc/CallInto", func(b *testing.B) {
		f := wfxcAdd(b)
		args, res := []uint64{1, 2}, make([]uint64, 1)
		cpuLoop(b, func() {
			if err := f.CallInto(args, res); err != nil {
				b.Fatal(err)
			}
		})
	})
	b.Run("wfxc/typed", func(b *testing.B) {
		// What the typed wrapper of a generated Go package does.
		f := wfxcAdd(b)
		cpuLoop(b, func() {
			var res [1]uint64
			if err := f.CallInto([]uint64{uint64(uint32(int32(1))), uint64(uint32(int32(2)))}, res[:1]); err != nil {
				b.Fatal(err)
			}
		})
	})
	b.Run("wfxc/CallContext", func(b *testing.B) {
		// With a context that can be cancelled (context.Background()
		// costs what CallInto does).
		f := wfxcAdd(b)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		args, res := []uint64{1, 2}, make([]uint64, 1)
		cpuLoop(b, func() {
			if err := f.CallContext(ctx, args, res); err != nil {
				b.Fatal(err)
			}
		})
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
		cpuLoop(b, func() {
			stack[0], stack[1] = 1, 2
			if err := f.CallWithStack(ctx, stack); err != nil {
				b.Fatal(err)
			}
		})
	})
}

// BenchmarkHostCall: a wasm function that calls an imported host function
// (i32) -> i32 once, with the host function raw (NewHostFunc), typed
// (rt.HostFunc of a func(int32) int32: a direct adapter) or typed-reflect
// (of a defined type's function, which rt.HostFunc calls through reflect).
//
//	go test -run '^$' -bench HostCall .
func BenchmarkHostCall(b *testing.B) {
	type counter int32
	const callerWat = `(module (import "env" "f" (func $f (param i32) (result i32)))
	  (func (export "g") (param i32) (result i32) (call $f (local.get 0))))`
	wasm, err := wat.ParseModule([]byte(callerWat))
	if err != nil {
		b.Fatal(err)
	}
	res, err := compile.Compile(wasm, compile.Options{Name: "caller"})
	if err != nil {
		b.Fatal(err)
	}
	mod, err := rt.LoadObject(res.Object)
	if err != nil {
		b.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		f    *rt.Func
	}{
		{"raw", rt.NewHostFunc(rt.Sig([]rt.ValType{rt.I32}, rt.I32), func(args []uint64) ([]uint64, error) {
			return []uint64{args[0] + 1}, nil
		})},
		{"typed", rt.HostFunc(func(x int32) int32 { return x + 1 })},
		{"typed-reflect", rt.HostFunc(func(x counter) counter { return x + 1 })},
	} {
		b.Run(tt.name, func(b *testing.B) {
			inst, err := rt.NewStore().Instantiate(mod, rt.Imports{"env": {"f": tt.f}})
			if err != nil {
				b.Fatal(err)
			}
			g := inst.Func("g")
			args, out := []uint64{1}, make([]uint64, 1)
			cpuLoop(b, func() {
				if err := g.CallInto(args, out); err != nil || out[0] != 2 {
					b.Fatal(err, out)
				}
			})
		})
	}
}
