package e2e

// Stack switching end to end (DESIGN.md §6): continuations compiled from
// text, run in-process; what the spec scripts do not check — the pool,
// stack exhaustion and backtraces inside continuations, host calls from a
// fibre, the handler search stopping at the host, Go's GC while many
// continuations are suspended, continuation references in the calling
// convention.

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"wfxc/compile"
	"wfxc/frontend/wat"
	"wfxc/rt"
	"wfxc/rt/abi"
)

const contWat = `(module
  (type $f (func (param i64) (result i64)))
  (type $k (cont $f))
  (type $g (func))
  (type $kg (cont $g))
  (import "env" "host" (func $host (param i64) (result i64)))
  (tag $yield (param i64) (result i64))
  (table $parked 1000 (ref null $k))
  (elem declare func $gen $empty $rec $viahost $idk $mid)

  ;; Yields x and continues with what it is resumed with, until 0.
  (func $gen (param $x i64) (result i64)
    (loop $l
      (local.set $x (suspend $yield (local.get $x)))
      (br_if $l (i64.ne (local.get $x) (i64.const 0))))
    (i64.const -1))

  ;; 1 + 2 + ... + n through a generator.
  (func (export "sum") (param $n i64) (result i64)
    (local $k (ref null $k)) (local $s i64) (local $v i64)
    (local.set $k (cont.new $k (ref.func $gen)))
    (local.set $v (i64.const 1))
    (block $done
      (loop $l
        (block $h (result i64 (ref $k))
          (resume $k (on $yield $h) (local.get $v) (local.get $k))
          (drop) (br $done))
        (local.set $k)
        (local.set $s (i64.add (local.get $s)))
        (local.set $n (i64.sub (local.get $n) (i64.const 1)))
        (local.set $v (select (i64.add (local.get $v) (i64.const 1)) (i64.const 0)
          (i64.ne (local.get $n) (i64.const 0))))
        (br $l)))
    (local.get $s))

  (func $empty)
  ;; n continuations created, run to completion.
  (func (export "cycles") (param $n i64)
    (loop $l
      (resume $kg (cont.new $kg (ref.func $empty)))
      (br_if $l (i64.ne (local.tee $n (i64.sub (local.get $n) (i64.const 1))) (i64.const 0)))))

  (func $rec (param $x i64) (result i64)
    (i64.add (call $rec (i64.add (local.get $x) (i64.const 1))) (i64.const 1)))
  (func (export "overflow") (result i64)
    (resume $k (i64.const 0) (cont.new $k (ref.func $rec))))

  (func $viahost (param $x i64) (result i64)
    (i64.add (call $host (local.get $x)) (suspend $yield (i64.const 7))))
  ;; A host call from a fibre (the host calls back into wasm), then a
  ;; suspension on the same fibre.
  (func (export "hosted") (param $x i64) (result i64)
    (local $k (ref null $k))
    (block $h (result i64 (ref $k))
      (return (resume $k (on $yield $h) (local.get $x) (cont.new $k (ref.func $viahost)))))
    (local.set $k)
    (drop)
    (resume $k (i64.const 100) (local.get $k)))
  ;; Called by the host from inside "hosted": its suspension must not
  ;; find the handler of the resume beyond the host frame.
  (func (export "lonely") (result i64)
    (suspend $yield (i64.const 1)))

  ;; Park n generators suspended in the table, then drain them.
  (func (export "park") (param $n i32)
    (local $i i32) (local $k (ref null $k))
    (loop $l
      (block $h (result i64 (ref $k))
        (resume $k (on $yield $h) (i64.extend_i32_u (local.get $i)) (cont.new $k (ref.func $gen)))
        (unreachable))
      (local.set $k)
      (drop)
      (table.set $parked (local.get $i) (local.get $k))
      (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n)))))
  (func (export "drain") (param $n i32) (result i64)
    (local $i i32) (local $s i64)
    (loop $l
      (local.set $s (i64.add (local.get $s)
        (resume $k (i64.const 0) (table.get $parked (local.get $i)))))
      (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $s))

  ;; Continuation references as arguments and results: nine of them take
  ;; every XMM argument register and two stack slots.
  (func $idk (param i64) (result i64) (local.get 0))
  (func $pick (param $a (ref null $k)) (param $b (ref null $k)) (param $c (ref null $k))
      (param $d (ref null $k)) (param $e (ref null $k)) (param $f (ref null $k))
      (param $g (ref null $k)) (param $h (ref null $k)) (param $i i32) (param $j (ref null $k))
      (result (ref null $k) (ref null $k))
    (local.get $a) (local.get $j))
  (func (export "abi") (result i64)
    (local $k1 (ref null $k)) (local $k2 (ref null $k))
    (call $pick (cont.new $k (ref.func $idk)) (ref.null $k) (ref.null $k) (ref.null $k)
      (ref.null $k) (ref.null $k) (ref.null $k) (ref.null $k) (i32.const 5) (cont.new $k (ref.func $idk)))
    (local.set $k2) (local.set $k1)
    (i64.add (resume $k (i64.const 20) (local.get $k1)) (resume $k (i64.const 3) (local.get $k2))))

  ;; A trap two calls deep inside a continuation (functions 15, 16, 17).
  (func $deep (param i64) (result i64) (unreachable))
  (func $mid (param $x i64) (result i64) (call $deep (local.get $x)))
  (func (export "crash") (result i64)
    (resume $k (i64.const 1) (cont.new $k (ref.func $mid))))
)`

