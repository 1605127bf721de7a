package gen

import (
	"fmt"

	"wfxc/internal/leb128"
)

// Binary encoding of the generated module (wasm core spec §5).

// appendU32 appends v as an unsigned LEB128 (a u32 of the binary format).
func appendU32(b []byte, v uint32) []byte { return leb128.AppendUint(b, uint64(v)) }

// appendLE appends the low n bytes of v, little-endian.
func appendLE(b []byte, v uint64, n int) []byte {
	for i := 0; i < n; i++ {
		b = append(b, byte(v>>(8*i)))
	}
	return b
}

func appendName(b []byte, s string) []byte {
	b = appendU32(b, uint32(len(s)))
	return append(b, s...)
}

func appendSection(b []byte, id byte, body []byte) []byte {
	b = append(b, id)
	b = appendU32(b, uint32(len(body)))
	return append(b, body...)
}

func appendTypes(b []byte, ts []valType) []byte {
	b = appendU32(b, uint32(len(ts)))
	for _, t := range ts {
		b = append(b, byte(t))
	}
	return b
}

func (m *module) encode() []byte {
	out := []byte{0, 'a', 's', 'm', 1, 0, 0, 0}

	// Types are complete only after the code is generated (block types
	// add to them), which build has done.
	var s []byte
	s = appendU32(s, uint32(len(m.types)))
	for _, ft := range m.types {
		s = append(s, 0x60)
		s = appendTypes(s, ft.params)
		s = appendTypes(s, ft.results)
	}
	out = appendSection(out, 1, s)

	if len(m.imports) > 0 {
		s = appendU32(nil, uint32(len(m.imports)))
		for i, ti := range m.imports {
			s = appendName(s, "env")
			s = appendName(s, fmt.Sprintf("h%d", i))
			s = append(s, 0x00)
			s = appendU32(s, uint32(ti))
		}
		out = appendSection(out, 2, s)
	}

	s = appendU32(nil, uint32(len(m.funcs)))
	for _, ti := range m.funcs {
		s = appendU32(s, uint32(ti))
	}
	out = appendSection(out, 3, s)

	if m.cfg.Tables {
		s = appendU32(nil, 1)
		s = append(s, funcref, 0x00)
		s = appendU32(s, m.tableSize)
		out = appendSection(out, 4, s)
	}

	s = appendU32(nil, 1)
	if m.hasMax {
		s = append(s, 0x01)
		s = appendU32(s, m.memMin)
		s = appendU32(s, m.memMax)
	} else {
		s = append(s, 0x00)
		s = appendU32(s, m.memMin)
	}
	out = appendSection(out, 5, s)

	s = appendU32(nil, uint32(len(m.globals)))
	for _, g := range m.globals {
		s = append(s, byte(g.t))
		if g.mutable {
			s = append(s, 1)
		} else {
			s = append(s, 0)
		}
		f := &fn{m: m}
		f.constant(g.t, g.init)
		s = append(s, f.code...)
		s = append(s, opEnd)
	}
	out = appendSection(out, 6, s)

	var exps []byte
	n := 0
	for i := 0; i < numRuns(m.cfg); i++ {
		exps = appendName(exps, fmt.Sprintf("run%d", i))
		exps = append(exps, 0x00)
		exps = appendU32(exps, m.nimp+uint32(i))
		n++
	}
	exps = appendName(exps, "mem")
	exps = append(exps, 0x02, 0x00)
	n++
	for i := range m.globals {
		name := fmt.Sprintf("g%d", i)
		if uint32(i) == m.budget {
			name = "budget"
		}
		exps = appendName(exps, name)
		exps = append(exps, 0x03)
		exps = appendU32(exps, uint32(i))
		n++
	}
	out = appendSection(out, 7, append(appendU32(nil, uint32(n)), exps...))

	if m.cfg.Tables {
		s = appendU32(nil, 2)
		s = append(s, 0x00, opI32Const, 0x00, opEnd) // active, table 0, offset 0
		s = appendU32(s, uint32(len(m.elems)))
		for _, e := range m.elems {
			s = appendU32(s, m.nimp+e)
		}
		s = append(s, 0x01, 0x00) // passive, funcref (elemkind 0)
		s = appendU32(s, uint32(len(m.passiveElems)))
		for _, e := range m.passiveElems {
			s = appendU32(s, m.nimp+e)
		}
		out = appendSection(out, 9, s)
	}

	if m.cfg.BulkMemory {
		out = appendSection(out, 12, appendU32(nil, uint32(len(m.data))))
	}

	s = appendU32(nil, uint32(len(m.code)))
	for _, c := range m.code {
		s = appendU32(s, uint32(len(c)))
		s = append(s, c...)
	}
	out = appendSection(out, 10, s)

	s = appendU32(nil, uint32(len(m.data)))
	for _, d := range m.data {
		if d.passive {
			s = append(s, 0x01)
		} else {
			s = append(s, 0x00, opI32Const)
			s = leb128.AppendInt(s, int64(int32(d.offset)))
			s = append(s, opEnd)
		}
		s = appendU32(s, uint32(len(d.bytes)))
		s = append(s, d.bytes...)
	}
	return appendSection(out, 11, s)
}
