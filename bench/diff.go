package bench

// Differential execution: one module, two engines, same calls, same
// observable results. For each exported run function (in export order) both
// engines get the same arguments, derived from the seed; after every call
// the results, the trap (if any), the uncaught exception (if any: its tag
// and payload), every exported global and the exported memory must agree.
// Floats are compared bit-exactly except that any NaN equals any NaN, since
// the spec leaves NaN payloads and signs of arithmetic results
// nondeterministic (the generator canonicalises NaNs wherever their bits
// could reach an integer). Traps are compared by kind, with wazero's
// messages mapped to the spec's; a suspension without a handler is the
// trap "unhandled tag" on every engine. References in an exception's
// payload are compared by null-ness only. Call stack exhaustion ends the
// comparison of a module: the depth it happens at, and so the state left
// behind, differ between engines.
//
// The reference is wazero's interpreter for the features it has, and
// testsuite/refexec (Refexec) for exceptions and stack switching, or for
// everything when asked to (Reference).

import (
	"errors"
	"fmt"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"wfxc/frontend"
	"wfxc/rt"
	"wfxc/testsuite/gen"
	"wfxc/testsuite/refexec"
)

// FuzzFeatures are the generator configurations the differential test
// uses, by name (the suffix of a regression file's name).
var FuzzFeatures = map[string]gen.Config{
	"":       {},
	"tables": {Tables: true},
	"host":   {HostCalls: true},
	"tail":   {TailCalls: true, Tables: true},
	"all":    {Tables: true, MemoryGrow: true, BulkMemory: true, StackOverflow: true, HostCalls: true, TailCalls: true},
	"big": {Funcs: 8, MaxStmts: 8, MaxDepth: 6, Tables: true, MemoryGrow: true, BulkMemory: true, StackOverflow: true,
		HostCalls: true, TailCalls: true},
	"exn":  {Exceptions: true, Tables: true, HostCalls: true, TailCalls: true},
	"cont": {Funcs: 7, StackSwitching: true, Exceptions: true, Tables: true, HostCalls: true},
	// smallcont makes modules a tenth the size of cont's, easier to triage.
	"smallcont": {Funcs: 3, MaxStmts: 3, MaxDepth: 3, StackSwitching: true, Exceptions: true},
	"simd":      {SIMD: true, Tables: true, MemoryGrow: true, BulkMemory: true, HostCalls: true},
}

// NeedsRefexec reports whether modules made with cfg need refexec as the
// reference: wazero has neither exceptions nor stack switching.
func NeedsRefexec(cfg gen.Config) bool { return cfg.Exceptions || cfg.StackSwitching }

// Reference returns the reference engine for a feature set: refexec if
// its modules need it or if oracle is set, else wazero's interpreter.
func Reference(features string, oracle bool) Engine {
	if oracle || NeedsRefexec(FuzzFeatures[features]) {
		return Refexec
	}
	return WazeroInterpreter
}

// Status is the outcome of one differential run.
type Status int

const (
	StatusOK          Status = iota // both engines agree
	StatusMismatch                  // the engines disagree: a bug in one of them
	StatusUnsupported               // wfxc reports a missing feature
	StatusInvalid                   // the reference rejects the module: a generator bug
	// StatusRefDisagree: the test engine disagrees with the reference
	// but agrees with the tie-breaker (DiffTiebreak): most likely a bug in
	// the reference.
	StatusRefDisagree
)

var statusNames = [...]string{"ok", "mismatch", "unsupported", "invalid", "reference-disagrees"}

// Uncaught is an exception that no handler caught, as every engine
// reports it: the export name of its tag and its payload (numbers as raw
// bits, a reference as 1 if it is not null, else 0).
type Uncaught struct {
	Tag     string
	Payload []uint64
}

// Error names the tag and the payload.
func (u *Uncaught) Error() string { return fmt.Sprintf("uncaught exception %s %#x", u.Tag, u.Payload) }

