package rt

import (
	"strings"
	"testing"

	"wfxc/rt/abi"
)

// TestLoadModule_otherArch: rt refuses a descriptor that names another
// architecture than its own, or none.
func TestLoadModule_otherArch(t *testing.T) {
	host := abi.HostArch()
	if !host.Valid() {
		t.Skipf("rt does not run on GOARCH %s", hostName(host))
	}
	var other abi.Arch
	for _, a := range abi.Archs {
		if a != host {
			other = a
		}
	}
	o := buildTestObj(t)
	tests := []struct {
		name string
		arch abi.Arch
		want string
	}{
		{"other", other, "module: module compiled for " + other.String() + "; this runtime is " + host.String()},
		{"none", "", `module: module compiled for Arch(""); this runtime is ` + host.String()},
		{"unknown", "mips", `module: module compiled for Arch("mips")`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := *o.Desc
			d.Arch = tt.arch
			if _, err := LoadModule(o.Text, &d); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("LoadModule: %v, want %q", err, tt.want)
			}
			if _, err := NewLinkedModule(1, uintptr(len(o.Text)), &d); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("NewLinkedModule: %v, want %q", err, tt.want)
			}
		})
	}
	if _, err := LoadModule(o.Text, o.Desc); err != nil {
		t.Fatalf("the host's own architecture: %v", err)
	}
}
