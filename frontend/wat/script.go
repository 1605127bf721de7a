package wat

import (
	"fmt"
	"strconv"
	"strings"
)

// Script is a parsed .wast script: its commands in source order. The
// commands mirror the JSON layout of ../shared/testdata (README §2), so a
// runner can treat a parsed script like a converted one, with three
// differences: modules are carried as bytes (Command.Binary) instead of
// file names; text-only assertions ((module quote …) in assert_malformed)
// are kept, with the parse error in Command.Err; and the result types that
// the JSON lists in "expected" of action/assert_trap/… are not computed.
//
// A runner handles module-carrying commands like this: Err != nil means
// the text did not parse (assert_malformed passes, anything else fails);
// otherwise decode and validate Binary with frontend.Decode and
// frontend.Validate.
type Script struct {
	File     string
	Commands []Command
}

// Command is one top-level script command. Which fields are set depends on
// Type; the names follow the JSON fields.
type Command struct {
	// Type is the JSON command type: "module", "module_definition",
	// "module_instance", "register", "action", "assert_return",
	// "assert_trap", "assert_exhaustion", "assert_exception",
	// "assert_suspension", "assert_invalid", "assert_malformed",
	// "assert_unlinkable" or "assert_uninstantiable" (assert_trap on a
	// module).
	Type string
	// Line is the 1-based source line: the module's line for commands
	// that carry a module, the action's line otherwise.
	Line int

	// Name is the module identifier ("$M") of module and
	// module_definition commands, and the instance register refers to.
	Name string
	// As is the registration name of register.
	As string
	// Instance and Module are the new instance's and the definition's
	// identifiers of module_instance (either may be empty).
	Instance, Module string

	// Module carried by module, module_definition and the module
	// assertions.
	//
	// ModuleType is "text" for (module …), "binary" for (module binary …)
	// and "quote" for (module quote …). Binary holds the encoded module
	// (for binary modules, the bytes as written, which may be malformed).
	// Quote holds the text of a quoted module. Err is the text-format
	// error of a module that failed to parse; it is only ever set for
	// modules inside assertions (a bad plain module fails ParseScript).
	ModuleType string
	Binary     []byte
	Quote      string
	Err        error

	// Action of action, assert_return, assert_trap, assert_exhaustion,
	// assert_exception and assert_suspension.
	Action *Action
	// Expected result patterns of assert_return (nil otherwise).
	Expected []Value
	// Either lists the alternatives of assert_return (either …); then
	// Expected is nil.
	Either []Value
	// Text is the expected message of assertions that have one.
	Text string

	src  *node // the (module …) of a text module, for tests
	skip int   // index of its first field
}

// Action is an invoke or get.
type Action struct {
	Type   string // "invoke" or "get"
	Module string // module identifier ("$M"), or "" for the current one
	Field  string // export name
	Args   []Value
}

// NaNPattern is a NaN result pattern of a float value or lane.
type NaNPattern uint8

// NaN patterns.
const (
	NaNNone       NaNPattern = iota // an exact value
	NaNCanonical                    // nan:canonical
	NaNArithmetic                   // nan:arithmetic
)

// Value is an argument or an expected result, with the JSON's vocabulary:
//
//   - Type "i32", "i64", "f32", "f64": Bits is the bit pattern (i32/f32 in
//     the low 32 bits); for results, NaN may be a pattern instead.
//   - Type "v128": LaneType is "i8" … "f64"; Lanes holds one Value per lane
//     (lane 0 first) with the lane's bits and, for float lanes in results,
//     a NaN pattern. V128 is the 16 bytes (little-endian, NaN-pattern lanes
//     as canonical NaNs).
//   - Reference types ("funcref", "externref", "anyref", "eqref", "i31ref",
//     "structref", "arrayref", "exnref", "contref"): Null for a null of
//     that type; HasValue with Bits = host reference number for
//     (ref.extern n) / (ref.host n); neither = the result pattern "any
//     non-null reference of that type" ((ref.func), (ref.extern), …).
//   - "nullref", "nullfuncref", "nullexternref", "nullexnref",
//     "nullcontref": a null of the bottom heap type none, nofunc, …; a null
//     of a concrete type ((ref.null $t)) is also "nullref". Heap holds the
//     heap type as written.
//   - "refnull": the result pattern (ref.null): any null reference.
type Value struct {
	Type     string
	LaneType string
	Bits     uint64
	NaN      NaNPattern
	Lanes    []Value
	V128     [16]byte
	Null     bool
	HasValue bool
	Heap     string // ref.null: the heap type as written ("func", "$t", "7")
}

