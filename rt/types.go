package rt

// Canonical type ids and constant expressions.
//
// Types are identified iso-recursively, as Wasm 3.0 does: a rec group is
// keyed by its structure, where a reference to a type inside the group is
// its position in the group and a reference to an earlier type is that
// type's canonical id; a type's id is its group's key plus its position.
// The key of a type holds its kind, finality, supertypes, parameters,
// results and fields. Ids are process-wide small integers (from 1; 0 names no type),
// so call_indirect compares one word and import checks compare ids.
// Subtyping between concrete types follows the declared supertypes, which
// the registry records per id.

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"wfxc/internal/leb128"
	"wfxc/rt/abi"
)

var canon struct {
	sync.Mutex
	ids   map[string]uint32
	super map[uint32]uint32 // declared supertype (first), 0 = none
	kind  map[uint32]byte
}

// canonicalTypes returns the canonical id of every type of a module.
func canonicalTypes(types []abi.FuncType) []uint32 {
	canon.Lock()
	defer canon.Unlock()
	if canon.ids == nil {
		canon.ids = map[string]uint32{}
		canon.super = map[uint32]uint32{}
		canon.kind = map[uint32]byte{}
	}
	ids := make([]uint32, len(types))
	for start := 0; start < len(types); {
		size := int(types[start].RecSize)
		if size == 0 || int(types[start].RecStart) != start || start+size > len(types) {
			size = 1
		}
		ref := func(b *strings.Builder, x int64) {
			switch {
			case x >= int64(start) && x < int64(start+size):
				fmt.Fprintf(b, "r%d", x-int64(start))
			case x >= 0 && x < int64(start):
				fmt.Fprintf(b, "c%d", ids[x])
			default:
				fmt.Fprintf(b, "?%d", x)
			}
		}
		val := func(b *strings.Builder, v abi.ValType) {
			if c := v.Code(); (c == 0x63 || c == 0x64) && v.Heap() >= 0 {
				fmt.Fprintf(b, "%x:", c)
				ref(b, v.Heap())
			} else {
				b.WriteString(strconv.FormatUint(uint64(v), 16))
			}
			b.WriteByte(',')
		}
		var b strings.Builder
		fmt.Fprintf(&b, "g%d{", size)
		for j := start; j < start+size; j++ {
			t := types[j]
			fmt.Fprintf(&b, "k%d f%t s[", t.Kind, !t.NonFinal)
			for _, sup := range t.Supers {
				ref(&b, int64(sup))
				b.WriteByte(',')
			}
			b.WriteString("] p[")
			for _, p := range t.Params {
				val(&b, p)
			}
			b.WriteString("] r[")
			for _, r := range t.Results {
				val(&b, r)
			}
			b.WriteString("] x[")
			for _, f := range t.Fields {
				if f.Mutable {
					b.WriteByte('m')
				}
				val(&b, f.Type)
			}
			b.WriteString("];")
		}
		b.WriteByte('}')
		group := b.String()
		for j := 0; j < size; j++ {
			k := group + "#" + strconv.Itoa(j)
			id, ok := canon.ids[k]
			if !ok {
				id = uint32(len(canon.ids) + 1)
				canon.ids[k] = id
				canon.kind[id] = types[start+j].Kind
			}
			ids[start+j] = id
		}
		for j := start; j < start+size; j++ {
			if sups := types[j].Supers; len(sups) > 0 && int(sups[0]) < start+size {
				canon.super[ids[j]] = ids[sups[0]]
			}
		}
		start += size
	}
	return ids
}

// canonicalTypeID returns the canonical id of a single type with no
// references to other types (host function signatures).
func canonicalTypeID(t abi.FuncType) uint32 { return canonicalTypes([]abi.FuncType{t})[0] }

// subTypeID reports whether the type with canonical id a is a subtype of b
// (equal, or b on a's chain of declared supertypes).
func subTypeID(a, b uint32) bool {
	canon.Lock()
	defer canon.Unlock()
	for n := 0; a != 0 && n < 1000; n++ {
		if a == b {
			return true
		}
		a = canon.super[a]
	}
	return false
}

func kindOf(id uint32) byte {
	canon.Lock()
	defer canon.Unlock()
	return canon.kind[id]
}

