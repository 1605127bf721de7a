package frontend

// Encode writes a Module back to the binary format.
//
// Function bodies, constant expressions and custom sections are carried as
// raw bytes in a Module, so encoding is mostly section framing: every section
// that has content is written in the order the binary format prescribes
// (type, import, function, table, memory, tag, global, export, start, element,
// data count, code, data), with minimal LEB128 integers. Custom sections are
// appended after the data section, since a Module does not record where they
// stood. Choices the binary format leaves open are made so that
// Decode(Encode(m)) equals m (ignoring byte offsets):
//
//   - a reference type uses the one-byte shorthand when it is nullable and
//     its heap type is abstract;
//   - a type outside a rec group (RecSize 1) is written without the rec
//     prefix, a final type without supertypes without the sub prefix;
//   - an element segment uses the function-index forms (flags 0–3) when its
//     type is (ref func) and every item is exactly `ref.func i`, otherwise
//     the expression forms (flags 4–7; 4 only for a nullable funcref segment
//     on table 0);
//   - the data count section is written iff DataCount ≥ 0;
//   - a memory's page size is written only when PageLog2 is neither 0 nor 16.

import (
	"errors"
	"fmt"

	"wfxc/internal/leb128"
)

// Encode returns the binary encoding of m.
func Encode(m *Module) ([]byte, error) {
	e := &encoder{}
	e.buf = append(e.buf, 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00)

	if len(m.Types) > 0 {
		var s encoder
		if err := s.typeSection(m.Types); err != nil {
			return nil, err
		}
		e.section(1, s.buf)
	}
	if len(m.Imports) > 0 {
		var s encoder
		s.u32(uint32(len(m.Imports)))
		for i := range m.Imports {
			im := &m.Imports[i]
			s.name(im.Module)
			s.name(im.Name)
			s.byte(byte(im.Kind))
			switch im.Kind {
			case ExternFunc, ExternTag:
				if im.Kind == ExternTag {
					s.byte(0)
				}
				s.u32(im.Type)
			case ExternTable:
				s.tableType(im.Table)
			case ExternMemory:
				s.limits(im.Memory, true)
			case ExternGlobal:
				s.globalType(im.Global)
			default:
				return nil, fmt.Errorf("import %d: unknown kind %d", i, im.Kind)
			}
		}
		e.section(2, s.buf)
	}
	if len(m.Funcs) > 0 {
		var s encoder
		s.u32(uint32(len(m.Funcs)))
		for _, t := range m.Funcs {
			s.u32(t)
		}
		e.section(3, s.buf)
	}
	if len(m.Tables) > 0 {
		var s encoder
		s.u32(uint32(len(m.Tables)))
		for _, t := range m.Tables {
			if t.Init != nil {
				s.byte(0x40)
				s.byte(0x00)
				s.tableType(t.Type)
				s.bytes(t.Init.Code)
			} else {
				s.tableType(t.Type)
			}
		}
		e.section(4, s.buf)
	}
	if len(m.Memories) > 0 {
		var s encoder
		s.u32(uint32(len(m.Memories)))
		for _, l := range m.Memories {
			s.limits(l, true)
		}
		e.section(5, s.buf)
	}
	if len(m.Tags) > 0 {
		var s encoder
		s.u32(uint32(len(m.Tags)))
		for _, t := range m.Tags {
			s.byte(0)
			s.u32(t)
		}
		e.section(13, s.buf)
	}
	if len(m.Globals) > 0 {
		var s encoder
		s.u32(uint32(len(m.Globals)))
		for _, g := range m.Globals {
			s.globalType(g.Type)
			s.bytes(g.Init.Code)
		}
		e.section(6, s.buf)
	}
	if len(m.Exports) > 0 {
		var s encoder
		s.u32(uint32(len(m.Exports)))
		for _, ex := range m.Exports {
			s.name(ex.Name)
			s.byte(byte(ex.Kind))
			s.u32(ex.Index)
		}
		e.section(7, s.buf)
	}
	if m.Start >= 0 {
		var s encoder
		s.u32(uint32(m.Start))
		e.section(8, s.buf)
	}
	if len(m.Elems) > 0 {
		var s encoder
		s.u32(uint32(len(m.Elems)))
		for i := range m.Elems {
			if err := s.elem(&m.Elems[i]); err != nil {
				return nil, fmt.Errorf("element segment %d: %w", i, err)
			}
		}
		e.section(9, s.buf)
	}
	if m.DataCount >= 0 {
		var s encoder
		s.u32(uint32(m.DataCount))
		e.section(12, s.buf)
	}
	if len(m.Codes) > 0 || len(m.Funcs) > 0 {
		if len(m.Codes) != len(m.Funcs) {
			return nil, fmt.Errorf("%d function bodies for %d functions", len(m.Codes), len(m.Funcs))
		}
		var s encoder
		s.u32(uint32(len(m.Codes)))
		for _, c := range m.Codes {
			var b encoder
			b.u32(uint32(len(c.Locals)))
			for _, l := range c.Locals {
				b.u32(l.Count)
				b.valType(l.Type)
			}
			b.bytes(c.Body)
			s.u32(uint32(len(b.buf)))
			s.bytes(b.buf)
		}
		e.section(10, s.buf)
	}
	if len(m.Datas) > 0 {
		var s encoder
		s.u32(uint32(len(m.Datas)))
		for _, d := range m.Datas {
			switch {
			case d.Mode == SegPassive:
				s.u32(1)
			case d.Mode == SegActive && d.Memory == 0:
				s.u32(0)
				s.bytes(d.Offset.Code)
			case d.Mode == SegActive:
				s.u32(2)
				s.u32(d.Memory)
				s.bytes(d.Offset.Code)
			default:
				return nil, errors.New("declarative data segment")
			}
			s.u32(uint32(len(d.Init)))
			s.bytes(d.Init)
		}
		e.section(11, s.buf)
	}
	hasNameSection := false
	for _, c := range m.Customs {
		if c.Name == "name" {
			hasNameSection = true
		}
		var s encoder
		s.name(c.Name)
		s.bytes(c.Data)
		e.section(0, s.buf)
	}
	if !hasNameSection && (m.ModuleName != "" || len(m.FuncNames) > 0) {
		e.section(0, nameSection(m))
	}
	return e.buf, nil
}

