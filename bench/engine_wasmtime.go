//go:build cgo

package bench

// wasmtime-go v39 has no setter for the exceptions proposal; the C API
// has one (wasmtime/config.h), which this calls on the Config's pointer.
// The symbol comes from the libwasmtime.a that wasmtime-go links.

// #include <stdbool.h>
// void wasmtime_config_wasm_exceptions_set(void *config, bool enable);
import "C"

import (
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"sync"
	"unsafe"

	"github.com/bytecodealliance/wasmtime-go/v39"

	"wfxc/frontend"
)

// Wasmtime is Wasmtime 39 (Cranelift, through wasmtime-go's prebuilt C
// library) with exceptions, tail calls and typed function references
// enabled. It has no stack switching: the prebuilt library leaves that
// feature out. Host functions cannot throw wasm exceptions (the C API
// has no exception values); uncaught exceptions of exported tags are
// reported as Uncaught through a catch wrapper (engine_wasmtime_wrap.go).
var Wasmtime = Engine{Name: "wasmtime", Compile: wasmtimeCompile}

// WasmtimeAvailable reports whether this build links Wasmtime (it needs
// cgo).
const WasmtimeAvailable = true

var (
	wtOnce   sync.Once
	wtEngine *wasmtime.Engine
)

// wasmtimeEngine returns the process's one Wasmtime engine (creating an
// engine is costly; modules and stores are not shared between calls).
func wasmtimeEngine() *wasmtime.Engine {
	wtOnce.Do(func() {
		// Under RUST_BACKTRACE=1 every Wasmtime error (each trap) captures
		// a Rust backtrace through the whole wasm stack: a module that
		// traps after deep recursion took 30 s instead of 0.1 s.
		// RUST_LIB_BACKTRACE, read first, turns that off for this library
		// only (panics keep their backtraces).
		if _, ok := os.LookupEnv("RUST_LIB_BACKTRACE"); !ok {
			os.Setenv("RUST_LIB_BACKTRACE", "0")
		}
		cfg := wasmtime.NewConfig()
		C.wasmtime_config_wasm_exceptions_set(*(*unsafe.Pointer)(unsafe.Pointer(cfg)), true)
		cfg.SetWasmTailCall(true)
		cfg.SetWasmFunctionReferences(true)
		cfg.SetWasmGC(true) // exnref lives in Wasmtime's GC heap
		cfg.SetCraneliftOptLevel(wasmtime.OptLevelSpeed)
		wtEngine = wasmtime.NewEngineWithConfig(cfg)
	})
	return wtEngine
}

type wasmtimeModule struct {
	wasm  []byte
	mod   *wasmtime.Module
	wrap  *wasmtime.Module // the catch wrapper; nil if no tag is exported
	tags  []wrapTag
	env   *hostEnv
	funcs map[string]*frontend.CompType // exported functions
}

func wasmtimeCompile(wasm []byte) (m Module, err error) {
	defer catch("wasmtime compile", &err)
	fm, err := frontend.Decode(wasm)
	if err != nil {
		return nil, err
	}
	hs, err := importsOf(fm)
	if err != nil {
		return nil, err
	}
	eng := wasmtimeEngine()
	mod, err := wasmtime.NewModule(eng, wasm)
	if err != nil {
		return nil, fmt.Errorf("wasmtime: %s", firstLine(err.Error()))
	}
	wm := &wasmtimeModule{wasm: wasm, mod: mod, env: &hostEnv{funcs: hs, tags: exportedTags(fm)},
		funcs: map[string]*frontend.CompType{}}
	for _, e := range fm.Exports {
		if e.Kind == frontend.ExternFunc {
			wm.funcs[e.Name] = fm.FuncType(e.Index)
		}
	}
	wrap, tags, err := catchWrapper(wasm, fm)
	if err != nil {
		return nil, fmt.Errorf("catch wrapper: %w", err)
	}
	if wrap != nil {
		if wm.wrap, err = wasmtime.NewModule(eng, wrap); err != nil {
			return nil, fmt.Errorf("wasmtime: catch wrapper: %s", firstLine(err.Error()))
		}
		wm.tags = tags
	}
	return wm, nil
}

func (m *wasmtimeModule) Close() {}

func (m *wasmtimeModule) Instantiate() (i Instance, err error) {
	defer catch("wasmtime instantiate", &err)
	eng := wasmtimeEngine()
	store := wasmtime.NewStore(eng)
	l := wasmtime.NewLinker(eng)
	for _, h := range m.env.funcs {
		if err := m.hostFunc(l, h); err != nil {
			return nil, err
		}
	}
	inst, err := l.Instantiate(store, m.mod)
	if err != nil {
		return nil, m.convert(err)
	}
	wi := &wasmtimeInstance{m: m, store: store, inst: inst, funcs: map[string]*wasmtime.Func{}}
	if m.wrap != nil {
		if err := l.DefineInstance(store, "m", inst); err != nil {
			return nil, err
		}
		if wi.wrap, err = l.Instantiate(store, m.wrap); err != nil {
			return nil, fmt.Errorf("catch wrapper: %w", err)
		}
	}
	return wi, nil
}

