package gen

import (
	"fmt"
	"strings"

	"wfxc/internal/leb128"
)

// The scalar instruction set as data: one row per numeric instruction with
// its encoding and its operand and result types. The generator picks rows
// by result type, so every row is reachable.

// valType is a wasm value type: a number type or exnref by its binary
// code, or contRef(i), a nullable reference to continuation type i.
type valType uint32

const (
	i32    valType = 0x7F
	i64    valType = 0x7E
	f32    valType = 0x7D
	f64    valType = 0x7C
	exnref valType = 0x69 // (ref null exn)

	contRefBase valType = 0x10000 // contRefBase+i is (ref null $i)
)

var numTypes = []valType{i32, i64, f32, f64}

// contRef is the type of a nullable reference to continuation type ct.
func contRef(ct int) valType { return contRefBase + valType(ct) }

func (t valType) isFloat() bool { return t == f32 || t == f64 }

// isRef reports whether t is a reference type (exnref or a contRef).
func (t valType) isRef() bool { return t == exnref || t >= contRefBase }

// contType returns the continuation type t refers to, or -1.
func (t valType) contType() int {
	if t < contRefBase {
		return -1
	}
	return int(t - contRefBase)
}

// appendValType appends the binary encoding of t.
func appendValType(b []byte, t valType) []byte {
	if ct := t.contType(); ct >= 0 {
		return leb128.AppendInt(append(b, 0x63), int64(ct)) // (ref null ht), ht an s33 type index
	}
	return append(b, byte(t))
}

// appendHeapType appends the heap type of reference type t (for ref.null).
func appendHeapType(b []byte, t valType) []byte {
	if ct := t.contType(); ct >= 0 {
		return leb128.AppendInt(b, int64(ct))
	}
	return append(b, heapExn)
}

func (t valType) String() string {
	switch t {
	case i32:
		return "i32"
	case i64:
		return "i64"
	case f32:
		return "f32"
	case f64:
		return "f64"
	case exnref:
		return "exnref"
	}
	if ct := t.contType(); ct >= 0 {
		return fmt.Sprintf("(ref null %d)", ct)
	}
	return "?"
}

// numOp is one numeric instruction.
type numOp struct {
	name string
	enc  []byte // opcode bytes (0xFC-prefixed ones carry the LEB sub-opcode)
	args []valType
	res  valType
	// canon is the index of an operand whose NaN bits reach an integer or
	// a sign (copysign's second operand, reinterpret's operand), or -1. The
	// spec leaves NaN bits of arithmetic results nondeterministic, so the
	// generator canonicalises that operand to keep results comparable.
	canon int
	// divides marks the integer divisions and remainders (the second
	// operand is the divisor).
	divides bool
}

func op1(name string, code byte, a, r valType) numOp {
	return numOp{name: name, enc: []byte{code}, args: []valType{a}, res: r, canon: -1}
}

func op2(name string, code byte, a, r valType) numOp {
	return numOp{name: name, enc: []byte{code}, args: []valType{a, a}, res: r, canon: -1}
}

func opFC(name string, sub byte, a, r valType) numOp {
	return numOp{name: name, enc: []byte{0xFC, sub}, args: []valType{a}, res: r, canon: -1}
}