func contInstance(t *testing.T, host func(inst *rt.Instance, x uint64) (uint64, error)) (*rt.Store, *rt.Instance) {
	t.Helper()
	return contInstanceIn(t, rt.NewStore(), host)
}

// contInstanceIn instantiates contWat in store s.
func contInstanceIn(t *testing.T, s *rt.Store, host func(inst *rt.Instance, x uint64) (uint64, error)) (*rt.Store, *rt.Instance) {
	t.Helper()
	bin, err := wat.ParseModule([]byte(contWat))
	if err != nil {
		t.Fatal(err)
	}
	res, err := compile.Compile(bin, compile.Options{Name: "cont", CheckIR: true})
	if err != nil {
		t.Fatalf("compile: %v", err)
	}
	mod, err := rt.LoadObject(res.Object)
	if err != nil {
		t.Fatal(err)
	}
	var inst *rt.Instance
	h := rt.NewHostFunc(abi.FuncType{Params: []abi.ValType{tI64}, Results: []abi.ValType{tI64}},
		func(a []uint64) ([]uint64, error) {
			r, err := host(inst, a[0])
			return []uint64{r}, err
		})
	inst, err = s.Instantiate(mod, rt.Imports{"env": {"host": h}})
	if err != nil {
		t.Fatal(err)
	}
	return s, inst
}

func noHost(*rt.Instance, uint64) (uint64, error) { return 0, errors.New("unexpected host call") }

func wantLive(t *testing.T, s *rt.Store, want int) {
	t.Helper()
	if live, _ := s.Continuations(); live != want {
		t.Fatalf("%d live continuations, want %d", live, want)
	}
}

func TestCont_generator(t *testing.T) {
	s, inst := contInstance(t, noHost)
	for _, n := range []uint64{1, 2, 10, 1000} {
		if got := mustCall(t, inst, "sum", n)[0]; got != n*(n+1)/2 {
			t.Errorf("sum(%d) = %d, want %d", n, got, n*(n+1)/2)
		}
	}
	wantLive(t, s, 0)
	if _, total := s.Continuations(); total != 1 {
		t.Errorf("%d records for one continuation at a time, want 1 (the free list is reused)", total)
	}
}

// TestCont_poolCycles: 10^6 cont.new/resume/return cycles reuse one record;
// the pool is back at zero live continuations and the process does not
// grow.
func TestCont_poolCycles(t *testing.T) {
	s, inst := contInstance(t, noHost)
	mustCall(t, inst, "cycles", 1000)
	rss := rssKiB(t)
	mustCall(t, inst, "cycles", 1000000)
	wantLive(t, s, 0)
	if _, total := s.Continuations(); total != 1 {
		t.Errorf("%d records, want 1", total)
	}
	if grown := rssKiB(t) - rss; grown > 4096 {
		t.Errorf("RSS grew by %d KiB over 10^6 cycles", grown)
	}
}

