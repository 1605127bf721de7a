package frontend

import (
	"unicode/utf8"

	"wfxc/internal/leb128"
)

// The binary decoder: Decode turns a module's bytes into a Module. It
// checks the whole binary format of Wasm 3.0 plus stack switching (section
// order and sizes, every vector, type, limit, constant expression), keeps
// function bodies raw (Code.Body) and leaves typing to Validate, which also
// decodes every instruction of every body. Errors are *Error values with the
// module byte offset and the reference interpreter's wording.
//
// Memory bound: no allocation is proportional to a declared count before
// the bytes exist. Every vector count is checked against the bytes left in
// its section (each element takes at least one byte), so a 100-byte module
// can never make the decoder allocate more than O(100) elements.

// Section ids.
const (
	SecCustom    = 0
	SecType      = 1
	SecImport    = 2
	SecFunction  = 3
	SecTable     = 4
	SecMemory    = 5
	SecGlobal    = 6
	SecExport    = 7
	SecStart     = 8
	SecElement   = 9
	SecCode      = 10
	SecData      = 11
	SecDataCount = 12
	SecTag       = 13
)

// sectionRank orders non-custom sections (tags come between memories and
// globals).
var sectionRank = [...]int{
	SecType: 1, SecImport: 2, SecFunction: 3, SecTable: 4, SecMemory: 5, SecTag: 6,
	SecGlobal: 7, SecExport: 8, SecStart: 9, SecElement: 10, SecDataCount: 11,
	SecCode: 12, SecData: 13,
}

// MaxLocals is the limit on the number of locals of one function (params
// included).
const MaxLocals = 50000

type decoder struct {
	m  *Module
	ir InstrReader
}

// Decode decodes a binary module. It does not validate it.
func Decode(wasm []byte) (*Module, error) {
	m := &Module{Start: -1, DataCount: -1}
	d := &decoder{m: m}
	r := &Reader{Buf: wasm}
	magic, err := r.Bytes(4)
	if err != nil {
		return nil, err
	}
	if string(magic) != "\x00asm" {
		return nil, &Error{Offset: 0, Msg: "magic header not detected"}
	}
	ver, err := r.Bytes(4)
	if err != nil {
		return nil, err
	}
	if string(ver) != "\x01\x00\x00\x00" {
		return nil, &Error{Offset: 4, Msg: "unknown binary version"}
	}
	lastRank := 0
	for !r.EOF() {
		idOff := r.Offset()
		id, _ := r.Byte()
		if id > SecTag {
			return nil, &Error{Offset: idOff, Msg: "malformed section id"}
		}
		size, err := r.U32()
		if err != nil {
			return nil, err
		}
		if int64(size) > int64(len(r.Buf)-r.Pos) {
			return nil, r.Errorf("length out of bounds")
		}
		start, end := r.Pos, r.Pos+int(size)
		r.Pos = end
		if id != SecCustom {
			rank := sectionRank[id]
			if rank <= lastRank {
				return nil, &Error{Offset: idOff, Msg: "unexpected content after last section"}
			}
			lastRank = rank
			m.SectionOffsets[id] = idOff
		}
		// Like the reference interpreter, a section's contents are read
		// from the whole stream and the size is compared afterwards, so a
		// wrong size is reported where the contents stop making sense.
		// Custom sections are bounded by their size.
		sr := &Reader{Buf: wasm, Pos: start}
		switch id {
		case SecCustom:
			sr = &Reader{Buf: wasm[:end], Pos: start}
			err = d.decodeCustom(sr)
		case SecType:
			err = d.decodeTypeSection(sr)
		case SecImport:
			err = d.decodeImports(sr)
		case SecFunction:
			err = d.decodeFunctions(sr)
		case SecTable:
			err = d.decodeTables(sr)
		case SecMemory:
			err = d.decodeMemories(sr)
		case SecTag:
			err = d.decodeTags(sr)
		case SecGlobal:
			err = d.decodeGlobals(sr)
		case SecExport:
			err = d.decodeExports(sr)
		case SecStart:
			var f uint32
			f, err = sr.U32()
			m.Start = int64(f)
		case SecElement:
			err = d.decodeElems(sr)
		case SecDataCount:
			var n uint32
			n, err = sr.U32()
			m.DataCount = int64(n)
		case SecCode:
			m.CodeOffset = start
			err = d.decodeCodes(sr, end)
		case SecData:
			err = d.decodeDatas(sr)
		}
		if err == nil && sr.Pos != end {
			err = &Error{Offset: start, Msg: "section size mismatch"}
		}
		if err != nil {
			if e, ok := err.(*Error); ok && e.Msg == "unexpected end" && id != SecCustom {
				e.Msg = "unexpected end of section or function"
			}
			return nil, err
		}
	}
	if len(m.Funcs) != len(m.Codes) {
		return nil, &Error{Offset: len(wasm), Msg: "function and code section have inconsistent lengths"}
	}
	if m.DataCount >= 0 && int64(len(m.Datas)) != m.DataCount {
		return nil, &Error{Offset: len(wasm), Msg: "data count and data section have inconsistent lengths"}
	}
	return m, nil
}

