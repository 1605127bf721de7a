package refexec

// The interpreter loop. Invariants:
//
//   - A stack's frames, labels and values are explicit slices; a frame's
//     locals are vals[base:base+params+locals] and its labels are
//     labels[lbase:], labels[lbase] being the function's own label.
//   - A label's height is the value-stack height below the block's
//     parameters; a branch keeps the top `arity` values, cuts the stack to
//     height+arity, pops the label and everything inside it, and jumps to
//     the label's pc (a loop's pc is the loop instruction, which pushes the
//     label again).
//   - exec runs the top frame of one stack until the frame or the stack
//     changes (call, return, throw, resume, suspend...), having saved its
//     pc first; loop then picks up whatever is on top of m.cur.
//   - i32 and f32 values are zero-extended in Value.Bits; every operation
//     keeps them so.
//   - Traps, uncaught exceptions and unhandled suspensions panic with
//     *Trap, *Exception, *Suspension (or hostError), recovered by Call; the
//     store's frame count is restored there.

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"

	"wfxc/frontend"
)

type labelKind uint8

const (
	labelBlock labelKind = iota // block, if: branch to the end
	labelLoop                   // branch to the start
	labelTry                    // try_table: a block with catch clauses
	labelFunc                   // the function body: a branch returns
)

type label struct {
	pc      int // branch target
	height  int // value-stack height below the block's parameters
	arity   int // values a branch carries
	kind    labelKind
	catches int // try_table: index of its catch list
}

type frame struct {
	fn    *Func
	pc    int // next instruction, saved while the frame is not on top
	base  int // index of local 0 in vals
	lbase int // index of the function's label
}

// stack is the root stack of a call from the host or the stack of a
// continuation.
type stack struct {
	vals   []Value
	labels []label
	frames []frame
	// While running as a continuation: the stack of its resumer, and the
	// handler clauses of the resume (resolved in hinst).
	parent   *stack
	hinst    *Instance
	handlers []frontend.Handler
}

// machine is one call from the host.
type machine struct {
	s   *Store
	cur *stack // the running stack
}

// hostError is a host function's error that ends the call.
type hostError struct{ err error }

// Call invokes f with args. The error is a *Trap, an *Exception left
// uncaught, a *Suspension without a handler, or a host function's error.
func (s *Store) Call(f *Func, args ...Value) (res []Value, err error) {
	if len(args) != len(f.typ.params) {
		return nil, fmt.Errorf("call with %d arguments, want %d", len(args), len(f.typ.params))
	}
	in := make([]Value, len(args))
	for i, a := range args {
		if err := checkValue(f.typ.params[i], a); err != nil {
			return nil, fmt.Errorf("argument %d: %w", i, err)
		}
		in[i] = normalise(f.typ.params[i], a)
	}
	if f.host != nil {
		return callHostFunc(f, in)
	}
	if s.nesting >= maxNesting {
		return nil, &Trap{Msg: trapExhausted}
	}
	s.nesting++
	frames0 := s.frames
	defer func() {
		s.nesting--
		s.frames = frames0
		if r := recover(); r != nil {
			switch x := r.(type) {
			case *Trap:
				err = x
			case *Exception:
				err = x
			case *Suspension:
				err = x
			case hostError:
				err = x.err
			default:
				panic(r)
			}
			res = nil
		}
	}()
	root := &stack{vals: in}
	m := &machine{s: s, cur: root}
	m.call(root, f)
	m.loop()
	return slices.Clone(root.vals), nil
}

// normalise zero-extends 32-bit numbers.
func normalise(t vtype, v Value) Value {
	switch t.code {
	case frontend.CodeI32, frontend.CodeF32:
		v.Bits &= 0xffffffff
	}
	return v
}

// checkValue checks that a value from the host has type t: a number
// carries no reference, and a reference has the dynamic type of t's heap
// type (externref: any Go value that is not a wasm reference).
func checkValue(t vtype, v Value) error {
	if !t.isRef() {
		if v.Ref != nil {
			return fmt.Errorf("reference %T for a number", v.Ref)
		}
		return nil
	}
	if v.Ref == nil {
		if t.code == frontend.CodeRef {
			return errors.New("null for a non-nullable reference")
		}
		return nil
	}
	ok := false
	switch r := v.Ref.(type) {
	case *Func:
		ok = heapTop(t.heap, t.def) == frontend.HeapFunc && (t.def == nil && !isBottom(t.heap) || t.def != nil && r.typ.sub(t.def))
	case *Exception:
		ok = t.def == nil && t.heap == frontend.HeapExn
	case *ContRef:
		ok = heapTop(t.heap, t.def) == frontend.HeapCont && !isBottom(t.heap) // the type of a continuation is not kept
	default:
		ok = t.def == nil && t.heap == frontend.HeapExtern
	}
	if !ok {
		return fmt.Errorf("reference %T does not match the value type", v.Ref)
	}
	return nil
}

