package bench

import (
	"os/exec"
	"runtime"
	"testing"
)

// TestSIMDKernels_agree runs every SIMD kernel for a few passes on wfxc
// and on wazero and, on x86-64 with gcc, natively (BuildNativeSIMD): the
// checksums must agree (the benchmark compares them too, at full size).
func TestSIMDKernels_agree(t *testing.T) {
	ks, err := LoadSIMDKernels()
	if err != nil {
		t.Fatal(err)
	}
	native := ""
	if _, err := exec.LookPath("gcc"); err == nil && runtime.GOARCH == "amd64" {
		if native, err = BuildNativeSIMD(t.TempDir()); err != nil {
			t.Fatal(err)
		}
	}
	for _, k := range ks {
		t.Run(k.Name, func(t *testing.T) {
			const n = 3
			var results []uint64
			for _, e := range []Engine{Wfxc, WazeroCompiler} {
				p, err := Prepare(e, k.Wasm)
				if err != nil {
					t.Fatalf("%s: %v", e.Name, err)
				}
				r, err := p.Run(n)
				p.Close()
				if err != nil {
					t.Fatalf("%s: %v", e.Name, err)
				}
				results = append(results, r)
			}
			if results[0] != results[1] {
				t.Fatalf("run(%d): wfxc %#x, wazero %#x", n, results[0], results[1])
			}
			if native != "" {
				runs, err := RunNativeKernel(native, k.Name, n, 1)
				if err != nil {
					t.Fatal(err)
				}
				if runs[0].Result != results[0] {
					t.Fatalf("run(%d): wfxc %#x, native %#x", n, results[0], runs[0].Result)
				}
			}
		})
	}
}