// hostFunc defines h in module env: it computes HostCall. A call for
// which HostThrow says to throw traps instead, with a message saying
// Wasmtime cannot do it (so a harness reports it, not a wrong result).
func (m *wasmtimeModule) hostFunc(l *wasmtime.Linker, h hostImport) error {
	var ps, rs []*wasmtime.ValType
	for _, p := range h.params {
		k, ok := wtKind(p)
		if !ok {
			return fmt.Errorf("unsupported host import parameter type %#x for wasmtime", p)
		}
		ps = append(ps, wasmtime.NewValType(k))
	}
	for _, r := range h.results {
		k, ok := wtKind(r)
		if !ok {
			return fmt.Errorf("unsupported host import result type %#x for wasmtime", r)
		}
		rs = append(rs, wasmtime.NewValType(k))
	}
	return l.FuncNew("env", h.name, wasmtime.NewFuncType(ps, rs), func(_ *wasmtime.Caller, args []wasmtime.Val) ([]wasmtime.Val, *wasmtime.Trap) {
		a := make([]uint64, len(args))
		for k, v := range args {
			a[k] = valBits(v)
		}
		if _, _, ok := HostThrow(h.name, h.params, a, m.env.tags); ok {
			return nil, wasmtime.NewTrap("unsupported by wasmtime-go: a host function throwing a wasm exception")
		}
		res := HostCall(h.name, h.params, h.results, a)
		vs := make([]wasmtime.Val, len(res))
		for k, r := range res {
			vs[k] = bitsVal(h.results[k], r)
		}
		return vs, nil
	})
}

func wtKind(code byte) (wasmtime.ValKind, bool) {
	switch code {
	case frontend.CodeI32:
		return wasmtime.KindI32, true
	case frontend.CodeI64:
		return wasmtime.KindI64, true
	case frontend.CodeF32:
		return wasmtime.KindF32, true
	case frontend.CodeF64:
		return wasmtime.KindF64, true
	}
	return 0, false
}

func bitsVal(code byte, bits uint64) wasmtime.Val {
	switch code {
	case frontend.CodeI32:
		return wasmtime.ValI32(int32(uint32(bits)))
	case frontend.CodeI64:
		return wasmtime.ValI64(int64(bits))
	case frontend.CodeF32:
		return wasmtime.ValF32(math.Float32frombits(uint32(bits)))
	}
	return wasmtime.ValF64(math.Float64frombits(bits))
}

func valBits(v wasmtime.Val) uint64 {
	switch v.Kind() {
	case wasmtime.KindI32:
		return uint64(uint32(v.I32()))
	case wasmtime.KindI64:
		return uint64(v.I64())
	case wasmtime.KindF32:
		return uint64(math.Float32bits(v.F32()))
	case wasmtime.KindF64:
		return math.Float64bits(v.F64())
	}
	return 0
}

// anyBits converts a result of Func.Call (an int32, int64, float32 or
// float64) to raw bits.
func anyBits(x any) (uint64, error) {
	switch v := x.(type) {
	case int32:
		return uint64(uint32(v)), nil
	case int64:
		return uint64(v), nil
	case float32:
		return uint64(math.Float32bits(v)), nil
	case float64:
		return math.Float64bits(v), nil
	case wasmtime.Val:
		return valBits(v), nil
	}
	return 0, fmt.Errorf("wasmtime result of type %T", x)
}

type wasmtimeInstance struct {
	m     *wasmtimeModule
	store *wasmtime.Store
	inst  *wasmtime.Instance
	wrap  *wasmtime.Instance // the catch wrapper's instance, or nil
	funcs map[string]*wasmtime.Func
}

func (i *wasmtimeInstance) Close() {}

func (i *wasmtimeInstance) Call(name string, args ...uint64) (res []uint64, err error) {
	defer catch("wasmtime call", &err)
	ft, ok := i.m.funcs[name]
	if !ok {
		return nil, fmt.Errorf("no export %q", name)
	}
	f := i.funcs[name]
	if f == nil {
		if i.wrap != nil {
			f = i.wrap.GetFunc(i.store, name) // nil for a signature the wrapper does not wrap
		}
		if f == nil {
			f = i.inst.GetFunc(i.store, name)
		}
		i.funcs[name] = f
	}
	if len(args) != len(ft.Params) {
		return nil, fmt.Errorf("%s takes %d arguments, got %d", name, len(ft.Params), len(args))
	}
	vs := make([]any, len(args))
	for k, a := range args {
		if !isNum(ft.Params[k].Code) {
			return nil, fmt.Errorf("unsupported: parameter of reference type for wasmtime")
		}
		vs[k] = bitsVal(ft.Params[k].Code, a)
	}
	out, err := f.Call(i.store, vs...)
	if err != nil {
		return nil, i.m.convert(err)
	}
	if u := i.uncaught(); u != nil {
		return nil, u
	}
	switch r := out.(type) {
	case nil:
		return nil, nil
	case []wasmtime.Val:
		for _, v := range r {
			res = append(res, valBits(v))
		}
		return res, nil
	}
	b, err := anyBits(out)
	return []uint64{b}, err
}

