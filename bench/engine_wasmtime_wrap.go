package bench

import (
	"fmt"

	"wfxc/frontend"
	"wfxc/internal/leb128"
)

// Wasmtime's C API (and so wasmtime-go) has no exception values: an
// exception that reaches the host is an error saying "thrown Wasm
// exception", without its tag or payload. To compare uncaught exceptions
// anyway, the harness instantiates a second module, the catch wrapper,
// next to the one under test: it imports the module's exported tags and
// functions and re-exports each function (of a numeric signature) under
// its own name, calling it inside a try_table that catches every
// exported tag. A handler stores the tag's number in the global "exn" and
// the payload in globals "p<tag>_<k>" (a reference as 1 if not null,
// else 0), and returns zeros; the host reads them after the call.

// wrapTag is an exported tag as the catch wrapper catches it.
type wrapTag struct {
	name   string
	params []frontend.ValType
}

// catchWrapper builds the catch wrapper of m (decoded from wasm), or
// returns nil if m exports no tag. Its type section is m's with the
// handlers' block types appended, so every type index of m means the
// same type in the wrapper.
func catchWrapper(wasm []byte, m *frontend.Module) ([]byte, []wrapTag, error) {
	var tagTypes []uint32 // type index per tag index
	for _, im := range m.Imports {
		if im.Kind == frontend.ExternTag {
			tagTypes = append(tagTypes, im.Type)
		}
	}
	tagTypes = append(tagTypes, m.Tags...)
	type wfunc struct {
		name string
		typ  uint32
		ft   *frontend.CompType
	}
	var tags []wrapTag
	var tagTypeIdx []uint32
	var funcs []wfunc
	for _, e := range m.Exports {
		switch e.Kind {
		case frontend.ExternTag:
			ti := tagTypes[e.Index]
			tags = append(tags, wrapTag{name: e.Name, params: m.Types[ti].Comp.Params})
			tagTypeIdx = append(tagTypeIdx, ti)
		case frontend.ExternFunc:
			ft := m.FuncType(e.Index)
			if numeric(ft.Params) && numeric(ft.Results) {
				funcs = append(funcs, wfunc{e.Name, m.FuncTypeIndex(e.Index), ft})
			}
		}
	}
	if len(tags) == 0 {
		return nil, nil, nil
	}
	types, ntypes, err := rawTypes(wasm, m)
	if err != nil {
		return nil, nil, err
	}
	var w wbuf
	// Types: m's, then [] -> payload per tag, then [] -> results per
	// function.
	var tsec wbuf
	tsec.u32(ntypes + uint32(len(tags)+len(funcs)))
	tsec = append(tsec, types...)
	for _, t := range tags {
		tsec.funcType(nil, t.params)
	}
	for _, f := range funcs {
		tsec.funcType(nil, f.ft.Results)
	}
	// Imports: the functions (indices 0…), then the tags.
	var isec wbuf
	isec.u32(uint32(len(funcs) + len(tags)))
	for _, f := range funcs {
		isec.name("m")
		isec.name(f.name)
		isec = append(isec, 0x00)
		isec.u32(f.typ)
	}
	for i, t := range tags {
		isec.name("m")
		isec.name(t.name)
		isec = append(isec, 0x04, 0x00)
		isec.u32(tagTypeIdx[i])
	}
	// Functions: one per import, of the same type.
	var fsec wbuf
	fsec.u32(uint32(len(funcs)))
	for _, f := range funcs {
		fsec.u32(f.typ)
	}
	// Globals: exn, then the payload slots of each tag.
	var gsec, esec wbuf
	nglobals := uint32(1)
	slot := map[[2]int]uint32{}
	for i, t := range tags {
		for k := range t.params {
			slot[[2]int{i, k}] = nglobals
			nglobals++
		}
	}
	gsec.u32(nglobals)
	gsec.global(frontend.I32)
	for _, t := range tags {
		for _, p := range t.params {
			gsec.global(slotType(p))
		}
	}
	esec.u32(uint32(len(funcs)) + nglobals)
	for i, f := range funcs {
		esec.name(f.name)
		esec = append(esec, 0x00)
		esec.u32(uint32(len(funcs) + i))
	}
	esec.name("exn")
	esec = append(esec, 0x03, 0x00)
	for i, t := range tags {
		for k := range t.params {
			esec.name(fmt.Sprintf("p%d_%d", i, k))
			esec = append(esec, 0x03)
			esec.u32(slot[[2]int{i, k}])
		}
	}
	// Code.
	var csec wbuf
	csec.u32(uint32(len(funcs)))
	for fi, f := range funcs {
		var b wbuf
		b.u32(0) // no locals
		for i := len(tags) - 1; i >= 0; i-- {
			b = append(b, 0x02) // block [] -> payload of tag i
			b.s33(int64(ntypes) + int64(i))
		}
		b = append(b, 0x1F) // try_table [] -> results
		b.s33(int64(ntypes) + int64(len(tags)+fi))
		b.u32(uint32(len(tags)))
		for i := range tags {
			b = append(b, 0x00) // catch tag i → label i
			b.u32(uint32(i))
			b.u32(uint32(i))
		}
		for k := range f.ft.Params {
			b = append(b, 0x20)
			b.u32(uint32(k))
		}
		b = append(b, 0x10)
		b.u32(uint32(fi))
		b = append(b, 0x0B, 0x0F) // end try_table; return
		for i, t := range tags {
			b = append(b, 0x0B) // end of block i: its payload on the stack
			for k := len(t.params) - 1; k >= 0; k-- {
				if !isNum(t.params[k].Code) {
					b = append(b, 0xD1, 0x45) // ref.is_null; i32.eqz
				}
				b = append(b, 0x24)
				b.u32(slot[[2]int{i, k}])
			}
			b = append(b, 0x41)
			b.s33(int64(i + 1))
			b = append(b, 0x24, 0x00) // exn = i+1
			for _, r := range f.ft.Results {
				b.zero(r.Code)
			}
			b = append(b, 0x0F)
		}
		b = append(b, 0x0B)
		csec.u32(uint32(len(b)))
		csec = append(csec, b...)
	}
	w = append(w, "\x00asm\x01\x00\x00\x00"...)
	w.section(1, tsec)
	w.section(2, isec)
	w.section(3, fsec)
	w.section(6, gsec)
	w.section(7, esec)
	w.section(10, csec)
	return w, tags, nil
}

