// .eh_frame: call frame information for unwinders (libgcc, gdb, perf).
//
// The section holds one CIE (common information entry) followed by one FDE
// (frame description entry) per described code range (and a second CIE,
// augmentation "zRS", for the FDEs of signal frames, FDE.Signal), in the format of the
// Linux Standard Base "Exception Frames" chapter
// (https://refspecs.linuxfoundation.org/LSB_5.0.0/LSB-Core-generic/LSB-Core-generic/ehframechpt.html),
// which is DWARF 4 §6.4 .debug_frame (https://dwarfstd.org/doc/DWARF4.pdf)
// with a few changes: CIE id 0, FDE CIE pointers relative to the field, and an
// augmentation string. We use augmentation "zR" with pointer encoding
// DW_EH_PE_pcrel|DW_EH_PE_sdata4, so each FDE's initial location is a 32-bit
// PC-relative field, filled in by the linker from an R_X86_64_PC32 /
// R_AARCH64_PREL32 relocation against the .text section symbol.
//
// The CIE's initial instructions give the state at a function's first
// instruction:
//
//	x86-64:  CFA = RSP+8, return address (r16) at CFA-8
//	aarch64: CFA = SP+0,  return address in LR (x30)
//
// An FDE's rows are full frame states; we encode the difference between
// consecutive rows: an advance_loc to the row's offset, then def_cfa /
// def_cfa_register / def_cfa_offset (or def_cfa_expression when the row
// carries a CFA expression) for a CFA change, and offset / restore
// for the frame pointer (and LR on aarch64) when FPSaved changes. Example, a
// standard x86-64 frame:
//
//	rows: {0 SP+8} {1 SP+16 fp} {4 FP+16 fp} {15 SP+8}
//	FDE:  advance 1; def_cfa_offset 16; offset r6 at cfa-16;
//	      advance 3; def_cfa_register r6;
//	      advance 11; def_cfa r7 8; restore r6
//
// Entries are padded with DW_CFA_nop to a multiple of 8 bytes. There is no
// zero terminator: the linker (crtend.o) provides it.

package objfile

import (
	"encoding/binary"
	"fmt"
	"sort"

	"wfxc/internal/leb128"
)

// DWARF call frame instructions (DWARF 4 §7.23).
const (
	cfaAdvanceLoc       = 0x40 // high 2 bits; low 6 bits = delta
	cfaOffset           = 0x80 // high 2 bits; low 6 bits = register; ULEB factored offset
	cfaRestore          = 0xc0 // high 2 bits; low 6 bits = register
	cfaNop              = 0x00
	cfaAdvanceLoc1      = 0x02
	cfaAdvanceLoc2      = 0x03
	cfaAdvanceLoc4      = 0x04
	cfaDefCFA           = 0x0c
	cfaDefCFAReg        = 0x0d
	cfaDefCFAOffset     = 0x0e
	cfaDefCFAExpression = 0x0f
	cfaRegister         = 0x09
	cfaExpression       = 0x10
)

// DWARF expression operations (DWARF 4 §2.5).
const (
	opBreg0      = 0x70 // + register; SLEB offset
	opDeref      = 0x06
	opPlusUconst = 0x23 // ULEB addend
)

// CFAExprDeref returns the DWARF expression CFA = *(reg + off) + add, where
// reg is CFASP or CFAFP: the CFA of a frame whose caller's stack pointer was
// saved in memory (a fibre's control context).
func (fr *Frame) CFAExprDeref(reg uint8, off int32, add uint32) string {
	return CFAExprDerefReg(fr.reg(reg), off, add)
}

// CFAExprDerefReg returns the DWARF expression CFA = *(reg + off) + add for
// reg a DWARF register number (0..31): the CFA of a frame whose caller's
// stack pointer is in memory that a register points to, such as the host
// SP that the enter trampoline saves in the execution context.
func CFAExprDerefReg(reg uint8, off int32, add uint32) string {
	b := []byte{opBreg0 + reg}
	b = leb128.AppendInt(b, int64(off))
	b = append(b, opDeref)
	if add != 0 {
		b = append(b, opPlusUconst)
		b = leb128.AppendUint(b, uint64(add))
	}
	return string(b)
}

