package bench

import (
	"errors"
	"testing"
	"time"

	"wfxc/compile"
	"wfxc/rt"
)

// BenchmarkLimits measures what bounding a run costs on the kernels:
// BenchmarkLimits/<kernel>/plain (the poll at loop headers and function
// entries, as always), …/timeout (a store timeout armed for every call)
// and …/fuel (code compiled with fuel metering, with a budget), in ns/op
// and cpu-ns/op.
//
//	cd bench && go test -run '^$' -bench Limits -count 5
func BenchmarkLimits(b *testing.B) {
	ks, err := LoadKernels(KernelDir)
	if err != nil {
		b.Fatal(err)
	}
	for _, k := range ks {
		for _, mode := range []string{"plain", "timeout", "fuel"} {
			b.Run(k.Name+"/"+mode, func(b *testing.B) {
				res, err := compile.Compile(k.Wasm, compile.Options{Name: "m", Fuel: mode == "fuel"})
				if err != nil {
					b.Skip(err)
				}
				mod, err := rt.LoadObject(res.Object)
				if err != nil {
					b.Fatal(err)
				}
				env, err := newHostEnv(k.Wasm)
				if err != nil {
					b.Fatal(err)
				}
				s := rt.NewStore()
				defer s.Close()
				var tags []*rt.Tag
				inst, err := s.Instantiate(mod, wfxcImports(env, &tags))
				if err != nil {
					b.Fatal(err)
				}
				switch mode {
				case "timeout":
					s.SetTimeout(time.Hour)
				case "fuel":
					s.SetFuel(1 << 62)
				}
				f := inst.Func("run")
				loopCPU(b, func() {
					if _, err := f.Call(k.Arg); err != nil {
						b.Fatal(err)
					}
				})
			})
		}
	}
}

// TestLimits_fuelKernels: with fuel metering every kernel computes what it
// computes without, uses the same fuel on every run, and traps "all fuel
// consumed" with half of it.
func TestLimits_fuelKernels(t *testing.T) {
	ks, err := LoadKernels(KernelDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range ks {
		t.Run(k.Name, func(t *testing.T) {
			arg := k.Arg / 16
			if k.Name == "fib" {
				arg = 20
			}
			var want uint64
			var used [2]uint64
			for i, fuel := range []bool{false, true, true} {
				res, err := compile.Compile(k.Wasm, compile.Options{Name: "m", Fuel: fuel})
				if err != nil {
					t.Fatal(err)
				}
				mod, err := rt.LoadObject(res.Object)
				if err != nil {
					t.Fatal(err)
				}
				env, err := newHostEnv(k.Wasm)
				if err != nil {
					t.Fatal(err)
				}
				s := rt.NewStore()
				defer s.Close()
				var tags []*rt.Tag
				inst, err := s.Instantiate(mod, wfxcImports(env, &tags))
				if err != nil {
					t.Fatal(err)
				}
				s.SetFuel(1 << 40)
				out, err := inst.Func("run").Call(arg)
				if err != nil {
					t.Fatal(err)
				}
				switch {
				case i == 0:
					want = out[0]
					continue
				case out[0] != want:
					t.Fatalf("run(%d) with fuel = %d, without %d", arg, out[0], want)
				}
				used[i-1] = 1<<40 - s.Fuel()
				s.SetFuel(used[i-1] / 2)
				_, err = inst.Func("run").Call(arg)
				var tr *rt.Trap
				if !errors.As(err, &tr) || tr.Message != "all fuel consumed" {
					t.Fatalf("run(%d) with half its fuel: %v, want the trap \"all fuel consumed\"", arg, err)
				}
			}
			if used[0] != used[1] || used[0] == 0 {
				t.Fatalf("fuel used by two runs: %d and %d", used[0], used[1])
			}
			t.Logf("run(%d): %d fuel", arg, used[0])
		})
	}
}
