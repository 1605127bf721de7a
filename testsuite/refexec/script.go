package refexec

// A runner for the spec scripts of ../shared/testdata in the wast2json
// layout (see its README): one JSON command list and a .wasm per module. It
// validates the oracle itself: every command is passed or failed, and
// skipped only for a module that needs a feature outside the oracle
// (SIMD, GC objects) or when the caller's skip function says so (the Wasm
// 2.0 expectations that Wasm 3.0 reverses). The spec's host references
// `ref.extern N` are HostRef(N).

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"wfxc/frontend"
	"wfxc/testsuite"
)

// ScriptResult counts the commands of one script.
type ScriptResult struct {
	Passed, Failed, Skipped int
	Failures                []string       // one line per failed command
	SkipReasons             map[string]int // why commands were skipped
}

// The script format is testsuite's (../shared/testdata README §2).
type (
	scriptCommand = testsuite.Command
	scriptAction  = testsuite.Action
	scriptValue   = testsuite.Value
)

// skipError marks a command that needs a feature outside the oracle.
type skipError struct{ reason string }

func (e *skipError) Error() string { return "skipped: " + e.reason }

// scriptInstance is a named instance, or the reason its module was skipped.
type scriptInstance struct {
	inst *Instance
	skip string
}

type scriptRunner struct {
	dir      string
	store    *Store
	res      *ScriptResult
	skipLine func(line int) bool
	current  *scriptInstance
	named    map[string]*scriptInstance
	registry map[string]*scriptInstance
	defs     map[string]*Module
	lastDef  *Module
	modules  map[string]*Module
	modErr   map[string]error
	spectest map[string]Extern
}

// ScriptOptions configures RunScript.
type ScriptOptions struct {
	// SkipLine, when not nil, names the lines of assert_invalid and
	// assert_malformed commands to skip.
	SkipLine func(line int) bool
	// Print, when not nil, receives what the spectest print functions
	// print, one line per argument in the reference interpreter's form
	// ("42 : i32").
	Print io.Writer
}

// RunScript runs the JSON script at path with a fresh store.
func RunScript(path string, opt ScriptOptions) *ScriptResult {
	res := &ScriptResult{SkipReasons: map[string]int{}}
	sf, err := testsuite.ReadScript(path)
	if err != nil {
		res.Failed++
		res.Failures = append(res.Failures, err.Error())
		return res
	}
	r := &scriptRunner{
		dir:      filepath.Dir(path),
		store:    NewStore(Config{}),
		res:      res,
		skipLine: opt.SkipLine,
		named:    map[string]*scriptInstance{},
		registry: map[string]*scriptInstance{},
		defs:     map[string]*Module{},
		modules:  map[string]*Module{},
		modErr:   map[string]error{},
	}
	r.spectest = Spectest(r.store, opt.Print)
	for i := range sf.Commands {
		c := &sf.Commands[i]
		err := r.exec(c)
		var se *skipError
		switch {
		case err == nil:
			res.Passed++
		case errors.As(err, &se):
			res.Skipped++
			res.SkipReasons[se.reason]++
		default:
			res.Failed++
			res.Failures = append(res.Failures, fmt.Sprintf("line %d: %s: %v", c.Line, c.Type, err))
		}
	}
	return res
}

