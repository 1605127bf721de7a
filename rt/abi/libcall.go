package abi

// Libcalls: runtime services the generated code asks rt for by exiting with
// ExitLibcall and ExitArg = the libcall's index. The code sets ExitVMCtx to
// its own vmctx and ExitArgs to a buffer of u64 slots holding the
// arguments; rt runs the service and writes the result (if any) to slot 0,
// then resumes the code. Indices of memories, tables, data and element
// segments and tags are in the index spaces of that instance.
//
// This file is the one table of them: index, name, and signature. The ir
// verifier checks every OpLibcall site against its row (ir/verify_libcall.go);
// rt dispatches from it (rt/libcall.go) and a test checks that every row has
// a handler. A libcall is added here, and nowhere else is it numbered.
// Indices are part of the object format: never renumber one.
const (
	LibcallMemoryGrow = 1 // memory, delta pages → old size in pages or -1

	LibcallTableGrow  = 16 // table, delta, init value → old length or -1
	LibcallMemoryInit = 17 // memory, data segment, dst, src, n → status
	LibcallDataDrop   = 18 // data segment → nothing
	LibcallTableInit  = 19 // table, element segment, dst, src, n → status
	LibcallElemDrop   = 20 // element segment → nothing
	LibcallTableCopy  = 21 // dst table, src table, dst, src, n → status
	LibcallTableFill  = 22 // table, dst, value, n → status
	LibcallMemoryCopy = 23 // dst memory, src memory, dst, src, n → status
	LibcallMemoryFill = 24 // memory, dst, byte value, n → status
	LibcallSubtype    = 25 // type id a, type id b → 1 if a <: b (declared subtyping), else 0

	LibcallTableElem = 48 // vmctx offset of a function table's {base,len}, index → its funcref, initialised (funcref.go)
	LibcallFuncRef   = 49 // function index → address of its funcref record, created on first use (funcref.go)

	LibcallContNew       = 64 // → a new VMContRef with a fibre stack, not on the free list (cont.go)
	LibcallContArgs      = 66 // VMContRef, slots → nothing; its payload buffer holds that many slots (cont.go)
	LibcallTableGrowCont = 67 // table.grow of a continuation table: table, delta, init VMContRef, its revision → old length or -1
	LibcallTableFillCont = 68 // table.fill of a continuation table: table, dst, VMContRef, n, its revision → status

	LibcallThrow    = 80 // tag, payload address, payload slots → does not return (exn.go)
	LibcallThrowRef = 81 // exnref (nonzero) → does not return (exn.go)
	LibcallExnNew   = 82 // tag, payload address, payload slots → a new exnref (resume_throw; exn.go)

	NumLibcalls = 96 // one past the largest index
)

// SlotKind is what a libcall argument or result slot holds, as the IR sees it.
// The zero value is SlotUnknown, so a row that forgets its result fails
// TestLibcalls_table instead of silently returning nothing.
type SlotKind uint8

const (
	SlotUnknown  SlotKind = iota // missing: no row may use it
	SlotNone                     // result: nothing (rt writes no slot)
	SlotU64                      // an integer (an IR i64; i32 operands are zero-extended by the site)
	SlotRef                      // a reference or an address (an IR ref)
	SlotIndex                    // result: an index or size in the index type of the memory or table (IR i32 or i64)
	SlotStatus                   // result: 0, or a Trap* code the site raises (IR i32)
	SlotNoReturn                 // result: the libcall does not return to its site (it unwinds; rt writes no slot)
	NumSlotKinds
)

// IsArg reports whether k may describe an argument slot.
func (k SlotKind) IsArg() bool { return k == SlotU64 || k == SlotRef }

// HasValue reports whether a result of kind k is a value rt writes to
// slot 0 (and the site reads).
func (k SlotKind) HasValue() bool {
	return k == SlotU64 || k == SlotRef || k == SlotIndex || k == SlotStatus
}

// LibcallSig is a libcall's row: its name and signature.
type LibcallSig struct {
	Name   string
	Args   []SlotKind // one u64 slot each, from slot 0
	Result SlotKind   // written to slot 0 when Result.HasValue()
}

// MaxLibcallArgs is the most argument slots a row may have.
const MaxLibcallArgs = 8

// Libcalls is the table, indexed by libcall index; rows with an empty Name
// are unused indices.
var Libcalls = [NumLibcalls]LibcallSig{
	LibcallMemoryGrow:    {"memory.grow", []SlotKind{SlotU64, SlotU64}, SlotIndex},
	LibcallTableGrow:     {"table.grow", []SlotKind{SlotU64, SlotU64, SlotRef}, SlotIndex},
	LibcallMemoryInit:    {"memory.init", []SlotKind{SlotU64, SlotU64, SlotU64, SlotU64, SlotU64}, SlotStatus},
	LibcallDataDrop:      {"data.drop", []SlotKind{SlotU64}, SlotNone},
	LibcallTableInit:     {"table.init", []SlotKind{SlotU64, SlotU64, SlotU64, SlotU64, SlotU64}, SlotStatus},
	LibcallElemDrop:      {"elem.drop", []SlotKind{SlotU64}, SlotNone},
	LibcallTableCopy:     {"table.copy", []SlotKind{SlotU64, SlotU64, SlotU64, SlotU64, SlotU64}, SlotStatus},
	LibcallTableFill:     {"table.fill", []SlotKind{SlotU64, SlotU64, SlotRef, SlotU64}, SlotStatus},
	LibcallMemoryCopy:    {"memory.copy", []SlotKind{SlotU64, SlotU64, SlotU64, SlotU64, SlotU64}, SlotStatus},
	LibcallMemoryFill:    {"memory.fill", []SlotKind{SlotU64, SlotU64, SlotU64, SlotU64}, SlotStatus},
	LibcallSubtype:       {"subtype", []SlotKind{SlotU64, SlotU64}, SlotU64},
	LibcallTableElem:     {"table.elem", []SlotKind{SlotU64, SlotU64}, SlotRef},
	LibcallFuncRef:       {"funcref", []SlotKind{SlotU64}, SlotRef},
	LibcallContNew:       {"cont.new", nil, SlotRef},
	LibcallContArgs:      {"cont.args", []SlotKind{SlotRef, SlotU64}, SlotNone},
	LibcallTableGrowCont: {"table.grow_cont", []SlotKind{SlotU64, SlotU64, SlotRef, SlotU64}, SlotIndex},
	LibcallTableFillCont: {"table.fill_cont", []SlotKind{SlotU64, SlotU64, SlotRef, SlotU64, SlotU64}, SlotStatus},
	LibcallThrow:         {"throw", []SlotKind{SlotU64, SlotRef, SlotU64}, SlotNoReturn},
	LibcallThrowRef:      {"throw_ref", []SlotKind{SlotRef}, SlotNoReturn},
	LibcallExnNew:        {"exn.new", []SlotKind{SlotU64, SlotU64, SlotU64}, SlotRef},
}

// Libcall returns the row of libcall index i, or nil if i names none.
func Libcall(i int64) *LibcallSig {
	if i < 0 || i >= NumLibcalls || Libcalls[i].Name == "" {
		return nil
	}
	return &Libcalls[i]
}
