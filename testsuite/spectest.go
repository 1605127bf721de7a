package testsuite

import (
	"math"

	"wfxc/rt"
	"wfxc/rt/abi"
)

// spectest is the host module every spec script may import: print
// functions (which print nothing here), globals holding 666, a table of 10
// funcrefs and a memory of 1 to 2 pages.
type spectest struct {
	exports map[string]rt.Extern
}

func newSpectest() *spectest {
	i32, i64, f32, f64 := abi.ValType(0x7F), abi.ValType(0x7E), abi.ValType(0x7D), abi.ValType(0x7C)
	s := &spectest{exports: map[string]rt.Extern{}}
	nop := func(args []uint64) ([]uint64, error) { return nil, nil }
	printers := map[string][]abi.ValType{
		"print":         nil,
		"print_i32":     {i32},
		"print_i64":     {i64},
		"print_f32":     {f32},
		"print_f64":     {f64},
		"print_i32_f32": {i32, f32},
		"print_f64_f64": {f64, f64},
	}
	for name, params := range printers {
		s.exports[name] = rt.NewHostFunc(abi.FuncType{Params: params}, nop)
	}
	s.exports["global_i32"] = rt.NewGlobal(i32, false, 666)
	s.exports["global_i64"] = rt.NewGlobal(i64, false, 666)
	s.exports["global_f32"] = rt.NewGlobal(f32, false, uint64(math.Float32bits(666.6)))
	s.exports["global_f64"] = rt.NewGlobal(f64, false, math.Float64bits(666.6))
	if mem, err := rt.NewMemory(1, 2, true); err == nil {
		s.exports["memory"] = mem
	}
	funcref := abi.MakeRefType(true, -0x10)
	if tab, err := rt.NewTableOf(abi.Table{Elem: funcref, Min: 10, Max: 20, HasMax: true}); err == nil {
		s.exports["table"] = tab
	}
	if tab, err := rt.NewTableOf(abi.Table{Elem: funcref, Min: 10, Max: 20, HasMax: true, Is64: true}); err == nil {
		s.exports["table64"] = tab
	}
	return s
}
