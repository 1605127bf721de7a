// The ELF64 container (System V gABI, "Object Files",
// https://www.sco.com/developers/gabi/latest/contents.html; relocation numbers
// from the x86-64 psABI, https://gitlab.com/x86-psABIs/x86-64-ABI, and the
// AArch64 ELF ABI, https://github.com/ARM-software/abi-aa/blob/main/aaelf64/aaelf64.rst).
//
// Layout of the file, in this order:
//
//	ELF header (64 bytes)
//	section contents, each at its own alignment, in section-index order
//	section header table (8-aligned)
//
// Section indices are fixed by what the object contains:
//
//	0  null
//	   .text            PROGBITS  AX
//	   .rodata          PROGBITS  A
//	   .eh_frame        Machine.EhFrameType, A
//	   .rela.eh_frame   RELA I    (only when there are FDEs)
//	   .note.GNU-stack  PROGBITS  (empty: the stack is not executable)
//	   .debug_abbrev, .debug_info, .rela.debug_info,  (only with Lines or Funcs)
//	   .debug_line, .rela.debug_line,                 (only with Lines)
//	   .debug_str
//	   .symtab, .strtab, .shstrtab
//
// Everything that depends on the machine (e_machine, relocation types, the
// .eh_frame type, the code mapping symbol, the CIE) comes from
// Object.Machine. On x86-64 .eh_frame has type SHT_X86_64_UNWIND, as GNU as
// writes it; the Go internal linker loads only SHT_PROGBITS sections, so it
// ignores .eh_frame and its relocations there. On aarch64 it is SHT_PROGBITS
// and Go loads it as read-only data, resolving its R_AARCH64_PREL32
// relocations.
//
// The symbol table starts with the null symbol, then a section symbol per
// content section (the targets of all relocations), then the code mapping
// symbol if the machine has one ($x on aarch64), then the caller's local
// symbols and finally its global symbols, each group in input order;
// .symtab's sh_info is the index of the first global. Everything is laid out from the input alone,
// so the same input always gives the same bytes.

package objfile

import "encoding/binary"

// secID identifies a content section independent of its final index.
type secID uint8

const (
	secText secID = iota
	secRodata
	secEhFrame
	secNote
	secDebugAbbrev
	secDebugInfo
	secDebugLine
	secDebugStr
	numSecIDs
)

// relKind is an architecture-neutral relocation kind; Machine gives its
// type number.
type relKind uint8

const (
	relPC32  relKind = iota + 1 // 32-bit S+A-P
	relAbs32                    // 32-bit S+A
	relAbs64                    // 64-bit S+A
)

// reloc is one relocation at off in its section, against target's section
// symbol.
type reloc struct {
	off    uint64
	kind   relKind
	target secID
	addend int64
}

// ELF constants (from the gABI; mirrored in debug/elf).
const (
	etRel        = 1
	shtProgbits  = 1
	shtSymtab    = 2
	shtStrtab    = 3
	shtRela      = 4
	shfAlloc     = 0x2
	shfExecinstr = 0x4
	shfMerge     = 0x10
	shfStrings   = 0x20
	shfInfoLink  = 0x40
	sttNotype    = 0
	sttObject    = 1
	sttFunc      = 2
	sttSection   = 3
	stbLocal     = 0
	stbGlobal    = 1
	ehdrSize     = 64
	shdrSize     = 64
	symSize      = 24
	relaSize     = 24
)

// relType returns m's type number of a relocation kind.
func (m *Machine) relType(k relKind) uint32 {
	switch k {
	case relPC32:
		return m.RelPC32
	case relAbs32:
		return m.RelAbs32
	}
	return m.RelAbs64
}

// section is one section header plus its contents.
type section struct {
	id      secID // for content sections; numSecIDs otherwise
	name    string
	typ     uint32
	flags   uint64
	align   uint64
	entsize uint64
	link    uint32
	info    uint32
	data    []byte
	relocs  []reloc // content sections only: becomes a .rela section
	nameOff uint32
	offset  uint64
}

