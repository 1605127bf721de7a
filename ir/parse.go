package ir

// The parser reads the text form written by Fprint (see print.go for the
// grammar). It works line by line: a "func" header, then block headers
// ("bN: ..."), value lines ("vN = ...") and one terminator per block, then
// "}". Values and blocks keep their printed IDs, so a parsed function
// prints back identically; args may refer to values defined later (phis in
// loops), so references are resolved after the whole function is read.
// Parse does not verify: call Verify on the result.

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"wfxc/rt/abi"
)

// Parse parses the text form of exactly one function.
func Parse(src string) (*Func, error) {
	fs, err := ParseFuncs(src)
	if err != nil {
		return nil, err
	}
	if len(fs) != 1 {
		return nil, fmt.Errorf("got %d functions, want 1", len(fs))
	}
	return fs[0], nil
}

// ParseFuncs parses the text form of any number of functions.
func ParseFuncs(src string) ([]*Func, error) {
	p := &parser{}
	for i, line := range strings.Split(src, "\n") {
		toks, err := lex(line)
		if err != nil {
			return nil, fmt.Errorf("line %d: %v", i+1, err)
		}
		if len(toks) > 0 {
			p.lines = append(p.lines, srcLine{i + 1, toks})
		}
	}
	var fs []*Func
	for p.i < len(p.lines) {
		f, err := p.parseFunc()
		if err != nil {
			return nil, err
		}
		fs = append(fs, f)
	}
	return fs, nil
}

type srcLine struct {
	num  int
	toks []string
}

