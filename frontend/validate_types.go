package frontend

import (
	"encoding/binary"
	"fmt"
)

// Type validation and subtyping (Wasm 3.0 GC type system plus continuation
// types).
//
// Types are iso-recursive: two type indices denote the same type when their
// rec groups are structurally identical, with references into the own group
// compared by position and references to earlier groups compared by (already
// canonical) identity. validateTypes walks the groups in order, serialises
// each group into a key in which every heap-type reference is either
// "internal, position k" or "external, canonical id c", and maps the key to
// the first group with that key: canon[i] is then the index of the
// representative of type i, and type equality is canon[a] == canon[b].
//
// Declared subtyping (sub / sub final) is checked when the group is
// complete: the supertype must be earlier, not final, and structurally a
// supertype (func: contravariant params, covariant results; struct: prefix
// with field subtyping, mutable fields invariant; array: field subtyping;
// cont: the function types are subtypes). A concrete type a is a subtype of
// b when canon[a] == canon[b] or a's declared supertype chain reaches such a
// type.
//
// Abstract heap types form four hierarchies (plus cont):
//
//	any ⊇ eq ⊇ {i31, struct ⊇ $struct, array ⊇ $array} ⊇ none
//	func ⊇ $func ⊇ nofunc     extern ⊇ noextern
//	exn ⊇ noexn               cont ⊇ $cont ⊇ nocont
//
// HeapBot (internal) is below everything; it types the operand of an
// instruction in unreachable code.

// heapBot is the bottom heap type used for unreachable code.
const heapBot HeapType = -0x40

// bot is the unknown value type of unreachable code.
var bot = ValType{}

// maxSubDepth limits the length of declared supertype chains.
const maxSubDepth = 63

type typeInfo struct {
	canon []uint32
	depth []uint8 // length of the declared supertype chain
}

// typeKind returns the composite kind of concrete type h (h must be valid).
func (v *validator) typeKind(h HeapType) CompKind { return v.m.Types[h].Comp.Kind }

// top returns the top of the hierarchy heap type h belongs to.
func (v *validator) top(h HeapType) HeapType {
	if h >= 0 {
		switch v.typeKind(h) {
		case CompFunc:
			return HeapFunc
		case CompCont:
			return HeapCont
		default:
			return HeapAny
		}
	}
	switch h {
	case HeapFunc, HeapNoFunc:
		return HeapFunc
	case HeapExtern, HeapNoExtern:
		return HeapExtern
	case HeapExn, HeapNoExn:
		return HeapExn
	case HeapCont, HeapNoCont:
		return HeapCont
	case heapBot:
		return heapBot
	}
	return HeapAny
}

// bottom returns the bottom of the hierarchy heap type h belongs to.
func (v *validator) bottom(h HeapType) HeapType {
	switch v.top(h) {
	case HeapFunc:
		return HeapNoFunc
	case HeapExtern:
		return HeapNoExtern
	case HeapExn:
		return HeapNoExn
	case HeapCont:
		return HeapNoCont
	case heapBot:
		return heapBot
	}
	return HeapNone
}

// heapSub reports whether heap type a is a subtype of b.
func (v *validator) heapSub(a, b HeapType) bool {
	if a == b || a == heapBot {
		return true
	}
	if a >= 0 && b >= 0 {
		return v.concreteSub(uint32(a), uint32(b))
	}
	if a >= 0 {
		switch v.typeKind(a) {
		case CompFunc:
			return b == HeapFunc
		case CompStruct:
			return b == HeapStruct || b == HeapEq || b == HeapAny
		case CompArray:
			return b == HeapArray || b == HeapEq || b == HeapAny
		case CompCont:
			return b == HeapCont
		}
		return false
	}
	if b >= 0 {
		switch a {
		case HeapNone:
			k := v.typeKind(b)
			return k == CompStruct || k == CompArray
		case HeapNoFunc:
			return v.typeKind(b) == CompFunc
		case HeapNoCont:
			return v.typeKind(b) == CompCont
		}
		return false
	}
	switch a {
	case HeapNone:
		return b == HeapI31 || b == HeapStruct || b == HeapArray || b == HeapEq || b == HeapAny
	case HeapI31, HeapStruct, HeapArray:
		return b == HeapEq || b == HeapAny
	case HeapEq:
		return b == HeapAny
	case HeapNoFunc:
		return b == HeapFunc
	case HeapNoExtern:
		return b == HeapExtern
	case HeapNoExn:
		return b == HeapExn
	case HeapNoCont:
		return b == HeapCont
	}
	return false
}

