package x64_test

import (
	"testing"

	"wfxc/compile"
	"wfxc/rt"
)

// simdCaller compiles wasm at CPU level cpu with bounds (0: the default),
// instantiates it in a store of its own and returns a caller of its
// exports. ok is false, logged, when this CPU cannot load code of that
// level (a CPU without AVX for x86-64-v3).
func simdCaller(t *testing.T, wasm []byte, name, cpu string, bounds compile.Bounds) (call func(export string, args ...uint64) ([]uint64, error), ok bool) {
	t.Helper()
	res, err := compile.Compile(wasm, compile.Options{Name: name, CPU: cpu, Bounds: bounds})
	if err != nil {
		t.Fatal(err)
	}
	m, err := rt.LoadObject(res.Object)
	if err != nil && cpu != "" {
		t.Logf("%s: %v", cpu, err)
		return nil, false
	}
	if err != nil {
		t.Fatal(err)
	}
	inst, err := rt.NewStore().Instantiate(m, rt.Imports{})
	if err != nil {
		t.Fatal(err)
	}
	return func(export string, args ...uint64) ([]uint64, error) {
		e, ok := inst.Export(export)
		if !ok {
			t.Fatalf("no export %s", export)
		}
		return e.(*rt.Func).Call(args...)
	}, true
}

// simdCaller128 is simdCaller for exports of one v128 result, as bytes;
// a trap fails the test.
func simdCaller128(t *testing.T, wasm []byte, name, cpu string) (call func(export string, args ...uint64) [16]byte, ok bool) {
	t.Helper()
	c, ok := simdCaller(t, wasm, name, cpu, 0)
	if !ok {
		return nil, false
	}
	return func(export string, args ...uint64) [16]byte {
		t.Helper()
		out, err := c(export, args...)
		if err != nil {
			t.Fatalf("%s: %v", export, err)
		}
		var b [16]byte
		for i := range 8 {
			b[i], b[8+i] = byte(out[0]>>(8*i)), byte(out[1]>>(8*i))
		}
		return b
	}, true
}
