package refexec

// Store-wide canonical types. Wasm types are iso-recursive: a type is its
// rec group plus its position in it, groups being compared structurally with
// references into the own group compared by position and references to other
// groups by identity. canonTypes turns each module type into an *rtype that
// is shared by every module of the store declaring an equal type, so type
// equality across instances (call_indirect, imports) is pointer equality and
// subtyping follows the declared supertype chain.

import (
	"fmt"
	"strings"

	"wfxc/frontend"
)

// rtype is a canonical defined type.
type rtype struct {
	id      int
	kind    frontend.CompKind
	params  []vtype // func
	results []vtype // func
	cont    *rtype  // cont: its function type
	super   *rtype  // declared supertype, or nil
}

// vtype is a canonical value type: a numeric code, or a reference to an
// abstract heap type or a canonical defined type.
type vtype struct {
	code byte              // frontend.CodeI32 … CodeRef, CodeRefNull
	heap frontend.HeapType // abstract heap type when def is nil
	def  *rtype
}

func (t vtype) isRef() bool { return t.code == frontend.CodeRef || t.code == frontend.CodeRefNull }

// sub reports whether a is a subtype of b (declared chain).
func (a *rtype) sub(b *rtype) bool {
	for ; a != nil; a = a.super {
		if a == b {
			return true
		}
	}
	return false
}

// canonTypes returns the canonical type of every type index of m.
func (s *Store) canonTypes(m *frontend.Module) []*rtype {
	if ts, ok := s.modTypes[m]; ok {
		return ts
	}
	ts := make([]*rtype, len(m.Types))
	for start := 0; start < len(m.Types); {
		n := int(m.Types[start].RecSize)
		if n < 1 {
			n = 1
		}
		key := groupKey(m, ts, start, n)
		g, ok := s.groups[key]
		if !ok {
			g = make([]*rtype, n)
			for i := range g {
				s.nextID++
				g[i] = &rtype{id: s.nextID}
			}
			res := func(h frontend.HeapType) *rtype {
				if int(h) >= start && int(h) < start+n {
					return g[int(h)-start]
				}
				return ts[h]
			}
			for i := range g {
				st := &m.Types[start+i]
				c := &st.Comp
				r := g[i]
				r.kind = c.Kind
				r.params = canonVals(c.Params, res)
				r.results = canonVals(c.Results, res)
				if c.Kind == frontend.CompCont {
					r.cont = res(frontend.HeapType(c.Cont))
				}
				if len(st.Supers) > 0 {
					r.super = res(frontend.HeapType(st.Supers[0]))
				}
			}
			s.groups[key] = g
		}
		copy(ts[start:], g)
		start += n
	}
	s.modTypes[m] = ts
	return ts
}

func canonVals(vs []frontend.ValType, res func(frontend.HeapType) *rtype) []vtype {
	out := make([]vtype, len(vs))
	for i, v := range vs {
		out[i] = canonVal(v, res)
	}
	return out
}

func canonVal(v frontend.ValType, res func(frontend.HeapType) *rtype) vtype {
	if !v.IsRef() || v.Heap < 0 {
		return vtype{code: v.Code, heap: v.Heap}
	}
	return vtype{code: v.Code, def: res(v.Heap)}
}

// groupKey serialises rec group [start, start+n) of m; earlier types are
// named by their canonical id (ts holds them).
func groupKey(m *frontend.Module, ts []*rtype, start, n int) string {
	var b strings.Builder
	heap := func(h frontend.HeapType) {
		switch {
		case h < 0:
			fmt.Fprintf(&b, "a%d", -h)
		case int(h) >= start && int(h) < start+n:
			fmt.Fprintf(&b, "r%d", int(h)-start)
		default:
			fmt.Fprintf(&b, "g%d", ts[h].id)
		}
	}
	val := func(v frontend.ValType) {
		fmt.Fprintf(&b, "%x", v.Code)
		if v.IsRef() {
			heap(v.Heap)
		}
		b.WriteByte(',')
	}
	for i := 0; i < n; i++ {
		st := &m.Types[start+i]
		fmt.Fprintf(&b, "[%d %t", st.Comp.Kind, st.Final)
		for _, sup := range st.Supers {
			b.WriteByte('<')
			heap(frontend.HeapType(sup))
		}
		b.WriteString(" p")
		for _, v := range st.Comp.Params {
			val(v)
		}
		b.WriteString(" r")
		for _, v := range st.Comp.Results {
			val(v)
		}
		b.WriteString(" f")
		for _, f := range st.Comp.Fields {
			fmt.Fprintf(&b, "%t", f.Mutable)
			val(f.Type)
		}
		if st.Comp.Kind == frontend.CompCont {
			b.WriteString(" c")
			heap(frontend.HeapType(st.Comp.Cont))
		}
		b.WriteByte(']')
	}
	return b.String()
}