// Spectest returns the exports of the spec's `spectest` host module: print
// functions (printing to w, or nowhere when w is nil), globals holding 666,
// tables of 10 to 20 funcrefs (32- and 64-bit) and a memory of 1 to 2
// pages.
func Spectest(s *Store, w io.Writer) map[string]Extern {
	i32, i64 := frontend.I32, frontend.I64
	f32, f64 := frontend.F32, frontend.F64
	ex := map[string]Extern{}
	for name, ps := range map[string][]frontend.ValType{
		"print": nil, "print_i32": {i32}, "print_i64": {i64}, "print_f32": {f32}, "print_f64": {f64},
		"print_i32_f32": {i32, f32}, "print_f64_f64": {f64, f64},
	} {
		ex[name], _ = s.NewHostFunc(ps, nil, func(args []Value) ([]Value, error) {
			if w != nil {
				for i, a := range args {
					fmt.Fprintln(w, formatPrint(ps[i], a))
				}
			}
			return nil, nil
		})
	}
	ex["global_i32"], _ = s.NewGlobal(i32, false, I32(666))
	ex["global_i64"], _ = s.NewGlobal(i64, false, I64(666))
	ex["global_f32"], _ = s.NewGlobal(f32, false, F32(math.Float32bits(666.6)))
	ex["global_f64"], _ = s.NewGlobal(f64, false, F64(math.Float64bits(666.6)))
	ex["memory"], _ = s.NewMemory(frontend.Limits{Min: 1, Max: 2, HasMax: true})
	ex["table"], _ = s.NewTable(frontend.FuncRef, frontend.Limits{Min: 10, Max: 20, HasMax: true}, Value{})
	ex["table64"], _ = s.NewTable(frontend.FuncRef, frontend.Limits{Min: 10, Max: 20, HasMax: true, Is64: true}, Value{})
	return ex
}

// load compiles a module file of the script (cached).
func (r *scriptRunner) load(file string) (*Module, error) {
	if m, ok := r.modules[file]; ok {
		return m, nil
	}
	if err, ok := r.modErr[file]; ok {
		return nil, err
	}
	wasm, err := os.ReadFile(filepath.Join(r.dir, file))
	var m *Module
	if err == nil {
		m, err = Compile(wasm)
	}
	var ue *UnsupportedError
	if errors.As(err, &ue) {
		err = &skipError{ue.Error()}
	}
	if err != nil {
		r.modErr[file] = err
		return nil, err
	}
	r.modules[file] = m
	return m, nil
}

func (r *scriptRunner) resolve(module, name string) (Extern, bool) {
	if module == "spectest" {
		e, ok := r.spectest[name]
		return e, ok
	}
	in, ok := r.registry[module]
	if !ok || in.inst == nil {
		return nil, false
	}
	return in.inst.Export(name)
}

func (r *scriptRunner) instantiate(m *Module) (*Instance, error) {
	for _, im := range m.m.Imports {
		if in, ok := r.registry[im.Module]; ok && in.skip != "" {
			return nil, &skipError{"import from a skipped module: " + in.skip}
		}
	}
	return r.store.Instantiate(m, ResolverFunc(r.resolve))
}

func (r *scriptRunner) target(name string) (*Instance, error) {
	in := r.current
	if name != "" {
		in = r.named[name]
	}
	switch {
	case in == nil:
		return nil, fmt.Errorf("no module %q", name)
	case in.skip != "":
		return nil, &skipError{in.skip}
	case in.inst == nil:
		return nil, fmt.Errorf("module %q failed to instantiate", name)
	}
	return in.inst, nil
}

func (r *scriptRunner) newInstance(names ...string) *scriptInstance {
	in := &scriptInstance{}
	r.current = in
	for _, n := range names {
		if n != "" {
			r.named[n] = in
		}
	}
	return in
}

