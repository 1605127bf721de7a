// Command wfxc compiles WebAssembly modules to native ELF objects.
//
//	wfxc app.wasm -o app.o [--target x86_64|aarch64] [--cpu x86-64-v2|x86-64-v3] [--header app.h] [--go-package DIR]
//	wfxc run app.wasm --invoke NAME [ARGS…]
//	wfxc run [--dir HOST[::GUEST]] [--env K=V] [--inherit-env] app.wasm [ARGS…]   (a WASI command)
//	wfxc build app.wasm -o app [--target T --runtime WFXC]  (a static executable of a WASI command)
//	wfxc wast PATH…
//	wfxc validate FILE…
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"wfxc/compile"
	"wfxc/rt/abi"
)

const usage = `usage:
  wfxc FILE.wasm -o FILE.o [--target x86_64|aarch64] [--name NAME] [--header FILE.h] [--go-package DIR]
       [-d ir|check|ir/<pass>/dump,...]   debugging: final IR, verify after every pass, IR after a pass
       [--cpuprofile FILE] [--memprofile FILE]   profiles of the compilation, for go tool pprof
       [--bounds explicit|guard]   bounds checks of 32-bit memories: guard pages (the default for
                                   x86_64: no checks; faults trap), or explicit compares (the
                                   default, and the only mode, for aarch64); also for run, build, wast
       [--cpu x86-64-v2|x86-64-v3]  the x86_64 CPU level the code may assume: v2 (the default:
                                   SSE4.2, SSSE3, POPCNT) or v3 (also BMI1, BMI2, LZCNT, AVX: TZCNT,
                                   LZCNT, BLSR, BLSI, ANDN, SHLX/SHRX/SARX, VEX SIMD); the object records it and
                                   the runtime refuses to load it on a CPU without them; not for
                                   aarch64; also for run, build, wast
  wfxc run [--bounds B] [--cpu L] FILE.wasm --invoke NAME [ARGS...]   call an export, print its results
  wfxc run [WASI-OPTIONS] [LIMITS] FILE.wasm [ARGS...]  run a WASI command (_start); ARGS: the program's
  wfxc build FILE.wasm [-o PROGRAM]            a static executable of a WASI command, which takes
                                               PROGRAM [WASI-OPTIONS] [LIMITS] [--] [ARGS...]; a copy
                                               of this wfxc with the object appended (no Go or
                                               linker needed); --target aarch64 --runtime WFXC
                                               copies WFXC, a wfxc built for aarch64, instead
     WASI-OPTIONS (as wasmtime's): --dir HOST[::GUEST] (preopen a directory, repeatable),
       --env NAME=VALUE or --env NAME (from the host; repeatable), --inherit-env (the whole
       host environment; by default the program sees none of it)
     LIMITS of wfxc run (before FILE.wasm), and of built programs but --fuel: --fuel N (compile
       with fuel metering and trap "all fuel consumed" after about N instructions), --timeout
       DURATION (e.g. 500ms: trap "interrupted"), --max-memory BYTES (memory.grow past it returns
       -1; a larger initial memory fails), --fibre-stack-size BYTES (each continuation's stack,
       default 1 MiB, a multiple of the page size from 64 KiB to 256 MiB; recursion deeper than
       it inside a continuation traps "call stack exhausted")
  wfxc wast [--text] [--bounds explicit|guard] [--cpu L] PATH... (a directory means every *.json script below it, or *.wast with --text)
  wfxc validate FILE...
`

// exitError carries an exit status without a message of its own.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

func main() {
	err := run(os.Args[1:], os.Stdout, os.Stderr)
	var ee exitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		os.Exit(ee.code)
	default:
		fmt.Fprintln(os.Stderr, "wfxc:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitError{2}
	}
	switch args[0] {
	case "run":
		return cmdRun(args[1:], stdout, stderr)
	case "build":
		return cmdBuild(args[1:], stdout, stderr)
	case "wast":
		return cmdWast(args[1:], stdout, stderr)
	case "validate":
		return cmdValidate(args[1:], stdout)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	case "compile":
		args = args[1:]
	}
	return cmdCompile(args, stdout)
}

// flagSet is a small order-independent flag parser: flags may come before
// or after the positional arguments, as users of compilers expect.
type flagSet struct {
	values map[string]string // flag → value
	bools  map[string]bool
	pos    []string
}

// parseCPU checks --cpu for code for target ("" is the host's): "" or a
// level abi.CPULevel knows.
func parseCPU(target abi.Arch, v string) (string, error) {
	if target == "" {
		target = abi.HostArch()
	}
	if _, err := abi.CPULevel(target, v); err != nil {
		return "", fmt.Errorf("--cpu: %w", err)
	}
	return v, nil
}

// parseBounds reads --bounds ("" is the target's default).
func parseBounds(v string) (compile.Bounds, error) {
	b, err := compile.ParseBounds(v)
	if err != nil {
		return 0, fmt.Errorf("--bounds: %q is neither explicit nor guard", v)
	}
	return b, nil
}

// parseFlags parses args; valued lists flags that take a value, boolean the
// ones that do not. "--" ends flag parsing.
func parseFlags(args []string, valued, boolean []string) (*flagSet, error) {
	fs := &flagSet{values: map[string]string{}, bools: map[string]bool{}}
	isValued := map[string]bool{}
	for _, v := range valued {
		isValued[v] = true
	}
	isBool := map[string]bool{}
	for _, b := range boolean {
		isBool[b] = true
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			fs.pos = append(fs.pos, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" || isNumber(a) {
			fs.pos = append(fs.pos, a)
			continue
		}
		name := strings.TrimLeft(a, "-")
		val, hasVal := "", false
		if j := strings.IndexByte(name, '='); j >= 0 {
			name, val, hasVal = name[:j], name[j+1:], true
		}
		switch {
		case isValued[name]:
			if !hasVal {
				if i+1 >= len(args) {
					return nil, fmt.Errorf("flag -%s needs a value", name)
				}
				i++
				val = args[i]
			}
			fs.values[name] = val
		case isBool[name]:
			fs.bools[name] = true
		default:
			return nil, fmt.Errorf("unknown flag %s\n%s", a, usage)
		}
	}
	return fs, nil
}

func isNumber(s string) bool {
	if len(s) < 2 {
		return false
	}
	c := s[1]
	return c >= '0' && c <= '9' || c == '.' || strings.HasPrefix(s, "-inf") || strings.HasPrefix(s, "-nan")
}

// moduleName derives a module name from a file name.
func moduleName(path string) string {
	base := filepath.Base(path)
	return strings.TrimSuffix(base, filepath.Ext(base))
}
