package ir

// The text form of a function. Parse (parse.go) reads it back, and
// Print(Parse(Print(f))) == Print(f) for every function, valid or not, as
// long as its blocks and values have IDs and ops in range.
//
//	func fac(i64) -> (i64) index 3 {
//	b0:
//	  v0 = vmctx : i64
//	  v1 = param [0] : i64
//	  v2 = const 1 : i64
//	  v3 = icmp sle v1 v2 : i32 @12
//	  if v3 -> b2 b1
//	b1: loop <- b0 b1
//	  v4 = phi v1 v6 : i64
//	  v5 = phi v2 v7 : i64
//	  v6 = isub v4 v2 : i64
//	  v7 = imul v5 v4 : i64
//	  v8 = icmp sgt v6 v2 : i32
//	  if v8 -> b1 b2
//	b2: <- b0 b1
//	  v9 = phi v2 v7 : i64
//	  return v9
//	}
//
// Header: the name (quoted like a Go string unless it is a plain word),
// parameter and result types, and "index N" when Index != 0.
//
// Block header: "bN:", then "loop" if Loop is set, "cold" if Cold is, then "<- preds" in Preds
// order (phi args follow that order). The parser derives Preds from the
// successors when "<-" is absent.
//
// Value: "vN = op", then the inline Aux of ops whose Aux is a constant
// (const: integers in signed decimal, floats in Go's shortest round-trip
// form, NaNs and other odd bit patterns as raw hex bits "0x7fc00000") or a
// condition (icmp, fcmp), then the args, then "[Aux]" or "[Aux, Aux2]" (for const and
// the compares, whose Aux is inline, the bracket holds Aux2 alone), then
// ": type" unless void, then "(t1, t2)" when Results is non-nil (calls),
// then "@pos" when Pos >= 0. Param, result, call, call_import, global_get
// and global_set always show their bracket; other ops only when Aux or Aux2
// is non-zero.
//
// Terminator: "jump b1", "if v3 -> b1 b2", "switch v3 -> b1 b2 bdefault",
// "return v1 v2", "trap <code>" (a name from TrapName, or a number), then
// "[Aux]" for a non-trap block with a non-zero Aux, then "@pos".
//
// ";" starts a comment that runs to the end of the line.

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"wfxc/rt/abi"
)

// trapNames are the text-form names of the abi trap codes.
var trapNames = [abi.TrapCount]string{
	abi.TrapUnreachable:       "unreachable",
	abi.TrapIntDivByZero:      "int_divide_by_zero",
	abi.TrapIntOverflow:       "int_overflow",
	abi.TrapInvalidConversion: "invalid_conversion",
	abi.TrapMemoryOutOfBounds: "memory_out_of_bounds",
	abi.TrapTableOutOfBounds:  "table_out_of_bounds",
	abi.TrapIndirectCallNull:  "indirect_call_null",
	abi.TrapIndirectCallType:  "indirect_call_type",
	abi.TrapNullReference:     "null_reference",
	abi.TrapStackOverflow:     "stack_overflow",
	abi.TrapUnhandledTag:      "unhandled_tag",
	abi.TrapContConsumed:      "cont_consumed",
	abi.TrapInterrupted:       "interrupted",
	abi.TrapUndefinedElement:  "undefined_element",
	abi.TrapNullFuncRef:       "null_funcref",
	abi.TrapNullExnRef:        "null_exnref",
	abi.TrapNullCont:          "null_cont",
}

// TrapName returns the text-form name of an abi trap code, or its decimal
// number if it has none.
func TrapName(code int64) string {
	if code > 0 && code < int64(len(trapNames)) && trapNames[code] != "" {
		return trapNames[code]
	}
	return strconv.FormatInt(code, 10)
}

// TrapCode returns the abi trap code named name (a TrapName result).
func TrapCode(name string) (int64, bool) {
	for i, n := range trapNames {
		if n != "" && n == name {
			return int64(i), true
		}
	}
	c, err := strconv.ParseInt(name, 10, 64)
	return c, err == nil
}

