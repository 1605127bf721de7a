package objfile

import (
	"debug/elf"

	"wfxc/rt/abi"
)

// Hand-assembled x86-64 code used by the tests.
//
//	0: wfx_test_add(a, b int) int
//	   8d 04 37          lea eax, [rdi+rsi]
//	   c3                ret
//	4: padding (int3 × 12)
//	16: wfx_test_call(f func(int) int, x int) int  — returns f(x)+1
//	   55                push rbp
//	   48 89 e5          mov rbp, rsp
//	   48 89 f8          mov rax, rdi
//	   89 f7             mov edi, esi
//	   ff d0             call rax
//	   83 c0 01          add eax, 1
//	   5d                pop rbp
//	   c3                ret
var x86Text = []byte{
	0x8d, 0x04, 0x37, 0xc3,
	0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc,
	0x55, 0x48, 0x89, 0xe5, 0x48, 0x89, 0xf8, 0x89, 0xf7, 0xff, 0xd0, 0x83, 0xc0, 0x01, 0x5d, 0xc3,
}

// x86CallRows are the frame states of wfx_test_call.
var x86CallRows = []CFIRow{
	{Off: 0, CFAReg: CFASP, CFAOffset: 8},
	{Off: 1, CFAReg: CFASP, CFAOffset: 16, FPSaved: true},
	{Off: 4, CFAReg: CFAFP, CFAOffset: 16, FPSaved: true},
	{Off: 15, CFAReg: CFASP, CFAOffset: 8},
}

// Hand-assembled aarch64 code used by the structural tests.
//
//	0:  add w0, w0, w1        0b010000
//	    ret                   d65f03c0
//	8:  stp x29, x30, [sp, #-16]!   a9bf7bfd
//	    mov x29, sp                 910003fd
//	    mov x2, x0                  aa0003e2
//	    mov w0, w1                  2a0103e0
//	    blr x2                      d63f0040
//	    add w0, w0, #1              11000400
//	    ldp x29, x30, [sp], #16     a8c17bfd
//	    ret                         d65f03c0
var arm64Text = le32s(
	0x0b010000, 0xd65f03c0,
	0xa9bf7bfd, 0x910003fd, 0xaa0003e2, 0x2a0103e0, 0xd63f0040, 0x11000400, 0xa8c17bfd, 0xd65f03c0,
)

var arm64CallRows = []CFIRow{
	{Off: 0, CFAReg: CFASP, CFAOffset: 0},
	{Off: 4, CFAReg: CFASP, CFAOffset: 16, FPSaved: true},
	{Off: 8, CFAReg: CFAFP, CFAOffset: 16, FPSaved: true},
	{Off: 28, CFAReg: CFASP, CFAOffset: 0},
}

func le32s(ws ...uint32) []byte {
	var b []byte
	for _, w := range ws {
		b = append(b, byte(w), byte(w>>8), byte(w>>16), byte(w>>24))
	}
	return b
}

// sampleObject returns a small object with two functions, a data symbol,
// FDEs and, if debug, line rows and subprograms.
func sampleObject(mach Machine, debug bool) *Object {
	o := &Object{Machine: mach, Rodata: []byte("descriptor\x00\x00\x00\x00\x00\x00"), Name: "test"}
	var callOff, callSize uint32
	var callRows []CFIRow
	switch mach.Arch {
	case abi.X86_64:
		o.Text, callOff, callSize, callRows = x86Text, 16, 16, x86CallRows
	case abi.AArch64:
		o.Text, callOff, callSize, callRows = arm64Text, 8, 32, arm64CallRows
	}
	addSize := uint64(4)
	if mach.Arch == abi.AArch64 {
		addSize = 8
	}
	o.Symbols = []Symbol{
		{Name: "wfx_test_text", Section: SecText, Off: 0, Size: 0, Global: true},
		{Name: "wfx_test_add", Section: SecText, Off: 0, Size: addSize, Global: true, Func: true},
		{Name: "wasm[1]", Section: SecText, Off: uint64(callOff), Size: uint64(callSize), Func: true},
		{Name: "wfx_test_call", Section: SecText, Off: uint64(callOff), Size: uint64(callSize), Global: true, Func: true},
		{Name: "wfx_test_descriptor", Section: SecRodata, Off: 0, Size: uint64(len(o.Rodata)), Global: true},
		{Name: "local_data", Section: SecRodata, Off: 0, Size: 10},
	}
	o.FDEs = []FDE{
		{Off: callOff, Size: callSize, Rows: callRows},
		{Off: 0, Size: uint32(addSize), Rows: []CFIRow{callRows[0]}},
	}
	if debug {
		o.Lines = []LineRow{
			{Off: 0, File: "test.wasm", Line: 100},
			{Off: 3, File: "test.wasm", Line: 102},
			{Off: callOff, File: "test.wasm", Line: 200},
			{Off: callOff + 4, File: "other.wasm", Line: 7},
			{Off: callOff + 8, File: "test.wasm", Line: 100000},
		}
		if mach.Arch == abi.AArch64 {
			o.Lines[1].Off = 4
		}
		o.Funcs = []DebugFunc{{Name: "add", Off: 0, Size: uint32(addSize)}, {Name: "call", Off: callOff, Size: callSize}}
	}
	return o
}

// The machines the tests write objects for, numbered from the psABIs
// (x86-64 psABI §3.6 and §4.4, DWARF register numbers in its table 3.36;
// AArch64 aaelf64 §5.7 and aadwarf64 §4.1) as a back end describes them
// (lower/x64/backend.go for x86-64). readelf, gdb and the LLVM tools check
// what the objects say with them.
var (
	machX86 = Machine{Arch: abi.X86_64, ELF: uint16(elf.EM_X86_64),
		RelPC32: uint32(elf.R_X86_64_PC32), RelAbs32: uint32(elf.R_X86_64_32), RelAbs64: uint32(elf.R_X86_64_64),
		EhFrameType: 0x70000001, // SHT_X86_64_UNWIND
		Frame:       Frame{CodeAlign: 1, DataAlign: -8, SP: 7, FP: 6, RA: 16, Entry: CFIRow{CFAReg: CFASP, CFAOffset: 8}}}
	machARM = Machine{Arch: abi.AArch64, ELF: uint16(elf.EM_AARCH64),
		RelPC32: uint32(elf.R_AARCH64_PREL32), RelAbs32: uint32(elf.R_AARCH64_ABS32), RelAbs64: uint32(elf.R_AARCH64_ABS64),
		EhFrameType: uint32(elf.SHT_PROGBITS), CodeMapping: "$x",
		Frame: Frame{CodeAlign: 4, DataAlign: -8, SP: 31, FP: 29, RA: 30, LinkReg: true, Entry: CFIRow{CFAReg: CFASP, CFAOffset: 0}}}
)
