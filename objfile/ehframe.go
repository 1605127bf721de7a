// .eh_frame: call frame information for unwinders (libgcc, gdb, perf).
//
// The section holds one CIE (common information entry) followed by one FDE
// (frame description entry) per described code range, in the format of the
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
func CFAExprDeref(arch Arch, reg uint8, off int32, add uint32) string {
	fa := frameArchs[arch]
	b := []byte{opBreg0 + fa.reg(reg)}
	b = sleb(b, int64(off))
	b = append(b, opDeref)
	if add != 0 {
		b = append(b, opPlusUconst)
		b = uleb(b, uint64(add))
	}
	return string(b)
}

// DW_EH_PE_pcrel | DW_EH_PE_sdata4.
const ehPEPCRelSData4 = 0x1b

// frameArch is the DWARF numbering and CIE shape of one architecture.
type frameArch struct {
	codeAlign uint32 // code alignment factor
	sp, fp    uint8  // DWARF register numbers
	ra        uint8  // return address column
	lr        int    // link register saved at CFA-8 with FP, or -1
	entry     CFIRow // state described by the CIE's initial instructions
}

var frameArchs = map[Arch]frameArch{
	X86_64:  {codeAlign: 1, sp: 7, fp: 6, ra: 16, lr: -1, entry: CFIRow{CFAReg: CFASP, CFAOffset: 8}},
	AArch64: {codeAlign: 4, sp: 31, fp: 29, ra: 30, lr: 30, entry: CFIRow{CFAReg: CFASP, CFAOffset: 0}},
}

// codeAlign returns the instruction alignment of arch, which CFI rows respect.
func codeAlign(arch Arch) uint32 { return frameArchs[arch].codeAlign }

// dataAlign is the CIE's data alignment factor: saved registers are at
// multiples of -8 from the CFA.
const dataAlign = -8

// buildEhFrame encodes .eh_frame for fdes (already validated) and returns
// its bytes and its relocations against .text.
func buildEhFrame(arch Arch, fdes []FDE) ([]byte, []reloc, error) {
	fa := frameArchs[arch]
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
	// CIE.
	b = binary.LittleEndian.AppendUint32(b, 0) // length, patched below
	b = binary.LittleEndian.AppendUint32(b, 0) // CIE id
	b = append(b, 1)                           // version
	b = append(b, "zR\x00"...)                 // augmentation
	b = uleb(b, uint64(fa.codeAlign))
	b = sleb(b, dataAlign)
	b = append(b, fa.ra) // return address register (a byte in version 1)
	b = uleb(b, 1)       // augmentation data length
	b = append(b, ehPEPCRelSData4)
	b = fa.defCFA(b, fa.entry.CFAReg, fa.entry.CFAOffset)
	if arch == X86_64 {
		b = append(b, cfaOffset|fa.ra)
		b = uleb(b, 1) // return address at CFA-8
	}
	b = padEntry(b, 0)

	for _, f := range sorted {
		start := len(b)
		b = binary.LittleEndian.AppendUint32(b, 0)              // length, patched below
		b = binary.LittleEndian.AppendUint32(b, uint32(len(b))) // CIE pointer: from this field back to the CIE at 0
		relocs = append(relocs, reloc{off: uint64(len(b)), kind: relPC32, target: secText, addend: int64(f.Off)})
		b = binary.LittleEndian.AppendUint32(b, 0) // initial location, relocated
		b = binary.LittleEndian.AppendUint32(b, f.Size)
		b = uleb(b, 0) // augmentation data length
		b = fa.rows(b, f.Rows, f.Size)
		b = padEntry(b, start)
	}
	return b, relocs, nil
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
func (fa *frameArch) reg(r uint8) uint8 {
	if r == CFAFP {
		return fa.fp
	}
	return fa.sp
}

// defCFA appends DW_CFA_def_cfa reg, off.
func (fa *frameArch) defCFA(b []byte, reg uint8, off int32) []byte {
	b = append(b, cfaDefCFA)
	b = uleb(b, uint64(fa.reg(reg)))
	return uleb(b, uint64(off))
}

// rows appends the instructions that take the CIE's entry state through the
// rows that start inside a code range of the given size.
func (fa *frameArch) rows(b []byte, rows []CFIRow, size uint32) []byte {
	cur := fa.entry
	loc := uint32(0)
	for _, r := range rows {
		if r.Off >= size {
			break
		}
		if d := (r.Off - loc) / fa.codeAlign; d > 0 {
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
				b = uleb(b, uint64(len(r.CFAExpr)))
				b = append(b, r.CFAExpr...)
			}
		case len(cur.CFAExpr) > 0 || r.CFAReg != cur.CFAReg && r.CFAOffset != cur.CFAOffset:
			b = fa.defCFA(b, r.CFAReg, r.CFAOffset)
		case r.CFAReg != cur.CFAReg:
			b = append(b, cfaDefCFAReg)
			b = uleb(b, uint64(fa.reg(r.CFAReg)))
		case r.CFAOffset != cur.CFAOffset:
			b = append(b, cfaDefCFAOffset)
			b = uleb(b, uint64(r.CFAOffset))
		}
		if r.FPSaved != cur.FPSaved {
			if r.FPSaved {
				b = append(b, cfaOffset|fa.fp)
				b = uleb(b, 2) // CFA-16
				if fa.lr >= 0 {
					b = append(b, cfaOffset|byte(fa.lr))
					b = uleb(b, 1) // CFA-8
				}
			} else {
				b = append(b, cfaRestore|fa.fp)
				if fa.lr >= 0 {
					b = append(b, cfaRestore|byte(fa.lr))
				}
			}
		}
		cur = r
	}
	return b
}

// uleb appends v as unsigned LEB128.
func uleb(b []byte, v uint64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v == 0 {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}

// sleb appends v as signed LEB128.
func sleb(b []byte, v int64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}