// catchKeywords name an invoke's clauses, by kind (abi.Catch*); the tag
// kinds are followed by the tag index.
var catchKeywords = [...]string{"catch", "catch_ref", "catch_all", "catch_all_ref"}

var blockKeywords = [...]string{
	BlockInvalid: "invalid",
	BlockPlain:   "jump",
	BlockIf:      "if",
	BlockSwitch:  "switch",
	BlockReturn:  "return",
	BlockTrap:    "trap",

	BlockTailCall:       "tailcall",
	BlockTailCallImport: "tailcall_import",
	BlockTailCallRef:    "tailcall_ref",
	BlockInvoke:         "invoke",
}

// opsWithAux always print their Aux bracket, even when it is zero.
var opsWithAux = map[Op]bool{
	OpParam: true, OpResult: true, OpCall: true, OpCallImport: true, OpLibcall: true, OpRefFunc: true,
	OpGlobalGet: true, OpGlobalSet: true,
}

// String returns the text form of f.
func (f *Func) String() string {
	var buf bytes.Buffer
	Fprint(&buf, f)
	return buf.String()
}

// Fprint writes the text form of f to w.
func Fprint(w io.Writer, f *Func) error {
	var buf bytes.Buffer
	buf.WriteString("func ")
	buf.WriteString(quoteName(f.Name))
	buf.WriteString("(")
	writeTypes(&buf, f.Params)
	buf.WriteString(") -> (")
	writeTypes(&buf, f.Results)
	buf.WriteString(")")
	if f.Index != 0 {
		fmt.Fprintf(&buf, " index %d", f.Index)
	}
	buf.WriteString(" {\n")
	for _, b := range f.Blocks {
		writeBlock(&buf, b)
	}
	buf.WriteString("}\n")
	_, err := w.Write(buf.Bytes())
	return err
}

func writeTypes(buf *bytes.Buffer, ts []Type) {
	for i, t := range ts {
		if i > 0 {
			buf.WriteString(", ")
		}
		buf.WriteString(t.String())
	}
}

func writeBlock(buf *bytes.Buffer, b *Block) {
	fmt.Fprintf(buf, "b%d:", b.ID)
	if b.Loop {
		buf.WriteString(" loop")
	}
	if b.Cold {
		buf.WriteString(" cold")
	}
	if len(b.Preds) > 0 {
		buf.WriteString(" <-")
		for _, p := range b.Preds {
			fmt.Fprintf(buf, " b%d", p.ID)
		}
	}
	buf.WriteString("\n")
	for _, v := range b.Values {
		buf.WriteString("  ")
		buf.WriteString(v.LongString())
		buf.WriteString("\n")
	}
	buf.WriteString("  ")
	if int(b.Kind) < len(blockKeywords) {
		buf.WriteString(blockKeywords[b.Kind])
	} else {
		fmt.Fprintf(buf, "kind%d", b.Kind)
	}
	if b.Kind == BlockTrap {
		buf.WriteString(" ")
		buf.WriteString(TrapName(b.Aux))
	}
	for _, c := range b.Controls {
		fmt.Fprintf(buf, " v%d", c.ID)
	}
	if len(b.Succs) > 0 {
		if len(b.Controls) > 0 {
			buf.WriteString(" ->")
		}
		for _, s := range b.Succs {
			fmt.Fprintf(buf, " b%d", s.ID)
		}
	}
	for _, c := range b.Catches {
		buf.WriteString(" ")
		buf.WriteString(catchKeywords[c.Kind&3])
		if c.Kind == abi.CatchTag || c.Kind == abi.CatchTagRef {
			fmt.Fprintf(buf, " %d", c.Tag)
		}
	}
	if b.Kind != BlockTrap && b.Aux != 0 {
		fmt.Fprintf(buf, " [%d]", b.Aux)
	}
	if b.Pos >= 0 {
		fmt.Fprintf(buf, " @%d", b.Pos)
	}
	buf.WriteString("\n")
}

// String returns the value's name, "v12".
func (v *Value) String() string { return "v" + strconv.Itoa(int(v.ID)) }

