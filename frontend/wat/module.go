package wat

import (
	"fmt"
	"math/bits"
	"unicode/utf8"

	"wfxc/frontend"
	"wfxc/internal/leb128"
)

// ParseModule parses a text module — `(module …)`, `(module binary …)`,
// `(module quote …)`, `(module definition …)` or bare module fields — and
// returns its binary encoding (for `module binary`, the bytes as written).
// Errors are *Error values with line and column.
func ParseModule(src []byte) ([]byte, error) { return ParseModuleFile(src, "") }

// ParseModuleFile is ParseModule with filename in the errors
// ("file:line:col: message").
func ParseModuleFile(src []byte, filename string) ([]byte, error) {
	nodes, err := parseSexprs(src, filename)
	if err != nil {
		return nil, err
	}
	if len(nodes) == 1 && nodes[0].isList("module") {
		return moduleBytes(nodes[0], filename)
	}
	return buildModule(&node{kind: tokLParen, kids: nodes, line: 1, col: 1}, 0, filename)
}

// moduleBytes handles a (module …) node: text, binary or quote, optionally
// a (module definition …).
func moduleBytes(n *node, file string) ([]byte, error) {
	c := newCursor(n, 1)
	if c.peekAtom("definition") {
		c.next()
	}
	c.optID()
	switch {
	case c.peekAtom("binary"):
		c.next()
		s, err := concatStrings(c, file)
		return []byte(s), err
	case c.peekAtom("quote"):
		c.next()
		s, err := concatStrings(c, file)
		if err != nil {
			return nil, err
		}
		return ParseModuleQuote([]byte(s), file)
	}
	return buildModule(n, c.i, file)
}

// ParseModuleQuote parses the text of a (module quote …): module fields,
// optionally wrapped in (module …).
func ParseModuleQuote(src []byte, file string) ([]byte, error) {
	nodes, err := parseSexprs(src, file)
	if err != nil {
		return nil, err
	}
	if len(nodes) == 1 && nodes[0].isList("module") {
		c := newCursor(nodes[0], 1)
		c.optID()
		if c.peekAtom("binary") || c.peekAtom("quote") {
			return nil, &Error{File: file, Line: nodes[0].line, Col: nodes[0].col, Msg: "unexpected nested module form"}
		}
		return buildModule(nodes[0], c.i, file)
	}
	return buildModule(&node{kind: tokLParen, kids: nodes, line: 1, col: 1}, 0, file)
}

func concatStrings(c *cursor, file string) (string, error) {
	var s []byte
	for !c.done() {
		n := c.next()
		if n.kind != tokString {
			return "", &Error{File: file, Line: n.line, Col: n.col, Msg: "expected string, got " + describe(n)}
		}
		s = append(s, n.text...)
	}
	return string(s), nil
}

func buildModule(n *node, skip int, file string) ([]byte, error) {
	return buildModuleSeeded(n, skip, file, nil)
}

// buildModuleSeeded is buildModule with the implicit types (those after the
// explicit ones) pre-defined in the order of seed where they are plain
// function types. Tests use it to compare with encoders that number
// implicit types in a different order.
func buildModuleSeeded(n *node, skip int, file string, seed []frontend.SubType) ([]byte, error) {
	return buildModuleOpts(n, skip, file, seed, false)
}

// buildModuleOpts is buildModuleSeeded, optionally making the encoding
// choices of wabt (tests): block types written as (type $t) use the
// value-type shorthand when they can, `select (result)` with no types is
// the untyped select, and the data count section is only written for
// modules with data segments.
func buildModuleOpts(n *node, skip int, file string, seed []frontend.SubType, wabt bool) ([]byte, error) {
	b := newBuilder(file)
	b.seed = seed
	b.wabt = wabt
	if err := b.build(n, skip); err != nil {
		return nil, err
	}
	out, err := frontend.Encode(b.m)
	if err != nil {
		return nil, &Error{File: file, Line: n.line, Col: n.col, Msg: err.Error()}
	}
	return out, nil
}

// space is one index space with its identifiers.
type space struct {
	kind  string
	names map[string]uint32
	count uint32
}

func (s *space) bind(b *builder, id *node) (uint32, error) {
	i := s.count
	s.count++
	if id != nil {
		if s.names == nil {
			s.names = map[string]uint32{}
		}
		if _, dup := s.names[id.text]; dup {
			return 0, b.errAt(id, "duplicate %s $%s", s.kind, id.text)
		}
		s.names[id.text] = i
	}
	return i, nil
}