// nameSection encodes the module-name and function-name subsections.
func nameSection(m *Module) []byte {
	var s encoder
	s.name("name")
	if m.ModuleName != "" {
		var sub encoder
		sub.name(m.ModuleName)
		s.byte(0)
		s.u32(uint32(len(sub.buf)))
		s.bytes(sub.buf)
	}
	if len(m.FuncNames) > 0 {
		idx := make([]uint32, 0, len(m.FuncNames))
		for i := range m.FuncNames {
			idx = append(idx, i)
		}
		sortU32(idx)
		var sub encoder
		sub.u32(uint32(len(idx)))
		for _, i := range idx {
			sub.u32(i)
			sub.name(m.FuncNames[i])
		}
		s.byte(1)
		s.u32(uint32(len(sub.buf)))
		s.bytes(sub.buf)
	}
	return s.buf
}

func sortU32(a []uint32) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && a[j] < a[j-1]; j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}

// encoder accumulates binary output.
type encoder struct{ buf []byte }

func (e *encoder) byte(b byte)    { e.buf = append(e.buf, b) }
func (e *encoder) bytes(b []byte) { e.buf = append(e.buf, b...) }

func (e *encoder) u32(v uint32) { e.buf = leb128.AppendUint(e.buf, uint64(v)) }

func (e *encoder) name(s string) {
	e.u32(uint32(len(s)))
	e.buf = append(e.buf, s...)
}

func (e *encoder) section(id byte, body []byte) {
	e.byte(id)
	e.u32(uint32(len(body)))
	e.bytes(body)
}

// AppendHeapType appends a heap type as s33.
func AppendHeapType(b []byte, h HeapType) []byte { return leb128.AppendInt(b, int64(h)) }

// AppendValType appends a value type, using the one-byte shorthand for
// nullable abstract reference types.
func AppendValType(b []byte, t ValType) []byte {
	switch t.Code {
	case CodeRefNull:
		if t.Heap < 0 {
			return AppendHeapType(b, t.Heap)
		}
		return AppendHeapType(append(b, CodeRefNull), t.Heap)
	case CodeRef:
		return AppendHeapType(append(b, CodeRef), t.Heap)
	}
	return append(b, t.Code)
}

func (e *encoder) valType(t ValType) { e.buf = AppendValType(e.buf, t) }

func (e *encoder) globalType(g GlobalType) {
	e.valType(g.Type)
	if g.Mutable {
		e.byte(1)
	} else {
		e.byte(0)
	}
}

func (e *encoder) tableType(t TableType) {
	e.valType(t.Elem)
	e.limits(t.Limits, false)
}

func (e *encoder) limits(l Limits, memory bool) {
	var flags byte
	if l.HasMax {
		flags |= 1
	}
	if l.Shared {
		flags |= 2
	}
	if l.Is64 {
		flags |= 4
	}
	custom := memory && l.PageLog2 != 0 && l.PageLog2 != 16
	if custom {
		flags |= 8
	}
	e.byte(flags)
	e.buf = leb128.AppendUint(e.buf, l.Min)
	if l.HasMax {
		e.buf = leb128.AppendUint(e.buf, l.Max)
	}
	if custom {
		e.u32(uint32(l.PageLog2))
	}
}