// refBit is a reference in an Uncaught payload.
func refBit(nonNull bool) uint64 {
	if nonNull {
		return 1
	}
	return 0
}

func (s Status) String() string { return statusNames[s] }

// Outcome describes one differential run.
type Outcome struct {
	Status Status
	Detail string // what differed, or why the module was skipped
	Calls  int    // run calls compared
	Traps  int    // calls that trapped or threw (on both engines)
	// TrapKinds lists the kind of each trap, in call order; an uncaught
	// exception is "uncaught exception".
	TrapKinds []string
	// Invoke is the failing call when Status is StatusMismatch: export
	// name and arguments, for a repro.
	Invoke string
	Args   []string
}

// ExportedFunc is an exported function with its signature.
type ExportedFunc struct {
	Name            string
	Params, Results []byte // value type codes
}

// moduleInfo is what the harness needs to know about a module's exports.
type moduleInfo struct {
	funcs   []ExportedFunc
	globals []ExportedFunc // Results[0] is the global's type
	memory  string
	tags    map[string]TagInfo
}

func inspect(wasm []byte) (*moduleInfo, error) {
	m, err := frontend.Decode(wasm)
	if err != nil {
		return nil, err
	}
	info := &moduleInfo{tags: map[string]TagInfo{}}
	for _, t := range exportedTags(m) {
		info.tags[t.Name] = t
	}
	for _, e := range m.Exports {
		switch e.Kind {
		case frontend.ExternFunc:
			ft := m.FuncType(e.Index)
			ef := ExportedFunc{Name: e.Name}
			for _, p := range ft.Params {
				ef.Params = append(ef.Params, p.Code)
			}
			for _, r := range ft.Results {
				ef.Results = append(ef.Results, r.Code)
			}
			info.funcs = append(info.funcs, ef)
		case frontend.ExternGlobal:
			info.globals = append(info.globals, ExportedFunc{Name: e.Name, Results: []byte{m.GlobalType(e.Index).Type.Code}})
		case frontend.ExternMemory:
			info.memory = e.Name
		}
	}
	return info, nil
}

// Args returns the arguments for the i-th exported function of the
// module generated from seed.
func Args(seed int64, i int, params []byte) []uint64 {
	r := rand.New(rand.NewSource(seed*1000003 + int64(i)))
	args := make([]uint64, len(params))
	for k, p := range params {
		args[k] = argBits(r, p)
	}
	return args
}

func argBits(r *rand.Rand, t byte) uint64 {
	switch t {
	case 0x7F:
		vals := []int32{0, 1, -1, 2, 5, 100, math.MaxInt32, math.MinInt32}
		if r.Intn(2) == 0 {
			return uint64(uint32(vals[r.Intn(len(vals))]))
		}
		return uint64(uint32(int32(r.Intn(2001) - 1000)))
	case 0x7E:
		vals := []int64{0, 1, -1, 3, math.MaxInt64, math.MinInt64, 1 << 32}
		if r.Intn(2) == 0 {
			return uint64(vals[r.Intn(len(vals))])
		}
		return uint64(int64(r.Intn(2001) - 1000))
	case 0x7D:
		vals := []float32{0, 1, -1, 0.5, 1e9, -3.25, float32(math.Inf(1))}
		return uint64(math.Float32bits(vals[r.Intn(len(vals))]))
	default:
		vals := []float64{0, 1, -1, 0.5, 1e18, -3.25, math.Inf(-1), 2147483648}
		return math.Float64bits(vals[r.Intn(len(vals))])
	}
}

// FormatArg prints an argument as `wfxc run` parses it.
func FormatArg(t byte, bits uint64) string {
	switch t {
	case 0x7F:
		return strconv.FormatInt(int64(int32(uint32(bits))), 10)
	case 0x7E:
		return strconv.FormatInt(int64(bits), 10)
	case 0x7D:
		return strconv.FormatFloat(float64(math.Float32frombits(uint32(bits))), 'g', -1, 32)
	default:
		return strconv.FormatFloat(math.Float64frombits(bits), 'g', -1, 64)
	}
}