type builder struct {
	file  string
	m     *frontend.Module
	marks [][]srcMark // per defined function: instruction positions in its body

	types, funcs, tables, mems, globals, tags, elems, datas space

	fieldNames map[uint32]map[string]uint32 // struct field names per type

	nExplicitTypes int
	seed           []frontend.SubType // implicit types to define first (tests)
	wabt           bool               // make wabt's encoding choices (tests)
	firstDef       string             // kind of the first non-import definition seen
	dataUsed       bool               // a body refers to data segments by index
	sawStart       bool
}

func newBuilder(file string) *builder {
	return &builder{
		file:       file,
		m:          &frontend.Module{Start: -1, DataCount: -1},
		types:      space{kind: "type"},
		funcs:      space{kind: "function"},
		tables:     space{kind: "table"},
		mems:       space{kind: "memory"},
		globals:    space{kind: "global"},
		tags:       space{kind: "tag"},
		elems:      space{kind: "elem segment"},
		datas:      space{kind: "data segment"},
		fieldNames: map[uint32]map[string]uint32{},
	}
}

func (b *builder) errAt(n *node, format string, args ...any) error {
	e := &Error{File: b.file, Msg: fmt.Sprintf(format, args...)}
	if n != nil {
		e.Line, e.Col = n.line, n.col
	}
	return e
}

func (b *builder) errCur(c *cursor, format string, args ...any) error {
	e := &Error{File: b.file, Msg: fmt.Sprintf(format, args...)}
	e.Line, e.Col = c.pos()
	return e
}

// index resolves an identifier or numeric index in space s.
func (b *builder) index(s *space, n *node) (uint32, error) {
	if n == nil {
		return 0, b.errAt(n, "expected %s index", s.kind)
	}
	switch n.kind {
	case tokID:
		if i, ok := s.names[n.text]; ok {
			return i, nil
		}
		return 0, b.errAt(n, "unknown %s $%s", s.kind, n.text)
	case tokAtom:
		v, err := parseNat(n.text, 32)
		if err != nil {
			return 0, b.errAt(n, "expected %s index, got %s", s.kind, describe(n))
		}
		return uint32(v), nil
	}
	return 0, b.errAt(n, "expected %s index, got %s", s.kind, describe(n))
}

// isIndex reports whether n can be an index (identifier or natural number).
func isIndex(n *node) bool {
	if n == nil {
		return false
	}
	if n.kind == tokID {
		return true
	}
	if n.kind == tokAtom && n.text != "" && n.text[0] >= '0' && n.text[0] <= '9' {
		return true
	}
	return false
}

// inlineImport returns the (import "m" "n") of a definition (after its
// inline exports), or nil.
func inlineImport(c *cursor) *node {
	for k := c.i; k < len(c.nodes); k++ {
		n := c.nodes[k]
		if n.isList("export") {
			continue
		}
		if n.isList("import") {
			return n
		}
		return nil
	}
	return nil
}

var defKinds = map[string]string{"func": "function", "table": "table", "memory": "memory", "global": "global", "tag": "tag"}

// build runs both passes over the fields of module node n (from kid skip).
func (b *builder) build(n *node, skip int) error {
	fields := n.kids[skip:]
	// Pass 1: bind identifiers, assign indices.
	for _, f := range fields {
		if f.kind != tokLParen {
			return b.errAt(f, "unexpected token %s in module", describe(f))
		}
		if err := b.declare(f); err != nil {
			return err
		}
	}
	// Pass 2a: explicit type definitions.
	for _, f := range fields {
		switch f.head() {
		case "type":
			idx := uint32(len(b.m.Types))
			st, err := b.typeDef(f, idx)
			if err != nil {
				return err
			}
			st.RecStart, st.RecSize = idx, 1
			b.m.Types = append(b.m.Types, st)
		case "rec":
			start := uint32(len(b.m.Types))
			kids := f.kids[1:]
			for _, t := range kids {
				st, err := b.typeDef(t, uint32(len(b.m.Types)))
				if err != nil {
					return err
				}
				st.RecStart, st.RecSize = start, uint32(len(kids))
				b.m.Types = append(b.m.Types, st)
			}
		}
	}
	b.nExplicitTypes = len(b.m.Types)
	// A seed fixes the order of implicit types (tests only).
	for i := b.nExplicitTypes; i < len(b.seed); i++ {
		t := b.seed[i]
		if t.Comp.Kind != frontend.CompFunc || !t.Final || len(t.Supers) > 0 || t.RecSize != 1 {
			break
		}
		t.RecStart = uint32(i)
		b.m.Types = append(b.m.Types, t)
	}
	// Pass 2b: everything else, in field order.
	for _, f := range fields {
		if err := b.field(f); err != nil {
			return err
		}
	}
	if b.dataUsed && (!b.wabt || len(b.m.Datas) > 0) {
		b.m.DataCount = int64(len(b.m.Datas))
	}
	if !b.wabt && len(b.funcs.names) > 0 {
		// A name section with the functions' $identifiers (without the
		// $), so traps, backtraces, gdb and perf show the text's names.
		// wabt writes it only under --debug-names, which tests compare
		// against without it.
		b.m.FuncNames = make(map[uint32]string, len(b.funcs.names))
		for id, i := range b.funcs.names {
			b.m.FuncNames[i] = id
		}
	}
	return nil
}

