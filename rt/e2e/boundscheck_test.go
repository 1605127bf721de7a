package e2e

import (
	"errors"
	"testing"

	"wfxc/compile"
	"wfxc/frontend/wat"
	"wfxc/rt"
)

// TestBoundsChecks_effectsBeforeTrap: the back end merges bounds checks of
// accesses to one address (lower/x64/boundscheck.go), but never across an
// effect: a store or global.set before an out-of-bounds access happens, and
// stays visible after the trap.
func TestBoundsChecks_effectsBeforeTrap(t *testing.T) {
	wasm, err := wat.ParseModule([]byte(`(module
	  (memory (export "memory") 1)
	  (global $g (export "g") (mut i32) (i32.const 0))
	  (func (export "store") (param $p i32) (result i32)
	    (i32.store (local.get $p) (i32.const 7))
	    (i32.load offset=16 (local.get $p)))
	  (func (export "global") (param $p i32) (result i32)
	    (global.set $g (i32.load (local.get $p)))
	    (i32.load offset=8 (local.get $p))))`))
	if err != nil {
		t.Fatal(err)
	}
	res, err := compile.Compile(wasm, compile.Options{Name: "bc"})
	if err != nil {
		t.Fatal(err)
	}
	mod, err := rt.LoadObject(res.Object)
	if err != nil {
		t.Fatal(err)
	}
	store := rt.NewStore()
	defer store.Close()
	inst, err := store.Instantiate(mod, nil)
	if err != nil {
		t.Fatal(err)
	}
	const p = 65536 - 8
	var trap *rt.Trap
	if _, err := inst.Func("store").Call(p); !errors.As(err, &trap) || trap.Message != "out of bounds memory access" {
		t.Fatalf("store(%d): %v, want an out-of-bounds trap", p, err)
	}
	if got := inst.Memory("memory").Bytes()[p]; got != 7 {
		t.Errorf("memory[%d] = %d after the trap, want 7 (the store before it)", p, got)
	}
	if _, err := inst.Func("global").Call(p); !errors.As(err, &trap) {
		t.Fatalf("global(%d): %v, want a trap", p, err)
	}
	if got := inst.Global("g").Get(); got != 7 {
		t.Errorf("global g = %d after the trap, want 7 (set before it)", got)
	}
}
