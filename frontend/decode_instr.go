package frontend

// Instruction decoding: InstrReader walks a function body (or a constant
// expression) one instruction at a time and decodes every immediate of
// every opcode of Wasm 3.0 plus the stack-switching proposal, including the
// 0xFB (GC), 0xFC (misc) and 0xFD (SIMD) prefixes. It checks the binary
// format only (opcode known, immediates well-formed); typing is done by the
// validator, which drives the same reader. Translators use it to walk
// validated bodies:
//
//	ir := NewInstrReader(code.Body, code.BodyOffset)
//	for !ir.EOF() {
//		in, err := ir.Next()
//		...switch in.Op { case OpPrefixSIMD: switch in.Sub {...} }
//	}
//
// The returned *Instr and its slices are reused by the next call.

// MemArg is the memory immediate of a load/store.
type MemArg struct {
	Align  uint32 // log2 of the alignment
	Mem    uint32 // memory index (0 unless flag 0x40 was set)
	Offset uint64
}

// Catch is one clause of try_table.
type Catch struct {
	Kind  byte   // CatchTag, CatchTagRef, CatchAll, CatchAllRef
	Tag   uint32 // for CatchTag, CatchTagRef
	Label uint32 // relative label depth
}

// Catch clause kinds.
const (
	CatchTag    = 0x00
	CatchTagRef = 0x01
	CatchAll    = 0x02
	CatchAllRef = 0x03
)

// Handler is one handler clause of resume / resume_throw / resume_throw_ref.
type Handler struct {
	Switch bool   // (on $tag switch); otherwise (on $tag $label)
	Tag    uint32 // tag index
	Label  uint32 // relative label depth (suspend clauses only)
}

// Instr is one decoded instruction. Which immediate fields are meaningful
// depends on the opcode:
//
//   - Block: block, loop, if, try_table.
//   - Idx[0], Idx[1]: index immediates in binary order: br/br_if/br_on_*
//     label; call/return_call/ref.func function; call_indirect (type, table);
//     call_ref/return_call_ref type; local.*, global.*, table.get/set,
//     throw/suspend tag; memory.size/grow memory; cont.new type; cont.bind
//     (type, type); resume type; resume_throw (type, tag); resume_throw_ref
//     type; switch (type, tag). 0xFB: struct.* (type, field), array.*
//     (type, second type or data/elem or array.new_fixed length),
//     br_on_cast* label in Idx[0]. 0xFC: memory.init (data, memory),
//     data.drop data, memory.copy (dst, src), memory.fill memory,
//     table.init (elem, table), elem.drop elem, table.copy (dst, src),
//     table.grow/size/fill table. 0xFD: none (see Mem, Lane, V128).
//   - Labels: br_table targets; the last entry is the default.
//   - Mem: loads, stores, SIMD memory instructions.
//   - Const: i32.const (sign-extended), i64.const, f32.const/f64.const bits.
//   - V128: v128.const bytes; i8x16.shuffle lane indices.
//   - Lane: SIMD extract/replace/load_lane/store_lane lane index.
//   - Types: typed select (exactly what was encoded).
//   - Heap: ref.null; ref.test/ref.cast (with Nullable); br_on_cast*
//     target (RefFrom, RefTo).
//   - Catches, Handlers: try_table / resume* clauses.
type Instr struct {
	Op       byte   // opcode, or the prefix byte 0xFB/0xFC/0xFD
	Sub      uint32 // sub-opcode of a prefixed instruction
	Offset   int    // module offset of the opcode byte
	Block    BlockType
	Idx      [2]uint32
	Labels   []uint32
	Mem      MemArg
	Const    uint64
	V128     [16]byte
	Lane     byte
	Types    []ValType
	Heap     HeapType
	Nullable bool    // ref.test null / ref.cast null
	RefFrom  ValType // br_on_cast source type
	RefTo    ValType // br_on_cast target type
	Catches  []Catch
	Handlers []Handler
}

// InstrReader decodes instructions from a body.
type InstrReader struct {
	r  Reader
	in Instr
}

// NewInstrReader returns a reader over code, whose first byte is at module
// offset off.
func NewInstrReader(code []byte, off int) *InstrReader {
	return &InstrReader{r: Reader{Buf: code, Base: off}}
}

// Reset makes ir read code (at module offset off) from the start.
func (ir *InstrReader) Reset(code []byte, off int) {
	ir.r = Reader{Buf: code, Base: off}
}

