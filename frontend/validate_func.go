package frontend

import (
	"fmt"
	"strings"
)

// Function body (and constant expression) validation: the algorithm of the
// spec's validation appendix (https://webassembly.github.io/spec/core/appendix/algorithm.html),
// extended with Wasm 3.0 typed references, GC, exceptions and the
// stack-switching instructions.
//
// Invariants:
//   - vals is the operand stack; ctrls the control stack. Every frame
//     records the operand height at its entry; popping below it is an error,
//     except in unreachable code, where it yields bot (the unknown type).
//   - initStack lists the non-defaultable locals set since their frame
//     began (they are the keys of initSet); ending a frame forgets those
//     initialisations.
//   - Locals are kept run-length encoded as declared, so a function with
//     50000 locals costs one entry per declaration, not per local.
//   - Instructions are decoded by the same InstrReader that translators use,
//     so a validated body is also well-formed for them.
//
// Limits (memory bound for hostile input): the operand stack may not exceed
// maxOperands and the control stack maxNesting.

const (
	maxOperands = 1 << 20
	maxNesting  = 1 << 16
)

type ctrlFrame struct {
	op          byte
	start, end  []ValType
	height      int
	initHeight  int
	unreachable bool
}

// localRun declares the locals up to (not including) index end.
type localRun struct {
	end uint32
	t   ValType
}

type funcValidator struct {
	v         *validator
	ir        InstrReader
	in        *Instr
	params    []ValType  // the function's parameters (locals 0..len-1)
	runs      []localRun // declared locals, run-length encoded
	numLocals uint32
	initSet   map[uint32]bool // non-defaultable locals set so far
	initStack []uint32
	vals      []ValType
	ctrls     []ctrlFrame
	results   []ValType

	constExpr  bool // validating a constant expression
	numGlobals int  // globals visible to a constant expression
	switching  bool // a stack-switching instruction was seen (Module.StackSwitching)
}

func (f *funcValidator) errf(format string, args ...any) error {
	off := 0
	if f.in != nil {
		off = f.in.Offset
	}
	return &Error{Offset: off, Msg: fmt.Sprintf(format, args...)}
}

// typeName prints a value type like the reference interpreter.
func typeName(t ValType) string {
	switch t.Code {
	case 0:
		return "(unknown)"
	case CodeI32:
		return "i32"
	case CodeI64:
		return "i64"
	case CodeF32:
		return "f32"
	case CodeF64:
		return "f64"
	case CodeV128:
		return "v128"
	case CodeI8:
		return "i8"
	case CodeI16:
		return "i16"
	}
	h := heapName(t.Heap)
	if t.Code == CodeRefNull {
		if t.Heap < 0 && t.Heap != heapBot {
			return h + "ref"
		}
		return "(ref null " + h + ")"
	}
	return "(ref " + h + ")"
}

func heapName(h HeapType) string {
	if h >= 0 {
		return fmt.Sprint(int64(h))
	}
	switch h {
	case HeapNoExn:
		return "noexn"
	case HeapNoCont:
		return "nocont"
	case HeapNoFunc:
		return "nofunc"
	case HeapNoExtern:
		return "noextern"
	case HeapNone:
		return "none"
	case HeapFunc:
		return "func"
	case HeapExtern:
		return "extern"
	case HeapAny:
		return "any"
	case HeapEq:
		return "eq"
	case HeapI31:
		return "i31"
	case HeapStruct:
		return "struct"
	case HeapArray:
		return "array"
	case HeapExn:
		return "exn"
	case HeapCont:
		return "cont"
	}
	return "bot"
}

func typesName(ts []ValType) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, t := range ts {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(typeName(t))
	}
	b.WriteByte(']')
	return b.String()
}

func (f *funcValidator) push(t ValType) error {
	if len(f.vals) >= maxOperands {
		return f.errf("operand stack too deep")
	}
	f.vals = append(f.vals, t)
	return nil
}

func (f *funcValidator) pushVals(ts []ValType) error {
	if len(f.vals)+len(ts) > maxOperands {
		return f.errf("operand stack too deep")
	}
	f.vals = append(f.vals, ts...)
	return nil
}

func (f *funcValidator) pop() (ValType, bool) {
	fr := &f.ctrls[len(f.ctrls)-1]
	if len(f.vals) == fr.height {
		return bot, fr.unreachable
	}
	t := f.vals[len(f.vals)-1]
	f.vals = f.vals[:len(f.vals)-1]
	return t, true
}