// declare is pass 1 for one field.
func (b *builder) declare(f *node) error {
	c := newCursor(f, 1)
	switch h := f.head(); h {
	case "type":
		_, idn := c.optID()
		_, err := b.types.bind(b, idn)
		return err
	case "rec":
		for !c.done() {
			t := c.next()
			if !t.isList("type") {
				return b.errAt(t, "expected (type …) in rec group, got %s", describe(t))
			}
			tc := newCursor(t, 1)
			_, idn := tc.optID()
			if _, err := b.types.bind(b, idn); err != nil {
				return err
			}
		}
		return nil
	case "import":
		c.next()
		c.next()
		d := c.next()
		if d == nil || d.kind != tokLParen {
			return b.errAt(f, "malformed import")
		}
		s := b.spaceFor(d.head())
		if s == nil {
			return b.errAt(d, "unknown import kind %s", describe(d))
		}
		if b.firstDef != "" {
			return b.errAt(f, "import after %s", b.firstDef)
		}
		_, idn := newCursor(d, 1).optID()
		_, err := s.bind(b, idn)
		return err
	case "func", "table", "memory", "global", "tag":
		s := b.spaceFor(h)
		_, idn := c.optID()
		if imp := inlineImport(c); imp != nil {
			if b.firstDef != "" {
				return b.errAt(imp, "import after %s", b.firstDef)
			}
		} else if b.firstDef == "" {
			b.firstDef = defKinds[h]
		}
		if _, err := s.bind(b, idn); err != nil {
			return err
		}
		// Inline (elem …) in a table and (data …) in a memory define segments.
		for !c.done() {
			k := c.next()
			if h == "table" && k.isList("elem") {
				b.elems.count++
			}
			if h == "memory" && k.isList("data") {
				b.datas.count++
			}
		}
		return nil
	case "elem":
		_, idn := c.optID()
		_, err := b.elems.bind(b, idn)
		return err
	case "data":
		_, idn := c.optID()
		_, err := b.datas.bind(b, idn)
		return err
	case "export", "start":
		return nil
	}
	return b.errAt(f, "unknown module field %s", describe(f))
}

func (b *builder) spaceFor(kind string) *space {
	switch kind {
	case "func":
		return &b.funcs
	case "table":
		return &b.tables
	case "memory":
		return &b.mems
	case "global":
		return &b.globals
	case "tag":
		return &b.tags
	}
	return nil
}

var externKinds = map[string]frontend.ExternKind{
	"func": frontend.ExternFunc, "table": frontend.ExternTable, "memory": frontend.ExternMemory,
	"global": frontend.ExternGlobal, "tag": frontend.ExternTag,
}

