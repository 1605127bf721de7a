package wat

import (
	"sort"

	"wfxc/frontend"
)

// SourceMap maps byte offsets of an encoded module back to the text: every
// instruction of every function body is located, so decode and validation
// errors (which carry byte offsets) can point at a line and column.
type SourceMap struct {
	File string
	offs []int // sorted module offsets where instructions start
	pos  [][2]int
	line int // the module's own line, for offsets outside function bodies
	col  int
}

// Position returns the line and column of the instruction at or before
// module offset off; outside function bodies it returns the module's
// position with ok false.
func (m *SourceMap) Position(off int) (line, col int, ok bool) {
	i := sort.SearchInts(m.offs, off+1) - 1
	if i < 0 {
		return m.line, m.col, false
	}
	return m.pos[i][0], m.pos[i][1], true
}

// ParseModuleMap is ParseModuleFile for a plain text module, also
// returning a SourceMap of the encoded bytes.
func ParseModuleMap(src []byte, filename string) ([]byte, *SourceMap, error) {
	nodes, err := parseSexprs(src, filename)
	if err != nil {
		return nil, nil, err
	}
	n := &node{kind: tokLParen, kids: nodes, line: 1, col: 1}
	skip := 0
	if len(nodes) == 1 && nodes[0].isList("module") {
		c := newCursor(nodes[0], 1)
		c.optID()
		if c.peekAtom("binary") || c.peekAtom("quote") || c.peekAtom("definition") {
			out, err := moduleBytes(nodes[0], filename)
			return out, nil, err
		}
		n, skip = nodes[0], c.i
	}
	b := newBuilder(filename)
	if err := b.build(n, skip); err != nil {
		return nil, nil, err
	}
	out, err := frontend.Encode(b.m)
	if err != nil {
		return nil, nil, &Error{File: filename, Line: n.line, Col: n.col, Msg: err.Error()}
	}
	sm := &SourceMap{File: filename, line: n.line, col: n.col}
	// The encoder decides where bodies land: read their offsets back.
	if m, err := frontend.Decode(out); err == nil && len(m.Codes) == len(b.marks) {
		for i, code := range m.Codes {
			for _, mk := range b.marks[i] {
				sm.offs = append(sm.offs, code.BodyOffset+mk.off)
				sm.pos = append(sm.pos, [2]int{mk.line, mk.col})
			}
		}
	}
	return out, sm, nil
}