// ExprRegOffset returns the DWARF expression reg + off (DW_OP_bregN) for
// reg a DWARF register number (0..31).
func ExprRegOffset(reg uint8, off int32) string {
	return string(leb128.AppendInt([]byte{opBreg0 + reg}, int64(off)))
}

// RuleSavedAt returns the call frame instruction DW_CFA_expression reg,
// expr: the caller's value of register reg is saved at the address expr
// computes (for CFIRow.Rules).
func RuleSavedAt(reg uint8, expr string) string {
	b := leb128.AppendUint([]byte{cfaExpression}, uint64(reg))
	b = leb128.AppendUint(b, uint64(len(expr)))
	return string(append(b, expr...))
}

// RuleInReg returns the call frame instruction DW_CFA_register reg, src:
// the caller's value of register reg is in register src (for
// CFIRow.Rules).
func RuleInReg(reg, src uint8) string {
	b := leb128.AppendUint([]byte{cfaRegister}, uint64(reg))
	return string(leb128.AppendUint(b, uint64(src)))
}

// DW_EH_PE_pcrel | DW_EH_PE_sdata4.
const ehPEPCRelSData4 = 0x1b

// savedAt returns the factored offset of a register saved at CFA+off.
func (fr *Frame) savedAt(off int32) uint64 { return uint64(off / fr.DataAlign) }

// buildEhFrame encodes .eh_frame for fdes (already validated) and returns
// its bytes and its relocations against .text.
func buildEhFrame(fr *Frame, fdes []FDE) ([]byte, []reloc, error) {
	sorted := append([]FDE(nil), fdes...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Off < sorted[j].Off })
	for i := 1; i < len(sorted); i++ {
		p, f := sorted[i-1], sorted[i]
		if f.Off < p.Off+p.Size {
			return nil, nil, fmt.Errorf("objfile: FDE ranges [%d, %d) and [%d, %d) overlap", p.Off, p.Off+p.Size, f.Off, f.Off+f.Size)
		}
	}

	var b []byte
	var relocs []reloc
	// The CIEs: one for ordinary frames and, when some FDE needs it, one
	// for signal frames (augmentation "S").
	b = cie(fr, b, "zR")
	cieOff := map[bool]int{false: 0}
	for _, f := range sorted {
		if _, ok := cieOff[f.Signal]; !ok {
			cieOff[f.Signal] = len(b)
			b = cie(fr, b, "zRS")
		}
	}

	for _, f := range sorted {
		start := len(b)
		b = binary.LittleEndian.AppendUint32(b, 0)                               // length, patched below
		b = binary.LittleEndian.AppendUint32(b, uint32(len(b)-cieOff[f.Signal])) // CIE pointer: from this field back to its CIE
		relocs = append(relocs, reloc{off: uint64(len(b)), kind: relPC32, target: secText, addend: int64(f.Off)})
		b = binary.LittleEndian.AppendUint32(b, 0) // initial location, relocated
		b = binary.LittleEndian.AppendUint32(b, f.Size)
		b = leb128.AppendUint(b, 0) // augmentation data length
		b = fr.rows(b, f.Rows, f.Size)
		b = padEntry(b, start)
	}
	return b, relocs, nil
}

