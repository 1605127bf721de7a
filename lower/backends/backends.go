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

// For returns the back end that generates code for a.
func For(a abi.Arch) (lower.Backend, error) {
	switch a {
	case abi.X86_64:
		return x64.Backend{}, nil
	case abi.AArch64:
		return aarch64.Backend{}, nil
	}
	return nil, fmt.Errorf("unknown target %q (want x86_64 or aarch64)", string(a))
}