func numeric(ts []frontend.ValType) bool {
	for _, t := range ts {
		if !isNum(t.Code) {
			return false
		}
	}
	return true
}

// slotType is the type of the wrapper global that holds a payload value
// of type t: t for numbers, i32 for a reference's null-ness.
func slotType(t frontend.ValType) frontend.ValType {
	if isNum(t.Code) {
		return t
	}
	return frontend.I32
}

// rawTypes returns the entries of wasm's type section (without the
// count) and their number.
func rawTypes(wasm []byte, m *frontend.Module) ([]byte, uint32, error) {
	off := m.SectionOffsets[1]
	if off == 0 {
		return nil, 0, nil
	}
	size, n, err := leb128.Uint(wasm[off+1:], 32)
	if err != nil {
		return nil, 0, err
	}
	body := wasm[off+1+n : off+1+n+int(size)]
	count, n, err := leb128.Uint(body, 32)
	if err != nil {
		return nil, 0, err
	}
	return body[n:], uint32(count), nil
}

// wbuf is a byte buffer with the wasm binary encodings the wrapper needs.
type wbuf []byte

func (b *wbuf) u32(v uint32) { *b = leb128.AppendUint(*b, uint64(v)) }
func (b *wbuf) s33(v int64)  { *b = leb128.AppendInt(*b, v) }

func (b *wbuf) name(s string) {
	b.u32(uint32(len(s)))
	*b = append(*b, s...)
}

func (b *wbuf) valType(t frontend.ValType) {
	*b = append(*b, t.Code)
	if t.Code == frontend.CodeRef || t.Code == frontend.CodeRefNull {
		b.s33(int64(t.Heap))
	}
}

func (b *wbuf) funcType(params, results []frontend.ValType) {
	*b = append(*b, 0x60)
	b.u32(uint32(len(params)))
	for _, p := range params {
		b.valType(p)
	}
	b.u32(uint32(len(results)))
	for _, r := range results {
		b.valType(r)
	}
}

// global appends a mutable global of type t initialised to zero.
func (b *wbuf) global(t frontend.ValType) {
	b.valType(t)
	*b = append(*b, 0x01)
	b.zero(t.Code)
	*b = append(*b, 0x0B)
}

// zero appends the constant zero of a number type.
func (b *wbuf) zero(code byte) {
	switch code {
	case frontend.CodeI32:
		*b = append(*b, 0x41, 0x00)
	case frontend.CodeI64:
		*b = append(*b, 0x42, 0x00)
	case frontend.CodeF32:
		*b = append(*b, 0x43, 0, 0, 0, 0)
	case frontend.CodeF64:
		*b = append(*b, 0x44, 0, 0, 0, 0, 0, 0, 0, 0)
	}
}

func (b *wbuf) section(id byte, body []byte) {
	*b = append(*b, id)
	b.u32(uint32(len(body)))
	*b = append(*b, body...)
}
