package testsuite

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"wfxc/compile"
	"wfxc/frontend"
	"wfxc/rt"
)

// Result counts the commands of one script.
type Result struct {
	Key                     string
	Passed, Failed, Skipped int
	Failures                []string       // one line per failed command
	SkipReasons             map[string]int // why commands were skipped
}

func (r *Result) pass() { r.Passed++ }

func (r *Result) fail(c *Command, format string, args ...any) {
	r.Failed++
	r.Failures = append(r.Failures, fmt.Sprintf("%s:%d: %s: %s", r.Key, c.Line, c.Type, fmt.Sprintf(format, args...)))
}

func (r *Result) skip(reason string) {
	r.Skipped++
	if r.SkipReasons == nil {
		r.SkipReasons = map[string]int{}
	}
	r.SkipReasons[reason]++
}

// skipError means a command needs something not supported yet.
type skipError struct{ reason string }

func (e *skipError) Error() string { return "skipped: " + e.reason }

func skipf(format string, args ...any) error {
	return &skipError{reason: fmt.Sprintf(format, args...)}
}

// instance is a named instance of the script, or a placeholder for a module
// that could not be compiled because of an unsupported feature.
type instance struct {
	inst *rt.Instance
	skip string // non-empty: the module was skipped for this reason
}

type runner struct {
	dir      string
	key      string
	res      *Result
	store    *rt.Store
	current  *instance
	named    map[string]*instance
	registry map[string]*instance
	defs     map[string]*rt.Module
	lastDef  *rt.Module
	spectest *spectest
	compiled map[string]*rt.Module
	compErr  map[string]error
	binaries map[string]*Command // text scripts: modules by synthetic file name
}

// RunScript runs one script, JSON or text (.wast); root is the testdata root
// used to form the script key.
func RunScript(root, path string) *Result {
	key := ScriptKey(root, path)
	res := &Result{Key: key}
	read := ReadScript
	if isText(path) {
		read = ReadTextScript
	}
	s, err := read(path)
	if err != nil {
		res.Failed++
		res.Failures = append(res.Failures, fmt.Sprintf("%s: %v", key, err))
		return res
	}
	r := &runner{
		dir:      filepath.Dir(path),
		key:      key,
		res:      res,
		store:    rt.NewStore(),
		named:    map[string]*instance{},
		registry: map[string]*instance{},
		defs:     map[string]*rt.Module{},
		compiled: map[string]*rt.Module{},
		compErr:  map[string]error{},
		binaries: map[string]*Command{},
	}
	for i := range s.Commands {
		if c := &s.Commands[i]; c.Binary != nil || c.ParseErr != nil {
			r.binaries[c.Filename] = c
		}
	}
	defer r.store.Close()
	r.spectest = newSpectest()
	for i := range s.Commands {
		r.command(&s.Commands[i])
	}
	return res
}

// load compiles a module file (cached per script).
func (r *runner) load(file string) (*rt.Module, error) {
	if m, ok := r.compiled[file]; ok {
		return m, nil
	}
	if err, ok := r.compErr[file]; ok {
		return nil, err
	}
	m, err := r.compile(file)
	if err != nil {
		r.compErr[file] = err
		return nil, err
	}
	r.compiled[file] = m
	return m, nil
}

// readModule returns the bytes of a module file of the script.
func (r *runner) readModule(file string) ([]byte, error) {
	if c, ok := r.binaries[file]; ok {
		if c.ParseErr != nil {
			return nil, c.ParseErr
		}
		return c.Binary, nil
	}
	return os.ReadFile(filepath.Join(r.dir, file))
}

// Bounds is how the scripts' modules are bounds checked
// (compile.Options.Bounds; spectest's memory, from rt.NewMemory, suits
// both).
var Bounds compile.Bounds

// CPU is the CPU level the scripts' modules are compiled for
// (compile.Options.CPU).
var CPU string

func (r *runner) compile(file string) (*rt.Module, error) {
	wasm, err := r.readModule(file)
	if err != nil {
		return nil, err
	}
	res, err := compile.Compile(wasm, compile.Options{Name: "m", Bounds: Bounds, CPU: CPU})
	if err != nil {
		var u *frontend.UnsupportedError
		if errors.As(err, &u) || strings.Contains(err.Error(), "unsupported feature") {
			return nil, skipf("%s", unsupportedReason(err))
		}
		return nil, err
	}
	return rt.LoadObject(res.Object)
}

// unsupportedReason extracts "unsupported feature: X" from an error.
func unsupportedReason(err error) string {
	s := err.Error()
	if i := strings.Index(s, "unsupported feature: "); i >= 0 {
		return s[i:]
	}
	return s
}