func (e *encoder) typeSection(types []SubType) error {
	// Count rec groups first.
	groups := 0
	for i := 0; i < len(types); {
		n := int(types[i].RecSize)
		if n < 1 {
			n = 1
		}
		if int(types[i].RecStart) != i || i+n > len(types) {
			return fmt.Errorf("type %d: inconsistent rec group (start %d, size %d)", i, types[i].RecStart, types[i].RecSize)
		}
		groups++
		i += n
	}
	e.u32(uint32(groups))
	for i := 0; i < len(types); {
		n := int(types[i].RecSize)
		if n < 1 {
			n = 1
		}
		if n > 1 {
			e.byte(0x4E)
			e.u32(uint32(n))
		}
		for j := i; j < i+n; j++ {
			if err := e.subType(&types[j]); err != nil {
				return fmt.Errorf("type %d: %w", j, err)
			}
		}
		i += n
	}
	return nil
}

func (e *encoder) subType(t *SubType) error {
	if !t.Final || len(t.Supers) > 0 {
		if t.Final {
			e.byte(0x4F)
		} else {
			e.byte(0x50)
		}
		e.u32(uint32(len(t.Supers)))
		for _, s := range t.Supers {
			e.u32(s)
		}
	}
	c := &t.Comp
	switch c.Kind {
	case CompFunc:
		e.byte(0x60)
		e.u32(uint32(len(c.Params)))
		for _, p := range c.Params {
			e.valType(p)
		}
		e.u32(uint32(len(c.Results)))
		for _, r := range c.Results {
			e.valType(r)
		}
	case CompStruct:
		e.byte(0x5F)
		e.u32(uint32(len(c.Fields)))
		for _, f := range c.Fields {
			e.fieldType(f)
		}
	case CompArray:
		if len(c.Fields) != 1 {
			return fmt.Errorf("array type with %d element types", len(c.Fields))
		}
		e.byte(0x5E)
		e.fieldType(c.Fields[0])
	case CompCont:
		e.byte(0x5D)
		e.buf = leb128.AppendInt(e.buf, int64(c.Cont))
	default:
		return fmt.Errorf("unknown composite kind %d", c.Kind)
	}
	return nil
}

func (e *encoder) fieldType(f FieldType) {
	e.valType(f.Type)
	if f.Mutable {
		e.byte(1)
	} else {
		e.byte(0)
	}
}

// refFuncIndex reports whether code is exactly `ref.func i; end`.
func refFuncIndex(code []byte) (uint32, bool) {
	if len(code) < 3 || code[0] != OpRefFunc || code[len(code)-1] != OpEnd {
		return 0, false
	}
	r := Reader{Buf: code[1 : len(code)-1]}
	i, err := r.U32()
	if err != nil || !r.EOF() {
		return 0, false
	}
	return i, true
}

func (e *encoder) elem(el *Elem) error {
	indexForm := el.Type.Code == CodeRef && el.Type.Heap == HeapFunc
	var idx []uint32
	if indexForm {
		for _, c := range el.Init {
			i, ok := refFuncIndex(c.Code)
			if !ok {
				indexForm = false
				break
			}
			idx = append(idx, i)
		}
	}
	if indexForm {
		switch el.Mode {
		case SegPassive:
			e.u32(1)
			e.byte(0)
		case SegActive:
			if el.Table == 0 {
				e.u32(0)
				e.bytes(el.Offset.Code)
			} else {
				e.u32(2)
				e.u32(el.Table)
				e.bytes(el.Offset.Code)
				e.byte(0)
			}
		case SegDeclarative:
			e.u32(3)
			e.byte(0)
		default:
			return fmt.Errorf("unknown mode %d", el.Mode)
		}
		e.u32(uint32(len(idx)))
		for _, i := range idx {
			e.u32(i)
		}
		return nil
	}
	switch el.Mode {
	case SegPassive:
		e.u32(5)
		e.valType(el.Type)
	case SegActive:
		if el.Table == 0 && el.Type == FuncRef {
			e.u32(4)
			e.bytes(el.Offset.Code)
		} else {
			e.u32(6)
			e.u32(el.Table)
			e.bytes(el.Offset.Code)
			e.valType(el.Type)
		}
	case SegDeclarative:
		e.u32(7)
		e.valType(el.Type)
	default:
		return fmt.Errorf("unknown mode %d", el.Mode)
	}
	e.u32(uint32(len(el.Init)))
	for _, c := range el.Init {
		e.bytes(c.Code)
	}
	return nil
}
