package bench

import (
	"errors"
	"fmt"

	"wfxc/frontend"
	"wfxc/testsuite/refexec"
)

// Refexec is testsuite/refexec, the independent reference interpreter:
// the oracle for exceptions and stack switching, which wazero lacks. It
// runs with fuel (RefexecFuel), so a module that does not terminate is
// reported ("out of fuel", a generator bug) instead of hanging.
var Refexec = Engine{Name: "refexec", Compile: refexecCompile}

// RefexecFuel bounds the loop iterations and calls of one refexec
// instance. Generated modules stay far below it (their budget global
// bounds every loop and every call that could recurse).
const RefexecFuel = 5_000_000

// trapOutOfFuel is refexec's trap when the fuel runs out.
const trapOutOfFuel = "out of fuel"

type refexecModule struct {
	m   *refexec.Module
	env *hostEnv
}

func refexecCompile(wasm []byte) (m Module, err error) {
	defer catch("refexec compile", &err)
	mod, err := refexec.Compile(wasm)
	if err != nil {
		return nil, err
	}
	env, err := newHostEnv(wasm)
	if err != nil {
		return nil, err
	}
	return &refexecModule{m: mod, env: env}, nil
}

func (m *refexecModule) Close() {}

func (m *refexecModule) Instantiate() (i Instance, err error) {
	defer catch("refexec instantiate", &err)
	s := refexec.NewStore(refexec.Config{Fuel: RefexecFuel})
	var tags []*refexec.Tag
	funcs := map[string]refexec.Extern{}
	for _, h := range m.env.funcs {
		var ps, rs []frontend.ValType
		for _, p := range h.params {
			ps = append(ps, frontend.ValType{Code: p})
		}
		for _, r := range h.results {
			rs = append(rs, frontend.ValType{Code: r})
		}
		f, err := s.NewHostFunc(ps, rs, func(args []refexec.Value) ([]refexec.Value, error) {
			a := make([]uint64, len(args))
			for k := range args {
				a[k] = args[k].Bits
			}
			if t, payload, ok := HostThrow(h.name, h.params, a, m.env.tags); ok {
				return nil, &refexec.Exception{Tag: tags[t], Payload: values(payload)}
			}
			return values(HostCall(h.name, h.params, h.results, a)), nil
		})
		if err != nil {
			return nil, err
		}
		funcs[h.name] = f
	}
	in, err := s.Instantiate(m.m, refexec.Imports{"env": funcs})
	if err != nil {
		return nil, err
	}
	for _, t := range m.env.tags {
		tag := in.ExportedTag(t.Name)
		if tag == nil {
			return nil, fmt.Errorf("export %q is not a tag", t.Name)
		}
		tags = append(tags, tag)
	}
	return &refexecInstance{s: s, in: in, env: m.env, tags: tags}, nil
}

func values(bits []uint64) []refexec.Value {
	vs := make([]refexec.Value, len(bits))
	for k, b := range bits {
		vs[k] = refexec.Value{Bits: b}
	}
	return vs
}

type refexecInstance struct {
	s    *refexec.Store
	in   *refexec.Instance
	env  *hostEnv
	tags []*refexec.Tag // the exported tags, as env.tags
}

func (i *refexecInstance) Close() {}

func (i *refexecInstance) Call(name string, args ...uint64) (res []uint64, err error) {
	defer catch("refexec call", &err)
	f := i.in.ExportedFunc(name)
	if f == nil {
		return nil, fmt.Errorf("no export %q", name)
	}
	vs, err := i.s.Call(f, values(args)...)
	var exn *refexec.Exception
	if errors.As(err, &exn) {
		return nil, i.uncaught(exn)
	}
	if err != nil {
		return nil, err
	}
	out := make([]uint64, len(vs))
	for k := range vs {
		out[k] = vs[k].Bits
	}
	return out, nil
}

// uncaught converts an exception that reached the host.
func (i *refexecInstance) uncaught(e *refexec.Exception) error {
	for k, t := range i.tags {
		if t != e.Tag {
			continue
		}
		u := &Uncaught{Tag: i.env.tags[k].Name}
		for n, v := range e.Payload {
			if isNum(i.env.tags[k].Params[n]) {
				u.Payload = append(u.Payload, v.Bits)
			} else {
				u.Payload = append(u.Payload, refBit(v.Ref != nil))
			}
		}
		return u
	}
	return fmt.Errorf("uncaught exception of a tag the module does not export")
}

func (i *refexecInstance) Memory(name string) ([]byte, bool) {
	m := i.in.ExportedMemory(name)
	if m == nil {
		return nil, false
	}
	return m.Bytes(), true
}

func (i *refexecInstance) Global(name string) (uint64, bool) {
	g := i.in.ExportedGlobal(name)
	if g == nil {
		return 0, false
	}
	return g.Get().Bits, true
}
