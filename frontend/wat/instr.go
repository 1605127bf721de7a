package wat

import (
	"math/bits"
	"strings"

	"wfxc/frontend"
	"wfxc/internal/leb128"
)

// Instructions, flat and folded. A function context tracks locals and the
// label stack; instructions are written straight to binary.
//
// Folded form (op imm* folded*) is emitted as the folded operands first,
// then op with its immediates: `(i32.add (local.get 0) (i32.const 1))`
// becomes `local.get 0; i32.const 1; i32.add`. Structured forms fold as
// (block …), (loop …), (if … (then …) (else …)) and (try_table …).

type fctx struct {
	b       *builder
	locals  map[string]uint32
	nlocals uint32
	labels  []string // innermost last; "" for unnamed
	out     []byte
	marks   []srcMark // where each instruction's bytes start in out, and its source position
}

// srcMark locates the source of the instruction whose bytes start at off.
type srcMark struct{ off, line, col int }

// mark records that the next bytes appended to f.out belong to the
// instruction named by n.
func (f *fctx) mark(n *node) { f.marks = append(f.marks, srcMark{len(f.out), n.line, n.col}) }

func (b *builder) newFunc() *fctx {
	return &fctx{b: b, locals: map[string]uint32{}}
}

func (f *fctx) addLocal(name string, at *node) error {
	if name != "" {
		if _, dup := f.locals[name]; dup {
			return f.b.errAt(at, "duplicate local $%s", name)
		}
		f.locals[name] = f.nlocals
	}
	f.nlocals++
	return nil
}

func (f *fctx) u32(v uint32) { f.out = leb128.AppendUint(f.out, uint64(v)) }

// seqAll parses instructions until c is exhausted.
func (f *fctx) seqAll(c *cursor) error {
	if err := f.seq(c); err != nil {
		return err
	}
	if !c.done() {
		n := c.peek()
		return f.b.errAt(n, "unexpected token %s", describe(n))
	}
	return nil
}

// seq parses instructions until c is exhausted or the next element is an
// atom that ends a block (end, else, catch…, delegate).
func (f *fctx) seq(c *cursor) error {
	for !c.done() {
		n := c.peek()
		switch n.kind {
		case tokLParen:
			c.next()
			if err := f.folded(n); err != nil {
				return err
			}
		case tokAtom:
			if n.text == "end" || n.text == "else" {
				return nil
			}
			c.next()
			if err := f.plain(n, c); err != nil {
				return err
			}
		default:
			return f.b.errAt(n, "unexpected token %s, expected instruction", describe(n))
		}
	}
	return nil
}

func (f *fctx) lookupOp(n *node) (opInfo, error) {
	info, ok := ops[n.text]
	if !ok {
		if nonInstrKeywords[n.text] {
			return info, f.b.errAt(n, "unexpected token %s", n.text)
		}
		return info, f.b.errAt(n, "unknown operator %s", n.text)
	}
	return info, nil
}

// plain parses one flat instruction whose name n was consumed from c.
func (f *fctx) plain(n *node, c *cursor) error {
	info, err := f.lookupOp(n)
	if err != nil {
		return err
	}
	f.mark(n)
	switch info.imm {
	case immBlock, immIf, immTryTable:
		label, err := f.blockStart(n, info, c)
		if err != nil {
			return err
		}
		if err := f.seq(c); err != nil {
			return err
		}
		if info.imm == immIf && c.peekAtom("else") {
			e := c.next()
			if err := f.endLabel(c, label, e); err != nil {
				return err
			}
			mark := len(f.out)
			f.out = append(f.out, frontend.OpElse)
			if err := f.seq(c); err != nil {
				return err
			}
			if len(f.out) == mark+1 {
				f.out = f.out[:mark] // an empty else is not encoded
			}
		}
		if !c.peekAtom("end") {
			line, col := c.pos()
			return &Error{File: f.b.file, Line: line, Col: col, Msg: "expected end of " + n.text}
		}
		e := c.next()
		if err := f.endLabel(c, label, e); err != nil {
			return err
		}
		f.labels = f.labels[:len(f.labels)-1]
		f.out = append(f.out, frontend.OpEnd)
		return nil
	}
	return f.immediates(n, info, c)
}

