package abi

import (
	"bytes"
	"encoding/gob"
	"fmt"
)

// DescriptorVersion changes whenever the Descriptor's meaning changes.
const DescriptorVersion = 1

// DescriptorVersionCPU is the version of a descriptor whose code needs CPU
// features (Descriptor.CPU is not zero): a runtime from before that field
// refuses it instead of running the code on a CPU that may lack them.
// Descriptors of baseline code keep DescriptorVersion.
const DescriptorVersionCPU = 2

// VersionFor returns the version of a descriptor of code needing cpu.
func VersionFor(cpu CPUFeatures) int {
	if cpu != 0 {
		return DescriptorVersionCPU
	}
	return DescriptorVersion
}

// A Descriptor is everything rt needs to instantiate and run a compiled
// module: it is stored, encoded with Encode, in the object's .rodata under
// SymDescriptor. Code offsets are relative to SymText.
//
// Calling conventions recorded here:
//   - Array-call wrapper (Func.Wrapper): wrapper(vmctx, args *[N]u64), SysV.
//     It loads the parameters from consecutive 8-byte slots (a v128 takes
//     two), calls the function, and stores the results into the same buffer
//     from slot 0. The buffer has max(param slots, result slots) slots.
//   - Host-call stub (Func.Code of an imported function): a wasm-convention
//     function that stores its parameters into a buffer of 8-byte slots on
//     its frame, sets ectx ExitArgs/ExitArg (import index among functions)/
//     ExitVMCtx/ExitCode=ExitHostCall, exits, and after resume returns the
//     results the host wrote into the same buffer from slot 0.
type Descriptor struct {
	Version  int
	Name     string // module name (a C identifier), used in symbol names
	Arch     Arch   // the code's architecture; rt refuses another than its own
	Types    []FuncType
	Funcs    []Func // imported functions first, in import order
	Imports  []Import
	Memories []Memory // imported memories first
	Tables   []Table  // imported tables first
	Globals  []Global // imported globals first
	Tags     []Tag    // imported tags first (may be empty in older descriptors)
	Exports  []Export
	Start    int64 // function index, or -1
	Data     []Data
	Elems    []Elem
	Layout   VMCtxLayout
	Sites    []Site    // sorted by CodeOff: PC → wasm position, for traps and backtraces
	Handlers []Handler // try_table call sites, sorted by RetOff (exn.go)
	EnterOff uint32    // offset of the enter trampoline
	Resume   uint32    // offset of the resume trampoline
	// GuardPages: the code has no bounds checks for the accesses to 32-bit
	// memories whose static offset and size fit in GuardBytes, and relies
	// on every 32-bit memory it defines or imports being a guard-page
	// reservation (rt refuses others); a fault in the code resumes at the
	// trap routine at TrapOff (CX = trap code, AX = faulting PC).
	GuardPages bool
	TrapOff    uint32
	// CPU: the extensions beyond the architecture's baseline that the code
	// may use (compile.Options.CPU); rt refuses to load it on a host
	// without every one. Not zero only in descriptors of version
	// DescriptorVersionCPU.
	CPU CPUFeatures
}

// Guard-page memories (Descriptor.GuardPages): a reservation of
// GuardReserve bytes, the first 4 GiB for the memory's pages and the rest a
// guard that is never accessible, so any 32-bit address plus an offset and
// access size up to GuardBytes faults instead of reaching other memory.
const (
	GuardBytes   = 2 << 30
	GuardReserve = 4<<30 + GuardBytes
)

// ValType is a value type: the low byte is the wasm binary code (0x7F i32,
// 0x7E i64, 0x7D f32, 0x7C f64, 0x7B v128, 0x63 ref null, 0x64 ref); for
// references bits 8.. hold the heap type as a signed value (a type index ≥ 0,
// or the negative s33 code of an abstract heap type, e.g. -0x10 func).
type ValType uint64

// Code returns the binary code of a value type.
func (t ValType) Code() byte { return byte(t) }

// Heap returns the heap type of a reference type.
func (t ValType) Heap() int64 { return int64(t) >> 8 }

// MakeRefType builds a reference ValType.
func MakeRefType(nullable bool, heap int64) ValType {
	code := uint64(0x64)
	if nullable {
		code = 0x63
	}
	return ValType(uint64(heap)<<8 | code)
}

// Slots is the number of 8-byte slots a value of this type takes in an
// argument buffer.
func (t ValType) Slots() int {
	switch t.Code() {
	case 0x7B:
		return 2
	}
	return 1
}