func callHostFunc(f *Func, args []Value) ([]Value, error) {
	res, err := f.host(args)
	if err != nil {
		return nil, err
	}
	if len(res) != len(f.typ.results) {
		return nil, &Trap{Msg: trapHostArity}
	}
	for i := range res {
		if err := checkValue(f.typ.results[i], res[i]); err != nil {
			return nil, fmt.Errorf("host function result %d: %w", i, err)
		}
		res[i] = normalise(f.typ.results[i], res[i])
	}
	return res, nil
}

// loop runs until the root stack has no frames.
func (m *machine) loop() {
	for {
		s := m.cur
		if len(s.frames) == 0 {
			if s.parent == nil {
				return
			}
			m.finish(s)
			continue
		}
		m.exec(s)
	}
}

func (s *stack) pop() Value {
	v := s.vals[len(s.vals)-1]
	s.vals = s.vals[:len(s.vals)-1]
	return v
}

func (s *stack) push(v Value) { s.vals = append(s.vals, v) }

// popN removes the top n values and returns a copy of them.
func (s *stack) popN(n int) []Value {
	top := len(s.vals)
	vs := slices.Clone(s.vals[top-n : top])
	s.vals = s.vals[:top-n]
	return vs
}

// br branches to label depth d of the top frame and returns the new pc, or
// -1 when the target is the function's label (the caller then returns).
func (s *stack) br(d uint32) int {
	li := len(s.labels) - 1 - int(d)
	l := &s.labels[li]
	if l.kind == labelFunc {
		return -1
	}
	top := len(s.vals)
	copy(s.vals[l.height:], s.vals[top-l.arity:top])
	s.vals = s.vals[:l.height+l.arity]
	pc := l.pc
	s.labels = s.labels[:li]
	return pc
}

// call calls fn with its arguments on top of s.
func (m *machine) call(s *stack, fn *Func) {
	if fn.host != nil {
		m.callHost(s, fn)
		return
	}
	c := fn.code
	m.s.burn()
	if m.s.frames >= m.s.cfg.MaxFrames || len(s.vals)+c.locals > m.s.cfg.MaxStackValues {
		trap(trapExhausted)
	}
	base := len(s.vals) - c.nparams
	n := len(s.vals)
	s.vals = slices.Grow(s.vals, c.locals)[:n+c.locals]
	clear(s.vals[n:])
	s.labels = append(s.labels, label{kind: labelFunc, height: base, arity: c.nresults})
	s.frames = append(s.frames, frame{fn: fn, base: base, lbase: len(s.labels) - 1})
	m.s.frames++
}

// burn uses one unit of fuel.
func (s *Store) burn() {
	if s.cfg.Fuel > 0 {
		if s.fuel <= 0 {
			trap(trapFuel)
		}
		s.fuel--
	}
}

// callHost calls a host function from wasm.
func (m *machine) callHost(s *stack, fn *Func) {
	args := s.popN(len(fn.typ.params))
	res, err := callHostFunc(fn, args)
	if err != nil {
		var exn *Exception
		if errors.As(err, &exn) {
			m.throw(exn)
			return
		}
		panic(hostError{err})
	}
	s.vals = append(s.vals, res...)
}

// ret returns from the top frame of s.
func (m *machine) ret(s *stack) {
	f := &s.frames[len(s.frames)-1]
	n := f.fn.code.nresults
	top := len(s.vals)
	copy(s.vals[f.base:], s.vals[top-n:top])
	s.vals = s.vals[:f.base+n]
	s.labels = s.labels[:f.lbase]
	s.frames = s.frames[:len(s.frames)-1]
	m.s.frames--
}

// tailCall replaces the top frame of s by a call of fn.
func (m *machine) tailCall(s *stack, fn *Func) {
	f := &s.frames[len(s.frames)-1]
	n := len(fn.typ.params)
	top := len(s.vals)
	copy(s.vals[f.base:], s.vals[top-n:top])
	s.vals = s.vals[:f.base+n]
	s.labels = s.labels[:f.lbase]
	s.frames = s.frames[:len(s.frames)-1]
	m.s.frames--
	m.call(s, fn)
}

