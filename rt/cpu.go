package rt

import (
	"fmt"
	"strings"

	"wfxc/rt/abi"
)

// The CPU features generated code needs beyond its architecture's
// baseline, checked when a module is loaded (checkDescriptor, so every
// path: LoadObject, LoadModule, linked modules and the C API) so that a
// CPU without them gets an error instead of SIGILL in the middle of a
// call.
//
// x86-64: the x86-64-v2 features the back end emits (lower/x64), scalar
// and SIMD code alike:
//
//	SSSE3   PSHUFB, PABS*, PMADDUBSW, PHADD*, PMULHRSW, PALIGNR
//	SSE4.1  ROUNDSS/SD/PS/PD, PTEST, PMOVSX/ZX, PMULLD, PMULDQ, PMIN/PMAX{SB,SD,UW,UD},
//	        PACKUSDW, PCMPEQQ, PINSR/PEXTR{B,D,Q}, INSERTPS, PBLENDW
//	SSE4.2  PCMPGTQ
//	POPCNT  i32/i64.popcnt
//
// (SSE and SSE2 are part of x86-64 itself; nothing needs AVX, BMI or LZCNT.)
// aarch64: nothing beyond ARMv8-A, whose Advanced SIMD is mandatory.

// A cpuFeature is one required feature and whether the host has it.
type cpuFeature struct {
	Name string
	Has  bool
}

// hostCPUFeatures returns the features code for arch needs on this host
// (cpu_amd64.go, cpu_other.go); a variable so tests can take one away.
var hostCPUFeatures = requiredCPUFeatures

// checkCPU reports an error naming every feature that code compiled for
// arch needs and this CPU lacks.
func checkCPU(arch abi.Arch) error {
	var missing []string
	for _, f := range hostCPUFeatures(arch) {
		if !f.Has {
			missing = append(missing, f.Name)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("module: code compiled for %v needs CPU features this processor lacks: %s (wfxc targets x86-64-v2)",
			arch, strings.Join(missing, ", "))
	}
	return nil
}