// endLabel checks an optional label after end/else against the block's.
func (f *fctx) endLabel(c *cursor, label string, at *node) error {
	if c.peekID() {
		id := c.next()
		if id.text != label {
			return f.b.errAt(id, "mismatching label $%s", id.text)
		}
	}
	return nil
}

// blockStart parses `label? blocktype` (and try_table catches), writes the
// opcode and block type, and pushes the label.
func (f *fctx) blockStart(n *node, info opInfo, c *cursor) (string, error) {
	label, _ := c.optID()
	if len(f.labels) >= maxDepth {
		return "", f.b.errAt(n, "nesting too deep")
	}
	f.out = append(f.out, info.code...)
	var catches []byte
	if err := f.blockType(c); err != nil {
		return "", err
	}
	if info.imm == immTryTable {
		var cnt uint32
		var cb []byte
		for {
			p := c.peek()
			if p == nil || p.kind != tokLParen {
				break
			}
			kind := -1
			switch p.head() {
			case "catch":
				kind = 0
			case "catch_ref":
				kind = 1
			case "catch_all":
				kind = 2
			case "catch_all_ref":
				kind = 3
			}
			if kind < 0 {
				break
			}
			c.next()
			cc := newCursor(p, 1)
			cb = append(cb, byte(kind))
			if kind < 2 {
				t, err := f.b.index(&f.b.tags, cc.next())
				if err != nil {
					return "", err
				}
				cb = leb128.AppendUint(cb, uint64(t))
			}
			l, err := f.label(cc.next())
			if err != nil {
				return "", err
			}
			cb = leb128.AppendUint(cb, uint64(l))
			if !cc.done() {
				return "", f.b.errAt(cc.peek(), "unexpected token %s in catch clause", describe(cc.peek()))
			}
			cnt++
		}
		catches = leb128.AppendUint(nil, uint64(cnt))
		catches = append(catches, cb...)
		f.out = append(f.out, catches...)
	}
	f.labels = append(f.labels, label)
	return label, nil
}

// blockType parses a block type and writes it.
func (f *fctx) blockType(c *cursor) error {
	if !c.peekList("type") && !c.peekList("param") && !c.peekList("result") {
		f.out = append(f.out, 0x40)
		return nil
	}
	if !c.peekList("type") && !c.peekList("param") {
		// Only results: a single one uses the value-type shorthand.
		save := c.i
		_, results, _, err := f.b.paramsResults(c, false)
		if err != nil {
			return err
		}
		if len(results) == 0 {
			f.out = append(f.out, 0x40)
			return nil
		}
		if len(results) == 1 {
			f.out = frontend.AppendValType(f.out, results[0])
			return nil
		}
		c.i = save
	}
	t, names, err := f.b.typeUse(c, true)
	if err != nil {
		return err
	}
	for _, n := range names {
		if n != "" {
			line, col := c.pos()
			return &Error{File: f.b.file, Line: line, Col: col, Msg: "unexpected token: named parameter in block type"}
		}
	}
	if f.b.wabt && int(t) < len(f.b.m.Types) {
		ct := &f.b.m.Types[t].Comp
		if ct.Kind == frontend.CompFunc && len(ct.Params) == 0 && len(ct.Results) <= 1 {
			if len(ct.Results) == 0 {
				f.out = append(f.out, 0x40)
			} else {
				f.out = frontend.AppendValType(f.out, ct.Results[0])
			}
			return nil
		}
	}
	f.out = leb128.AppendInt(f.out, int64(t))
	return nil
}

