package e2e

import (
	"errors"
	"testing"
	"time"

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

// TestInterrupt_compiledLoop interrupts an endless compiled loop from another
// goroutine: the loop-header poll sees the redirected ectx.G and the call
// fails with the trap "interrupted"; the store stays usable afterwards.
func TestInterrupt_compiledLoop(t *testing.T) {
	wasm, err := wat.ParseModule([]byte(`(module
	  (func (export "spin") (loop $l (br $l)))
	  (func (export "one") (result i32) (i32.const 1)))`))
	if err != nil {
		t.Fatal(err)
	}
	res, err := compile.Compile(wasm, compile.Options{Name: "spin"})
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
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(10 * time.Millisecond):
				store.Interrupt()
			}
		}
	}()
	var trap *rt.Trap
	if _, err := inst.Func("spin").Call(); !errors.As(err, &trap) || trap.Message != "interrupted" {
		t.Fatalf("spin: %v, want the trap \"interrupted\"", err)
	}
	// A pending interrupt may stop the next call too; one call succeeds soon.
	for i := 0; ; i++ {
		r, err := inst.Func("one").Call()
		if err == nil && r[0] == 1 {
			break
		}
		if i == 100 {
			t.Fatalf("one after the interrupt: %v %v", r, err)
		}
	}
}
