package rt_test

import (
	"flag"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"wfxc/compile"
	"wfxc/frontend/wat"
	"wfxc/rt"
	"wfxc/rt/abi"
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

// churnCount is the number of instances TestInstance_churn creates.
var churnCount = flag.Int("churn", 1000, "instances TestInstance_churn creates (the issue's bar is 100000: about 4 minutes here, page faults dominate)")

// touch4M exports touch(), which writes one word per page of its first
// 4 MiB.
const touch4M = `(module (memory (export "memory") 64)
  (func (export "touch") (local $p i32)
    (loop $l
      (i32.store (local.get $p) (i32.const 1))
      (local.set $p (i32.add (local.get $p) (i32.const 4096)))
      (br_if $l (i32.lt_u (local.get $p) (i32.const 0x400000))))))`

// rss returns the process's resident set size in bytes.
func rss(t *testing.T) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip("no /proc/self/status")
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, err := strconv.ParseInt(f[1], 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb << 10
		}
	}
	t.Skip("no VmRSS")
	return 0
}

// TestInstance_churn: instances that touch 4 MiB each and are closed
// (Instance.Close, Store.Close of a store per instance, or Instance.Close
// of pooled instances) give their memory back at once: RSS stays bounded
// with the collector off.
func TestInstance_churn(t *testing.T) {
	m := loadWat(t, touch4M)
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	pool, err := rt.NewPool(rt.PoolConfig{Instances: 8, Memories: 8, Tables: 8, MemoryBytes: 8 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	for _, mode := range []string{"Instance.Close", "Store.Close", "Pool"} {
		t.Run(mode, func(t *testing.T) {
			n := *churnCount
			if mode == "Store.Close" {
				n /= 2
			}
			s := rt.NewStore()
			defer s.Close()
			if mode == "Pool" {
				s.SetPool(pool)
			}
			base := rss(t)
			peak := base
			start := time.Now()
			for i := 0; i < n; i++ {
				st := s
				if mode == "Store.Close" {
					st = rt.NewStore()
				}
				inst, err := st.Instantiate(m, nil)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := inst.Func("touch").Call(); err != nil {
					t.Fatal(err)
				}
				if mode == "Store.Close" {
					err = st.Close()
				} else {
					err = inst.Close()
				}
				if err != nil {
					t.Fatal(err)
				}
				if i%256 == 0 {
					peak = max(peak, rss(t))
				}
			}
			t.Logf("%d instances in %v: RSS %d MiB before, peak %d MiB", n, time.Since(start), base>>20, peak>>20)
			// 4 MiB per instance would be gigabytes; allow for Go's own
			// garbage (the collector is off) and a few live instances.
			if grown := peak - base; grown > 256<<20 {
				t.Fatalf("RSS grew by %d MiB over %d instances", grown>>20, n)
			}
		})
	}
}

// TestInstance_close: use after Close is an error, never a crash; a
// memory imported by another open instance lives until that one is
// closed too.
func TestInstance_close(t *testing.T) {
	m := loadWat(t, touch4M)
	imp := loadWat(t, `(module (import "a" "memory" (memory 1)) (import "a" "touch" (func $t))
	  (func (export "peek") (result i32) (call $t) (i32.load (i32.const 4096))))`)
	s := rt.NewStore()
	defer s.Close()
	a, err := s.Instantiate(m, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Instantiate(imp, rt.Imports{"a": {"memory": a.Memory("memory"), "touch": a.Func("touch")}})
	if err != nil {
		t.Fatal(err)
	}
	mem := a.Memory("memory")
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if err := a.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if _, err := a.Func("touch").Call(); err == nil {
		t.Fatal("call into a closed instance succeeded")
	}
	if _, err := s.Instantiate(imp, rt.Imports{"a": {"memory": mem, "touch": a.Func("touch")}}); err == nil {
		t.Fatal("import from a closed instance succeeded")
	}
	// b still uses a's memory and function.
	if res, err := b.Func("peek").Call(); err != nil || res[0] != 1 {
		t.Fatalf("peek after closing the exporter = %v, %v; want 1", res, err)
	}
	if len(mem.Bytes()) != 64<<16 {
		t.Fatalf("memory has %d bytes while an importer is open", len(mem.Bytes()))
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if len(mem.Bytes()) != 0 {
		t.Fatalf("memory has %d bytes after all its users closed", len(mem.Bytes()))
	}
	if _, ok := mem.Grow(1); ok {
		t.Fatal("a freed memory grew")
	}
	if _, err := b.Func("peek").Call(); err == nil {
		t.Fatal("call into a closed instance succeeded")
	}
}

// TestInstance_closeHostTable: a host table that held funcrefs of closed
// instances is cleared when they are freed, so a later importer cannot
// call into freed records.
func TestInstance_closeHostTable(t *testing.T) {
	m := loadWat(t, `(module (import "h" "t" (table 1 funcref))
	  (func $f (result i32) (i32.const 7)) (elem (i32.const 0) $f)
	  (func (export "call") (result i32) (call_indirect (result i32) (i32.const 0))))`)
	tab, err := rt.NewTable(abi.MakeRefType(true, -0x10), 1, 0, false)
	if err != nil {
		t.Fatal(err)
	}
	s := rt.NewStore()
	defer s.Close()
	imps := rt.Imports{"h": {"t": tab}}
	a, err := s.Instantiate(m, imps)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := tab.Get(0); v == 0 {
		t.Fatal("element segment did not store into the host table")
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if v, _ := tab.Get(0); v != 0 {
		t.Fatalf("host table element is %#x after its instance was freed, want null", v)
	}
	b, err := s.Instantiate(m, imps)
	if err != nil {
		t.Fatal(err)
	}
	if res, err := b.Func("call").Call(); err != nil || res[0] != 7 {
		t.Fatalf("call = %v, %v; want 7", res, err)
	}
}

// TestInstance_closeInHostCall: closing an instance or its store from a
// host function it called is an error.
func TestInstance_closeInHostCall(t *testing.T) {
	m := loadWat(t, sumLoop)
	s := rt.NewStore()
	defer s.Close()
	var inst *rt.Instance
	var errs [2]error
	cb := rt.NewHostFunc(i64to64, func(a []uint64) ([]uint64, error) {
		errs[0], errs[1] = inst.Close(), s.Close()
		return a, nil
	})
	inst, err := s.Instantiate(m, rt.Imports{"env": {"cb": cb}})
	if err != nil {
		t.Fatal(err)
	}
	if res, err := inst.Func("callcb").Call(3); err != nil || res[0] != 3 {
		t.Fatalf("callcb = %v, %v", res, err)
	}
	if errs[0] == nil || errs[1] == nil {
		t.Fatalf("Close from a host function: %v, %v; want errors", errs[0], errs[1])
	}
}