// indirect pops a table index and returns the function call_indirect
// calls.
func (s *stack) indirect(in *Instance, ins *instr) *Func {
	t := in.tables[ins.b]
	i := s.pop().Bits
	if i >= uint64(len(t.elems)) {
		trap(trapUndefined)
	}
	r := t.elems[i].Ref
	if r == nil {
		trap(trapUninit)
	}
	fn := r.(*Func)
	if !fn.typ.sub(in.types[ins.a]) {
		trap(trapIndirectType)
	}
	return fn
}

// popFunc pops a function reference (call_ref).
func (s *stack) popFunc() *Func {
	r := s.pop().Ref
	if r == nil {
		trap(trapNullFunc)
	}
	return r.(*Func)
}

// ea returns the effective address of an access of size bytes.
func (m *Memory) ea(addr, off, size uint64) uint64 {
	ea := addr + off
	if ea < addr || ea > uint64(len(m.data)) || uint64(len(m.data))-ea < size {
		trap(trapMemory)
	}
	return ea
}

// Loads and stores: access size and conversion per opcode.
var loads = map[uint16]struct {
	size uint64
	conv func(b []byte) uint64
}{
	frontend.OpI32Load:    {4, func(b []byte) uint64 { return u32(binary.LittleEndian.Uint32(b)) }},
	frontend.OpI64Load:    {8, binary.LittleEndian.Uint64},
	frontend.OpF32Load:    {4, func(b []byte) uint64 { return u32(binary.LittleEndian.Uint32(b)) }},
	frontend.OpF64Load:    {8, binary.LittleEndian.Uint64},
	frontend.OpI32Load8S:  {1, func(b []byte) uint64 { return u32(uint32(int32(int8(b[0])))) }},
	frontend.OpI32Load8U:  {1, func(b []byte) uint64 { return uint64(b[0]) }},
	frontend.OpI32Load16S: {2, func(b []byte) uint64 { return u32(uint32(int32(int16(binary.LittleEndian.Uint16(b))))) }},
	frontend.OpI32Load16U: {2, func(b []byte) uint64 { return uint64(binary.LittleEndian.Uint16(b)) }},
	frontend.OpI64Load8S:  {1, func(b []byte) uint64 { return uint64(int64(int8(b[0]))) }},
	frontend.OpI64Load8U:  {1, func(b []byte) uint64 { return uint64(b[0]) }},
	frontend.OpI64Load16S: {2, func(b []byte) uint64 { return uint64(int64(int16(binary.LittleEndian.Uint16(b)))) }},
	frontend.OpI64Load16U: {2, func(b []byte) uint64 { return uint64(binary.LittleEndian.Uint16(b)) }},
	frontend.OpI64Load32S: {4, func(b []byte) uint64 { return uint64(int64(int32(binary.LittleEndian.Uint32(b)))) }},
	frontend.OpI64Load32U: {4, func(b []byte) uint64 { return u32(binary.LittleEndian.Uint32(b)) }},
}

var stores = map[uint16]uint64{ // access size
	frontend.OpI32Store: 4, frontend.OpI64Store: 8, frontend.OpF32Store: 4, frontend.OpF64Store: 8,
	frontend.OpI32Store8: 1, frontend.OpI32Store16: 2,
	frontend.OpI64Store8: 1, frontend.OpI64Store16: 2, frontend.OpI64Store32: 4,
}

// Dense tables built from the maps above, indexed by opcode.
const numOps = opFuncEnd + 1

var (
	unopTab  [numOps]func(uint64) uint64
	binopTab [numOps]func(uint64, uint64) uint64
	loadSize [numOps]uint64
	loadConv [numOps]func([]byte) uint64
)

func init() {
	for op, f := range unops {
		unopTab[op] = f
	}
	for op, f := range binops {
		binopTab[op] = f
	}
	for op, l := range loads {
		loadSize[op], loadConv[op] = l.size, l.conv
	}
}

func store(b []byte, v uint64) {
	for i := range b {
		b[i] = byte(v >> (8 * i))
	}
}

// allOnes is -1 of an i32 or i64 (table64/memory64) result.
func allOnes(is64 bool) uint64 {
	if is64 {
		return ^uint64(0)
	}
	return 0xffffffff
}

