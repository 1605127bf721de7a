package aarch64

// The aarch64 back end as a lower.Backend: this package's entry points, the
// B/BL/ADR fixups and UDF padding, the allocator's register file and the
// ELF and DWARF numbering of aarch64 objects (the mirror of x64/backend.go).

import (
	"debug/elf"

	"wfxc/ir"
	"wfxc/lower"
	"wfxc/objfile"
	"wfxc/rt/abi"
)

// Backend is the aarch64 back end.
type Backend struct{}

var _ lower.Backend = Backend{}

// Arch returns abi.AArch64.
func (Backend) Arch() abi.Arch { return abi.AArch64 }

// CompileFunc compiles one wasm function (CompileFunc).
func (Backend) CompileFunc(f *ir.Func) (*lower.Compiled, error) { return CompileFunc(f) }

// Runtime returns the runtime routines (Runtime).
func (Backend) Runtime() [lower.NumRuntime]*lower.Compiled { return Runtime() }

// Wrapper returns the array-call wrapper of function fn (Wrapper).
func (Backend) Wrapper(name string, params, results []ir.Type, fn int) *lower.Compiled {
	return Wrapper(name, params, results, fn)
}

// HostCallStub returns the host-call stub of an imported function
// (HostCallStub).
func (Backend) HostCallStub(name string, params, results []ir.Type, importIndex int) *lower.Compiled {
	return HostCallStub(name, params, results, importIndex)
}

// PatchFixup stores target - at in the PC-relative field of the
// instruction at text[at:]: the imm26 of a B or BL (±128 MiB) or the
// imm21 of an ADR (±1 MiB).
func (Backend) PatchFixup(text []byte, at, target uint32) error {
	return patchInsn(text, at, int64(target)-int64(at))
}

// CodeAlign is 16: functions start on a 16-byte boundary.
func (Backend) CodeAlign() int { return 16 }

// Pad appends n zero bytes: UDF #0 words, the same filler as before the
// literal pool.
func (Backend) Pad(text []byte, n int) []byte {
	for range n {
		text = append(text, arm64Emit.Pad)
	}
	return text
}

// allocatable lists the registers the allocator assigns, per class, in
// preference order: caller-saved ones first, so a function saves a
// callee-saved register only under pressure. Not X14–X18, X21 (ectx),
// X27–X30, SP, nor the emitter's float scratch registers V30, V31 (abi.go).
var allocatable = [lower.NumClasses][]lower.Reg{
	lower.ClassInt: {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 19, 20, 22, 23, 24, 25, 26},
	lower.ClassFloat: {v0, v0 + 1, v0 + 2, v0 + 3, v0 + 4, v0 + 5, v0 + 6, v0 + 7,
		v0 + 16, v0 + 17, v0 + 18, v0 + 19, v0 + 20, v0 + 21, v0 + 22, v0 + 23, v0 + 24, v0 + 25, v0 + 26, v0 + 27, v0 + 28, v0 + 29,
		v0 + 8, v0 + 9, v0 + 10, v0 + 11, v0 + 12, v0 + 13, v0 + 14, v0 + 15},
}

// Registers returns the allocatable registers, the callee-saved ones
// among them, the register class of each type and each value's clobbers.
func (Backend) Registers() *lower.Config {
	c := &lower.Config{Class: regClass, Clobbers: clobbers}
	for i, rs := range allocatable {
		c.Regs[i] = append([]lower.Reg(nil), rs...)
	}
	for _, r := range calleeSaved {
		c.CalleeSaved |= 1 << uint(r)
	}
	return c
}

// DWARF register numbers (DWARF for the Arm 64-bit Architecture, §4.1):
// X29 is 29, X30 (the return address column) 30, SP 31.
const (
	dwarfFP = 29
	dwarfLR = 30
	dwarfSP = 31
)

// Machine returns the ELF and DWARF numbering of aarch64 objects. A call
// leaves the return address in X30, so at a function's first instruction
// the CFA is SP itself and the return address is in the link register
// until the frame record saves it at CFA-8.
func (Backend) Machine() objfile.Machine {
	return objfile.Machine{
		Arch:        abi.AArch64,
		ELF:         uint16(elf.EM_AARCH64),
		RelPC32:     uint32(elf.R_AARCH64_PREL32),
		RelAbs32:    uint32(elf.R_AARCH64_ABS32),
		RelAbs64:    uint32(elf.R_AARCH64_ABS64),
		EhFrameType: uint32(elf.SHT_PROGBITS),
		CodeMapping: "$x",
		Frame: objfile.Frame{
			CodeAlign: 4, DataAlign: -8,
			SP: dwarfSP, FP: dwarfFP, RA: dwarfLR, LinkReg: true,
			Entry: objfile.CFIRow{CFAReg: objfile.CFASP, CFAOffset: 0},
		},
	}
}
