// DWARF 4 debug information (https://dwarfstd.org/doc/DWARF4.pdf): one
// compilation unit covering all of .text.
//
// .debug_info holds a DW_TAG_compile_unit (producer, name, low_pc = .text+0,
// high_pc = size of .text, stmt_list when there are line rows) with one
// DW_TAG_subprogram child per DebugFunc (name, low_pc, high_pc as a length,
// frame_base = DW_OP_call_frame_cfa). Strings live in .debug_str. Every
// cross-section reference is relocated, so the object stays correct when a
// linker concatenates it with others:
//
//	.debug_info  CU abbrev offset   → .debug_abbrev  (32-bit absolute)
//	             DW_FORM_strp       → .debug_str     (32-bit absolute)
//	             DW_AT_stmt_list    → .debug_line    (32-bit absolute)
//	             DW_AT_low_pc       → .text          (64-bit absolute)
//	.debug_line  DW_LNE_set_address → .text          (64-bit absolute)
//
// The relocated fields also hold the addend itself, the value they have when
// the sections sit at address 0 (so a reader that ignores relocations still
// sees section offsets).
//
// .debug_line is one sequence (DWARF 4 §6.2): set_address .text+0, then per
// row (stably sorted by offset) set_file when the file changes and either a
// special opcode or advance_line/advance_pc/copy, and finally advance_pc to
// the end of .text and end_sequence. Files are numbered from 1 in order of
// first use; there are no include directories. For example rows
// {0 a.wasm 10} {4 a.wasm 12} become:
//
//	set_address .text; advance_line 9; copy; special(line +2, addr +4);
//	advance_pc; end_sequence

package objfile

import (
	"encoding/binary"
	"sort"

	"wfxc/internal/leb128"
)

// DWARF constants (DWARF 4 §7).
const (
	dwTagCompileUnit  = 0x11
	dwTagSubprogram   = 0x2e
	dwChildrenYes     = 1
	dwChildrenNo      = 0
	dwAtName          = 0x03
	dwAtStmtList      = 0x10
	dwAtLowPC         = 0x11
	dwAtHighPC        = 0x12
	dwAtLanguage      = 0x13
	dwAtProducer      = 0x25
	dwAtFrameBase     = 0x40
	dwFormAddr        = 0x01
	dwFormData2       = 0x05
	dwFormData4       = 0x06
	dwFormStrp        = 0x0e
	dwFormSecOffset   = 0x17
	dwFormExprloc     = 0x18
	dwOpCallFrameCFA  = 0x9c
	dwLangMipsAsm     = 0x8001 // what GNU as records for assembly: code without source types
	dwLnsCopy         = 1
	dwLnsAdvancePC    = 2
	dwLnsAdvanceLine  = 3
	dwLnsSetFile      = 4
	dwLnsPrologueEnd  = 10
	dwLneEndSequence  = 1
	dwLneSetAddress   = 2
	lineBase          = -5
	lineRange         = 14
	lineOpcodeBase    = 13
	dwarfVersion      = 4
	abbrevCompileUnit = 1
	abbrevSubprogram  = 2
)

// Operand counts of the standard opcodes 1..12 (DWARF 4 §6.2.5.2).
var stdOpcodeLengths = [lineOpcodeBase - 1]byte{0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1}

// dwarfSections is the encoded debug information of one object.
type dwarfSections struct {
	abbrev, info, line, str []byte
	infoRelocs, lineRelocs  []reloc
}

// buildDWARF encodes the debug sections for o (already validated).
func buildDWARF(o *Object) *dwarfSections {
	d := &dwarfSections{}
	strs := map[string]uint32{}
	strp := func(b []byte, s string) []byte {
		off, ok := strs[s]
		if !ok {
			off = uint32(len(d.str))
			d.str = append(append(d.str, s...), 0)
			strs[s] = off
		}
		d.infoRelocs = append(d.infoRelocs, reloc{off: uint64(len(b)), kind: relAbs32, target: secDebugStr, addend: int64(off)})
		return binary.LittleEndian.AppendUint32(b, off)
	}
	addr := func(b []byte, off uint32) []byte {
		d.infoRelocs = append(d.infoRelocs, reloc{off: uint64(len(b)), kind: relAbs64, target: secText, addend: int64(off)})
		return binary.LittleEndian.AppendUint64(b, uint64(off))
	}
	hasLines := len(o.Lines) > 0

	// .debug_abbrev
	a := leb128.AppendUint(nil, abbrevCompileUnit)
	a = leb128.AppendUint(a, dwTagCompileUnit)
	a = append(a, dwChildrenYes)
	a = attrSpec(a, dwAtProducer, dwFormStrp)
	a = attrSpec(a, dwAtLanguage, dwFormData2)
	a = attrSpec(a, dwAtName, dwFormStrp)
	a = attrSpec(a, dwAtLowPC, dwFormAddr)
	a = attrSpec(a, dwAtHighPC, dwFormData4)
	if hasLines {
		a = attrSpec(a, dwAtStmtList, dwFormSecOffset)
	}
	a = append(a, 0, 0)
	a = leb128.AppendUint(a, abbrevSubprogram)
	a = leb128.AppendUint(a, dwTagSubprogram)
	a = append(a, dwChildrenNo)
	a = attrSpec(a, dwAtName, dwFormStrp)
	a = attrSpec(a, dwAtLowPC, dwFormAddr)
	a = attrSpec(a, dwAtHighPC, dwFormData4)
	a = attrSpec(a, dwAtFrameBase, dwFormExprloc)
	a = append(a, 0, 0)
	d.abbrev = append(a, 0)

	// .debug_info
	name := o.Name
	if name == "" {
		name = "wasm"
	}
	b := binary.LittleEndian.AppendUint32(nil, 0) // unit_length, patched below
	b = binary.LittleEndian.AppendUint16(b, dwarfVersion)
	d.infoRelocs = append(d.infoRelocs, reloc{off: uint64(len(b)), kind: relAbs32, target: secDebugAbbrev})
	b = binary.LittleEndian.AppendUint32(b, 0) // debug_abbrev_offset
	b = append(b, 8)                           // address_size
	b = leb128.AppendUint(b, abbrevCompileUnit)
	b = strp(b, "wfxc")
	lang := o.Language
	if lang == 0 {
		lang = dwLangMipsAsm
	}
	b = binary.LittleEndian.AppendUint16(b, lang)
	b = strp(b, name)
	b = addr(b, 0)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(o.Text)))
	if hasLines {
		d.infoRelocs = append(d.infoRelocs, reloc{off: uint64(len(b)), kind: relAbs32, target: secDebugLine})
		b = binary.LittleEndian.AppendUint32(b, 0)
	}
	for _, f := range o.Funcs {
		b = leb128.AppendUint(b, abbrevSubprogram)
		b = strp(b, f.Name)
		b = addr(b, f.Off)
		b = binary.LittleEndian.AppendUint32(b, f.Size)
		b = append(b, 1, dwOpCallFrameCFA) // exprloc of length 1
	}
	b = append(b, 0) // end of the CU's children
	binary.LittleEndian.PutUint32(b, uint32(len(b)-4))
	d.info = b

	if hasLines {
		d.line, d.lineRelocs = buildLines(o.Lines, uint32(len(o.Text)))
	}
	return d
}