// Write encodes o as an ELF64 relocatable object. The same input always
// yields the same bytes.
func Write(o *Object) ([]byte, error) {
	if err := o.validate(); err != nil {
		return nil, err
	}
	eh, ehRelocs, err := buildEhFrame(&o.Machine.Frame, o.FDEs)
	if err != nil {
		return nil, err
	}
	textAlign, rodataAlign := uint64(o.TextAlign), uint64(o.RodataAlign)
	if textAlign == 0 {
		textAlign = 16
	}
	if rodataAlign == 0 {
		rodataAlign = 16
	}
	content := []*section{
		{id: secText, name: ".text", typ: shtProgbits, flags: shfAlloc | shfExecinstr, align: textAlign, data: o.Text},
		{id: secRodata, name: ".rodata", typ: shtProgbits, flags: shfAlloc, align: rodataAlign, data: o.Rodata},
		{id: secEhFrame, name: ".eh_frame", typ: o.Machine.EhFrameType, flags: shfAlloc, align: 8, data: eh, relocs: ehRelocs},
		{id: secNote, name: ".note.GNU-stack", typ: shtProgbits, align: 1},
	}
	if len(o.Lines) > 0 || len(o.Funcs) > 0 {
		d := buildDWARF(o)
		content = append(content,
			&section{id: secDebugAbbrev, name: ".debug_abbrev", typ: shtProgbits, align: 1, data: d.abbrev},
			&section{id: secDebugInfo, name: ".debug_info", typ: shtProgbits, align: 1, data: d.info, relocs: d.infoRelocs})
		if len(d.line) > 0 {
			content = append(content, &section{id: secDebugLine, name: ".debug_line", typ: shtProgbits, align: 1, data: d.line, relocs: d.lineRelocs})
		}
		content = append(content,
			&section{id: secDebugStr, name: ".debug_str", typ: shtProgbits, flags: shfMerge | shfStrings, entsize: 1, align: 1, data: d.str})
	}

	// Section indices: content sections, each followed by its .rela section.
	secs := []*section{{id: numSecIDs}} // null section
	var index [numSecIDs]uint32
	type relaOf struct{ rela, target *section }
	var relas []relaOf
	for _, s := range content {
		index[s.id] = uint32(len(secs))
		secs = append(secs, s)
		if len(s.relocs) > 0 {
			r := &section{id: numSecIDs, name: ".rela" + s.name, typ: shtRela, flags: shfInfoLink, align: 8, entsize: relaSize, info: index[s.id]}
			relas = append(relas, relaOf{r, s})
			secs = append(secs, r)
		}
	}
	symtab := &section{id: numSecIDs, name: ".symtab", typ: shtSymtab, align: 8, entsize: symSize}
	strtab := &section{id: numSecIDs, name: ".strtab", typ: shtStrtab, align: 1}
	shstrtab := &section{id: numSecIDs, name: ".shstrtab", typ: shtStrtab, align: 1}
	symtabIdx := uint32(len(secs))
	secs = append(secs, symtab, strtab, shstrtab)
	symtab.link = symtabIdx + 1

	var secSym [numSecIDs]uint32
	symtab.data, strtab.data, symtab.info = symbolTable(o, content, &index, &secSym)

	// Relocation sections.
	for _, r := range relas {
		r.rela.link = symtabIdx
		b := make([]byte, 0, len(r.target.relocs)*relaSize)
		for _, rl := range r.target.relocs {
			b = binary.LittleEndian.AppendUint64(b, rl.off)
			b = binary.LittleEndian.AppendUint64(b, uint64(secSym[rl.target])<<32|uint64(o.Machine.relType(rl.kind)))
			b = binary.LittleEndian.AppendUint64(b, uint64(rl.addend))
		}
		r.rela.data = b
	}

	// Section names.
	sh := newStrtab()
	for _, s := range secs[1:] {
		s.nameOff = sh.add(s.name)
	}
	shstrtab.data = sh.data

	return encodeFile(o.Machine.ELF, secs, symtabIdx+2), nil
}

