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
// Tables (DESIGN.md §5). Elements are 8 bytes. Elements of function
// tables (element type in the func hierarchy) are lazily initialised and
// stored tagged: 0 means "not initialised yet" — the generated code then
// calls LibcallTableElem, which materialises the element from the table's
// initial contents and stores it — and any other value is record|1, so an
// explicitly stored null is 1 and stays null. Elements of other tables
// (externref) hold the value itself, 0 = null. call_indirect is: bounds
// check against the table length (trap "undefined element"), load, lazy
// slow path if 0, untag, trap "uninitialized element" if null, compare
// FuncRefTypeID with the caller's TypeID, call FuncRefCode with FuncRefVMCtx.
// Funcref records are created on first use too: FuncRefCode == 0 means
// "not created yet" (LibcallFuncRef creates it).
const (
	FuncRefCode   = 0
	FuncRefTypeID = 8
	FuncRefVMCtx  = 16
	FuncRefSize   = 24
)

// TableElemSize is the size in bytes of a funcref/externref table element.
const TableElemSize = 8

// TableElemInit is the tag bit of an initialised function-table element.
const TableElemInit = 1

// The lazy paths exit with LibcallTableElem (materialise an element) and
// LibcallFuncRef (create a record); their rows are in libcall.go.