// Abstract heap types (negative s33 codes), by hierarchy.
const (
	heapNoExn    = -0x0C
	heapNoCont   = -0x0B
	heapNoFunc   = -0x0D
	heapNoExtern = -0x0E
	heapNone     = -0x0F
	heapFunc     = -0x10
	heapExtern   = -0x11
	heapAny      = -0x12
	heapEq       = -0x13
	heapI31      = -0x14
	heapStruct   = -0x15
	heapArray    = -0x16
	heapExn      = -0x17
	heapCont     = -0x18
)

// abstractSub reports a <: b for abstract heap types.
func abstractSub(a, b int64) bool {
	if a == b {
		return true
	}
	switch a {
	case heapNone:
		return b == heapAny || b == heapEq || b == heapI31 || b == heapStruct || b == heapArray
	case heapI31, heapStruct, heapArray:
		return b == heapEq || b == heapAny
	case heapEq:
		return b == heapAny
	case heapNoFunc:
		return b == heapFunc
	case heapNoExtern:
		return b == heapExtern
	case heapNoExn:
		return b == heapExn
	case heapNoCont:
		return b == heapCont
	}
	return false
}

// heapSub reports a <: b for heap types; concrete ones (≥ 0) are type
// indices resolved through actx and bctx (canonical ids of their modules).
func heapSub(a int64, actx []uint32, b int64, bctx []uint32) bool {
	switch {
	case a >= 0 && b >= 0:
		if a >= int64(len(actx)) || b >= int64(len(bctx)) {
			return false
		}
		return subTypeID(actx[a], bctx[b])
	case a >= 0:
		if a >= int64(len(actx)) {
			return false
		}
		switch kindOf(actx[a]) {
		case 0:
			return b == heapFunc
		case 1:
			return b == heapStruct || b == heapEq || b == heapAny
		case 2:
			return b == heapArray || b == heapEq || b == heapAny
		case 3:
			return b == heapCont
		}
		return false
	case b >= 0:
		if b >= int64(len(bctx)) {
			return false
		}
		switch kindOf(bctx[b]) {
		case 0:
			return a == heapNoFunc
		case 1, 2:
			return a == heapNone
		case 3:
			return a == heapNoCont
		}
		return false
	}
	return abstractSub(a, b)
}

// valSub reports a <: b for value types of (possibly) different modules.
func valSub(a abi.ValType, actx []uint32, b abi.ValType, bctx []uint32) bool {
	ac, bc := a.Code(), b.Code()
	aRef, bRef := ac == 0x63 || ac == 0x64, bc == 0x63 || bc == 0x64
	if !aRef || !bRef {
		return a == b
	}
	if ac == 0x63 && bc == 0x64 { // nullable is not a subtype of non-null
		return false
	}
	return heapSub(a.Heap(), actx, b.Heap(), bctx)
}

// valEq reports type equality (subtyping both ways).
func valEq(a abi.ValType, actx []uint32, b abi.ValType, bctx []uint32) bool {
	return valSub(a, actx, b, bctx) && valSub(b, bctx, a, actx)
}

// typeID returns the canonical id of f's signature.
func (f *Func) typeID() uint32 {
	if f.inst != nil {
		return f.inst.mod.typeIDs[f.inst.mod.desc.Funcs[f.idx].Type]
	}
	if f.tid != 0 {
		return f.tid
	}
	return canonicalTypeID(f.typ)
}

// typeCtx returns the canonical ids of the types a global's concrete
// reference type refers to.
func (g *Global) typeCtx() []uint32 {
	if g.owner != nil {
		return g.owner.mod.typeIDs
	}
	return nil
}

