package e2e

// A tiny wasm binary builder for the end-to-end tests: enough sections to
// write small modules by hand (types, imports, functions, memory, globals,
// exports, code, names).

import (
	"wfxc/internal/leb128"
	"wfxc/rt/abi"
)

const (
	tI32 = 0x7F
	tI64 = 0x7E
	tF64 = 0x7C
)

type wfunc struct {
	typ    int
	locals []byte // one entry per local (value type codes)
	body   []byte // instructions, without the final end
	name   string
	export string
}

type wimport struct {
	module, name string
	typ          int
}

type wmodule struct {
	types   [][2][]byte // params, results
	imports []wimport
	funcs   []wfunc
	memory  []byte // limits encoding, nil = none
	memExp  string
	globals [][]byte    // globaltype + init expr (with end)
	exports [][]byte    // extra raw export entries
	datas   [][2][]byte // active data segments of memory 0: offset expr (no end), bytes
	tables  [][]byte    // table types
	elems   [][]byte    // raw element segments
	rawImps [][]byte    // raw imports after the function imports (tables, …)
}

func uleb(v uint64) []byte { return leb128.AppendUint(nil, v) }

func sleb(v int64) []byte { return leb128.AppendInt(nil, v) }

func name(s string) []byte { return append(uleb(uint64(len(s))), s...) }

func vec(items [][]byte) []byte {
	b := uleb(uint64(len(items)))
	for _, it := range items {
		b = append(b, it...)
	}
	return b
}

func section(id byte, content []byte) []byte {
	return append(append([]byte{id}, uleb(uint64(len(content)))...), content...)
}

// encode returns the module's binary.
func (m *wmodule) encode() []byte {
	out := []byte{0, 'a', 's', 'm', 1, 0, 0, 0}
	var types [][]byte
	for _, t := range m.types {
		e := []byte{0x60}
		e = append(e, uleb(uint64(len(t[0])))...)
		e = append(e, t[0]...)
		e = append(e, uleb(uint64(len(t[1])))...)
		e = append(e, t[1]...)
		types = append(types, e)
	}
	out = append(out, section(1, vec(types))...)
	if len(m.imports)+len(m.rawImps) > 0 {
		var imps [][]byte
		for _, im := range m.imports {
			e := append(name(im.module), name(im.name)...)
			e = append(e, 0x00)
			e = append(e, uleb(uint64(im.typ))...)
			imps = append(imps, e)
		}
		imps = append(imps, m.rawImps...)
		out = append(out, section(2, vec(imps))...)
	}
	var fsec [][]byte
	for _, f := range m.funcs {
		fsec = append(fsec, uleb(uint64(f.typ)))
	}
	out = append(out, section(3, vec(fsec))...)
	if len(m.tables) > 0 {
		out = append(out, section(4, vec(m.tables))...)
	}
	if m.memory != nil {
		out = append(out, section(5, vec([][]byte{m.memory}))...)
	}
	if len(m.globals) > 0 {
		out = append(out, section(6, vec(m.globals))...)
	}
	exps := append([][]byte(nil), m.exports...)
	for i, f := range m.funcs {
		if f.export != "" {
			e := append(name(f.export), 0x00)
			exps = append(exps, append(e, uleb(uint64(len(m.imports)+i))...))
		}
	}
	if m.memExp != "" {
		exps = append(exps, append(name(m.memExp), 0x02, 0x00))
	}
	out = append(out, section(7, vec(exps))...)
	if len(m.elems) > 0 {
		out = append(out, section(9, vec(m.elems))...)
	}
	var codes [][]byte
	for _, f := range m.funcs {
		var locals [][]byte
		for _, l := range f.locals {
			locals = append(locals, []byte{1, l})
		}
		body := append(vec(locals), f.body...)
		body = append(body, 0x0B)
		codes = append(codes, append(uleb(uint64(len(body))), body...))
	}
	out = append(out, section(10, vec(codes))...)
	if len(m.datas) > 0 {
		var ds [][]byte
		for _, d := range m.datas {
			e := append([]byte{0x00}, d[0]...)
			e = append(e, 0x0B)
			e = append(e, uleb(uint64(len(d[1])))...)
			ds = append(ds, append(e, d[1]...))
		}
		out = append(out, section(11, vec(ds))...)
	}
	var names [][]byte
	for i, f := range m.funcs {
		if f.name != "" {
			names = append(names, append(uleb(uint64(len(m.imports)+i)), name(f.name)...))
		}
	}
	if len(names) > 0 {
		sub := vec(names)
		content := append(name("name"), 1)
		content = append(content, uleb(uint64(len(sub)))...)
		content = append(content, sub...)
		out = append(out, section(0, content)...)
	}
	return out
}

// Instruction helpers.
func i32c(v int32) []byte { return append([]byte{0x41}, sleb(int64(v))...) }
func i64c(v int64) []byte { return append([]byte{0x42}, sleb(v)...) }
func lget(i int) []byte   { return append([]byte{0x20}, uleb(uint64(i))...) }
func lset(i int) []byte   { return append([]byte{0x21}, uleb(uint64(i))...) }
func call(i int) []byte   { return append([]byte{0x10}, uleb(uint64(i))...) }
func cat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

var _ = abi.ExitDone
