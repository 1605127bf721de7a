// Package objfile writes the ELF64 relocatable object (ET_REL) that wfxc
// produces for one module: a relocation-free .text and .rodata, symbols,
// .eh_frame unwind tables and, optionally, DWARF line and subprogram
// information. It knows nothing about IR or machines: the ELF and DWARF
// numbering of the target comes in Object.Machine, from its back end.
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

	"wfxc/rt/abi"
)

// Machine is everything in an object that depends on the target machine:
// its ELF and DWARF numbering. The back end of the target provides it
// (lower.Backend.Machine); objfile keeps no table of machines.
type Machine struct {
	Arch abi.Arch // the architecture, named in errors
	ELF  uint16   // e_machine (EM_X86_64, EM_AARCH64)
	// Relocation types of .eh_frame and .debug_* against section symbols.
	RelPC32  uint32 // 32-bit S+A-P
	RelAbs32 uint32 // 32-bit S+A
	RelAbs64 uint32 // 64-bit S+A
	// EhFrameType is the sh_type of .eh_frame: SHT_X86_64_UNWIND on
	// x86-64, as GNU as writes it, SHT_PROGBITS elsewhere.
	EhFrameType uint32
	// CodeMapping is the mapping symbol that marks .text as code ("$x" on
	// aarch64, AArch64 ELF ABI §5.5.4), or "" for none.
	CodeMapping string
	Frame       Frame
}

// Frame is a machine's call-frame numbering for .eh_frame: DWARF register
// numbers and the CIE's alignment factors and entry state.
type Frame struct {
	CodeAlign uint32 // code alignment factor: the instruction size unit, which CFI row offsets respect
	DataAlign int32  // data alignment factor: saved registers are at multiples of it from the CFA (-8)
	SP, FP    uint8  // DWARF numbers of the stack and frame pointer
	RA        uint8  // return address column
	// LinkReg says the return address arrives in register RA (a link
	// register) and is saved at CFA-8 with the frame pointer; otherwise the
	// call left it at CFA-8.
	LinkReg bool
	Entry   CFIRow // frame state at a function's first instruction (the CIE's initial instructions)
}

// Object is everything that goes into one relocatable object file.
type Object struct {
	Machine     Machine     // the target machine, from its back end
	Text        []byte      // all code, already laid out and internally patched
	TextAlign   int         // alignment of .text; 0 means 16
	Rodata      []byte      // read-only data (the module descriptor)
	RodataAlign int         // alignment of .rodata; 0 means 16
	Symbols     []Symbol    // symbols defined in .text and .rodata
	FDEs        []FDE       // frame descriptions for .eh_frame
	Lines       []LineRow   // optional .debug_line rows (code offset → file/line)
	Funcs       []DebugFunc // optional .debug_info subprograms
	Name        string      // name of the DWARF compilation unit; "" means "wasm"
	// Language is the unit's DW_AT_language, that of the source the lines
	// map to; 0 means assembly (DW_LANG_Mips_Assembler).
	Language uint16
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
	// Signal marks the frame as a signal frame (CIE augmentation "S"):
	// its caller's frame is on another stack, so debuggers must not
	// expect the caller's CFA above this one's (gdb stops at "previous
	// frame inner to this frame" otherwise), and its PC is not a return
	// address. The enter trampoline's frame is one.
	Signal bool
}