// exec runs the top frame of s until the frame or the running stack
// changes.
func (m *machine) exec(s *stack) {
	f := &s.frames[len(s.frames)-1]
	fn := f.fn
	in := fn.inst
	code := fn.code.code
	pc := f.pc
	for {
		ins := &code[pc]
		pc++
		switch op := ins.op; op {
		case frontend.OpUnreachable:
			trap(trapUnreachable)
		case frontend.OpNop:
		case frontend.OpBlock:
			s.labels = append(s.labels, label{pc: int(uint32(ins.c)) + 1, height: len(s.vals) - int(ins.a), arity: int(ins.b)})
		case frontend.OpLoop:
			m.s.burn()
			s.labels = append(s.labels, label{pc: pc - 1, height: len(s.vals) - int(ins.a), arity: int(ins.a), kind: labelLoop})
		case frontend.OpIf:
			c := uint32(s.pop().Bits)
			s.labels = append(s.labels, label{pc: int(uint32(ins.c)) + 1, height: len(s.vals) - int(ins.a), arity: int(ins.b)})
			if c == 0 {
				if e := ins.c >> 32; e != 0 {
					pc = int(e) + 1
				} else {
					pc = int(uint32(ins.c)) // the end pops the label
				}
			}
		case frontend.OpElse:
			s.labels = s.labels[:len(s.labels)-1]
			pc = int(ins.c) + 1
		case frontend.OpEnd:
			s.labels = s.labels[:len(s.labels)-1]
		case frontend.OpTryTable:
			s.labels = append(s.labels, label{pc: int(uint32(ins.c)) + 1, height: len(s.vals) - int(ins.a), arity: int(ins.b),
				kind: labelTry, catches: int(ins.c >> 32)})
		case frontend.OpBr:
			if pc = s.br(ins.a); pc < 0 {
				m.ret(s)
				return
			}
		case frontend.OpBrIf:
			if uint32(s.pop().Bits) != 0 {
				if pc = s.br(ins.a); pc < 0 {
					m.ret(s)
					return
				}
			}
		case frontend.OpBrTable:
			i := uint32(s.pop().Bits)
			ls := fn.code.brTables[ins.a]
			d := ls[len(ls)-1]
			if uint64(i) < uint64(len(ls)-1) {
				d = ls[i]
			}
			if pc = s.br(d); pc < 0 {
				m.ret(s)
				return
			}
		case frontend.OpBrOnNull:
			if s.vals[len(s.vals)-1].Ref == nil {
				s.pop()
				if pc = s.br(ins.a); pc < 0 {
					m.ret(s)
					return
				}
			}
		case frontend.OpBrOnNonNull:
			if s.vals[len(s.vals)-1].Ref != nil {
				if pc = s.br(ins.a); pc < 0 {
					m.ret(s)
					return
				}
			} else {
				s.pop()
			}
		case frontend.OpReturn, opFuncEnd:
			m.ret(s)
			return
		case frontend.OpCall:
			f.pc = pc
			m.call(s, in.funcs[ins.a])
			return
		case frontend.OpCallIndirect:
			f.pc = pc
			m.call(s, s.indirect(in, ins))
			return
		case frontend.OpCallRef:
			f.pc = pc
			m.call(s, s.popFunc())
			return
		case frontend.OpReturnCall:
			m.tailCall(s, in.funcs[ins.a])
			return
		case frontend.OpReturnCallInd:
			m.tailCall(s, s.indirect(in, ins))
			return
		case frontend.OpReturnCallRef:
			m.tailCall(s, s.popFunc())
			return
		case frontend.OpDrop:
			s.vals = s.vals[:len(s.vals)-1]
		case frontend.OpSelect:
			n := len(s.vals)
			if uint32(s.vals[n-1].Bits) == 0 {
				s.vals[n-3] = s.vals[n-2]
			}
			s.vals = s.vals[:n-2]
		case frontend.OpLocalGet:
			s.vals = append(s.vals, s.vals[f.base+int(ins.a)])
		case frontend.OpLocalSet:
			s.vals[f.base+int(ins.a)] = s.pop()
		case frontend.OpLocalTee:
			s.vals[f.base+int(ins.a)] = s.vals[len(s.vals)-1]
		case frontend.OpGlobalGet:
			s.push(in.globals[ins.a].val)
		case frontend.OpGlobalSet:
			in.globals[ins.a].val = s.pop()
		case frontend.OpTableGet:
			t := in.tables[ins.a]
			i := s.pop().Bits
			if i >= uint64(len(t.elems)) {
				trap(trapTable)
			}
			s.push(t.elems[i])
		case frontend.OpTableSet:
			t := in.tables[ins.a]
			v := s.pop()
			i := s.pop().Bits
			if i >= uint64(len(t.elems)) {
				trap(trapTable)
			}
			t.elems[i] = v
		case frontend.OpI32Const, frontend.OpI64Const, frontend.OpF32Const, frontend.OpF64Const:
			s.push(Value{Bits: ins.c})
		case frontend.OpMemorySize:
			s.push(Value{Bits: in.mems[ins.a].Pages()})
		case frontend.OpMemoryGrow:
			mem := in.mems[ins.a]
			old, ok := mem.grow(s.pop().Bits)
			if !ok {
				old = allOnes(mem.is64)
			}
			s.push(Value{Bits: old})
		case frontend.OpRefNull:
			s.push(Value{})
		case frontend.OpRefIsNull:
			s.vals[len(s.vals)-1] = Value{Bits: b2i(s.vals[len(s.vals)-1].Ref == nil)}
		case frontend.OpRefFunc:
			s.push(Value{Ref: in.funcs[ins.a]})
		case frontend.OpRefEq:
			b := s.pop()
			s.vals[len(s.vals)-1] = Value{Bits: b2i(s.vals[len(s.vals)-1].Ref == b.Ref)}
		case frontend.OpRefAsNonNull:
			if s.vals[len(s.vals)-1].Ref == nil {
				trap(trapNullRef)
			}
		case frontend.OpI32Store, frontend.OpI64Store, frontend.OpF32Store, frontend.OpF64Store,
			frontend.OpI32Store8, frontend.OpI32Store16, frontend.OpI64Store8, frontend.OpI64Store16, frontend.OpI64Store32:
			mem := in.mems[ins.a]
			v := s.pop().Bits
			size := stores[op]
			ea := mem.ea(s.pop().Bits, ins.c, size)
			store(mem.data[ea:ea+size], v)
		default:
			if g := binopTab[op]; g != nil {
				n := len(s.vals) - 1
				s.vals[n-1] = Value{Bits: g(s.vals[n-1].Bits, s.vals[n].Bits)}
				s.vals = s.vals[:n]
			} else if g := unopTab[op]; g != nil {
				i := len(s.vals) - 1
				s.vals[i] = Value{Bits: g(s.vals[i].Bits)}
			} else if size := loadSize[op]; size != 0 {
				mem := in.mems[ins.a]
				i := len(s.vals) - 1
				ea := mem.ea(s.vals[i].Bits, ins.c, size)
				s.vals[i] = Value{Bits: loadConv[op](mem.data[ea : ea+size])}
			} else if op >= opMisc && op < opFuncEnd {
				m.misc(s, in, ins)
			} else {
				f.pc = pc
				m.control(s, ins)
				return
			}
		}
	}
}

