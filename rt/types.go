package rt

// Canonical type ids and constant expressions.
//
// Two function types are the same when their structure is: call_indirect
// and import checks compare canonical ids, which are process-wide small
// integers (ids start at 1; 0 never names a type). A type is keyed by its
// kind, parameters and results; a reference to a concrete type is keyed by
// that type's key in turn (recursion is cut at a fixed depth, which is
// exact for everything but deeply nested recursive types).

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"wfxc/rt/abi"
)

var canon struct {
	sync.Mutex
	ids map[string]uint32
}

const canonDepth = 4

func typeKey(b *strings.Builder, types []abi.FuncType, i int, depth int) {
	if i < 0 || i >= len(types) || depth > canonDepth {
		fmt.Fprintf(b, "?%d", i)
		return
	}
	t := types[i]
	fmt.Fprintf(b, "k%d(", t.Kind)
	for _, p := range t.Params {
		valKey(b, types, p, depth)
	}
	b.WriteString(")(")
	for _, r := range t.Results {
		valKey(b, types, r, depth)
	}
	b.WriteString(")")
}

func valKey(b *strings.Builder, types []abi.FuncType, v abi.ValType, depth int) {
	c := v.Code()
	if (c == 0x63 || c == 0x64) && v.Heap() >= 0 {
		fmt.Fprintf(b, "r%x[", c)
		typeKey(b, types, int(v.Heap()), depth+1)
		b.WriteString("]")
		return
	}
	b.WriteString(strconv.FormatUint(uint64(v), 16))
	b.WriteByte(',')
}

// canonicalTypeID returns the process-wide id of types[i].
func canonicalTypeID(types []abi.FuncType, i int) uint32 {
	var b strings.Builder
	typeKey(&b, types, i, 0)
	k := b.String()
	canon.Lock()
	defer canon.Unlock()
	if canon.ids == nil {
		canon.ids = map[string]uint32{}
	}
	id, ok := canon.ids[k]
	if !ok {
		id = uint32(len(canon.ids) + 1)
		canon.ids[k] = id
	}
	return id
}

// sameValType compares value types that may refer to types of different
// modules (actx, bctx).
func sameValType(a abi.ValType, actx []abi.FuncType, b abi.ValType, bctx []abi.FuncType) bool {
	var x, y strings.Builder
	valKey(&x, actx, a, 0)
	valKey(&y, bctx, b, 0)
	return x.String() == y.String()
}

// typeID returns the canonical id of f's signature.
func (f *Func) typeID() uint32 {
	if f.inst != nil {
		return f.inst.mod.typeIDs[f.inst.mod.desc.Funcs[f.idx].Type]
	}
	return canonicalTypeID([]abi.FuncType{f.typ}, 0)
}

// typeCtx returns the types a global's concrete reference type refers to.
func (g *Global) typeCtx() []abi.FuncType {
	if g.owner != nil {
		return g.owner.mod.desc.Types
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

func (r *exprReader) uleb() (uint64, error) {
	var v uint64
	for shift := uint(0); shift < 64; shift += 7 {
		if r.pos >= len(r.b) {
			return 0, fmt.Errorf("constant expression: truncated LEB128 at byte %d", r.pos)
		}
		c := r.b[r.pos]
		r.pos++
		v |= uint64(c&0x7F) << shift
		if c < 0x80 {
			return v, nil
		}
	}
	return 0, fmt.Errorf("constant expression: LEB128 too long at byte %d", r.pos)
}

func (r *exprReader) sleb(bits uint) (int64, error) {
	var v int64
	shift := uint(0)
	for {
		if r.pos >= len(r.b) {
			return 0, fmt.Errorf("constant expression: truncated LEB128 at byte %d", r.pos)
		}
		c := r.b[r.pos]
		r.pos++
		v |= int64(c&0x7F) << shift
		shift += 7
		if c < 0x80 {
			if shift < 64 && c&0x40 != 0 {
				v |= -1 << shift
			}
			return v, nil
		}
		if shift >= bits+7 {
			return 0, fmt.Errorf("constant expression: LEB128 too long at byte %d", r.pos)
		}
	}
}