// concreteSub reports whether type index a is a subtype of type index b.
func (v *validator) concreteSub(a, b uint32) bool {
	cb := v.ti.canon[b]
	for {
		if v.ti.canon[a] == cb {
			return true
		}
		st := &v.m.Types[a]
		if len(st.Supers) == 0 || v.ti.depth[a] <= v.ti.depth[b] {
			return false
		}
		a = st.Supers[0]
	}
}

// valSub reports whether value type a matches b.
func (v *validator) valSub(a, b ValType) bool {
	if a == b || a.Code == 0 {
		return true
	}
	if !a.IsRef() || !b.IsRef() {
		return false
	}
	if a.Code == CodeRefNull && b.Code == CodeRef {
		return false
	}
	return v.heapSub(a.Heap, b.Heap)
}

// valEq reports whether value types a and b are equal (canonically).
func (v *validator) valEq(a, b ValType) bool {
	if a.Code != b.Code {
		return false
	}
	if !a.IsRef() || a.Heap == b.Heap {
		return true
	}
	if a.Heap >= 0 && b.Heap >= 0 {
		return v.ti.canon[a.Heap] == v.ti.canon[b.Heap]
	}
	return false
}

// storageSub reports whether field storage type a matches b.
func (v *validator) storageSub(a, b ValType) bool {
	if a.Code == CodeI8 || a.Code == CodeI16 || b.Code == CodeI8 || b.Code == CodeI16 {
		return a.Code == b.Code
	}
	return v.valSub(a, b)
}

func (v *validator) fieldSub(a, b FieldType) bool {
	if a.Mutable != b.Mutable {
		return false
	}
	if a.Mutable {
		return v.storageSub(a.Type, b.Type) && v.storageSub(b.Type, a.Type)
	}
	return v.storageSub(a.Type, b.Type)
}

// valsSub reports whether the list a matches the list b element-wise.
func (v *validator) valsSub(a, b []ValType) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !v.valSub(a[i], b[i]) {
			return false
		}
	}
	return true
}

// funcSub reports whether function type [p1]->[r1] matches [p2]->[r2].
func (v *validator) funcSub(p1, r1, p2, r2 []ValType) bool {
	return v.valsSub(p2, p1) && v.valsSub(r1, r2)
}

// compSub reports whether composite type a matches b.
func (v *validator) compSub(a, b *CompType) bool {
	if a.Kind != b.Kind {
		return false
	}
	switch a.Kind {
	case CompFunc:
		return v.funcSub(a.Params, a.Results, b.Params, b.Results)
	case CompStruct:
		if len(a.Fields) < len(b.Fields) {
			return false
		}
		for i := range b.Fields {
			if !v.fieldSub(a.Fields[i], b.Fields[i]) {
				return false
			}
		}
		return true
	case CompArray:
		return v.fieldSub(a.Fields[0], b.Fields[0])
	case CompCont:
		return v.concreteSub(a.Cont, b.Cont)
	}
	return false
}

// checkValType checks that every type index in t is below limit.
func checkValType(t ValType, limit int, off int) error {
	if t.IsRef() && t.Heap >= 0 && int64(t.Heap) >= int64(limit) {
		return &Error{Offset: off, Msg: fmt.Sprintf("unknown type %d", t.Heap)}
	}
	return nil
}