func (f *funcValidator) popExpect(want ValType) (ValType, error) {
	// Fast path: the top of the stack is exactly the wanted type.
	if n := len(f.vals); n > f.ctrls[len(f.ctrls)-1].height && f.vals[n-1] == want {
		f.vals = f.vals[:n-1]
		return want, nil
	}
	t, ok := f.pop()
	if !ok {
		return t, f.errf("type mismatch: instruction requires [%s] but stack has []", typeName(want))
	}
	if !f.v.valSub(t, want) {
		return t, f.errf("type mismatch: instruction requires [%s] but stack has [%s]", typeName(want), typeName(t))
	}
	return t, nil
}

func (f *funcValidator) popVals(ts []ValType) error {
	// Too few values: name the whole sequence and what the stack holds, as
	// the reference interpreter does.
	if fr := &f.ctrls[len(f.ctrls)-1]; len(f.vals)-fr.height < len(ts) && !fr.unreachable {
		return f.errf("type mismatch: instruction requires %s but stack has %s", typesName(ts), typesName(f.vals[fr.height:]))
	}
	for i := len(ts) - 1; i >= 0; i-- {
		if _, err := f.popExpect(ts[i]); err != nil {
			return err
		}
	}
	return nil
}

// popRef pops a reference (or bot).
func (f *funcValidator) popRef() (ValType, error) {
	t, ok := f.pop()
	if !ok {
		return t, f.errf("type mismatch: instruction requires reference type but stack has []")
	}
	if t.Code != 0 && !t.IsRef() {
		return t, f.errf("type mismatch: instruction requires reference type but stack has [%s]", typeName(t))
	}
	if t.Code == 0 {
		t = ValType{Code: CodeRef, Heap: heapBot}
	}
	return t, nil
}

func (f *funcValidator) pushCtrl(op byte, start, end []ValType) error {
	if len(f.ctrls) >= maxNesting {
		return f.errf("nesting too deep")
	}
	f.ctrls = append(f.ctrls, ctrlFrame{op: op, start: start, end: end, height: len(f.vals), initHeight: len(f.initStack)})
	return f.pushVals(start)
}

func (f *funcValidator) popCtrl() (ctrlFrame, error) {
	fr := f.ctrls[len(f.ctrls)-1]
	if err := f.popVals(fr.end); err != nil {
		return fr, err
	}
	if len(f.vals) != fr.height {
		return fr, f.errf("type mismatch: block requires %s but stack has %s", typesName(fr.end), typesName(f.vals[fr.height:]))
	}
	f.ctrls = f.ctrls[:len(f.ctrls)-1]
	f.resetInit(fr.initHeight)
	return fr, nil
}

func (f *funcValidator) resetInit(h int) {
	for _, l := range f.initStack[h:] {
		delete(f.initSet, l)
	}
	f.initStack = f.initStack[:h]
}

func (f *funcValidator) unreachable() {
	fr := &f.ctrls[len(f.ctrls)-1]
	f.vals = f.vals[:fr.height]
	fr.unreachable = true
}

func labelTypes(fr *ctrlFrame) []ValType {
	if fr.op == OpLoop {
		return fr.start
	}
	return fr.end
}

func (f *funcValidator) label(l uint32) (*ctrlFrame, error) {
	if int64(l) >= int64(len(f.ctrls)) {
		return nil, f.errf("unknown label")
	}
	return &f.ctrls[len(f.ctrls)-1-int(l)], nil
}

// Result lists of the numeric block types, shared.
var (
	resI32  = []ValType{I32}
	resI64  = []ValType{I64}
	resF32  = []ValType{F32}
	resF64  = []ValType{F64}
	resV128 = []ValType{V128}
)

// blockType resolves a block type to its parameter and result types.
func (f *funcValidator) blockType(bt BlockType) ([]ValType, []ValType, error) {
	if bt.Empty {
		return nil, nil, nil
	}
	if bt.Index < 0 {
		switch bt.Val.Code {
		case CodeI32:
			return nil, resI32, nil
		case CodeI64:
			return nil, resI64, nil
		case CodeF32:
			return nil, resF32, nil
		case CodeF64:
			return nil, resF64, nil
		case CodeV128:
			return nil, resV128, nil
		}
		if err := f.v.checkVal(bt.Val, f.in.Offset); err != nil {
			return nil, nil, err
		}
		return nil, []ValType{bt.Val}, nil
	}
	ft, err := f.v.funcType(bt.Index, f.in.Offset)
	if err != nil {
		return nil, nil, err
	}
	return ft.Params, ft.Results, nil
}

