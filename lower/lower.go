package lower

// Compiled is machine code for one function, wrapper, stub or runtime routine.
type Compiled struct {
	Name   string
	Code   []byte
	Fixups []Fixup  // references to other code, patched by the back end after layout
	Sites  []Site   // PC → wasm offset: every trap branch site and every call's return address
	CFI    []CFIRow // how to find the CFA at each code offset (for .eh_frame)
	// SignalFrame marks the CFI as a signal frame's (objfile.FDE.Signal):
	// the caller's frame is on another stack (the enter trampoline).
	SignalFrame bool
	Lines       []Site // PC → wasm offset where the code of each IR value with a position starts (for .debug_line), by Off
	// Handlers are the call sites inside try_tables, by RetOff (DESIGN.md §7).
	Handlers []Handler
}

// Handler is a call site whose exceptions a try_table may catch: rt finds
// it by the call's return address while it unwinds (rt/abi exn.go).
type Handler struct {
	RetOff   uint32          // code offset of the call's return address
	SPOff    uint32          // the frame's SP at the call is FP - SPOff
	VMCtxOff uint32          // the frame keeps its vmctx at [FP - VMCtxOff]
	Clauses  []HandlerClause // innermost try_table first
}

// HandlerClause is one catch clause of a Handler.
type HandlerClause struct {
	Kind uint8  // abi.CatchTag, CatchTagRef, CatchAll or CatchAllRef
	Tag  uint32 // tag index, for the tag kinds
	Pad  uint32 // code offset of the landing pad
}

// TargetKind says what a Fixup refers to.
type TargetKind uint8

const (
	TargetFunc    TargetKind = iota + 1 // a wasm function's code, Index = function index
	TargetRuntime                       // a runtime routine, Index = Runtime* constant
)

// Fixup is a reference from Code to another piece of code (a function or a
// runtime routine) that the back end patches once the driver has laid the
// code out (Backend.PatchFixup); on x86-64 it is a rel32 field.
type Fixup struct {
	Off   uint32 // offset in Code of the reference
	Kind  TargetKind
	Index int
}

// Site maps a code offset to a wasm byte offset: Off is the return address
// of a call, or the PC recorded in ectx.TrapPC for a trap.
type Site struct {
	Off uint32
	Pos int32
}

// CFIRow says how to find the canonical frame address from Off onwards.
type CFIRow struct {
	Off       uint32 // code offset from which this row holds
	CFAReg    uint8  // CFARegSP or CFARegFP
	CFAOffset int32  // CFA = reg + CFAOffset
	FPSaved   bool   // caller's frame pointer saved at CFA-16 (return address is always at CFA-8)
	// CFAExpr, when not empty, is a DWARF expression computing the CFA
	// (objfile.CFIRow.CFAExpr) and replaces CFAReg and CFAOffset.
	CFAExpr string
	// Rules, when not empty, are register rules of the row
	// (objfile.CFIRow.Rules): where the caller's return address and frame
	// pointer are when not at CFA-8 and CFA-16.
	Rules string
}

// CFA base registers of a CFIRow.
const (
	CFARegSP = 1 // stack pointer
	CFARegFP = 2 // frame pointer
)

// Runtime routine indices (Fixup.Index with TargetRuntime).
const (
	RuntimeEnter    = iota // enter(ectx, fn, vmctx, args) exit code, SysV
	RuntimeResume          // resume(ectx) exit code, SysV
	RuntimeExit            // exit to the host with ectx.ExitCode; called by generated code
	RuntimePollExit        // exit with ExitYield preserving every register
	RuntimeTrap            // store a trap (code and PC in registers) and exit
	// RuntimeFibreRoot is never executed: its address + 1 is the return
	// address of every fibre's root frame (ir.OpFibreRoot), and its unwind
	// rows say where that frame's caller, the resumer, continues: from
	// the fibre's control context at SP + FibreRootCFA - ContCtxSize
	// (rt/abi cont.go), the CFA is the resumer's SP read from the
	// context's SP word (the parent link), the return address and the
	// saved frame pointer are the context's IP and FP words.
	RuntimeFibreRoot
	NumRuntime
)
