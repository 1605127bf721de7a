package abi

// More libcalls (ExitArg when ExitCode == ExitLibcall), numbered apart
// from LibcallMemoryGrow. For every libcall the generated code sets
// ExitVMCtx to its own vmctx and ExitArgs to a buffer of u64 slots holding
// the arguments; rt writes the results from slot 0 and resumes. Indices
// (memory, table, data, elem) are in the index spaces of that instance.
// "status" results are 0 on success or a Trap* code, which the code then
// raises at its own site (rt changes nothing when it reports a trap,
// except where the spec says partial writes happen — none of these).
const (
	LibcallTableGrow  = 16 + iota // table, delta, init value → old length or -1 (u64)
	LibcallMemoryInit             // memory, data segment, dst, src, n → status
	LibcallDataDrop               // data segment → (nothing)
	LibcallTableInit              // table, elem segment, dst, src, n → status
	LibcallElemDrop               // elem segment → (nothing)
	LibcallTableCopy              // dst table, src table, dst, src, n → status
	LibcallTableFill              // table, dst, value, n → status
	LibcallMemoryCopy             // dst memory, src memory, dst, src, n → status
	LibcallMemoryFill             // memory, dst, byte value, n → status
	LibcallSubtype                // type id a, type id b → 1 if a <: b (declared subtyping), else 0
	LibcallEnd                    // one past the last libcall of this block
)