// JSON returns the value in the JSON form of ../shared/testdata (README
// §3): {"type": …, "value": …} with numbers as decimal strings of their
// bits, "lane_type" and a list of lane strings for v128, "null" for null
// references, and no "value" for patterns without one.
func (v Value) JSON() map[string]any {
	scalar := func(v Value) string {
		switch v.NaN {
		case NaNCanonical:
			return "nan:canonical"
		case NaNArithmetic:
			return "nan:arithmetic"
		}
		return strconv.FormatUint(v.Bits, 10)
	}
	out := map[string]any{"type": v.Type}
	switch v.Type {
	case "i32", "i64", "f32", "f64":
		out["value"] = scalar(v)
	case "v128":
		lanes := make([]any, len(v.Lanes))
		for i, l := range v.Lanes {
			lanes[i] = scalar(l)
		}
		out["lane_type"] = v.LaneType
		out["value"] = lanes
	case "refnull", "nullref", "nullfuncref", "nullexternref", "nullexnref", "nullcontref":
	default:
		if v.Null {
			out["value"] = "null"
		} else if v.HasValue {
			out["value"] = strconv.FormatUint(v.Bits, 10)
		}
	}
	return out
}

// String renders a value in text-format syntax.
func (v Value) String() string {
	switch v.Type {
	case "i32", "i64":
		return fmt.Sprintf("(%s.const %d)", v.Type, v.Bits)
	case "f32", "f64":
		switch v.NaN {
		case NaNCanonical:
			return fmt.Sprintf("(%s.const nan:canonical)", v.Type)
		case NaNArithmetic:
			return fmt.Sprintf("(%s.const nan:arithmetic)", v.Type)
		}
		return fmt.Sprintf("(%s.const bits:0x%x)", v.Type, v.Bits)
	case "v128":
		var parts []string
		for _, l := range v.Lanes {
			switch l.NaN {
			case NaNCanonical:
				parts = append(parts, "nan:canonical")
			case NaNArithmetic:
				parts = append(parts, "nan:arithmetic")
			default:
				parts = append(parts, fmt.Sprintf("0x%x", l.Bits))
			}
		}
		return fmt.Sprintf("(v128.const %s %s)", v.LaneType, strings.Join(parts, " "))
	case "refnull":
		return "(ref.null)"
	case "nullref":
		return "(ref.null " + v.Heap + ")"
	}
	if v.Null {
		return "(ref.null " + v.Heap + ")"
	}
	if v.HasValue {
		return fmt.Sprintf("(%s %d)", v.Type, v.Bits)
	}
	return "(" + v.Type + " non-null)"
}

var scriptCommands = map[string]bool{
	"module": true, "register": true, "invoke": true, "get": true,
	"assert_return": true, "assert_trap": true, "assert_exhaustion": true, "assert_exception": true,
	"assert_suspension": true, "assert_invalid": true, "assert_malformed": true, "assert_unlinkable": true,
	"input": true, "output": true,
}

// ParseScript parses a .wast script. filename is used in error messages.
func ParseScript(src []byte, filename string) (*Script, error) {
	nodes, err := parseSexprs(src, filename)
	if err != nil {
		return nil, err
	}
	s := &Script{File: filename}
	p := &scriptParser{file: filename}
	// A script of bare module fields is one implicit module.
	if len(nodes) > 0 && !scriptCommands[nodes[0].head()] {
		root := &node{kind: tokLParen, kids: nodes, line: nodes[0].line, col: nodes[0].col}
		bin, err := buildModule(root, 0, filename)
		if err != nil {
			return nil, err
		}
		s.Commands = append(s.Commands, Command{Type: "module", Line: nodes[0].line, ModuleType: "text", Binary: bin})
		return s, nil
	}
	for _, n := range nodes {
		cmd, err := p.command(n)
		if err != nil {
			return nil, err
		}
		s.Commands = append(s.Commands, cmd)
	}
	return s, nil
}

