package bench

import (
	"context"
	"fmt"
	"math"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"wfxc/frontend"
	"wfxc/rt"
	"wfxc/rt/abi"
)

// Host functions for generated modules that import env.h0, env.h1, … (gen
// Config.HostCalls): every engine gets the same deterministic functions,
// which hash their arguments into their results. NaN arguments are hashed
// as one canonical NaN, since their bits may legally differ between
// engines; float results are never NaN. In a module that exports tags
// (gen Config.Exceptions), a host function throws one of them instead for
// about one call in eight (HostThrow), a tag whose payload is numbers
// only, with a payload made from the same hash.

// hostImport is one imported function.
type hostImport struct {
	name            string
	params, results []byte // value type codes
}

// hostEnv is what a harness provides a module: its imported functions and
// the exported tags they may throw.
type hostEnv struct {
	funcs []hostImport
	tags  []TagInfo
}

// newHostEnv reads the imports and exported tags of wasm.
func newHostEnv(wasm []byte) (*hostEnv, error) {
	m, err := frontend.Decode(wasm)
	if err != nil {
		return nil, err
	}
	hs, err := importsOf(m)
	if err != nil {
		return nil, err
	}
	return &hostEnv{funcs: hs, tags: exportedTags(m)}, nil
}

// exportedTags lists the tags m exports, in export order.
func exportedTags(m *frontend.Module) []TagInfo {
	var ts []TagInfo
	for _, e := range m.Exports {
		if e.Kind != frontend.ExternTag {
			continue
		}
		ti := m.Tags[int(e.Index)-numImported(m, frontend.ExternTag)]
		t := TagInfo{Name: e.Name}
		for _, p := range m.Types[ti].Comp.Params {
			t.Params = append(t.Params, p.Code)
		}
		ts = append(ts, t)
	}
	return ts
}

func numImported(m *frontend.Module, k frontend.ExternKind) int {
	n := 0
	for _, im := range m.Imports {
		if im.Kind == k {
			n++
		}
	}
	return n
}

// hostImports lists the function imports of wasm from module "env"; other
// imports are an error.
func hostImports(wasm []byte) ([]hostImport, error) {
	m, err := frontend.Decode(wasm)
	if err != nil {
		return nil, err
	}
	return importsOf(m)
}

func importsOf(m *frontend.Module) ([]hostImport, error) {
	var hs []hostImport
	for _, im := range m.Imports {
		if im.Module != "env" || im.Kind != frontend.ExternFunc {
			return nil, fmt.Errorf("unsupported import %s.%s: the harness provides only env functions", im.Module, im.Name)
		}
		ft := &m.Types[im.Type].Comp
		h := hostImport{name: im.Name}
		for _, p := range ft.Params {
			h.params = append(h.params, p.Code)
		}
		for _, r := range ft.Results {
			h.results = append(h.results, r.Code)
		}
		hs = append(hs, h)
	}
	return hs, nil
}

// HostCall computes the results of a host function of the given
// signature from its arguments.
func HostCall(name string, params, results []byte, args []uint64) []uint64 {
	return hashValues(hostHash(name, params, args), results)
}

// HostThrow decides whether the host function throws for these arguments
// instead of returning, and if so which of the tags (by index into tags)
// with what payload. Only tags with numeric payloads are thrown.
func HostThrow(name string, params []byte, args []uint64, tags []TagInfo) (tag int, payload []uint64, ok bool) {
	var throwable []int
	for i, t := range tags {
		if t.numeric() {
			throwable = append(throwable, i)
		}
	}
	h := hostHash(name, params, args) * 0xD6E8FEB86659FD93
	h ^= h >> 32
	if len(throwable) == 0 || h%8 != 0 {
		return 0, nil, false
	}
	tag = throwable[(h>>3)%uint64(len(throwable))]
	return tag, hashValues(h, tags[tag].Params), true
}

// TagInfo is an exported tag: its name and payload types (value type
// codes; 0x63/0x64 for any reference).
type TagInfo struct {
	Name   string
	Params []byte
}

func (t TagInfo) numeric() bool {
	for _, p := range t.Params {
		if !isNum(p) {
			return false
		}
	}
	return true
}

func isNum(t byte) bool { return t == 0x7F || t == 0x7E || t == 0x7D || t == 0x7C }

// hostHash hashes a host function's name and arguments, NaNs as one NaN.
func hostHash(name string, params []byte, args []uint64) uint64 {
	h := uint64(0xcbf29ce484222325)
	for _, c := range name {
		h = (h ^ uint64(c)) * 0x100000001b3
	}
	for i, a := range args {
		switch params[i] {
		case 0x7F:
			a = uint64(uint32(a))
		case 0x7D:
			if f := math.Float32frombits(uint32(a)); f != f {
				a = 0x7FC00000
			}
			a = uint64(uint32(a))
		case 0x7C:
			if f := math.Float64frombits(a); f != f {
				a = 0x7FF8000000000000
			}
		}
		h = (h ^ a) * 0x100000001b3
		h ^= h >> 29
	}
	return h
}

// hashValues derives values of the given types from h; floats are never
// NaN.
func hashValues(h uint64, results []byte) []uint64 {
	res := make([]uint64, len(results))
	for i, t := range results {
		h = (h ^ uint64(i)) * 0x9E3779B97F4A7C15
		switch t {
		case 0x7F:
			res[i] = uint64(uint32(h >> 32))
		case 0x7E:
			res[i] = h
		case 0x7D:
			res[i] = uint64(math.Float32bits(float32(int32(h>>32)) / 64))
		case 0x7C:
			res[i] = math.Float64bits(float64(int64(h)>>11) / 1024)
		}
	}
	return res
}

// wfxcImports makes rt host functions for env; they throw the tags in
// *tags (set once the instance exists).
func wfxcImports(env *hostEnv, tags *[]*rt.Tag) rt.Imports {
	funcs := map[string]rt.Extern{}
	for _, h := range env.funcs {
		ft := abi.FuncType{}
		for _, p := range h.params {
			ft.Params = append(ft.Params, abi.ValType(p))
		}
		for _, r := range h.results {
			ft.Results = append(ft.Results, abi.ValType(r))
		}
		funcs[h.name] = rt.NewHostFunc(ft, func(args []uint64) ([]uint64, error) {
			if i, payload, ok := HostThrow(h.name, h.params, args, env.tags); ok {
				return nil, rt.NewException((*tags)[i], payload...)
			}
			return HostCall(h.name, h.params, h.results, args), nil
		})
	}
	return rt.Imports{"env": funcs}
}

// wazeroImports instantiates module "env" with hs in r.
func wazeroImports(r wazero.Runtime, hs []hostImport) error {
	b := r.NewHostModuleBuilder("env")
	for _, h := range hs {
		var ps, rs []api.ValueType
		for _, p := range h.params {
			ps = append(ps, api.ValueType(p))
		}
		for _, t := range h.results {
			rs = append(rs, api.ValueType(t))
		}
		b.NewFunctionBuilder().WithGoFunction(api.GoFunc(func(_ context.Context, stack []uint64) {
			copy(stack, HostCall(h.name, h.params, h.results, stack[:len(h.params)]))
		}), ps, rs).Export(h.name)
	}
	_, err := b.Instantiate(context.Background())
	return err
}
