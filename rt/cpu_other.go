//go:build !amd64

package rt

import "wfxc/rt/abi"

// requiredCPUFeatures: aarch64 code needs nothing beyond ARMv8-A, and rt
// loads only code for its own architecture (checkDescriptor).
func requiredCPUFeatures(abi.Arch) []cpuFeature { return nil }
