package abi

// Continuations (DESIGN.md §6; STACK-SWITCHING.md). rt owns the memory: a
// VMContRef is a block of non-Go memory with a fibre stack attached for
// life, never freed while its store lives (stale references must still
// find its revision). The generated code owns everything that happens on
// the stacks and does the bookkeeping of this file inline (frontend
// translate_cont.go); rt allocates records, grows payload buffers, and
// frees the continuations of an execution that ends with a trap.
//
// A continuation reference is the 16-byte fat pointer {VMContRef address,
// revision}; null has address 0. A consuming instruction compares the
// revision with ContRevision, traps TrapContConsumed on mismatch, and
// increments ContRevision; a new reference (cont.new, a suspension, a
// bind) carries the record's current revision.
//
// VMContRef fields (u64 each), the words a resume reads first in the
// first 64 bytes:
//
//	ContSusp       a control context {SP, FP, IP} (StackCtx*): for the root
//	               of a suspended chain the suspension point, where a
//	               resume or switch continues; for a fresh continuation
//	               its entry (cont.new); stale otherwise. It lives here,
//	               not on the fibre stack, so that a resume reads it from
//	               the record it checks anyway, not from a cold stack line
//	               (measured: c10m with 10,000 live continuations).
//	ContRevision   revision of the one valid reference
//	ContNArgs      slots of bound values in ContArgs after the header
//	ContLeaf       for the root of a suspended chain: the stack whose
//	               suspension point resumes it (the innermost); otherwise
//	               the record itself
//	ContStackTop   highest address of the fibre stack (16-byte aligned);
//	               the control context sits at ContStackTop-ContCtxSize
//	ContParent     while running: VMContRef of the stack that resumed it
//	               (0 = the execution's base stack); while suspended, for
//	               the root of the suspended chain: stale (its last
//	               resumer; the next resume sets it); on the free list:
//	               the next free record. When a stack returns or a chain
//	               suspends to a resume, the resume takes its current
//	               record back from the ContParent of the record the
//	               message names
//	ContHandlers   handler table of the resume running this stack (in the
//	               resumer's frame; see below)
//	ContStackLimit lowest SP a function on this stack may use (what the
//	               code stores in ectx.StackLimit while the stack runs)
//	ContState      ContFresh (cont.new) or ContLive (its entry ran) while a
//	               continuation owns the record, else ContReturned (it is
//	               on the store's free list)
//	ContFuncRef    the funcref record given to cont.new
//	ContArgs       payload buffer: ContArgsCap 8-byte slots, the message
//	               header, then the values bound by cont.bind (at least
//	               ContArgsMin slots from the record's creation, so a
//	               cont.bind of a fresh continuation within them needs no
//	               capacity check; grown by LibcallContArgs)
//	ContArgsCap    capacity of the payload buffer in slots
//	ContTag0       the tag identity of the first suspend clause of the
//	               ContHandlers table (0: it has none), which the search
//	               for a suspension's handler compares first, so the
//	               common innermost handler is found without reading the
//	               resumer's frame
const (
	ContSusp       = 0
	ContRevision   = 24
	ContNArgs      = 32
	ContLeaf       = 40
	ContStackTop   = 48
	ContParent     = 56
	ContHandlers   = 64
	ContStackLimit = 72
	ContState      = 80
	ContFuncRef    = 88
	ContArgs       = 96
	ContArgsCap    = 104
	ContTag0       = 112
	ContSize       = 120

	ContArgsMin = 8 // slots every payload buffer has (rt allocates them with the record)
)

// Continuation states (ContState).
const (
	ContReturned = 0 // the record is free: its continuation returned or was dropped
	ContLive     = 1 // a started continuation (running or suspended) owns the record
	ContFresh    = 2 // a continuation that never ran owns the record (resume_throw runs none of it)
)