type scriptParser struct{ file string }

func (p *scriptParser) errAt(n *node, format string, args ...any) error {
	e := &Error{File: p.file, Msg: fmt.Sprintf(format, args...)}
	if n != nil {
		e.Line, e.Col = n.line, n.col
	}
	return e
}

func (p *scriptParser) command(n *node) (Command, error) {
	cmd := Command{Line: n.line}
	if n.kind != tokLParen {
		return cmd, p.errAt(n, "unexpected token %s in script", describe(n))
	}
	c := newCursor(n, 1)
	switch h := n.head(); h {
	case "module":
		if c.peekAtom("instance") {
			c.next()
			cmd.Type = "module_instance"
			if id, _ := c.optID(); id != "" {
				cmd.Instance = "$" + id
			}
			if id, _ := c.optID(); id != "" {
				cmd.Module = "$" + id
			}
			if !c.done() {
				return cmd, p.errAt(c.peek(), "unexpected token %s in module instance", describe(c.peek()))
			}
			return cmd, nil
		}
		if err := p.module(n, &cmd, false); err != nil {
			return cmd, err
		}
		return cmd, nil
	case "register":
		cmd.Type = "register"
		s := c.next()
		if s == nil || s.kind != tokString {
			return cmd, p.errAt(n, "expected registration name")
		}
		cmd.As = s.text
		if id, _ := c.optID(); id != "" {
			cmd.Name = "$" + id
		}
		if !c.done() {
			return cmd, p.errAt(c.peek(), "unexpected token %s in register", describe(c.peek()))
		}
		return cmd, nil
	case "invoke", "get":
		cmd.Type = "action"
		a, err := p.action(n)
		cmd.Action = a
		return cmd, err
	case "assert_return", "assert_trap", "assert_exhaustion", "assert_exception", "assert_suspension":
		cmd.Type = h
		a := c.next()
		if a == nil || a.kind != tokLParen {
			return cmd, p.errAt(n, "expected action in %s", h)
		}
		if a.head() == "module" {
			if h != "assert_trap" {
				return cmd, p.errAt(a, "unexpected token: module in %s", h)
			}
			cmd.Type = "assert_uninstantiable"
			cmd.Line = a.line
			if err := p.module(a, &cmd, true); err != nil {
				return cmd, err
			}
		} else {
			act, err := p.action(a)
			if err != nil {
				return cmd, err
			}
			cmd.Action = act
			cmd.Line = a.line
		}
		switch h {
		case "assert_return":
			cmd.Expected = []Value{}
			for !c.done() {
				r := c.next()
				if r.isList("either") {
					ec := newCursor(r, 1)
					for !ec.done() {
						v, err := p.value(ec.next(), true)
						if err != nil {
							return cmd, err
						}
						cmd.Either = append(cmd.Either, v)
					}
					cmd.Expected = nil
					continue
				}
				v, err := p.value(r, true)
				if err != nil {
					return cmd, err
				}
				cmd.Expected = append(cmd.Expected, v)
			}
		case "assert_exception":
		default:
			t := c.next()
			if t == nil || t.kind != tokString {
				return cmd, p.errAt(n, "expected message text in %s", h)
			}
			cmd.Text = t.text
		}
		if !c.done() {
			return cmd, p.errAt(c.peek(), "unexpected token %s in %s", describe(c.peek()), h)
		}
		return cmd, nil
	case "assert_invalid", "assert_malformed", "assert_unlinkable":
		cmd.Type = h
		m := c.next()
		if m == nil || !m.isList("module") {
			return cmd, p.errAt(n, "expected module in %s", h)
		}
		cmd.Line = m.line
		if err := p.module(m, &cmd, true); err != nil {
			return cmd, err
		}
		t := c.next()
		if t == nil || t.kind != tokString || !c.done() {
			return cmd, p.errAt(n, "expected message text in %s", h)
		}
		cmd.Text = t.text
		return cmd, nil
	case "input", "output":
		return cmd, p.errAt(n, "unsupported script command %s", h)
	}
	return cmd, p.errAt(n, "unknown script command %s", describe(n))
}

