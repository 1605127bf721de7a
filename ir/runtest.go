package ir

// Run tests: "; run:" lines in IR test files (ir/testdata/*.ir), in the
// style of Cranelift's `test run`. The same lines are run by the IR
// interpreter (ir/interp) and, later, natively by the back ends.
//
//	; run: %fac(5) == 120
//	; run: %divs(1, 0) == trap int_divide_by_zero
//	; run: %pair(1.5) == 2, -0
//	; run: %fmin(nan, 1) == nan:canonical
//	; run: %store(3)
//
// The function is named after "%"; args and results are written in the
// types of its signature: integers in decimal (signed or unsigned) or hex,
// floats in decimal, "inf", "-inf", "nan", or as raw bits in hex (0x...).
// An expected float may be "nan" (any NaN), "nan:canonical" or
// "nan:arithmetic" (Wasm's NaN classes). "== trap <name>" expects a trap
// (a TrapName). With no "==", the call must return without trapping and its
// results are not checked. Each line runs on a fresh machine with one zeroed
// 64 KiB page of memory and no globals set.

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// RunTest is one "; run:" line.
type RunTest struct {
	Line  int      // line number in the file
	Text  string   // the line after "; run:", for messages
	Func  *Func    // the function to call
	Args  []uint64 // one per param, as bits
	Want  []Expect // expected results (nil if not checked)
	Check bool     // results are checked (the line has "==")
	Trap  int64    // expected abi trap code; 0 = must return
}

// Expect is one expected result.
type Expect struct {
	Type Type
	Bits uint64
	NaN  string // "" exact bits; "any", "canonical" or "arithmetic": a NaN of that class
}

// ParseRunTests extracts the "; run:" lines of src, resolving function names
// among funcs (normally ParseFuncs(src)).
func ParseRunTests(src string, funcs []*Func) ([]RunTest, error) {
	byName := make(map[string]*Func)
	for _, f := range funcs {
		byName[f.Name] = f
	}
	var tests []RunTest
	for i, line := range strings.Split(src, "\n") {
		s := strings.TrimSpace(line)
		if !strings.HasPrefix(s, ";") {
			continue
		}
		s = strings.TrimSpace(s[1:])
		if !strings.HasPrefix(s, "run:") {
			continue
		}
		s = strings.TrimSpace(s[len("run:"):])
		rt, err := parseRunLine(s, byName)
		if err != nil {
			return nil, fmt.Errorf("line %d: %v", i+1, err)
		}
		rt.Line = i + 1
		tests = append(tests, rt)
	}
	return tests, nil
}

func parseRunLine(s string, byName map[string]*Func) (RunTest, error) {
	rt := RunTest{Text: s}
	if !strings.HasPrefix(s, "%") {
		return rt, fmt.Errorf("run line %q: want %%name(args)", s)
	}
	open := strings.IndexByte(s, '(')
	closing := strings.IndexByte(s, ')')
	if open < 0 || closing < open {
		return rt, fmt.Errorf("run line %q: want %%name(args)", s)
	}
	name := s[1:open]
	f := byName[name]
	if f == nil {
		return rt, fmt.Errorf("run line: no function %q", name)
	}
	rt.Func = f
	args := splitList(s[open+1 : closing])
	if len(args) != len(f.Params) {
		return rt, fmt.Errorf("run line: %s takes %d args, got %d", name, len(f.Params), len(args))
	}
	for i, a := range args {
		x, err := parseRunValue(a, f.Params[i])
		if err != nil {
			return rt, fmt.Errorf("run line: arg %d: %v", i, err)
		}
		rt.Args = append(rt.Args, x)
	}
	rest := strings.TrimSpace(s[closing+1:])
	if rest == "" {
		return rt, nil
	}
	if !strings.HasPrefix(rest, "==") {
		return rt, fmt.Errorf("run line: got %q after the call, want \"== results\"", rest)
	}
	rt.Check = true
	rest = strings.TrimSpace(rest[2:])
	if trap, ok := strings.CutPrefix(rest, "trap"); ok {
		code, ok := TrapCode(strings.TrimSpace(trap))
		if !ok || code == 0 {
			return rt, fmt.Errorf("run line: unknown trap %q", strings.TrimSpace(trap))
		}
		rt.Trap = code
		return rt, nil
	}
	want := splitList(rest)
	if len(want) != len(f.Results) {
		return rt, fmt.Errorf("run line: %s returns %d results, %d expected", name, len(f.Results), len(want))
	}
	for i, w := range want {
		e := Expect{Type: f.Results[i]}
		switch {
		case w == "nan" && e.Type.IsFloat():
			e.NaN = "any"
		case (w == "nan:canonical" || w == "nan:arithmetic") && e.Type.IsFloat():
			e.NaN = w[4:]
		default:
			x, err := parseRunValue(w, e.Type)
			if err != nil {
				return rt, fmt.Errorf("run line: result %d: %v", i, err)
			}
			e.Bits = x
		}
		rt.Want = append(rt.Want, e)
	}
	return rt, nil
}

