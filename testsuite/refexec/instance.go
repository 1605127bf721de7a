package refexec

// Instantiation (https://webassembly.github.io/spec/core/exec/modules.html#instantiation):
// resolve and check imports, allocate functions, tables, memories, globals
// and tags, evaluate the element segments, apply the active element and
// then data segments in order, and run the start function. A trap during
// the segments or the start function fails the instantiation; what was
// written to imported tables and memories before it stays written.

import (
	"errors"

	"wfxc/frontend"
)

// Instance is a module instance.
type Instance struct {
	mod     *Module
	types   []*rtype
	funcs   []*Func
	tables  []*Table
	mems    []*Memory
	globals []*Global
	tags    []*Tag
	elems   [][]Value // nil once dropped
	datas   [][]byte  // nil once dropped
	exports map[string]Extern
}

// Export returns the export called name.
func (in *Instance) Export(name string) (Extern, bool) {
	e, ok := in.exports[name]
	return e, ok
}

// ExportedFunc returns the exported function called name, or nil.
func (in *Instance) ExportedFunc(name string) *Func {
	f, _ := in.exports[name].(*Func)
	return f
}

// ExportedGlobal returns the exported global called name, or nil.
func (in *Instance) ExportedGlobal(name string) *Global {
	g, _ := in.exports[name].(*Global)
	return g
}

// ExportedMemory returns the exported memory called name, or nil.
func (in *Instance) ExportedMemory(name string) *Memory {
	m, _ := in.exports[name].(*Memory)
	return m
}

// ExportedTable returns the exported table called name, or nil.
func (in *Instance) ExportedTable(name string) *Table {
	t, _ := in.exports[name].(*Table)
	return t
}

// ExportedTag returns the exported tag called name, or nil.
func (in *Instance) ExportedTag(name string) *Tag {
	t, _ := in.exports[name].(*Tag)
	return t
}

// Instantiate links mod against imports and instantiates it. A missing or
// mismatched import is a *LinkError; a trap while initialising or in the
// start function is a *Trap (or another outcome of the start function).
func (s *Store) Instantiate(mod *Module, imports Resolver) (*Instance, error) {
	m := mod.m
	in := &Instance{mod: mod, types: s.canonTypes(m), exports: map[string]Extern{}}
	if err := s.link(in, imports); err != nil {
		return nil, err
	}
	for i, t := range m.Funcs {
		in.funcs = append(in.funcs, &Func{typ: in.types[t], inst: in, code: mod.funcs[i]})
	}
	for _, t := range m.Tags {
		in.tags = append(in.tags, &Tag{typ: in.types[t]})
	}
	// Globals, then tables: their initialisers may read earlier globals.
	for _, g := range m.Globals {
		v, err := s.constExpr(in, g.Init)
		if err != nil {
			return nil, err
		}
		in.globals = append(in.globals, &Global{typ: in.vt(g.Type.Type), mut: g.Type.Mutable, val: v})
	}
	for _, t := range m.Tables {
		var init Value
		if t.Init != nil {
			v, err := s.constExpr(in, *t.Init)
			if err != nil {
				return nil, err
			}
			init = v
		}
		tab, err := s.newTable(in.vt(t.Type.Elem), t.Type.Limits, init)
		if err != nil {
			return nil, err
		}
		in.tables = append(in.tables, tab)
	}
	for _, l := range m.Memories {
		mem, err := s.newMemory(l)
		if err != nil {
			return nil, err
		}
		in.mems = append(in.mems, mem)
	}
	for _, e := range m.Exports {
		in.exports[e.Name] = in.extern(e.Kind, e.Index)
	}
	for _, e := range m.Elems {
		vals := make([]Value, len(e.Init))
		for i, x := range e.Init {
			v, err := s.constExpr(in, x)
			if err != nil {
				return nil, err
			}
			vals[i] = v
		}
		in.elems = append(in.elems, vals)
	}
	for _, d := range m.Datas {
		in.datas = append(in.datas, d.Init)
	}
	if err := s.initSegments(in); err != nil {
		return nil, err
	}
	if m.Start >= 0 {
		if _, err := s.Call(in.funcs[m.Start]); err != nil {
			return nil, err
		}
	}
	return in, nil
}

// vt converts a module value type to a canonical one.
func (in *Instance) vt(t frontend.ValType) vtype {
	return canonVal(t, func(h frontend.HeapType) *rtype { return in.types[h] })
}

func (in *Instance) extern(k frontend.ExternKind, i uint32) Extern {
	switch k {
	case frontend.ExternFunc:
		return in.funcs[i]
	case frontend.ExternTable:
		return in.tables[i]
	case frontend.ExternMemory:
		return in.mems[i]
	case frontend.ExternGlobal:
		return in.globals[i]
	}
	return in.tags[i]
}

// link resolves the imports of in's module into its index spaces.
func (s *Store) link(in *Instance, imports Resolver) error {
	for _, im := range in.mod.m.Imports {
		var e Extern
		ok := false
		if imports != nil {
			e, ok = imports.Resolve(im.Module, im.Name)
		}
		if !ok || e == nil {
			return &LinkError{Module: im.Module, Name: im.Name, Msg: "unknown import"}
		}
		if !in.importMatches(im, e) {
			return &LinkError{Module: im.Module, Name: im.Name, Msg: "incompatible import type"}
		}
		switch x := e.(type) {
		case *Func:
			in.funcs = append(in.funcs, x)
		case *Table:
			in.tables = append(in.tables, x)
		case *Memory:
			in.mems = append(in.mems, x)
		case *Global:
			in.globals = append(in.globals, x)
		case *Tag:
			in.tags = append(in.tags, x)
		}
	}
	return nil
}

