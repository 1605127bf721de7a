package lower

// The seam between the compile driver and a target's code generator
// (DESIGN.md §2). compile picks a Backend for the target architecture from
// the registry (lower/backends) and asks it for everything that depends on
// the machine: the code of every function, the runtime routines, export
// wrappers and host-call stubs, how to patch a Fixup once the code is laid
// out and what fills the gaps between pieces of code, and the ELF and DWARF
// numbering of the object. Nothing outside a back end's package knows an
// instruction encoding.

import (
	"wfxc/ir"
	"wfxc/objfile"
	"wfxc/rt/abi"
)

// Backend generates machine code for one architecture.
type Backend interface {
	// Arch is the architecture the code is for.
	Arch() abi.Arch
	// CompileFunc compiles one wasm function; its errors name the function.
	CompileFunc(f *ir.Func) (*Compiled, error)
	// Runtime returns the runtime routines (enter, resume, exit, poll,
	// trap), indexed by the Runtime* constants.
	Runtime() [NumRuntime]*Compiled
	// Wrapper returns the array-call wrapper through which the host calls
	// function fn (abi.Descriptor's calling conventions).
	Wrapper(name string, params, results []ir.Type, fn int) *Compiled
	// HostCallStub returns the wasm-callable code of imported function
	// importIndex, which exits to the host to run it.
	HostCallStub(name string, params, results []ir.Type, importIndex int) *Compiled
	// PatchFixup stores in text, the laid-out code, the reference of a
	// Fixup at offset at to the code at offset target; it fails if the
	// reference does not fit at at or cannot reach target.
	PatchFixup(text []byte, at, target uint32) error
	// CodeAlign is the alignment of every placed piece of code and of the
	// code section.
	CodeAlign() int
	// Pad appends n bytes of code that traps if run, which fill the gaps
	// between pieces of code; n is a multiple of the instruction size.
	Pad(text []byte, n int) []byte
	// Registers returns the register file as the allocator sees it: the
	// allocatable registers, the callee-saved set, the register classes and
	// each value's clobbers. NoReg and Hint are nil: they depend on how
	// CompileFunc lowers one function.
	Registers() *Config
	// Machine returns the ELF and DWARF numbering of the object's machine:
	// e_machine, relocation types, and the CFI register numbers and CIE
	// alignment factors.
	Machine() objfile.Machine
}

// StackCheck reports whether function f, with a frame of size bytes below
// its frame record, checks the stack limit in its prologue: every function
// but a continuation's entry (ir.Func.Root) with a frame of at most
// abi.FibreRootFrame, the first frame on a fresh fibre.
func StackCheck(f *ir.Func, size int64) bool {
	return !f.Root || size > abi.FibreRootFrame
}

// SwitchMsgMoves are the moves of the message a tuple-typed stack_switch
// v receives (ir.SwitchUp: payload, who, kind) out of the back end's
// message registers msg into the locations of the results read (nil when
// v is not tuple-typed).
func SwitchMsgMoves(v *ir.Value, a *Allocation, msg [3]Reg, loc func(*ir.Value) Loc, move func(dst, src Loc, v *ir.Value) Move) []Move {
	var ms []Move
	if v.Type != ir.Tuple {
		return nil
	}
	for _, r := range a.Results[v] {
		if r.Uses > 0 {
			ms = append(ms, move(loc(r), RegLoc(msg[r.Aux]), r))
		}
	}
	return ms
}

// SwitchDisps is the displacement of the control context from each
// stack_switch pointer, store_ctx's and load_ctx's: the stack tops
// (ir.SwitchStoreTop, ir.SwitchLoadTop) are abi.ContCtxSize above theirs.
func SwitchDisps(v *ir.Value) (store, load int64) {
	if v.Aux2&ir.SwitchStoreTop != 0 {
		store = -abi.ContCtxSize
	}
	if v.Aux2&ir.SwitchLoadTop != 0 {
		load = -abi.ContCtxSize
	}
	return store, load
}