// cie appends a CIE with augmentation aug ("zR" or "zRS") to b.
func cie(fr *Frame, b []byte, aug string) []byte {
	start := len(b)
	b = binary.LittleEndian.AppendUint32(b, 0) // length, patched below
	b = binary.LittleEndian.AppendUint32(b, 0) // CIE id
	b = append(b, 1)                           // version
	b = append(append(b, aug...), 0)           // augmentation
	b = leb128.AppendUint(b, uint64(fr.CodeAlign))
	b = leb128.AppendInt(b, int64(fr.DataAlign))
	b = append(b, fr.RA)        // return address register (a byte in version 1)
	b = leb128.AppendUint(b, 1) // augmentation data length
	b = append(b, ehPEPCRelSData4)
	b = fr.defCFA(b, fr.Entry.CFAReg, fr.Entry.CFAOffset)
	if !fr.LinkReg {
		b = append(b, cfaOffset|fr.RA)
		b = leb128.AppendUint(b, fr.savedAt(-8)) // return address at CFA-8
	}
	return padEntry(b, start)
}

// padEntry pads the entry that starts at start with DW_CFA_nop to a multiple
// of 8 bytes and fills in its length field.
func padEntry(b []byte, start int) []byte {
	for (len(b)-start)%8 != 0 {
		b = append(b, cfaNop)
	}
	binary.LittleEndian.PutUint32(b[start:], uint32(len(b)-start-4))
	return b
}

// reg returns the DWARF register for a CFIRow.CFAReg value.
func (fr *Frame) reg(r uint8) uint8 {
	if r == CFAFP {
		return fr.FP
	}
	return fr.SP
}

// defCFA appends DW_CFA_def_cfa reg, off.
func (fr *Frame) defCFA(b []byte, reg uint8, off int32) []byte {
	b = append(b, cfaDefCFA)
	b = leb128.AppendUint(b, uint64(fr.reg(reg)))
	return leb128.AppendUint(b, uint64(off))
}

// rows appends the instructions that take the CIE's entry state through the
// rows that start inside a code range of the given size.
func (fr *Frame) rows(b []byte, rows []CFIRow, size uint32) []byte {
	cur := fr.Entry
	loc := uint32(0)
	for _, r := range rows {
		if r.Off >= size {
			break
		}
		if d := (r.Off - loc) / fr.CodeAlign; d > 0 {
			switch {
			case d < 0x40:
				b = append(b, cfaAdvanceLoc|byte(d))
			case d <= 0xff:
				b = append(b, cfaAdvanceLoc1, byte(d))
			case d <= 0xffff:
				b = append(b, cfaAdvanceLoc2)
				b = binary.LittleEndian.AppendUint16(b, uint16(d))
			default:
				b = append(b, cfaAdvanceLoc4)
				b = binary.LittleEndian.AppendUint32(b, d)
			}
			loc = r.Off
		}
		switch {
		case len(r.CFAExpr) > 0:
			if r.CFAExpr != cur.CFAExpr {
				b = append(b, cfaDefCFAExpression)
				b = leb128.AppendUint(b, uint64(len(r.CFAExpr)))
				b = append(b, r.CFAExpr...)
			}
		case len(cur.CFAExpr) > 0 || r.CFAReg != cur.CFAReg && r.CFAOffset != cur.CFAOffset:
			b = fr.defCFA(b, r.CFAReg, r.CFAOffset)
		case r.CFAReg != cur.CFAReg:
			b = append(b, cfaDefCFAReg)
			b = leb128.AppendUint(b, uint64(fr.reg(r.CFAReg)))
		case r.CFAOffset != cur.CFAOffset:
			b = append(b, cfaDefCFAOffset)
			b = leb128.AppendUint(b, uint64(r.CFAOffset))
		}
		if r.FPSaved != cur.FPSaved {
			if r.FPSaved {
				b = append(b, cfaOffset|fr.FP)
				b = leb128.AppendUint(b, fr.savedAt(-16))
				if fr.LinkReg {
					b = append(b, cfaOffset|fr.RA)
					b = leb128.AppendUint(b, fr.savedAt(-8))
				}
			} else {
				b = append(b, cfaRestore|fr.FP)
				if fr.LinkReg {
					b = append(b, cfaRestore|fr.RA)
				}
			}
		}
		if r.Rules != cur.Rules {
			b = append(b, r.Rules...)
		}
		cur = r
	}
	return b
}
