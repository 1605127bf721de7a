// Package bench runs wasm modules on wfxc and on wazero side by side: the
// benchmark kernels of examples/kernels (run time and compile time against
// wazero's optimizing compiler) and the differential test of generated
// modules (results and traps against wazero's interpreter).
//
// Every engine is seen through the same three small interfaces (Engine,
// Module, Instance) that speak raw uint64 bits, so a harness never cares
// which engine it drives. Errors from wfxc that say "unsupported" are
// reported as such by the callers instead of failing: wfxc is being built
// feature by feature.
package bench

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
)

// An Engine compiles wasm modules.
type Engine struct {
	Name    string
	Compile func(wasm []byte) (Module, error)
}

// A Module is a compiled module that can be instantiated repeatedly.
type Module interface {
	Instantiate() (Instance, error)
	Close()
}

// An Instance is an instantiated module.
type Instance interface {
	// Call calls an exported function with raw argument bits.
	Call(name string, args ...uint64) ([]uint64, error)
	// Memory returns the bytes of an exported memory (a view, not a copy).
	Memory(name string) ([]byte, bool)
	// Global returns the raw bits of an exported global.
	Global(name string) (uint64, bool)
	Close()
}

// WazeroCompiler is wazero's optimizing compiler.
var WazeroCompiler = Engine{Name: "wazero", Compile: func(wasm []byte) (Module, error) {
	return wazeroCompile(wasm, wazero.NewRuntimeConfigCompiler().WithCoreFeatures(wazeroFeatures))
}}

// wazeroFeatures are wasm 2.0 plus tail calls (gen Config.TailCalls).
const wazeroFeatures = api.CoreFeaturesV2 | experimental.CoreFeaturesTailCall

// WazeroInterpreter is wazero's interpreter, the reference of the
// differential test.
var WazeroInterpreter = Engine{Name: "wazero-interp", Compile: func(wasm []byte) (Module, error) {
	return wazeroCompile(wasm, wazero.NewRuntimeConfigInterpreter().WithCoreFeatures(wazeroFeatures))
}}

// ErrPanic marks an error made from a panic inside an engine.
var ErrPanic = errors.New("panic")

// IsUnsupported reports whether err says that wfxc lacks a feature (as
// opposed to a wrong result or a crash): an "unsupported" or "not
// implemented" error, or a runtime routine the runtime does not have yet
// ("unknown libcall").
func IsUnsupported(err error) bool {
	if err == nil || errors.Is(err, ErrPanic) {
		return false
	}
	s := strings.ToLower(err.Error())
	return strings.Contains(s, "unsupported") || strings.Contains(s, "not implemented") ||
		strings.Contains(s, "unknown libcall")
}

func catch(what string, err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%w in %s: %v\n%s", ErrPanic, what, r, debug.Stack())
	}
}

type wazeroModule struct {
	r  wazero.Runtime
	cm wazero.CompiledModule
}

func wazeroCompile(wasm []byte, cfg wazero.RuntimeConfig) (Module, error) {
	ctx := context.Background()
	r := wazero.NewRuntimeWithConfig(ctx, cfg)
	if hs, err := hostImports(wasm); err == nil && len(hs) > 0 {
		if err := wazeroImports(r, hs); err != nil {
			r.Close(ctx)
			return nil, err
		}
	}
	cm, err := r.CompileModule(ctx, wasm)
	if err != nil {
		r.Close(ctx)
		return nil, err
	}
	return &wazeroModule{r: r, cm: cm}, nil
}

func (m *wazeroModule) Instantiate() (Instance, error) {
	ctx := context.Background()
	mod, err := m.r.InstantiateModule(ctx, m.cm, wazero.NewModuleConfig().WithName(""))
	if err != nil {
		return nil, err
	}
	return &wazeroInstance{mod: mod}, nil
}

func (m *wazeroModule) Close() { m.r.Close(context.Background()) }

type wazeroInstance struct{ mod api.Module }

func (i *wazeroInstance) Call(name string, args ...uint64) ([]uint64, error) {
	f := i.mod.ExportedFunction(name)
	if f == nil {
		return nil, fmt.Errorf("no export %q", name)
	}
	return f.Call(context.Background(), args...)
}

func (i *wazeroInstance) Memory(name string) ([]byte, bool) {
	m := i.mod.ExportedMemory(name)
	if m == nil {
		return nil, false
	}
	return m.Read(0, m.Size())
}

func (i *wazeroInstance) Global(name string) (uint64, bool) {
	g := i.mod.ExportedGlobal(name)
	if g == nil {
		return 0, false
	}
	return g.Get(), true
}

func (i *wazeroInstance) Close() { i.mod.Close(context.Background()) }
