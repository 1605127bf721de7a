// Package frontend reads WebAssembly: the binary decoder (a file per
// section), the validator, and translation of function bodies to SSA IR.
package frontend

// Value type binary codes.
const (
	CodeI32     = 0x7F
	CodeI64     = 0x7E
	CodeF32     = 0x7D
	CodeF64     = 0x7C
	CodeV128    = 0x7B
	CodeI8      = 0x78 // packed storage type
	CodeI16     = 0x77 // packed storage type
	CodeRefNull = 0x63 // (ref null ht)
	CodeRef     = 0x64 // (ref ht)
)

// HeapType is a heap type: a type index (≥ 0) or an abstract heap type,
// represented by the negative s33 value of its binary code (e.g. HeapFunc =
// -0x10 is byte 0x70).
type HeapType int64

// Abstract heap types.
const (
	HeapNoExn    HeapType = -0x0C // 0x74
	HeapNoCont   HeapType = -0x0B // 0x75
	HeapNoFunc   HeapType = -0x0D // 0x73
	HeapNoExtern HeapType = -0x0E // 0x72
	HeapNone     HeapType = -0x0F // 0x71
	HeapFunc     HeapType = -0x10 // 0x70
	HeapExtern   HeapType = -0x11 // 0x6F
	HeapAny      HeapType = -0x12 // 0x6E
	HeapEq       HeapType = -0x13 // 0x6D
	HeapI31      HeapType = -0x14 // 0x6C
	HeapStruct   HeapType = -0x15 // 0x6B
	HeapArray    HeapType = -0x16 // 0x6A
	HeapExn      HeapType = -0x17 // 0x69
	HeapCont     HeapType = -0x18 // 0x68
)

// ValType is a value type. Shorthand reference types are normalised:
// funcref is {CodeRefNull, HeapFunc}. Packed storage types (i8, i16) only
// appear in FieldType.
type ValType struct {
	Code byte     // CodeI32 … CodeV128, CodeRefNull, CodeRef, CodeI8, CodeI16
	Heap HeapType // for references
}

// Common value types.
var (
	I32       = ValType{Code: CodeI32}
	I64       = ValType{Code: CodeI64}
	F32       = ValType{Code: CodeF32}
	F64       = ValType{Code: CodeF64}
	V128      = ValType{Code: CodeV128}
	FuncRef   = ValType{Code: CodeRefNull, Heap: HeapFunc}
	ExternRef = ValType{Code: CodeRefNull, Heap: HeapExtern}
)

// IsRef reports whether t is a reference type.
func (t ValType) IsRef() bool { return t.Code == CodeRefNull || t.Code == CodeRef }

// Nullable reports whether t is a nullable reference type.
func (t ValType) Nullable() bool { return t.Code == CodeRefNull }

// CompKind is the kind of a composite type.
type CompKind byte

// Composite type kinds.
const (
	CompFunc CompKind = iota
	CompStruct
	CompArray
	CompCont
)

// FieldType is a struct field or array element type.
type FieldType struct {
	Type    ValType // may be packed (CodeI8, CodeI16)
	Mutable bool
}

// CompType is a composite type.
type CompType struct {
	Kind    CompKind
	Params  []ValType   // func
	Results []ValType   // func
	Fields  []FieldType // struct; array: Fields[0] is the element
	Cont    uint32      // cont: index of the function type
}

// SubType is one entry of the type index space.
type SubType struct {
	Final    bool
	Supers   []uint32
	Comp     CompType
	RecStart uint32 // index of the first type of its rec group
	RecSize  uint32 // size of its rec group (1 for a type outside rec)
	Offset   int    // byte offset of the type's definition
}

// Limits of a memory or table.
type Limits struct {
	Min, Max uint64
	HasMax   bool
	Is64     bool // memory64 / table64 address type
	Shared   bool
	PageLog2 uint8 // custom page size (memory); 16 by default
}

// TableType is a table's type.
type TableType struct {
	Elem   ValType
	Limits Limits
}

// GlobalType is a global's type.
type GlobalType struct {
	Type    ValType
	Mutable bool
}

// ExternKind is an import/export kind.
type ExternKind byte

// Extern kinds.
const (
	ExternFunc   ExternKind = 0
	ExternTable  ExternKind = 1
	ExternMemory ExternKind = 2
	ExternGlobal ExternKind = 3
	ExternTag    ExternKind = 4
)

// Import is one import; the field that matters depends on Kind.
type Import struct {
	Module, Name string
	Kind         ExternKind
	Type         uint32 // func, tag: type index
	Table        TableType
	Memory       Limits
	Global       GlobalType
	Offset       int // byte offset of the import entry
}

// ConstExpr is a constant expression: its instructions in binary, including
// the final 0x0B, and the byte offset where they start.
type ConstExpr struct {
	Code   []byte
	Offset int
}

// Table is a defined table.
type Table struct {
	Type TableType
	Init *ConstExpr // nil: initialised with null
}

// Global is a defined global.
type Global struct {
	Type GlobalType
	Init ConstExpr
}

// Export is one export.
type Export struct {
	Name   string
	Kind   ExternKind
	Index  uint32
	Offset int // byte offset of the export entry
}

// SegMode is the mode of an element or data segment.
type SegMode byte

// Segment modes.
const (
	SegActive SegMode = iota
	SegPassive
	SegDeclarative
)

// Elem is an element segment. Function-index forms are normalised to
// expressions (ref.func i).
type Elem struct {
	Mode   SegMode
	Table  uint32
	Offset ConstExpr
	Type   ValType
	Init   []ConstExpr
}