// hostType returns the canonical type of a host function or tag signature.
func (s *Store) hostType(kind frontend.CompKind, params, results []frontend.ValType) (*rtype, error) {
	m := &frontend.Module{Types: []frontend.SubType{{Final: true, RecSize: 1,
		Comp: frontend.CompType{Kind: kind, Params: params, Results: results}}}}
	for _, v := range append(append([]frontend.ValType(nil), params...), results...) {
		if _, err := hostVal(v); err != nil {
			return nil, err
		}
	}
	key := groupKey(m, nil, 0, 1)
	if g, ok := s.groups[key]; ok {
		return g[0], nil
	}
	s.nextID++
	r := &rtype{id: s.nextID, kind: kind}
	r.params = canonVals(params, nil)
	r.results = canonVals(results, nil)
	s.groups[key] = []*rtype{r}
	return r, nil
}

// hostVal converts a host-supplied value type, which cannot name a type
// index.
func hostVal(v frontend.ValType) (vtype, error) {
	if v.IsRef() && v.Heap >= 0 {
		return vtype{}, fmt.Errorf("host value type refers to type index %d", v.Heap)
	}
	return vtype{code: v.Code, heap: v.Heap}, nil
}

// top returns the top of the hierarchy of heap type (h, def).
func heapTop(h frontend.HeapType, def *rtype) frontend.HeapType {
	if def != nil {
		switch def.kind {
		case frontend.CompFunc:
			return frontend.HeapFunc
		case frontend.CompCont:
			return frontend.HeapCont
		}
		return frontend.HeapAny
	}
	switch h {
	case frontend.HeapFunc, frontend.HeapNoFunc:
		return frontend.HeapFunc
	case frontend.HeapExtern, frontend.HeapNoExtern:
		return frontend.HeapExtern
	case frontend.HeapExn, frontend.HeapNoExn:
		return frontend.HeapExn
	case frontend.HeapCont, frontend.HeapNoCont:
		return frontend.HeapCont
	}
	return frontend.HeapAny
}

// isBottom reports whether abstract heap type h is the bottom of its
// hierarchy.
func isBottom(h frontend.HeapType) bool {
	switch h {
	case frontend.HeapNone, frontend.HeapNoFunc, frontend.HeapNoExtern, frontend.HeapNoExn, frontend.HeapNoCont:
		return true
	}
	return false
}

// heapSub reports whether heap type a is a subtype of heap type b.
func heapSub(a, b vtype) bool {
	if a.def != nil && b.def != nil {
		return a.def.sub(b.def)
	}
	if a.def == nil && b.def == nil && a.heap == b.heap {
		return true
	}
	if heapTop(a.heap, a.def) != heapTop(b.heap, b.def) {
		return false
	}
	if a.def == nil && isBottom(a.heap) {
		return true
	}
	if b.def != nil {
		return false // a is abstract and not the bottom
	}
	if b.heap == heapTop(b.heap, nil) {
		return true // b is the top; a is in its hierarchy
	}
	if a.def != nil {
		k := a.def.kind
		return b.heap == frontend.HeapEq || k == frontend.CompStruct && b.heap == frontend.HeapStruct ||
			k == frontend.CompArray && b.heap == frontend.HeapArray
	}
	switch a.heap {
	case frontend.HeapI31, frontend.HeapStruct, frontend.HeapArray:
		return b.heap == frontend.HeapEq
	}
	return false
}

// valSub reports whether value type a is a subtype of b.
func valSub(a, b vtype) bool {
	if !a.isRef() || !b.isRef() {
		return a.code == b.code
	}
	if a.code == frontend.CodeRefNull && b.code == frontend.CodeRef {
		return false
	}
	return heapSub(a, b)
}

// valEq reports whether value types a and b are equal.
func valEq(a, b vtype) bool { return valSub(a, b) && valSub(b, a) }