// encodeFile lays out secs (secs[0] is the null section) after the ELF header
// and appends the section header table.
func encodeFile(machine uint16, secs []*section, shstrndx uint32) []byte {
	off := uint64(ehdrSize)
	for _, s := range secs[1:] {
		off = alignUp(off, s.align)
		s.offset = off
		off += uint64(len(s.data))
	}
	shoff := alignUp(off, 8)

	out := make([]byte, shoff, shoff+uint64(len(secs))*shdrSize)
	copy(out, "\x7fELF")
	out[4] = 2 // ELFCLASS64
	out[5] = 1 // ELFDATA2LSB
	out[6] = 1 // EV_CURRENT
	le := binary.LittleEndian
	le.PutUint16(out[16:], etRel)
	le.PutUint16(out[18:], machine)
	le.PutUint32(out[20:], 1) // e_version
	le.PutUint64(out[40:], shoff)
	le.PutUint16(out[52:], ehdrSize)
	le.PutUint16(out[58:], shdrSize)
	le.PutUint16(out[60:], uint16(len(secs)))
	le.PutUint16(out[62:], uint16(shstrndx))
	for _, s := range secs[1:] {
		copy(out[s.offset:], s.data)
	}
	for i, s := range secs {
		var h [shdrSize]byte
		le.PutUint32(h[0:], s.nameOff)
		le.PutUint32(h[4:], s.typ)
		le.PutUint64(h[8:], s.flags)
		if i > 0 {
			le.PutUint64(h[24:], s.offset)
		}
		le.PutUint64(h[32:], uint64(len(s.data)))
		le.PutUint32(h[40:], s.link)
		le.PutUint32(h[44:], s.info)
		le.PutUint64(h[48:], s.align)
		le.PutUint64(h[56:], s.entsize)
		out = append(out, h[:]...)
	}
	return out
}

// symbolTable encodes .symtab and .strtab for o, given the section index
// of each content section; it records each section symbol's index in secSym
// and returns the index of the first global symbol.
func symbolTable(o *Object, content []*section, index, secSym *[numSecIDs]uint32) (syms, strs []byte, firstGlobal uint32) {
	st := newStrtab()
	syms = make([]byte, symSize) // the null symbol
	addSym := func(name string, info byte, shndx uint32, value, size uint64) {
		var e [symSize]byte
		if name != "" {
			binary.LittleEndian.PutUint32(e[0:], st.add(name))
		}
		e[4] = info
		binary.LittleEndian.PutUint16(e[6:], uint16(shndx))
		binary.LittleEndian.PutUint64(e[8:], value)
		binary.LittleEndian.PutUint64(e[16:], size)
		syms = append(syms, e[:]...)
	}
	for _, s := range content {
		if s.id == secNote {
			continue
		}
		secSym[s.id] = uint32(len(syms) / symSize)
		addSym("", stbLocal<<4|sttSection, index[s.id], 0, 0)
	}
	if m := o.Machine.CodeMapping; m != "" && len(o.Text) > 0 {
		// Mapping symbol (AArch64 ELF ABI §5.5.4): .text holds code from 0.
		// No $d for .rodata: it is not needed outside code sections, and
		// llvm-objdump 14 applies mapping symbols across sections.
		addSym(m, stbLocal<<4|sttNotype, index[secText], 0, 0)
	}
	userSym := func(s Symbol, bind byte) {
		typ := byte(sttObject)
		switch {
		case s.Func:
			typ = sttFunc
		case s.Section == SecText:
			typ = sttNotype // a label in code, like an assembler's
		}
		shndx := index[secText]
		if s.Section == SecRodata {
			shndx = index[secRodata]
		}
		addSym(s.Name, bind<<4|typ, shndx, s.Off, s.Size)
	}
	for _, s := range o.Symbols {
		if !s.Global {
			userSym(s, stbLocal)
		}
	}
	firstGlobal = uint32(len(syms) / symSize)
	for _, s := range o.Symbols {
		if s.Global {
			userSym(s, stbGlobal)
		}
	}
	return syms, st.data, firstGlobal
}

// alignUp rounds v up to a multiple of a (a power of two, or 0).
func alignUp(v, a uint64) uint64 {
	if a <= 1 {
		return v
	}
	return (v + a - 1) &^ (a - 1)
}

// strtab builds an ELF string table, sharing identical strings.
type strtab struct {
	data []byte
	seen map[string]uint32
}

func newStrtab() *strtab { return &strtab{data: []byte{0}, seen: map[string]uint32{}} }

// add returns the offset of name, appending it on first use.
func (t *strtab) add(name string) uint32 {
	if off, ok := t.seen[name]; ok {
		return off
	}
	off := uint32(len(t.data))
	t.data = append(append(t.data, name...), 0)
	t.seen[name] = off
	return off
}