// CFIRow is the frame state from code offset Off (relative to the FDE's start)
// up to the next row. A row at Off == Size (the state after the last
// instruction) describes no code and is dropped. The entry state (before a function's first instruction
// runs) is Machine.Frame.Entry, e.g. CFA = SP+8 on x86-64 and CFA = SP+0 on aarch64, FP not saved. The return
// address is at CFA-8 throughout, or (Frame.LinkReg, aarch64) in the link register until FPSaved, and then
// at CFA-8, with FP at CFA-16.
type CFIRow struct {
	Off       uint32
	CFAReg    uint8 // CFASP or CFAFP
	CFAOffset int32 // CFA = CFAReg + CFAOffset; must be ≥ 0
	FPSaved   bool  // the caller's frame pointer is at CFA-16
	// CFAExpr, when not empty, is a DWARF expression computing the CFA
	// (DW_CFA_def_cfa_expression) and replaces CFAReg and CFAOffset; see
	// CFAExprDeref. Fibre roots use it to find the resumer's frame.
	CFAExpr string // raw expression bytes; a string keeps CFIRow comparable
	// Rules, when not empty, are raw call frame instructions that give
	// registers rules of their own (RuleSavedAt, RuleInReg) from this row
	// on: where a frame keeps its caller's return address and frame
	// pointer other than at CFA-8 and CFA-16 (a fibre root's are in the
	// control context, the trap stub's return address is in a register).
	// Once a row has Rules, every later row of the FDE has the same.
	Rules string
}

// Values of CFIRow.CFAReg; Frame.SP and Frame.FP give their DWARF numbers.
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
	// End ends a sequence at Off (DW_LNE_end_sequence): the code from
	// Off up to the next row has no line. File and Line are not used.
	End bool
	// PrologueEnd marks the row as the end of a function's prologue
	// (DW_LNS_set_prologue_end), where debuggers break on the function.
	PrologueEnd bool
}

// DebugFunc is one function described in .debug_info.
type DebugFunc struct {
	Name      string
	Off, Size uint32
}

// validate checks o and returns the first problem found.
func (o *Object) validate() error {
	if err := o.Machine.validate(); err != nil {
		return err
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
		if err := f.validate(&o.Machine.Frame, uint64(len(o.Text))); err != nil {
			return fmt.Errorf("objfile: FDE %d: %v", i, err)
		}
	}
	for i, l := range o.Lines {
		if uint64(l.Off) >= uint64(len(o.Text)) {
			return fmt.Errorf("objfile: line row %d: offset %d outside .text (size %d)", i, l.Off, len(o.Text))
		}
		if !l.End && (l.File == "" || strings.IndexByte(l.File, 0) >= 0) {
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

// validate checks that m describes a supported machine completely.
func (m *Machine) validate() error {
	if !m.Arch.Valid() {
		return fmt.Errorf("objfile: unsupported architecture %v", m.Arch)
	}
	if m.ELF == 0 || m.RelPC32 == 0 || m.RelAbs32 == 0 || m.RelAbs64 == 0 || m.EhFrameType == 0 {
		return fmt.Errorf("objfile: %v: incomplete ELF numbering (machine %d, relocations %d/%d/%d, .eh_frame type %#x)",
			m.Arch, m.ELF, m.RelPC32, m.RelAbs32, m.RelAbs64, m.EhFrameType)
	}
	// Saved registers are at CFA-8 and CFA-16: both must be factorable.
	if fr := &m.Frame; fr.CodeAlign == 0 || fr.DataAlign >= 0 || 8%-fr.DataAlign != 0 {
		return fmt.Errorf("objfile: %v: bad CIE alignment factors (code %d, data %d)", m.Arch, fr.CodeAlign, fr.DataAlign)
	}
	return nil
}

// validate checks one FDE against the code size.
func (f *FDE) validate(fr *Frame, textSize uint64) error {
	if f.Size == 0 {
		return fmt.Errorf("empty code range at %d", f.Off)
	}
	if uint64(f.Off)+uint64(f.Size) > textSize {
		return fmt.Errorf("range [%d, %d+%d) exceeds .text size %d", f.Off, f.Off, f.Size, textSize)
	}
	align := fr.CodeAlign
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
		if i > 0 && f.Rows[i-1].Rules != "" && r.Rules != f.Rows[i-1].Rules {
			return fmt.Errorf("row %d: register rules differ from the previous row's, which cannot be undone", i)
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
