//go:build cgo

package fx

// wasmtime-go v39 has no setter for stack switching; the C API has one
// (wasmtime/config.h), called on the Config's pointer as bench's
// engine_wasmtime.go does for exceptions.

// #include <stdbool.h>
// void wasmtime_config_wasm_stack_switching_set(void *config, bool enable);
// void wasmtime_config_wasm_exceptions_set(void *config, bool enable);
import "C"

import (
	"fmt"
	"runtime"
	"strings"
	"time"
	"unsafe"

	"github.com/bytecodealliance/wasmtime-go/v39"
)

// wasmtimeFX compiles a WasmFX module on a Wasmtime engine with stack
// switching enabled (the prebuilt library refuses: it lacks the cargo
// feature) and instantiates it (no imports).
func wasmtimeFX(wasm []byte) (Runner, error) {
	cfg := wasmtime.NewConfig()
	c := *(*unsafe.Pointer)(unsafe.Pointer(cfg))
	C.wasmtime_config_wasm_stack_switching_set(c, true)
	C.wasmtime_config_wasm_exceptions_set(c, true) // tags
	cfg.SetWasmFunctionReferences(true)
	cfg.SetWasmTailCall(true)
	cfg.SetCraneliftOptLevel(wasmtime.OptLevelSpeed)
	eng := wasmtime.NewEngineWithConfig(cfg)
	mod, err := wasmtime.NewModule(eng, wasm)
	if err != nil {
		return nil, fmt.Errorf("wasmtime (stack switching on): %s", cause(err))
	}
	store := wasmtime.NewStore(eng)
	inst, err := wasmtime.NewInstance(store, mod, nil)
	if err != nil {
		return nil, fmt.Errorf("wasmtime: instantiate: %s", firstLine(err.Error()))
	}
	f := inst.GetFunc(store, "run")
	if f == nil {
		return nil, fmt.Errorf("wasmtime: no export run")
	}
	return &wasmtimeRunner{store, f}, nil
}

// cause is the first line of a Wasmtime error and its innermost cause
// (the last line of its "Caused by" list).
func cause(err error) string {
	msg, _, _ := strings.Cut(err.Error(), "\nStack backtrace:")
	lines := strings.Split(strings.TrimSpace(msg), "\n")
	last := strings.TrimSpace(lines[len(lines)-1])
	if len(lines) == 1 {
		return last
	}
	if _, rest, ok := strings.Cut(last, ": "); ok && last[0] >= '0' && last[0] <= '9' {
		last = rest // "1: message" in a numbered list
	}
	return lines[0] + ": " + last
}

type wasmtimeRunner struct {
	store *wasmtime.Store
	run   *wasmtime.Func
}

func (r *wasmtimeRunner) Time(n int64, reps int) ([]Timed, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var runs []Timed
	for range reps {
		c0, err := threadCPU()
		if err != nil {
			return nil, err
		}
		t0 := time.Now()
		v, err := r.run.Call(r.store, n)
		d := time.Since(t0)
		c1, _ := threadCPU()
		if err != nil {
			return nil, err
		}
		sum, ok := v.(int64)
		if !ok {
			return nil, fmt.Errorf("wasmtime: run returned %T", v)
		}
		runs = append(runs, Timed{sum, d, c1 - c0})
	}
	return runs, nil
}

func (r *wasmtimeRunner) Close() {}
