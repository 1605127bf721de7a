package rt

import (
	"golang.org/x/sys/cpu"

	"wfxc/rt/abi"
)

// requiredCPUFeatures lists cpu.go's x86-64 features, then those of need
// (abi.Descriptor.CPU), with CPUID's answer; a feature of need this
// runtime does not know is reported missing.
func requiredCPUFeatures(arch abi.Arch, need abi.CPUFeatures) []cpuFeature {
	if arch != abi.X86_64 {
		return nil
	}
	fs := []cpuFeature{
		{"SSSE3", cpu.X86.HasSSSE3},
		{"SSE4.1", cpu.X86.HasSSE41},
		{"SSE4.2", cpu.X86.HasSSE42},
		{"POPCNT", cpu.X86.HasPOPCNT},
	}
	has := map[abi.CPUFeatures]bool{
		abi.CPUBMI1:  cpu.X86.HasBMI1,
		abi.CPUBMI2:  cpu.X86.HasBMI2,
		abi.CPULZCNT: cpu.X86.HasLZCNT,
		abi.CPUAVX:   cpu.X86.HasAVX, // x/sys/cpu: and the OS saves the YMM state (XGETBV)
	}
	for i := 0; i < 32; i++ {
		if f := abi.CPUFeatures(1) << i; need&f != 0 {
			fs = append(fs, cpuFeature{f.String(), has[f]})
		}
	}
	return fs
}