// readName reads a name like Reader.Name, but reports a length beyond the
// available bytes as the reference interpreter does.
func readName(r *Reader) (string, error) {
	off := r.Offset()
	n, err := r.U32()
	if err != nil {
		return "", err
	}
	if int64(n) > int64(len(r.Buf)-r.Pos) {
		return "", &Error{Offset: off, Msg: "length out of bounds"}
	}
	b, _ := r.Bytes(int(n))
	if !utf8.Valid(b) {
		return "", &Error{Offset: off, Msg: "malformed UTF-8 encoding"}
	}
	return string(b), nil
}

// prealloc bounds the capacity reserved for a vector of n elements: larger
// vectors grow as their elements are actually decoded.
func prealloc(n uint32) int { return int(min(n, 1024)) }

// count reads a vector length and checks that at least that many bytes are
// left (every element takes at least one byte).
func (d *decoder) count(r *Reader) (uint32, error) {
	n, err := r.U32()
	if err != nil {
		return 0, err
	}
	if int64(n) > int64(len(r.Buf)-r.Pos) {
		return 0, r.Errorf("unexpected end")
	}
	return n, nil
}

func (d *decoder) decodeCustom(r *Reader) error {
	name, err := readName(r)
	if err != nil {
		return err
	}
	start := r.Pos
	data := r.Buf[start:]
	r.Pos = len(r.Buf)
	d.m.Customs = append(d.m.Customs, Custom{Name: name, Data: data, Offset: start})
	if name == "name" {
		d.decodeNames(&Reader{Buf: data, Base: start})
	}
	return nil
}

// decodeNames reads the module and function names; a malformed name section
// is ignored as a whole.
func (d *decoder) decodeNames(r *Reader) {
	var modName string
	var names map[uint32]string
	for !r.EOF() {
		id, err := r.Byte()
		if err != nil {
			return
		}
		size, err := r.U32()
		if err != nil || int64(size) > int64(len(r.Buf)-r.Pos) {
			return
		}
		sr := &Reader{Buf: r.Buf[r.Pos : r.Pos+int(size)], Base: r.Offset()}
		r.Pos += int(size)
		switch id {
		case 0:
			if modName, err = sr.Name(); err != nil {
				return
			}
		case 1:
			n, err := d.count(sr)
			if err != nil {
				return
			}
			names = make(map[uint32]string, min(n, 1024))
			for i := uint32(0); i < n; i++ {
				idx, err := sr.U32()
				if err != nil {
					return
				}
				s, err := sr.Name()
				if err != nil {
					return
				}
				names[idx] = s
			}
		}
	}
	d.m.ModuleName = modName
	d.m.FuncNames = names
}

