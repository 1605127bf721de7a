package bench

import (
	"errors"
	"fmt"

	"golang.org/x/sys/cpu"

	"wfxc/compile"
	"wfxc/rt"
	"wfxc/rt/abi"
)

// Wfxc is the engine under test: compile.Compile (default options: guard
// pages on x86-64), rt.LoadObject and a fresh rt.Store per instance. Panics inside wfxc are turned into errors
// (ErrPanic) so a harness can report them.
var Wfxc = Engine{Name: "wfxc", Compile: wfxcCompile}

// WfxcExplicit is Wfxc compiling with explicit bounds checks
// (compile.BoundsExplicit) instead of the default guard pages of x86-64,
// for comparing the two in one run.
var WfxcExplicit = Engine{Name: "wfxc-explicit", Compile: func(wasm []byte) (m Module, err error) {
	defer catch("wfxc-explicit compile", &err)
	res, err := compile.Compile(wasm, compile.Options{Name: "m", Bounds: compile.BoundsExplicit})
	if err != nil {
		return nil, err
	}
	return WfxcObject(wasm, res.Object)
}}

// WfxcV3 is Wfxc compiling for x86-64-v3 (compile.Options.CPU: BMI1, BMI2,
// LZCNT, AVX), beside the default x86-64-v2 in one run. WfxcV3Available
// says whether this host can run its code.
var WfxcV3 = Engine{Name: "wfxc-v3", Compile: func(wasm []byte) (m Module, err error) {
	defer catch("wfxc-v3 compile", &err)
	res, err := compile.Compile(wasm, compile.Options{Name: "m", CPU: abi.CPUx8664v3})
	if err != nil {
		return nil, err
	}
	return WfxcObject(wasm, res.Object)
}}

// WfxcV3Available: this host is x86-64 with BMI1, BMI2, LZCNT and AVX.
var WfxcV3Available = abi.HostArch() == abi.X86_64 && cpu.X86.HasBMI1 && cpu.X86.HasBMI2 && cpu.X86.HasLZCNT && cpu.X86.HasAVX

type wfxcModule struct {
	mod *rt.Module
	env *hostEnv
}

func wfxcCompile(wasm []byte) (m Module, err error) {
	defer catch("wfxc compile", &err)
	res, err := compile.Compile(wasm, compile.Options{Name: "m"})
	if err != nil {
		return nil, err
	}
	return WfxcObject(wasm, res.Object)
}

// WfxcObject is Wfxc's module of wasm from its object, compiled already
// for this host (cmd/difffuzz -remote compiles on another).
func WfxcObject(wasm, object []byte) (m Module, err error) {
	defer catch("wfxc load", &err)
	mod, err := rt.LoadObject(object)
	if err != nil {
		return nil, fmt.Errorf("rt.LoadObject: %w", err)
	}
	env, err := newHostEnv(wasm)
	if err != nil {
		return nil, err
	}
	return &wfxcModule{mod: mod, env: env}, nil
}

func (m *wfxcModule) Instantiate() (i Instance, err error) {
	defer catch("wfxc instantiate", &err)
	var tags []*rt.Tag
	inst, err := rt.NewStore().Instantiate(m.mod, wfxcImports(m.env, &tags))
	if err != nil {
		return nil, err
	}
	for _, t := range m.env.tags {
		e, _ := inst.Export(t.Name)
		tag, ok := e.(*rt.Tag)
		if !ok {
			return nil, fmt.Errorf("export %q is not a tag", t.Name)
		}
		tags = append(tags, tag)
	}
	return &wfxcInstance{inst: inst, env: m.env, tags: tags}, nil
}

func (m *wfxcModule) Close() {}

type wfxcInstance struct {
	inst *rt.Instance
	env  *hostEnv
	tags []*rt.Tag // the exported tags, as env.tags
}

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
	res, err = f.Call(args...)
	var exn *rt.Exception
	if errors.As(err, &exn) {
		return nil, i.uncaught(exn)
	}
	return res, err
}

// uncaught converts an exception that reached the host into an Uncaught,
// reading the payload slots by the tag's parameter types.
func (i *wfxcInstance) uncaught(e *rt.Exception) error {
	for k, t := range i.tags {
		if t != e.Tag {
			continue
		}
		u := &Uncaught{Tag: i.env.tags[k].Name}
		slot := 0
		for k, p := range e.Tag.Type().Params {
			n := e.Tag.ParamSlots()[k]
			if slot+n > len(e.Payload) {
				return fmt.Errorf("uncaught exception %s: payload of %d slots is short", u.Tag, len(e.Payload))
			}
			v := e.Payload[slot]
			if !isNum(p.Code()) {
				v = 0
				for _, w := range e.Payload[slot : slot+n] {
					v |= w
				}
				v = refBit(v != 0)
			}
			u.Payload = append(u.Payload, v)
			slot += n
		}
		return u
	}
	return fmt.Errorf("uncaught exception of a tag the module does not export: %v", e)
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