// EOF reports whether every byte was consumed.
func (ir *InstrReader) EOF() bool { return ir.r.EOF() }

// Offset is the module offset of the next instruction.
func (ir *InstrReader) Offset() int { return ir.r.Offset() }

// Next decodes the next instruction. The result is valid until the next
// call.
func (ir *InstrReader) Next() (*Instr, error) {
	r := &ir.r
	in := &ir.in
	in.Offset = r.Offset()
	in.Sub = 0
	if r.Pos >= len(r.Buf) {
		return nil, r.Errorf("unexpected end")
	}
	op := r.Buf[r.Pos]
	r.Pos++
	in.Op = op
	var e error
	switch op {
	case OpUnreachable, OpNop, OpElse, OpThrowRef, OpEnd, OpReturn, OpDrop, OpSelect,
		OpRefIsNull, OpRefEq, OpRefAsNonNull:
	case OpBlock, OpLoop, OpIf:
		in.Block, e = readBlockType(r)
	case OpTryTable:
		if in.Block, e = readBlockType(r); e != nil {
			break
		}
		e = ir.readCatches()
	case OpBr, OpBrIf, OpCall, OpReturnCall, OpCallRef, OpReturnCallRef,
		OpLocalGet, OpLocalSet, OpLocalTee, OpGlobalGet, OpGlobalSet, OpTableGet, OpTableSet,
		OpRefFunc, OpBrOnNull, OpBrOnNonNull, OpThrow, OpContNew, OpSuspend,
		OpMemorySize, OpMemoryGrow:
		in.Idx[0], e = u32(r)
	case OpCallIndirect, OpReturnCallInd, OpContBind, OpSwitch:
		if in.Idx[0], e = r.U32(); e == nil {
			in.Idx[1], e = r.U32()
		}
	case OpBrTable:
		e = ir.readBrTable()
	case OpSelectT:
		e = ir.readSelectTypes()
	case OpI32Const:
		var v int32
		v, e = r.S32()
		in.Const = uint64(int64(v))
	case OpI64Const:
		var v int64
		v, e = r.S64()
		in.Const = uint64(v)
	case OpF32Const:
		var v uint32
		v, e = r.F32()
		in.Const = uint64(v)
	case OpF64Const:
		in.Const, e = r.F64()
	case OpRefNull:
		in.Heap, e = readHeapType(r)
	case OpResume, OpResumeThrowRef:
		if in.Idx[0], e = r.U32(); e == nil {
			e = ir.readHandlers()
		}
	case OpResumeThrow:
		if in.Idx[0], e = r.U32(); e != nil {
			break
		}
		if in.Idx[1], e = r.U32(); e == nil {
			e = ir.readHandlers()
		}
	case OpPrefixGC:
		e = ir.readGC()
	case OpPrefixMisc:
		e = ir.readMisc()
	case OpPrefixSIMD:
		e = ir.readSIMD()
	default:
		switch {
		case op >= OpI32Load && op <= OpI64Store32:
			in.Mem, e = readMemArg(r)
		case op >= OpI32Eqz && op <= OpI64Extend32S:
		default:
			return nil, &Error{Offset: in.Offset, Msg: "illegal opcode"}
		}
	}
	if e != nil {
		return nil, e
	}
	return in, nil
}

// u32 is Reader.U32 with a fast path for one-byte encodings.
func u32(r *Reader) (uint32, error) {
	if r.Pos < len(r.Buf) {
		if b := r.Buf[r.Pos]; b < 0x80 {
			r.Pos++
			return uint32(b), nil
		}
	}
	return r.U32()
}

// readBrTable reads vec(label) label.
func (ir *InstrReader) readBrTable() error {
	r := &ir.r
	n, err := r.U32()
	if err != nil {
		return err
	}
	if int64(n) > int64(len(r.Buf)-r.Pos) {
		// Every label takes at least one byte.
		return r.Errorf("unexpected end")
	}
	ls := ir.in.Labels[:0]
	for i := uint32(0); i <= n; i++ {
		l, err := r.U32()
		if err != nil {
			return err
		}
		ls = append(ls, l)
	}
	ir.in.Labels = ls
	return nil
}

