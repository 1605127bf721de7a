package compile

import (
	"fmt"
	"strings"

	"wfxc/frontend"
	"wfxc/lower"
	"wfxc/objfile"
	"wfxc/rt/abi"
)

// ValType converts a frontend value type to its descriptor form.
func ValType(t frontend.ValType) abi.ValType {
	if t.IsRef() {
		return abi.MakeRefType(t.Nullable(), int64(t.Heap))
	}
	return abi.ValType(t.Code)
}

func valTypes(ts []frontend.ValType) []abi.ValType {
	out := make([]abi.ValType, len(ts))
	for i, t := range ts {
		out[i] = ValType(t)
	}
	return out
}

func constExpr(e frontend.ConstExpr) []byte {
	return append([]byte(nil), e.Code...)
}

// describe builds the descriptor of m; code offsets are filled in later.
func describe(m *frontend.Module, layout abi.VMCtxLayout, opts Options) *abi.Descriptor {
	d := &abi.Descriptor{
		Version: abi.DescriptorVersion,
		Name:    opts.Name,
		Arch:    opts.Target,
		Start:   m.Start,
		Layout:  layout,
	}
	for _, st := range m.Types {
		ft := abi.FuncType{Kind: byte(st.Comp.Kind), NonFinal: !st.Final, Supers: st.Supers,
			RecStart: st.RecStart, RecSize: st.RecSize}
		switch st.Comp.Kind {
		case frontend.CompFunc:
			ft.Params = valTypes(st.Comp.Params)
			ft.Results = valTypes(st.Comp.Results)
		case frontend.CompStruct, frontend.CompArray:
			for _, f := range st.Comp.Fields {
				ft.Fields = append(ft.Fields, abi.Field{Type: ValType(f.Type), Mutable: f.Mutable})
			}
		case frontend.CompCont:
			// A continuation type is identified by its function type.
			ft.Fields = []abi.Field{{Type: abi.MakeRefType(false, int64(st.Comp.Cont))}}
		}
		d.Types = append(d.Types, ft)
	}
	funcName := funcDisplayNames(m)
	var nf, nt, nm, ng, ntag uint32
	for _, im := range m.Imports {
		ai := abi.Import{Module: im.Module, Name: im.Name, Kind: byte(im.Kind)}
		switch im.Kind {
		case frontend.ExternFunc:
			ai.Index = nf
			d.Funcs = append(d.Funcs, abi.Func{Type: im.Type, Name: funcName(int(nf)), Code: abi.NoCode, Wrapper: abi.NoCode, Imported: true})
			nf++
		case frontend.ExternTable:
			ai.Index = nt
			d.Tables = append(d.Tables, tableDesc(im.Table, true, nil))
			nt++
		case frontend.ExternMemory:
			ai.Index = nm
			d.Memories = append(d.Memories, memDesc(im.Memory, true))
			nm++
		case frontend.ExternGlobal:
			ai.Index = ng
			d.Globals = append(d.Globals, abi.Global{Type: ValType(im.Global.Type), Mutable: im.Global.Mutable, Imported: true})
			ng++
		case frontend.ExternTag:
			ai.Index = ntag
			d.Tags = append(d.Tags, abi.Tag{Type: im.Type, Imported: true})
			ntag++
		}
		d.Imports = append(d.Imports, ai)
	}
	for i, ti := range m.Funcs {
		fn := m.NumImportedFuncs + i
		d.Funcs = append(d.Funcs, abi.Func{Type: ti, Name: funcName(fn), Code: abi.NoCode, Wrapper: abi.NoCode})
	}
	for _, t := range m.Tables {
		var init []byte
		if t.Init != nil {
			init = constExpr(*t.Init)
		}
		d.Tables = append(d.Tables, tableDesc(t.Type, false, init))
	}
	for _, l := range m.Memories {
		d.Memories = append(d.Memories, memDesc(l, false))
	}
	for _, g := range m.Globals {
		d.Globals = append(d.Globals, abi.Global{Type: ValType(g.Type.Type), Mutable: g.Type.Mutable, Init: constExpr(g.Init)})
	}
	for _, t := range m.Tags {
		d.Tags = append(d.Tags, abi.Tag{Type: t})
	}
	for _, e := range m.Exports {
		d.Exports = append(d.Exports, abi.Export{Name: e.Name, Kind: byte(e.Kind), Index: e.Index})
	}
	for _, s := range m.Datas {
		d.Data = append(d.Data, abi.Data{Mode: byte(s.Mode), Memory: s.Memory, Offset: constExpr(s.Offset), Bytes: s.Init})
	}
	for _, s := range m.Elems {
		e := abi.Elem{Mode: byte(s.Mode), Table: s.Table, Offset: constExpr(s.Offset), Type: ValType(s.Type)}
		for _, it := range s.Init {
			e.Items = append(e.Items, constExpr(it))
		}
		d.Elems = append(d.Elems, e)
	}
	return d
}

