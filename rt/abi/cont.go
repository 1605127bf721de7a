package abi

// Continuations (DESIGN.md §6; STACK-SWITCHING.md). rt owns the memory:
// a VMContRef is a block of non-Go memory that is never freed while its
// store lives (stale references must still find its revision), and each
// live continuation has a fibre stack from rt's pool. The generated code
// owns everything that happens on the stacks (control contexts, the start
// stub, stack_switch); rt only allocates, recycles and walks them.
//
// A continuation reference is the 16-byte fat pointer {VMContRef address,
// revision}; null has address 0. A consuming instruction compares the
// revision with ContRevision, traps TrapContConsumed on mismatch, and
// increments ContRevision.
//
// VMContRef fields (u64 each):
//
//	ContRevision   revision of the current owner reference
//	ContState      ContFresh, ContRunning, ContSuspended or ContReturned
//	ContStackTop   highest address of the fibre stack (16-byte aligned);
//	               the 24-byte control context {SP, FP, IP} sits at
//	               ContStackTop-ContCtxSize (DESIGN.md §6)
//	ContStackLimit lowest SP a function on this stack may use (what the
//	               code stores in ectx.StackLimit while the stack runs)
//	ContParent     while running: VMContRef of the resumer (0 = the
//	               store's main stack); otherwise 0
//	ContFuncRef    the funcref given to cont.new (0 once started)
//	ContArgs       address of the payload buffer: ContArgsCap 16-byte slots
//	               (arguments, then results / suspension payloads)
//	ContArgsCap    capacity of the payload buffer in slots
//	ContHandlers   free for the code's handler bookkeeping (2 words)
const (
	ContRevision   = 0
	ContState      = 8
	ContStackTop   = 16
	ContStackLimit = 24
	ContParent     = 32
	ContFuncRef    = 40
	ContArgs       = 48
	ContArgsCap    = 56
	ContHandlers   = 64
	ContSize       = 96

	ContCtxSize = 24 // control context {SP, FP, IP} below ContStackTop
)

// Continuation states (ContState).
const (
	ContFresh     = 0
	ContRunning   = 1
	ContSuspended = 2
	ContReturned  = 3
)

// Continuation libcalls (rows in libcall.go):
//
//   - LibcallContNew: args (funcref, payload slots) → address of a
//     VMContRef in state ContFresh with a fibre stack, ContFuncRef set, a
//     payload buffer of at least that many 16-byte slots, and its
//     revision unchanged (the caller builds the fat pointer from it). The
//     code then initialises the control context for its start stub.
//   - LibcallContFree: args (VMContRef) → nothing. The continuation has
//     returned (or been dropped): rt recycles its stack and payload
//     buffer, sets ContReturned and increments ContRevision, so every
//     remaining reference traps TrapContConsumed.

// FibreStackSize is the size of a fibre stack mapping (with a guard page at
// its low end); FibreRedZone is how far above the guard page ContStackLimit
// is.
const (
	FibreStackSize = 1 << 20
	FibreRedZone   = 32 << 10
)
