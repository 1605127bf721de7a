package bench

import (
	"fmt"

	"wfxc/compile"
	"wfxc/rt"
)

// Wfxc is the engine under test: compile.Compile, rt.LoadObject and a
// fresh rt.Store per instance. Panics inside wfxc are turned into errors
// (ErrPanic) so a harness can report them.
var Wfxc = Engine{Name: "wfxc", Compile: wfxcCompile}

type wfxcModule struct {
	mod     *rt.Module
	imports rt.Imports
}

func wfxcCompile(wasm []byte) (m Module, err error) {
	defer catch("wfxc compile", &err)
	res, err := compile.Compile(wasm, compile.Options{Name: "m"})
	if err != nil {
		return nil, err
	}
	mod, err := rt.LoadObject(res.Object)
	if err != nil {
		return nil, fmt.Errorf("rt.LoadObject: %w", err)
	}
	hs, err := hostImports(wasm)
	if err != nil {
		return nil, err
	}
	return &wfxcModule{mod: mod, imports: wfxcImports(hs)}, nil
}

func (m *wfxcModule) Instantiate() (i Instance, err error) {
	defer catch("wfxc instantiate", &err)
	inst, err := rt.NewStore().Instantiate(m.mod, m.imports)
	if err != nil {
		return nil, err
	}
	return &wfxcInstance{inst: inst}, nil
}

func (m *wfxcModule) Close() {}

type wfxcInstance struct{ inst *rt.Instance }

func (i *wfxcInstance) Call(name string, args ...uint64) (res []uint64, err error) {
	defer catch("wfxc call", &err)
	e, ok := i.inst.Export(name)
	if !ok {
		return nil, fmt.Errorf("no export %q", name)
	}
	f, ok := e.(*rt.Func)
	if !ok {
		return nil, fmt.Errorf("export %q is not a function", name)
	}
	return f.Call(args...)
}

func (i *wfxcInstance) Memory(name string) ([]byte, bool) {
	e, ok := i.inst.Export(name)
	if !ok {
		return nil, false
	}
	m, ok := e.(*rt.Memory)
	if !ok {
		return nil, false
	}
	return m.Bytes(), true
}

func (i *wfxcInstance) Global(name string) (uint64, bool) {
	e, ok := i.inst.Export(name)
	if !ok {
		return 0, false
	}
	g, ok := e.(*rt.Global)
	if !ok {
		return 0, false
	}
	return g.Get(), true
}

func (i *wfxcInstance) Close() {}
