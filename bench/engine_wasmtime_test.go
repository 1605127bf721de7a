//go:build cgo

package bench

import (
	"testing"

	"wfxc/testsuite/gen"
)

// Wasmtime joins the engines of BenchmarkKernel and BenchmarkCompile.
func init() { engines = append(engines, Wasmtime) }

// TestWasmtime_kernels checks the Wasmtime engine adapter on the kernels
// against their Go reference implementations.
func TestWasmtime_kernels(t *testing.T) {
	ks, err := LoadKernels(KernelDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range ks {
		t.Run(k.Name, func(t *testing.T) {
			p, err := Prepare(Wasmtime, k.Wasm)
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			for _, n := range testSizes {
				if k.Name == "fib" && n > 25 {
					continue // doubly recursive: fib(64) does not finish
				}
				got, err := p.Run(n)
				if err != nil {
					t.Fatalf("run(%d): %v", n, err)
				}
				if want := kernelRefs[k.Name](int(n)); got != want {
					t.Errorf("run(%d) = %#x, want %#x", n, got, want)
				}
			}
		})
	}
}

// wasmtimeFeatures are the generator configurations Wasmtime can run as a
// reference (WasmtimeConfig).
func wasmtimeFeatures() map[string]gen.Config {
	fs := map[string]gen.Config{}
	for name, cfg := range FuzzFeatures {
		if c, ok := WasmtimeConfig(cfg); ok {
			fs[name] = c
		}
	}
	return fs
}

// TestWasmtime_selfCheck runs generated modules on Wasmtime against the
// existing references (wazero's interpreter; refexec for exceptions):
// independent engines must agree, which checks the adapter, its trap
// names and the catch wrapper that reports uncaught exceptions.
func TestWasmtime_selfCheck(t *testing.T) {
	n := int64(12)
	if testing.Short() {
		n = 4
	}
	for name, cfg := range wasmtimeFeatures() {
		t.Run("features="+name, func(t *testing.T) {
			counts := map[string]int{}
			for seed := int64(0); seed < n; seed++ {
				o := Diff(seed, gen.Module(seed, cfg), Wasmtime, Reference(name, false))
				counts[o.Status.String()]++
				for _, k := range o.TrapKinds {
					counts[k]++
				}
				if o.Status != StatusOK {
					t.Errorf("seed %d: %s: %s", seed, o.Status, o.Detail)
				}
			}
			t.Logf("%v", counts)
		})
	}
}

// TestDiff_wfxcWasmtime is TestDiff_wfxc with Wasmtime as the reference
// (difffuzz -ref wasmtime), on the feature sets Wasmtime can run.
func TestDiff_wfxcWasmtime(t *testing.T) {
	n := int64(12)
	if testing.Short() {
		n = 4
	}
	for name, cfg := range wasmtimeFeatures() {
		t.Run("features="+name, func(t *testing.T) {
			for seed := int64(0); seed < n; seed++ {
				o := Diff(seed, gen.Module(seed, cfg), Wfxc, Wasmtime)
				if o.Status != StatusOK && o.Status != StatusUnsupported {
					t.Errorf("seed %d: %s: %s\nrepro: cd bench && go run ./cmd/difffuzz -seed %d -features %q -ref wasmtime", seed, o.Status, o.Detail, seed, name)
				}
			}
		})
	}
}