// label resolves a label reference to a relative depth.
func (f *fctx) label(n *node) (uint32, error) {
	if n == nil {
		return 0, f.b.errAt(n, "expected label")
	}
	if n.kind == tokID {
		for i := len(f.labels) - 1; i >= 0; i-- {
			if f.labels[i] == n.text {
				return uint32(len(f.labels) - 1 - i), nil
			}
		}
		return 0, f.b.errAt(n, "unknown label $%s", n.text)
	}
	if n.kind == tokAtom {
		v, err := parseNat(n.text, 32)
		if err == nil {
			return uint32(v), nil
		}
	}
	return 0, f.b.errAt(n, "unexpected token: expected label, got %s", describe(n))
}

// folded parses a parenthesised instruction.
func (f *fctx) folded(n *node) error {
	if len(n.kids) == 0 || n.kids[0].kind != tokAtom {
		return f.b.errAt(n, "expected instruction")
	}
	name := n.kids[0]
	info, err := f.lookupOp(name)
	if err != nil {
		return err
	}
	c := newCursor(n, 1)
	switch info.imm {
	case immBlock, immTryTable:
		f.mark(name)
		if _, err := f.blockStart(name, info, c); err != nil {
			return err
		}
		if err := f.seqAll(c); err != nil {
			return err
		}
		f.labels = f.labels[:len(f.labels)-1]
		f.out = append(f.out, frontend.OpEnd)
		return nil
	case immIf:
		// Condition operands come before the if opcode: parse the label
		// and block type into a temporary buffer first.
		save := f.out
		f.out = nil
		if _, err := f.blockStart(name, info, c); err != nil {
			return err
		}
		head := f.out
		f.out = save
		label := f.labels[len(f.labels)-1]
		f.labels = f.labels[:len(f.labels)-1]
		for !c.done() && !c.peekList("then") {
			p := c.next()
			if p.kind != tokLParen {
				return f.b.errAt(p, "unexpected token: expected folded condition or (then …), got %s", describe(p))
			}
			if err := f.folded(p); err != nil {
				return err
			}
		}
		if !c.peekList("then") {
			line, col := c.pos()
			return &Error{File: f.b.file, Line: line, Col: col, Msg: "expected (then …)"}
		}
		f.labels = append(f.labels, label)
		f.mark(name)
		f.out = append(f.out, head...)
		th := c.next()
		if err := f.seqAll(newCursor(th, 1)); err != nil {
			return err
		}
		if c.peekList("else") {
			el := c.next()
			mark := len(f.out)
			f.out = append(f.out, frontend.OpElse)
			if err := f.seqAll(newCursor(el, 1)); err != nil {
				return err
			}
			if len(f.out) == mark+1 {
				f.out = f.out[:mark] // an empty else is not encoded
			}
		}
		if !c.done() {
			return f.b.errAt(c.peek(), "unexpected token %s in if", describe(c.peek()))
		}
		f.labels = f.labels[:len(f.labels)-1]
		f.out = append(f.out, frontend.OpEnd)
		return nil
	}
	save := f.out
	f.out = nil
	if err := f.immediates(name, info, c); err != nil {
		return err
	}
	instr := f.out
	f.out = save
	for !c.done() {
		p := c.next()
		if p.kind != tokLParen {
			return f.b.errAt(p, "unexpected token %s in folded %s", describe(p), name.text)
		}
		if err := f.folded(p); err != nil {
			return err
		}
	}
	f.mark(name)
	f.out = append(f.out, instr...)
	return nil
}

// optIndex consumes an index if the next element is one.
func optIndex(c *cursor) *node {
	if isIndex(c.peek()) {
		return c.next()
	}
	return nil
}

func (f *fctx) needAtom(c *cursor, what string) (*node, error) {
	n := c.peek()
	if n == nil || n.kind != tokAtom {
		line, col := c.pos()
		return nil, &Error{File: f.b.file, Line: line, Col: col, Msg: "unexpected token: expected " + what + ", got " + describe(n)}
	}
	return c.next(), nil
}

