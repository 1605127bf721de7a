package abi

import (
	"fmt"
	"strings"
)

// CPUFeatures are the instruction-set extensions beyond its architecture's
// baseline (x86-64: x86-64-v2) that code may use: Descriptor.CPU records
// them, and rt refuses to load code that needs one the host lacks. Zero is
// the baseline, and what every descriptor from before the field decodes to.
type CPUFeatures uint32

const (
	CPUBMI1  CPUFeatures = 1 << iota // x86-64: TZCNT, BLSR, BLSI, ANDN
	CPUBMI2                          // x86-64: SHLX, SHRX, SARX
	CPULZCNT                         // x86-64: LZCNT (CPUID's ABM)
	CPUAVX                           // x86-64: VEX forms of SSE instructions (and the OS saving YMM state)

	numCPUFeatures = iota
)

var cpuFeatureNames = [numCPUFeatures]string{"BMI1", "BMI2", "LZCNT", "AVX"}

// Names lists the features of f, in the order of the constants (bits
// without a name as FEATURE-n).
func (f CPUFeatures) Names() []string {
	var out []string
	for i := 0; i < 32; i++ {
		if f&(1<<i) == 0 {
			continue
		}
		if i < numCPUFeatures {
			out = append(out, cpuFeatureNames[i])
		} else {
			out = append(out, fmt.Sprintf("FEATURE-%d", i))
		}
	}
	return out
}

func (f CPUFeatures) String() string {
	if f == 0 {
		return "baseline"
	}
	return strings.Join(f.Names(), ",")
}

// The CPU levels, by name (compile.Options.CPU, wfxc --cpu): x86-64-v2 is
// the baseline of x86-64 code (SSE4.2, SSSE3, POPCNT); x86-64-v3 lets the
// back end use the v3 extensions it knows, today BMI1, BMI2, LZCNT and AVX
// (128-bit VEX forms; not AVX2, FMA or MOVBE, which it does not emit and so
// does not require).
const (
	CPUx8664v2 = "x86-64-v2"
	CPUx8664v3 = "x86-64-v3"
)

// CPULevel returns the features code for arch may use at the level named
// name ("" is the architecture's baseline). The x86-64 levels are errors
// for other architectures.
func CPULevel(arch Arch, name string) (CPUFeatures, error) {
	switch name {
	case "":
		return 0, nil
	case CPUx8664v2, CPUx8664v3:
		if arch != X86_64 {
			return 0, fmt.Errorf("CPU level %s is for x86_64, not %s (%s code has no CPU levels: leave --cpu out)", name, arch, arch)
		}
		if name == CPUx8664v3 {
			return CPUBMI1 | CPUBMI2 | CPULZCNT | CPUAVX, nil
		}
		return 0, nil
	}
	return 0, fmt.Errorf("unknown CPU level %q (want %s or %s)", name, CPUx8664v2, CPUx8664v3)
}
