package aarch64

// SIMD lowerings, the mirror of x64/simd.go: none yet. Every SIMD op
// (ir/simd.go) gets an explicit unsupported row.

import "wfxc/ir"

func init() {
	for op := ir.OpSIMDFirst; op.IsSIMD(); op++ {
		lowerings[op] = lowering{unsupported: "v128 not supported on aarch64"}
	}
}