// module parses a (module …) into cmd. In assertions, errors are recorded
// in cmd.Err instead of failing the script.
func (p *scriptParser) module(n *node, cmd *Command, lazy bool) error {
	c := newCursor(n, 1)
	if cmd.Type == "" {
		cmd.Type = "module"
	}
	if c.peekAtom("definition") {
		c.next()
		if cmd.Type == "module" {
			cmd.Type = "module_definition"
		}
	}
	if id, _ := c.optID(); id != "" {
		cmd.Name = "$" + id
	}
	var err error
	switch {
	case c.peekAtom("binary"):
		c.next()
		cmd.ModuleType = "binary"
		var s string
		s, err = concatStrings(c, p.file)
		cmd.Binary = []byte(s)
	case c.peekAtom("quote"):
		c.next()
		cmd.ModuleType = "quote"
		var s string
		s, err = concatStrings(c, p.file)
		cmd.Quote = s
		if err == nil {
			cmd.Binary, err = ParseModuleQuote([]byte(s), p.file)
			if err != nil {
				// Positions inside the quote are relative to its text.
				err = fmt.Errorf("in module quote at %s:%d:%d: %w", p.file, n.line, n.col, err)
			}
		}
	default:
		cmd.ModuleType = "text"
		cmd.src, cmd.skip = n, c.i
		cmd.Binary, err = buildModule(n, c.i, p.file)
	}
	if err != nil {
		if !lazy {
			return err
		}
		cmd.Err = err
		cmd.Binary = nil
	}
	return nil
}

func (p *scriptParser) action(n *node) (*Action, error) {
	c := newCursor(n, 1)
	a := &Action{Type: n.head()}
	if a.Type != "invoke" && a.Type != "get" {
		return nil, p.errAt(n, "expected invoke or get, got %s", describe(n))
	}
	if id, _ := c.optID(); id != "" {
		a.Module = "$" + id
	}
	f := c.next()
	if f == nil || f.kind != tokString {
		return nil, p.errAt(n, "expected export name in %s", a.Type)
	}
	a.Field = f.text
	if a.Type == "invoke" {
		a.Args = []Value{}
		for !c.done() {
			v, err := p.value(c.next(), false)
			if err != nil {
				return nil, err
			}
			a.Args = append(a.Args, v)
		}
	}
	if !c.done() {
		return nil, p.errAt(c.peek(), "unexpected token %s in get", describe(c.peek()))
	}
	return a, nil
}

var refPatternTypes = map[string]string{
	"ref.func": "funcref", "ref.extern": "externref", "ref.any": "anyref", "ref.eq": "eqref",
	"ref.i31": "i31ref", "ref.struct": "structref", "ref.array": "arrayref", "ref.exn": "exnref",
	"ref.cont": "contref", "ref.host": "anyref",
}

var nullTypeNames = map[string]string{
	"func": "funcref", "extern": "externref", "any": "anyref", "eq": "eqref", "i31": "i31ref",
	"struct": "structref", "array": "arrayref", "exn": "exnref", "cont": "contref",
	"none": "nullref", "nofunc": "nullfuncref", "noextern": "nullexternref", "noexn": "nullexnref", "nocont": "nullcontref",
}