// field is pass 2 for one field.
func (b *builder) field(f *node) error {
	c := newCursor(f, 1)
	switch h := f.head(); h {
	case "type", "rec":
		return nil
	case "import":
		mod, name, err := b.importNames(c, f)
		if err != nil {
			return err
		}
		d := c.next()
		if !c.done() {
			return b.errAt(c.peek(), "unexpected token %s in import", describe(c.peek()))
		}
		dc := newCursor(d, 1)
		dc.optID()
		im := frontend.Import{Module: mod, Name: name, Kind: externKinds[d.head()]}
		if err := b.importDesc(&im, dc, d); err != nil {
			return err
		}
		if !dc.done() {
			return b.errAt(dc.peek(), "unexpected token %s in import", describe(dc.peek()))
		}
		b.addImport(im)
		return nil
	case "func", "table", "memory", "global", "tag":
		c.optID()
		kind := externKinds[h]
		index := b.nextIndex(kind)
		for c.peekList("export") {
			e := c.next()
			if len(e.kids) != 2 || e.kids[1].kind != tokString {
				return b.errAt(e, "malformed inline export")
			}
			if err := checkName(b, e.kids[1]); err != nil {
				return err
			}
			b.m.Exports = append(b.m.Exports, frontend.Export{Name: e.kids[1].text, Kind: kind, Index: index})
		}
		if c.peekList("import") {
			imp := c.next()
			ic := newCursor(imp, 1)
			mod, name, err := b.importNames(ic, imp)
			if err != nil {
				return err
			}
			if !ic.done() {
				return b.errAt(ic.peek(), "unexpected token %s in inline import", describe(ic.peek()))
			}
			im := frontend.Import{Module: mod, Name: name, Kind: kind}
			if err := b.importDesc(&im, c, f); err != nil {
				return err
			}
			if !c.done() {
				return b.errAt(c.peek(), "unexpected token %s in imported %s", describe(c.peek()), h)
			}
			b.addImport(im)
			return nil
		}
		switch h {
		case "func":
			return b.funcDef(c, f)
		case "table":
			return b.tableDef(c, f, index)
		case "memory":
			return b.memoryDef(c, f, index)
		case "global":
			return b.globalDef(c, f)
		case "tag":
			t, _, err := b.typeUse(c, false)
			if err != nil {
				return err
			}
			if !c.done() {
				return b.errAt(c.peek(), "unexpected token %s in tag", describe(c.peek()))
			}
			b.m.Tags = append(b.m.Tags, t)
			return nil
		}
	case "export":
		if len(f.kids) != 3 || f.kids[1].kind != tokString || f.kids[2].kind != tokLParen {
			return b.errAt(f, "malformed export")
		}
		if err := checkName(b, f.kids[1]); err != nil {
			return err
		}
		d := f.kids[2]
		kind, ok := externKinds[d.head()]
		if !ok || len(d.kids) != 2 {
			return b.errAt(d, "malformed export description")
		}
		i, err := b.index(b.spaceFor(d.head()), d.kids[1])
		if err != nil {
			return err
		}
		b.m.Exports = append(b.m.Exports, frontend.Export{Name: f.kids[1].text, Kind: kind, Index: i})
		return nil
	case "start":
		if b.sawStart {
			return b.errAt(f, "multiple start sections")
		}
		b.sawStart = true
		if len(f.kids) != 2 {
			return b.errAt(f, "malformed start")
		}
		i, err := b.index(&b.funcs, f.kids[1])
		if err != nil {
			return err
		}
		b.m.Start = int64(i)
		return nil
	case "elem":
		return b.elemDef(c, f)
	case "data":
		return b.dataDef(c, f)
	}
	return b.errAt(f, "unknown module field %s", describe(f))
}

func checkName(b *builder, n *node) error {
	if !validUTF8(n.text) {
		return b.errAt(n, "malformed UTF-8 encoding")
	}
	return nil
}

func (b *builder) importNames(c *cursor, f *node) (string, string, error) {
	m, n := c.next(), c.next()
	if m == nil || n == nil || m.kind != tokString || n.kind != tokString {
		return "", "", b.errAt(f, "malformed import: expected module and field names")
	}
	if err := checkName(b, m); err != nil {
		return "", "", err
	}
	if err := checkName(b, n); err != nil {
		return "", "", err
	}
	return m.text, n.text, nil
}

// nextIndex is the index the next definition of kind will get.
func (b *builder) nextIndex(kind frontend.ExternKind) uint32 {
	m := b.m
	switch kind {
	case frontend.ExternFunc:
		return uint32(m.NumImportedFuncs + len(m.Funcs))
	case frontend.ExternTable:
		return uint32(m.NumImportedTables + len(m.Tables))
	case frontend.ExternMemory:
		return uint32(m.NumImportedMemories + len(m.Memories))
	case frontend.ExternGlobal:
		return uint32(m.NumImportedGlobals + len(m.Globals))
	case frontend.ExternTag:
		return uint32(m.NumImportedTags + len(m.Tags))
	}
	return 0
}

