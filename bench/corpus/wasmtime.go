//go:build cgo

package corpus

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/bytecodealliance/wasmtime-go/v39"
)

// WasmtimeAvailable reports whether this build links Wasmtime (cgo).
const WasmtimeAvailable = true

var (
	wtOnce   sync.Once
	wtEngine *wasmtime.Engine
)

// wasmtimeEngine is Wasmtime 39 as configured by default (Cranelift,
// opt level speed, parallel compilation): what `wasmtime run` does.
func wasmtimeEngine() *wasmtime.Engine {
	wtOnce.Do(func() {
		if _, ok := os.LookupEnv("RUST_LIB_BACKTRACE"); !ok {
			os.Setenv("RUST_LIB_BACKTRACE", "0")
		}
		cfg := wasmtime.NewConfig()
		cfg.SetCraneliftOptLevel(wasmtime.OptLevelSpeed)
		wtEngine = wasmtime.NewEngineWithConfig(cfg)
	})
	return wtEngine
}

// Wasmtime is Wasmtime 39 through wasmtime-go's prebuilt C library with
// its WASI; each run is a new store, linker and instance.
var Wasmtime = Engine{Name: "wasmtime", Prepare: func(b *Builder, p Program) (Runner, error) {
	wasm, err := Wasm(p.Name)
	if err != nil {
		return nil, err
	}
	m, err := wasmtime.NewModule(wasmtimeEngine(), wasm)
	if err != nil {
		return nil, fmt.Errorf("wasmtime: %s: %w", p.Name, err)
	}
	return &wasmtimeRunner{m: m, name: p.Name, dir: b.Dir}, nil
}}

// WasmtimeCompile compiles wasm with Wasmtime (for the compile-time
// measurement).
func WasmtimeCompile(wasm []byte) error {
	_, err := wasmtime.NewModule(wasmtimeEngine(), wasm)
	return err
}

type wasmtimeRunner struct {
	m    *wasmtime.Module
	name string
	dir  string
}

func (w *wasmtimeRunner) Close() {}

func (w *wasmtimeRunner) Run(args []string) (Result, error) {
	stdout := filepath.Join(w.dir, w.name+".wasmtime.out")
	stderr := filepath.Join(w.dir, w.name+".wasmtime.err")
	var res Result
	var err error
	res.Wall, res.CPU, err = timed(func() error {
		cfg := wasmtime.NewWasiConfig()
		cfg.SetArgv(append([]string{w.name}, args...))
		if err := cfg.SetStdoutFile(stdout); err != nil {
			return err
		}
		if err := cfg.SetStderrFile(stderr); err != nil {
			return err
		}
		store := wasmtime.NewStore(wasmtimeEngine())
		defer store.Close()
		store.SetWasi(cfg)
		l := wasmtime.NewLinker(wasmtimeEngine())
		defer l.Close()
		if err := l.DefineWasi(); err != nil {
			return err
		}
		inst, err := l.Instantiate(store, w.m)
		if err != nil {
			return err
		}
		start := inst.GetFunc(store, "_start")
		if start == nil {
			return errors.New("no _start")
		}
		_, err = start.Call(store)
		var we *wasmtime.Error
		if errors.As(err, &we) {
			if code, ok := we.ExitStatus(); ok && code == 0 {
				return nil
			}
		}
		return err
	})
	out, rerr := os.ReadFile(stdout)
	res.Out = out
	if err == nil {
		err = rerr
	}
	if err != nil {
		msg, _ := os.ReadFile(stderr)
		return res, fmt.Errorf("wasmtime: %s: %w\n%s", w.name, err, tail(msg))
	}
	return res, nil
}