func (r *scriptRunner) exec(c *scriptCommand) error {
	switch c.Type {
	case "module":
		in := r.newInstance(c.Name)
		m, err := r.load(c.Filename)
		if err == nil {
			in.inst, err = r.instantiate(m)
		}
		var se *skipError
		if errors.As(err, &se) {
			in.skip = se.reason
		}
		return err
	case "module_definition":
		m, err := r.load(c.Filename)
		if err != nil {
			return err
		}
		r.lastDef = m
		if c.Name != "" {
			r.defs[c.Name] = m
		}
		return nil
	case "module_instance":
		m := r.lastDef
		if c.Module != "" {
			m = r.defs[c.Module]
		}
		in := r.newInstance(c.Instance)
		if m == nil {
			in.skip = "instance of a skipped definition"
			return &skipError{in.skip}
		}
		inst, err := r.instantiate(m)
		in.inst = inst
		return err
	case "register":
		in := r.current
		if c.Name != "" {
			in = r.named[c.Name]
		}
		if in == nil {
			return fmt.Errorf("register: no module %q", c.Name)
		}
		r.registry[c.As] = in
		if in.skip != "" {
			return &skipError{in.skip}
		}
		return nil
	case "action":
		_, err := r.action(c.Action)
		return err
	case "assert_return":
		return r.assertReturn(c)
	case "assert_trap", "assert_exhaustion":
		got, err := r.action(c.Action)
		var trap *Trap
		switch {
		case err == nil:
			return fmt.Errorf("want trap %q, got results %v", c.Text, got)
		case errors.As(err, new(*skipError)):
			return err
		case !errors.As(err, &trap):
			return fmt.Errorf("want trap %q, got %v", c.Text, err)
		case !strings.HasPrefix(trap.Msg, c.Text) && !strings.HasPrefix(c.Text, trap.Msg):
			return fmt.Errorf("trap %q, want %q", trap.Msg, c.Text)
		}
		return nil
	case "assert_exception":
		_, err := r.action(c.Action)
		if errors.As(err, new(*Exception)) || errors.As(err, new(*skipError)) {
			return err2skip(err)
		}
		return fmt.Errorf("want an uncaught exception, got %v", err)
	case "assert_suspension":
		_, err := r.action(c.Action)
		if errors.As(err, new(*Suspension)) || errors.As(err, new(*skipError)) {
			return err2skip(err)
		}
		return fmt.Errorf("want an unhandled suspension, got %v", err)
	case "assert_invalid", "assert_malformed":
		if r.skipLine != nil && r.skipLine(c.Line) {
			return &skipError{"Wasm 2.0 expectation reversed by Wasm 3.0"}
		}
		wasm, err := os.ReadFile(filepath.Join(r.dir, c.Filename))
		if err != nil {
			return err
		}
		if _, err := frontend.DecodeAndValidate(wasm); err == nil {
			return fmt.Errorf("module accepted, want rejection %q", c.Text)
		}
		return nil
	case "assert_unlinkable", "assert_uninstantiable":
		m, err := r.load(c.Filename)
		if err != nil {
			return err
		}
		_, err = r.instantiate(m)
		var le *LinkError
		switch {
		case err == nil:
			return fmt.Errorf("instantiation succeeded, want %q", c.Text)
		case errors.As(err, new(*skipError)):
			return err
		case c.Type == "assert_unlinkable" && !errors.As(err, &le):
			return fmt.Errorf("want link error %q, got %v", c.Text, err)
		case c.Type == "assert_uninstantiable" && errors.As(err, &le):
			return fmt.Errorf("want instantiation trap %q, got %v", c.Text, err)
		}
		return nil
	}
	return fmt.Errorf("unknown command type %q", c.Type)
}

// err2skip keeps a skip and turns the expected outcome into success.
func err2skip(err error) error {
	var se *skipError
	if errors.As(err, &se) {
		return se
	}
	return nil
}

func (r *scriptRunner) action(a *scriptAction) ([]Value, error) {
	if a == nil {
		return nil, errors.New("command without action")
	}
	in, err := r.target(a.Module)
	if err != nil {
		return nil, err
	}
	e, ok := in.Export(a.Field)
	if !ok {
		return nil, fmt.Errorf("no export %q", a.Field)
	}
	switch a.Type {
	case "get":
		g, ok := e.(*Global)
		if !ok {
			return nil, fmt.Errorf("export %q is not a global", a.Field)
		}
		return []Value{g.Get()}, nil
	case "invoke":
		f, ok := e.(*Func)
		if !ok {
			return nil, fmt.Errorf("export %q is not a function", a.Field)
		}
		args := make([]Value, len(a.Args))
		for i, v := range a.Args {
			if args[i], err = argValue(v); err != nil {
				return nil, err
			}
		}
		return r.store.Call(f, args...)
	}
	return nil, fmt.Errorf("unknown action %q", a.Type)
}

// argValue converts a script argument.
func argValue(v scriptValue) (Value, error) {
	s, ok := v.Scalar()
	switch v.Type {
	case "i32", "i64", "f32", "f64":
		n, err := strconv.ParseUint(s, 10, 64)
		if !ok || err != nil {
			return Value{}, fmt.Errorf("bad %s argument %q", v.Type, s)
		}
		return Value{Bits: n}, nil
	case "externref", "funcref", "exnref", "anyref":
		if !ok || s == "null" {
			return Value{}, nil
		}
		if v.Type != "externref" {
			return Value{}, &skipError{"non-null " + v.Type + " argument"}
		}
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return Value{}, fmt.Errorf("bad externref argument %q", s)
		}
		return Value{Ref: HostRef(n)}, nil
	}
	return Value{}, &skipError{"argument of type " + v.Type}
}

