package rt_test

import (
	"errors"
	"flag"
	"runtime"
	"testing"
	"time"

	"wfxc/rt"
)

// imageMod has a data image on pages 0 and 2 and exports peek/poke/grow.
const imageMod = `(module (memory (export "memory") 4)
  (table 2 funcref)
  (data (i32.const 16) "image")
  (data (i32.const 0x20000) "far")
  (func (export "peek") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "poke") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "tgrow") (param i32) (result i32) (table.grow (ref.null func) (local.get 0))))`

const otherMod = `(module (memory (export "memory") 1)
  (data (i32.const 16) "OTHER")
  (func (export "peek") (param i32) (result i32) (i32.load8_u (local.get 0))))`

func peek(t *testing.T, inst *rt.Instance, addr uint64) byte {
	t.Helper()
	res, err := inst.Func("peek").Call(addr)
	if err != nil {
		t.Fatal(err)
	}
	return byte(res[0])
}

// TestPool_reuse: a reused slot starts from the module's data image again
// (dirty pages reset), with zeros elsewhere; slots move between modules.
func TestPool_reuse(t *testing.T) {
	p, err := rt.NewPool(rt.PoolConfig{Instances: 4, Memories: 4, Tables: 4, MemoryBytes: 8 << 16, TableElements: 8})
	if err != nil {
		t.Fatal(err)
	}
	m, other := loadWat(t, imageMod), loadWat(t, otherMod)
	s := rt.NewStore()
	s.SetPool(p)
	for round := 0; round < 6; round++ {
		mod := m
		if round%3 == 2 {
			mod = other
		}
		inst, err := s.Instantiate(mod, nil)
		if err != nil {
			t.Fatal(err)
		}
		if mod == other {
			if got := peek(t, inst, 16); got != 'O' {
				t.Fatalf("round %d: other module's data = %q", round, got)
			}
		} else {
			if got := string(inst.Memory("memory").Bytes()[16:21]) + string(inst.Memory("memory").Bytes()[0x20000:0x20003]); got != "imagefar" {
				t.Fatalf("round %d: data %q, want imagefar", round, got)
			}
			if got := peek(t, inst, 0x30000); got != 0 {
				t.Fatalf("round %d: untouched byte %d, want 0", round, got)
			}
			for _, a := range []uint64{16, 0x20000, 0x30000} {
				if _, err := inst.Func("poke").Call(a, 'X'); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := inst.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if i, mm, tb := p.InUse(); i+mm+tb != 0 {
		t.Fatalf("slots in use after Store.Close: %d instances, %d memories, %d tables", i, mm, tb)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestPool_limits: pooled memories and tables grow inside their slot
// only; an exhausted pool is an error until a slot comes back.
func TestPool_limits(t *testing.T) {
	p, err := rt.NewPool(rt.PoolConfig{Instances: 2, Memories: 2, Tables: 2, MemoryBytes: 6 << 16, TableElements: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	m := loadWat(t, imageMod)
	s := rt.NewStore()
	defer s.Close()
	s.SetPool(p)
	a, err := s.Instantiate(m, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		fn        string
		arg, want uint64
	}{{"grow", 2, 4}, {"grow", 1, 0xffffffff}, {"tgrow", 2, 2}, {"tgrow", 1, 0xffffffff}} {
		res, err := a.Func(c.fn).Call(c.arg)
		if err != nil || uint32(res[0]) != uint32(c.want) {
			t.Errorf("%s(%d) = %v, %v; want %d", c.fn, c.arg, res, err, int32(c.want))
		}
	}
	if got := peek(t, a, 6<<16-1); got != 0 {
		t.Errorf("last byte of the grown memory = %d", got)
	}
	if _, err := s.Instantiate(m, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Instantiate(m, nil); !errors.Is(err, rt.ErrPoolExhausted) {
		t.Fatalf("third instance in a pool of two: %v, want ErrPoolExhausted", err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Instantiate(m, nil); err != nil {
		t.Fatalf("after a slot came back: %v", err)
	}
	big := loadWat(t, `(module (memory 7))`)
	if _, err := s.Instantiate(big, nil); !errors.Is(err, rt.ErrPoolExhausted) {
		t.Fatalf("memory larger than a slot: %v, want ErrPoolExhausted", err)
	}
}

// contMod parks continuations in a table of 16-byte continuation
// elements: park(i) runs a new one to its suspend and stores it at i,
// finish(i) resumes the one at i to its return.
const contMod = `(module
  (type $f (func))
  (type $k (cont $f))
  (tag $t)
  (table $conts 512 (ref null $k))
  (memory 1)
  (func $body (suspend $t))
  (elem declare func $body)
  (func (export "park") (param $i i32)
    (table.set $conts (local.get $i)
      (block $h (result (ref $k))
        (resume $k (on $t $h) (cont.new $k (ref.func $body)))
        (unreachable))))
  (func (export "finish") (param $i i32)
    (resume $k (table.get $conts (local.get $i)))))`

// TestPool_fibres: a pooled store's fibre stacks come from the pool's
// slots, are reused through the store's free list, and go back when the
// store is closed; an exhausted fibre pool is ErrPoolExhausted. Table
// slots hold 512 continuation elements (16 bytes each) without
// overlapping the next slot (in slots sized for 8-byte elements, element
// 256 of one table would be element 0 of the next).
func TestPool_fibres(t *testing.T) {
	p, err := rt.NewPool(rt.PoolConfig{Instances: 4, Memories: 4, Tables: 4, TableElements: 512, FibreStacks: 4, FibreStackBytes: 128 << 10})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	m := loadWat(t, contMod)
	call := func(inst *rt.Instance, fn string, i uint64) error {
		_, err := inst.Func(fn).Call(i)
		return err
	}
	s := rt.NewStore()
	s.SetPool(p)
	a, err := s.Instantiate(m, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Instantiate(m, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		inst *rt.Instance
		i    uint64
	}{{a, 256}, {b, 0}, {a, 511}, {b, 2}} {
		if err := call(c.inst, "park", c.i); err != nil {
			t.Fatalf("park(%d): %v", c.i, err)
		}
	}
	if n := p.FibresInUse(); n != 4 {
		t.Fatalf("%d fibre slots in use after 4 parked continuations, want 4", n)
	}
	if err := call(a, "park", 3); !errors.Is(err, rt.ErrPoolExhausted) {
		t.Fatalf("fifth continuation in a pool of four: %v, want ErrPoolExhausted", err)
	}
	if err := call(a, "finish", 0); trapMessage(err) == "" {
		t.Fatalf("finish of a null element of a: %v, want a trap (b's element 0 must not show through)", err)
	}
	for _, c := range []struct {
		inst *rt.Instance
		i    uint64
	}{{a, 256}, {b, 0}, {a, 511}, {b, 2}} {
		if err := call(c.inst, "finish", c.i); err != nil {
			t.Fatalf("finish(%d): %v", c.i, err)
		}
	}
	for i := uint64(0); i < 4; i++ { // records come back through the free list: no new stacks
		if err := call(a, "park", i); err != nil {
			t.Fatalf("park(%d) again: %v", i, err)
		}
	}
	if n := p.FibresInUse(); n != 4 {
		t.Fatalf("%d fibre slots in use after reuse, want 4", n)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if n := p.FibresInUse(); n != 0 {
		t.Fatalf("%d fibre slots in use after Store.Close", n)
	}
	s2 := rt.NewStore()
	defer s2.Close()
	s2.SetPool(p)
	c, err := s2.Instantiate(m, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := call(c, "park", 7); err != nil {
		t.Fatalf("park in a second store: %v", err)
	}
	if err := call(c, "finish", 7); err != nil {
		t.Fatalf("finish in a second store: %v", err)
	}
}

// churnResident is the number of instances TestPool_churnResident makes.
var churnResident = flag.Int("churn-resident", 100_000, "instances TestPool_churnResident creates")

// TestPool_churnResident is the churn at full size: 10^5 pooled
// instances that touch 4 MiB each and are closed, the collector left as
// it is and never called; RSS stays bounded. The slots keep their first
// 4 MiB resident (MemoryKeepResident), so a reset is a clear of the
// touched pages instead of 1,024 page faults for the next instance.
func TestPool_churnResident(t *testing.T) {
	m := loadWat(t, touch4M)
	p, err := rt.NewPool(rt.PoolConfig{Instances: 4, Memories: 4, Tables: 4, MemoryBytes: 8 << 20, MemoryKeepResident: 4 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	s := rt.NewStore()
	defer s.Close()
	s.SetPool(p)
	base := rss(t)
	peak := base
	start := time.Now()
	n := *churnResident
	for i := 0; i < n; i++ {
		inst, err := s.Instantiate(m, nil)
		if err != nil {
			t.Fatal(err)
		}
		mem := inst.Memory("memory").Bytes()
		if mem[0] != 0 || mem[0x3ff000] != 0 {
			t.Fatalf("instance %d: memory not reset to zeros", i)
		}
		if _, err := inst.Func("touch").Call(); err != nil {
			t.Fatal(err)
		}
		if mem[0] != 1 || mem[0x3ff000] != 1 || mem[4] != 0 {
			t.Fatalf("instance %d: memory not as touch left it", i)
		}
		if err := inst.Close(); err != nil {
			t.Fatal(err)
		}
		if i%1024 == 0 {
			peak = max(peak, rss(t))
		}
	}
	t.Logf("%d instances in %v: RSS %d MiB before, peak %d MiB", n, time.Since(start), base>>20, peak>>20)
	if grown := peak - base; grown > 256<<20 {
		t.Fatalf("RSS grew by %d MiB over %d instances", grown>>20, n)
	}
}

// TestPool_storeCollected: pooled instances have no cleanup of their
// own; the store's is their safety net. A store dropped without Close,
// with open pooled instances, gives their slots back once it is
// collected.
func TestPool_storeCollected(t *testing.T) {
	p, err := rt.NewPool(rt.PoolConfig{Instances: 4, Memories: 4, Tables: 4, MemoryBytes: 8 << 16, TableElements: 8})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	m := loadWat(t, imageMod)
	func() {
		s := rt.NewStore()
		s.SetPool(p)
		for i := 0; i < 3; i++ {
			inst, err := s.Instantiate(m, nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := inst.Func("poke").Call(16, 'X'); err != nil {
				t.Fatal(err)
			}
		}
	}()
	if i, mm, tb := p.InUse(); i != 3 || mm != 3 || tb != 3 {
		t.Fatalf("slots in use with 3 open instances: %d, %d, %d", i, mm, tb)
	}
	for i := 0; i < 100; i++ {
		runtime.GC()
		if n, _, _ := p.InUse(); n == 0 {
			break
		}
		time.Sleep(10 * time.Millisecond) // cleanups run on their own goroutine
	}
	if i, mm, tb := p.InUse(); i+mm+tb != 0 {
		t.Fatalf("slots in use after the store was collected: %d instances, %d memories, %d tables", i, mm, tb)
	}
	// The slots are reset: a new instance sees the data image again.
	s := rt.NewStore()
	defer s.Close()
	s.SetPool(p)
	inst, err := s.Instantiate(m, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := peek(t, inst, 16); got != 'i' {
		t.Fatalf("byte 16 of a reused slot = %q, want 'i'", got)
	}
}

// TestPool_failedInstantiation: an instantiation that traps (in its start
// function, or in a data segment) gives its slots back at once.
func TestPool_failedInstantiation(t *testing.T) {
	p, err := rt.NewPool(rt.PoolConfig{Instances: 2, Memories: 2, Tables: 2, MemoryBytes: 4 << 16, TableElements: 8})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	s := rt.NewStore()
	defer s.Close()
	s.SetPool(p)
	for _, src := range []string{
		`(module (memory 1) (table 2 funcref) (func $s unreachable) (start $s))`,
		`(module (memory 1) (table 2 funcref) (global $g i32 (i32.const 70000)) (data (global.get $g) "x"))`,
	} {
		m := loadWat(t, src)
		for i := 0; i < 5; i++ { // more than the pool holds
			if _, err := s.Instantiate(m, nil); trapMessage(err) == "" {
				t.Fatalf("%s: %v, want a trap", src, err)
			}
		}
		if i, mm, tb := p.InUse(); i+mm+tb != 0 {
			t.Fatalf("%s: slots in use after failed instantiations: %d, %d, %d", src, i, mm, tb)
		}
	}
}

// TestPool_allocations: a pooled instantiation of a module with a memory
// and a table allocates the Instance, its resource record, the Memory and
// the Table with its mapping, nothing per function, global or segment.
func TestPool_allocations(t *testing.T) {
	p, err := rt.NewPool(rt.PoolConfig{Instances: 2, Memories: 2, Tables: 2, MemoryBytes: 8 << 16, TableElements: 8})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	s := rt.NewStore()
	defer s.Close()
	s.SetPool(p)
	m := loadWat(t, imageMod)
	allocs := testing.AllocsPerRun(100, func() {
		inst, err := s.Instantiate(m, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := inst.Close(); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 5 {
		t.Fatalf("%v allocations per pooled instantiation and Close, want at most 5", allocs)
	}
}

// hostMod calls its host import: each exit looks its instance up by
// vmctx.
const hostModA = `(module (import "h" "f" (func $f (param i64) (result i64)))
  (memory 1) (func (export "run") (param i64) (result i64) (call $f (local.get 0))))`

const hostModB = `(module (import "h" "g" (func $g (param i64) (result i64)))
  (global $x (mut i64) (i64.const 0))
  (func (export "run") (param i64) (result i64) (call $g (local.get 0))))`

// TestPool_vmctxReuse: the next instance in a closed instance's slot has
// the same vmctx; an exit of its code finds it, not the closed one (the
// store's look-up cache must not hold closed instances). A pooled
// instance's code called through another store finds its instance too.
func TestPool_vmctxReuse(t *testing.T) {
	p, err := rt.NewPool(rt.PoolConfig{Instances: 1, Memories: 1, Tables: 1, MemoryBytes: 1 << 16})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	s := rt.NewStore()
	defer s.Close()
	s.SetPool(p)
	add := func(k uint64) *rt.Func {
		return rt.NewHostFunc(i64to64, func(a []uint64) ([]uint64, error) { return []uint64{a[0] + k}, nil })
	}
	imps := rt.Imports{"h": {"f": add(1), "g": add(1000)}}
	ma, mb := loadWat(t, hostModA), loadWat(t, hostModB)
	for round := 0; round < 4; round++ {
		m, want := ma, uint64(11)
		if round%2 == 1 {
			m, want = mb, 1010
		}
		inst, err := s.Instantiate(m, imps)
		if err != nil {
			t.Fatal(err)
		}
		if inst.VMCtx() == 0 {
			t.Fatal("no vmctx")
		}
		if res, err := inst.Func("run").Call(10); err != nil || res[0] != want {
			t.Fatalf("round %d: run(10) = %v, %v; want %d", round, res, err, want)
		}
		if err := inst.Close(); err != nil {
			t.Fatal(err)
		}
	}

	// Code of a pooled instance of s, called from an instance of s2.
	a, err := s.Instantiate(ma, imps)
	if err != nil {
		t.Fatal(err)
	}
	caller := loadWat(t, `(module (import "a" "run" (func $r (param i64) (result i64)))
	  (func (export "run") (param i64) (result i64) (call $r (local.get 0))))`)
	s2 := rt.NewStore()
	defer s2.Close()
	c, err := s2.Instantiate(caller, rt.Imports{"a": {"run": a.Func("run")}})
	if err != nil {
		t.Fatal(err)
	}
	if res, err := c.Func("run").Call(5); err != nil || res[0] != 6 {
		t.Fatalf("cross-store run(5) = %v, %v; want 6", res, err)
	}
}
