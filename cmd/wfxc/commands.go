package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"wfxc/compile"
	"wfxc/frontend"
	"wfxc/frontend/wat"
	"wfxc/ir"
	"wfxc/rt"
	"wfxc/rt/abi"
	"wfxc/testsuite"
)

// readModule reads a module file: binary, or text (.wat) which is parsed
// and encoded to binary first. For text, the source map locates errors
// found later (decoding, validation, compilation) at a line and column.
func readModule(path string) ([]byte, *wat.SourceMap, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	if bytes.HasPrefix(b, []byte("\x00asm")) {
		return b, nil, nil
	}
	if strings.HasSuffix(path, ".wasm") && !looksLikeText(b) {
		return b, nil, nil // binary with a bad header: let the decoder say so
	}
	wasm, sm, err := wat.ParseModuleMap(b, path)
	if err != nil {
		return nil, nil, err // already "file:line:col: message"
	}
	return wasm, sm, nil
}

// moduleError prefixes err with where it happened: file:line:col for text
// modules with a source map (the error's byte offset mapped back), else the
// file name.
func moduleError(path string, sm *wat.SourceMap, err error) error {
	off := -1
	var fe *frontend.Error
	var ue *frontend.UnsupportedError
	switch {
	case errors.As(err, &fe):
		off = fe.Offset
	case errors.As(err, &ue):
		off = ue.Offset
	}
	if sm != nil && off >= 0 {
		if line, col, ok := sm.Position(off); ok {
			msg := err.Error()
			if i := strings.Index(msg, ": "); i >= 0 && strings.HasPrefix(msg, "0x") {
				msg = msg[i+2:] // the byte offset is replaced by the position
			}
			return fmt.Errorf("%s:%d:%d: %s", path, line, col, msg)
		}
	}
	return fmt.Errorf("%s: %w", path, err)
}

// looksLikeText reports whether b starts like a text module.
func looksLikeText(b []byte) bool {
	t := bytes.TrimLeft(b, " \t\r\n")
	return bytes.HasPrefix(t, []byte("(")) || bytes.HasPrefix(t, []byte(";;"))
}

func cmdCompile(args []string, stdout io.Writer) error {
	fs, err := parseFlags(args, []string{"o", "target", "name", "header", "go-package", "d"}, nil)
	if err != nil {
		return err
	}
	if len(fs.pos) != 1 {
		return fmt.Errorf("want exactly one input module\n%s", usage)
	}
	in := fs.pos[0]
	wasm, sm, err := readModule(in)
	if err != nil {
		return err
	}
	name := fs.values["name"]
	if name == "" {
		name = moduleName(in)
	}
	opts := compile.Options{Name: name}
	if t := fs.values["target"]; t != "" {
		if opts.Target, err = abi.ParseArch(t); err != nil {
			return fmt.Errorf("--target: %w", err)
		}
	}
	for _, d := range strings.Split(fs.values["d"], ",") {
		switch {
		case d == "":
		case d == "ir":
			var mu sync.Mutex
			opts.DumpIR = func(f *ir.Func) {
				mu.Lock()
				defer mu.Unlock()
				fmt.Fprintln(stdout, f.String())
			}
		case d == "check":
			opts.CheckIR = true
		case strings.HasPrefix(d, "ir/") && strings.HasSuffix(d, "/dump"):
			pass := strings.TrimSuffix(strings.TrimPrefix(d, "ir/"), "/dump")
			if !knownPass(pass) {
				return fmt.Errorf("-d %s: no pass %q (passes: translate, %s)", d, pass, passNames())
			}
			if opts.DumpAfter == nil {
				opts.DumpAfter = map[string]bool{}
			}
			opts.DumpAfter[pass] = true
			opts.DumpTo = stdout
		default:
			return fmt.Errorf("unknown debug option -d %s (want ir, check or ir/<pass>/dump, comma-separated)", d)
		}
	}
	res, err := compile.Compile(wasm, opts)
	if err != nil {
		return moduleError(in, sm, err)
	}
	out := fs.values["o"]
	gopkg := fs.values["go-package"]
	if out == "" && gopkg == "" {
		out = moduleName(in) + ".o"
	}
	if out != "" {
		if err := os.WriteFile(out, res.Object, 0o644); err != nil {
			return err
		}
	}
	if h := fs.values["header"]; h != "" {
		if err := writeHeader(h, res); err != nil {
			return err
		}
	}
	if gopkg != "" {
		if err := writeGoPackage(gopkg, res); err != nil {
			return err
		}
	}
	return nil
}