// matchValue checks a result against an expected value pattern.
func matchValue(want scriptValue, got Value) (bool, error) {
	s, ok := want.Scalar()
	switch want.Type {
	case "i32":
		w, err := strconv.ParseUint(s, 10, 64)
		return ok && err == nil && uint32(w) == uint32(got.Bits), nil
	case "i64":
		w, err := strconv.ParseUint(s, 10, 64)
		return ok && err == nil && w == got.Bits, nil
	case "f32":
		g := uint32(got.Bits)
		switch s {
		case "nan:canonical":
			return g&0x7fffffff == f32Canonical, nil
		case "nan:arithmetic":
			return g&f32Canonical == f32Canonical, nil
		}
		w, err := strconv.ParseUint(s, 10, 32)
		return ok && err == nil && uint32(w) == g, nil
	case "f64":
		switch s {
		case "nan:canonical":
			return got.Bits&^(1<<63) == f64Canonical, nil
		case "nan:arithmetic":
			return got.Bits&f64Canonical == f64Canonical, nil
		}
		w, err := strconv.ParseUint(s, 10, 64)
		return ok && err == nil && w == got.Bits, nil
	case "refnull", "nullfuncref", "nullexternref", "nullexnref", "nullref":
		return got.Ref == nil, nil
	case "externref":
		if !ok {
			_, isHost := got.Ref.(HostRef)
			return isHost, nil
		}
		if s == "null" {
			return got.Ref == nil, nil
		}
		n, err := strconv.ParseUint(s, 10, 64)
		return err == nil && got.Ref == HostRef(n), nil
	case "funcref", "exnref", "anyref":
		if ok && s == "null" {
			return got.Ref == nil, nil
		}
		if ok {
			return false, &skipError{want.Type + " value pattern " + s}
		}
		switch got.Ref.(type) {
		case *Func:
			return want.Type == "funcref", nil
		case *Exception:
			return want.Type == "exnref", nil
		}
		return false, nil
	}
	return false, &skipError{"result of type " + want.Type}
}

func (r *scriptRunner) assertReturn(c *scriptCommand) error {
	got, err := r.action(c.Action)
	if err != nil {
		return err
	}
	if len(c.Either) > 0 {
		if len(got) != 1 {
			return fmt.Errorf("got %d results, want 1", len(got))
		}
		for _, w := range c.Either {
			ok, err := matchValue(w, got[0])
			if err != nil {
				return err
			}
			if ok {
				return nil
			}
		}
		return fmt.Errorf("result %s matches none of the alternatives", formatValue(got[0]))
	}
	if len(got) != len(c.Expected) {
		return fmt.Errorf("got %d results, want %d", len(got), len(c.Expected))
	}
	for i, w := range c.Expected {
		ok, err := matchValue(w, got[i])
		if err != nil {
			return err
		}
		if !ok {
			s, _ := w.Scalar()
			return fmt.Errorf("result %d: got %s, want %s:%s", i, formatValue(got[i]), w.Type, s)
		}
	}
	return nil
}

// formatPrint formats a printed value as the reference interpreter does.
func formatPrint(t frontend.ValType, v Value) string {
	switch t.Code {
	case frontend.CodeI32:
		return fmt.Sprintf("%d : i32", int32(v.Bits))
	case frontend.CodeI64:
		return fmt.Sprintf("%d : i64", int64(v.Bits))
	case frontend.CodeF32:
		return fmt.Sprintf("%g : f32", math.Float32frombits(uint32(v.Bits)))
	}
	return fmt.Sprintf("%g : f64", math.Float64frombits(v.Bits))
}

func formatValue(v Value) string {
	if v.Ref != nil {
		return fmt.Sprintf("ref %T %v", v.Ref, v.Ref)
	}
	return fmt.Sprintf("bits %d (0x%x)", v.Bits, v.Bits)
}
