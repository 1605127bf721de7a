// Package abi is the one contract between the compiler and the runtime:
// execution-context (ectx) field offsets, exit codes, trap codes, the
// libcall table, the instance-context (vmctx) layout, the register
// contract per architecture, symbol names and the module descriptor
// format. Both sides import it; nothing here runs generated code.
//
// Execution model (DESIGN.md §3). Go calls the object's enter trampoline,
// which saves the host's callee-saved registers and SP in the ectx, switches
// to a native stack and calls a wasm function. Generated code never calls Go:
// whatever needs Go (host import, memory.grow, preemption, trap) stores its
// arguments in the ectx and calls the exit routine, which saves the native
// callee-saved registers on the native stack and its SP in the ectx and
// returns to the Go caller of enter/resume with an exit code. Go services
// the exit and calls resume, which restores the native state and returns
// into the generated code.
//
// Which registers hold ectx and the frame pointer, which ones generated
// code never writes, the exit routine's save area, what a landing pad is
// entered with and where a stack_switch payload travels: one Contract row
// per architecture (contract.go). Every call passes the callee's vmctx as
// arg0 of the back end's calling convention.
package abi

// Ectx field offsets (bytes). The ectx is a block of at least EctxSize bytes
// of non-Go memory owned by rt, one per execution (store/thread).
const (
	EctxHostSP     = 0   // host SP saved by enter/resume; exit switches back to it
	EctxNativeSP   = 8   // native SP saved by exit; resume switches back to it
	EctxStackLimit = 16  // lowest SP a wasm function may use (prologue check)
	EctxStackTop   = 24  // where enter starts the native stack (16-byte aligned)
	EctxExitCode   = 32  // why generated code exited (Exit*)
	EctxExitArg    = 40  // exit argument: trap code, import index, …
	EctxExitArgs   = 48  // pointer to the argument/result buffer of the exit (u64 slots)
	EctxExitVMCtx  = 56  // vmctx of the instance that exited (host calls and libcalls)
	EctxTrapPC     = 64  // PC of the trapping instruction (return address for calls)
	EctxTrapFP     = 72  // frame pointer of the trapping function
	EctxG          = 80  // Go g pointer of the entering goroutine, polled at GStackguard0; dummy in C hosts
	EctxInterrupt  = 88  // nonzero: an interrupt is pending (rt's flag; generated code does not read it)
	EctxScratch    = 96  // 8 words of scratch used by trampolines/stubs
	EctxSize       = 256 // bytes to reserve for an ectx

	// Stack switching (cont.go).
	EctxContCurrent = 160 // the VMContRef running the code; 0 on the execution's base stack (a nested execution starts with 0)
	EctxContFree    = 168 // head of the store's free list of VMContRefs (linked through ContParent)

	// Fuel (objects compiled with fuel metering only): minus the fuel
	// left. Code adds each block's cost and traps TrapOutOfFuel at
	// function entries and loop headers once it is above 0.
	EctxFuel = 176
)

// GStackguard0 is the offset of stackguard0 in Go's runtime.g, and
// StackPreempt the value Go stores there to ask a goroutine to stop.
// Generated code compares *(ectx.G + GStackguard0) == StackPreempt at
// function entries and loop headers (DESIGN.md §3, preemption) and exits
// with ExitYield when equal. To interrupt an execution, rt sets
// EctxInterrupt and points ectx.G at words whose GStackguard0 slot holds
// StackPreempt, so one compare serves both.
const (
	GStackguard0 = 16
	StackPreempt = 0xfffffffffffffade // uintptr(-1314)
)

// Exit codes: what enter/resume return to Go.
const (
	ExitDone     = 0 // the entered function returned; results are in the args buffer
	ExitTrap     = 1 // a trap: ExitArg = trap code, TrapPC/TrapFP say where
	ExitHostCall = 2 // call host import ExitArg of instance ExitVMCtx with args at ExitArgs
	ExitYield    = 3 // preemption/interrupt poll: Go may schedule, then resume
	ExitLibcall  = 4 // runtime service ExitArg (Libcall*) with args at ExitArgs
)

// Trap codes (ExitArg when ExitCode == ExitTrap). The messages are the spec
// interpreter's wording, which the spec tests match.
const (
	TrapUnreachable = iota + 1
	TrapIntDivByZero
	TrapIntOverflow
	TrapInvalidConversion
	TrapMemoryOutOfBounds
	TrapTableOutOfBounds
	TrapIndirectCallNull
	TrapIndirectCallType
	TrapNullReference
	TrapStackOverflow
	TrapUnhandledTag
	TrapContConsumed
	TrapInterrupted
	TrapUndefinedElement // call_indirect index out of bounds
	TrapNullFuncRef      // call_ref of null
	TrapNullExnRef       // throw_ref of null
	TrapNullCont         // a continuation instruction on a null reference
	TrapOutOfFuel        // the fuel budget is used up (fuel metering)
	TrapCount
)

// TrapMessages maps a trap code to its message.
var TrapMessages = [TrapCount]string{
	0:                     "unknown trap",
	TrapUnreachable:       "unreachable",
	TrapIntDivByZero:      "integer divide by zero",
	TrapIntOverflow:       "integer overflow",
	TrapInvalidConversion: "invalid conversion to integer",
	TrapMemoryOutOfBounds: "out of bounds memory access",
	TrapTableOutOfBounds:  "out of bounds table access",
	TrapIndirectCallNull:  "uninitialized element",
	TrapIndirectCallType:  "indirect call type mismatch",
	TrapNullReference:     "null reference",
	TrapStackOverflow:     "call stack exhausted",
	TrapUnhandledTag:      "unhandled tag",
	TrapContConsumed:      "continuation already consumed",
	TrapInterrupted:       "interrupted",
	TrapUndefinedElement:  "undefined element",
	TrapNullFuncRef:       "null function reference",
	TrapNullExnRef:        "null exception reference",
	TrapNullCont:          "null continuation reference",
	TrapOutOfFuel:         "all fuel consumed",
}

// Symbol names in an object for module name m (m is a C identifier).
//
//	wfx_<m>_enter(ectx, fn, vmctx, args) uint64   — SysV; returns an exit code
//	wfx_<m>_resume(ectx) uint64                   — SysV; returns an exit code
//	wfx_<m>_text                                  — start of the module's code
//	wfx_<m>_descriptor                            — the encoded Descriptor (in .rodata)
//	wfx_<m>_descriptor_size                       — 8-byte little-endian size of it
//
// Every function also gets a local STT_FUNC symbol with its name.
func SymEnter(m string) string          { return "wfx_" + m + "_enter" }
func SymResume(m string) string         { return "wfx_" + m + "_resume" }
func SymText(m string) string           { return "wfx_" + m + "_text" }
func SymDescriptor(m string) string     { return "wfx_" + m + "_descriptor" }
func SymDescriptorSize(m string) string { return "wfx_" + m + "_descriptor_size" }