// attrSpec appends one attribute specification of an abbreviation.
func attrSpec(b []byte, at, form uint64) []byte {
	return leb128.AppendUint(leb128.AppendUint(b, at), form)
}

// buildLines encodes a .debug_line unit for rows over a .text of textSize bytes.
func buildLines(rows []LineRow, textSize uint32) ([]byte, []reloc) {
	sorted := append([]LineRow(nil), rows...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Off < sorted[j].Off })
	files := map[string]uint64{}
	var fileNames []string
	for _, r := range sorted {
		if _, ok := files[r.File]; !ok && !r.End {
			fileNames = append(fileNames, r.File)
			files[r.File] = uint64(len(fileNames))
		}
	}

	le := binary.LittleEndian
	b := le.AppendUint32(nil, 0) // unit_length, patched below
	b = le.AppendUint16(b, dwarfVersion)
	hdrLenAt := len(b)
	b = le.AppendUint32(b, 0) // header_length, patched below
	b = append(b,
		1,    // minimum_instruction_length
		1,    // maximum_operations_per_instruction
		1,    // default_is_stmt
		0xfb, // line_base = -5
		lineRange,
		lineOpcodeBase)
	b = append(b, stdOpcodeLengths[:]...)
	b = append(b, 0) // no include_directories
	for _, f := range fileNames {
		b = append(append(b, f...), 0)
		b = append(b, 0, 0, 0) // directory 0, no mtime, no length
	}
	b = append(b, 0)
	le.PutUint32(b[hdrLenAt:], uint32(len(b)-hdrLenAt-4))

	// The program.
	b = append(b, 0, 9, dwLneSetAddress)
	relocs := []reloc{{off: uint64(len(b)), kind: relAbs64, target: secText}}
	b = le.AppendUint64(b, 0)
	addr, file, line := uint32(0), uint64(1), int64(1)
	ended := false // the last row ended a sequence
	for _, r := range sorted {
		if r.End {
			if ended {
				continue
			}
			if r.Off > addr {
				b = append(b, dwLnsAdvancePC)
				b = leb128.AppendUint(b, uint64(r.Off-addr))
			}
			b = append(b, 0, 1, dwLneEndSequence)
			addr, file, line, ended = r.Off, 1, 1, true
			continue
		}
		if ended {
			// A new sequence starts at this row.
			b = append(b, 0, 9, dwLneSetAddress)
			relocs = append(relocs, reloc{off: uint64(len(b)), kind: relAbs64, target: secText, addend: int64(r.Off)})
			b = le.AppendUint64(b, uint64(r.Off))
			addr, ended = r.Off, false
		}
		if f := files[r.File]; f != file {
			b = append(b, dwLnsSetFile)
			b = leb128.AppendUint(b, f)
			file = f
		}
		if r.PrologueEnd {
			b = append(b, dwLnsPrologueEnd)
		}
		dl, da := int64(r.Line)-line, uint64(r.Off-addr)
		if dl >= lineBase && dl < lineBase+lineRange {
			if op := uint64(dl-lineBase) + lineRange*da + lineOpcodeBase; op <= 255 {
				b = append(b, byte(op))
				addr, line = r.Off, int64(r.Line)
				continue
			}
		}
		if dl != 0 {
			b = append(b, dwLnsAdvanceLine)
			b = leb128.AppendInt(b, dl)
		}
		if da != 0 {
			b = append(b, dwLnsAdvancePC)
			b = leb128.AppendUint(b, da)
		}
		b = append(b, dwLnsCopy)
		addr, line = r.Off, int64(r.Line)
	}
	if !ended {
		if textSize > addr {
			b = append(b, dwLnsAdvancePC)
			b = leb128.AppendUint(b, uint64(textSize-addr))
		}
		b = append(b, 0, 1, dwLneEndSequence)
	}
	le.PutUint32(b, uint32(len(b)-4))
	return b, relocs
}
