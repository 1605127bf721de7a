package abi

// VMCtx layout. A vmctx is one instance's context: a block of non-Go memory
// owned by rt whose address never changes while the instance lives. Every
// wasm function receives its instance's vmctx as arg0 (RDI / X0).
//
//	Memories      16 bytes per memory: {base u64, length in bytes u64}
//	Tables        16 bytes per table:  {base u64, length in elements u64}
//	Globals       16 bytes per global: the value inline for a defined global;
//	              for an imported global the address of the exporter's slot
//	ImportedFuncs 16 bytes per imported function: {code u64, callee vmctx u64}
//	TypeIDs       4 bytes per module type: canonical signature id (call_indirect)
//	FuncRefs      8 bytes: address of the instance's funcref records
//	(tags)        8 bytes per tag from FuncRefs+8: its identity, a nonzero
//	              word unique to the tag instance (for an imported tag, the
//	              exporter's); only in modules that switch stacks (handler
//	              searches compare identities; VMCtxCounts.Tags). The
//	              layout records no offset for them (so the descriptors of
//	              other modules stay as they were): rt writes the
//	              identities whenever Size leaves room for them.
//
// rt keeps every copy of a memory's or table's {base, length} current: when
// a memory or table grows, rt rewrites the slots of every instance that
// defines or imports it (they are all stopped in an exit at that moment).
// Growing may move the memory or table (rt remaps it), so generated code
// must reload {base, length} after any call, host call or libcall; it may
// keep them in registers only across code that calls nothing.
type VMCtxLayout struct {
	Memories      uint32
	Tables        uint32
	Globals       uint32
	ImportedFuncs uint32
	TypeIDs       uint32
	FuncRefs      uint32
	Size          uint32 // total, a multiple of 16
}

// VMCtxCounts are the sizes the layout depends on.
type VMCtxCounts struct {
	Memories, Tables, Globals, ImportedFuncs, Types int

	Tags int // tags with an identity slot (0 unless the module switches stacks)
}

// Layout computes the vmctx layout for a module. The compiler and rt both
// call it; the result is also recorded in the descriptor.
func Layout(c VMCtxCounts) VMCtxLayout {
	var l VMCtxLayout
	off := uint32(0)
	l.Memories = off
	off += 16 * uint32(c.Memories)
	l.Tables = off
	off += 16 * uint32(c.Tables)
	l.Globals = off
	off += 16 * uint32(c.Globals)
	l.ImportedFuncs = off
	off += 16 * uint32(c.ImportedFuncs)
	l.TypeIDs = off
	off += 4 * uint32(c.Types)
	off = (off + 7) &^ 7
	l.FuncRefs = off
	off += 8
	off += 8 * uint32(c.Tags)
	l.Size = (off + 15) &^ 15
	return l
}

// MemoryBase is the vmctx offset of memory i's base address.
func (l VMCtxLayout) MemoryBase(i int) uint32 { return l.Memories + 16*uint32(i) }

// MemoryLen is the vmctx offset of memory i's length in bytes.
func (l VMCtxLayout) MemoryLen(i int) uint32 { return l.Memories + 16*uint32(i) + 8 }

// TableBase is the vmctx offset of table i's element array address.
func (l VMCtxLayout) TableBase(i int) uint32 { return l.Tables + 16*uint32(i) }

// TableLen is the vmctx offset of table i's length in elements.
func (l VMCtxLayout) TableLen(i int) uint32 { return l.Tables + 16*uint32(i) + 8 }

// Global is the vmctx offset of global i's slot.
func (l VMCtxLayout) Global(i int) uint32 { return l.Globals + 16*uint32(i) }

// ImportedFuncCode is the vmctx offset of imported function i's code address.
func (l VMCtxLayout) ImportedFuncCode(i int) uint32 { return l.ImportedFuncs + 16*uint32(i) }

// ImportedFuncVMCtx is the vmctx offset of imported function i's callee vmctx.
func (l VMCtxLayout) ImportedFuncVMCtx(i int) uint32 {
	return l.ImportedFuncs + 16*uint32(i) + 8
}

// TypeID is the vmctx offset of module type i's canonical id.
func (l VMCtxLayout) TypeID(i int) uint32 { return l.TypeIDs + 4*uint32(i) }

// Tag is the vmctx offset of tag i's identity.
func (l VMCtxLayout) Tag(i int) uint32 { return l.FuncRefs + 8 + 8*uint32(i) }

// HasTags reports whether the layout has room for the identities of n tags.
func (l VMCtxLayout) HasTags(n int) bool { return n == 0 || l.Tag(n) <= l.Size }