func cmdRun(args []string, stdout, stderr io.Writer) error {
	ra, err := parseRunArgs(args)
	if err != nil {
		return err
	}
	fn := ra.invoke
	wasm, sm, err := readModule(ra.module)
	if err != nil {
		return err
	}
	res, err := compile.Compile(wasm, compile.Options{Name: compile.SanitizeName(moduleName(ra.module)), Fuel: ra.limits.hasFuel})
	if err != nil {
		return moduleError(ra.module, sm, err)
	}
	mod, err := rt.LoadObject(res.Object)
	if err != nil {
		return err
	}
	if fn == "" {
		return runWASI(ra, mod, stdout, stderr)
	}
	store := rt.NewStore()
	defer store.Close()
	ra.limits.apply(store)
	inst, err := store.Instantiate(mod, runImports(mod.Descriptor(), stderr))
	if err != nil {
		return err
	}
	e, ok := inst.Export(fn)
	if !ok {
		return fmt.Errorf("run: no export %q", fn)
	}
	f, ok := e.(*rt.Func)
	if !ok {
		return fmt.Errorf("run: export %q is not a function", fn)
	}
	ft := f.Type()
	wargs := ra.rest
	if len(wargs) != len(ft.Params) {
		return fmt.Errorf("run: %s takes %d arguments, got %d", fn, len(ft.Params), len(wargs))
	}
	bits := make([]uint64, len(wargs))
	for i, a := range wargs {
		if bits[i], err = parseArg(ft.Params[i], a); err != nil {
			return fmt.Errorf("run: argument %d of %s: %q is not a valid %s", i, fn, a, typeName(ft.Params[i]))
		}
	}
	results, err := f.Call(bits...)
	if err != nil {
		var trap *rt.Trap
		if errors.As(err, &trap) {
			fmt.Fprintln(stderr, "trap:", trap.Message)
			fmt.Fprint(stderr, trap.Backtrace())
			return exitError{1}
		}
		return err
	}
	for i, t := range ft.Results {
		fmt.Fprintln(stdout, formatValue(t, results[i]))
	}
	return nil
}

// parseArg parses a decimal argument of type t into its bits.
func parseArg(t abi.ValType, s string) (uint64, error) {
	switch t.Code() {
	case 0x7F:
		if v, err := strconv.ParseInt(s, 10, 32); err == nil {
			return uint64(uint32(v)), nil
		}
		v, err := strconv.ParseUint(s, 10, 32)
		return v, err
	case 0x7E:
		if v, err := strconv.ParseInt(s, 10, 64); err == nil {
			return uint64(v), nil
		}
		return strconv.ParseUint(s, 10, 64)
	case 0x7D:
		v, err := strconv.ParseFloat(s, 32)
		return uint64(math.Float32bits(float32(v))), err
	case 0x7C:
		v, err := strconv.ParseFloat(s, 64)
		return math.Float64bits(v), err
	}
	return 0, fmt.Errorf("unsupported parameter type 0x%x", t.Code())
}

// typeName names a value type as the text format does.
func typeName(t abi.ValType) string {
	switch t.Code() {
	case 0x7F:
		return "i32"
	case 0x7E:
		return "i64"
	case 0x7D:
		return "f32"
	case 0x7C:
		return "f64"
	}
	return fmt.Sprintf("value of type 0x%x", t.Code())
}

// formatValue prints a result as TYPE:VALUE; integers as the unsigned
// decimal of their bits (like the spec test data), floats as their value.
func formatValue(t abi.ValType, bits uint64) string {
	switch t.Code() {
	case 0x7F:
		return fmt.Sprintf("i32:%d", uint32(bits))
	case 0x7E:
		return fmt.Sprintf("i64:%d", bits)
	case 0x7D:
		return "f32:" + strconv.FormatFloat(float64(math.Float32frombits(uint32(bits))), 'g', -1, 32)
	case 0x7C:
		return "f64:" + strconv.FormatFloat(math.Float64frombits(bits), 'g', -1, 64)
	}
	return fmt.Sprintf("0x%x:%d", t.Code(), bits)
}

