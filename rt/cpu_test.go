package rt

import (
	"strings"
	"testing"

	"wfxc/rt/abi"
)

// TestCheckCPU_missingFeature loads the test module with SSE4.1 (on
// x86-64) or an invented feature (elsewhere) reported missing: every load
// path fails with an error that names it, and loads again once it is back.
func TestCheckCPU_missingFeature(t *testing.T) {
	o := buildTestObj(t)
	saved := hostCPUFeatures
	defer func() { hostCPUFeatures = saved }()
	missing := "SSE4.1"
	if abi.HostArch() != abi.X86_64 {
		missing = "FEAT-X"
	}
	hostCPUFeatures = func(arch abi.Arch) []cpuFeature {
		fs := saved(arch)
		if abi.HostArch() != abi.X86_64 {
			fs = append(fs, cpuFeature{Name: "FEAT-X", Has: true})
		}
		for i := range fs {
			if fs[i].Name == missing {
				fs[i].Has = false
			}
		}
		return fs
	}
	check := func(what string, err error) {
		t.Helper()
		if err == nil {
			t.Fatalf("%s: loaded without %s", what, missing)
		}
		if !strings.Contains(err.Error(), "CPU features") || !strings.Contains(err.Error(), missing) {
			t.Fatalf("%s: error %q does not name the missing feature %s", what, err, missing)
		}
	}
	_, err := LoadObject(o.Obj)
	check("LoadObject", err)
	_, err = LoadModule(o.Text, o.Desc)
	check("LoadModule", err)
	_, err = NewLinkedModule(1, uintptr(len(o.Text)), o.Desc)
	check("NewLinkedModule", err)

	hostCPUFeatures = saved
	m, err := LoadObject(o.Obj)
	if err != nil {
		t.Fatalf("with every feature: %v", err)
	}
	inst := instantiate(t, NewStore(), m, hostTimes10())
	if res := call(t, inst, "callimp", 0); res[0] != 20 {
		t.Fatalf("callimp(0) = %d", res[0])
	}
}

// TestCheckCPU_host: this machine runs the tests, so it has every feature.
func TestCheckCPU_host(t *testing.T) {
	if err := checkCPU(abi.HostArch()); err != nil {
		t.Fatal(err)
	}
	if abi.HostArch() == abi.X86_64 && len(hostCPUFeatures(abi.X86_64)) != 4 {
		t.Fatalf("x86-64 features %v, want SSSE3, SSE4.1, SSE4.2, POPCNT", hostCPUFeatures(abi.X86_64))
	}
}