func (b *builder) addImport(im frontend.Import) {
	m := b.m
	m.Imports = append(m.Imports, im)
	switch im.Kind {
	case frontend.ExternFunc:
		m.NumImportedFuncs++
	case frontend.ExternTable:
		m.NumImportedTables++
	case frontend.ExternMemory:
		m.NumImportedMemories++
	case frontend.ExternGlobal:
		m.NumImportedGlobals++
	case frontend.ExternTag:
		m.NumImportedTags++
	}
}

// importDesc parses the type part of an import of kind im.Kind from c.
func (b *builder) importDesc(im *frontend.Import, c *cursor, at *node) error {
	switch im.Kind {
	case frontend.ExternFunc, frontend.ExternTag:
		t, _, err := b.typeUse(c, im.Kind == frontend.ExternFunc)
		im.Type = t
		return err
	case frontend.ExternTable:
		tt, err := b.tableType(c, at)
		im.Table = tt
		return err
	case frontend.ExternMemory:
		l, err := b.memType(c, at)
		im.Memory = l
		return err
	case frontend.ExternGlobal:
		g, err := b.globalType(c.next())
		im.Global = g
		return err
	}
	return b.errAt(at, "unknown import kind")
}

// typeUse parses `(type x)? (param …)* (result …)*` and returns the type
// index (adding an implicit type when needed) and the parameter names.
func (b *builder) typeUse(c *cursor, allowNames bool) (uint32, []string, error) {
	var explicit *node
	if c.peekList("type") {
		explicit = c.next()
	}
	startLine, startCol := c.pos()
	params, results, names, err := b.paramsResults(c, allowNames)
	if err != nil {
		return 0, nil, err
	}
	if explicit != nil {
		if len(explicit.kids) != 2 {
			return 0, nil, b.errAt(explicit, "malformed type use")
		}
		idx, err := b.index(&b.types, explicit.kids[1])
		if err != nil {
			return 0, nil, err
		}
		if len(params) > 0 || len(results) > 0 {
			if int(idx) >= len(b.m.Types) || b.m.Types[idx].Comp.Kind != frontend.CompFunc ||
				!sameTypes(b.m.Types[idx].Comp.Params, params) || !sameTypes(b.m.Types[idx].Comp.Results, results) {
				return 0, nil, &Error{File: b.file, Line: startLine, Col: startCol, Msg: "inline function type does not match explicit type"}
			}
		} else if int(idx) < len(b.m.Types) && b.m.Types[idx].Comp.Kind == frontend.CompFunc {
			names = make([]string, len(b.m.Types[idx].Comp.Params))
		}
		return idx, names, nil
	}
	return b.funcType(params, results), names, nil
}

// funcType finds or appends the plain function type params -> results.
func (b *builder) funcType(params, results []frontend.ValType) uint32 {
	for i := range b.m.Types {
		t := &b.m.Types[i]
		if t.Comp.Kind == frontend.CompFunc && t.Final && len(t.Supers) == 0 && t.RecSize == 1 &&
			sameTypes(t.Comp.Params, params) && sameTypes(t.Comp.Results, results) {
			return uint32(i)
		}
	}
	idx := uint32(len(b.m.Types))
	b.m.Types = append(b.m.Types, frontend.SubType{
		Final:    true,
		Comp:     frontend.CompType{Kind: frontend.CompFunc, Params: params, Results: results},
		RecStart: idx, RecSize: 1,
	})
	return idx
}

func sameTypes(a, b []frontend.ValType) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// limits parses `min max?` with values of the given width.
func (b *builder) limits(c *cursor, at *node, is64 bool) (frontend.Limits, error) {
	var l frontend.Limits
	l.Is64 = is64
	// Limits are read as 64-bit values; a too large limit of a 32-bit
	// table or memory is a validation error ("table size"/"memory size").
	width := uint(64)
	n := c.next()
	if n == nil || n.kind != tokAtom {
		return l, b.errAt(at, "expected limits")
	}
	v, err := parseNat(n.text, width)
	if err != nil {
		return l, b.errAt(n, "%s: %s", errText(err), n.text)
	}
	l.Min = v
	if p := c.peek(); p != nil && p.kind == tokAtom && isNumberStart(p.text) {
		c.next()
		v, err := parseNat(p.text, width)
		if err != nil {
			return l, b.errAt(p, "%s: %s", errText(err), p.text)
		}
		l.Max, l.HasMax = v, true
	}
	return l, nil
}

