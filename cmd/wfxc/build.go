package main

import (
	"debug/elf"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"wfxc/compile"
	"wfxc/frontend/wat"
	"wfxc/rt"
	"wfxc/rt/abi"
	"wfxc/rt/wasi"
)

// cmdBuild compiles a WASI command into a static executable that needs
// neither Go nor wfxc to run (app.go): a copy of this wfxc binary, or of
// the one --runtime names (a wfxc built for the other target), with the
// object appended. It refuses a module the executable could not run: one
// without a _start function, or with imports WASI does not provide.
func cmdBuild(args []string, stdout, stderr io.Writer) error {
	fs, err := parseFlags(args, []string{"o", "target", "runtime", "bounds", "cpu"}, nil)
	if err != nil {
		return err
	}
	if len(fs.pos) != 1 {
		return fmt.Errorf("build: want exactly one input module\n%s", usage)
	}
	in := fs.pos[0]
	out := fs.values["o"]
	if out == "" {
		out = moduleName(in)
	}
	target := abi.HostArch()
	if t := fs.values["target"]; t != "" {
		if target, err = abi.ParseArch(t); err != nil {
			return fmt.Errorf("build: --target: %w", err)
		}
	}
	runtimeExe, err := buildRuntime(fs.values["runtime"], target)
	if err != nil {
		return fmt.Errorf("build: %w", err)
	}
	wasm, sm, err := readModule(in)
	if err != nil {
		return err
	}
	bounds, err := parseBounds(fs.values["bounds"])
	if err != nil {
		return fmt.Errorf("build: %w", err)
	}
	cpu, err := parseCPU(target, fs.values["cpu"])
	if err != nil {
		return fmt.Errorf("build: %w", err)
	}
	res, err := compile.Compile(wasm, compile.Options{Name: compile.SanitizeName(moduleName(in)), Target: target, Bounds: bounds, CPU: cpu})
	if err != nil {
		return moduleError(in, sm, err)
	}
	if err := checkCommand(res.Descriptor); err != nil {
		return fmt.Errorf("build: %s: %w", in, err)
	}
	rf, err := os.Open(runtimeExe)
	if err != nil {
		return fmt.Errorf("build: %w", err)
	}
	defer rf.Close()
	_, base, err := readPayload(runtimeExe)
	if err != nil {
		return fmt.Errorf("build: %w", err)
	}
	return writeOutputs([]output{{path: out, mode: 0o755, write: func(w io.Writer) error {
		return appendPayload(w, io.LimitReader(rf, base), res.Object)
	}}})
}

// buildRuntime returns the wfxc executable whose copy runs the program:
// path (--runtime), or this one. It must be a static executable of the
// target's architecture.
func buildRuntime(path string, target abi.Arch) (string, error) {
	if path == "" {
		exe, err := os.Executable()
		if err != nil {
			return "", fmt.Errorf("cannot find the wfxc executable to copy: %w", err)
		}
		if target != abi.HostArch() {
			return "", fmt.Errorf("--target %s needs a wfxc executable for %s as --runtime FILE (this one is for %s); "+
				"make one with CGO_ENABLED=0 GOARCH=%s go build ./cmd/wfxc", target, target, abi.HostArch(), target.GOARCH())
		}
		path = exe
	}
	f, err := elf.Open(path)
	if err != nil {
		return "", fmt.Errorf("runtime %s: %w", path, err)
	}
	defer f.Close()
	if want := elfMachines[target]; f.Machine != want {
		return "", fmt.Errorf("runtime %s is for %v, want %v (--target %s)", path, f.Machine, want, target)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return "", fmt.Errorf("runtime %s is dynamically linked: build wfxc with CGO_ENABLED=0 for static executables", path)
		}
	}
	return path, nil
}

// checkCommand refuses a module that an executable of `wfxc build` could
// not run: without a _start function, or importing what WASI preview 1
// does not provide (the error names every such import).
func checkCommand(d *abi.Descriptor) error {
	hasStart := false
	for _, e := range d.Exports {
		if e.Name == "_start" && e.Kind == abi.ExternFunc {
			hasStart = true
		}
	}
	if !hasStart {
		return fmt.Errorf("not a WASI command: exports no _start function")
	}
	w, err := wasi.New(wasi.Config{})
	if err != nil {
		return err
	}
	defer w.Close()
	var missing []string
	for _, im := range d.Imports {
		e, ok := w.Resolve(im.Module, im.Name)
		if ok && im.Kind == abi.ExternFunc {
			f, isFunc := e.(*rt.Func)
			ok = isFunc && sameFuncType(f.Type(), d.Types[d.Funcs[im.Index].Type])
		}
		if !ok {
			missing = append(missing, fmt.Sprintf("%s.%s", im.Module, im.Name))
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("imports that WASI preview 1 does not provide (with that type): %s", strings.Join(missing, ", "))
	}
	return nil
}

// sameFuncType reports whether two signatures have the same value types.
func sameFuncType(a, b abi.FuncType) bool {
	return slices.Equal(a.Params, b.Params) && slices.Equal(a.Results, b.Results)
}

// runWASI runs a module's _start as a WASI command with the arguments,
// environment and preopened directories of the command line, and the
// process's stdio.
func runWASI(ra *runArgs, mod *rt.Module, sm *wat.SourceMap, stdout, stderr io.Writer) error {
	w, err := wasi.New(wasi.Config{Args: append([]string{ra.module}, ra.rest...), Env: ra.wasi.Environ(),
		Preopens: ra.wasi.Dirs, Stdin: stdin, Stdout: stdout, Stderr: stderr})
	if err != nil {
		return err
	}
	defer w.Close()
	store := rt.NewStore()
	defer store.Close()
	if err := checkCommand(mod.Descriptor()); err != nil {
		return fmt.Errorf("run: %s: %w", ra.module, err)
	}
	if err := ra.limits.apply(store); err != nil {
		return err
	}
	inst, err := store.Instantiate(mod, w)
	if err != nil {
		return reportInstantiateTrap(err, sm, stderr, 134)
	}
	code, err := wasi.Run(inst)
	if err != nil {
		return reportTrap(err, sm, stderr, 134)
	}
	if code != 0 {
		return exitError{int(code)}
	}
	return nil
}

// elfMachines is the ELF machine of each target.
var elfMachines = map[abi.Arch]elf.Machine{abi.X86_64: elf.EM_X86_64, abi.AArch64: elf.EM_AARCH64}