// numOps lists every scalar numeric instruction of wasm 2.0 except the
// constants (generated separately).
var numOps = func() []numOp {
	var ops []numOp
	cmp := []string{"eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u"}
	fcmp := []string{"eq", "ne", "lt", "gt", "le", "ge"}
	ibin := []string{"add", "sub", "mul", "div_s", "div_u", "rem_s", "rem_u", "and", "or", "xor", "shl", "shr_s", "shr_u", "rotl", "rotr"}
	fun := []string{"abs", "neg", "ceil", "floor", "trunc", "nearest", "sqrt"}
	fbin := []string{"add", "sub", "mul", "div", "min", "max", "copysign"}
	iun := []string{"clz", "ctz", "popcnt"}

	ops = append(ops, op1("i32.eqz", 0x45, i32, i32))
	for k, n := range cmp {
		ops = append(ops, op2("i32."+n, 0x46+byte(k), i32, i32))
	}
	ops = append(ops, op1("i64.eqz", 0x50, i64, i32))
	for k, n := range cmp {
		ops = append(ops, op2("i64."+n, 0x51+byte(k), i64, i32))
	}
	for k, n := range fcmp {
		ops = append(ops, op2("f32."+n, 0x5B+byte(k), f32, i32))
		ops = append(ops, op2("f64."+n, 0x61+byte(k), f64, i32))
	}
	for k, n := range iun {
		ops = append(ops, op1("i32."+n, 0x67+byte(k), i32, i32))
		ops = append(ops, op1("i64."+n, 0x79+byte(k), i64, i64))
	}
	for k, n := range ibin {
		ops = append(ops, op2("i32."+n, 0x6A+byte(k), i32, i32))
		ops = append(ops, op2("i64."+n, 0x7C+byte(k), i64, i64))
	}
	for k, n := range fun {
		ops = append(ops, op1("f32."+n, 0x8B+byte(k), f32, f32))
		ops = append(ops, op1("f64."+n, 0x99+byte(k), f64, f64))
	}
	for k, n := range fbin {
		a := op2("f32."+n, 0x92+byte(k), f32, f32)
		b := op2("f64."+n, 0xA0+byte(k), f64, f64)
		if n == "copysign" {
			a.canon, b.canon = 1, 1
		}
		ops = append(ops, a, b)
	}
	ops = append(ops,
		op1("i32.wrap_i64", 0xA7, i64, i32),
		op1("i32.trunc_f32_s", 0xA8, f32, i32),
		op1("i32.trunc_f32_u", 0xA9, f32, i32),
		op1("i32.trunc_f64_s", 0xAA, f64, i32),
		op1("i32.trunc_f64_u", 0xAB, f64, i32),
		op1("i64.extend_i32_s", 0xAC, i32, i64),
		op1("i64.extend_i32_u", 0xAD, i32, i64),
		op1("i64.trunc_f32_s", 0xAE, f32, i64),
		op1("i64.trunc_f32_u", 0xAF, f32, i64),
		op1("i64.trunc_f64_s", 0xB0, f64, i64),
		op1("i64.trunc_f64_u", 0xB1, f64, i64),
		op1("f32.convert_i32_s", 0xB2, i32, f32),
		op1("f32.convert_i32_u", 0xB3, i32, f32),
		op1("f32.convert_i64_s", 0xB4, i64, f32),
		op1("f32.convert_i64_u", 0xB5, i64, f32),
		op1("f32.demote_f64", 0xB6, f64, f32),
		op1("f64.convert_i32_s", 0xB7, i32, f64),
		op1("f64.convert_i32_u", 0xB8, i32, f64),
		op1("f64.convert_i64_s", 0xB9, i64, f64),
		op1("f64.convert_i64_u", 0xBA, i64, f64),
		op1("f64.promote_f32", 0xBB, f32, f64),
		op1("i32.reinterpret_f32", 0xBC, f32, i32),
		op1("i64.reinterpret_f64", 0xBD, f64, i64),
		op1("f32.reinterpret_i32", 0xBE, i32, f32),
		op1("f64.reinterpret_i64", 0xBF, i64, f64),
		op1("i32.extend8_s", 0xC0, i32, i32),
		op1("i32.extend16_s", 0xC1, i32, i32),
		op1("i64.extend8_s", 0xC2, i64, i64),
		op1("i64.extend16_s", 0xC3, i64, i64),
		op1("i64.extend32_s", 0xC4, i64, i64),
		opFC("i32.trunc_sat_f32_s", 0, f32, i32),
		opFC("i32.trunc_sat_f32_u", 1, f32, i32),
		opFC("i32.trunc_sat_f64_s", 2, f64, i32),
		opFC("i32.trunc_sat_f64_u", 3, f64, i32),
		opFC("i64.trunc_sat_f32_s", 4, f32, i64),
		opFC("i64.trunc_sat_f32_u", 5, f32, i64),
		opFC("i64.trunc_sat_f64_s", 6, f64, i64),
		opFC("i64.trunc_sat_f64_u", 7, f64, i64),
	)
	for i := range ops {
		if n := ops[i].name; strings.Contains(n, ".div_") || strings.Contains(n, ".rem_") {
			ops[i].divides = true
		}
		if ops[i].name == "i32.reinterpret_f32" || ops[i].name == "i64.reinterpret_f64" {
			ops[i].canon = 0
		}
	}
	return ops
}()

// opsByResult indexes numOps by result type.
var opsByResult = func() map[valType][]numOp {
	m := map[valType][]numOp{}
	for _, o := range numOps {
		m[o.res] = append(m[o.res], o)
	}
	return m
}()