func errText(err error) string {
	if err == errRange {
		return "constant out of range"
	}
	return errNumber.Error()
}

// addrType parses an optional i32/i64 address type.
func addrType(c *cursor) bool {
	if c.peekAtom("i64") {
		c.next()
		return true
	}
	if c.peekAtom("i32") {
		c.next()
	}
	return false
}

func (b *builder) tableType(c *cursor, at *node) (frontend.TableType, error) {
	is64 := addrType(c)
	l, err := b.limits(c, at, is64)
	if err != nil {
		return frontend.TableType{}, err
	}
	t, err := b.refType(c.next())
	return frontend.TableType{Elem: t, Limits: l}, err
}

func (b *builder) memType(c *cursor, at *node) (frontend.Limits, error) {
	is64 := addrType(c)
	l, err := b.limits(c, at, is64)
	if err != nil {
		return l, err
	}
	l.PageLog2 = 16
	if c.peekAtom("shared") {
		c.next()
		l.Shared = true
	} else if c.peekAtom("unshared") {
		c.next()
	}
	if c.peekList("pagesize") {
		p := c.next()
		if len(p.kids) != 2 || p.kids[1].kind != tokAtom {
			return l, b.errAt(p, "malformed page size")
		}
		v, err := parseNat(p.kids[1].text, 32)
		if err != nil || v == 0 || v&(v-1) != 0 {
			return l, b.errAt(p, "invalid custom page size")
		}
		l.PageLog2 = uint8(bits.TrailingZeros64(v))
	}
	return l, nil
}

func (b *builder) tableDef(c *cursor, f *node, index uint32) error {
	is64 := addrType(c)
	// Abbreviation: reftype (elem …).
	if isRefType(c.peek()) {
		rt, err := b.refType(c.next())
		if err != nil {
			return err
		}
		e := c.next()
		if e == nil || !e.isList("elem") || !c.done() {
			return b.errAt(f, "malformed table: expected (elem …) after reference type")
		}
		ec := newCursor(e, 1)
		var items []frontend.ConstExpr
		if !ec.done() && ec.peek().kind == tokLParen {
			for !ec.done() {
				x, err := b.elemItem(ec.next())
				if err != nil {
					return err
				}
				items = append(items, x)
			}
		} else {
			for !ec.done() {
				i, err := b.index(&b.funcs, ec.next())
				if err != nil {
					return err
				}
				items = append(items, refFuncExpr(i))
			}
		}
		n := uint64(len(items))
		b.m.Tables = append(b.m.Tables, frontend.Table{Type: frontend.TableType{Elem: rt,
			Limits: frontend.Limits{Min: n, Max: n, HasMax: true, Is64: is64}}})
		off := []byte{frontend.OpI32Const, 0, frontend.OpEnd}
		if is64 {
			off[0] = frontend.OpI64Const
		}
		b.m.Elems = append(b.m.Elems, frontend.Elem{Mode: frontend.SegActive, Table: index,
			Offset: frontend.ConstExpr{Code: off}, Type: rt, Init: items})
		return nil
	}
	l, err := b.limits(c, f, is64)
	if err != nil {
		return err
	}
	rt, err := b.refType(c.next())
	if err != nil {
		return err
	}
	t := frontend.Table{Type: frontend.TableType{Elem: rt, Limits: l}}
	if !c.done() {
		x, err := b.constExprRest(c)
		if err != nil {
			return err
		}
		// An initialiser that is just ref.null of the table's heap type is
		// the default and is encoded without it, as the reference
		// interpreter does.
		if h, ok := refNullHeap(x.Code); !ok || h != rt.Heap {
			t.Init = &x
		}
	}
	b.m.Tables = append(b.m.Tables, t)
	return nil
}

