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
// (SSE and SSE2 are part of x86-64 itself.) Code compiled for a higher
// level (wfxc --cpu x86-64-v3) also needs the features its descriptor
// records (abi.Descriptor.CPU): BMI1, BMI2, LZCNT, AVX.
// aarch64: nothing beyond ARMv8-A, whose Advanced SIMD is mandatory.

// A cpuFeature is one required feature and whether the host has it.
type cpuFeature struct {
	Name string
	Has  bool
}

// hostCPUFeatures returns the features code for arch that also uses the
// extensions need requires on this host (cpu_amd64.go, cpu_other.go); a
// variable so tests can take one away.
var hostCPUFeatures = requiredCPUFeatures

// checkCPU reports an error naming every feature that code compiled for
// arch, using the extensions need, requires and this CPU lacks.
func checkCPU(arch abi.Arch, need abi.CPUFeatures) error {
	var missing []string
	for _, f := range hostCPUFeatures(arch, need) {
		if !f.Has {
			missing = append(missing, f.Name)
		}
	}
	if len(missing) > 0 {
		why := "wfxc targets x86-64-v2"
		if need != 0 {
			why = fmt.Sprintf("the code uses %s, as wfxc --cpu x86-64-v3 allows: compile it for a lower level",
				strings.Join(need.Names(), ", "))
		}
		return fmt.Errorf("module: code compiled for %v needs CPU features this processor lacks: %s (%s)",
			arch, strings.Join(missing, ", "), why)
	}
	return nil
}