// memOp is a load or a store.
type memOp struct {
	name  string
	code  byte
	t     valType // the value type loaded or stored
	align uint32  // log2 of the natural alignment
}

var loads = []memOp{
	{"i32.load", 0x28, i32, 2}, {"i64.load", 0x29, i64, 3}, {"f32.load", 0x2A, f32, 2}, {"f64.load", 0x2B, f64, 3},
	{"i32.load8_s", 0x2C, i32, 0}, {"i32.load8_u", 0x2D, i32, 0}, {"i32.load16_s", 0x2E, i32, 1}, {"i32.load16_u", 0x2F, i32, 1},
	{"i64.load8_s", 0x30, i64, 0}, {"i64.load8_u", 0x31, i64, 0}, {"i64.load16_s", 0x32, i64, 1}, {"i64.load16_u", 0x33, i64, 1},
	{"i64.load32_s", 0x34, i64, 2}, {"i64.load32_u", 0x35, i64, 2},
}

var stores = []memOp{
	{"i32.store", 0x36, i32, 2}, {"i64.store", 0x37, i64, 3}, {"f32.store", 0x38, f32, 2}, {"f64.store", 0x39, f64, 3},
	{"i32.store8", 0x3A, i32, 0}, {"i32.store16", 0x3B, i32, 1},
	{"i64.store8", 0x3C, i64, 0}, {"i64.store16", 0x3D, i64, 1}, {"i64.store32", 0x3E, i64, 2},
}

// Control and variable opcodes.
const (
	opUnreachable        = 0x00
	opNop                = 0x01
	opBlock              = 0x02
	opLoop               = 0x03
	opIf                 = 0x04
	opElse               = 0x05
	opEnd                = 0x0B
	opBr                 = 0x0C
	opBrIf               = 0x0D
	opBrTable            = 0x0E
	opReturn             = 0x0F
	opCall               = 0x10
	opCallIndirect       = 0x11
	opReturnCall         = 0x12
	opReturnCallIndirect = 0x13
	opDrop               = 0x1A
	opSelect             = 0x1B
	opLocalGet           = 0x20
	opLocalSet           = 0x21
	opLocalTee           = 0x22
	opGlobalGet          = 0x23
	opGlobalSet          = 0x24
	opTableGet           = 0x25
	opTableSet           = 0x26
	opMemorySize         = 0x3F
	opMemoryGrow         = 0x40
	opI32Const           = 0x41
	opI64Const           = 0x42
	opF32Const           = 0x43
	opF64Const           = 0x44
	opRefNull            = 0xD0
	opRefIsNull          = 0xD1
	opRefFunc            = 0xD2
	opPrefixFC           = 0xFC
	fcMemoryInit         = 8
	fcDataDrop           = 9
	fcMemoryCopy         = 10
	fcMemoryFill         = 11
	fcTableInit          = 12
	fcElemDrop           = 13
	fcTableCopy          = 14
	fcTableGrow          = 15
	fcTableSize          = 16
	fcTableFill          = 17
	funcref              = 0x70
	blockEmpty           = 0x40

	// Exceptions and stack switching.
	opThrow          = 0x08
	opThrowRef       = 0x0A
	opSelectT        = 0x1C // select with a type
	opTryTable       = 0x1F
	opContNew        = 0xE0
	opContBind       = 0xE1
	opSuspend        = 0xE2
	opResume         = 0xE3
	opResumeThrow    = 0xE4
	opResumeThrowRef = 0xE5
	opSwitch         = 0xE6
	catchTag         = 0x00 // catch $t $l: the payload
	catchTagRef      = 0x01 // catch_ref $t $l: the payload and the exnref
	catchAll         = 0x02 // catch_all $l: nothing
	catchAllRef      = 0x03 // catch_all_ref $l: the exnref
	onLabel          = 0x00 // (on $t $l): a suspend clause
	onSwitch         = 0x01 // (on $t switch): a switch clause
	heapExn          = 0x69 // the heap type exn
	compFunc         = 0x60 // composite type: func
	compCont         = 0x5D // composite type: cont $ft
	recGroup         = 0x4E // a rec group of several types
	elemDeclarative  = 0x03 // element segment flags: declarative, function indices
	externTag        = 0x04 // import/export kind tag
	sectionTag       = 13
)
