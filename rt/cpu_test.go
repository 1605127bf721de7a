package rt

import (
	"strings"
	"testing"

	"golang.org/x/sys/cpu"

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
	hostCPUFeatures = func(arch abi.Arch, need abi.CPUFeatures) []cpuFeature {
		fs := saved(arch, need)
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
	if err := checkCPU(abi.HostArch(), 0); err != nil {
		t.Fatal(err)
	}
	if abi.HostArch() == abi.X86_64 && len(hostCPUFeatures(abi.X86_64, 0)) != 4 {
		t.Fatalf("x86-64 features %v, want SSSE3, SSE4.1, SSE4.2, POPCNT", hostCPUFeatures(abi.X86_64, 0))
	}
}

// TestCheckCPU_descriptor: a descriptor that records x86-64-v3's features
// (abi.Descriptor.CPU) loads on a host with them, and is refused, with an
// error naming them, when the host lacks BMI1 and LZCNT (a test hook takes
// them away) or the runtime does not know a feature (every load path);
// its version must be DescriptorVersionCPU.
func TestCheckCPU_descriptor(t *testing.T) {
	if abi.HostArch() != abi.X86_64 {
		t.Skip("x86-64 CPU levels")
	}
	o := buildTestObj(t)
	v3, err := abi.CPULevel(abi.X86_64, abi.CPUx8664v3)
	if err != nil {
		t.Fatal(err)
	}
	withCPU := func(cpu abi.CPUFeatures) *abi.Descriptor {
		b, err := o.Desc.Encode() // a copy: o is shared
		if err != nil {
			t.Fatal(err)
		}
		d, err := abi.DecodeDescriptor(b)
		if err != nil {
			t.Fatal(err)
		}
		d.CPU, d.Version = cpu, abi.VersionFor(cpu)
		return d
	}
	saved := hostCPUFeatures
	defer func() { hostCPUFeatures = saved }()
	hostCPUFeatures = func(arch abi.Arch, need abi.CPUFeatures) []cpuFeature {
		fs := saved(arch, need)
		for i := range fs {
			if fs[i].Name == "BMI1" || fs[i].Name == "LZCNT" {
				fs[i].Has = false
			}
		}
		return fs
	}
	for _, load := range []struct {
		name string
		f    func(d *abi.Descriptor) error
	}{
		{"LoadModule", func(d *abi.Descriptor) error { _, err := LoadModule(o.Text, d); return err }},
		{"NewLinkedModule", func(d *abi.Descriptor) error { _, err := NewLinkedModule(1, uintptr(len(o.Text)), d); return err }},
	} {
		err := load.f(withCPU(v3))
		if err == nil || !strings.Contains(err.Error(), "lacks: BMI1, LZCNT (") {
			t.Errorf("%s of a v3 descriptor without BMI1 and LZCNT: %v", load.name, err)
		}
		// Baseline code does not need them.
		if err := load.f(withCPU(0)); err != nil && strings.Contains(err.Error(), "CPU") {
			t.Errorf("%s of a baseline descriptor without BMI1: %v", load.name, err)
		}
		// A feature this runtime does not know is missing.
		if err := load.f(withCPU(1 << 30)); err == nil || !strings.Contains(err.Error(), "FEATURE-30") {
			t.Errorf("%s with an unknown feature: %v", load.name, err)
		}
		// A v3 descriptor must say version 2 (older runtimes refuse it).
		d := withCPU(v3)
		d.Version = abi.DescriptorVersion
		if err := load.f(d); err == nil || !strings.Contains(err.Error(), "version 1, want 2") {
			t.Errorf("%s of a v3 descriptor of version 1: %v", load.name, err)
		}
	}
	hostCPUFeatures = saved
	if !cpu.X86.HasBMI1 || !cpu.X86.HasBMI2 || !cpu.X86.HasLZCNT || !cpu.X86.HasAVX {
		t.Skip("this host lacks BMI1, BMI2, LZCNT or AVX: cannot load v3 code for real")
	}
	m, err := LoadModule(o.Text, withCPU(v3))
	if err != nil {
		t.Fatalf("v3 descriptor on a v3 host: %v", err)
	}
	inst := instantiate(t, NewStore(), m, hostTimes10())
	if res := call(t, inst, "callimp", 0); res[0] != 20 {
		t.Fatalf("callimp(0) = %d", res[0])
	}
}
