package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"wfxc/rt/wasi"
)

// stdin is what `wfxc run` gives a WASI command as standard input
// (replaced by tests).
var stdin io.Reader = os.Stdin

// runArgs is the command line of `wfxc run`, parsed as wasmtime's: the
// options come before the module, and everything after the module is the
// program's (for a WASI command) or --invoke and the export's arguments.
type runArgs struct {
	wasi   wasi.Options
	limits limitFlags // --fuel, --timeout, --max-memory, --fibre-stack-size (limitflags.go)
	invoke string     // export to call; "" runs _start
	bounds string     // --bounds: explicit or guard ("" the default)
	cpu    string     // --cpu: a CPU level ("" the default)
	module string     // the module's path
	rest   []string   // the program's arguments, or the export's
}

// parseRunArgs parses `wfxc run` arguments. --invoke may also follow the
// module (wfxc run m.wasm --invoke f 1 2), as before WASI options existed.
func parseRunArgs(args []string) (*runArgs, error) {
	r := &runArgs{}
	i := 0
	for i < len(args) && r.module == "" {
		a := args[i]
		if a == "--" {
			i++
			if i < len(args) {
				r.module = args[i]
				i++
			}
			break
		}
		if n, err := r.wasi.Parse(args[i:]); err != nil {
			return nil, fmt.Errorf("run: %w", err)
		} else if n > 0 {
			i += n
			continue
		}
		if n, err := r.limits.Parse(args[i:]); err != nil {
			return nil, fmt.Errorf("run: %w", err)
		} else if n > 0 {
			i += n
			continue
		}
		if n, err := parseInvoke(args[i:], &r.invoke); err != nil {
			return nil, err
		} else if n > 0 {
			i += n
			continue
		}
		if n, err := parseValued(args[i:], "bounds", &r.bounds); err != nil {
			return nil, err
		} else if n > 0 {
			i += n
			continue
		}
		if n, err := parseValued(args[i:], "cpu", &r.cpu); err != nil {
			return nil, err
		} else if n > 0 {
			i += n
			continue
		}
		if strings.HasPrefix(a, "-") && a != "-" {
			return nil, fmt.Errorf("unknown flag %s\n%s", a, usage)
		}
		r.module = a
		i++
	}
	if r.module == "" {
		return nil, fmt.Errorf("run: want a module\n%s", usage)
	}
	rest := args[i:]
	if r.invoke == "" {
		if n, err := parseInvoke(rest, &r.invoke); err != nil {
			return nil, err
		} else if n > 0 {
			rest = rest[n:]
		}
	}
	if r.invoke != "" && len(rest) > 0 && rest[0] == "--" {
		rest = rest[1:]
	}
	if r.invoke != "" && (len(r.wasi.Dirs) > 0 || len(r.wasi.Env) > 0 || r.wasi.InheritEnv) {
		return nil, fmt.Errorf("run: --dir, --env and --inherit-env are for WASI commands, not --invoke")
	}
	r.rest = rest
	return r, nil
}

// parseInvoke consumes "--invoke NAME" (or --invoke=NAME) at the start of
// args into name and returns how many arguments it used.
func parseInvoke(args []string, name *string) (int, error) {
	return parseValued(args, "invoke", name)
}

// parseValued consumes "--FLAG VALUE" (or --FLAG=VALUE) at the start of
// args into val and returns how many arguments it used.
func parseValued(args []string, flag string, val *string) (int, error) {
	if len(args) == 0 {
		return 0, nil
	}
	f, v, hasVal := strings.Cut(strings.TrimLeft(args[0], "-"), "=")
	if f != flag || !strings.HasPrefix(args[0], "-") {
		return 0, nil
	}
	if hasVal {
		*val = v
		return 1, nil
	}
	if len(args) < 2 {
		return 0, fmt.Errorf("flag -%s needs a value", flag)
	}
	*val = args[1]
	return 2, nil
}