// sameValue compares raw bits of type t, any NaN equal to any NaN.
func sameValue(t byte, a, b uint64) bool {
	switch t {
	case 0x7F:
		return uint32(a) == uint32(b)
	case 0x7D:
		fa, fb := math.Float32frombits(uint32(a)), math.Float32frombits(uint32(b))
		if fa != fa || fb != fb {
			return fa != fa && fb != fb
		}
		return uint32(a) == uint32(b)
	case 0x7C:
		fa, fb := math.Float64frombits(a), math.Float64frombits(b)
		if fa != fa || fb != fb {
			return fa != fa && fb != fb
		}
	}
	return a == b
}

// TrapKind names the trap behind err the same way for every engine
// (the spec interpreter's wording), or returns "" if err is not a trap.
func TrapKind(err error) string {
	var msg string
	var trap *rt.Trap
	var rtrap *refexec.Trap
	var rsusp *refexec.Suspension
	if errors.As(err, &trap) {
		msg = trap.Message
	} else if errors.As(err, &rtrap) {
		msg = rtrap.Msg
	} else if errors.As(err, &rsusp) {
		msg = "unhandled tag"
	} else if s := err.Error(); strings.HasPrefix(s, "wasm error: ") {
		msg, _, _ = strings.Cut(strings.TrimPrefix(s, "wasm error: "), "\n")
	} else if s == "stack overflow" {
		msg = s // wazero's compiler reports it without the prefix
	} else {
		return ""
	}
	switch msg {
	case "stack overflow", "call stack exhausted":
		return "call stack exhausted"
	// wazero says "invalid table access" both for an index out of bounds
	// and for a null entry.
	case "invalid table access", "out of bounds table access", "uninitialized element", "undefined element":
		return "table access"
	}
	return msg
}

func isStackExhausted(err error) bool {
	return err != nil && TrapKind(err) == "call stack exhausted"
}

