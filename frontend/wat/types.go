package wat

import (
	"wfxc/frontend"
)

// Value, heap, reference and composite types of the text format.

var heapKeywords = map[string]frontend.HeapType{
	"func":     frontend.HeapFunc,
	"extern":   frontend.HeapExtern,
	"any":      frontend.HeapAny,
	"eq":       frontend.HeapEq,
	"i31":      frontend.HeapI31,
	"struct":   frontend.HeapStruct,
	"array":    frontend.HeapArray,
	"none":     frontend.HeapNone,
	"nofunc":   frontend.HeapNoFunc,
	"noextern": frontend.HeapNoExtern,
	"exn":      frontend.HeapExn,
	"noexn":    frontend.HeapNoExn,
	"cont":     frontend.HeapCont,
	"nocont":   frontend.HeapNoCont,
}

// refShorthands are the abbreviations for nullable abstract references.
var refShorthands = map[string]frontend.HeapType{
	"funcref":       frontend.HeapFunc,
	"externref":     frontend.HeapExtern,
	"anyref":        frontend.HeapAny,
	"eqref":         frontend.HeapEq,
	"i31ref":        frontend.HeapI31,
	"structref":     frontend.HeapStruct,
	"arrayref":      frontend.HeapArray,
	"nullref":       frontend.HeapNone,
	"nullfuncref":   frontend.HeapNoFunc,
	"nullexternref": frontend.HeapNoExtern,
	"exnref":        frontend.HeapExn,
	"nullexnref":    frontend.HeapNoExn,
	"contref":       frontend.HeapCont,
	"nullcontref":   frontend.HeapNoCont,
}

var numTypes = map[string]byte{
	"i32":  frontend.CodeI32,
	"i64":  frontend.CodeI64,
	"f32":  frontend.CodeF32,
	"f64":  frontend.CodeF64,
	"v128": frontend.CodeV128,
}

// heapType parses a heap type: an abstract keyword or a type index.
func (b *builder) heapType(n *node) (frontend.HeapType, error) {
	if n == nil {
		return 0, b.errAt(nil, "expected heap type")
	}
	if n.kind == tokAtom {
		if h, ok := heapKeywords[n.text]; ok {
			return h, nil
		}
	}
	if n.kind == tokAtom || n.kind == tokID {
		i, err := b.index(&b.types, n)
		if err != nil {
			return 0, err
		}
		return frontend.HeapType(i), nil
	}
	return 0, b.errAt(n, "expected heap type, got %s", describe(n))
}

// isRefType reports whether n starts a reference type.
func isRefType(n *node) bool {
	if n == nil {
		return false
	}
	if n.kind == tokAtom {
		_, ok := refShorthands[n.text]
		return ok
	}
	return n.isList("ref")
}

// isValType reports whether n is a value type.
func isValType(n *node) bool {
	if n != nil && n.kind == tokAtom {
		if _, ok := numTypes[n.text]; ok {
			return true
		}
	}
	return isRefType(n)
}

// refType parses a reference type.
func (b *builder) refType(n *node) (frontend.ValType, error) {
	if n != nil && n.kind == tokAtom {
		if h, ok := refShorthands[n.text]; ok {
			return frontend.ValType{Code: frontend.CodeRefNull, Heap: h}, nil
		}
	}
	if n == nil || !n.isList("ref") {
		return frontend.ValType{}, b.errAt(n, "expected reference type, got %s", describe(n))
	}
	c := newCursor(n, 1)
	code := byte(frontend.CodeRef)
	if c.peekAtom("null") {
		c.next()
		code = frontend.CodeRefNull
	}
	h, err := b.heapType(c.next())
	if err != nil {
		return frontend.ValType{}, err
	}
	if !c.done() {
		return frontend.ValType{}, b.errAt(c.peek(), "unexpected token %s in reference type", describe(c.peek()))
	}
	return frontend.ValType{Code: code, Heap: h}, nil
}

// valType parses a value type.
func (b *builder) valType(n *node) (frontend.ValType, error) {
	if n != nil && n.kind == tokAtom {
		if c, ok := numTypes[n.text]; ok {
			return frontend.ValType{Code: c}, nil
		}
	}
	if isRefType(n) {
		return b.refType(n)
	}
	return frontend.ValType{}, b.errAt(n, "unexpected token: expected value type, got %s", describe(n))
}

// storageType parses a field's storage type (a value type, i8 or i16).
func (b *builder) storageType(n *node) (frontend.ValType, error) {
	if n != nil && n.isAtom("i8") {
		return frontend.ValType{Code: frontend.CodeI8}, nil
	}
	if n != nil && n.isAtom("i16") {
		return frontend.ValType{Code: frontend.CodeI16}, nil
	}
	return b.valType(n)
}

// fieldType parses `st` or `(mut st)`.
func (b *builder) fieldType(n *node) (frontend.FieldType, error) {
	if n != nil && n.isList("mut") {
		if len(n.kids) != 2 {
			return frontend.FieldType{}, b.errAt(n, "malformed mutable field type")
		}
		t, err := b.storageType(n.kids[1])
		return frontend.FieldType{Type: t, Mutable: true}, err
	}
	t, err := b.storageType(n)
	return frontend.FieldType{Type: t}, err
}