func (ir *InstrReader) readSelectTypes() error {
	r := &ir.r
	n, err := r.U32()
	if err != nil {
		return err
	}
	if int64(n) > int64(len(r.Buf)-r.Pos) {
		return r.Errorf("unexpected end")
	}
	ts := ir.in.Types[:0]
	for i := uint32(0); i < n; i++ {
		t, err := readValType(r)
		if err != nil {
			return err
		}
		ts = append(ts, t)
	}
	ir.in.Types = ts
	return nil
}

func (ir *InstrReader) readCatches() error {
	r := &ir.r
	n, err := r.U32()
	if err != nil {
		return err
	}
	if int64(n) > int64(len(r.Buf)-r.Pos) {
		return r.Errorf("unexpected end")
	}
	cs := ir.in.Catches[:0]
	for i := uint32(0); i < n; i++ {
		k, err := r.Byte()
		if err != nil {
			return err
		}
		c := Catch{Kind: k}
		switch k {
		case CatchTag, CatchTagRef:
			if c.Tag, err = r.U32(); err != nil {
				return err
			}
		case CatchAll, CatchAllRef:
		default:
			return &Error{Offset: r.Offset() - 1, Msg: "malformed catch clause"}
		}
		if c.Label, err = r.U32(); err != nil {
			return err
		}
		cs = append(cs, c)
	}
	ir.in.Catches = cs
	return nil
}

func (ir *InstrReader) readHandlers() error {
	r := &ir.r
	n, err := r.U32()
	if err != nil {
		return err
	}
	if int64(n) > int64(len(r.Buf)-r.Pos) {
		return r.Errorf("unexpected end")
	}
	hs := ir.in.Handlers[:0]
	for i := uint32(0); i < n; i++ {
		k, err := r.Byte()
		if err != nil {
			return err
		}
		var h Handler
		switch k {
		case 0x00:
			if h.Tag, err = r.U32(); err == nil {
				h.Label, err = r.U32()
			}
		case 0x01:
			h.Switch = true
			h.Tag, err = r.U32()
		default:
			return &Error{Offset: r.Offset() - 1, Msg: "malformed handler clause"}
		}
		if err != nil {
			return err
		}
		hs = append(hs, h)
	}
	ir.in.Handlers = hs
	return nil
}

// readMemArg reads a memarg: flags (alignment, bit 6 = explicit memory
// index), [memory index], offset (u64; memory64 checks its range later).
func readMemArg(r *Reader) (MemArg, error) {
	var m MemArg
	off := r.Offset()
	flags, err := u32(r)
	if err != nil {
		return m, err
	}
	if flags >= 0x80 {
		return m, &Error{Offset: off, Msg: "malformed memop flags"}
	}
	if flags&0x40 != 0 {
		if m.Mem, err = r.U32(); err != nil {
			return m, err
		}
	}
	m.Align = flags & 0x3f
	if r.Pos < len(r.Buf) && r.Buf[r.Pos] < 0x80 {
		m.Offset = uint64(r.Buf[r.Pos])
		r.Pos++
		return m, nil
	}
	m.Offset, err = r.U64()
	return m, err
}

// GC (0xFB) sub-opcodes.
const (
	GCStructNew        = 0
	GCStructNewDefault = 1
	GCStructGet        = 2
	GCStructGetS       = 3
	GCStructGetU       = 4
	GCStructSet        = 5
	GCArrayNew         = 6
	GCArrayNewDefault  = 7
	GCArrayNewFixed    = 8
	GCArrayNewData     = 9
	GCArrayNewElem     = 10
	GCArrayGet         = 11
	GCArrayGetS        = 12
	GCArrayGetU        = 13
	GCArraySet         = 14
	GCArrayLen         = 15
	GCArrayFill        = 16
	GCArrayCopy        = 17
	GCArrayInitData    = 18
	GCArrayInitElem    = 19
	GCRefTest          = 20
	GCRefTestNull      = 21
	GCRefCast          = 22
	GCRefCastNull      = 23
	GCBrOnCast         = 24
	GCBrOnCastFail     = 25
	GCAnyConvertExtern = 26
	GCExternConvertAny = 27
	GCRefI31           = 28
	GCI31GetS          = 29
	GCI31GetU          = 30
)