// Diff runs every exported function of wasm on test and ref and compares
// them; seed chooses the arguments.
func Diff(seed int64, wasm []byte, test, ref Engine) Outcome {
	info, err := inspect(wasm)
	if err != nil {
		return Outcome{Status: StatusInvalid, Detail: "decode: " + err.Error()}
	}
	rm, err := ref.Compile(wasm)
	if err != nil {
		return Outcome{Status: StatusInvalid, Detail: ref.Name + " compile: " + err.Error()}
	}
	defer rm.Close()
	tm, err := test.Compile(wasm)
	if IsUnsupported(err) {
		return Outcome{Status: StatusUnsupported, Detail: err.Error()}
	}
	if err != nil {
		return Outcome{Status: StatusMismatch, Detail: fmt.Sprintf("%s compile: %v", test.Name, err)}
	}
	defer tm.Close()
	ri, rerr := rm.Instantiate()
	ti, terr := tm.Instantiate()
	if IsUnsupported(terr) {
		return Outcome{Status: StatusUnsupported, Detail: terr.Error()}
	}
	if rerr != nil || terr != nil {
		if rerr != nil && terr != nil && TrapKind(rerr) != "" && TrapKind(rerr) == TrapKind(terr) {
			return Outcome{Status: StatusOK, Detail: "instantiation trapped on both: " + TrapKind(rerr)}
		}
		return Outcome{Status: StatusMismatch, Detail: fmt.Sprintf("instantiate: %s: %v; %s: %v", test.Name, terr, ref.Name, rerr)}
	}
	defer ri.Close()
	defer ti.Close()

	var o Outcome
	for i, f := range info.funcs {
		args := Args(seed, i, f.Params)
		mismatch := func(format string, a ...any) Outcome {
			o.Status = StatusMismatch
			o.Detail = fmt.Sprintf("%s(%s): ", f.Name, strings.Join(formatArgs(f.Params, args), ", ")) + fmt.Sprintf(format, a...)
			o.Invoke = f.Name
			o.Args = formatArgs(f.Params, args)
			return o
		}
		if os.Getenv("DIFF_TRACE") != "" {
			fmt.Fprintln(os.Stderr, "call", f.Name, args)
		}
		// The reference runs first: it has fuel, so a module that does not
		// terminate is found there instead of hanging the engine under test.
		rres, rerr := ri.Call(f.Name, args...)
		o.Calls++
		if rerr != nil && TrapKind(rerr) == trapOutOfFuel {
			return Outcome{Status: StatusInvalid, Detail: fmt.Sprintf("%s(%s): %s ran out of fuel: the module does not terminate (a generator bug)",
				f.Name, strings.Join(formatArgs(f.Params, args), ", "), ref.Name)}
		}
		tres, terr := ti.Call(f.Name, args...)
		if os.Getenv("DIFF_TRACE") != "" {
			fmt.Fprintln(os.Stderr, " ->", tres, terr)
		}
		if isStackExhausted(terr) || isStackExhausted(rerr) {
			// How deep recursion gets before the stack runs out is up to
			// the engine, and so are the side effects made on the way
			// down and whatever else traps first: nothing after this is
			// comparable.
			if isStackExhausted(terr) && isStackExhausted(rerr) {
				o.Traps++
				o.TrapKinds = append(o.TrapKinds, TrapKind(terr))
			}
			o.Detail = fmt.Sprintf("%s: stopped comparing after call stack exhaustion", f.Name)
			return o
		}
		switch {
		case IsUnsupported(terr):
			o.Status = StatusUnsupported
			o.Detail = terr.Error()
			return o
		case asUncaught(terr) != nil || asUncaught(rerr) != nil:
			tu, ru := asUncaught(terr), asUncaught(rerr)
			if tu == nil || ru == nil {
				return mismatch("%s: %v; %s: %v", test.Name, errOr(terr, tres), ref.Name, errOr(rerr, rres))
			}
			if !sameUncaught(info.tags[tu.Tag], tu, ru) {
				return mismatch("%s: %v; %s: %v", test.Name, tu, ref.Name, ru)
			}
			o.Traps++
			o.TrapKinds = append(o.TrapKinds, "uncaught exception")
		case terr != nil && rerr != nil:
			tk, rk := TrapKind(terr), TrapKind(rerr)
			if tk == "" || rk == "" || tk != rk {
				return mismatch("%s: %s; %s: %s", test.Name, firstLine(terr.Error()), ref.Name, firstLine(rerr.Error()))
			}
			o.Traps++
			o.TrapKinds = append(o.TrapKinds, tk)
		case terr != nil || rerr != nil:
			return mismatch("%s: %v; %s: %v", test.Name, errOr(terr, tres), ref.Name, errOr(rerr, rres))
		default:
			if len(tres) != len(f.Results) || len(rres) != len(f.Results) {
				return mismatch("result counts %d (%s) and %d (%s), want %d", len(tres), test.Name, len(rres), ref.Name, len(f.Results))
			}
			for k, t := range f.Results {
				if !sameValue(t, tres[k], rres[k]) {
					return mismatch("result %d: %s %s, %s %s", k, test.Name, FormatArg(t, tres[k]), ref.Name, FormatArg(t, rres[k]))
				}
			}
		}
		// The state after the call, trap or not.
		for _, g := range info.globals {
			tv, tok := ti.Global(g.Name)
			rv, rok := ri.Global(g.Name)
			if !tok || !rok || !sameValue(g.Results[0], tv, rv) {
				return mismatch("afterwards global %s: %s %s, %s %s", g.Name,
					test.Name, FormatArg(g.Results[0], tv), ref.Name, FormatArg(g.Results[0], rv))
			}
		}
		if info.memory != "" {
			tb, tok := ti.Memory(info.memory)
			rb, rok := ri.Memory(info.memory)
			if !tok || !rok {
				return mismatch("memory %q missing (%s %v, %s %v)", info.memory, test.Name, tok, ref.Name, rok)
			}
			if len(tb) != len(rb) {
				return mismatch("afterwards memory size: %s %d bytes, %s %d bytes", test.Name, len(tb), ref.Name, len(rb))
			}
			if k := firstDiff(tb, rb); k >= 0 {
				return mismatch("afterwards memory byte %#x: %s %#02x, %s %#02x", k, test.Name, tb[k], ref.Name, rb[k])
			}
		}
	}
	return o
}

