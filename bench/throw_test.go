package bench

import "testing"

// TestThrowCatch runs the exceptions benchmark briefly on wfxc and, if
// this build has it, Wasmtime: every call must return its expected result
// (ThrowCatch checks them) and take some time.
func TestThrowCatch(t *testing.T) {
	wasm, err := LoadThrowModule()
	if err != nil {
		t.Fatal(err)
	}
	engines := []Engine{Wfxc}
	if WasmtimeAvailable {
		engines = append(engines, Wasmtime)
	}
	for _, e := range engines {
		t.Run(e.Name, func(t *testing.T) {
			r := ThrowCatch(e, wasm, 100, 1)
			if r.Err != nil {
				t.Fatal(r.Err)
			}
			if len(r.PerThrow) != len(ThrowFrames) || r.Plain <= 0 || r.Try <= 0 {
				t.Fatalf("incomplete result %+v", r)
			}
			for i, d := range r.PerThrow {
				if d <= 0 {
					t.Errorf("%d frames: %v per throw", ThrowFrames[i], d)
				}
			}
			t.Logf("per throw %v; fib(%d) %v, in a try_table %v", r.PerThrow, FibArg, r.Plain, r.Try)
		})
	}
}
