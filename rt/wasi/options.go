package wasi

import (
	"fmt"
	"os"
	"strings"
)

// Options are the command-line choices of a WASI program's environment,
// spelled as `wasmtime run` spells them:
//
//	--dir HOST[::GUEST]   preopen the host directory HOST as GUEST (default: HOST as given)
//	--env NAME=VALUE      set a variable; --env NAME copies NAME from the host, if set
//	--inherit-env         start from the whole host environment
//
// Each option also takes its value after '=' (--dir=.). `wfxc run` takes
// them before the module, executables of `wfxc build` before the program's
// own arguments.
type Options struct {
	Dirs       []Preopen
	Env        []string // NAME=VALUE, in the order given
	InheritEnv bool
}

// Parse consumes one option at the start of args and returns how many
// arguments it used: 0 when args[0] is none of the options.
func (o *Options) Parse(args []string) (int, error) {
	if len(args) == 0 || !strings.HasPrefix(args[0], "-") {
		return 0, nil
	}
	name, val, hasVal := strings.Cut(strings.TrimLeft(args[0], "-"), "=")
	used := 1
	switch name {
	case "inherit-env":
		if hasVal {
			return 0, fmt.Errorf("--inherit-env takes no value")
		}
		o.InheritEnv = true
		return used, nil
	case "dir", "env":
	default:
		return 0, nil
	}
	if !hasVal {
		if len(args) < 2 {
			return 0, fmt.Errorf("--%s needs a value", name)
		}
		val, used = args[1], 2
	}
	if name == "dir" {
		host, guest, ok := strings.Cut(val, "::")
		if !ok {
			guest = host
		}
		if host == "" || guest == "" {
			return 0, fmt.Errorf("--dir %q: want HOST or HOST::GUEST", val)
		}
		o.Dirs = append(o.Dirs, Preopen{Host: host, Guest: guest})
		return used, nil
	}
	if val == "" || val[0] == '=' {
		return 0, fmt.Errorf("--env %q: want NAME=VALUE or NAME", val)
	}
	if !strings.Contains(val, "=") {
		v, ok := os.LookupEnv(val)
		if !ok {
			return used, nil // like wasmtime: an unset host variable is left out
		}
		val += "=" + v
	}
	o.Env = append(o.Env, val)
	return used, nil
}

// Environ is the program's environment: the host's with InheritEnv, then
// the --env variables, a later one replacing an earlier one of that name.
func (o *Options) Environ() []string {
	var env []string
	if o.InheritEnv {
		env = os.Environ()
	}
	index := map[string]int{}
	for i, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		index[k] = i
	}
	for _, kv := range o.Env {
		k, _, _ := strings.Cut(kv, "=")
		if i, ok := index[k]; ok {
			env[i] = kv
			continue
		}
		index[k] = len(env)
		env = append(env, kv)
	}
	return env
}

// ParseLeading parses the options at the start of args, up to the first
// other argument or "--" (which is dropped), and returns the rest: the
// command line of an executable built by `wfxc build`.
func ParseLeading(args []string) (Options, []string, error) {
	var o Options
	for len(args) > 0 {
		if args[0] == "--" {
			return o, args[1:], nil
		}
		n, err := o.Parse(args)
		if err != nil {
			return o, nil, err
		}
		if n == 0 {
			break
		}
		args = args[n:]
	}
	return o, args, nil
}
