package rt_test

import (
	"errors"
	"testing"
	"time"

	"wfxc/compile"
	"wfxc/frontend/wat"
	"wfxc/rt"
)

// loadWatFuel is loadWat with fuel metering compiled in.
func loadWatFuel(t testing.TB, src string) *rt.Module {
	t.Helper()
	wasm, err := wat.ParseModule([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	res, err := compile.Compile(wasm, compile.Options{Name: "m", Fuel: true})
	if err != nil {
		t.Fatal(err)
	}
	m, err := rt.LoadObject(res.Object)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func trapMessage(err error) string {
	var tr *rt.Trap
	if errors.As(err, &tr) {
		return tr.Message
	}
	return ""
}

// TestStore_fuel: a budget stops a long loop with "all fuel consumed";
// consumption is deterministic; code compiled without metering ignores
// the budget.
func TestStore_fuel(t *testing.T) {
	m := loadWatFuel(t, sumLoop)
	cb := rt.NewHostFunc(i64to64, func(a []uint64) ([]uint64, error) { return a, nil })
	s := rt.NewStore()
	defer s.Close()
	inst, err := s.Instantiate(m, rt.Imports{"env": {"cb": cb}})
	if err != nil {
		t.Fatal(err)
	}
	if res, err := inst.Func("sum").Call(1000); err != nil || res[0] != sumOf(1000) {
		t.Fatalf("sum without a budget = %v, %v", res, err)
	}
	s.SetFuel(1 << 20)
	if _, err := inst.Func("sum").Call(1000); err != nil {
		t.Fatal(err)
	}
	used := 1<<20 - s.Fuel()
	s.SetFuel(1 << 20)
	inst.Func("sum").Call(1000)
	if again := 1<<20 - s.Fuel(); again != used || used < 1000*10 || used > 1000*20 {
		t.Fatalf("sum(1000) used %d fuel, then %d: want the same, 10–20 per iteration", used, again)
	}
	s.SetFuel(5000)
	_, err = inst.Func("sum").Call(1_000_000)
	if msg := trapMessage(err); msg != "all fuel consumed" {
		t.Fatalf("sum(1e6) with 5000 fuel: %v, want the trap \"all fuel consumed\"", err)
	}
	if s.Fuel() != 0 {
		t.Fatalf("fuel left after the trap: %d", s.Fuel())
	}

	plain := loadWat(t, sumLoop)
	p, err := s.Instantiate(plain, rt.Imports{"env": {"cb": cb}})
	if err != nil {
		t.Fatal(err)
	}
	s.SetFuel(10)
	if res, err := p.Func("sum").Call(100_000); err != nil || res[0] != sumOf(100_000) {
		t.Fatalf("unmetered sum with a budget = %v, %v", res, err)
	}
}

const spin = `(module (func (export "spin") (loop $l (br $l))) (func (export "one") (result i32) (i32.const 1)))`

// TestStore_timeout: a call that runs longer than the store's timeout
// fails with "interrupted" soon after it; later calls are not affected.
func TestStore_timeout(t *testing.T) {
	m := loadWat(t, spin)
	s := rt.NewStore()
	defer s.Close()
	inst, err := s.Instantiate(m, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.SetTimeout(50 * time.Millisecond)
	for i := 0; i < 3; i++ {
		start := time.Now()
		_, err := inst.Func("spin").Call()
		el := time.Since(start)
		if msg := trapMessage(err); msg != "interrupted" {
			t.Fatalf("spin: %v, want the trap \"interrupted\"", err)
		}
		if el < 50*time.Millisecond || el > 500*time.Millisecond {
			t.Fatalf("spin interrupted after %v, want 50ms plus a little", el)
		}
		t.Logf("interrupted after %v", el)
		for j := 0; j < 1000; j++ {
			if res, err := inst.Func("one").Call(); err != nil || res[0] != 1 {
				t.Fatalf("short call after a timeout: %v, %v", res, err)
			}
		}
	}
	s.SetTimeout(0)
	if res, err := inst.Func("one").Call(); err != nil || res[0] != 1 {
		t.Fatalf("call without a timeout: %v, %v", res, err)
	}
}

// TestStore_limits: memory.grow past the limit returns -1; instantiation
// over a limit is an error.
func TestStore_limits(t *testing.T) {
	m := loadWat(t, `(module (memory 1) (table 1 funcref)
	  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
	  (func (export "tgrow") (param i32) (result i32) (table.grow (ref.null func) (local.get 0))))`)
	s := rt.NewStore()
	defer s.Close()
	s.SetLimits(rt.Limits{MemoryBytes: 3 << 16, TableElements: 4, Instances: 2})
	inst, err := s.Instantiate(m, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		fn        string
		arg, want uint64
	}{
		{"grow", 2, 1}, {"grow", 1, 0xffffffff}, {"grow", 0, 3},
		{"tgrow", 3, 1}, {"tgrow", 1, 0xffffffff},
	} {
		res, err := inst.Func(c.fn).Call(c.arg)
		if err != nil || uint32(res[0]) != uint32(c.want) {
			t.Errorf("%s(%d) = %v, %v; want %d", c.fn, c.arg, res, err, int32(c.want))
		}
	}
	if _, err := s.Instantiate(m, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Instantiate(m, nil); !errors.Is(err, rt.ErrLimit) {
		t.Fatalf("third instance with a limit of 2: %v, want ErrLimit", err)
	}
	big := loadWat(t, `(module (memory 4))`)
	s2 := rt.NewStore()
	defer s2.Close()
	s2.SetLimits(rt.Limits{MemoryBytes: 3 << 16})
	if _, err := s2.Instantiate(big, nil); !errors.Is(err, rt.ErrLimit) {
		t.Fatalf("memory of 4 pages with a limit of 3: %v, want ErrLimit", err)
	}
}

// TestStore_limitsCommitted: the committed memory limit counts memories,
// tables and fibre stacks together: memory.grow and table.grow past it
// return -1, cont.new past it and instantiation over it are ErrLimit, and
// what a closed instance held is given back (its store keeps the fibre
// stacks it made). The fibre stack limit stops
// cont.new with ErrLimit.
func TestStore_limitsCommitted(t *testing.T) {
	m := loadWat(t, `(module (memory 2) (table 16 funcref)
	  (type $f (func))
	  (type $k (cont $f))
	  (tag $t)
	  (global $park (mut (ref null $k)) (ref.null $k))
	  (func $body (suspend $t))
	  (elem declare func $body)
	  (func (export "park")
	    (global.set $park
	      (block $h (result (ref $k))
	        (resume $k (on $t $h) (cont.new $k (ref.func $body)))
	        (unreachable))))
	  (func (export "finish") (resume $k (global.get $park)))
	  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
	  (func (export "tgrow") (param i32) (result i32) (table.grow (ref.null func) (local.get 0))))`)
	const stack = 64 << 10
	const first = 2<<16 + 16*8 // two pages and 16 funcref elements
	s := rt.NewStore()
	defer s.Close()
	if err := s.SetFibreStackSize(stack); err != nil {
		t.Fatal(err)
	}
	s.SetLimits(rt.Limits{CommittedBytes: first + 1<<16 + 8 + stack})
	inst, err := s.Instantiate(m, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Committed(); got != first {
		t.Fatalf("committed %d bytes after instantiation, want %d", got, first)
	}
	call := func(fn string, args ...uint64) ([]uint64, error) { return inst.Func(fn).Call(args...) }
	if _, err := call("park"); err != nil {
		t.Fatalf("park within the limit: %v", err)
	}
	for _, c := range []struct {
		fn        string
		arg, want uint64
	}{{"grow", 2, 0xffffffff}, {"grow", 1, 2}, {"tgrow", 2, 0xffffffff}, {"tgrow", 1, 16}} {
		res, err := call(c.fn, c.arg)
		if err != nil || uint32(res[0]) != uint32(c.want) {
			t.Errorf("%s(%d) = %v, %v; want %d", c.fn, c.arg, res, err, int32(c.want))
		}
	}
	if got, want := s.Committed(), uint64(first+1<<16+8+stack); got != want {
		t.Fatalf("committed %d bytes, want %d", got, want)
	}
	if _, err := call("park"); !errors.Is(err, rt.ErrLimit) {
		t.Fatalf("a second fibre stack over the limit: %v, want ErrLimit", err)
	}
	if _, err := s.Instantiate(m, nil); !errors.Is(err, rt.ErrLimit) {
		t.Fatalf("a second instance over the limit: %v, want ErrLimit", err)
	}
	if _, err := call("finish"); err != nil { // no live continuation keeps the instance
		t.Fatal(err)
	}
	if err := inst.Close(); err != nil {
		t.Fatal(err)
	}
	if got := s.Committed(); got != stack {
		t.Fatalf("committed %d bytes after Close, want %d (the store's fibre stack)", got, stack)
	}

	s2 := rt.NewStore()
	defer s2.Close()
	s2.SetLimits(rt.Limits{FibreStacks: 1})
	inst2, err := s2.Instantiate(m, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := inst2.Func("park").Call(); err != nil {
		t.Fatalf("first fibre stack: %v", err)
	}
	if _, err := inst2.Func("park").Call(); !errors.Is(err, rt.ErrLimit) {
		t.Fatalf("second fibre stack with a limit of 1: %v, want ErrLimit", err)
	}
}
