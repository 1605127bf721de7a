// Package objfile writes the ELF64 relocatable object (ET_REL) that wfxc
// produces for one module: a relocation-free .text and .rodata, symbols,
// .eh_frame unwind tables and, optionally, DWARF line and subprogram
// information. It knows nothing about IR or machines beyond the ELF and
// DWARF numbering of the two supported architectures.
//
// The object contract (DESIGN.md §3): code and data carry no relocations, so
// the Go internal linker (which drops .syso relocations in static builds) and
// any host linker agree on them. Only .eh_frame and .debug_* carry
// relocations, all against section symbols.
package objfile

import (
	"fmt"
	"math"
	"strings"
)

// Arch selects the target machine of an object.
type Arch uint8

// Supported target machines.
const (
	X86_64  Arch = iota + 1 // EM_X86_64
	AArch64                 // EM_AARCH64
)

// String returns the architecture's conventional name.
func (a Arch) String() string {
	switch a {
	case X86_64:
		return "x86-64"
	case AArch64:
		return "aarch64"
	}
	return fmt.Sprintf("Arch(%d)", uint8(a))
}

// Object is everything that goes into one relocatable object file.
type Object struct {
	Arch        Arch
	Text        []byte      // all code, already laid out and internally patched
	TextAlign   int         // alignment of .text; 0 means 16
	Rodata      []byte      // read-only data (the module descriptor)
	RodataAlign int         // alignment of .rodata; 0 means 16
	Symbols     []Symbol    // symbols defined in .text and .rodata
	FDEs        []FDE       // frame descriptions for .eh_frame
	Lines       []LineRow   // optional .debug_line rows (code offset → file/line)
	Funcs       []DebugFunc // optional .debug_info subprograms
	Name        string      // name of the DWARF compilation unit; "" means "wasm"
}

// Section names the section a symbol is defined in.
type Section uint8

// Sections a symbol may be defined in.
const (
	SecText   Section = iota + 1 // .text
	SecRodata                    // .rodata
)

// Symbol is one symbol defined in the object.
type Symbol struct {
	Name    string
	Section Section
	Off     uint64 // offset in the section
	Size    uint64
	Global  bool // STB_GLOBAL, else STB_LOCAL
	Func    bool // STT_FUNC (only in .text); otherwise STT_NOTYPE in .text, STT_OBJECT in .rodata
}

// FDE describes the frame of one code range [Off, Off+Size) of .text.
type FDE struct {
	Off, Size uint32
	Rows      []CFIRow // strictly increasing Off ≤ Size; before the first row the entry state holds
}

// CFIRow is the frame state from code offset Off (relative to the FDE's start)
// up to the next row. A row at Off == Size (the state after the last
// instruction) describes no code and is dropped. The entry state (before a function's first instruction
// runs) is CFA = SP+8 on x86-64 and CFA = SP+0 on aarch64, FP not saved. The return address is always at CFA-8 on x86-64; on
// aarch64 it is in LR until FPSaved, and then LR is at CFA-8 and FP at CFA-16.
type CFIRow struct {
	Off       uint32
	CFAReg    uint8 // CFASP or CFAFP
	CFAOffset int32 // CFA = CFAReg + CFAOffset; must be ≥ 0
	FPSaved   bool  // the caller's frame pointer is at CFA-16
	// CFAExpr, when not empty, is a DWARF expression computing the CFA
	// (DW_CFA_def_cfa_expression) and replaces CFAReg and CFAOffset; see
	// CFAExprDeref. Fibre roots use it to find the resumer's frame.
	CFAExpr string // raw expression bytes; a string keeps CFIRow comparable
}

// Values of CFIRow.CFAReg.
const (
	CFASP uint8 = 1 // the stack pointer
	CFAFP uint8 = 2 // the frame pointer (RBP / X29)
)

// LineRow maps the code from Off (a .text offset) up to the next row to a
// source position. Line may be a wasm byte offset.
type LineRow struct {
	Off  uint32
	File string
	Line uint32
}

// DebugFunc is one function described in .debug_info.
type DebugFunc struct {
	Name      string
	Off, Size uint32
}