func (d *decoder) decodeImports(r *Reader) error {
	n, err := d.count(r)
	if err != nil {
		return err
	}
	m := d.m
	m.Imports = make([]Import, 0, prealloc(n))
	for i := uint32(0); i < n; i++ {
		im := Import{Offset: r.Offset()}
		if im.Module, err = readName(r); err != nil {
			return err
		}
		if im.Name, err = readName(r); err != nil {
			return err
		}
		koff := r.Offset()
		k, err := r.Byte()
		if err != nil {
			return err
		}
		im.Kind = ExternKind(k)
		switch im.Kind {
		case ExternFunc:
			im.Type, err = r.U32()
			m.NumImportedFuncs++
		case ExternTable:
			im.Table, err = readTableType(r)
			m.NumImportedTables++
		case ExternMemory:
			im.Memory, err = readLimits(r)
			m.NumImportedMemories++
		case ExternGlobal:
			im.Global, err = readGlobalType(r)
			m.NumImportedGlobals++
		case ExternTag:
			im.Type, err = readTag(r)
			m.NumImportedTags++
		default:
			return &Error{Offset: koff, Msg: "malformed import kind"}
		}
		if err != nil {
			return err
		}
		m.Imports = append(m.Imports, im)
	}
	return nil
}

func readTag(r *Reader) (uint32, error) {
	off := r.Offset()
	a, err := r.Byte()
	if err != nil {
		return 0, err
	}
	if a != 0 {
		return 0, &Error{Offset: off, Msg: "malformed tag attribute"}
	}
	return r.U32()
}

func (d *decoder) decodeFunctions(r *Reader) error {
	n, err := d.count(r)
	if err != nil {
		return err
	}
	d.m.Funcs = make([]uint32, 0, prealloc(n))
	for i := uint32(0); i < n; i++ {
		t, err := r.U32()
		if err != nil {
			return err
		}
		d.m.Funcs = append(d.m.Funcs, t)
	}
	return nil
}

func (d *decoder) decodeTables(r *Reader) error {
	n, err := d.count(r)
	if err != nil {
		return err
	}
	d.m.Tables = make([]Table, 0, prealloc(n))
	for i := uint32(0); i < n; i++ {
		var t Table
		if r.Pos < len(r.Buf) && r.Buf[r.Pos] == 0x40 {
			r.Pos++
			zoff := r.Offset()
			z, err := r.Byte()
			if err != nil {
				return err
			}
			if z != 0 {
				return &Error{Offset: zoff, Msg: "malformed table"}
			}
			if t.Type, err = readTableType(r); err != nil {
				return err
			}
			e, err := d.constExpr(r)
			if err != nil {
				return err
			}
			t.Init = &e
		} else if t.Type, err = readTableType(r); err != nil {
			return err
		}
		d.m.Tables = append(d.m.Tables, t)
	}
	return nil
}

func (d *decoder) decodeMemories(r *Reader) error {
	n, err := d.count(r)
	if err != nil {
		return err
	}
	d.m.Memories = make([]Limits, 0, prealloc(n))
	for i := uint32(0); i < n; i++ {
		l, err := readLimits(r)
		if err != nil {
			return err
		}
		d.m.Memories = append(d.m.Memories, l)
	}
	return nil
}

func (d *decoder) decodeTags(r *Reader) error {
	n, err := d.count(r)
	if err != nil {
		return err
	}
	d.m.Tags = make([]uint32, 0, prealloc(n))
	for i := uint32(0); i < n; i++ {
		t, err := readTag(r)
		if err != nil {
			return err
		}
		d.m.Tags = append(d.m.Tags, t)
	}
	return nil
}

func (d *decoder) decodeGlobals(r *Reader) error {
	n, err := d.count(r)
	if err != nil {
		return err
	}
	d.m.Globals = make([]Global, 0, prealloc(n))
	for i := uint32(0); i < n; i++ {
		var g Global
		if g.Type, err = readGlobalType(r); err != nil {
			return err
		}
		if g.Init, err = d.constExpr(r); err != nil {
			return err
		}
		d.m.Globals = append(d.m.Globals, g)
	}
	return nil
}