// value parses a constant (argument) or a result pattern.
func (p *scriptParser) value(n *node, result bool) (Value, error) {
	var v Value
	if n == nil || n.kind != tokLParen || len(n.kids) == 0 || n.kids[0].kind != tokAtom {
		return v, p.errAt(n, "expected constant, got %s", describe(n))
	}
	c := newCursor(n, 1)
	h := n.head()
	nan := func(x *node) NaNPattern {
		if !result || x == nil {
			return NaNNone
		}
		switch x.text {
		case "nan:canonical":
			return NaNCanonical
		case "nan:arithmetic":
			return NaNArithmetic
		}
		return NaNNone
	}
	switch h {
	case "i32.const", "i64.const", "f32.const", "f64.const":
		v.Type = h[:3]
		x := c.next()
		if x == nil || x.kind != tokAtom || !c.done() {
			return v, p.errAt(n, "malformed %s", h)
		}
		if k := nan(x); k != NaNNone && h[0] == 'f' {
			v.NaN = k
			return v, nil
		}
		var err error
		switch h[0] {
		case 'i':
			width := uint(32)
			if h[1] == '6' {
				width = 64
			}
			v.Bits, err = parseInt(x.text, width)
		default:
			width := 32
			if h[1] == '6' {
				width = 64
			}
			v.Bits, err = parseFloat(x.text, width)
		}
		if err != nil {
			return v, p.errAt(x, "%s: %s", errText(err), x.text)
		}
		return v, nil
	case "v128.const":
		v.Type = "v128"
		shape := c.next()
		if shape == nil || shape.kind != tokAtom {
			return v, p.errAt(n, "expected v128 shape")
		}
		lanes, width, isFloat := shapeOf(shape.text)
		if lanes == 0 {
			return v, p.errAt(shape, "unknown v128 shape %s", shape.text)
		}
		v.LaneType = shape.text[:3]
		if v.LaneType == "i8x" {
			v.LaneType = "i8"
		}
		for i := 0; i < lanes; i++ {
			x := c.next()
			if x == nil || x.kind != tokAtom {
				return v, p.errAt(n, "expected %d lanes", lanes)
			}
			lane := Value{Type: v.LaneType}
			var err error
			if k := nan(x); k != NaNNone && isFloat {
				lane.NaN = k
				lane.Bits, _ = parseFloat("nan", width)
			} else if isFloat {
				lane.Bits, err = parseFloat(x.text, width)
			} else {
				lane.Bits, err = parseInt(x.text, uint(width))
			}
			if err != nil {
				return v, p.errAt(x, "%s: %s", errText(err), x.text)
			}
			for k := 0; k < width/8; k++ {
				v.V128[i*width/8+k] = byte(lane.Bits >> (8 * k))
			}
			v.Lanes = append(v.Lanes, lane)
		}
		if !c.done() {
			return v, p.errAt(c.peek(), "too many lanes")
		}
		return v, nil
	case "ref.null":
		x := c.next()
		if x == nil {
			if !result {
				return v, p.errAt(n, "expected heap type")
			}
			v.Type = "refnull"
			return v, nil
		}
		if !c.done() {
			return v, p.errAt(c.peek(), "unexpected token %s", describe(c.peek()))
		}
		v.Null = true
		v.Heap = x.text
		if x.kind == tokID {
			v.Heap = "$" + x.text
		}
		if t, ok := nullTypeNames[x.text]; ok && x.kind == tokAtom {
			v.Type = t
		} else if x.kind == tokID || x.kind == tokAtom && isIndex(x) {
			v.Type = "nullref"
		} else {
			return v, p.errAt(x, "unknown heap type %s", describe(x))
		}
		return v, nil
	}
	if t, ok := refPatternTypes[h]; ok {
		v.Type = t
		x := c.next()
		if x == nil {
			if !result {
				return v, p.errAt(n, "expected reference value")
			}
			return v, nil
		}
		if x.kind != tokAtom || !c.done() {
			return v, p.errAt(x, "malformed %s", h)
		}
		b, err := parseNat(x.text, 64)
		if err != nil {
			return v, p.errAt(x, "%s: %s", errText(err), x.text)
		}
		v.Bits, v.HasValue = b, true
		return v, nil
	}
	return v, p.errAt(n, "unknown constant %s", h)
}