func (b *builder) memoryDef(c *cursor, f *node, index uint32) error {
	if p := c.peekAt(0); p != nil && (p.isList("data") || p.isAtom("i64") && c.peekAt(1) != nil && c.peekAt(1).isList("data") ||
		p.isAtom("i32") && c.peekAt(1) != nil && c.peekAt(1).isList("data")) {
		is64 := addrType(c)
		d := c.next()
		if !c.done() {
			return b.errAt(c.peek(), "unexpected token %s in memory", describe(c.peek()))
		}
		var data []byte
		for _, s := range d.kids[1:] {
			if s.kind != tokString {
				return b.errAt(s, "expected string in data, got %s", describe(s))
			}
			data = append(data, s.text...)
		}
		pages := (uint64(len(data)) + 0xFFFF) >> 16
		b.m.Memories = append(b.m.Memories, frontend.Limits{Min: pages, Max: pages, HasMax: true, Is64: is64, PageLog2: 16})
		off := []byte{frontend.OpI32Const, 0, frontend.OpEnd}
		if is64 {
			off[0] = frontend.OpI64Const
		}
		b.m.Datas = append(b.m.Datas, frontend.Data{Mode: frontend.SegActive, Memory: index,
			Offset: frontend.ConstExpr{Code: off}, Init: data})
		return nil
	}
	l, err := b.memType(c, f)
	if err != nil {
		return err
	}
	if !c.done() {
		return b.errAt(c.peek(), "unexpected token %s in memory", describe(c.peek()))
	}
	b.m.Memories = append(b.m.Memories, l)
	return nil
}

func (b *builder) globalDef(c *cursor, f *node) error {
	gt, err := b.globalType(c.next())
	if err != nil {
		return err
	}
	x, err := b.constExprRest(c)
	if err != nil {
		return err
	}
	b.m.Globals = append(b.m.Globals, frontend.Global{Type: gt, Init: x})
	return nil
}

func refFuncExpr(i uint32) frontend.ConstExpr {
	code := []byte{frontend.OpRefFunc}
	code = leb128.AppendUint(code, uint64(i))
	return frontend.ConstExpr{Code: append(code, frontend.OpEnd)}
}

// constExprRest parses the remaining elements of c as a constant
// expression.
func (b *builder) constExprRest(c *cursor) (frontend.ConstExpr, error) {
	f := b.newFunc()
	if err := f.seqAll(c); err != nil {
		return frontend.ConstExpr{}, err
	}
	f.out = append(f.out, frontend.OpEnd)
	return frontend.ConstExpr{Code: f.out}, nil
}

// elemItem parses (item instr*) or a single folded instruction.
func (b *builder) elemItem(n *node) (frontend.ConstExpr, error) {
	if n.kind != tokLParen {
		return frontend.ConstExpr{}, b.errAt(n, "expected element expression, got %s", describe(n))
	}
	if n.isList("item") {
		return b.constExprRest(newCursor(n, 1))
	}
	return b.constExprRest(&cursor{nodes: []*node{n}})
}

// offsetExpr parses (offset instr*) or a single folded instruction.
func (b *builder) offsetExpr(n *node) (frontend.ConstExpr, error) {
	if n.isList("offset") {
		return b.constExprRest(newCursor(n, 1))
	}
	return b.constExprRest(&cursor{nodes: []*node{n}})
}

func (b *builder) elemDef(c *cursor, f *node) error {
	c.optID()
	el := frontend.Elem{Mode: frontend.SegPassive}
	switch {
	case c.peekAtom("declare"):
		c.next()
		el.Mode = frontend.SegDeclarative
	default:
		active := false
		if c.peekList("table") {
			t := c.next()
			if len(t.kids) != 2 {
				return b.errAt(t, "malformed table use")
			}
			i, err := b.index(&b.tables, t.kids[1])
			if err != nil {
				return err
			}
			el.Table = i
			active = true
		} else if isIndex(c.peek()) && c.peekAt(1) != nil && c.peekAt(1).kind == tokLParen && !isRefType(c.peekAt(1)) && !c.peekAt(1).isList("item") {
			// Legacy: a bare table index before the offset.
			i, err := b.index(&b.tables, c.next())
			if err != nil {
				return err
			}
			el.Table = i
			active = true
		}
		if p := c.peek(); p != nil && p.kind == tokLParen && !isRefType(p) && !p.isList("item") {
			x, err := b.offsetExpr(c.next())
			if err != nil {
				return err
			}
			el.Offset = x
			el.Mode = frontend.SegActive
		} else if active {
			return b.errCur(c, "expected offset expression")
		}
	}
	// Element list.
	funcList := func() error {
		el.Type = frontend.ValType{Code: frontend.CodeRef, Heap: frontend.HeapFunc}
		for !c.done() {
			i, err := b.index(&b.funcs, c.next())
			if err != nil {
				return err
			}
			el.Init = append(el.Init, refFuncExpr(i))
		}
		return nil
	}
	switch {
	case c.peekAtom("func"):
		c.next()
		if err := funcList(); err != nil {
			return err
		}
	case isRefType(c.peek()):
		rt, err := b.refType(c.next())
		if err != nil {
			return err
		}
		el.Type = rt
		for !c.done() {
			x, err := b.elemItem(c.next())
			if err != nil {
				return err
			}
			el.Init = append(el.Init, x)
		}
	default:
		if el.Mode != frontend.SegActive && !c.done() {
			return b.errCur(c, "expected element list")
		}
		if err := funcList(); err != nil {
			return err
		}
	}
	if el.Init == nil {
		el.Init = []frontend.ConstExpr{}
	}
	b.m.Elems = append(b.m.Elems, el)
	return nil
}

