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
		b = appendValType(b, t)
	}
	return b
}

// appendTypeSection appends the type section's body: function and
// continuation types, a rec group where recs says one starts.
func (m *module) appendTypeSection(s []byte) []byte {
	n := len(m.types)
	for _, size := range m.recs {
		n -= size - 1
	}
	s = appendU32(s, uint32(n))
	for i := 0; i < len(m.types); i++ {
		if size, ok := m.recs[i]; ok {
			s = append(s, recGroup)
			s = appendU32(s, uint32(size))
		}
		ft := m.types[i]
		if ft.contOf > 0 {
			s = append(s, compCont)
			s = leb128.AppendInt(s, int64(ft.contOf-1))
			continue
		}
		s = append(s, compFunc)
		s = appendTypes(s, ft.params)
		s = appendTypes(s, ft.results)
	}
	return s
}

func (m *module) encode() []byte {
	out := []byte{0, 'a', 's', 'm', 1, 0, 0, 0}

	// Types are complete only after the code is generated (block types
	// add to them), which build has done.
	out = appendSection(out, 1, m.appendTypeSection(nil))
	var s []byte

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

	if m.cfg.Tables || len(m.refTables) > 0 {
		n := len(m.refTables)
		if m.cfg.Tables {
			n++
		}
		s = appendU32(nil, uint32(n))
		if m.cfg.Tables {
			s = append(s, funcref, 0x00)
			s = appendU32(s, m.tableSize)
		}
		for _, t := range m.refTables {
			s = appendValType(s, t.t)
			s = append(s, 0x00)
			s = appendU32(s, t.size)
		}
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

	if len(m.tags) > 0 {
		s = appendU32(nil, uint32(len(m.tags)))
		for _, t := range m.tags {
			s = append(s, 0x00)
			s = appendU32(s, uint32(t.ti))
		}
		out = appendSection(out, sectionTag, s)
	}

	s = appendU32(nil, uint32(len(m.globals)))
	for _, g := range m.globals {
		s = appendValType(s, g.t)
		if g.mutable {
			s = append(s, 1)
		} else {
			s = append(s, 0)
		}
		if g.t.isRef() {
			s = appendHeapType(append(s, opRefNull), g.t)
		} else {
			f := &fn{m: m}
			f.constant(g.t, g.init)
			s = append(s, f.code...)
		}
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
	for i, g := range m.globals {
		if g.t.isRef() {
			continue // a harness compares numbers only
		}
		name := fmt.Sprintf("g%d", i)
		if uint32(i) == m.budget {
			name = "budget"
		}
		exps = appendName(exps, name)
		exps = append(exps, 0x03)
		exps = appendU32(exps, uint32(i))
		n++
	}
	for i := range m.tags {
		exps = appendName(exps, fmt.Sprintf("tag%d", i))
		exps = append(exps, externTag)
		exps = appendU32(exps, uint32(i))
		n++
	}
	out = appendSection(out, 7, append(appendU32(nil, uint32(n)), exps...))

	if m.cfg.Tables || m.cfg.StackSwitching {
		var segs []byte
		nsegs := 0
		if m.cfg.Tables {
			segs = m.appendTableSegments(segs)
			nsegs += 2
		}
		if m.cfg.StackSwitching {
			// Declare every function for ref.func (cont.new).
			segs = append(segs, elemDeclarative, 0x00)
			segs = appendU32(segs, uint32(len(m.funcs)))
			for j := range m.funcs {
				segs = appendU32(segs, m.nimp+uint32(j))
			}
			nsegs++
		}
		out = appendSection(out, 9, append(appendU32(nil, uint32(nsegs)), segs...))
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

// appendTableSegments appends the funcref table's two element segments:
// the active one at offset 0 and the passive one (segment 1).
func (m *module) appendTableSegments(s []byte) []byte {
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
	return s
}