func asUncaught(err error) *Uncaught {
	var u *Uncaught
	if errors.As(err, &u) {
		return u
	}
	return nil
}

// sameUncaught compares two uncaught exceptions of tag t.
func sameUncaught(t TagInfo, a, b *Uncaught) bool {
	if a.Tag != b.Tag || len(a.Payload) != len(b.Payload) || len(a.Payload) != len(t.Params) {
		return false
	}
	for i, p := range t.Params {
		if !sameValue(p, a.Payload[i], b.Payload[i]) {
			return false
		}
	}
	return true
}

// DiffTiebreak is Diff, and on a mismatch Diff again against tiebreak:
// if test agrees with tiebreak, the outcome is StatusRefDisagree (with
// the first comparison's detail).
func DiffTiebreak(seed int64, wasm []byte, test, ref, tiebreak Engine) Outcome {
	o := Diff(seed, wasm, test, ref)
	if o.Status != StatusMismatch {
		return o
	}
	if o2 := Diff(seed, wasm, test, tiebreak); o2.Status == StatusOK {
		o.Status = StatusRefDisagree
		o.Detail += fmt.Sprintf(" (%s agrees with %s)", test.Name, tiebreak.Name)
	}
	return o
}

func errOr(err error, res []uint64) string {
	if err != nil {
		return firstLine(err.Error())
	}
	return fmt.Sprintf("returned %#x", res)
}

func firstDiff(a, b []byte) int {
	if slices.Equal(a, b) {
		return -1
	}
	for i := range a {
		if a[i] != b[i] {
			return i
		}
	}
	return -1
}

func formatArgs(ts []byte, args []uint64) []string {
	s := make([]string, len(args))
	for i := range args {
		s[i] = FormatArg(ts[i], args[i])
	}
	return s
}

// Repro returns the commands that reproduce a mismatch of the module in
// file (a path relative to the bench module).
func Repro(file string, o Outcome) string {
	s := "cd bench && go test -run 'TestDiff_regressions' ."
	if !filepath.IsAbs(file) {
		file = filepath.Join("bench", file)
	}
	if o.Invoke == "" {
		s += fmt.Sprintf("\n  or: make build && bin/wfxc %s -o /tmp/out.o", file)
	} else {
		s += fmt.Sprintf("\n  or: make build && bin/wfxc run %s --invoke %s %s", file, o.Invoke, strings.Join(o.Args, " "))
	}
	return s
}

// Signature reduces a mismatch detail to its shape (numbers, the failing
// export and its arguments removed), to group mismatches likely caused by
// the same bug.
func Signature(detail string) string {
	detail = firstLine(detail)
	if i := strings.Index(detail, "): "); i >= 0 && strings.HasPrefix(detail, "run") {
		detail = detail[i+3:]
	}
	var b strings.Builder
	digits := false
	for _, c := range detail {
		isNum := c >= '0' && c <= '9' || digits && (c >= 'a' && c <= 'f' || c == 'x')
		if isNum && !digits {
			b.WriteByte('#')
		}
		digits = isNum
		if !isNum {
			b.WriteRune(c)
		}
	}
	return b.String()
}
