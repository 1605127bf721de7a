package abi

import (
	"fmt"
	"runtime"
)

// Arch is a target architecture: the one type compile.Options.Target,
// objfile's machine description and Descriptor.Arch share. The zero value
// names no architecture.
//
// Its value is the architecture's canonical name, so a descriptor stores it
// as a string (the encoding of Descriptor.Arch is the same as when it was a
// plain string, and objects stay readable by name).
type Arch string

// The supported architectures.
const (
	X86_64  Arch = "x86_64"  // x86-64 (GOARCH amd64), SysV ABI
	AArch64 Arch = "aarch64" // AArch64 (GOARCH arm64), AAPCS64
)

// Archs lists the supported architectures.
var Archs = []Arch{X86_64, AArch64}

// String returns the canonical name, or Arch("…") for an unknown value.
func (a Arch) String() string {
	if a.Valid() {
		return string(a)
	}
	return fmt.Sprintf("Arch(%q)", string(a))
}

// Valid reports whether a is one of Archs.
func (a Arch) Valid() bool { return a == X86_64 || a == AArch64 }

// GOARCH returns Go's name of a ("amd64", "arm64"), or "" for an unknown
// value.
func (a Arch) GOARCH() string {
	switch a {
	case X86_64:
		return "amd64"
	case AArch64:
		return "arm64"
	}
	return ""
}

// ParseArch accepts an architecture's canonical name or its Go name:
// x86_64 or amd64, aarch64 or arm64.
func ParseArch(s string) (Arch, error) {
	switch s {
	case "x86_64", "amd64":
		return X86_64, nil
	case "aarch64", "arm64":
		return AArch64, nil
	}
	return "", fmt.Errorf("unknown target %q (want x86_64 or aarch64)", s)
}

// HostArch returns the architecture this program runs on, or "" when it is
// none of Archs.
func HostArch() Arch {
	a, err := ParseArch(runtime.GOARCH)
	if err != nil {
		return ""
	}
	return a
}