func splitList(s string) []string {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	parts := strings.Split(s, ",")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

// parseRunValue parses a literal of type t into its bits.
func parseRunValue(s string, t Type) (uint64, error) {
	if strings.HasPrefix(s, "0x") {
		u, err := strconv.ParseUint(s[2:], 16, 64)
		if err != nil || u&^mask(t) != 0 {
			return 0, fmt.Errorf("bad %s %q", t, s)
		}
		return u, nil
	}
	switch t {
	case I32, I64:
		bitSize := 32
		if t == I64 {
			bitSize = 64
		}
		if n, err := strconv.ParseInt(s, 10, bitSize); err == nil {
			return uint64(n) & mask(t), nil
		}
		u, err := strconv.ParseUint(s, 10, bitSize)
		if err != nil {
			return 0, fmt.Errorf("bad %s %q", t, s)
		}
		return u, nil
	case F32, F64:
		var x float64
		switch s {
		case "inf":
			x = math.Inf(1)
		case "-inf":
			x = math.Inf(-1)
		case "nan":
			if t == F32 {
				return f32CanonNaN, nil
			}
			return f64CanonNaN, nil
		default:
			bitSize := 32
			if t == F64 {
				bitSize = 64
			}
			var err error
			if x, err = strconv.ParseFloat(s, bitSize); err != nil {
				return 0, fmt.Errorf("bad %s %q", t, s)
			}
		}
		return fromF64(x, t), nil
	}
	return 0, fmt.Errorf("cannot write a %s literal", t)
}

// CheckResult compares a run's outcome (results, or a non-zero trap code)
// with the line's expectation and describes any mismatch.
func (rt *RunTest) CheckResult(results []uint64, trap int64) error {
	if rt.Trap != 0 || trap != 0 {
		if trap != rt.Trap {
			return fmt.Errorf("line %d: %s: got %s, want %s", rt.Line, rt.Text, outcome(trap, results), outcome(rt.Trap, nil))
		}
		return nil
	}
	if !rt.Check {
		return nil
	}
	if len(results) != len(rt.Want) {
		return fmt.Errorf("line %d: %s: got %d results, want %d", rt.Line, rt.Text, len(results), len(rt.Want))
	}
	for i, e := range rt.Want {
		if !e.matches(results[i]) {
			return fmt.Errorf("line %d: %s: result %d is %s, want %s", rt.Line, rt.Text, i, FormatBits(e.Type, results[i]), e)
		}
	}
	return nil
}

func outcome(trap int64, results []uint64) string {
	if trap != 0 {
		return "trap " + TrapName(trap)
	}
	return fmt.Sprintf("results %v", results)
}

func (e Expect) matches(x uint64) bool {
	x &= mask(e.Type)
	if e.NaN == "" {
		return x == e.Bits
	}
	exp, frac, quiet := uint64(0x7ff)<<52, uint64(1)<<52-1, uint64(1)<<51
	if e.Type == F32 {
		exp, frac, quiet = 0xff<<23, 1<<23-1, 1<<22
	}
	if x&exp != exp || x&frac == 0 {
		return false // not a NaN
	}
	switch e.NaN {
	case "canonical":
		return x&frac == quiet
	case "arithmetic":
		return x&quiet != 0
	}
	return true
}

// String formats the expectation as a run line writes it.
func (e Expect) String() string {
	if e.NaN != "" {
		if e.NaN == "any" {
			return "nan"
		}
		return "nan:" + e.NaN
	}
	return FormatBits(e.Type, e.Bits)
}

// FormatBits formats the bits of a value of type t for messages: integers
// in decimal, floats in decimal with their bits.
func FormatBits(t Type, x uint64) string {
	switch t {
	case I32:
		return strconv.FormatInt(int64(int32(x)), 10)
	case F32, F64:
		return fmt.Sprintf("%v (%#x)", toF64(x, t), x)
	}
	return strconv.FormatInt(int64(x), 10)
}
