package abi

// The register contracts between generated code and rt, per architecture,
// defined once: which register holds ectx, how the exit routine's save area
// is laid out, what a landing pad (exceptions, DESIGN.md §7) is entered
// with, and where a stack_switch payload travels (§6). Registers are named
// in Go assembler spelling; each back end checks in its tests that the code
// it emits matches its row (lower/x64 TestContract_matchesRuntime), and rt
// reads the host's row (ContractFor(HostArch())). A new back end adds a row.

// Contract is one architecture's register contract.
type Contract struct {
	Arch Arch
	// ECtx is the register pinned to the execution context in generated code.
	ECtx string
	// FP is the frame-pointer register; every wasm frame keeps a frame
	// record {saved FP, return address} at FP.
	FP string
	// ExitSave is the exit routine's save area on the native stack.
	ExitSave ExitSave
	// SwitchPayload is the register in which a stack_switch payload travels,
	// in both directions.
	SwitchPayload string
}

// ExitSave is the layout of the exit routine's save area, from
// ectx.NativeSP upwards: Regs (8 bytes each, the first at NativeSP), then
// the return address into the code that called the exit routine; resume
// restores exactly this and returns there. rt reads the exiting frame's FP
// and return address from it, and builds one to resume at a landing pad:
// every register slot zero but the FP, RetOff the pad. A landing pad is so
// entered with SP = the try_table frame's SP at the call, FP = its frame,
// ECtx = ectx, ectx.ExitArgs = the delivered values, and nothing else
// preserved (calls inside a try_table clobber every register).
type ExitSave struct {
	Regs   []string // saved registers, lowest address first
	FPOff  uintptr  // offset of the saved frame pointer (one of Regs)
	RetOff uintptr  // offset of the return address
	Size   uintptr  // size of the area
}

var contracts = []Contract{
	{
		Arch: X86_64,
		ECtx: "R15",
		FP:   "BP",
		ExitSave: ExitSave{
			Regs:   []string{"R14", "R13", "R12", "BX", "BP"},
			FPOff:  32,
			RetOff: 40,
			Size:   48,
		},
		SwitchPayload: "DI",
	},
}

// ContractFor returns the register contract of a, or nil when no back end
// for a exists yet.
func ContractFor(a Arch) *Contract {
	for i := range contracts {
		if contracts[i].Arch == a {
			return &contracts[i]
		}
	}
	return nil
}