// lex splits a line into tokens: words (letters, digits, _ . $ + -),
// quoted strings (kept with their quotes), "->", "<-" and the single
// characters = : ( ) , [ ] { } @. A ";" outside a string ends the line.
func lex(line string) ([]string, error) {
	var toks []string
	for i := 0; i < len(line); {
		c := line[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r':
			i++
		case c == ';':
			return toks, nil
		case c == '-' && i+1 < len(line) && line[i+1] == '>':
			toks = append(toks, "->")
			i += 2
		case c == '<' && i+1 < len(line) && line[i+1] == '-':
			toks = append(toks, "<-")
			i += 2
		case strings.IndexByte("=:(),[]{}@", c) >= 0:
			toks = append(toks, string(c))
			i++
		case c == '"':
			j := i + 1
			for j < len(line) && line[j] != '"' {
				if line[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(line) {
				return nil, fmt.Errorf("unterminated string")
			}
			toks = append(toks, line[i:j+1])
			i = j + 1
		case isWordRune(rune(c)):
			j := i
			for j < len(line) && isWordRune(rune(line[j])) && !(line[j] == '-' && j+1 < len(line) && line[j+1] == '>') {
				j++
			}
			toks = append(toks, line[i:j])
			i = j
		default:
			return nil, fmt.Errorf("unexpected character %q", c)
		}
	}
	return toks, nil
}

type parser struct {
	lines []srcLine
	i     int
}

// A pending value or block: what was read, before IDs are resolved.
type pendingValue struct {
	v    *Value
	args []int32
	line int
	lit  string // const literal, converted once the type is known
}

type pendingBlock struct {
	b        *Block
	line     int // header line
	termLine int
	preds    []int32
	hasPreds bool
	controls []int32
	succs    []int32
	done     bool // terminator seen
}

// cursor walks the tokens of one line.
type cursor struct {
	toks []string
	i    int
	line int
}

func (c *cursor) peek() string {
	if c.i < len(c.toks) {
		return c.toks[c.i]
	}
	return ""
}

func (c *cursor) next() string {
	t := c.peek()
	if c.i < len(c.toks) {
		c.i++
	}
	return t
}

func (c *cursor) errorf(format string, args ...any) error {
	return fmt.Errorf("line %d: %s", c.line, fmt.Sprintf(format, args...))
}

func (c *cursor) expect(tok string) error {
	if got := c.next(); got != tok {
		if got == "" {
			got = "end of line"
		} else {
			got = strconv.Quote(got)
		}
		return c.errorf("got %s, want %q", got, tok)
	}
	return nil
}

func (c *cursor) int64() (int64, error) {
	t := c.next()
	n, err := strconv.ParseInt(t, 0, 64)
	if err != nil {
		return 0, c.errorf("got %q, want an integer", t)
	}
	return n, nil
}

// maxID bounds parsed value and block IDs, so that a typo cannot make
// dense per-ID tables (NumValues, NumBlocks) huge.
const maxID = 1 << 20

// parseRef parses a "v12"/"b3" style reference with the given prefix.
func parseRef(tok string, prefix byte) (int32, bool) {
	if len(tok) < 2 || tok[0] != prefix {
		return 0, false
	}
	n, err := strconv.ParseInt(tok[1:], 10, 32)
	if err != nil || n < 0 || n >= maxID || tok[1] == '+' || tok[1] == '-' {
		return 0, false
	}
	return int32(n), true
}

var typeByName = func() map[string]Type {
	m := make(map[string]Type)
	for i, n := range typeNames {
		m[n] = Type(i)
	}
	return m
}()

var opByName = func() map[string]Op {
	m := make(map[string]Op)
	for i, info := range Ops {
		if info.Name != "" {
			m[info.Name] = Op(i)
		}
	}
	return m
}()

var condByName = func() map[string]Cond {
	m := make(map[string]Cond)
	for i, n := range condNames {
		if i > 0 {
			m[n] = Cond(i)
		}
	}
	return m
}()

func (c *cursor) typeName() (Type, error) {
	t := c.next()
	typ, ok := typeByName[t]
	if !ok {
		return 0, c.errorf("unknown type %q", t)
	}
	return typ, nil
}

// typeList parses "(t, t, ...)" (the "(" already consumed) into a non-nil
// slice.
func (c *cursor) typeList() ([]Type, error) {
	ts := []Type{}
	if c.peek() == ")" {
		c.next()
		return ts, nil
	}
	for {
		t, err := c.typeName()
		if err != nil {
			return nil, err
		}
		ts = append(ts, t)
		switch c.next() {
		case ")":
			return ts, nil
		case ",":
		default:
			return nil, c.errorf("want \",\" or \")\" in a type list")
		}
	}
}

func (p *parser) parseFunc() (*Func, error) {
	ln := p.lines[p.i]
	p.i++
	c := &cursor{toks: ln.toks, line: ln.num}
	if err := c.expect("func"); err != nil {
		return nil, err
	}
	f := &Func{}
	name := c.next()
	switch {
	case strings.HasPrefix(name, `"`):
		s, err := strconv.Unquote(name)
		if err != nil {
			return nil, c.errorf("bad function name %s", name)
		}
		f.Name = s
	case name == "" || name == "(":
		return nil, c.errorf("missing function name")
	default:
		f.Name = name
	}
	if err := c.expect("("); err != nil {
		return nil, err
	}
	params, err := c.typeList()
	if err != nil {
		return nil, err
	}
	if len(params) > 0 {
		f.Params = params
	}
	if c.peek() == "->" {
		c.next()
		if err := c.expect("("); err != nil {
			return nil, err
		}
		results, err := c.typeList()
		if err != nil {
			return nil, err
		}
		if len(results) > 0 {
			f.Results = results
		}
	}
	if c.peek() == "index" {
		c.next()
		n, err := c.int64()
		if err != nil {
			return nil, err
		}
		f.Index = int(n)
	}
	if err := c.expect("{"); err != nil {
		return nil, err
	}
	if c.peek() != "" {
		return nil, c.errorf("unexpected %q after \"{\"", c.peek())
	}

	var blocks []*pendingBlock
	var values []*pendingValue
	var cur *pendingBlock
	closed := false
	for p.i < len(p.lines) && !closed {
		ln := p.lines[p.i]
		p.i++
		c := &cursor{toks: ln.toks, line: ln.num}
		first := c.peek()
		switch {
		case first == "}":
			closed = true
		case len(ln.toks) >= 2 && ln.toks[1] == ":" && first[0] == 'b':
			id, ok := parseRef(first, 'b')
			if !ok {
				return nil, c.errorf("bad block name %q", first)
			}
			if cur != nil && !cur.done {
				return nil, c.errorf("block b%d has no terminator", cur.b.ID)
			}
			c.i = 2
			cur = &pendingBlock{b: &Block{ID: id, Func: f, Pos: -1}, line: ln.num}
			if err := parseBlockHeader(c, cur); err != nil {
				return nil, err
			}
			blocks = append(blocks, cur)
		case len(ln.toks) >= 2 && ln.toks[1] == "=":
			if cur == nil || cur.done {
				return nil, c.errorf("value outside a block")
			}
			pv, err := parseValue(c)
			if err != nil {
				return nil, err
			}
			pv.v.Block = cur.b
			cur.b.Values = append(cur.b.Values, pv.v)
			values = append(values, pv)
		default:
			if cur == nil || cur.done {
				return nil, c.errorf("unexpected %q outside a block", first)
			}
			if err := parseTerminator(c, cur); err != nil {
				return nil, err
			}
			cur.done = true
			cur.termLine = ln.num
		}
	}
	if !closed {
		return nil, fmt.Errorf("line %d: function %s has no closing \"}\"", ln.num, f.Name)
	}
	if cur != nil && !cur.done {
		return nil, fmt.Errorf("line %d: block b%d has no terminator", cur.line, cur.b.ID)
	}
	if len(blocks) == 0 {
		return nil, fmt.Errorf("line %d: function %s has no blocks", ln.num, f.Name)
	}
	return resolve(f, blocks, values)
}

func parseBlockHeader(c *cursor, pb *pendingBlock) error {
	if c.peek() == "loop" {
		c.next()
		pb.b.Loop = true
	}
	if c.peek() == "cold" {
		c.next()
		pb.b.Cold = true
	}
	if c.peek() == "<-" {
		c.next()
		pb.hasPreds = true
		for c.peek() != "" {
			t := c.next()
			id, ok := parseRef(t, 'b')
			if !ok {
				return c.errorf("got %q, want a predecessor block", t)
			}
			pb.preds = append(pb.preds, id)
		}
	}
	if c.peek() != "" {
		return c.errorf("unexpected %q in block header", c.peek())
	}
	return nil
}

func parseValue(c *cursor) (*pendingValue, error) {
	name := c.next()
	id, ok := parseRef(name, 'v')
	if !ok {
		return nil, c.errorf("bad value name %q", name)
	}
	c.next() // "="
	opName := c.next()
	op, ok := opByName[opName]
	if !ok {
		return nil, c.errorf("unknown op %q", opName)
	}
	pv := &pendingValue{v: &Value{ID: id, Op: op, Type: Void, Pos: -1}, line: c.line}
	v := pv.v
	inline := false
	switch Ops[op].Aux { // a constant or a condition is written inline
	case AuxConst:
		pv.lit = c.next()
		if pv.lit == "" || strings.IndexByte("[:@(", pv.lit[0]) >= 0 {
			return nil, c.errorf("const needs a value")
		}
		inline = true
	case AuxIntCond, AuxFloatCond:
		t := c.next()
		if cond, ok := condByName[t]; ok {
			v.Aux = int64(cond)
		} else if n, err := strconv.ParseInt(t, 10, 64); err == nil {
			v.Aux = n
		} else {
			return nil, c.errorf("unknown condition %q", t)
		}
		inline = true
	}
	for c.peek() != "" {
		t := c.next()
		switch {
		case t == "[":
			a, err := c.int64()
			if err != nil {
				return nil, err
			}
			if inline {
				v.Aux2 = a
			} else {
				v.Aux = a
				if c.peek() == "," {
					c.next()
					if v.Aux2, err = c.int64(); err != nil {
						return nil, err
					}
				}
			}
			if err := c.expect("]"); err != nil {
				return nil, err
			}
		case t == ":":
			typ, err := c.typeName()
			if err != nil {
				return nil, err
			}
			v.Type = typ
		case t == "(":
			rs, err := c.typeList()
			if err != nil {
				return nil, err
			}
			v.Results = rs
		case t == "@":
			n, err := c.int64()
			if err != nil {
				return nil, err
			}
			v.Pos = int32(n)
		default:
			a, ok := parseRef(t, 'v')
			if !ok {
				return nil, c.errorf("got %q, want an arg, \"[\", \":\", \"(\" or \"@\"", t)
			}
			pv.args = append(pv.args, a)
		}
	}
	return pv, nil
}

func parseTerminator(c *cursor, pb *pendingBlock) error {
	kw := c.next()
	kind := BlockInvalid
	found := false
	for k, name := range blockKeywords {
		if name == kw {
			kind, found = BlockKind(k), true
		}
	}
	if !found {
		return c.errorf("got %q, want a value, a block header or a terminator (jump, if, switch, return, trap)", kw)
	}
	b := pb.b
	b.Kind = kind
	if kind == BlockTrap {
		t := c.next()
		code, ok := TrapCode(t)
		if !ok {
			return c.errorf("unknown trap code %q", t)
		}
		b.Aux = code
	}
	for c.peek() != "" {
		t := c.next()
		switch {
		case t == "->":
		case t == "[":
			n, err := c.int64()
			if err != nil {
				return err
			}
			b.Aux = n
			if err := c.expect("]"); err != nil {
				return err
			}
		case t == "@":
			n, err := c.int64()
			if err != nil {
				return err
			}
			b.Pos = int32(n)
		case slices.Contains(catchKeywords[:], t):
			kind := uint8(slices.Index(catchKeywords[:], t))
			cl := Catch{Kind: kind}
			if kind == abi.CatchTag || kind == abi.CatchTagRef {
				n, err := c.int64()
				if err != nil {
					return err
				}
				cl.Tag = uint32(n)
			}
			b.Catches = append(b.Catches, cl)
		default:
			if id, ok := parseRef(t, 'v'); ok {
				pb.controls = append(pb.controls, id)
			} else if id, ok := parseRef(t, 'b'); ok {
				pb.succs = append(pb.succs, id)
			} else {
				return c.errorf("got %q in a terminator, want a value, a block, \"[\" or \"@\"", t)
			}
		}
	}
	return nil
}

// resolve turns IDs into pointers and fills in Preds and Uses.
func resolve(f *Func, blocks []*pendingBlock, values []*pendingValue) (*Func, error) {
	blockByID := make(map[int32]*Block)
	for _, pb := range blocks {
		if blockByID[pb.b.ID] != nil {
			return nil, fmt.Errorf("line %d: block b%d defined twice", pb.line, pb.b.ID)
		}
		blockByID[pb.b.ID] = pb.b
		f.Blocks = append(f.Blocks, pb.b)
		f.nextBlock = max(f.nextBlock, pb.b.ID+1)
	}
	valueByID := make(map[int32]*Value)
	for _, pv := range values {
		if valueByID[pv.v.ID] != nil {
			return nil, fmt.Errorf("line %d: value v%d defined twice", pv.line, pv.v.ID)
		}
		valueByID[pv.v.ID] = pv.v
		f.nextValue = max(f.nextValue, pv.v.ID+1)
	}
	for _, pv := range values {
		v := pv.v
		if Ops[v.Op].Aux == AuxConst {
			n, err := parseConst(v.Type, pv.lit)
			if err != nil {
				return nil, fmt.Errorf("line %d: %v", pv.line, err)
			}
			v.Aux = n
		}
		for _, id := range pv.args {
			a := valueByID[id]
			if a == nil {
				return nil, fmt.Errorf("line %d: v%d uses undefined value v%d", pv.line, v.ID, id)
			}
			v.AddArg(a)
		}
	}
	for _, pb := range blocks {
		var cs []*Value
		for _, id := range pb.controls {
			a := valueByID[id]
			if a == nil {
				return nil, fmt.Errorf("line %d: b%d uses undefined value v%d", pb.termLine, pb.b.ID, id)
			}
			cs = append(cs, a)
		}
		pb.b.SetControls(cs...)
		for _, id := range pb.succs {
			s := blockByID[id]
			if s == nil {
				return nil, fmt.Errorf("line %d: b%d jumps to undefined block b%d", pb.termLine, pb.b.ID, id)
			}
			pb.b.Succs = append(pb.b.Succs, s)
		}
	}
	// Preds: as listed, or derived from the successors in block order.
	for _, pb := range blocks {
		for _, id := range pb.preds {
			p := blockByID[id]
			if p == nil {
				return nil, fmt.Errorf("line %d: b%d lists undefined predecessor b%d", pb.line, pb.b.ID, id)
			}
			pb.b.Preds = append(pb.b.Preds, p)
		}
	}
	listed := make(map[*Block]bool)
	for _, pb := range blocks {
		listed[pb.b] = pb.hasPreds
	}
	for _, pb := range blocks {
		for _, s := range pb.b.Succs {
			if !listed[s] {
				s.Preds = append(s.Preds, pb.b)
			}
		}
	}
	// Listed preds must match the edges.
	for _, pb := range blocks {
		if !pb.hasPreds {
			continue
		}
		want := 0
		for _, q := range blocks {
			for _, s := range q.b.Succs {
				if s == pb.b {
					want++
				}
			}
		}
		if want != len(pb.b.Preds) {
			return nil, fmt.Errorf("line %d: b%d lists %d predecessors, want %d (its incoming edges)", pb.line, pb.b.ID, len(pb.b.Preds), want)
		}
		for _, p := range pb.b.Preds {
			n, m := 0, 0
			for _, s := range p.Succs {
				if s == pb.b {
					n++
				}
			}
			for _, q := range pb.b.Preds {
				if q == p {
					m++
				}
			}
			if n != m {
				return nil, fmt.Errorf("line %d: b%d lists b%d as a predecessor %d times, want %d (edges from b%d)", pb.line, pb.b.ID, p.ID, m, n, p.ID)
			}
		}
	}
	return f, nil
}