// SlotsIn is Slots for a type of a module with types: a continuation
// reference (cont, nocont, or a concrete continuation type) takes two.
func (t ValType) SlotsIn(types []FuncType) int {
	if c := t.Code(); c == 0x63 || c == 0x64 {
		switch h := t.Heap(); {
		case h == -0x18 || h == -0x0B:
			return 2
		case h >= 0 && h < int64(len(types)) && types[h].Kind == 3:
			return 2
		}
	}
	return t.Slots()
}

// FuncType is a function signature. Non-function types of the module are
// recorded with Kind != 0 and no params/results.
type FuncType struct {
	Kind    byte // 0 func, 1 struct, 2 array, 3 cont
	Params  []ValType
	Results []ValType

	// Type identity (Wasm 3.0 iso-recursive types), used by rt to
	// canonicalise types across modules and check import subtyping. The
	// zero values describe a plain final type in a rec group of its own,
	// so host-made FuncTypes and descriptors without this information
	// keep working.
	NonFinal bool     // declared (sub …) without final
	Supers   []uint32 // declared supertypes (type indices)
	RecStart uint32   // index of the first type of its rec group
	RecSize  uint32   // size of its rec group; 0 = a group of one

	// Fields of a struct type (one per field) or an array type (one);
	// for a cont type, one field whose type is (ref <its function type>).
	// Packed storage types use their binary codes (0x78 i8, 0x77 i16).
	Fields []Field
}

// Field is a struct or array field type.
type Field struct {
	Type    ValType
	Mutable bool
}

// Func is one function of the module's function index space.
type Func struct {
	Type     uint32
	Name     string
	Code     uint32 // code offset (for an imported function: its host-call stub)
	Size     uint32
	Wrapper  uint32 // array-call wrapper offset, or NoCode
	Imported bool
}

// NoCode marks a missing code offset.
const NoCode = ^uint32(0)

// Extern kinds, as in the binary format.
const (
	ExternFunc   = 0
	ExternTable  = 1
	ExternMemory = 2
	ExternGlobal = 3
	ExternTag    = 4
)

// Import is one import; Index is the index in its kind's space (the
// function, table, memory, global or tag it defines).
type Import struct {
	Module, Name string
	Kind         byte
	Index        uint32
}

// Memory is a memory's type.
type Memory struct {
	Min, Max uint64 // in pages
	HasMax   bool
	Is64     bool
	Shared   bool
	PageLog2 uint8 // 16 unless custom page sizes
	Imported bool
}

// Table is a table's type and, for a defined table, its initial element.
type Table struct {
	Elem     ValType
	Min, Max uint64
	HasMax   bool
	Is64     bool
	Imported bool
	Init     []byte // constant expression (binary, ending in 0x0B); nil = null
}

// Global is a global's type and, for a defined global, its initialiser.
type Global struct {
	Type     ValType
	Mutable  bool
	Imported bool
	Init     []byte // constant expression (binary, ending in 0x0B)
}

// Tag is an exception/control tag: its type is a function type (params
// only).
type Tag struct {
	Type     uint32
	Imported bool
}

// Export is one export.
type Export struct {
	Name  string
	Kind  byte
	Index uint32
}

// Segment modes.
const (
	SegActive      = 0
	SegPassive     = 1
	SegDeclarative = 2
)

// Data is a data segment.
type Data struct {
	Mode   byte
	Memory uint32
	Offset []byte // constant expression
	Bytes  []byte
}

// Elem is an element segment; every item is a constant expression.
type Elem struct {
	Mode   byte
	Table  uint32
	Offset []byte
	Type   ValType
	Items  [][]byte
}

// Site maps a code offset (a trap instruction, or a call's return address)
// to the function and wasm byte offset it came from.
type Site struct {
	CodeOff uint32
	Func    uint32
	WasmOff uint32
}

// Encode serialises a descriptor. The encoding is deterministic.
func (d *Descriptor) Encode() ([]byte, error) {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(d); err != nil {
		return nil, fmt.Errorf("encode descriptor: %w", err)
	}
	return buf.Bytes(), nil
}

// DecodeDescriptor parses an encoded descriptor.
func DecodeDescriptor(b []byte) (*Descriptor, error) {
	var d Descriptor
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&d); err != nil {
		return nil, fmt.Errorf("decode descriptor: %w", err)
	}
	if d.Version != VersionFor(d.CPU) {
		return nil, fmt.Errorf("descriptor version %d, want %d", d.Version, VersionFor(d.CPU))
	}
	return &d, nil
}