func (r *runner) resolver() rt.Resolver {
	return rt.ResolverFunc(func(module, name string) (rt.Extern, bool) {
		if module == "spectest" {
			e, ok := r.spectest.exports[name]
			return e, ok
		}
		in, ok := r.registry[module]
		if !ok || in.inst == nil {
			return nil, false
		}
		return in.inst.Export(name)
	})
}

func (r *runner) instantiate(m *rt.Module) (*rt.Instance, error) {
	var imports rt.Resolver = r.resolver()
	// A skipped registered module surfaces as a skip, not a link error.
	for _, im := range m.Descriptor().Imports {
		if im.Module == "spectest" {
			continue
		}
		if in, ok := r.registry[im.Module]; ok && in.skip != "" {
			return nil, skipf("import from skipped module: %s", in.skip)
		}
	}
	return r.store.Instantiate(m, imports)
}

func (r *runner) command(c *Command) {
	err := r.exec(c)
	var se *skipError
	switch {
	case err == nil:
		r.res.pass()
	case errors.As(err, &se):
		r.res.skip(se.reason)
	default:
		r.res.fail(c, "%v", err)
	}
}

func (r *runner) target(name string) (*instance, error) {
	in := r.current
	if name != "" {
		in = r.named[name]
	}
	if in == nil {
		return nil, fmt.Errorf("no module %q", name)
	}
	if in.skip != "" {
		return nil, skipf("%s", in.skip)
	}
	if in.inst == nil {
		return nil, fmt.Errorf("module %q failed to instantiate", name)
	}
	return in, nil
}

func (r *runner) exec(c *Command) error {
	switch c.Type {
	case "module":
		in := &instance{}
		r.current = in
		if c.Name != "" {
			r.named[c.Name] = in
		}
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
		in := &instance{}
		r.current = in
		if c.Instance != "" {
			r.named[c.Instance] = in
		}
		if m == nil {
			in.skip = "instance of a skipped definition"
			return skipf("%s", in.skip)
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
			return skipf("%s", in.skip)
		}
		return nil
	case "action":
		_, err := r.action(c.Action)
		return err
	case "assert_return":
		return r.assertReturn(c)
	case "assert_trap", "assert_exhaustion":
		return r.assertTrap(c)
	case "assert_exception":
		_, err := r.action(c.Action)
		if err == nil {
			return fmt.Errorf("expected an uncaught exception, got a result")
		}
		var se *skipError
		var exn *rt.Exception
		switch {
		case errors.As(err, &se):
			return err
		case errors.As(err, &exn):
			return nil
		}
		return fmt.Errorf("expected an uncaught exception, got %v", err)
	case "assert_suspension":
		_, err := r.action(c.Action)
		var se *skipError
		if errors.As(err, &se) {
			return err
		}
		var trap *rt.Trap
		if errors.As(err, &trap) && strings.Contains(trap.Message, "unhandled") {
			return nil
		}
		return fmt.Errorf("expected an unhandled suspension, got %v", err)
	case "assert_invalid", "assert_malformed":
		if isReversed(r.key, c.Line) {
			return skipf(reversedReason)
		}
		if c.ParseErr != nil {
			return nil // the text did not parse: rejected
		}
		wasm, err := r.readModule(c.Filename)
		if err != nil {
			return err
		}
		if _, err := frontend.DecodeAndValidate(wasm); err == nil {
			return fmt.Errorf("module was accepted, want rejection %q", c.Text)
		}
		return nil
	case "assert_unlinkable", "assert_uninstantiable":
		m, err := r.load(c.Filename)
		if err != nil {
			return err
		}
		_, err = r.instantiate(m)
		if err == nil {
			return fmt.Errorf("instantiation succeeded, want %q", c.Text)
		}
		var se *skipError
		if errors.As(err, &se) {
			return err
		}
		var le *rt.LinkError
		isLink := errors.As(err, &le)
		if c.Type == "assert_unlinkable" && !isLink {
			return fmt.Errorf("want link error %q, got %v", c.Text, err)
		}
		if c.Type == "assert_uninstantiable" && isLink {
			return fmt.Errorf("want instantiation trap %q, got link error %v", c.Text, err)
		}
		return nil
	}
	return fmt.Errorf("unknown command type %q", c.Type)
}