// control runs the instructions that may change the running frame or
// stack and are not on the hot path: exceptions and continuations. The
// frame's pc is saved.
func (m *machine) control(s *stack, ins *instr) {
	in := s.frames[len(s.frames)-1].fn.inst
	switch ins.op {
	case frontend.OpThrow:
		m.throw(&Exception{Tag: in.tags[ins.a], Payload: s.popN(int(ins.b))})
	case frontend.OpThrowRef:
		r := s.pop().Ref
		if r == nil {
			trap(trapNullExn)
		}
		m.throw(r.(*Exception))
	default:
		m.contInstr(s, in, ins)
	}
}

// misc runs the 0xFC bulk memory and table instructions.
func (m *machine) misc(s *stack, in *Instance, ins *instr) {
	switch ins.op - opMisc {
	case frontend.MiscMemoryInit:
		n, src, dst := s.pop().Bits, s.pop().Bits, s.pop().Bits
		memoryInit(in.mems[ins.b], in.datas[ins.a], dst, src, n)
	case frontend.MiscDataDrop:
		in.datas[ins.a] = nil
	case frontend.MiscMemoryCopy:
		n, src, dst := s.pop().Bits, s.pop().Bits, s.pop().Bits
		dm, sm := in.mems[ins.a], in.mems[ins.b]
		if src > uint64(len(sm.data)) || n > uint64(len(sm.data))-src || dst > uint64(len(dm.data)) || n > uint64(len(dm.data))-dst {
			trap(trapMemory)
		}
		copy(dm.data[dst:dst+n], sm.data[src:src+n])
	case frontend.MiscMemoryFill:
		n, v, dst := s.pop().Bits, s.pop().Bits, s.pop().Bits
		mem := in.mems[ins.a]
		if dst > uint64(len(mem.data)) || n > uint64(len(mem.data))-dst {
			trap(trapMemory)
		}
		b := mem.data[dst : dst+n]
		for i := range b {
			b[i] = byte(v)
		}
	case frontend.MiscTableInit:
		n, src, dst := s.pop().Bits, s.pop().Bits, s.pop().Bits
		tableInit(in.tables[ins.b], in.elems[ins.a], dst, src, n)
	case frontend.MiscElemDrop:
		in.elems[ins.a] = nil
	case frontend.MiscTableCopy:
		n, src, dst := s.pop().Bits, s.pop().Bits, s.pop().Bits
		dt, st := in.tables[ins.a], in.tables[ins.b]
		if src > uint64(len(st.elems)) || n > uint64(len(st.elems))-src || dst > uint64(len(dt.elems)) || n > uint64(len(dt.elems))-dst {
			trap(trapTable)
		}
		copy(dt.elems[dst:dst+n], st.elems[src:src+n])
	case frontend.MiscTableGrow:
		t := in.tables[ins.a]
		n := s.pop().Bits
		v := s.pop()
		old, ok := t.grow(n, v)
		if !ok {
			old = allOnes(t.is64)
		}
		s.push(Value{Bits: old})
	case frontend.MiscTableSize:
		s.push(Value{Bits: uint64(len(in.tables[ins.a].elems))})
	case frontend.MiscTableFill:
		t := in.tables[ins.a]
		n, v, i := s.pop().Bits, s.pop(), s.pop().Bits
		if i > uint64(len(t.elems)) || n > uint64(len(t.elems))-i {
			trap(trapTable)
		}
		for k := range t.elems[i : i+n] {
			t.elems[i+uint64(k)] = v
		}
	default:
		panic(fmt.Sprintf("refexec: 0xFC %d not implemented", ins.op-opMisc))
	}
}