// importMatches reports whether extern e matches import im
// (https://webassembly.github.io/spec/core/valid/matching.html).
func (in *Instance) importMatches(im frontend.Import, e Extern) bool {
	switch im.Kind {
	case frontend.ExternFunc:
		f, ok := e.(*Func)
		return ok && f.typ.sub(in.types[im.Type])
	case frontend.ExternTable:
		t, ok := e.(*Table)
		return ok && valEq(t.elem, in.vt(im.Table.Elem)) && limitsMatch(t.limits(), im.Table.Limits)
	case frontend.ExternMemory:
		m, ok := e.(*Memory)
		if !ok {
			return false
		}
		want := im.Memory
		if want.PageLog2 == 0 {
			want.PageLog2 = 16
		}
		got := m.limits()
		return got.PageLog2 == want.PageLog2 && got.Shared == want.Shared && limitsMatch(got, want)
	case frontend.ExternGlobal:
		g, ok := e.(*Global)
		if !ok || g.mut != im.Global.Mutable {
			return false
		}
		want := in.vt(im.Global.Type)
		if g.mut {
			return valEq(g.typ, want)
		}
		return valSub(g.typ, want)
	case frontend.ExternTag:
		t, ok := e.(*Tag)
		return ok && t.typ == in.types[im.Type]
	}
	return false
}

// constExpr evaluates a constant expression in instance in.
func (s *Store) constExpr(in *Instance, e frontend.ConstExpr) (Value, error) {
	var st []Value
	r := frontend.NewInstrReader(e.Code, e.Offset)
	for !r.EOF() {
		x, err := r.Next()
		if err != nil {
			return Value{}, err
		}
		switch x.Op {
		case frontend.OpI32Const:
			st = append(st, Value{Bits: uint64(uint32(x.Const))})
		case frontend.OpI64Const, frontend.OpF32Const, frontend.OpF64Const:
			st = append(st, Value{Bits: x.Const})
		case frontend.OpRefNull:
			st = append(st, Value{})
		case frontend.OpRefFunc:
			st = append(st, Value{Ref: in.funcs[x.Idx[0]]})
		case frontend.OpGlobalGet:
			st = append(st, in.globals[x.Idx[0]].val)
		case frontend.OpI32Add, frontend.OpI32Sub, frontend.OpI32Mul,
			frontend.OpI64Add, frontend.OpI64Sub, frontend.OpI64Mul:
			n := len(st) - 1
			st[n-1] = Value{Bits: binops[uint16(x.Op)](st[n-1].Bits, st[n].Bits)}
			st = st[:n]
		case frontend.OpEnd:
		default:
			return Value{}, unsupported("constant instruction 0x%x %d", x.Op, x.Sub)
		}
	}
	if len(st) != 1 {
		return Value{}, errors.New("constant expression left the wrong number of values")
	}
	return st[0], nil
}

// initSegments applies the active element and data segments and drops
// them, and drops the declarative element segments.
func (s *Store) initSegments(in *Instance) (err error) {
	defer func() {
		if r := recover(); r != nil {
			t, ok := r.(*Trap)
			if !ok {
				panic(r)
			}
			err = t
		}
	}()
	m := in.mod.m
	for i, e := range m.Elems {
		switch e.Mode {
		case frontend.SegActive:
			off, err := s.constExpr(in, e.Offset)
			if err != nil {
				return err
			}
			tableInit(in.tables[e.Table], in.elems[i], off.Bits, 0, uint64(len(in.elems[i])))
			in.elems[i] = nil
		case frontend.SegDeclarative:
			in.elems[i] = nil
		}
	}
	for i, d := range m.Datas {
		if d.Mode != frontend.SegActive {
			continue
		}
		off, err := s.constExpr(in, d.Offset)
		if err != nil {
			return err
		}
		memoryInit(in.mems[d.Memory], in.datas[i], off.Bits, 0, uint64(len(d.Init)))
		in.datas[i] = nil
	}
	return nil
}

// tableInit copies seg[src:src+n] to t[dst:], trapping when out of bounds.
func tableInit(t *Table, seg []Value, dst, src, n uint64) {
	if src > uint64(len(seg)) || n > uint64(len(seg))-src || dst > uint64(len(t.elems)) || n > uint64(len(t.elems))-dst {
		trap(trapTable)
	}
	copy(t.elems[dst:dst+n], seg[src:src+n])
}

// memoryInit copies seg[src:src+n] to m[dst:], trapping when out of
// bounds.
func memoryInit(m *Memory, seg []byte, dst, src, n uint64) {
	if src > uint64(len(seg)) || n > uint64(len(seg))-src || dst > uint64(len(m.data)) || n > uint64(len(m.data))-dst {
		trap(trapMemory)
	}
	copy(m.data[dst:dst+n], seg[src:src+n])
}
