package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
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

func cmdCompile(args []string, stdout io.Writer) (err error) {
	fs, err := parseFlags(args, []string{"o", "target", "name", "header", "go-package", "d", "bounds", "cpu", "cpuprofile", "memprofile"}, nil)
	if err != nil {
		return err
	}
	if len(fs.pos) != 1 {
		return fmt.Errorf("want exactly one input module\n%s", usage)
	}
	compile.TuneGC()
	stop, err := startProfiles(fs.values["cpuprofile"], fs.values["memprofile"])
	if err != nil {
		return err
	}
	defer func() {
		if perr := stop(); err == nil {
			err = perr
		}
	}()
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
	if opts.Bounds, err = parseBounds(fs.values["bounds"]); err != nil {
		return err
	}
	if t := fs.values["target"]; t != "" {
		if opts.Target, err = abi.ParseArch(t); err != nil {
			return fmt.Errorf("--target: %w", err)
		}
	}
	if opts.CPU, err = parseCPU(opts.Target, fs.values["cpu"]); err != nil {
		return err
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
	var outs []output
	if out != "" {
		outs = append(outs, bytesOutput(out, res.Object))
	}
	if h := fs.values["header"]; h != "" {
		outs = append(outs, headerOutput(h, res))
	}
	if gopkg == "" {
		return writeOutputs(outs)
	}
	return writeGoPackage(gopkg, res, outs)
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
	bounds, err := parseBounds(ra.bounds)
	if err != nil {
		return fmt.Errorf("run: %w", err)
	}
	cpu, err := parseCPU("", ra.cpu)
	if err != nil {
		return fmt.Errorf("run: %w", err)
	}
	res, err := compile.Compile(wasm, compile.Options{Name: compile.SanitizeName(moduleName(ra.module)), Fuel: ra.limits.hasFuel, Bounds: bounds, CPU: cpu})
	if err != nil {
		return moduleError(ra.module, sm, err)
	}
	mod, err := rt.LoadObject(res.Object)
	if err != nil {
		return err
	}
	if fn == "" {
		return runWASI(ra, mod, sm, stdout, stderr)
	}
	store := rt.NewStore()
	defer store.Close()
	if err := ra.limits.apply(store); err != nil {
		return err
	}
	inst, err := store.Instantiate(mod, runImports(mod.Descriptor(), stdout, stderr))
	if err != nil {
		return reportInstantiateTrap(err, sm, stderr, 1)
	}
	return invoke(inst, fn, ra.rest, sm, stdout, stderr)
}

func cmdWast(args []string, stdout, stderr io.Writer) error {
	fs, err := parseFlags(args, []string{"bounds", "cpu"}, []string{"v", "text"})
	if err != nil {
		return err
	}
	if testsuite.Bounds, err = parseBounds(fs.values["bounds"]); err != nil {
		return err
	}
	if testsuite.CPU, err = parseCPU("", fs.values["cpu"]); err != nil {
		return err
	}
	if len(fs.pos) == 0 {
		return fmt.Errorf("wast: want at least one script or directory")
	}
	var total testsuite.Result
	for _, root := range fs.pos {
		scripts, err := findScripts(root, fs.bools["text"])
		if err != nil {
			return err
		}
		keyRoot := root
		if st, err := os.Stat(root); err == nil && !st.IsDir() {
			keyRoot = filepath.Dir(root)
		}
		results := testsuite.RunScripts(keyRoot, scripts, runtime.GOMAXPROCS(0))
		for i, r := range results {
			r.Key = scriptKey(root, scripts[i])
		}
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
func runImports(d *abi.Descriptor, stdout, w io.Writer) rt.Resolver {
	spec := spectestPrinting(testsuite.Spectest(), stdout)
	stubs := map[[2]string]*rt.Func{}
	for _, im := range d.Imports {
		if im.Kind != abi.ExternFunc {
			continue
		}
		ft := d.Types[d.Funcs[im.Index].Type]
		module, name := im.Module, im.Name
		stubs[[2]string{module, name}] = rt.NewHostFunc(ft, func(args []uint64) ([]uint64, error) {
			parts := formatValues(ft.Params, args, d.Types)
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