// Control context and fibre start. The control context {SP, FP, IP}
// (StackCtx*) of a fibre is the top ContCtxSize bytes of its stack. While
// the fibre runs it holds where its resumer continues; its FP and IP words
// are then a frame record, the root frame of the fibre, so frame-pointer
// walks cross into the resumer. (A suspended chain's suspension point is
// in its root's ContSusp; the context keeps its last resumer's, stale.)
// cont.new prepares a fresh fibre to enter its entry function (one per
// function type, built by the frontend): its ContSusp holds SP =
// top-FibreEntrySP, FP = top-16 (the root frame record) and IP = the
// entry. The word at SP, the entry function's return address, is the
// back end's fibre-root stub + 1 (ir.OpFibreRoot): its unwind rows find
// the control context at that frame's SP + FibreRootCFA - ContCtxSize and
// take the resumer's SP (the CFA: a CFA expression that reads the SP word,
// the parent link, as corosensei does), IP and FP from it, so DWARF
// unwinders (gdb, perf --call-graph dwarf) cross into the resumer as
// frame-pointer walks do. (perf's DWARF call graphs still end in the first
// resumer: perf unwinds only in its copy of the sampled stack.)
const (
	ContCtxSize  = StackCtxSize
	FibreEntrySP = 40 // a fresh fibre's SP is ContStackTop - FibreEntrySP
	FibreEntryFP = 16 // its FP is ContStackTop - FibreEntryFP
	FibreRootCFA = FibreEntrySP - 8
)

// Switch messages. Every stack switch passes, in the payload register
// (Contract.SwitchPayload), the address of a message of 8-byte slots
// (8-byte aligned):
//
//	slot 0, 1  the header: unused (a gap, so that values bound by cont.bind
//	           sit where a message's values do)
//	slot 2…    the values (a continuation reference takes two slots)
//
// Going up to a resume (a suspension to one of its clauses, or a return),
// the record the message names — the root of the suspended chain, or the
// record that returned — and its kind, MsgReturn or 1+i for suspend clause
// i, travel in registers of their own (Contract.SwitchWho, SwitchKind;
// ir.SwitchUp), and the payload is 0 when there are no values. The
// resume continues with them in registers instead of loading what the
// other stack stored just before it switched.
//
// Going down (resume, switch) the payload is the address for values, or
// the address + MsgThrowBit for an exception to throw at the suspension
// point (slot 2 its exnref): the receiver tests the register, no memory.
//
// A message lives in the sender's frame (frame_area) or, when bound values
// precede the sender's, in the receiver's ContArgs; the receiver reads it
// before anything else runs.
const (
	MsgThrowBit = 1 // set in a downward payload: throw slot 2's exnref
	MsgReturn   = 0 // the kind of a return going up
	MsgHeader   = 2 // slots before the values
)

// Handler tables. A resume with at most one suspend clause and no switch
// clause has no table: ContHandlers is 0 and ContTag0 the clause's tag
// (0: none). Any other resume writes its table into its frame and points
// the resumed root's ContHandlers at it: slot 0 holds the number of suspend
// clauses (low 32 bits) and switch clauses (high 32 bits), then one tag
// identity (VMCtxLayout.Tags) per clause, the suspend clauses first, in
// clause order. A handler search walks the running chain from
// EctxContCurrent through ContParent and compares identities; 0 in
// ContParent ends the chain (the execution's base stack: a search never
// crosses into the host).

// Continuation libcalls (rows in libcall.go):
//
//   - LibcallContNew: no args → a VMContRef with a fibre stack, ContStackTop,
//     ContStackLimit and ContLeaf set, not on the free list. The code takes
//     records from the free list (EctxContFree) and exits only when it is
//     empty.
//   - LibcallContArgs: args (VMContRef, slots) → nothing: ContArgs has at
//     least that many slots afterwards, its old contents kept.

// FibreStackSize is the size of a fibre stack mapping (with a guard page at
// its low end); FibreRedZone is how far above the guard page ContStackLimit
// is.
const (
	FibreStackSize = 1 << 20
	FibreRedZone   = 32 << 10
)

// FibreRootFrame is the largest frame of a continuation's entry function
// (ir.Func.Root) that the back ends give no stack check: it is the first
// frame on a fresh fibre, and the smallest fibre stack leaves more room
// than that above ContStackLimit after its guard page, red zone and
// colour (rt's TestFibreRootFrame). The functions it calls check.
const FibreRootFrame = 16 << 10