// validateFunc validates the body of defined function i.
func (f *funcValidator) validateFunc(i int) error {
	v := f.v
	m := v.m
	c := &m.Codes[i]
	ft := &m.Types[m.Funcs[i]].Comp
	f.constExpr = false
	f.in = nil
	f.params = ft.Params
	f.runs = f.runs[:0]
	n := uint64(len(ft.Params))
	for _, d := range c.Locals {
		if err := v.checkVal(d.Type, c.Offset); err != nil {
			return err
		}
		if d.Count == 0 {
			continue
		}
		n += uint64(d.Count)
		if n > MaxLocals+uint64(len(ft.Params)) {
			return &Error{Offset: c.Offset, Msg: "too many locals"}
		}
		f.runs = append(f.runs, localRun{end: uint32(n), t: d.Type})
	}
	f.numLocals = uint32(n)
	f.results = ft.Results
	return f.run(c.Body, c.BodyOffset, ft.Results)
}

// validateConst validates a constant expression of type want, with the
// first numGlobals globals visible.
func (f *funcValidator) validateConst(e *ConstExpr, want ValType, numGlobals int) error {
	f.constExpr = true
	f.numGlobals = min(numGlobals, len(f.v.globals))
	f.in = nil
	f.params = nil
	f.runs = f.runs[:0]
	f.numLocals = 0
	f.results = nil
	return f.run(e.Code, e.Offset, []ValType{want})
}

func defaultable(t ValType) bool { return t.Code != CodeRef }

func (f *funcValidator) run(body []byte, off int, results []ValType) error {
	f.vals = f.vals[:0]
	f.ctrls = f.ctrls[:0]
	if f.initSet == nil {
		f.initSet = map[uint32]bool{}
	}
	f.resetInit(0)
	f.ir.Reset(body, off)
	f.ctrls = append(f.ctrls, ctrlFrame{op: OpBlock, end: results})
	for len(f.ctrls) > 0 {
		if f.ir.EOF() {
			// Frames are still open (bodies not ending in 0x0B were
			// rejected by the decoder): the reference interpreter would
			// read on past the function.
			return &Error{Offset: f.ir.Offset(), Msg: "unexpected end of section or function"}
		}
		in, err := f.ir.Next()
		if err != nil {
			if e, ok := err.(*Error); ok && e.Msg == "unexpected end" {
				e.Msg = "unexpected end of section or function"
			}
			return err
		}
		f.in = in
		if f.constExpr {
			if err := f.checkConstOp(in); err != nil {
				return err
			}
		}
		if err := f.instr(in); err != nil {
			return err
		}
	}
	if !f.ir.EOF() {
		return &Error{Offset: f.ir.Offset(), Msg: "section size mismatch"}
	}
	return nil
}

func (f *funcValidator) checkConstOp(in *Instr) error {
	switch in.Op {
	case OpI32Const, OpI64Const, OpF32Const, OpF64Const, OpRefNull, OpRefFunc, OpEnd,
		OpI32Add, OpI32Sub, OpI32Mul, OpI64Add, OpI64Sub, OpI64Mul:
		return nil
	case OpGlobalGet:
		if int64(in.Idx[0]) >= int64(f.numGlobals) {
			return f.errf("unknown global %d", in.Idx[0])
		}
		if f.v.globals[in.Idx[0]].Mutable {
			return f.errf("constant expression required")
		}
		return nil
	case OpPrefixSIMD:
		if in.Sub == 0x0c { // v128.const
			return nil
		}
	case OpPrefixGC:
		switch in.Sub {
		case GCStructNew, GCStructNewDefault, GCArrayNew, GCArrayNewDefault, GCArrayNewFixed,
			GCAnyConvertExtern, GCExternConvertAny, GCRefI31:
			return nil
		}
	}
	return f.errf("constant expression required")
}

// addrType is the index type of a memory or table.
func addrType(is64 bool) ValType {
	if is64 {
		return I64
	}
	return I32
}