// action performs an invoke or get and returns the raw results.
func (r *runner) action(a *Action) ([]uint64, error) {
	if a == nil {
		return nil, fmt.Errorf("command without action")
	}
	in, err := r.target(a.Module)
	if err != nil {
		return nil, err
	}
	e, ok := in.inst.Export(a.Field)
	if !ok {
		return nil, fmt.Errorf("no export %q", a.Field)
	}
	switch a.Type {
	case "get":
		g, ok := e.(*rt.Global)
		if !ok {
			return nil, fmt.Errorf("export %q is not a global", a.Field)
		}
		if t, _ := g.Type(); t.Code() == 0x7B {
			lo, hi := g.GetV128()
			return []uint64{lo, hi}, nil
		}
		if t, _ := g.Type(); t.Slots() != 1 || (t.Code() == 0x63 || t.Code() == 0x64) && t.Heap() != -0x10 && t.Heap() != -0x11 {
			return nil, skipf("value type of global")
		}
		return []uint64{g.Get()}, nil
	case "invoke":
		f, ok := e.(*rt.Func)
		if !ok {
			return nil, fmt.Errorf("export %q is not a function", a.Field)
		}
		args := make([]uint64, 0, len(a.Args))
		for _, v := range a.Args {
			bits, err := argSlots(v)
			if err != nil {
				var uv errUnsupportedValue
				if errors.As(err, &uv) {
					return nil, skipf("argument of type %s", uv.typ)
				}
				return nil, err
			}
			args = append(args, bits...)
		}
		return f.Call(args...)
	}
	return nil, fmt.Errorf("unknown action %q", a.Type)
}

func (r *runner) assertReturn(c *Command) error {
	for _, w := range append(append([]Value(nil), c.Expected...), c.Either...) {
		if _, ok := valTypeOf(w.Type); !ok {
			// Check before running: the runner cannot compare this type yet.
			if _, err := r.target(c.Action.Module); err != nil {
				return err
			}
			return skipf("result of type %s", w.Type)
		}
	}
	got, err := r.action(c.Action)
	if err != nil {
		return err
	}
	if len(c.Either) > 0 {
		for _, w := range c.Either {
			if len(got) == slotCount(w.Type) {
				if ok, _ := matchSlots(w, got); ok {
					return nil
				}
			}
		}
		if len(got) != slotCount(c.Either[0].Type) {
			return fmt.Errorf("got %d result slots, want %d", len(got), slotCount(c.Either[0].Type))
		}
		return fmt.Errorf("result %s matches none of the alternatives", formatSlots(c.Either[0], got))
	}
	n := 0
	for _, w := range c.Expected {
		n += slotCount(w.Type)
	}
	if len(got) != n {
		return fmt.Errorf("got %d result slots, want %d", len(got), n)
	}
	k := 0
	for i, w := range c.Expected {
		g := got[k : k+slotCount(w.Type)]
		k += len(g)
		ok, err := matchSlots(w, g)
		if err != nil {
			return err
		}
		if !ok {
			s, _ := w.Scalar()
			if w.Type == "v128" {
				s = string(w.Value)
			}
			return fmt.Errorf("result %d: got %s, want %s:%s", i, formatSlots(w, g), w.Type, s)
		}
	}
	return nil
}

func (r *runner) assertTrap(c *Command) error {
	got, err := r.action(c.Action)
	if err == nil {
		return fmt.Errorf("want trap %q, got results %v", c.Text, got)
	}
	var se *skipError
	if errors.As(err, &se) {
		return err
	}
	var trap *rt.Trap
	if !errors.As(err, &trap) {
		return fmt.Errorf("want trap %q, got error %v", c.Text, err)
	}
	if !strings.HasPrefix(trap.Message, c.Text) && !strings.HasPrefix(c.Text, trap.Message) {
		return fmt.Errorf("trap %q, want %q", trap.Message, c.Text)
	}
	return nil
}

// RunScripts runs scripts with up to workers in parallel and returns their
// results in the order of scripts.
func RunScripts(root string, scripts []string, workers int) []*Result {
	out := make([]*Result, len(scripts))
	if workers < 1 {
		workers = 1
	}
	next := make(chan int)
	done := make(chan struct{})
	for w := 0; w < workers; w++ {
		go func() {
			for i := range next {
				out[i] = RunScript(root, scripts[i])
			}
			done <- struct{}{}
		}()
	}
	for i := range scripts {
		next <- i
	}
	close(next)
	for w := 0; w < workers; w++ {
		<-done
	}
	return out
}

// Spectest returns a resolver for the spectest host module alone.
func Spectest() rt.Resolver {
	s := newSpectest()
	return rt.ResolverFunc(func(module, name string) (rt.Extern, bool) {
		if module != "spectest" {
			return nil, false
		}
		e, ok := s.exports[name]
		return e, ok
	})
}