func (ir *InstrReader) readGC() error {
	r := &ir.r
	in := &ir.in
	sub, err := r.U32()
	if err != nil {
		return err
	}
	in.Sub = sub
	switch sub {
	case GCStructNew, GCStructNewDefault, GCArrayNew, GCArrayNewDefault, GCArrayGet,
		GCArrayGetS, GCArrayGetU, GCArraySet, GCArrayFill:
		in.Idx[0], err = r.U32()
	case GCStructGet, GCStructGetS, GCStructGetU, GCStructSet, GCArrayNewFixed,
		GCArrayNewData, GCArrayNewElem, GCArrayCopy, GCArrayInitData, GCArrayInitElem:
		if in.Idx[0], err = r.U32(); err == nil {
			in.Idx[1], err = r.U32()
		}
	case GCArrayLen, GCAnyConvertExtern, GCExternConvertAny, GCRefI31, GCI31GetS, GCI31GetU:
	case GCRefTest, GCRefTestNull, GCRefCast, GCRefCastNull:
		in.Nullable = sub == GCRefTestNull || sub == GCRefCastNull
		in.Heap, err = readHeapType(r)
	case GCBrOnCast, GCBrOnCastFail:
		off := r.Offset()
		var flags byte
		if flags, err = r.Byte(); err != nil {
			return err
		}
		if flags > 3 {
			return &Error{Offset: off, Msg: "malformed br_on_cast flags"}
		}
		if in.Idx[0], err = r.U32(); err != nil {
			return err
		}
		var h1, h2 HeapType
		if h1, err = readHeapType(r); err != nil {
			return err
		}
		if h2, err = readHeapType(r); err != nil {
			return err
		}
		in.RefFrom = refType(flags&1 != 0, h1)
		in.RefTo = refType(flags&2 != 0, h2)
	default:
		return &Error{Offset: in.Offset, Msg: "illegal opcode"}
	}
	return err
}

func refType(nullable bool, h HeapType) ValType {
	if nullable {
		return ValType{Code: CodeRefNull, Heap: h}
	}
	return ValType{Code: CodeRef, Heap: h}
}

func (ir *InstrReader) readMisc() error {
	r := &ir.r
	in := &ir.in
	sub, err := r.U32()
	if err != nil {
		return err
	}
	in.Sub = sub
	switch sub {
	case MiscI32TruncSatF32S, MiscI32TruncSatF32U, MiscI32TruncSatF64S, MiscI32TruncSatF64U,
		MiscI64TruncSatF32S, MiscI64TruncSatF32U, MiscI64TruncSatF64S, MiscI64TruncSatF64U:
	case MiscMemoryInit, MiscMemoryCopy, MiscTableInit, MiscTableCopy:
		if in.Idx[0], err = r.U32(); err == nil {
			in.Idx[1], err = r.U32()
		}
	case MiscDataDrop, MiscMemoryFill, MiscElemDrop, MiscTableGrow, MiscTableSize, MiscTableFill:
		in.Idx[0], err = r.U32()
	default:
		return &Error{Offset: in.Offset, Msg: "illegal opcode"}
	}
	return err
}

func (ir *InstrReader) readSIMD() error {
	r := &ir.r
	in := &ir.in
	sub, err := u32(r)
	if err != nil {
		return err
	}
	in.Sub = sub
	if sub >= uint32(len(simdOps)) || simdOps[sub].sig == simdIllegal {
		return &Error{Offset: in.Offset, Msg: "illegal opcode"}
	}
	switch simdOps[sub].Imm {
	case SIMDImmMem:
		in.Mem, err = readMemArg(r)
	case SIMDImmMemLane:
		if in.Mem, err = readMemArg(r); err == nil {
			in.Lane, err = r.Byte()
		}
	case SIMDImmLane:
		in.Lane, err = r.Byte()
	case SIMDImmV128, SIMDImmShuffle:
		var b []byte
		if b, err = r.Bytes(16); err == nil {
			copy(in.V128[:], b)
		}
	}
	return err
}

// readBlockType reads a block type: 0x40, a value type, or an s33 type
// index.
func readBlockType(r *Reader) (BlockType, error) {
	if r.Pos < len(r.Buf) {
		b := r.Buf[r.Pos]
		if b == 0x40 {
			r.Pos++
			return BlockType{Empty: true, Index: -1}, nil
		}
		if b == CodeRef || b == CodeRefNull || isValTypeByte(b) {
			t, err := readValType(r)
			return BlockType{Val: t, Index: -1}, err
		}
	}
	off := r.Offset()
	v, err := r.S33()
	if err != nil {
		return BlockType{}, err
	}
	if v < 0 {
		return BlockType{}, &Error{Offset: off, Msg: "malformed value type"}
	}
	return BlockType{Index: v}, nil
}