// immediates writes the opcode of a non-structured instruction and parses
// its immediates from c.
func (f *fctx) immediates(n *node, info opInfo, c *cursor) error {
	b := f.b
	if info.imm != immRefTest {
		f.out = append(f.out, info.code...)
	}
	switch info.imm {
	case immNone:
	case immLabel:
		l, err := f.label(c.next())
		if err != nil {
			return err
		}
		f.u32(l)
	case immBrTable:
		var ls []uint32
		for isIndex(c.peek()) {
			l, err := f.label(c.next())
			if err != nil {
				return err
			}
			ls = append(ls, l)
		}
		if len(ls) == 0 {
			return b.errCur(c, "expected label in br_table")
		}
		f.u32(uint32(len(ls) - 1))
		for _, l := range ls {
			f.u32(l)
		}
	case immFunc:
		i, err := b.index(&b.funcs, c.next())
		if err != nil {
			return err
		}
		f.u32(i)
	case immCallIndirect:
		var table uint32
		if t := optIndex(c); t != nil {
			i, err := b.index(&b.tables, t)
			if err != nil {
				return err
			}
			table = i
		}
		t, names, err := b.typeUse(c, true)
		if err != nil {
			return err
		}
		for _, nm := range names {
			if nm != "" {
				return b.errAt(n, "unexpected token: named parameter in %s", n.text)
			}
		}
		f.u32(t)
		f.u32(table)
	case immType:
		i, err := b.index(&b.types, c.next())
		if err != nil {
			return err
		}
		f.u32(i)
	case immLocal:
		x := c.next()
		if x != nil && x.kind == tokID {
			i, ok := f.locals[x.text]
			if !ok {
				return b.errAt(x, "unknown local $%s", x.text)
			}
			f.u32(i)
			return nil
		}
		if x == nil || x.kind != tokAtom {
			return b.errAt(n, "expected local index")
		}
		v, err := parseNat(x.text, 32)
		if err != nil {
			return b.errAt(x, "expected local index, got %s", describe(x))
		}
		f.u32(uint32(v))
	case immGlobal:
		i, err := b.index(&b.globals, c.next())
		if err != nil {
			return err
		}
		f.u32(i)
	case immTable:
		var t uint32
		if x := optIndex(c); x != nil {
			i, err := b.index(&b.tables, x)
			if err != nil {
				return err
			}
			t = i
		}
		f.u32(t)
	case immMem:
		return f.memarg(c, info.align)
	case immMemLane:
		if err := f.memargLane(c, info.align); err != nil {
			return err
		}
	case immMemIdx:
		var m uint32
		if x := optIndex(c); x != nil {
			i, err := b.index(&b.mems, x)
			if err != nil {
				return err
			}
			m = i
		}
		f.u32(m)
	case immI32, immI64:
		x, err := f.needAtom(c, "integer constant")
		if err != nil {
			return err
		}
		width := uint(32)
		if info.imm == immI64 {
			width = 64
		}
		v, err := parseInt(x.text, width)
		if err != nil {
			return b.errAt(x, "%s: %s", errText(err), x.text)
		}
		if width == 32 {
			f.out = leb128.AppendInt(f.out, int64(int32(uint32(v))))
		} else {
			f.out = leb128.AppendInt(f.out, int64(v))
		}
	case immF32, immF64:
		x, err := f.needAtom(c, "float constant")
		if err != nil {
			return err
		}
		width := 32
		if info.imm == immF64 {
			width = 64
		}
		v, err := parseFloat(x.text, width)
		if err != nil {
			return b.errAt(x, "%s: %s", errText(err), x.text)
		}
		for i := 0; i < width/8; i++ {
			f.out = append(f.out, byte(v>>(8*i)))
		}
	case immV128:
		v, err := f.v128Const(n, c)
		if err != nil {
			return err
		}
		f.out = append(f.out, v[:]...)
	case immRefNull:
		h, err := b.heapType(c.next())
		if err != nil {
			return err
		}
		f.out = frontend.AppendHeapType(f.out, h)
	case immSelect:
		var ts []frontend.ValType
		seen := false
		for c.peekList("result") {
			seen = true
			r := c.next()
			rc := newCursor(r, 1)
			for !rc.done() {
				t, err := b.valType(rc.next())
				if err != nil {
					return err
				}
				ts = append(ts, t)
			}
		}
		if seen && !(b.wabt && len(ts) == 0) {
			f.out[len(f.out)-1] = frontend.OpSelectT
			f.u32(uint32(len(ts)))
			for _, t := range ts {
				f.out = frontend.AppendValType(f.out, t)
			}
		}
	case immTag:
		i, err := b.index(&b.tags, c.next())
		if err != nil {
			return err
		}
		f.u32(i)
	case immMemInit, immTableInit:
		space, seg := &b.mems, &b.datas
		if info.imm == immTableInit {
			space, seg = &b.tables, &b.elems
		}
		var x uint32
		first := c.next()
		second := optIndex(c)
		segNode := first
		if second != nil {
			i, err := b.index(space, first)
			if err != nil {
				return err
			}
			x = i
			segNode = second
		}
		s, err := b.index(seg, segNode)
		if err != nil {
			return err
		}
		if info.imm == immMemInit {
			b.dataUsed = true
		}
		f.u32(s)
		f.u32(x)
	case immData:
		b.dataUsed = true
		i, err := b.index(&b.datas, c.next())
		if err != nil {
			return err
		}
		f.u32(i)
	case immElem:
		i, err := b.index(&b.elems, c.next())
		if err != nil {
			return err
		}
		f.u32(i)
	case immMemCopy, immTableCopy:
		space := &b.mems
		if info.imm == immTableCopy {
			space = &b.tables
		}
		var d, s uint32
		if x := optIndex(c); x != nil {
			i, err := b.index(space, x)
			if err != nil {
				return err
			}
			y := optIndex(c)
			if y == nil {
				return b.errCur(c, "expected second index in %s", n.text)
			}
			j, err := b.index(space, y)
			if err != nil {
				return err
			}
			d, s = i, j
		}
		f.u32(d)
		f.u32(s)
	case immShuffle:
		for i := 0; i < 16; i++ {
			x, err := f.needAtom(c, "lane index")
			if err != nil {
				return b.errCur(c, "invalid lane length: i8x16.shuffle needs 16 lane indices")
			}
			v, err := parseNat(x.text, 8)
			if err != nil {
				return b.errAt(x, "malformed lane index: %s", x.text)
			}
			f.out = append(f.out, byte(v))
		}
	case immLane:
		x, err := f.needAtom(c, "lane index")
		if err != nil {
			return err
		}
		v, err := parseNat(x.text, 8)
		if err != nil {
			return b.errAt(x, "malformed lane index: %s", x.text)
		}
		f.out = append(f.out, byte(v))
	case immField:
		t, err := b.index(&b.types, c.next())
		if err != nil {
			return err
		}
		x := c.next()
		var fi uint32
		if x != nil && x.kind == tokID {
			i, ok := b.fieldNames[t][x.text]
			if !ok {
				return b.errAt(x, "unknown field $%s", x.text)
			}
			fi = i
		} else {
			if x == nil || x.kind != tokAtom {
				return b.errAt(n, "expected field index")
			}
			v, err := parseNat(x.text, 32)
			if err != nil {
				return b.errAt(x, "expected field index, got %s", describe(x))
			}
			fi = uint32(v)
		}
		f.u32(t)
		f.u32(fi)
	case immTypeU32:
		t, err := b.index(&b.types, c.next())
		if err != nil {
			return err
		}
		x, err := f.needAtom(c, "array size")
		if err != nil {
			return err
		}
		v, err := parseNat(x.text, 32)
		if err != nil {
			return b.errAt(x, "%s: %s", errText(err), x.text)
		}
		f.u32(t)
		f.u32(uint32(v))
	case immTypeData, immTypeElem:
		t, err := b.index(&b.types, c.next())
		if err != nil {
			return err
		}
		seg := &b.elems
		if info.imm == immTypeData {
			seg = &b.datas
			b.dataUsed = true
		}
		s, err := b.index(seg, c.next())
		if err != nil {
			return err
		}
		f.u32(t)
		f.u32(s)
	case immTypeType:
		t1, err := b.index(&b.types, c.next())
		if err != nil {
			return err
		}
		t2, err := b.index(&b.types, c.next())
		if err != nil {
			return err
		}
		f.u32(t1)
		f.u32(t2)
	case immTypeTag:
		t, err := b.index(&b.types, c.next())
		if err != nil {
			return err
		}
		g, err := b.index(&b.tags, c.next())
		if err != nil {
			return err
		}
		f.u32(t)
		f.u32(g)
	case immRefTest:
		rt, err := b.refType(c.next())
		if err != nil {
			return err
		}
		if rt.Nullable() {
			f.out = append(f.out, info.alt...)
		} else {
			f.out = append(f.out, info.code...)
		}
		f.out = frontend.AppendHeapType(f.out, rt.Heap)
	case immBrOnCast:
		l, err := f.label(c.next())
		if err != nil {
			return err
		}
		r1, err := b.refType(c.next())
		if err != nil {
			return err
		}
		r2, err := b.refType(c.next())
		if err != nil {
			return err
		}
		var flags byte
		if r1.Nullable() {
			flags |= 1
		}
		if r2.Nullable() {
			flags |= 2
		}
		f.out = append(f.out, flags)
		f.u32(l)
		f.out = frontend.AppendHeapType(f.out, r1.Heap)
		f.out = frontend.AppendHeapType(f.out, r2.Heap)
	case immResume, immResumeThrow:
		t, err := b.index(&b.types, c.next())
		if err != nil {
			return err
		}
		f.u32(t)
		if info.imm == immResumeThrow {
			g, err := b.index(&b.tags, c.next())
			if err != nil {
				return err
			}
			f.u32(g)
		}
		var hs []byte
		var cnt uint32
		// (tag $e $l) is the older wasmfx spelling of (on $e $l).
		for c.peekList("on") || c.peekList("tag") {
			h := c.next()
			hc := newCursor(h, 1)
			g, err := b.index(&b.tags, hc.next())
			if err != nil {
				return err
			}
			if hc.peekAtom("switch") {
				hc.next()
				hs = append(hs, 1)
				hs = leb128.AppendUint(hs, uint64(g))
			} else {
				l, err := f.label(hc.next())
				if err != nil {
					return err
				}
				hs = append(hs, 0)
				hs = leb128.AppendUint(hs, uint64(g))
				hs = leb128.AppendUint(hs, uint64(l))
			}
			if !hc.done() {
				return b.errAt(hc.peek(), "unexpected token %s in handler clause", describe(hc.peek()))
			}
			cnt++
		}
		f.u32(cnt)
		f.out = append(f.out, hs...)
	default:
		return b.errAt(n, "unsupported instruction %s", n.text)
	}
	return nil
}