// validate checks o and returns the first problem found.
func (o *Object) validate() error {
	if o.Arch != X86_64 && o.Arch != AArch64 {
		return fmt.Errorf("objfile: unsupported architecture %v", o.Arch)
	}
	if len(o.Text) > math.MaxUint32 {
		return fmt.Errorf("objfile: .text is %d bytes, want at most %d", len(o.Text), uint32(math.MaxUint32))
	}
	for _, a := range []struct {
		name string
		v    int
	}{{".text", o.TextAlign}, {".rodata", o.RodataAlign}} {
		if a.v < 0 || a.v&(a.v-1) != 0 {
			return fmt.Errorf("objfile: %s alignment %d is not a power of two", a.name, a.v)
		}
	}
	if strings.IndexByte(o.Name, 0) >= 0 {
		return fmt.Errorf("objfile: unit name %q contains a NUL byte", o.Name)
	}
	globals := make(map[string]int)
	for i, s := range o.Symbols {
		if s.Name == "" {
			return fmt.Errorf("objfile: symbol %d has an empty name", i)
		}
		if strings.IndexByte(s.Name, 0) >= 0 {
			return fmt.Errorf("objfile: symbol %d (%q) contains a NUL byte", i, s.Name)
		}
		var size uint64
		switch s.Section {
		case SecText:
			size = uint64(len(o.Text))
		case SecRodata:
			size = uint64(len(o.Rodata))
			if s.Func {
				return fmt.Errorf("objfile: symbol %q: function symbol in .rodata", s.Name)
			}
		default:
			return fmt.Errorf("objfile: symbol %q: bad section %d", s.Name, s.Section)
		}
		if s.Off > size || s.Size > size-s.Off {
			return fmt.Errorf("objfile: symbol %q: range [%d, %d+%d) exceeds section size %d", s.Name, s.Off, s.Off, s.Size, size)
		}
		if s.Global {
			if j, dup := globals[s.Name]; dup {
				return fmt.Errorf("objfile: global symbol %q defined twice (symbols %d and %d)", s.Name, j, i)
			}
			globals[s.Name] = i
		}
	}
	for i, f := range o.FDEs {
		if err := f.validate(o.Arch, uint64(len(o.Text))); err != nil {
			return fmt.Errorf("objfile: FDE %d: %v", i, err)
		}
	}
	for i, l := range o.Lines {
		if uint64(l.Off) >= uint64(len(o.Text)) {
			return fmt.Errorf("objfile: line row %d: offset %d outside .text (size %d)", i, l.Off, len(o.Text))
		}
		if l.File == "" || strings.IndexByte(l.File, 0) >= 0 {
			return fmt.Errorf("objfile: line row %d: bad file name %q", i, l.File)
		}
	}
	for i, f := range o.Funcs {
		if f.Name == "" || strings.IndexByte(f.Name, 0) >= 0 {
			return fmt.Errorf("objfile: debug function %d: bad name %q", i, f.Name)
		}
		if uint64(f.Off)+uint64(f.Size) > uint64(len(o.Text)) {
			return fmt.Errorf("objfile: debug function %q: range [%d, %d+%d) exceeds .text size %d", f.Name, f.Off, f.Off, f.Size, len(o.Text))
		}
	}
	return nil
}

// validate checks one FDE against the code size.
func (f *FDE) validate(arch Arch, textSize uint64) error {
	if f.Size == 0 {
		return fmt.Errorf("empty code range at %d", f.Off)
	}
	if uint64(f.Off)+uint64(f.Size) > textSize {
		return fmt.Errorf("range [%d, %d+%d) exceeds .text size %d", f.Off, f.Off, f.Size, textSize)
	}
	align := codeAlign(arch)
	for i, r := range f.Rows {
		if r.Off > f.Size {
			return fmt.Errorf("row %d: offset %d outside the range of size %d", i, r.Off, f.Size)
		}
		if i > 0 && r.Off <= f.Rows[i-1].Off {
			return fmt.Errorf("row %d: offset %d not after the previous row's %d", i, r.Off, f.Rows[i-1].Off)
		}
		if r.Off%align != 0 {
			return fmt.Errorf("row %d: offset %d is not a multiple of %d", i, r.Off, align)
		}
		if len(r.CFAExpr) > 0 {
			continue
		}
		if r.CFAReg != CFASP && r.CFAReg != CFAFP {
			return fmt.Errorf("row %d: bad CFA register %d, want 1 (SP) or 2 (FP)", i, r.CFAReg)
		}
		if r.CFAOffset < 0 {
			return fmt.Errorf("row %d: negative CFA offset %d", i, r.CFAOffset)
		}
	}
	return nil
}
