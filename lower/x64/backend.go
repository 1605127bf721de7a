package x64

// The x86-64 back end as a lower.Backend: this package's entry points, the
// rel32 fixups and int3 padding, the allocator's register file and the ELF
// and DWARF numbering of x86-64 objects. lower/aarch64/backend.go is its
// mirror when that back end is written.

import (
	"debug/elf"
	"encoding/binary"
	"fmt"

	"wfxc/ir"
	"wfxc/lower"
	"wfxc/objfile"
	"wfxc/rt/abi"
)

// Backend is the x86-64 back end. CPU lists the extensions beyond
// x86-64-v2 that its functions may use (doc.go).
type Backend struct {
	CPU abi.CPUFeatures
}

var _ lower.Backend = Backend{}

// Arch returns abi.X86_64.
func (Backend) Arch() abi.Arch { return abi.X86_64 }

// CompileFunc compiles one wasm function (CompileFunc).
func (b Backend) CompileFunc(f *ir.Func) (*lower.Compiled, error) { return CompileFuncCPU(f, b.CPU) }

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

// PatchFixup stores target - (at + 4) in the rel32 field at text[at:], the
// operand of a call or jump (as patchRel32 does inside a function).
func (Backend) PatchFixup(text []byte, at, target uint32) error {
	if uint64(at)+4 > uint64(len(text)) {
		return fmt.Errorf("rel32 at %#x outside the code (%#x bytes)", at, len(text))
	}
	rel := int64(target) - (int64(at) + 4)
	if rel != int64(int32(rel)) {
		return fmt.Errorf("rel32 at %#x cannot reach %#x", at, target)
	}
	binary.LittleEndian.PutUint32(text[at:], uint32(int32(rel)))
	return nil
}

// CodeAlign is 16: functions start on a 16-byte boundary (the fetch
// block of most x86-64 cores).
func (Backend) CodeAlign() int { return 16 }

// Pad appends n int3 bytes, the same filler as before the literal pool.
func (Backend) Pad(text []byte, n int) []byte {
	for range n {
		text = append(text, amd64Emit.Pad)
	}
	return text
}

// allocatable lists the registers the allocator assigns, per class, in
// preference order: caller-saved ones first, so a function saves a
// callee-saved register only under pressure. Not RSP, RBP, R15 (ectx) or
// the emitter's scratch registers R10, R11, XMM14, XMM15 (abi.go).
var allocatable = [lower.NumClasses][]lower.Reg{
	lower.ClassInt:   {rAX, rCX, rDX, rSI, rDI, r8, r9, rBX, r12, r13, r14},
	lower.ClassFloat: {x0, x0 + 1, x0 + 2, x0 + 3, x0 + 4, x0 + 5, x0 + 6, x0 + 7, x0 + 8, x0 + 9, x0 + 10, x0 + 11, x0 + 12, x0 + 13},
}

// Registers returns the allocatable registers, the callee-saved ones
// among them, the register class of each type and each value's clobbers.
func (Backend) Registers() *lower.Config {
	c := &lower.Config{Class: regClass, Clobbers: clobbers, SaveAround: slowSaves}
	for i, rs := range allocatable {
		c.Regs[i] = append([]lower.Reg(nil), rs...)
	}
	for _, r := range calleeSaved {
		c.CalleeSaved |= 1 << uint(r)
	}
	return c
}

// DWARF register numbers (x86-64 psABI, figure 3.36 "DWARF Register Number
// Mapping") of the registers a CFI row names; the return address column is
// 16.
const (
	dwarfRBP = 6
	dwarfRSP = 7
	dwarfRA  = 16
)

// shtX86_64Unwind is SHT_X86_64_UNWIND (x86-64 psABI §4.2.4), the type GNU
// as gives .eh_frame.
const shtX86_64Unwind = 0x70000001

// Machine returns the ELF and DWARF numbering of x86-64 objects. A call
// pushes the return address, so at a function's first instruction the CFA
// is RSP+8 and the return address is at CFA-8.
func (Backend) Machine() objfile.Machine {
	return objfile.Machine{
		Arch:        abi.X86_64,
		ELF:         uint16(elf.EM_X86_64),
		RelPC32:     uint32(elf.R_X86_64_PC32),
		RelAbs32:    uint32(elf.R_X86_64_32),
		RelAbs64:    uint32(elf.R_X86_64_64),
		EhFrameType: shtX86_64Unwind,
		Frame: objfile.Frame{
			CodeAlign: 1, DataAlign: -8,
			SP: dwarfRSP, FP: dwarfRBP, RA: dwarfRA,
			Entry: objfile.CFIRow{CFAReg: objfile.CFASP, CFAOffset: 8},
		},
	}
}
