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
// engines; float results are never NaN.

// hostImport is one imported function.
type hostImport struct {
	name            string
	params, results []byte // value type codes
}

// hostImports lists the function imports of wasm from module "env"; other
// imports are an error.
func hostImports(wasm []byte) ([]hostImport, error) {
	m, err := frontend.Decode(wasm)
	if err != nil {
		return nil, err
	}
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

// wfxcImports makes rt host functions for hs.
func wfxcImports(hs []hostImport) rt.Imports {
	env := map[string]rt.Extern{}
	for _, h := range hs {
		ft := abi.FuncType{}
		for _, p := range h.params {
			ft.Params = append(ft.Params, abi.ValType(p))
		}
		for _, r := range h.results {
			ft.Results = append(ft.Results, abi.ValType(r))
		}
		env[h.name] = rt.NewHostFunc(ft, func(args []uint64) ([]uint64, error) {
			return HostCall(h.name, h.params, h.results, args), nil
		})
	}
	return rt.Imports{"env": env}
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