func (d *decoder) decodeExports(r *Reader) error {
	n, err := d.count(r)
	if err != nil {
		return err
	}
	d.m.Exports = make([]Export, 0, prealloc(n))
	for i := uint32(0); i < n; i++ {
		e := Export{Offset: r.Offset()}
		if e.Name, err = readName(r); err != nil {
			return err
		}
		koff := r.Offset()
		k, err := r.Byte()
		if err != nil {
			return err
		}
		if k > byte(ExternTag) {
			return &Error{Offset: koff, Msg: "malformed export kind"}
		}
		e.Kind = ExternKind(k)
		if e.Index, err = r.U32(); err != nil {
			return err
		}
		d.m.Exports = append(d.m.Exports, e)
	}
	return nil
}

// constExpr reads instructions up to and including the matching end.
func (d *decoder) constExpr(r *Reader) (ConstExpr, error) {
	start := r.Pos
	ir := &d.ir
	ir.Reset(r.Buf[start:], r.Base+start)
	depth := 0
	for {
		in, err := ir.Next()
		if err != nil {
			return ConstExpr{}, err
		}
		switch in.Op {
		case OpBlock, OpLoop, OpIf, OpTryTable:
			depth++
		case OpEnd:
			if depth == 0 {
				r.Pos = start + ir.r.Pos
				return ConstExpr{Code: r.Buf[start:r.Pos], Offset: r.Base + start}, nil
			}
			depth--
		}
	}
}

// funcRefExpr builds the constant expression (ref.func f) end.
func funcRefExpr(f uint32, off int) ConstExpr {
	b := leb128.AppendUint([]byte{OpRefFunc}, uint64(f))
	return ConstExpr{Code: append(b, OpEnd), Offset: off}
}

func (d *decoder) decodeElems(r *Reader) error {
	n, err := d.count(r)
	if err != nil {
		return err
	}
	d.m.Elems = make([]Elem, 0, prealloc(n))
	for i := uint32(0); i < n; i++ {
		foff := r.Offset()
		flags, err := r.U32()
		if err != nil {
			return err
		}
		if flags > 7 {
			return &Error{Offset: foff, Msg: "malformed elements segment kind"}
		}
		var e Elem
		switch {
		case flags&1 == 0:
			e.Mode = SegActive
		case flags&2 == 0:
			e.Mode = SegPassive
		default:
			e.Mode = SegDeclarative
		}
		if e.Mode == SegActive {
			if flags&2 != 0 {
				if e.Table, err = r.U32(); err != nil {
					return err
				}
			}
			if e.Offset, err = d.constExpr(r); err != nil {
				return err
			}
		}
		exprs := flags&4 != 0
		if flags&3 != 0 {
			// Explicit element kind or reference type.
			if exprs {
				if e.Type, err = readRefType(r); err != nil {
					return err
				}
			} else {
				koff := r.Offset()
				k, err := r.Byte()
				if err != nil {
					return err
				}
				if k != 0 {
					return &Error{Offset: koff, Msg: "malformed element kind"}
				}
				e.Type = ValType{Code: CodeRef, Heap: HeapFunc}
			}
		} else if exprs {
			e.Type = FuncRef
		} else {
			e.Type = ValType{Code: CodeRef, Heap: HeapFunc}
		}
		k, err := d.count(r)
		if err != nil {
			return err
		}
		e.Init = make([]ConstExpr, 0, prealloc(k))
		for j := uint32(0); j < k; j++ {
			if exprs {
				c, err := d.constExpr(r)
				if err != nil {
					return err
				}
				e.Init = append(e.Init, c)
				continue
			}
			off := r.Offset()
			f, err := r.U32()
			if err != nil {
				return err
			}
			e.Init = append(e.Init, funcRefExpr(f, off))
		}
		d.m.Elems = append(d.m.Elems, e)
	}
	return nil
}