// Data is a data segment.
type Data struct {
	Mode   SegMode
	Memory uint32
	Offset ConstExpr
	Init   []byte
}

// LocalDecl declares Count locals of one type.
type LocalDecl struct {
	Count uint32
	Type  ValType
}

// Code is a function body.
type Code struct {
	Locals     []LocalDecl
	Body       []byte // instructions, including the final 0x0B
	BodyOffset int    // byte offset of Body[0] in the module
	Offset     int    // byte offset of the code entry (its size field)
}

// Custom is a custom section.
type Custom struct {
	Name   string
	Data   []byte
	Offset int // byte offset of Data[0]
}

// Module is a decoded module. Index spaces list imports first.
type Module struct {
	Types     []SubType
	Imports   []Import
	Funcs     []uint32 // type index of each defined function
	Tables    []Table
	Memories  []Limits
	Globals   []Global
	Tags      []uint32 // type index of each defined tag
	Exports   []Export
	Start     int64 // function index, or -1
	Elems     []Elem
	DataCount int64 // -1 when there is no data count section
	Codes     []Code
	Datas     []Data
	Customs   []Custom

	// From the name section (when present and well-formed).
	ModuleName string
	FuncNames  map[uint32]string

	// Index spaces, set by Validate (imports first): the type index of
	// every function and tag, and the type of every table, memory and
	// global, for O(1) lookups.
	FuncTypeIdx []uint32
	TagTypeIdx  []uint32
	TableTypes  []TableType
	MemoryTypes []Limits
	GlobalTypes []GlobalType

	// CanonTypes is set by Validate: for each type index, the index of the
	// first type equal to it (iso-recursive equality of rec groups), so
	// types a and b are the same type iff CanonTypes[a] == CanonTypes[b].
	CanonTypes []uint32

	// SectionOffsets holds the byte offset of each non-custom section's id
	// byte, indexed by section id (0 when the section is absent).
	SectionOffsets [14]int
	// CodeOffset is the byte offset of the code section's contents (its
	// function count), the origin of the addresses in the module's DWARF.
	CodeOffset int

	// StackSwitching is set by Validate when a function body contains a
	// stack-switching instruction (cont.new … switch).
	StackSwitching bool

	// Counts of imports per kind.
	NumImportedFuncs, NumImportedTables, NumImportedMemories, NumImportedGlobals, NumImportedTags int
}

// NumFuncs is the size of the function index space.
func (m *Module) NumFuncs() int { return m.NumImportedFuncs + len(m.Funcs) }

// FuncTypeIndex returns the type index of function f (imported or defined).
func (m *Module) FuncTypeIndex(f uint32) uint32 {
	if int(f) < len(m.FuncTypeIdx) { // filled by Validate
		return m.FuncTypeIdx[f]
	}
	if int(f) < m.NumImportedFuncs {
		n := 0
		for _, im := range m.Imports {
			if im.Kind == ExternFunc {
				if n == int(f) {
					return im.Type
				}
				n++
			}
		}
	}
	return m.Funcs[int(f)-m.NumImportedFuncs]
}

// FuncType returns the signature of function f.
func (m *Module) FuncType(f uint32) *CompType {
	return &m.Types[m.FuncTypeIndex(f)].Comp
}

// TagType returns the function type of tag g (imported or defined); the
// module must be validated.
func (m *Module) TagType(g uint32) *CompType {
	return &m.Types[m.TagTypeIdx[g]].Comp
}

// GlobalType returns the type of global g (imported or defined).
func (m *Module) GlobalType(g uint32) GlobalType {
	if int(g) < len(m.GlobalTypes) { // filled by Validate
		return m.GlobalTypes[g]
	}
	if int(g) < m.NumImportedGlobals {
		n := 0
		for _, im := range m.Imports {
			if im.Kind == ExternGlobal {
				if n == int(g) {
					return im.Global
				}
				n++
			}
		}
	}
	return m.Globals[int(g)-m.NumImportedGlobals].Type
}

// MemoryType returns the limits of memory i (imported or defined).
func (m *Module) MemoryType(i uint32) Limits {
	if int(i) < len(m.MemoryTypes) { // filled by Validate
		return m.MemoryTypes[i]
	}
	if int(i) < m.NumImportedMemories {
		n := 0
		for _, im := range m.Imports {
			if im.Kind == ExternMemory {
				if n == int(i) {
					return im.Memory
				}
				n++
			}
		}
	}
	return m.Memories[int(i)-m.NumImportedMemories]
}

// TableType returns the type of table i (imported or defined).
func (m *Module) TableType(i uint32) TableType {
	if int(i) < len(m.TableTypes) { // filled by Validate
		return m.TableTypes[i]
	}
	if int(i) < m.NumImportedTables {
		n := 0
		for _, im := range m.Imports {
			if im.Kind == ExternTable {
				if n == int(i) {
					return im.Table
				}
				n++
			}
		}
	}
	return m.Tables[int(i)-m.NumImportedTables].Type
}

// NumGlobals is the size of the global index space.
func (m *Module) NumGlobals() int { return m.NumImportedGlobals + len(m.Globals) }

// NumMemories is the size of the memory index space.
func (m *Module) NumMemories() int { return m.NumImportedMemories + len(m.Memories) }

// NumTables is the size of the table index space.
func (m *Module) NumTables() int { return m.NumImportedTables + len(m.Tables) }

// BlockType is a block's type: a value-type shorthand or a type index.
type BlockType struct {
	Empty bool
	Val   ValType // when !Empty and Index < 0
	Index int64   // type index, or -1
}