func (b *builder) dataDef(c *cursor, f *node) error {
	c.optID()
	d := frontend.Data{Mode: frontend.SegPassive}
	active := false
	if c.peekList("memory") {
		m := c.next()
		if len(m.kids) != 2 {
			return b.errAt(m, "malformed memory use")
		}
		i, err := b.index(&b.mems, m.kids[1])
		if err != nil {
			return err
		}
		d.Memory = i
		active = true
	} else if isIndex(c.peek()) {
		i, err := b.index(&b.mems, c.next())
		if err != nil {
			return err
		}
		d.Memory = i
		active = true
	}
	if p := c.peek(); p != nil && p.kind == tokLParen {
		x, err := b.offsetExpr(c.next())
		if err != nil {
			return err
		}
		d.Offset = x
		d.Mode = frontend.SegActive
	} else if active {
		return b.errCur(c, "expected offset expression")
	}
	d.Init = []byte{}
	for !c.done() {
		s := c.next()
		if s.kind != tokString {
			return b.errAt(s, "expected string in data segment, got %s", describe(s))
		}
		d.Init = append(d.Init, s.text...)
	}
	b.m.Datas = append(b.m.Datas, d)
	return nil
}

// funcDef parses a function definition after its id and exports.
func (b *builder) funcDef(c *cursor, f *node) error {
	t, names, err := b.typeUse(c, true)
	if err != nil {
		return err
	}
	var params []frontend.ValType
	if int(t) < len(b.m.Types) && b.m.Types[t].Comp.Kind == frontend.CompFunc {
		params = b.m.Types[t].Comp.Params
	}
	fc := b.newFunc()
	for i := range params {
		name := ""
		if i < len(names) {
			name = names[i]
		}
		if err := fc.addLocal(name, f); err != nil {
			return err
		}
	}
	var code frontend.Code
	for c.peekList("local") {
		l := c.next()
		lc := newCursor(l, 1)
		if lc.peekID() {
			id := lc.next()
			vt, err := b.valType(lc.next())
			if err != nil {
				return err
			}
			if !lc.done() {
				return b.errAt(lc.peek(), "unexpected token %s after named local", describe(lc.peek()))
			}
			if err := fc.addLocal(id.text, id); err != nil {
				return err
			}
			code.Locals = appendLocal(code.Locals, vt)
			continue
		}
		for !lc.done() {
			vt, err := b.valType(lc.next())
			if err != nil {
				return err
			}
			if err := fc.addLocal("", l); err != nil {
				return err
			}
			code.Locals = appendLocal(code.Locals, vt)
		}
	}
	if err := fc.seqAll(c); err != nil {
		return err
	}
	code.Body = append(fc.out, frontend.OpEnd)
	b.marks = append(b.marks, fc.marks)
	b.m.Funcs = append(b.m.Funcs, t)
	b.m.Codes = append(b.m.Codes, code)
	return nil
}

func appendLocal(ls []frontend.LocalDecl, t frontend.ValType) []frontend.LocalDecl {
	if n := len(ls); n > 0 && ls[n-1].Type == t {
		ls[n-1].Count++
		return ls
	}
	return append(ls, frontend.LocalDecl{Count: 1, Type: t})
}

func validUTF8(s string) bool { return utf8.ValidString(s) }

// refNullHeap reports whether code is exactly `ref.null ht; end`, and ht.
func refNullHeap(code []byte) (frontend.HeapType, bool) {
	if len(code) < 3 || code[0] != frontend.OpRefNull || code[len(code)-1] != frontend.OpEnd {
		return 0, false
	}
	r := frontend.Reader{Buf: code[1 : len(code)-1]}
	h, err := r.S33()
	return frontend.HeapType(h), err == nil && r.EOF()
}
