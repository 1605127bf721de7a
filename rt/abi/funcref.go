package abi

// Function references (DESIGN.md §5). A funcref value — in a local, a
// global, a table element or an argument slot — is the address of a funcref
// record, or 0 for null. rt owns the records: every instance has one record
// per function of its index space, in an array whose address is stored at
// vmctx offset Layout.FuncRefs (so ref.func i is FuncRefs + i*FuncRefSize;
// an imported function's record describes the function it resolved to).
//
//	FuncRefCode   u64: address of the function's code (wasm convention)
//	FuncRefTypeID u64: canonical signature id (the same id rt writes in the
//	                   vmctx TypeIDs of every module that has that type)
//	FuncRefVMCtx  u64: the callee vmctx to pass as arg0
//
// Table elements are 8 bytes for funcref/externref tables; rt initialises
// every element eagerly (0 = null), so call_indirect is: bounds check
// against the table length, load the element, trap "uninitialized element"
// if 0, compare FuncRefTypeID with the caller's TypeID, call FuncRefCode
// with FuncRefVMCtx.
const (
	FuncRefCode   = 0
	FuncRefTypeID = 8
	FuncRefVMCtx  = 16
	FuncRefSize   = 24
)

// TableElemSize is the size in bytes of a funcref/externref table element.
const TableElemSize = 8
