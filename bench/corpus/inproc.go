package corpus

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"syscall"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
	"github.com/tetratelabs/wazero/sys"

	"wfxc/compile"
	"wfxc/rt"
	"wfxc/rt/wasi"
)

// rusageThread is Linux's RUSAGE_THREAD, which package syscall lacks.
const rusageThread = 1

// threadCPU is the CPU time (user and system) of the calling thread.
func threadCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// timed runs f on a locked thread and returns its wall and thread CPU
// time.
func timed(f func() error) (wall, cpu time.Duration, err error) {
	defer lockThread()()
	c0, t0 := threadCPU(), time.Now()
	err = f()
	return time.Since(t0), threadCPU() - c0, err
}

// Wazero is wazero's optimizing compiler with its WASI; each run is an
// instantiation (which runs _start) in the runtime that compiled it.
var Wazero = Engine{Name: "wazero", Prepare: func(b *Builder, p Program) (Runner, error) {
	wasm, err := Wasm(p.Name)
	if err != nil {
		return nil, err
	}
	ctx := context.Background()
	r := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigCompiler())
	wasi_snapshot_preview1.MustInstantiate(ctx, r)
	cm, err := r.CompileModule(ctx, wasm)
	if err != nil {
		r.Close(ctx)
		return nil, fmt.Errorf("wazero: %s: %w", p.Name, err)
	}
	return &wazeroRunner{r: r, cm: cm, name: p.Name}, nil
}}

type wazeroRunner struct {
	r    wazero.Runtime
	cm   wazero.CompiledModule
	name string
}

func (w *wazeroRunner) Close() { w.r.Close(context.Background()) }

func (w *wazeroRunner) Run(args []string) (Result, error) {
	ctx := context.Background()
	var out, errb bytes.Buffer
	cfg := wazero.NewModuleConfig().WithName("").WithArgs(append([]string{w.name}, args...)...).
		WithStdout(&out).WithStderr(&errb)
	var res Result
	var err error
	res.Wall, res.CPU, err = timed(func() error {
		m, err := w.r.InstantiateModule(ctx, w.cm, cfg)
		if m != nil {
			m.Close(ctx)
		}
		return err
	})
	res.Out = out.Bytes()
	var exit *sys.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 0 {
		err = nil
	}
	if err != nil {
		return res, fmt.Errorf("wazero: %s: %w\n%s", w.name, err, tail(errb.Bytes()))
	}
	return res, nil
}

// WfxcInProcess is wfxc as a library: compile.Compile, rt.LoadObject and
// rt/wasi in this process (the test's engine: no executable to build).
var WfxcInProcess = Engine{Name: "wfxc-lib", Prepare: func(b *Builder, p Program) (Runner, error) {
	wasm, err := Wasm(p.Name)
	if err != nil {
		return nil, err
	}
	res, err := compile.Compile(wasm, compile.Options{Name: p.Name})
	if err != nil {
		return nil, fmt.Errorf("wfxc: %s: compile: %w", p.Name, err)
	}
	mod, err := rt.LoadObject(res.Object)
	if err != nil {
		return nil, fmt.Errorf("wfxc: %s: rt.LoadObject: %w", p.Name, err)
	}
	return &wfxcRunner{mod: mod, name: p.Name}, nil
}}

type wfxcRunner struct {
	mod  *rt.Module
	name string
}

func (w *wfxcRunner) Close() {}

func (w *wfxcRunner) Run(args []string) (Result, error) {
	var out, errb bytes.Buffer
	var res Result
	var err error
	res.Wall, res.CPU, err = timed(func() error {
		env, err := wasi.New(wasi.Config{Args: append([]string{w.name}, args...), Stdout: &out, Stderr: &errb})
		if err != nil {
			return err
		}
		defer env.Close()
		s := rt.NewStore()
		defer s.Close()
		inst, err := s.Instantiate(w.mod, env)
		if err != nil {
			return err
		}
		start := inst.Func("_start")
		if start == nil {
			return errors.New("no _start")
		}
		_, err = start.Call()
		return err
	})
	res.Out = out.Bytes()
	var exit *wasi.ExitError
	if errors.As(err, &exit) && exit.Code == 0 {
		err = nil
	}
	if err != nil {
		return res, fmt.Errorf("wfxc: %s: %w\n%s", w.name, err, tail(errb.Bytes()))
	}
	return res, nil
}
