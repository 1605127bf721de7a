package abi

// Exceptions (DESIGN.md §7: throw, throw_ref, try_table, exnref), unwound
// by rt in Go.
//
// throw: the code stores the payload (the tag's parameters, one u64 slot
// each, a v128 two) in a buffer and exits with ExitLibcall LibcallThrow,
// args (tag index in its instance, payload buffer address, payload slot
// count); throw_ref exits with LibcallThrowRef, args (exnref) — the code
// traps on a null exnref itself. Neither returns where it exited.
//
// rt walks the frame-pointer chain from the throwing frame (the one that
// called the exit routine) outwards. A return address inside a try_table
// body has a Handler (Descriptor.Handlers, sorted by RetOff; for nested
// try_tables the inner clauses come first). rt reads the frame's vmctx
// from [FP - VMCtxOff], matches the clauses in order (a tag clause matches
// when the clause's tag, in that instance, is the exception's tag) and on
// the first match resumes the code at the clause's Pad with
//
//	SP = FP - SPOff (the frame's SP at the call), FP, the ectx register,
//	ectx.ExitArgs = address of the delivered values: the payload slots,
//	then (CatchTagRef, CatchAllRef) the exnref; nothing else preserved
//	(the registers of each architecture: Contract in contract.go)
//
// (so the values a landing pad reads live in the frame's memory, and a
// function with a try_table keeps the callee-saved registers it does not
// save in its prologue in frame words, which its landing pads reload: its
// epilogue restores its caller's after a landing too; calls inside a
// try_table clobber what any call does). Without a match rt continues with the caller; when the
// chain ends (the entry trampoline) the call from Go fails with an
// *rt.Exception ("uncaught exception"), and a host function may return
// such an error to throw into its wasm caller. An exnref is a nonzero
// handle into the store's exception table, owned by rt, which recycles
// handles no root holds any more (rt/exnref.go says which roots and who
// owns an exception's payload); generated code treats it as an opaque
// pointer-sized reference.
type Handler struct {
	RetOff   uint32 // text offset of a return address inside a try_table body
	SPOff    uint32 // the frame's SP at that call is FP - SPOff
	VMCtxOff uint32 // the frame keeps its vmctx at [FP - VMCtxOff]
	Clauses  []Catch
}

// Catch is one catch clause of a try_table.
type Catch struct {
	Kind uint8  // Catch*
	Tag  uint32 // tag index in the module (CatchTag, CatchTagRef)
	Pad  uint32 // text offset of the landing pad
}

// Catch clause kinds, in binary-format order.
const (
	CatchTag    = 0
	CatchTagRef = 1
	CatchAll    = 2
	CatchAllRef = 3
)

// The exit routine's save area and the registers a landing pad is entered
// with are described per architecture in contract.go.

// The exception libcalls, LibcallThrow and LibcallThrowRef, are rows of
// libcall.go.