// finish hands the results of a returned continuation stack to its
// resumer.
func (m *machine) finish(s *stack) {
	p := s.parent
	s.parent, s.hinst, s.handlers = nil, nil, nil
	p.vals = append(p.vals, s.vals...)
	m.cur = p
}

// throw raises exn at the current point of m.cur. The innermost try_table
// of the running frames with a matching catch clause gets it; a stack
// without one passes it to its resumer; the root stack panics with it
// (uncaught).
func (m *machine) throw(exn *Exception) {
	for s := m.cur; ; s = m.cur {
		for len(s.frames) > 0 {
			f := &s.frames[len(s.frames)-1]
			for li := len(s.labels) - 1; li > f.lbase; li-- {
				l := s.labels[li]
				if l.kind == labelTry && m.catch(s, f, li, l, exn) {
					return
				}
			}
			s.vals = s.vals[:f.base]
			s.labels = s.labels[:f.lbase]
			s.frames = s.frames[:len(s.frames)-1]
			m.s.frames--
		}
		if s.parent == nil {
			panic(exn)
		}
		m.cur = s.parent
		s.parent, s.hinst, s.handlers = nil, nil, nil
	}
}

// catch tries the catch clauses of try_table label li of frame f; on a
// match it branches to the clause's label with the payload (and the
// exnref) and reports true.
func (m *machine) catch(s *stack, f *frame, li int, l label, exn *Exception) bool {
	for _, c := range f.fn.code.catches[l.catches] {
		tagged := c.Kind == frontend.CatchTag || c.Kind == frontend.CatchTagRef
		if tagged && f.fn.inst.tags[c.Tag] != exn.Tag {
			continue
		}
		s.labels = s.labels[:li]
		s.vals = s.vals[:l.height]
		if tagged {
			s.vals = append(s.vals, exn.Payload...)
		}
		if c.Kind == frontend.CatchTagRef || c.Kind == frontend.CatchAllRef {
			s.push(Value{Ref: exn})
		}
		if pc := s.br(c.Label); pc >= 0 {
			f.pc = pc
		} else {
			m.ret(s)
		}
		return true
	}
	return false
}