func cmdWast(args []string, stdout, stderr io.Writer) error {
	fs, err := parseFlags(args, nil, []string{"v", "text"})
	if err != nil {
		return err
	}
	if len(fs.pos) == 0 {
		return fmt.Errorf("wast: want at least one script or directory")
	}
	var total testsuite.Result
	for _, root := range fs.pos {
		find := testsuite.FindScripts
		if fs.bools["text"] {
			find = testsuite.FindTextScripts
		}
		scripts, err := find(root)
		if err != nil {
			return err
		}
		keyRoot := root
		if st, err := os.Stat(root); err == nil && !st.IsDir() {
			keyRoot = strings.TrimSuffix(strings.TrimSuffix(root, filepath.Ext(root)), "/"+moduleName(root))
			keyRoot = keyRoot[:strings.LastIndex(keyRoot+"/", "/")]
		}
		results := testsuite.RunScripts(keyRoot, scripts, runtime.GOMAXPROCS(0))
		for _, r := range results {
			fmt.Fprintf(stdout, "%-50s %5d passed %5d failed %5d skipped\n", r.Key, r.Passed, r.Failed, r.Skipped)
			if fs.bools["v"] {
				for _, f := range r.Failures {
					fmt.Fprintln(stdout, "  FAIL", f)
				}
				for reason, n := range r.SkipReasons {
					fmt.Fprintf(stdout, "  SKIP %d × %s\n", n, reason)
				}
			}
			total.Passed += r.Passed
			total.Failed += r.Failed
			total.Skipped += r.Skipped
		}
	}
	fmt.Fprintf(stdout, "%d passed, %d failed, %d skipped\n", total.Passed, total.Failed, total.Skipped)
	if total.Failed > 0 {
		return exitError{1}
	}
	return nil
}

func cmdValidate(args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("validate: want at least one file")
	}
	failed := false
	for _, path := range args {
		wasm, sm, err := readModule(path)
		if err == nil {
			if _, err = frontend.DecodeAndValidate(wasm); err != nil && sm != nil {
				err = moduleError(path, sm, err)
			}
		}
		if err != nil {
			failed = true
			fmt.Fprintf(stdout, "%s: error: %v\n", path, err)
			continue
		}
		fmt.Fprintf(stdout, "%s: ok\n", path)
	}
	if failed {
		return exitError{1}
	}
	return nil
}

// runImports resolves the imports of `wfxc run`: the spectest module, and
// for any other function import a stub that prints its name and arguments
// and returns zeros.
func runImports(d *abi.Descriptor, w io.Writer) rt.Resolver {
	spec := testsuite.Spectest()
	stubs := map[[2]string]*rt.Func{}
	for _, im := range d.Imports {
		if im.Kind != abi.ExternFunc {
			continue
		}
		ft := d.Types[d.Funcs[im.Index].Type]
		module, name := im.Module, im.Name
		stubs[[2]string{module, name}] = rt.NewHostFunc(ft, func(args []uint64) ([]uint64, error) {
			parts := make([]string, len(args))
			for i, a := range args {
				parts[i] = formatValue(ft.Params[i], a)
			}
			fmt.Fprintf(w, "%s.%s(%s)\n", module, name, strings.Join(parts, ", "))
			return make([]uint64, len(ft.Results)), nil
		})
	}
	return rt.ResolverFunc(func(module, name string) (rt.Extern, bool) {
		if e, ok := spec.Resolve(module, name); ok {
			return e, true
		}
		f, ok := stubs[[2]string{module, name}]
		return f, ok
	})
}

// knownPass reports whether name is "translate" or a pass of ir.Passes.
func knownPass(name string) bool {
	if name == "translate" {
		return true
	}
	for _, p := range ir.Passes {
		if p.Name == name {
			return true
		}
	}
	return false
}

// passNames lists the IR passes.
func passNames() string {
	var names []string
	for _, p := range ir.Passes {
		names = append(names, p.Name)
	}
	return strings.Join(names, ", ")
}