func tableDesc(t frontend.TableType, imported bool, init []byte) abi.Table {
	return abi.Table{Elem: ValType(t.Elem), Min: t.Limits.Min, Max: t.Limits.Max, HasMax: t.Limits.HasMax,
		Is64: t.Limits.Is64, Imported: imported, Init: init}
}

func memDesc(l frontend.Limits, imported bool) abi.Memory {
	pl := l.PageLog2
	if pl == 0 {
		pl = 16
	}
	return abi.Memory{Min: l.Min, Max: l.Max, HasMax: l.HasMax, Is64: l.Is64, Shared: l.Shared, PageLog2: pl, Imported: imported}
}

// debugInfo fills the DWARF of obj: a subprogram per defined function and
// line rows for its code. When the module carries its own DWARF, a row maps
// code to the source file and line of the wasm instruction it came from
// and a subprogram takes its source name; otherwise, and for code that the
// module's DWARF does not cover, the "line" is the wasm byte offset in the
// module file <name>.wasm, as Wasmtime's and wasm2c's debuggers show them.
// Malformed module DWARF is ignored: it only costs the source lines.
func debugInfo(obj *objfile.Object, m *frontend.Module, d *abi.Descriptor, funcs []*lower.Compiled, name string) {
	obj.Name = name + ".wasm"
	sm, err := frontend.ReadSourceMap(m)
	if err != nil {
		sm = nil
	}
	if sm != nil {
		obj.Language = sm.Language
	}
	last := -1 // the function of the last row
	var seen bool
	var lastAddr uint64 // the module DWARF row of the last line row
	for i, c := range funcs {
		fn := m.NumImportedFuncs + i
		off := d.Funcs[fn].Code
		fname := d.Funcs[fn].Name
		if sm != nil {
			if n := sm.FuncName(m.Codes[i].BodyOffset); n != "" && !strings.Contains(n, "\x00") {
				fname = n
			}
		}
		obj.Funcs = append(obj.Funcs, objfile.DebugFunc{Name: fname, Off: off, Size: d.Funcs[fn].Size})
		for _, l := range c.Lines {
			if l.Pos < 0 {
				continue
			}
			row := objfile.LineRow{Off: off + l.Off, File: obj.Name, Line: uint32(l.Pos)}
			if sm != nil {
				if p, ok := sm.At(int(l.Pos)); ok && p.File != "" && !strings.Contains(p.File, "\x00") {
					// The prologue ends at the first code of the row that says so.
					row.File, row.Line, row.PrologueEnd = p.File, p.Line, p.PrologueEnd && (!seen || p.Addr != lastAddr)
					seen, lastAddr = true, p.Addr
				}
			}
			if n := len(obj.Lines); n > 0 && i == last && obj.Lines[n-1].File == row.File && obj.Lines[n-1].Line == row.Line && !row.PrologueEnd {
				continue // the row before already covers this code
			}
			if sm != nil && last != i {
				row.Off = off // the prologue belongs to the function's first line
			}
			obj.Lines, last = append(obj.Lines, row), i
		}
		// The source lines end with the function: the code after it
		// (wrappers, stubs) has no line rather than its last one.
		if end := off + d.Funcs[fn].Size; sm != nil && last == i && int(end) < len(obj.Text) {
			obj.Lines = append(obj.Lines, objfile.LineRow{Off: end, End: true})
		}
	}
}

// funcDisplayNames returns the display name of each function (its ELF
// symbol and its name in backtraces): its name-section name, else its
// first export's name, else wasm[INDEX].
func funcDisplayNames(m *frontend.Module) func(i int) string {
	exported := map[uint32]string{}
	for _, e := range m.Exports {
		if _, seen := exported[e.Index]; e.Kind == frontend.ExternFunc && !seen {
			exported[e.Index] = e.Name
		}
	}
	return func(i int) string {
		// (A NUL would cut the ELF symbol's name short.)
		if n := m.FuncNames[uint32(i)]; n != "" && !strings.Contains(n, "\x00") {
			return n
		}
		if n := exported[uint32(i)]; n != "" && !strings.Contains(n, "\x00") {
			return n
		}
		return fmt.Sprintf("wasm[%d]", i)
	}
}
