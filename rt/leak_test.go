package rt_test

import (
	"os"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"wfxc/compile"
	"wfxc/frontend/wat"
	"wfxc/rt"
)

// mappings counts the process's memory mappings.
func mappings(t *testing.T) int {
	b, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		t.Skip("no /proc/self/maps")
	}
	return strings.Count(string(b), "\n")
}

// TestInstance_collected: instances that are no longer referenced are
// released, including those of modules with a table (a table keeps the
// instances whose funcref records it holds alive; the instance's cleanup
// must not keep the table, found by differential fuzzing).
func TestInstance_collected(t *testing.T) {
	wasm, err := wat.ParseModule([]byte(`(module (func $f (export "f")) (table 2 funcref) (elem (i32.const 0) $f) (memory 1))`))
	if err != nil {
		t.Fatal(err)
	}
	res, err := compile.Compile(wasm, compile.Options{Name: "leak"})
	if err != nil {
		t.Fatal(err)
	}
	mod, err := rt.LoadObject(res.Object)
	if err != nil {
		t.Fatal(err)
	}
	// Instances dropped without Store.Close must be collected: count
	// the ones whose cleanup ran.
	var collected atomic.Int64
	for i := 0; i < 200; i++ {
		inst, err := rt.NewStore().Instantiate(mod, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := inst.Func("f").Call(); err != nil {
			t.Fatal(err)
		}
		runtime.AddCleanup(inst, func(*atomic.Int64) { collected.Add(1) }, &collected)
	}
	before := mappings(t)
	for i := 0; i < 50 && collected.Load() < 200; i++ {
		runtime.GC()
		time.Sleep(10 * time.Millisecond) // cleanups run on their own goroutine
	}
	if n := collected.Load(); n < 190 {
		t.Fatalf("%d of 200 dropped instances collected", n)
	}
	if after := mappings(t); after > before {
		t.Errorf("%d memory mappings after collection, %d before: not released", after, before)
	}
}
