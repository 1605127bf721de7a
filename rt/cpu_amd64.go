package rt

import (
	"golang.org/x/sys/cpu"

	"wfxc/rt/abi"
)

// requiredCPUFeatures lists cpu.go's x86-64 features with CPUID's answer.
func requiredCPUFeatures(arch abi.Arch) []cpuFeature {
	if arch != abi.X86_64 {
		return nil
	}
	return []cpuFeature{
		{"SSSE3", cpu.X86.HasSSSE3},
		{"SSE4.1", cpu.X86.HasSSE41},
		{"SSE4.2", cpu.X86.HasSSE42},
		{"POPCNT", cpu.X86.HasPOPCNT},
	}
}