// eval evaluates a constant expression: i32/i64/f32/f64/v128.const,
// global.get, ref.null, ref.func and the extended-const integer
// add/sub/mul. The result is the value's two 8-byte halves.
func (inst *Instance) eval(code []byte) ([2]uint64, error) {
	var stack [][2]uint64
	pop := func() [2]uint64 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		return v
	}
	r := &exprReader{b: code}
	for {
		if r.pos >= len(r.b) {
			return [2]uint64{}, fmt.Errorf("constant expression: missing end at byte %d", r.pos)
		}
		at := r.pos
		op := r.b[r.pos]
		r.pos++
		switch op {
		case 0x0B: // end
			if len(stack) != 1 {
				return [2]uint64{}, fmt.Errorf("constant expression: %d values at end, want 1", len(stack))
			}
			return stack[0], nil
		case 0x41: // i32.const
			v, err := r.sleb(32)
			if err != nil {
				return [2]uint64{}, err
			}
			stack = append(stack, [2]uint64{uint64(uint32(v))})
		case 0x42: // i64.const
			v, err := r.sleb(64)
			if err != nil {
				return [2]uint64{}, err
			}
			stack = append(stack, [2]uint64{uint64(v)})
		case 0x43: // f32.const
			b, err := r.bytes(4)
			if err != nil {
				return [2]uint64{}, err
			}
			stack = append(stack, [2]uint64{uint64(binary.LittleEndian.Uint32(b))})
		case 0x44: // f64.const
			b, err := r.bytes(8)
			if err != nil {
				return [2]uint64{}, err
			}
			stack = append(stack, [2]uint64{binary.LittleEndian.Uint64(b)})
		case 0x23: // global.get
			i, err := r.uleb()
			if err != nil {
				return [2]uint64{}, err
			}
			if i >= uint64(len(inst.globals)) {
				return [2]uint64{}, fmt.Errorf("constant expression: global %d out of range at byte %d", i, at)
			}
			p := inst.globalAddr(int(i))
			stack = append(stack, [2]uint64{load64(p), load64(p + 8)})
		case 0xD0: // ref.null heaptype
			if _, err := r.sleb(33); err != nil {
				return [2]uint64{}, err
			}
			stack = append(stack, [2]uint64{})
		case 0xD2: // ref.func
			i, err := r.uleb()
			if err != nil {
				return [2]uint64{}, err
			}
			if i >= uint64(len(inst.mod.desc.Funcs)) {
				return [2]uint64{}, fmt.Errorf("constant expression: function %d out of range at byte %d", i, at)
			}
			stack = append(stack, [2]uint64{inst.funcRef(int(i))})
		case 0x6A, 0x6B, 0x6C, 0x7C, 0x7D, 0x7E: // i32/i64 add, sub, mul
			if len(stack) < 2 {
				return [2]uint64{}, fmt.Errorf("constant expression: stack underflow at byte %d", at)
			}
			y, x := pop()[0], pop()[0]
			var v uint64
			switch op {
			case 0x6A, 0x7C:
				v = x + y
			case 0x6B, 0x7D:
				v = x - y
			default:
				v = x * y
			}
			if op < 0x70 {
				v = uint64(uint32(v))
			}
			stack = append(stack, [2]uint64{v})
		case 0xFD: // v128.const
			sub, err := r.uleb()
			if err != nil {
				return [2]uint64{}, err
			}
			if sub != 12 {
				return [2]uint64{}, fmt.Errorf("constant expression: opcode 0xfd %d not constant at byte %d", sub, at)
			}
			b, err := r.bytes(16)
			if err != nil {
				return [2]uint64{}, err
			}
			stack = append(stack, [2]uint64{binary.LittleEndian.Uint64(b), binary.LittleEndian.Uint64(b[8:])})
		default:
			return [2]uint64{}, fmt.Errorf("constant expression: opcode %#x not constant at byte %d", op, at)
		}
	}
}

// exprReader decodes the immediates of a constant expression.
type exprReader struct {
	b   []byte
	pos int
}

func (r *exprReader) bytes(n int) ([]byte, error) {
	if len(r.b)-r.pos < n {
		return nil, fmt.Errorf("constant expression: truncated at byte %d", r.pos)
	}
	b := r.b[r.pos : r.pos+n]
	r.pos += n
	return b, nil
}

// uleb reads a u32 (an index or a sub-opcode).
func (r *exprReader) uleb() (uint64, error) {
	v, n, err := leb128.Uint(r.b[r.pos:], 32)
	r.pos += n
	if err != nil {
		return 0, fmt.Errorf("constant expression: %v at byte %d", err, r.pos)
	}
	return v, nil
}

// sleb reads a signed integer of at most bits bits.
func (r *exprReader) sleb(bits uint) (int64, error) {
	v, n, err := leb128.Int(r.b[r.pos:], bits)
	r.pos += n
	if err != nil {
		return 0, fmt.Errorf("constant expression: %v at byte %d", err, r.pos)
	}
	return v, nil
}
