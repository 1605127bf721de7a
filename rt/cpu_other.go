//go:build !amd64

package rt

import "wfxc/rt/abi"

// requiredCPUFeatures: aarch64 code needs nothing beyond ARMv8-A, and rt
// loads only code for its own architecture (checkDescriptor); the x86-64
// extensions of need, which no aarch64 compilation records, are missing.
func requiredCPUFeatures(_ abi.Arch, need abi.CPUFeatures) []cpuFeature {
	var fs []cpuFeature
	for i := 0; i < 32; i++ {
		if f := abi.CPUFeatures(1) << i; need&f != 0 {
			fs = append(fs, cpuFeature{f.String(), false})
		}
	}
	return fs
}
