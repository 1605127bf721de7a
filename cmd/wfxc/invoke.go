package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"wfxc/frontend/wat"
	"wfxc/rt"
	"wfxc/rt/abi"
)

// invoke calls export fn of inst with the command-line arguments args and
// prints its results, one TYPE:VALUE per line. A trap prints "trap:", its
// message and a wasm backtrace (with text positions from sm, when the
// module was text), and exits with status 1.
func invoke(inst *rt.Instance, fn string, args []string, sm *wat.SourceMap, stdout, stderr io.Writer) error {
	e, ok := inst.Export(fn)
	if !ok {
		return fmt.Errorf("run: no export %q", fn)
	}
	f, ok := e.(*rt.Func)
	if !ok {
		return fmt.Errorf("run: export %q is not a function", fn)
	}
	ft := f.Type()
	types := inst.Module().Descriptor().Types
	if len(args) != len(ft.Params) {
		return fmt.Errorf("run: %s takes %d arguments, got %d", fn, len(ft.Params), len(args))
	}
	var slots []uint64
	for i, a := range args {
		s, err := parseArg(ft.Params[i], a, types)
		if err != nil {
			return fmt.Errorf("run: argument %d of %s: %q is not a valid %s: %v", i, fn, a, typeName(ft.Params[i]), err)
		}
		slots = append(slots, s...)
	}
	results, err := f.Call(slots...)
	if err != nil {
		return reportTrap(err, sm, stderr, 1)
	}
	for _, v := range formatValues(ft.Results, results, types) {
		fmt.Fprintln(stdout, v)
	}
	return nil
}

// formatValues formats the values of types ts from their slots.
func formatValues(ts []abi.ValType, slots []uint64, types []abi.FuncType) []string {
	out := make([]string, 0, len(ts))
	for _, t := range ts {
		n := t.SlotsIn(types)
		if n > len(slots) {
			break
		}
		out = append(out, formatValue(t, slots[:n]))
		slots = slots[n:]
	}
	return out
}

// reportTrap prints a trap (from a call, a start function or a data or
// element segment) as `trap: MESSAGE` and its wasm backtrace, each frame
// with its file.wat:LINE:COL when sm (the text's source map) is not nil,
// and returns exit status code; other errors are returned as they are.
func reportTrap(err error, sm *wat.SourceMap, stderr io.Writer, code int) error {
	var trap *rt.Trap
	if !errors.As(err, &trap) {
		return err
	}
	fmt.Fprintln(stderr, "trap:", trap.Message)
	fmt.Fprint(stderr, trap.BacktraceAt(sourcePosition(sm)))
	return exitError{code}
}

// sourcePosition returns the function that locates a frame in the text
// whose source map is sm ("file.wat:LINE:COL"), or nil without one.
func sourcePosition(sm *wat.SourceMap) func(rt.Frame) string {
	if sm == nil {
		return nil
	}
	return func(f rt.Frame) string {
		if f.WasmOff == 0 {
			return ""
		}
		line, col, ok := sm.Position(int(f.WasmOff))
		if !ok {
			return ""
		}
		return fmt.Sprintf("%s:%d:%d", sm.File, line, col)
	}
}

// reportInstantiateTrap is reportTrap for an instantiation: a trap in the
// start function has its backtrace; one while copying an active element or
// data segment into its table or memory has no wasm frames, and says so.
func reportInstantiateTrap(err error, sm *wat.SourceMap, stderr io.Writer, code int) error {
	var trap *rt.Trap
	if !errors.As(err, &trap) {
		return err
	}
	fmt.Fprintln(stderr, "trap:", trap.Message)
	if len(trap.Frames) == 0 {
		fmt.Fprintln(stderr, "while instantiating: in an active element or data segment")
		return exitError{code}
	}
	fmt.Fprintln(stderr, "while instantiating: in the start function")
	fmt.Fprint(stderr, trap.BacktraceAt(sourcePosition(sm)))
	return exitError{code}
}

// spectestPrinting is the spectest host module with print functions that
// print their arguments to w, one "VALUE : TYPE" line each, as the
// reference interpreter does.
func spectestPrinting(spec rt.Resolver, w io.Writer) rt.Resolver {
	printers := map[string]*rt.Func{}
	for _, name := range []string{"print", "print_i32", "print_i64", "print_f32", "print_f64", "print_i32_f32", "print_f64_f64"} {
		e, ok := spec.Resolve("spectest", name)
		f, isFunc := e.(*rt.Func)
		if !ok || !isFunc {
			continue
		}
		ft := f.Type()
		printers[name] = rt.NewHostFunc(ft, func(args []uint64) ([]uint64, error) {
			for _, v := range formatValues(ft.Params, args, nil) {
				t, val, _ := strings.Cut(v, ":")
				fmt.Fprintf(w, "%s : %s\n", val, t)
			}
			return make([]uint64, len(ft.Results)), nil
		})
	}
	return rt.ResolverFunc(func(module, name string) (rt.Extern, bool) {
		if f, ok := printers[name]; ok && module == "spectest" {
			return f, true
		}
		return spec.Resolve(module, name)
	})
}