// validateTypes validates the type section group by group and computes the
// canonical ids.
func (v *validator) validateTypes() error {
	types := v.m.Types
	v.ti.canon = make([]uint32, len(types))
	v.ti.depth = make([]uint8, len(types))
	groups := map[string]uint32{}
	var key []byte
	for s := 0; s < len(types); {
		n := int(types[s].RecSize)
		if n == 0 {
			n = 1 // hand-built modules may leave RecSize unset
		}
		e := s + n
		if e > len(types) {
			return &Error{Offset: types[s].Offset, Msg: "malformed rec group"}
		}
		// References must stay below the end of the group.
		for i := s; i < e; i++ {
			st := &types[i]
			c := &st.Comp
			off := st.Offset
			for _, t := range c.Params {
				if err := checkValType(t, e, off); err != nil {
					return err
				}
			}
			for _, t := range c.Results {
				if err := checkValType(t, e, off); err != nil {
					return err
				}
			}
			for _, f := range c.Fields {
				if err := checkValType(f.Type, e, off); err != nil {
					return err
				}
			}
			if c.Kind == CompCont {
				if int(c.Cont) >= e {
					return &Error{Offset: st.Offset, Msg: fmt.Sprintf("unknown type %d", c.Cont)}
				}
				if types[c.Cont].Comp.Kind != CompFunc {
					return &Error{Offset: off, Msg: fmt.Sprintf("non-function type %d", c.Cont)}
				}
			}
			if len(st.Supers) > 1 {
				return &Error{Offset: off, Msg: "multiple supertypes"}
			}
			for _, sup := range st.Supers {
				if int(sup) >= i {
					return &Error{Offset: off, Msg: fmt.Sprintf("unknown type %d", sup)}
				}
			}
		}
		// Canonicalise the group.
		key = key[:0]
		ref := func(h int64) {
			if h >= int64(s) && h < int64(e) {
				key = append(key, 'r')
				key = binary.AppendUvarint(key, uint64(h-int64(s)))
			} else {
				key = append(key, 'c')
				key = binary.AppendUvarint(key, uint64(v.ti.canon[h]))
			}
		}
		vt := func(t ValType) {
			key = append(key, t.Code)
			if t.IsRef() {
				if t.Heap >= 0 {
					ref(int64(t.Heap))
				} else {
					key = append(key, byte(-t.Heap))
				}
			}
		}
		for i := s; i < e; i++ {
			st := &types[i]
			if st.Final {
				key = append(key, 'F')
			}
			for _, sup := range st.Supers {
				key = append(key, 'S')
				ref(int64(sup))
			}
			c := &st.Comp
			key = append(key, 'K', byte(c.Kind))
			key = binary.AppendUvarint(key, uint64(len(c.Params)))
			for _, t := range c.Params {
				vt(t)
			}
			key = binary.AppendUvarint(key, uint64(len(c.Results)))
			for _, t := range c.Results {
				vt(t)
			}
			key = binary.AppendUvarint(key, uint64(len(c.Fields)))
			for _, f := range c.Fields {
				vt(f.Type)
				if f.Mutable {
					key = append(key, 'M')
				} else {
					key = append(key, 'I')
				}
			}
			if c.Kind == CompCont {
				ref(int64(c.Cont))
			}
			key = append(key, ';')
		}
		rep, ok := groups[string(key)]
		if !ok {
			rep = uint32(s)
			groups[string(key)] = rep
		}
		for i := s; i < e; i++ {
			v.ti.canon[i] = rep + uint32(i-s)
		}
		// Declared supertypes.
		for i := s; i < e; i++ {
			if st := &types[i]; len(st.Supers) > 0 {
				d := v.ti.depth[st.Supers[0]] + 1
				if d > maxSubDepth {
					return &Error{Offset: st.Offset, Msg: "subtype depth limit exceeded"}
				}
				v.ti.depth[i] = d
			}
		}
		for i := s; i < e; i++ {
			st := &types[i]
			if len(st.Supers) == 0 {
				continue
			}
			sup := st.Supers[0]
			if types[sup].Final || !v.compSub(&st.Comp, &types[sup].Comp) {
				return &Error{Offset: st.Offset, Msg: fmt.Sprintf("sub type %d does not match super type %d", i, sup)}
			}
		}
		s = e
	}
	return nil
}
