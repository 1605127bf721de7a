package bench

import (
	"embed"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
)

// The SIMD kernels (simdsrc/README.md): C with wasm_simd128.h intrinsics
// (through the macro layer simdsrc/simd.h) or autovectorised loops,
// checked in as clang-19 -O3 -msimd128 builds (simdsrc/build.sh) beside
// their sources, which BuildNativeSIMD builds with gcc -O3 -msse4.1.
//
//go:embed simdsrc/*.c simdsrc/*.h simdsrc/*.def simdsrc/wasm/*.wasm
var simdFiles embed.FS

// SIMDKernels lists the SIMD kernels and their benchmark sizes (passes
// over each kernel's data), chosen for a few milliseconds natively.
var SIMDKernels = []struct {
	Name string
	Arg  uint64
}{
	{"memchr", 300},   // every occurrence of a byte in 64 KiB (eq, bitmask, ctz)
	{"strlen", 500},   // 4096 strings of 0–63 bytes (eq with zero, bitmask)
	{"strstr", 300},   // a word in 64 KiB of text (two compares, and, bitmask)
	{"dotf32", 3000},  // 16384 f32 products, four f32x4 accumulators
	{"doti16", 3000},  // 32768 i16 products by i32x4.dot_i16x8_s
	{"dotauto", 3000}, // the same as a plain C loop (autovectorised)
	{"blur", 100},     // 3x3 box blur of a 512x256 u8 image (autovectorised)
	{"bswap", 1000},   // byte swap of 16384 words (a constant shuffle)
	{"matmul", 30},    // 96x96 f32 matrices, splat and f32x4 multiply-add
}

// LoadSIMDKernels returns the SIMD kernels' checked-in modules.
func LoadSIMDKernels() ([]Kernel, error) {
	var ks []Kernel
	for _, k := range SIMDKernels {
		wasm, err := simdFiles.ReadFile("simdsrc/wasm/" + k.Name + ".wasm")
		if err != nil {
			return nil, fmt.Errorf("SIMD kernel %s: %w", k.Name, err)
		}
		ks = append(ks, Kernel{Name: k.Name, Arg: k.Arg, Wasm: wasm})
	}
	return ks, nil
}

// NativeSIMDFlags are gcc's flags for the native SIMD kernels: SSE up to
// SSE4.1, the x86-64 baseline of wfxc's SIMD lowering.
var NativeSIMDFlags = []string{"-O3", "-msse4.1", "-std=c11", "-Wall", "-Wextra", "-Werror"}

// BuildNativeSIMD compiles the SIMD kernels' C sources natively with gcc
// (NativeSIMDFlags) into one executable in dir, with the driver protocol
// of BuildNativeKernels (RunNativeKernel runs it), and returns its path.
func BuildNativeSIMD(dir string) (string, error) {
	ents, err := simdFiles.ReadDir("simdsrc")
	if err != nil {
		return "", err
	}
	var srcs []string
	for _, e := range ents {
		if e.IsDir() {
			continue
		}
		b, err := simdFiles.ReadFile(path.Join("simdsrc", e.Name()))
		if err != nil {
			return "", err
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644); err != nil {
			return "", err
		}
		if strings.HasSuffix(e.Name(), ".c") {
			srcs = append(srcs, e.Name())
		}
	}
	exe := filepath.Join(dir, "simdkernels")
	args := append(append(append([]string{}, NativeSIMDFlags...), "-o", exe), srcs...)
	cmd := exec.Command("gcc", args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("gcc SIMD kernels: %v\n%s", err, out)
	}
	return exe, nil
}
