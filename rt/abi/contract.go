package abi

// The register contracts between generated code and rt, per architecture,
// defined once: which register holds ectx, how the exit routine's save area
// is laid out, what a landing pad (exceptions, DESIGN.md §7) is entered
// with, and where a stack_switch payload travels (§6). Registers are named
// in Go assembler spelling; each back end checks in its tests that the code
// it emits matches its row (lower/x64 TestContract_matchesRuntime), and rt
// reads the host's row (ContractFor(HostArch())). A new architecture adds a
// row here, not prose elsewhere.

// Contract is one architecture's register contract.
type Contract struct {
	Arch Arch
	// ECtx is the register pinned to the execution context in generated code.
	ECtx string
	// FP is the frame-pointer register; every wasm frame keeps a frame
	// record {saved FP, return address} at FP.
	FP string
	// LR is the link register a call writes the return address to, or ""
	// where a call pushes it on the stack (x86-64).
	LR string
	// Reserved are the registers generated code never writes (besides the
	// stack pointer): rt, Go's runtime or the platform rely on them.
	Reserved []string
	// ExitSave is the exit routine's save area on the native stack.
	ExitSave ExitSave
	// SwitchPayload is the register in which a stack_switch payload travels,
	// in both directions; SwitchWho and SwitchKind those of the record a
	// message going up to a resume names and of its kind (cont.go).
	SwitchPayload, SwitchWho, SwitchKind string
}

// ExitSave is the layout of the exit routine's save area, from
// ectx.NativeSP upwards: Regs (8 bytes each, the first at NativeSP), then
// the return address into the code that called the exit routine at RetOff
// (so {FP, return address} end the area as a frame record), then padding
// up to Size, which keeps the stack pointer 16-byte aligned. Regs are the
// registers generated code may hold values in across its call of the exit
// routine (the convention's callee-saved ones but ECtx, which resume
// reloads, and the Reserved ones). Resume restores exactly this and
// returns there. rt reads the exiting frame's FP and return address from
// it, and builds one to resume at a landing pad: every slot zero but the
// FP, RetOff the pad. A landing pad is so entered with SP = the try_table
// frame's SP at the call, FP = its frame, ECtx = ectx, ectx.ExitArgs = the
// delivered values, and nothing else preserved (the values a landing pad
// reads live in the frame's memory).
type ExitSave struct {
	Regs   []string // saved registers, lowest address first
	FPOff  uintptr  // offset of the saved frame pointer (one of Regs)
	RetOff uintptr  // offset of the return address
	Size   uintptr  // size of the area
}

// contracts has a row per architecture; registers in Go assembler spelling
// (golang-asm's obj.Rconv), which TestContract_rows checks for consistency.
var contracts = []Contract{
	{
		// SysV callee-saved RBX, RBP, R12–R15; R15 is ectx. No XMM
		// register is callee-saved. R14 and X15 are free: the ABI0 shim
		// restores Go's.
		Arch: X86_64,
		ECtx: "R15",
		FP:   "BP",
		ExitSave: ExitSave{
			Regs:   []string{"R14", "R13", "R12", "BX", "BP"},
			FPOff:  32,
			RetOff: 40,
			Size:   48,
		},
		SwitchPayload: "DI", // arg0 of the SysV convention
		SwitchWho:     "SI", // arg1
		SwitchKind:    "DX", // arg2
	},
	{
		// DESIGN.md §3: X21 = ectx, X29 = FP, X30 = LR. Never written: X28
		// (Go's g, which the non-cgo signal trampoline trusts), X18 (the
		// platform register), X27 (golang-asm's implicit scratch). Saved by
		// exit: the AAPCS64 callee-saved X19, X20, X22–X26 and D8–D15 (their
		// low 64 bits, F8–F15), then the frame record {X29, X30}, padded to
		// 16 bytes. For the aarch64 back end to implement and check, as
		// lower/x64 TestContract_matchesRuntime does for x86-64.
		Arch:     AArch64,
		ECtx:     "R21",
		FP:       "R29",
		LR:       "R30",
		Reserved: []string{"R18", "R27", "R28"},
		ExitSave: ExitSave{
			Regs: []string{
				"R19", "R20", "R22", "R23", "R24", "R25", "R26",
				"F8", "F9", "F10", "F11", "F12", "F13", "F14", "F15",
				"R29",
			},
			FPOff:  120,
			RetOff: 128,
			Size:   144,
		},
		SwitchPayload: "R0", // arg0 of AAPCS64, as RDI on x86-64
		SwitchWho:     "R1",
		SwitchKind:    "R2",
	},
}

// ContractFor returns the register contract of a, or nil when a has none.
func ContractFor(a Arch) *Contract {
	for i := range contracts {
		if contracts[i].Arch == a {
			return &contracts[i]
		}
	}
	return nil
}