// memarg parses `memory? offset=N? align=N?` for a memory instruction.
func (f *fctx) memarg(c *cursor, natural uint8) error {
	var mem uint32
	if x := optIndex(c); x != nil {
		i, err := f.b.index(&f.b.mems, x)
		if err != nil {
			return err
		}
		mem = i
	}
	return f.memargRest(c, natural, mem)
}

func (f *fctx) memargRest(c *cursor, natural uint8, mem uint32) error {
	var offset uint64
	align := uint64(natural)
	if p := c.peek(); p != nil && p.kind == tokAtom && strings.HasPrefix(p.text, "offset=") {
		c.next()
		v, err := parseNat(p.text[len("offset="):], 64)
		if err != nil {
			return f.b.errAt(p, "%s: %s", errText(err), p.text)
		}
		offset = v
	}
	if p := c.peek(); p != nil && p.kind == tokAtom && strings.HasPrefix(p.text, "align=") {
		c.next()
		v, err := parseNat(p.text[len("align="):], 32)
		if err != nil {
			return f.b.errAt(p, "%s: %s", errText(err), p.text)
		}
		if v == 0 || v&(v-1) != 0 {
			return f.b.errAt(p, "alignment must be a power of two")
		}
		align = uint64(bits.TrailingZeros64(v))
	}
	if mem != 0 {
		f.out = leb128.AppendUint(f.out, align|0x40)
		f.u32(mem)
	} else {
		f.out = leb128.AppendUint(f.out, align)
	}
	f.out = leb128.AppendUint(f.out, offset)
	return nil
}