func (f *funcValidator) memory(idx uint32) (ValType, error) {
	if int64(idx) >= int64(len(f.v.mems)) {
		return bot, f.errf("unknown memory %d", idx)
	}
	return addrType(f.v.mems[idx].Is64), nil
}

func (f *funcValidator) table(idx uint32) (*TableType, error) {
	if int64(idx) >= int64(len(f.v.tables)) {
		return nil, f.errf("unknown table %d", idx)
	}
	return &f.v.tables[idx], nil
}

// memArg checks a memarg with natural alignment natural (log2) and returns
// the address type.
func (f *funcValidator) memArg(ma MemArg, natural uint32) (ValType, error) {
	at, err := f.memory(ma.Mem)
	if err != nil {
		return at, err
	}
	if ma.Align > natural {
		return at, f.errf("alignment must not be larger than natural")
	}
	if at == I32 && ma.Offset > 0xffffffff {
		return at, f.errf("offset out of range")
	}
	return at, nil
}

func (f *funcValidator) local(idx uint32) (ValType, error) {
	if idx >= f.numLocals {
		return bot, f.errf("unknown local %d", idx)
	}
	if int(idx) < len(f.params) {
		return f.params[idx], nil
	}
	// Binary search for the first run ending after idx.
	lo, hi := 0, len(f.runs)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if f.runs[mid].end <= idx {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return f.runs[lo].t, nil
}

// setLocal records that local idx of type t is initialised.
func (f *funcValidator) setLocal(idx uint32, t ValType) {
	if !defaultable(t) && !f.initSet[idx] {
		f.initSet[idx] = true
		f.initStack = append(f.initStack, idx)
	}
}

func (f *funcValidator) global(idx uint32) (*GlobalType, error) {
	if int64(idx) >= int64(len(f.v.globals)) {
		return nil, f.errf("unknown global %d", idx)
	}
	return &f.v.globals[idx], nil
}

func (f *funcValidator) function(idx uint32) (*CompType, error) {
	if int64(idx) >= int64(len(f.v.funcs)) {
		return nil, f.errf("unknown function %d", idx)
	}
	return &f.v.m.Types[f.v.funcs[idx]].Comp, nil
}

func (f *funcValidator) tag(idx uint32) (*CompType, error) {
	if int64(idx) >= int64(len(f.v.tags)) {
		return nil, f.errf("unknown tag %d", idx)
	}
	return &f.v.m.Types[f.v.tags[idx]].Comp, nil
}

// typeAt returns composite type idx, which must exist and have kind k.
func (f *funcValidator) typeAt(idx uint32, k CompKind) (*CompType, error) {
	if int64(idx) >= int64(len(f.v.m.Types)) {
		return nil, f.errf("unknown type %d", idx)
	}
	c := &f.v.m.Types[idx].Comp
	if c.Kind != k {
		switch k {
		case CompFunc:
			return nil, f.errf("non-function type %d", idx)
		case CompCont:
			return nil, f.errf("non-continuation type %d", idx)
		case CompStruct:
			return nil, f.errf("type mismatch: non-struct type %d", idx)
		default:
			return nil, f.errf("type mismatch: non-array type %d", idx)
		}
	}
	return c, nil
}

// contFunc returns the function type of continuation type idx.
func (f *funcValidator) contFunc(idx uint32) (*CompType, error) {
	c, err := f.typeAt(idx, CompCont)
	if err != nil {
		return nil, err
	}
	return &f.v.m.Types[c.Cont].Comp, nil
}

func unpacked(t ValType) ValType {
	if t.Code == CodeI8 || t.Code == CodeI16 {
		return I32
	}
	return t
}

func isPacked(t ValType) bool { return t.Code == CodeI8 || t.Code == CodeI16 }

func refNull(h HeapType) ValType { return ValType{Code: CodeRefNull, Heap: h} }
func refNonNull(h HeapType) ValType {
	return ValType{Code: CodeRef, Heap: h}
}

func (f *funcValidator) mismatch() error { return f.errf("type mismatch") }

// checkReturn checks that callee results match the caller's for tail calls.
func (f *funcValidator) checkReturn(results []ValType) error {
	if f.constExpr || !f.v.valsSub(results, f.results) {
		return f.errf("type mismatch: tail call results %s do not match function results %s", typesName(results), typesName(f.results))
	}
	return nil
}

// tailCall checks a return_call*: the callee's results must match the
// function's, its params are popped, and the rest is unreachable.
func (f *funcValidator) tailCall(ft *CompType) error {
	if err := f.checkReturn(ft.Results); err != nil {
		return err
	}
	if err := f.popVals(ft.Params); err != nil {
		return err
	}
	f.unreachable()
	return nil
}

func (f *funcValidator) call(ft *CompType) error {
	if err := f.popVals(ft.Params); err != nil {
		return err
	}
	return f.pushVals(ft.Results)
}

// instr validates one instruction.
func (f *funcValidator) instr(in *Instr) error {
	v := f.v
	if in.Op >= OpContNew && in.Op <= OpSwitch {
		f.switching = true
	}
	switch in.Op {
	case OpUnreachable:
		f.unreachable()
	case OpNop:
	case OpBlock, OpLoop:
		p, r, err := f.blockType(in.Block)
		if err != nil {
			return err
		}
		if err := f.popVals(p); err != nil {
			return err
		}
		return f.pushCtrl(in.Op, p, r)
	case OpIf:
		p, r, err := f.blockType(in.Block)
		if err != nil {
			return err
		}
		if _, err := f.popExpect(I32); err != nil {
			return err
		}
		if err := f.popVals(p); err != nil {
			return err
		}
		return f.pushCtrl(OpIf, p, r)
	case OpElse:
		if f.ctrls[len(f.ctrls)-1].op != OpIf {
			return f.errf("else without if")
		}
		fr, err := f.popCtrl()
		if err != nil {
			return err
		}
		return f.pushCtrl(OpElse, fr.start, fr.end)
	case OpEnd:
		fr, err := f.popCtrl()
		if err != nil {
			return err
		}
		if fr.op == OpIf && !v.valsSub(fr.start, fr.end) {
			return f.errf("type mismatch: if without else requires %s to match %s", typesName(fr.start), typesName(fr.end))
		}
		if len(f.ctrls) > 0 {
			return f.pushVals(fr.end)
		}
	case OpTryTable:
		p, r, err := f.blockType(in.Block)
		if err != nil {
			return err
		}
		if err := f.popVals(p); err != nil {
			return err
		}
		for _, c := range in.Catches {
			if err := f.checkCatch(c); err != nil {
				return err
			}
		}
		return f.pushCtrl(OpTryTable, p, r)
	case OpThrow:
		t, err := f.tag(in.Idx[0])
		if err != nil {
			return err
		}
		if err := f.popVals(t.Params); err != nil {
			return err
		}
		f.unreachable()
	case OpThrowRef:
		if _, err := f.popExpect(refNull(HeapExn)); err != nil {
			return err
		}
		f.unreachable()
	case OpBr:
		fr, err := f.label(in.Idx[0])
		if err != nil {
			return err
		}
		if err := f.popVals(labelTypes(fr)); err != nil {
			return err
		}
		f.unreachable()
	case OpBrIf:
		fr, err := f.label(in.Idx[0])
		if err != nil {
			return err
		}
		if _, err := f.popExpect(I32); err != nil {
			return err
		}
		lt := labelTypes(fr)
		if err := f.popVals(lt); err != nil {
			return err
		}
		return f.pushVals(lt)
	case OpBrTable:
		if _, err := f.popExpect(I32); err != nil {
			return err
		}
		def, err := f.label(in.Labels[len(in.Labels)-1])
		if err != nil {
			return err
		}
		arity := len(labelTypes(def))
		for _, l := range in.Labels {
			fr, err := f.label(l)
			if err != nil {
				return err
			}
			lt := labelTypes(fr)
			if len(lt) != arity {
				return f.errf("type mismatch: br_table targets have different arities")
			}
			if err := f.checkVals(lt); err != nil {
				return err
			}
		}
		f.unreachable()
	case OpReturn:
		if f.constExpr {
			return f.errf("constant expression required")
		}
		if err := f.popVals(f.results); err != nil {
			return err
		}
		f.unreachable()
	case OpCall, OpReturnCall:
		ft, err := f.function(in.Idx[0])
		if err != nil {
			return err
		}
		if in.Op == OpReturnCall {
			return f.tailCall(ft)
		}
		return f.call(ft)
	case OpCallIndirect, OpReturnCallInd:
		tt, err := f.table(in.Idx[1])
		if err != nil {
			return err
		}
		if !v.valSub(tt.Elem, FuncRef) {
			return f.errf("type mismatch: call_indirect requires a function table")
		}
		ft, err := f.typeAt(in.Idx[0], CompFunc)
		if err != nil {
			return err
		}
		if _, err := f.popExpect(addrType(tt.Limits.Is64)); err != nil {
			return err
		}
		if in.Op == OpReturnCallInd {
			return f.tailCall(ft)
		}
		return f.call(ft)
	case OpCallRef, OpReturnCallRef:
		ft, err := f.typeAt(in.Idx[0], CompFunc)
		if err != nil {
			return err
		}
		if _, err := f.popExpect(refNull(HeapType(in.Idx[0]))); err != nil {
			return err
		}
		if in.Op == OpReturnCallRef {
			return f.tailCall(ft)
		}
		return f.call(ft)
	case OpDrop:
		if _, ok := f.pop(); !ok {
			return f.errf("type mismatch: instruction requires [any] but stack has []")
		}
	case OpSelect:
		if _, err := f.popExpect(I32); err != nil {
			return err
		}
		t1, ok1 := f.pop()
		t2, ok2 := f.pop()
		if !ok1 || !ok2 {
			return f.errf("type mismatch: select requires two operands")
		}
		if t1.IsRef() || t2.IsRef() {
			return f.errf("type mismatch: select without type requires numeric or vector operands")
		}
		if t1.Code != 0 && t2.Code != 0 && t1 != t2 {
			return f.errf("type mismatch: select operands %s and %s differ", typeName(t2), typeName(t1))
		}
		if t1.Code == 0 {
			t1 = t2
		}
		return f.push(t1)
	case OpSelectT:
		if len(in.Types) != 1 {
			return f.errf("invalid result arity")
		}
		t := in.Types[0]
		if err := v.checkVal(t, in.Offset); err != nil {
			return err
		}
		if _, err := f.popExpect(I32); err != nil {
			return err
		}
		if _, err := f.popExpect(t); err != nil {
			return err
		}
		if _, err := f.popExpect(t); err != nil {
			return err
		}
		return f.push(t)
	case OpLocalGet:
		t, err := f.local(in.Idx[0])
		if err != nil {
			return err
		}
		if !defaultable(t) && int(in.Idx[0]) >= len(f.params) && !f.initSet[in.Idx[0]] {
			return f.errf("uninitialized local %d", in.Idx[0])
		}
		return f.push(t)
	case OpLocalSet, OpLocalTee:
		t, err := f.local(in.Idx[0])
		if err != nil {
			return err
		}
		if _, err := f.popExpect(t); err != nil {
			return err
		}
		f.setLocal(in.Idx[0], t)
		if in.Op == OpLocalTee {
			return f.push(t)
		}
	case OpGlobalGet:
		g, err := f.global(in.Idx[0])
		if err != nil {
			return err
		}
		return f.push(g.Type)
	case OpGlobalSet:
		g, err := f.global(in.Idx[0])
		if err != nil {
			return err
		}
		if !g.Mutable {
			return f.errf("immutable global")
		}
		_, err = f.popExpect(g.Type)
		return err
	case OpTableGet:
		tt, err := f.table(in.Idx[0])
		if err != nil {
			return err
		}
		if _, err := f.popExpect(addrType(tt.Limits.Is64)); err != nil {
			return err
		}
		return f.push(tt.Elem)
	case OpTableSet:
		tt, err := f.table(in.Idx[0])
		if err != nil {
			return err
		}
		if _, err := f.popExpect(tt.Elem); err != nil {
			return err
		}
		_, err = f.popExpect(addrType(tt.Limits.Is64))
		return err
	case OpMemorySize:
		at, err := f.memory(in.Idx[0])
		if err != nil {
			return err
		}
		return f.push(at)
	case OpMemoryGrow:
		at, err := f.memory(in.Idx[0])
		if err != nil {
			return err
		}
		if _, err := f.popExpect(at); err != nil {
			return err
		}
		return f.push(at)
	case OpI32Const:
		return f.push(I32)
	case OpI64Const:
		return f.push(I64)
	case OpF32Const:
		return f.push(F32)
	case OpF64Const:
		return f.push(F64)
	case OpRefNull:
		if err := v.checkHeap(in.Heap, in.Offset); err != nil {
			return err
		}
		return f.push(refNull(in.Heap))
	case OpRefIsNull:
		if _, err := f.popRef(); err != nil {
			return err
		}
		return f.push(I32)
	case OpRefFunc:
		if int64(in.Idx[0]) >= int64(len(v.funcs)) {
			return f.errf("unknown function %d", in.Idx[0])
		}
		if !f.constExpr && !v.declared[in.Idx[0]] {
			return f.errf("undeclared function reference")
		}
		return f.push(refNonNull(HeapType(v.funcs[in.Idx[0]])))
	case OpRefEq:
		if _, err := f.popExpect(refNull(HeapEq)); err != nil {
			return err
		}
		if _, err := f.popExpect(refNull(HeapEq)); err != nil {
			return err
		}
		return f.push(I32)
	case OpRefAsNonNull:
		t, err := f.popRef()
		if err != nil {
			return err
		}
		return f.push(refNonNull(t.Heap))
	case OpBrOnNull:
		fr, err := f.label(in.Idx[0])
		if err != nil {
			return err
		}
		t, err := f.popRef()
		if err != nil {
			return err
		}
		lt := labelTypes(fr)
		if err := f.popVals(lt); err != nil {
			return err
		}
		if err := f.pushVals(lt); err != nil {
			return err
		}
		return f.push(refNonNull(t.Heap))
	case OpBrOnNonNull:
		fr, err := f.label(in.Idx[0])
		if err != nil {
			return err
		}
		lt := labelTypes(fr)
		if len(lt) == 0 || !lt[len(lt)-1].IsRef() {
			return f.errf("type mismatch: br_on_non_null requires a label ending in a reference, label has %s", typesName(lt))
		}
		last := lt[len(lt)-1]
		if _, err := f.popExpect(refNull(last.Heap)); err != nil {
			return err
		}
		rest := lt[:len(lt)-1]
		if err := f.popVals(rest); err != nil {
			return err
		}
		return f.pushVals(rest)
	case OpContNew:
		ft, err := f.typeAt(in.Idx[0], CompCont)
		if err != nil {
			return err
		}
		if _, err := f.popExpect(refNull(HeapType(ft.Cont))); err != nil {
			return err
		}
		return f.push(refNonNull(HeapType(in.Idx[0])))
	case OpContBind:
		f1, err := f.contFunc(in.Idx[0])
		if err != nil {
			return err
		}
		f2, err := f.contFunc(in.Idx[1])
		if err != nil {
			return err
		}
		if len(f1.Params) < len(f2.Params) {
			return f.errf("type mismatch in continuation arguments")
		}
		n := len(f1.Params) - len(f2.Params)
		if !v.funcSub(f1.Params[n:], f1.Results, f2.Params, f2.Results) {
			return f.errf("type mismatch in continuation type")
		}
		if _, err := f.popExpect(refNull(HeapType(in.Idx[0]))); err != nil {
			return err
		}
		if err := f.popVals(f1.Params[:n]); err != nil {
			return err
		}
		return f.push(refNonNull(HeapType(in.Idx[1])))
	case OpSuspend:
		t, err := f.tag(in.Idx[0])
		if err != nil {
			return err
		}
		return f.call(t)
	case OpResume, OpResumeThrow, OpResumeThrowRef:
		ft, err := f.contFunc(in.Idx[0])
		if err != nil {
			return err
		}
		var tagParams []ValType
		if in.Op == OpResumeThrow {
			t, err := f.tag(in.Idx[1])
			if err != nil {
				return err
			}
			tagParams = t.Params
		}
		for _, h := range in.Handlers {
			if err := f.checkHandler(h, ft.Results); err != nil {
				return err
			}
		}
		if _, err := f.popExpect(refNull(HeapType(in.Idx[0]))); err != nil {
			return err
		}
		switch in.Op {
		case OpResume:
			err = f.popVals(ft.Params)
		case OpResumeThrow:
			err = f.popVals(tagParams)
		default:
			_, err = f.popExpect(refNull(HeapExn))
		}
		if err != nil {
			return err
		}
		return f.pushVals(ft.Results)
	case OpSwitch:
		return f.switchInstr(in)
	case OpPrefixGC:
		return f.gcInstr(in)
	case OpPrefixMisc:
		return f.miscInstr(in)
	case OpPrefixSIMD:
		return f.simdInstr(in)
	default:
		if in.Op >= OpI32Load && in.Op <= OpI64Store32 {
			return f.loadStore(in)
		}
		return f.numeric(in)
	}
	return nil
}

// checkVals checks that the top of the stack matches ts without changing
// it (br_table).
func (f *funcValidator) checkVals(ts []ValType) error {
	fr := &f.ctrls[len(f.ctrls)-1]
	avail := len(f.vals) - fr.height
	for i := len(ts) - 1; i >= 0; i-- {
		k := len(ts) - 1 - i
		if k >= avail {
			if fr.unreachable {
				return nil
			}
			return f.errf("type mismatch: instruction requires %s but stack has %s", typesName(ts), typesName(f.vals[fr.height:]))
		}
		if t := f.vals[len(f.vals)-1-k]; !f.v.valSub(t, ts[i]) {
			return f.errf("type mismatch: instruction requires [%s] but stack has [%s]", typeName(ts[i]), typeName(t))
		}
	}
	return nil
}

func (f *funcValidator) checkCatch(c Catch) error {
	fr, err := f.label(c.Label)
	if err != nil {
		return err
	}
	lt := labelTypes(fr)
	var want []ValType
	if c.Kind == CatchTag || c.Kind == CatchTagRef {
		t, err := f.tag(c.Tag)
		if err != nil {
			return err
		}
		want = t.Params
	}
	ref := c.Kind == CatchTagRef || c.Kind == CatchAllRef
	n := len(want)
	if ref {
		n++
	}
	if len(lt) != n || !f.v.valsSub(want, lt[:len(want)]) ||
		(ref && !f.v.valSub(refNonNull(HeapExn), lt[n-1])) {
		return f.errf("type mismatch: catch handler type does not match label %s", typesName(lt))
	}
	return nil
}

// checkHandler checks a resume handler clause for a resume with results ts.
func (f *funcValidator) checkHandler(h Handler, ts []ValType) error {
	t, err := f.tag(h.Tag)
	if err != nil {
		return err
	}
	if h.Switch {
		if len(t.Params) != 0 {
			return f.errf("type mismatch in switch tag")
		}
		return nil
	}
	fr, err := f.label(h.Label)
	if err != nil {
		return err
	}
	lt := labelTypes(fr)
	if len(lt) == 0 {
		return f.errf("type mismatch: instruction requires continuation reference type but label has []")
	}
	last := lt[len(lt)-1]
	if !last.IsRef() || last.Heap < 0 {
		return f.errf("type mismatch: instruction requires concrete continuation reference type but label has [%s]", typeName(last))
	}
	if f.v.typeKind(last.Heap) != CompCont {
		return f.errf("non-continuation type %d", last.Heap)
	}
	cf := &f.v.m.Types[f.v.m.Types[last.Heap].Comp.Cont].Comp
	if !f.v.funcSub(t.Results, ts, cf.Params, cf.Results) {
		return f.errf("type mismatch in continuation type")
	}
	if !f.v.valsSub(t.Params, lt[:len(lt)-1]) {
		return f.errf("type mismatch: handler payload %s does not match label %s", typesName(t.Params), typesName(lt))
	}
	return nil
}

func (f *funcValidator) switchInstr(in *Instr) error {
	v := f.v
	f1, err := f.contFunc(in.Idx[0])
	if err != nil {
		return err
	}
	t, err := f.tag(in.Idx[1])
	if err != nil {
		return err
	}
	if len(f1.Params) == 0 {
		return f.errf("type mismatch: switch requires a continuation parameter")
	}
	last := f1.Params[len(f1.Params)-1]
	if !last.IsRef() || last.Heap < 0 || v.typeKind(last.Heap) != CompCont {
		return f.errf("type mismatch: switch requires a continuation parameter, got %s", typeName(last))
	}
	f2 := &v.m.Types[v.m.Types[last.Heap].Comp.Cont].Comp
	if len(t.Params) != 0 {
		return f.errf("type mismatch in switch tag")
	}
	if !v.valsSub(f1.Results, t.Results) || !v.valsSub(t.Results, f2.Results) {
		return f.errf("type mismatch in switch tag")
	}
	if _, err := f.popExpect(refNull(HeapType(in.Idx[0]))); err != nil {
		return err
	}
	if err := f.popVals(f1.Params[:len(f1.Params)-1]); err != nil {
		return err
	}
	return f.pushVals(f2.Params)
}