func (d *decoder) decodeCodes(r *Reader, secEnd int) error {
	n, err := d.count(r)
	if err != nil {
		return err
	}
	m := d.m
	m.Codes = make([]Code, 0, prealloc(n))
	for i := uint32(0); i < n; i++ {
		c := Code{Offset: r.Offset()}
		size, err := r.U32()
		if err != nil {
			return err
		}
		if int64(size) > int64(len(r.Buf)-r.Pos) {
			return r.Errorf("unexpected end")
		}
		br := &Reader{Buf: r.Buf[r.Pos : r.Pos+int(size)], Base: r.Offset()}
		r.Pos += int(size)
		k, err := br.U32()
		if err != nil {
			return fixFuncEnd(err)
		}
		if int64(k) > int64(len(br.Buf)-br.Pos) {
			return fixFuncEnd(br.Errorf("unexpected end"))
		}
		total := uint64(0)
		if k > 0 {
			c.Locals = make([]LocalDecl, 0, prealloc(k))
		}
		for j := uint32(0); j < k; j++ {
			cnt, err := br.U32()
			if err != nil {
				return fixFuncEnd(err)
			}
			total += uint64(cnt)
			if total > MaxLocals {
				return br.Errorf("too many locals")
			}
			t, err := readValType(br)
			if err != nil {
				return fixFuncEnd(err)
			}
			c.Locals = append(c.Locals, LocalDecl{Count: cnt, Type: t})
		}
		c.Body = br.Buf[br.Pos:]
		c.BodyOffset = br.Offset()
		if len(c.Body) == 0 || c.Body[len(c.Body)-1] != OpEnd {
			// The reference interpreter reads on past the body; say
			// what it would find there.
			if err := d.scanPast(r.Buf, c.BodyOffset, c.BodyOffset+len(c.Body)); err != nil {
				return err
			}
			switch {
			case i+1 < n:
				return &Error{Offset: r.Offset(), Msg: "END opcode expected"}
			case secEnd < len(r.Buf):
				return &Error{Offset: r.Offset(), Msg: "section size mismatch"}
			default:
				return &Error{Offset: r.Offset(), Msg: "unexpected end of section or function"}
			}
		}
		m.Codes = append(m.Codes, c)
	}
	return nil
}

// scanPast decodes the instructions that start in buf[start:end], reading on
// past end if needed, and returns the first decoding error.
func (d *decoder) scanPast(buf []byte, start, end int) error {
	ir := &d.ir
	ir.Reset(buf[start:], start)
	for ir.Offset() < end {
		if _, err := ir.Next(); err != nil {
			if e, ok := err.(*Error); ok && e.Msg == "unexpected end" {
				return nil
			}
			return err
		}
	}
	return nil
}

// fixFuncEnd rewords running out of a function's bytes.
func fixFuncEnd(err error) error {
	if e, ok := err.(*Error); ok && e.Msg == "unexpected end" {
		e.Msg = "unexpected end of section or function"
	}
	return err
}

func (d *decoder) decodeDatas(r *Reader) error {
	n, err := d.count(r)
	if err != nil {
		return err
	}
	m := d.m
	m.Datas = make([]Data, 0, prealloc(n))
	for i := uint32(0); i < n; i++ {
		foff := r.Offset()
		flags, err := r.U32()
		if err != nil {
			return err
		}
		var s Data
		switch flags {
		case 0:
			s.Mode = SegActive
		case 1:
			s.Mode = SegPassive
		case 2:
			s.Mode = SegActive
			if s.Memory, err = r.U32(); err != nil {
				return err
			}
		default:
			return &Error{Offset: foff, Msg: "malformed data segment kind"}
		}
		if s.Mode == SegActive {
			if s.Offset, err = d.constExpr(r); err != nil {
				return err
			}
		}
		k, err := r.U32()
		if err != nil {
			return err
		}
		if s.Init, err = r.Bytes(int(k)); err != nil {
			return err
		}
		m.Datas = append(m.Datas, s)
	}
	return nil
}