// memargLane parses `memory? memarg lane` for v128.loadN_lane/storeN_lane.
// A leading number is a memory index only if another number (the lane)
// or a memarg keyword follows it.
func (f *fctx) memargLane(c *cursor, natural uint8) error {
	var mem uint32
	p := c.peek()
	if p != nil && p.kind == tokID {
		i, err := f.b.index(&f.b.mems, c.next())
		if err != nil {
			return err
		}
		mem = i
	} else if p != nil && p.kind == tokAtom && isIndex(p) {
		if q := c.peekAt(1); q != nil && q.kind == tokAtom && (isIndex(q) || strings.HasPrefix(q.text, "offset=") || strings.HasPrefix(q.text, "align=")) {
			i, err := f.b.index(&f.b.mems, c.next())
			if err != nil {
				return err
			}
			mem = i
		}
	}
	if err := f.memargRest(c, natural, mem); err != nil {
		return err
	}
	x, err := f.needAtom(c, "lane index")
	if err != nil {
		return err
	}
	v, err := parseNat(x.text, 8)
	if err != nil {
		return f.b.errAt(x, "malformed lane index: %s", x.text)
	}
	f.out = append(f.out, byte(v))
	return nil
}

// v128Const parses `shape lane*` and returns the 16 bytes.
func (f *fctx) v128Const(n *node, c *cursor) ([16]byte, error) {
	var out [16]byte
	shape, err := f.needAtom(c, "v128 shape")
	if err != nil {
		return out, err
	}
	lanes, width, isFloat := shapeOf(shape.text)
	if lanes == 0 {
		return out, f.b.errAt(shape, "unknown v128 shape %s", shape.text)
	}
	for i := 0; i < lanes; i++ {
		x, err := f.needAtom(c, "lane value")
		if err != nil {
			return out, f.b.errCur(c, "wrong number of lane literals: %s needs %d", shape.text, lanes)
		}
		var v uint64
		if isFloat {
			v, err = parseFloat(x.text, width)
		} else {
			v, err = parseInt(x.text, uint(width))
		}
		if err != nil {
			return out, f.b.errAt(x, "%s: %s", errText(err), x.text)
		}
		for k := 0; k < width/8; k++ {
			out[i*width/8+k] = byte(v >> (8 * k))
		}
	}
	return out, nil
}

// shapeOf returns the lane count, lane width in bits and float-ness of a
// v128 shape name.
func shapeOf(s string) (lanes, width int, isFloat bool) {
	switch s {
	case "i8x16":
		return 16, 8, false
	case "i16x8":
		return 8, 16, false
	case "i32x4":
		return 4, 32, false
	case "i64x2":
		return 2, 64, false
	case "f32x4":
		return 4, 32, true
	case "f64x2":
		return 2, 64, true
	}
	return 0, 0, false
}

// nonInstrKeywords are keywords of the text format that are not
// instructions; finding one where an instruction should be is an
// "unexpected token" rather than an "unknown operator".
var nonInstrKeywords = map[string]bool{
	"type": true, "param": true, "result": true, "local": true, "then": true, "else": true, "end": true,
	"export": true, "import": true, "item": true, "offset": true, "func": true, "table": true, "memory": true,
	"global": true, "elem": true, "data": true, "module": true, "mut": true, "ref": true, "catch": true,
	"catch_ref": true, "catch_all": true, "catch_all_ref": true, "on": true, "tag": true, "start": true,
}
