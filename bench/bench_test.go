package bench

import (
	"testing"
)

// engines are the engines the benchmarks compare.
var engines = []Engine{Wfxc, WazeroCompiler}

func loadKernels(b *testing.B) []Kernel {
	ks, err := LoadKernels(KernelDir)
	if err != nil {
		b.Fatal(err)
	}
	return ks
}

// BenchmarkKernel measures one run(size) call per iteration on an
// already compiled and instantiated module.
func BenchmarkKernel(b *testing.B) {
	for _, k := range loadKernels(b) {
		for _, e := range engines {
			b.Run(k.Name+"/"+e.Name, func(b *testing.B) {
				p, err := Prepare(e, k.Wasm)
				if IsUnsupported(err) {
					b.Skipf("%s: unsupported: %v", e.Name, err)
				}
				if err != nil {
					b.Fatal(err)
				}
				defer p.Close()
				if _, err := p.Run(k.Arg); err != nil {
					b.Fatal(err)
				}
				b.ResetTimer()
				for b.Loop() {
					if _, err := p.Run(k.Arg); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkCompile measures compiling a kernel (for wfxc: compile to an
// object and load it; for wazero: CompileModule).
func BenchmarkCompile(b *testing.B) {
	for _, k := range loadKernels(b) {
		for _, e := range engines {
			b.Run(k.Name+"/"+e.Name, func(b *testing.B) {
				for b.Loop() {
					m, err := e.Compile(k.Wasm)
					if IsUnsupported(err) {
						b.Skipf("%s: unsupported: %v", e.Name, err)
					}
					if err != nil {
						b.Fatal(err)
					}
					m.Close()
				}
			})
		}
	}
}
