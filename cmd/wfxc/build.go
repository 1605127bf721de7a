package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"wfxc/compile"
	"wfxc/hostgen"
	"wfxc/rt"
	"wfxc/rt/wasi"
)

// cmdBuild compiles a WASI command into a static executable that needs
// neither Go nor wfxc to run: the object is linked through a generated Go
// main package (hostgen.WASIProgram) with CGO_ENABLED=0. Building needs the
// Go toolchain and the wfxc module source (found next to the wfxc binary,
// in a parent of the working directory, or at $WFXC_ROOT).
func cmdBuild(args []string, stdout, stderr io.Writer) error {
	fs, err := parseFlags(args, []string{"o"}, nil)
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
	if out, err = filepath.Abs(out); err != nil {
		return err
	}
	root, err := wfxcRoot()
	if err != nil {
		return fmt.Errorf("build: %w", err)
	}
	wasm, sm, err := readModule(in)
	if err != nil {
		return err
	}
	name := compile.SanitizeName(moduleName(in))
	res, err := compile.Compile(wasm, compile.Options{Name: name})
	if err != nil {
		return moduleError(in, sm, err)
	}
	dir, err := os.MkdirTemp("", "wfxc-build-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := hostgen.WASIProgram(dir, name, res.Object, res.Descriptor, root); err != nil {
		return err
	}
	return hostgen.BuildStatic(dir, out, stdout, stderr)
}

// wfxcRoot finds the source directory of the wfxc module.
func wfxcRoot() (string, error) {
	var starts []string
	if r := os.Getenv("WFXC_ROOT"); r != "" {
		starts = append(starts, r)
	}
	if exe, err := os.Executable(); err == nil {
		starts = append(starts, filepath.Dir(exe))
	}
	if wd, err := os.Getwd(); err == nil {
		starts = append(starts, wd)
	}
	for _, s := range starts {
		for d := s; ; d = filepath.Dir(d) {
			if b, err := os.ReadFile(filepath.Join(d, "go.mod")); err == nil && strings.HasPrefix(string(b), "module wfxc\n") {
				return d, nil
			}
			if filepath.Dir(d) == d {
				break
			}
		}
	}
	return "", errors.New("cannot find the wfxc module source (set WFXC_ROOT)")
}

// runWASI runs a module's _start as a WASI command with the arguments,
// environment and preopened directories of the command line, and the
// process's stdio.
func runWASI(ra *runArgs, mod *rt.Module, stdout, stderr io.Writer) error {
	w, err := wasi.New(wasi.Config{Args: append([]string{ra.module}, ra.rest...), Env: ra.wasi.Environ(),
		Preopens: ra.wasi.Dirs, Stdin: stdin, Stdout: stdout, Stderr: stderr})
	if err != nil {
		return err
	}
	defer w.Close()
	store := rt.NewStore()
	defer store.Close()
	ra.limits.apply(store)
	inst, err := store.Instantiate(mod, w.Chain(runImports(mod.Descriptor(), stderr)))
	if err != nil {
		return err
	}
	code, err := wasi.Run(inst)
	if err != nil {
		var trap *rt.Trap
		if errors.As(err, &trap) {
			fmt.Fprintln(stderr, "trap:", trap.Message)
			fmt.Fprint(stderr, trap.Backtrace())
			return exitError{134}
		}
		return err
	}
	if code != 0 {
		return exitError{int(code)}
	}
	return nil
}