// uncaught returns the exception the catch wrapper caught in the last
// call, and resets it; nil if none.
func (i *wasmtimeInstance) uncaught() *Uncaught {
	if i.wrap == nil {
		return nil
	}
	g := i.wrap.GetExport(i.store, "exn").Global()
	n := g.Get(i.store).I32()
	if n == 0 {
		return nil
	}
	g.Set(i.store, wasmtime.ValI32(0))
	t := i.m.tags[n-1]
	u := &Uncaught{Tag: t.name}
	for k := range t.params {
		v := i.wrap.GetExport(i.store, fmt.Sprintf("p%d_%d", n-1, k)).Global().Get(i.store)
		u.Payload = append(u.Payload, valBits(v))
	}
	return u
}

// convert turns a Wasmtime trap into an error that TrapKind reads ("wasm
// error: " and the spec interpreter's wording), and an uncaught exception
// of a tag the module does not export into an error saying so.
func (m *wasmtimeModule) convert(err error) error {
	var trap *wasmtime.Trap
	if !errors.As(err, &trap) {
		if strings.HasPrefix(err.Error(), "thrown Wasm exception") {
			return errors.New("uncaught exception of a tag the module does not export (wasmtime)")
		}
		return fmt.Errorf("wasmtime: %s", firstLine(err.Error()))
	}
	msg := firstLine(trap.Message())
	if c := trap.Code(); c != nil {
		msg = m.trapMessage(*c, trap)
	}
	return fmt.Errorf("wasm error: %s\n(wasmtime: %s)", msg, firstLine(trap.Message()))
}

// Wasmtime trap codes past wasmtime-go's constants (wasmtime/trap.h).
const (
	wtTrapNullReference   wasmtime.TrapCode = 14
	wtTrapArrayOutOfBound wasmtime.TrapCode = 15
	wtTrapCastFailure     wasmtime.TrapCode = 17
)

// trapMessage names a trap as the spec interpreter does. Wasmtime has
// one code for every null reference; the opcode at the trapping offset
// tells which one it was.
func (m *wasmtimeModule) trapMessage(c wasmtime.TrapCode, trap *wasmtime.Trap) string {
	switch c {
	case wasmtime.StackOverflow:
		return "call stack exhausted"
	case wasmtime.MemoryOutOfBounds:
		return "out of bounds memory access"
	case wasmtime.HeapMisaligned:
		return "unaligned atomic"
	case wasmtime.TableOutOfBounds:
		return "out of bounds table access"
	case wasmtime.IndirectCallToNull:
		return "uninitialized element"
	case wasmtime.BadSignature:
		return "indirect call type mismatch"
	case wasmtime.IntegerOverflow:
		return "integer overflow"
	case wasmtime.IntegerDivisionByZero:
		return "integer divide by zero"
	case wasmtime.BadConversionToInteger:
		return "invalid conversion to integer"
	case wasmtime.UnreachableCodeReached:
		return "unreachable"
	case wasmtime.Interrupt:
		return "interrupted"
	case wtTrapArrayOutOfBound:
		return "out of bounds array access"
	case wtTrapCastFailure:
		return "cast failure"
	case wtTrapNullReference:
		if fs := trap.Frames(); len(fs) > 0 {
			if off := int(fs[0].ModuleOffset()); off < len(m.wasm) {
				switch m.wasm[off] {
				case 0x0A: // throw_ref
					return "null exception reference"
				case 0x14, 0x15: // call_ref, return_call_ref
					return "null function reference"
				}
			}
		}
		return "null reference"
	}
	return firstLine(trap.Message())
}

func (i *wasmtimeInstance) Memory(name string) ([]byte, bool) {
	e := i.inst.GetExport(i.store, name)
	if e == nil || e.Memory() == nil {
		return nil, false
	}
	return e.Memory().UnsafeData(i.store), true
}

func (i *wasmtimeInstance) Global(name string) (uint64, bool) {
	e := i.inst.GetExport(i.store, name)
	if e == nil || e.Global() == nil {
		return 0, false
	}
	v := e.Global().Get(i.store)
	switch v.Kind() {
	case wasmtime.KindI32, wasmtime.KindI64, wasmtime.KindF32, wasmtime.KindF64:
	default:
		return 0, false
	}
	return valBits(v), true
}