// String returns the block's name, "b3".
func (b *Block) String() string { return "b" + strconv.Itoa(int(b.ID)) }

// LongString returns the text form of the value's definition, as printed
// inside a block ("v3 = iadd v1 v2 : i32").
func (v *Value) LongString() string {
	var buf strings.Builder
	fmt.Fprintf(&buf, "v%d = %s", v.ID, v.Op)
	inline := false
	kind := AuxUnknown
	if v.Op < NumOps {
		kind = Ops[v.Op].Aux
	}
	switch kind { // a constant or a condition is written inline
	case AuxConst:
		buf.WriteString(" ")
		buf.WriteString(formatConst(v.Type, v.Aux))
		inline = true
	case AuxIntCond, AuxFloatCond:
		buf.WriteString(" ")
		if c := Cond(v.Aux); c > CondInvalid && c < NumConds {
			buf.WriteString(c.String())
		} else {
			buf.WriteString(strconv.FormatInt(v.Aux, 10))
		}
		inline = true
	}
	for _, a := range v.Args {
		if a == nil {
			buf.WriteString(" nil")
			continue
		}
		fmt.Fprintf(&buf, " v%d", a.ID)
	}
	switch {
	case inline:
		if v.Aux2 != 0 {
			fmt.Fprintf(&buf, " [%d]", v.Aux2)
		}
	case v.Aux2 != 0:
		fmt.Fprintf(&buf, " [%d, %d]", v.Aux, v.Aux2)
	case v.Aux != 0 || opsWithAux[v.Op]:
		fmt.Fprintf(&buf, " [%d]", v.Aux)
	}
	if v.Type != Void {
		buf.WriteString(" : ")
		buf.WriteString(v.Type.String())
	}
	if v.Results != nil {
		buf.WriteString(" (")
		for i, t := range v.Results {
			if i > 0 {
				buf.WriteString(", ")
			}
			buf.WriteString(t.String())
		}
		buf.WriteString(")")
	}
	if v.Pos >= 0 {
		fmt.Fprintf(&buf, " @%d", v.Pos)
	}
	return buf.String()
}

// formatConst formats the bits of a constant of type t so that parseConst
// reads them back exactly.
func formatConst(t Type, bits int64) string {
	switch t {
	case F32:
		if bits >= 0 && bits <= math.MaxUint32 {
			x := math.Float32frombits(uint32(bits))
			if x == x {
				return strconv.FormatFloat(float64(x), 'g', -1, 32)
			}
		}
		return fmt.Sprintf("%#x", uint64(bits))
	case F64:
		x := math.Float64frombits(uint64(bits))
		if x == x {
			return strconv.FormatFloat(x, 'g', -1, 64)
		}
		return fmt.Sprintf("%#x", uint64(bits))
	}
	return strconv.FormatInt(bits, 10)
}

// parseConst reads a constant of type t printed by formatConst (integers
// may also be written in hex).
func parseConst(t Type, s string) (int64, error) {
	if strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X") {
		u, err := strconv.ParseUint(s[2:], 16, 64)
		if err != nil {
			return 0, fmt.Errorf("bad constant %q", s)
		}
		return int64(u), nil
	}
	switch t {
	case F32:
		x, err := strconv.ParseFloat(s, 32)
		if err != nil {
			return 0, fmt.Errorf("bad f32 constant %q", s)
		}
		return int64(math.Float32bits(float32(x))), nil
	case F64:
		x, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return 0, fmt.Errorf("bad f64 constant %q", s)
		}
		return int64(math.Float64bits(x)), nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("bad %s constant %q", t, s)
	}
	return n, nil
}

// quoteName returns name as is if it is a plain word, else Go-quoted.
func quoteName(name string) string {
	if name == "" {
		return `""`
	}
	for _, r := range name {
		if !isWordRune(r) || r == '-' || r == '+' {
			return strconv.Quote(name)
		}
	}
	return name
}

func isWordRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
		r == '_' || r == '.' || r == '$' || r == '-' || r == '+'
}