// globalType parses `vt` or `(mut vt)`.
func (b *builder) globalType(n *node) (frontend.GlobalType, error) {
	if n != nil && n.isList("mut") {
		if len(n.kids) != 2 {
			return frontend.GlobalType{}, b.errAt(n, "malformed mutable global type")
		}
		t, err := b.valType(n.kids[1])
		return frontend.GlobalType{Type: t, Mutable: true}, err
	}
	t, err := b.valType(n)
	return frontend.GlobalType{Type: t}, err
}

// paramsResults parses (param …)* (result …)* from c. Parameter names are
// returned in names (empty for anonymous parameters) when allowNames.
func (b *builder) paramsResults(c *cursor, allowNames bool) (params, results []frontend.ValType, names []string, err error) {
	for c.peekList("param") {
		n := c.next()
		pc := newCursor(n, 1)
		if pc.peekID() {
			id := pc.next()
			if !allowNames {
				return nil, nil, nil, b.errAt(id, "unexpected token: identifier in parameter")
			}
			t, err := b.valType(pc.next())
			if err != nil {
				return nil, nil, nil, err
			}
			if !pc.done() {
				return nil, nil, nil, b.errAt(pc.peek(), "unexpected token %s after named parameter", describe(pc.peek()))
			}
			params = append(params, t)
			names = append(names, id.text)
			continue
		}
		for !pc.done() {
			t, err := b.valType(pc.next())
			if err != nil {
				return nil, nil, nil, err
			}
			params = append(params, t)
			names = append(names, "")
		}
	}
	for c.peekList("result") {
		n := c.next()
		rc := newCursor(n, 1)
		for !rc.done() {
			t, err := b.valType(rc.next())
			if err != nil {
				return nil, nil, nil, err
			}
			results = append(results, t)
		}
	}
	if c.peekList("param") {
		return nil, nil, nil, b.errAt(c.peek(), "unexpected token (param …) after (result …)")
	}
	return params, results, names, nil
}

// compType parses a composite type (func, struct, array, cont) for type
// index self.
func (b *builder) compType(n *node, self uint32) (frontend.CompType, error) {
	var ct frontend.CompType
	c := newCursor(n, 1)
	switch n.head() {
	case "func":
		ct.Kind = frontend.CompFunc
		p, r, _, err := b.paramsResults(c, true)
		if err != nil {
			return ct, err
		}
		ct.Params, ct.Results = p, r
	case "struct":
		ct.Kind = frontend.CompStruct
		names := map[string]uint32{}
		for c.peekList("field") {
			f := c.next()
			fc := newCursor(f, 1)
			if fc.peekID() {
				id := fc.next()
				if _, dup := names[id.text]; dup {
					return ct, b.errAt(id, "duplicate field $%s", id.text)
				}
				names[id.text] = uint32(len(ct.Fields))
				ft, err := b.fieldType(fc.next())
				if err != nil {
					return ct, err
				}
				if !fc.done() {
					return ct, b.errAt(fc.peek(), "unexpected token %s after named field", describe(fc.peek()))
				}
				ct.Fields = append(ct.Fields, ft)
				continue
			}
			for !fc.done() {
				ft, err := b.fieldType(fc.next())
				if err != nil {
					return ct, err
				}
				ct.Fields = append(ct.Fields, ft)
			}
		}
		if len(names) > 0 {
			b.fieldNames[self] = names
		}
		if ct.Fields == nil {
			ct.Fields = []frontend.FieldType{}
		}
	case "array":
		ct.Kind = frontend.CompArray
		ft, err := b.fieldType(c.next())
		if err != nil {
			return ct, err
		}
		ct.Fields = []frontend.FieldType{ft}
	case "cont":
		ct.Kind = frontend.CompCont
		i, err := b.index(&b.types, c.next())
		if err != nil {
			return ct, err
		}
		ct.Cont = i
	default:
		return ct, b.errAt(n, "expected composite type, got %s", describe(n))
	}
	if !c.done() {
		return ct, b.errAt(c.peek(), "unexpected token %s in %s type", describe(c.peek()), n.head())
	}
	return ct, nil
}

// typeDef parses the body of (type $id? X) into the SubType for index self.
func (b *builder) typeDef(n *node, self uint32) (frontend.SubType, error) {
	c := newCursor(n, 1)
	c.optID()
	d := c.next()
	if d == nil || !c.done() {
		return frontend.SubType{}, b.errAt(n, "malformed type definition")
	}
	st := frontend.SubType{Final: true}
	if d.isList("sub") {
		sc := newCursor(d, 1)
		st.Final = false
		if sc.peekAtom("final") {
			sc.next()
			st.Final = true
		}
		for !sc.done() && (sc.peek().kind == tokID || sc.peek().kind == tokAtom) {
			i, err := b.index(&b.types, sc.next())
			if err != nil {
				return st, err
			}
			st.Supers = append(st.Supers, i)
		}
		d = sc.next()
		if d == nil || !sc.done() {
			return st, b.errAt(n, "malformed sub type")
		}
	}
	ct, err := b.compType(d, self)
	st.Comp = ct
	return st, err
}
