// Package backends is the registry of back ends: it maps a target
// architecture to its lower.Backend. It is the only package besides the
// back ends' own tests that imports them, so the compile driver depends on
// no ISA.
package backends

import (
	"fmt"

	"wfxc/lower"
	"wfxc/lower/aarch64"
	"wfxc/lower/x64"
	"wfxc/rt/abi"
)

// For returns the back end that generates code for a's baseline CPU.
func For(a abi.Arch) (lower.Backend, error) { return ForCPU(a, 0) }

// ForCPU returns the back end that generates code for a that may also use
// the extensions cpu (abi.CPULevel): x86-64 ones only.
func ForCPU(a abi.Arch, cpu abi.CPUFeatures) (lower.Backend, error) {
	switch a {
	case abi.X86_64:
		return x64.Backend{CPU: cpu}, nil
	case abi.AArch64:
		if cpu != 0 {
			return nil, fmt.Errorf("the aarch64 back end uses no optional CPU features (asked for %v)", cpu)
		}
		return aarch64.Backend{}, nil
	}
	return nil, fmt.Errorf("unknown target %q (want x86_64 or aarch64)", string(a))
}