// TestCont_poolCyclesPooled: the same cycles in a store whose fibre stacks
// come from a Pool hold one of its stack slots, also when continuations
// end by a trap or leave by an exception on the way; closing the store
// gives the slot back, and the pool's memory does not grow.
func TestCont_poolCyclesPooled(t *testing.T) {
	pool, err := rt.NewPool(rt.PoolConfig{Instances: 1, Memories: 1, Tables: 1, FibreStacks: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	s := rt.NewStore()
	s.SetPool(pool)
	s, inst := contInstanceIn(t, s, noHost)
	mustCall(t, inst, "cycles", 1000)
	rss := rssKiB(t)
	for range 4 {
		mustCall(t, inst, "cycles", 250000)
		if _, err := inst.Func("overflow").Call(); err == nil {
			t.Fatal("overflow: no trap")
		}
		if _, err := inst.Func("crash").Call(); err == nil {
			t.Fatal("crash: no trap")
		}
		wantLive(t, s, 0)
		if n := pool.FibresInUse(); n != 1 {
			t.Fatalf("%d fibre stack slots of the pool in use, want 1", n)
		}
	}
	if _, total := s.Continuations(); total != 1 {
		t.Errorf("%d records, want 1", total)
	}
	if grown := rssKiB(t) - rss; grown > 4096 {
		t.Errorf("RSS grew by %d KiB over 10^6 cycles", grown)
	}
	s.Close()
	if n := pool.FibresInUse(); n != 0 {
		t.Errorf("%d fibre stack slots in use after the store's Close, want 0", n)
	}
}

func TestCont_stackOverflowInside(t *testing.T) {
	s, inst := contInstance(t, noHost)
	for i := 0; i < 3; i++ {
		_, err := inst.Func("overflow").Call()
		var tr *rt.Trap
		if !errors.As(err, &tr) || tr.Message != "call stack exhausted" {
			t.Fatalf("overflow: err = %v, want call stack exhausted", err)
		}
		if n := len(tr.Frames); n < 10 || tr.Frames[0].Func != 5 { // $rec
			t.Fatalf("overflow: %d frames, first %+v", n, tr.Frames[0])
		}
		wantLive(t, s, 0) // dropped by the trap
	}
	// A trap's backtrace leaves the fibre for the resumer's frame.
	_, err := inst.Func("crash").Call()
	var tr *rt.Trap
	if !errors.As(err, &tr) || tr.Message != "unreachable" {
		t.Fatalf("crash: err = %v, want unreachable", err)
	}
	var got []uint32
	for _, f := range tr.Frames {
		got = append(got, f.Func)
	}
	if fmt.Sprint(got) != "[15 16 17]" {
		t.Fatalf("crash: frames of functions %v, want [15 16 17] ($deep $mid crash)", got)
	}
	wantLive(t, s, 0)
	if got := mustCall(t, inst, "sum", 4)[0]; got != 10 {
		t.Fatalf("sum(4) after overflows = %d", got)
	}
}

func TestCont_hostCallInside(t *testing.T) {
	var lonely error
	s, inst := contInstance(t, func(inst *rt.Instance, x uint64) (uint64, error) {
		// A nested execution on the fibre: its own continuations work,
		// and its suspension does not cross the host frame.
		_, lonely = inst.Func("lonely").Call()
		res, err := inst.Func("sum").Call(x)
		if err != nil {
			return 0, err
		}
		return 1000 * res[0], nil
	})
	// viahost(4) = host(4) + 100 = 1000*10 + 100.
	if got := mustCall(t, inst, "hosted", 4)[0]; got != 10100 {
		t.Fatalf("hosted(4) = %d, want 10100", got)
	}
	var tr *rt.Trap
	if !errors.As(lonely, &tr) || !strings.Contains(tr.Message, "unhandled") {
		t.Fatalf("lonely from the host: err = %v, want unhandled tag", lonely)
	}
	wantLive(t, s, 0)
}

// TestCont_gcWhileSuspended: Go's collector runs while a thousand
// continuations are suspended in a table, and they resume correctly.
func TestCont_gcWhileSuspended(t *testing.T) {
	s, inst := contInstance(t, noHost)
	mustCall(t, inst, "park", 1000)
	wantLive(t, s, 1000)
	runtime.GC()
	runtime.GC()
	if got := mustCall(t, inst, "drain", 1000)[0]; got != ^uint64(999) { // 1000 × -1
		t.Fatalf("drain = %d, want -1000", int64(got))
	}
	wantLive(t, s, 0)
}

func TestCont_abi(t *testing.T) {
	s, inst := contInstance(t, noHost)
	if got := mustCall(t, inst, "abi")[0]; got != 23 {
		t.Fatalf("abi() = %d, want 23", got)
	}
	wantLive(t, s, 0)
}

// rssKiB is the process's resident set size.
func rssKiB(t *testing.T) int {
	t.Helper()
	return statusKiB(t, "VmRSS:")
}

// statusKiB is the field named key (with its colon) of /proc/self/status.
func statusKiB(t *testing.T, key string) int {
	t.Helper()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip("no /proc/self/status")
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == key {
			n, _ := strconv.Atoi(f[1])
			return n
		}
	}
	t.Fatalf("no %s in /proc/self/status", key)
	return 0
}

const contExnWat = `(module
  (type $f (func (result i32)))
  (type $k (cont $f))
  (tag $yield)
  (tag $boom (param i32))
  (elem declare func $thrower $catcher $deep)

  (func $thrower (result i32) (throw $boom (i32.const 42)))
  ;; Suspends, and catches what it is resumed with.
  (func $catcher (result i32)
    (block $c (result i32)
      (try_table (catch $boom $c)
        (suspend $yield))
      (return (i32.const -1)))
    (i32.add (i32.const 1000)))
  ;; Two continuations deep: the inner one throws, nobody on the fibres
  ;; catches it.
  (func $deep (result i32)
    (resume $k (cont.new $k (ref.func $thrower))))

  ;; An exception leaves the continuation (and one it resumed) and is
  ;; caught by the resumer.
  (func (export "escape") (result i32)
    (block $c (result i32)
      (try_table (catch $boom $c)
        (return (resume $k (cont.new $k (ref.func $deep)))))
      (unreachable)))
  ;; resume_throw into a suspended continuation that catches it.
  (func (export "into") (result i32)
    (local $c (ref null $k))
    (block $h (result (ref $k))
      (resume $k (on $yield $h) (cont.new $k (ref.func $catcher)))
      (unreachable))
    (local.set $c)
    (resume_throw $k $boom (i32.const 7) (local.get $c)))
  ;; resume_throw on a fresh continuation: none of it runs.
  (func (export "fresh") (result i32)
    (block $c (result i32)
      (try_table (catch $boom $c)
        (return (resume_throw $k $boom (i32.const 9) (cont.new $k (ref.func $catcher)))))
      (unreachable)))
)`

// TestCont_exceptions: exceptions thrown in continuations reach their
// resumer's handlers, resume_throw throws at the suspension point or, for
// a fresh continuation, at once; every continuation is given back.
func TestCont_exceptions(t *testing.T) {
	bin, err := wat.ParseModule([]byte(contExnWat))
	if err != nil {
		t.Fatal(err)
	}
	res, err := compile.Compile(bin, compile.Options{Name: "contexn", CheckIR: true})
	if err != nil {
		t.Fatalf("compile: %v", err)
	}
	mod, err := rt.LoadObject(res.Object)
	if err != nil {
		t.Fatal(err)
	}
	s := rt.NewStore()
	inst, err := s.Instantiate(mod, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		fn   string
		want uint64
	}{{"escape", 42}, {"into", 1007}, {"fresh", 9}, {"escape", 42}} {
		if got := mustCall(t, inst, tc.fn)[0]; got != tc.want {
			t.Errorf("%s() = %d, want %d", tc.fn, got, tc.want)
		}
		wantLive(t, s, 0)
	}
}

// TestCont_fibreStackSize: Store.SetFibreStackSize bounds how deep a
// continuation may recurse (exhaustion is the trap, never a fault), and
// is refused once the store has continuations or for a bad size.
// deepContWat exports deep(n): a recursion n calls deep inside a fresh
// continuation, returning n — the stack-size tests' workload.
const deepContWat = `(module
	  (type $f (func (param i64) (result i64)))
	  (type $k (cont $f))
	  (func $deep (param $n i64) (result i64)
	    (if (result i64) (i64.eqz (local.get $n))
	      (then (i64.const 0))
	      (else (i64.add (call $deep (i64.sub (local.get $n) (i64.const 1))) (i64.const 1)))))
	  (elem declare func $deep)
	  (func (export "deep") (param i64) (result i64)
	    (resume $k (local.get 0) (cont.new $k (ref.func $deep)))))`

func TestCont_fibreStackSize(t *testing.T) {
	bin, err := wat.ParseModule([]byte(deepContWat))
	if err != nil {
		t.Fatal(err)
	}
	res, err := compile.Compile(bin, compile.Options{Name: "stacksize"})
	if err != nil {
		t.Fatal(err)
	}
	mod, err := rt.LoadObject(res.Object)
	if err != nil {
		t.Fatal(err)
	}
	const depth = 10000 // some hundreds of KiB of frames
	for _, tc := range []struct {
		size int
		ok   bool
	}{{rt.MinFibreStackSize, false}, {16 << 20, true}, {0, true}} {
		s := rt.NewStore()
		if tc.size != 0 {
			if err := s.SetFibreStackSize(tc.size); err != nil {
				t.Fatalf("SetFibreStackSize(%d): %v", tc.size, err)
			}
		}
		inst, err := s.Instantiate(mod, nil)
		if err != nil {
			t.Fatal(err)
		}
		got, err := inst.Func("deep").Call(depth)
		var tr *rt.Trap
		switch {
		case tc.ok && (err != nil || got[0] != depth):
			t.Errorf("stack %d: deep(%d) = %v, %v; want %d", tc.size, depth, got, err, depth)
		case !tc.ok && (!errors.As(err, &tr) || tr.Message != "call stack exhausted"):
			t.Errorf("stack %d: deep(%d): %v, want call stack exhausted", tc.size, depth, err)
		}
		if got, err := inst.Func("deep").Call(100); err != nil || got[0] != 100 {
			t.Errorf("stack %d: deep(100) = %v, %v", tc.size, got, err)
		}
		if err := s.SetFibreStackSize(4 << 20); err == nil {
			t.Errorf("SetFibreStackSize after continuations were made: no error")
		}
		s.Close()
	}
	for _, n := range []int{0, 4096, rt.MinFibreStackSize + 1, rt.MaxFibreStackSize * 2} {
		if err := rt.NewStore().SetFibreStackSize(n); err == nil {
			t.Errorf("SetFibreStackSize(%d): no error", n)
		}
	}
}

// TestCont_memoryPerSuspended: 10,000 shallow continuations suspended at
// once commit at most 8 KiB each — resident pages (the stack pages they
// touched, the record) plus the kernel's page tables for their mappings
// (VmPTE) — the goal.
func TestCont_memoryPerSuspended(t *testing.T) {
	const n = 10000
	bin, err := wat.ParseModule([]byte(`(module
	  (type $f (func (param i64) (result i64)))
	  (type $k (cont $f))
	  (tag $yield (param i64) (result i64))
	  (table $parked 10000 (ref null $k))
	  (func $gen (param $x i64) (result i64)
	    (suspend $yield (local.get $x)))
	  (elem declare func $gen)
	  (func (export "park") (param $n i32)
	    (local $i i32) (local $k (ref null $k))
	    (loop $l
	      (block $h (result i64 (ref $k))
	        (resume $k (on $yield $h) (i64.extend_i32_u (local.get $i)) (cont.new $k (ref.func $gen)))
	        (unreachable))
	      (local.set $k)
	      (drop)
	      (table.set $parked (local.get $i) (local.get $k))
	      (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n)))))
	  (func (export "drain") (param $n i32) (result i64)
	    (local $i i32) (local $s i64)
	    (loop $l
	      (local.set $s (i64.add (local.get $s)
	        (resume $k (i64.const 1) (table.get $parked (local.get $i)))))
	      (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
	    (local.get $s)))`))
	if err != nil {
		t.Fatal(err)
	}
	res, err := compile.Compile(bin, compile.Options{Name: "parked"})
	if err != nil {
		t.Fatal(err)
	}
	mod, err := rt.LoadObject(res.Object)
	if err != nil {
		t.Fatal(err)
	}
	s := rt.NewStore()
	defer s.Close()
	inst, err := s.Instantiate(mod, nil)
	if err != nil {
		t.Fatal(err)
	}
	mustCall(t, inst, "park", 10) // the first stacks, the code paths
	mustCall(t, inst, "drain", 10)
	runtime.GC()
	before, beforePTE := rssKiB(t), statusKiB(t, "VmPTE:")
	mustCall(t, inst, "park", n)
	after, afterPTE := rssKiB(t), statusKiB(t, "VmPTE:")
	wantLive(t, s, n)
	perCont := float64(after-before+afterPTE-beforePTE) * 1024 / n
	t.Logf("%d suspended continuations: RSS %d → %d KiB, page tables %d → %d KiB: %.0f bytes each", n, before, after, beforePTE, afterPTE, perCont)
	switch {
	case emulated():
		t.Logf("under emulation the memory is qemu's: the 8 KiB bound is checked on native runs")
	case perCont > 8192:
		t.Errorf("%.0f bytes committed per suspended continuation, want at most 8 KiB", perCont)
	}
	if got := mustCall(t, inst, "drain", n)[0]; got != n {
		t.Errorf("drain = %d, want %d", got, n)
	}
	wantLive(t, s, 0)
}

// limitWat resumes continuations that suspend and return and then
// recurses, on the execution's base stack (base) and inside a continuation
// after a nested resume came back (inside): each resume puts the stack
// limit and current record of its own stack back, so the recursion gets
// its stack's full depth and then the trap, not an early trap or a fault.
const limitWat = `(module
  (type $f (func))
  (type $k (cont $f))
  (tag $t)
  (func $rec (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (i32.add (i32.const 1) (call $rec (i32.sub (local.get 0) (i32.const 1)))))))
  (func $inf (param i32) (result i32) (i32.add (i32.const 1) (call $inf (local.get 0))))
  (func $sus (suspend $t))
  (func $ret)
  (func $deep (param $d i32) (param $inf i32) (result i32)
    (block $h (result (ref $k))
      (resume $k (on $t $h) (cont.new $k (ref.func $sus)))
      (unreachable))
    (resume $k) ;; $sus runs on to its return
    (resume $k (cont.new $k (ref.func $ret)))
    (if (result i32) (local.get $inf)
      (then (call $inf (i32.const 0)))
      (else (call $rec (local.get $d)))))
  (elem declare func $sus $ret $outer)
  (global $d (mut i32) (i32.const 0))
  (global $inf (mut i32) (i32.const 0))
  (global $r (mut i32) (i32.const 0))
  (func $outer (global.set $r (call $deep (global.get $d) (global.get $inf))))
  (func (export "base") (param i32 i32) (result i32) (call $deep (local.get 0) (local.get 1)))
  (func (export "inside") (param i32 i32) (result i32)
    (global.set $d (local.get 0))
    (global.set $inf (local.get 1))
    (resume $k (cont.new $k (ref.func $outer)))
    (global.get $r)))`

func TestCont_stackLimitAfterResume(t *testing.T) {
	s := rt.NewStore()
	defer s.Close()
	inst, err := s.Instantiate(loadWat(t, "limit", limitWat), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		fn    string
		depth uint64
	}{{"base", 20000}, {"inside", 5000}} {
		for range 2 {
			if got := mustCall(t, inst, tc.fn, tc.depth, 0); got[0] != tc.depth {
				t.Fatalf("%s(%d): %d", tc.fn, tc.depth, got[0])
			}
			_, err := inst.Func(tc.fn).Call(0, 1)
			var tr *rt.Trap
			if !errors.As(err, &tr) || tr.Message != "call stack exhausted" {
				t.Fatalf("%s: unbounded recursion: %v, want call stack exhausted", tc.fn, err)
			}
			if n := len(tr.Frames); n < 200 || tr.Frames[0].Func != 1 { // $inf (backtraces keep 256 frames)
				t.Fatalf("%s: %d frames, first %+v", tc.fn, n, tr.Frames[0])
			}
			wantLive(t, s, 0)
		}
	}
}
