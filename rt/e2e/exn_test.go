package e2e

import (
	"errors"
	"fmt"
	"runtime"
	"slices"
	"testing"
	"time"

	"wfxc/compile"
	"wfxc/frontend/wat"
	"wfxc/rt"
	"wfxc/rt/abi"
)

// compileWat parses text module src and compiles it with opts.
func compileWat(t testing.TB, src string, opts compile.Options) *compile.Result {
	t.Helper()
	wasm, err := wat.ParseModule([]byte(src))
	if err != nil {
		t.Fatalf("%s: %v", opts.Name, err)
	}
	res, err := compile.Compile(wasm, opts)
	if err != nil {
		t.Fatalf("%s: compile: %v", opts.Name, err)
	}
	return res
}

// loadWat compiles a module in the text format and loads it.
func loadWat(t testing.TB, name, src string) *rt.Module {
	t.Helper()
	res := compileWat(t, src, compile.Options{Name: name})
	mod, err := rt.LoadObject(res.Object)
	if err != nil {
		t.Fatalf("%s: load: %v", name, err)
	}
	return mod
}

// tagI64 is the type of a tag (and a host function) with an i64 param.
var tagI64 = abi.FuncType{Params: []abi.ValType{abi.ValType(0x7E)}}

// TestExceptions_hostThrowsThroughFrames: a Go host function throws a wasm
// exception through five wasm frames into a catch clause, which receives
// its payload; a tag the clause does not name passes through to Go.
func TestExceptions_hostThrowsThroughFrames(t *testing.T) {
	mod := loadWat(t, "exhost", `(module
	  (import "host" "e" (tag $e (param i64)))
	  (import "host" "throw" (func $throw (param i64)))
	  (func $f1 (param i64) (call $throw (local.get 0)))
	  (func $f2 (param i64) (call $f1 (local.get 0)))
	  (func $f3 (param i64) (call $f2 (local.get 0)))
	  (func $f4 (param i64) (call $f3 (local.get 0)))
	  (func $f5 (param i64) (call $f4 (local.get 0)))
	  (func (export "run") (param i64) (result i64)
	    (block $h (result i64)
	      (try_table (catch $e $h) (call $f5 (local.get 0)))
	      (i64.const -1))))`)
	tag, other := rt.NewTag(tagI64), rt.NewTag(tagI64)
	throwTag := tag
	host := rt.NewHostFunc(tagI64, func(args []uint64) ([]uint64, error) {
		return nil, rt.NewException(throwTag, args[0]*3)
	})
	inst, err := rt.NewStore().Instantiate(mod, rt.Imports{"host": {"e": tag, "throw": host}})
	if err != nil {
		t.Fatal(err)
	}
	if res := mustCall(t, inst, "run", 14); res[0] != 42 {
		t.Errorf("run(14) = %d, want the payload 42", res[0])
	}
	throwTag = other
	_, err = inst.Func("run").Call(5)
	var e *rt.Exception
	if !errors.As(err, &e) || e.Tag != other || len(e.Payload) != 1 || e.Payload[0] != 15 {
		t.Fatalf("run(5) with another tag: %v (%+v), want that exception uncaught with payload 15", err, e)
	}
}

// TestExceptions_escapeToGo: an exception nothing catches is the error of
// the call, with its tag (the exported tag object) and payload; the store
// works afterwards.
func TestExceptions_escapeToGo(t *testing.T) {
	mod := loadWat(t, "exesc", `(module
	  (tag $e (export "e") (param i64 f64))
	  (tag $o)
	  (func $deep (param i64) (throw $e (local.get 0) (f64.const 2.5)))
	  (func (export "escape") (param i64) (result i64)
	    (block $h
	      (try_table (catch $o $h) (call $deep (local.get 0)))
	      (return (i64.const 0)))
	    (i64.const 1)))`)
	inst, err := rt.NewStore().Instantiate(mod, nil)
	if err != nil {
		t.Fatal(err)
	}
	ext, _ := inst.Export("e")
	tag := ext.(*rt.Tag)
	for i := uint64(0); i < 3; i++ {
		_, err := inst.Func("escape").Call(i)
		var e *rt.Exception
		if !errors.As(err, &e) || e.Tag != tag || len(e.Payload) != 2 || e.Payload[0] != i || e.Payload[1] != 0x4004000000000000 {
			t.Fatalf("escape(%d): %v (%+v), want tag e with payload (%d, 2.5)", i, err, e, i)
		}
	}
}

// TestExceptions_acrossInstances: an exception of a tag one instance
// exports and another imports crosses direct, indirect and call_ref calls
// between them; the tag of another instance of the same module is another
// tag.
func TestExceptions_acrossInstances(t *testing.T) {
	lib := loadWat(t, "exlib", `(module
	  (tag $e (export "e") (param i64))
	  (func (export "thrower") (param i64) (throw $e (i64.mul (local.get 0) (i64.const 2)))))`)
	app := loadWat(t, "exapp", `(module
	  (import "lib" "e" (tag $e (param i64)))
	  (import "lib" "thrower" (func $thrower (param i64)))
	  (type $ft (func (param i64)))
	  (table $t 1 funcref)
	  (elem (table $t) (i32.const 0) func $thrower)
	  (elem declare func $thrower)
	  (func (export "direct") (param i64) (result i64)
	    (block $h (result i64)
	      (try_table (catch $e $h) (call $thrower (local.get 0)))
	      (i64.const -1)))
	  (func (export "indirect") (param i64) (result i64)
	    (block $h (result i64)
	      (try_table (catch $e $h) (call_indirect $t (type $ft) (local.get 0) (i32.const 0)))
	      (i64.const -1)))
	  (func (export "ref") (param i64) (result i64)
	    (block $h (result i64)
	      (try_table (catch $e $h) (call_ref $ft (local.get 0) (ref.func $thrower)))
	      (i64.const -1))))`)
	s := rt.NewStore()
	l1, err := s.Instantiate(lib, nil)
	if err != nil {
		t.Fatal(err)
	}
	l2, err := s.Instantiate(lib, nil)
	if err != nil {
		t.Fatal(err)
	}
	e1, _ := l1.Export("e")
	th2, _ := l2.Export("thrower")
	// Matching: lib 1's tag and thrower.
	th1, _ := l1.Export("thrower")
	a, err := s.Instantiate(app, rt.Imports{"lib": {"e": e1, "thrower": th1}})
	if err != nil {
		t.Fatal(err)
	}
	for _, fn := range []string{"direct", "indirect", "ref"} {
		if res := mustCall(t, a, fn, 21); res[0] != 42 {
			t.Errorf("%s(21) = %d, want 42 (caught across instances)", fn, res[0])
		}
	}
	// lib 2's thrower throws lib 2's tag: app's clause for lib 1's tag
	// does not catch it.
	b, err := s.Instantiate(app, rt.Imports{"lib": {"e": e1, "thrower": th2}})
	if err != nil {
		t.Fatal(err)
	}
	e2, _ := l2.Export("e")
	for _, fn := range []string{"direct", "indirect", "ref"} {
		_, err := b.Func(fn).Call(4)
		var e *rt.Exception
		if !errors.As(err, &e) || e.Tag != e2.(*rt.Tag) || e.Payload[0] != 8 {
			t.Errorf("%s(4) with lib 2's thrower: %v, want lib 2's exception uncaught", fn, err)
		}
	}
}

// TestExceptions_registersAcrossInvoke: values live across a call inside a
// try_table keep their values on the normal path and on the landing path
// (those the landing path reads live in memory, the others may keep
// callee-saved registers), although the thrower's frames left the
// callee-saved registers changed; and the handler's caller gets its own
// callee-saved registers back.
func TestExceptions_registersAcrossInvoke(t *testing.T) {
	inst, err := rt.NewStore().Instantiate(loadWat(t, "exregs", `(module
	  (tag $e (param i32))
	  (func $leaf (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
	  ;; 40x+1, thrown (t != 0) or returned, with five values live across a call
	  (func $busy (param $t i32) (param $x i32) (result i32)
	    (local $a i32) (local $b i32) (local $c i32) (local $d i32) (local $f i32) (local $g i32)
	    (local.set $a (i32.mul (local.get $x) (i32.const 3)))
	    (local.set $b (i32.mul (local.get $x) (i32.const 5)))
	    (local.set $c (i32.mul (local.get $x) (i32.const 7)))
	    (local.set $d (i32.mul (local.get $x) (i32.const 11)))
	    (local.set $f (i32.mul (local.get $x) (i32.const 13)))
	    (local.set $g (call $leaf (local.get $x)))
	    (local.set $g (i32.add (local.get $g) (i32.add (i32.add (local.get $a) (local.get $b))
	      (i32.add (i32.add (local.get $c) (local.get $d)) (local.get $f)))))
	    (if (local.get $t) (then (throw $e (local.get $g))))
	    (local.get $g))
	  ;; returned: 43x+601; caught: 42x+1000901
	  (func $run (export "run") (param $t i32) (param $x i32) (result i32)
	    (local $p i32) (local $q i32) (local $r i32) (local $s i32) (local $u i32)
	    (local.set $p (i32.add (local.get $x) (i32.const 100)))
	    (local.set $q (i32.add (local.get $x) (i32.const 200)))
	    (local.set $r (i32.add (local.get $x) (i32.const 300)))
	    (local.set $s (i32.add (local.get $x) (i32.const 400)))
	    (local.set $u (i32.add (local.get $x) (i32.const 500)))
	    (block $h (result i32)
	      (try_table (result i32) (catch $e $h)
	        (call $busy (local.get $t) (local.get $x))
	        (i32.add (local.get $p)) (i32.add (local.get $q)) (i32.add (local.get $r)))
	      (return))
	    (i32.add (local.get $s)) (i32.add (local.get $u)) (i32.add (i32.const 1000000)))
	  ;; run + 88x, with four values live across the call of run
	  (func (export "outer") (param $t i32) (param $x i32) (result i32)
	    (local $k1 i32) (local $k2 i32) (local $k3 i32) (local $k4 i32)
	    (local.set $k1 (i32.mul (local.get $x) (i32.const 17)))
	    (local.set $k2 (i32.mul (local.get $x) (i32.const 19)))
	    (local.set $k3 (i32.mul (local.get $x) (i32.const 23)))
	    (local.set $k4 (i32.mul (local.get $x) (i32.const 29)))
	    (call $run (local.get $t) (local.get $x))
	    (i32.add (local.get $k1)) (i32.add (local.get $k2)) (i32.add (local.get $k3)) (i32.add (local.get $k4))))`), nil)
	if err != nil {
		t.Fatal(err)
	}
	for round := 0; round < 3; round++ {
		for _, x := range []uint64{1, 7, 1000} {
			run := map[uint64]uint64{0: 43*x + 601, 1: 42*x + 1000901}
			for thr, want := range run {
				if res := mustCall(t, inst, "run", thr, x); res[0] != want {
					t.Errorf("run(%d, %d) = %d, want %d", thr, x, res[0], want)
				}
				if res := mustCall(t, inst, "outer", thr, x); res[0] != want+88*x {
					t.Errorf("outer(%d, %d) = %d, want %d", thr, x, res[0], want+88*x)
				}
			}
		}
	}
}

// TestExceptions_multiValue: calls with several results inside a try_table
// (direct and indirect), on the normal path and when their callee throws a
// payload of several values.
func TestExceptions_multiValue(t *testing.T) {
	inst, err := rt.NewStore().Instantiate(loadWat(t, "exmulti", `(module
	  (tag $e (param i64 i32 f64))
	  (type $two (func (param i32) (result i64 i32)))
	  (table 1 funcref)
	  (elem (i32.const 0) $pair)
	  (func $pair (type $two) (param $x i32) (result i64 i32)
	    (if (i32.eqz (local.get $x)) (then (throw $e (i64.const 7) (i32.const 8) (f64.const 0.5))))
	    (i64.extend_i32_u (local.get $x)) (i32.mul (local.get $x) (i32.const 2)))
	  (func (export "direct") (param $x i32) (result i64)
	    (block $h (result i64 i32 f64)
	      (try_table (result i64 i32) (catch $e $h) (call $pair (local.get $x)))
	      (i64.extend_i32_u)
	      (i64.add)
	      (return))
	    (drop)
	    (i64.extend_i32_u)
	    (i64.add)
	    (i64.add (i64.const 1000)))
	  (func (export "indirect") (param $x i32) (result i64)
	    (block $h (result i64 i32 f64)
	      (try_table (result i64 i32) (catch $e $h) (call_indirect (type $two) (local.get $x) (i32.const 0)))
	      (i64.extend_i32_u)
	      (i64.add)
	      (return))
	    (drop)
	    (i64.extend_i32_u)
	    (i64.add)
	    (i64.add (i64.const 1000))))`), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, fn := range []string{"direct", "indirect"} {
		if res := mustCall(t, inst, fn, 5); res[0] != 15 {
			t.Errorf("%s(5) = %d, want 15 (5 + 10, returned)", fn, res[0])
		}
		if res := mustCall(t, inst, fn, 0); res[0] != 1015 {
			t.Errorf("%s(0) = %d, want 1015 (7 + 8 + 1000, caught)", fn, res[0])
		}
	}
}

// TestExceptions_catchToLoop: a catch clause whose label is a loop
// restarts it with the payload as the loop's parameter.
func TestExceptions_catchToLoop(t *testing.T) {
	inst, err := rt.NewStore().Instantiate(loadWat(t, "exloop", `(module
	  (tag $e (param i32))
	  (func $maybe (param $k i32) (result i32)
	    (if (i32.lt_u (local.get $k) (i32.const 5))
	      (then (throw $e (i32.add (local.get $k) (i32.const 1)))))
	    (i32.mul (local.get $k) (i32.const 100)))
	  (func (export "retry") (param $k i32) (result i32)
	    (local.get $k)
	    (loop $l (param i32) (result i32)
	      (try_table (param i32) (result i32) (catch $e $l)
	        (call $maybe)))))`), nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range map[uint64]uint64{0: 500, 3: 500, 9: 900} {
		if res := mustCall(t, inst, "retry", k); res[0] != want {
			t.Errorf("retry(%d) = %d, want %d", k, res[0], want)
		}
	}
}

// exnModule keeps exnrefs in a global, a table, locals, params and
// results, makes many of them (so the exception table is collected while
// those are held) and rethrows them.
const exnModule = `(module
  (import "host" "check" (func $check))
  (tag $e (export "e") (param i32))
  (global $g (mut exnref) (ref.null exn))
  (table $t 4 exnref)
  (func $thrower (param i32) (throw $e (local.get 0)))
  ;; the exnref of an exception of payload x, and x
  (func $catch (param $x i32) (result i32 exnref)
    (block $h (result i32 exnref)
      (try_table (catch_ref $e $h) (call $thrower (local.get $x)))
      (unreachable)))
  (func $ref (param i32) (result exnref) (local $x exnref)
    (call $catch (local.get 0)) (local.set $x) (drop) (local.get $x))
  (func $pass (param exnref) (result exnref) (local.get 0))
  ;; the payload of exnref x, by rethrowing it
  (func $payload (param $x exnref) (result i32)
    (block $h (result i32)
      (try_table (catch $e $h) (throw_ref (local.get $x)))
      (unreachable)))
  (func (export "keep") (param i32)
    (global.set $g (call $ref (local.get 0)))
    (table.set $t (i32.const 2) (call $pass (call $ref (i32.add (local.get 0) (i32.const 1))))))
  (func $churn (export "churn") (param $n i32) (result i32)
    (local $i i32) (local $held exnref) (local $sum i32)
    (local.set $held (call $ref (i32.const 1000)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $sum (i32.add (local.get $sum) (call $payload (call $ref (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (i32.add (local.get $sum) (call $payload (local.get $held))))
  (func (export "churnCheck") (param i32) (drop (call $churn (local.get 0))) (call $check))
  (func (export "global") (result i32) (call $payload (global.get $g)))
  (func (export "table") (result i32) (call $payload (table.get $t (i32.const 2))))
  (func (export "make") (param i32) (result exnref) (call $ref (local.get 0)))
  (func (export "payload") (param exnref) (result i32) (call $payload (local.get 0)))
  ;; n throw/catch cycles: each catch_ref delivers an exnref, rethrown once
  ;; into a catch_all_ref
  (func (export "cycles") (param $n i32) (result i32)
    (local $i i32) (local $sum i32) (local $x exnref)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (call $catch (local.get $i))
        (local.set $x)
        (local.set $sum (i32.add (local.get $sum)))
        (block $h2 (result exnref)
          (try_table (catch_all_ref $h2) (throw_ref (local.get $x)))
          (unreachable))
        (drop)
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (local.get $sum)))`

// instantiateExn instantiates exnModule in s; check is its host import.
func instantiateExn(t *testing.T, s *rt.Store, name string, check func()) *rt.Instance {
	t.Helper()
	host := rt.NewHostFunc(abi.FuncType{}, func([]uint64) ([]uint64, error) { check(); return nil, nil })
	inst, err := s.Instantiate(loadWat(t, name, exnModule), rt.Imports{"host": {"check": host}})
	if err != nil {
		t.Fatal(err)
	}
	return inst
}

// TestExceptions_exnrefRoots: exnrefs held in a global, a table element,
// a local and on the stack survive collections of the exception table
// (forced by making thousands of handles) and rethrow their own exception.
func TestExceptions_exnrefRoots(t *testing.T) {
	inst := instantiateExn(t, rt.NewStore(), "exroots", func() {})
	mustCall(t, inst, "keep", 70)
	const n = 5000
	want := uint64(n*(n-1)/2 + 1000)
	if res := mustCall(t, inst, "churn", n); res[0] != want {
		t.Errorf("churn(%d) = %d, want %d", n, res[0], want)
	}
	if res := mustCall(t, inst, "global"); res[0] != 70 {
		t.Errorf("payload of the global's exnref = %d, want 70", res[0])
	}
	if res := mustCall(t, inst, "table"); res[0] != 71 {
		t.Errorf("payload of the table element's exnref = %d, want 71", res[0])
	}
}

// TestExceptions_hostHandles: an exnref result is a handle the host can
// read (Store.Exception) and pass back until the end of the next call,
// collections during that call included; a host exception becomes a
// handle with Store.ExnRef; bad handles are errors, not other exceptions.
func TestExceptions_hostHandles(t *testing.T) {
	s := rt.NewStore()
	var h uint64
	var checked *rt.Exception
	var checkErr error
	inst := instantiateExn(t, s, "exhandles", func() { checked, checkErr = s.Exception(h) })
	ext, _ := inst.Export("e")
	tag := ext.(*rt.Tag)
	for i := uint64(0); i < 5; i++ {
		h = mustCall(t, inst, "make", 100+i)[0]
		mustCall(t, inst, "churnCheck", 2000) // thousands of handles: collections
		if checkErr != nil || checked.Tag != tag || len(checked.Payload) != 1 || checked.Payload[0] != 100+i {
			t.Fatalf("Exception(result) during the next call = %+v, %v; want tag e with payload %d", checked, checkErr, 100+i)
		}
	}
	h = mustCall(t, inst, "make", 7)[0]
	e, err := s.Exception(h)
	if err != nil || e.Tag != tag || e.Payload[0] != 7 {
		t.Fatalf("Exception(result) = %+v, %v; want tag e with payload 7", e, err)
	}
	if res := mustCall(t, inst, "payload", h); res[0] != 7 {
		t.Errorf("payload of the result passed back = %d, want 7", res[0])
	}
	mine := rt.NewException(tag, 123)
	if res := mustCall(t, inst, "payload", s.ExnRef(mine)); res[0] != 123 {
		t.Errorf("payload of a host exception's handle = %d, want 123", res[0])
	}
	if _, err := s.Exception(12345); err == nil {
		t.Errorf("Exception(12345) succeeded, want an error")
	}
	other := rt.NewStore()
	if _, err := other.Exception(h); err == nil {
		t.Errorf("another store's Exception(h) succeeded, want an error")
	}
	var ex *rt.Exception
	if _, err := inst.Func("payload").Call(h ^ 1<<40); err == nil || errors.As(err, &ex) {
		t.Errorf("payload of a forged handle: %v, want a runtime error", err)
	}
}

// TestExceptions_exnrefPayload: an exception whose payload is an exnref
// keeps the exception it refers to, through collections, across a catch
// and when it escapes to Go and a host function rethrows it much later.
func TestExceptions_exnrefPayload(t *testing.T) {
	var saved *rt.Exception
	host := rt.NewHostFunc(abi.FuncType{}, func([]uint64) ([]uint64, error) { return nil, saved })
	inst, err := rt.NewStore().Instantiate(loadWat(t, "expayload", `(module
	  (import "host" "rethrow" (func $rethrow))
	  (tag $e (export "e") (param i32))
	  (tag $wrap (export "wrap") (param exnref))
	  (func $thrower (param i32) (throw $e (local.get 0)))
	  (func $inner (param i32) (result exnref)
	    (block $h (result exnref)
	      (try_table (catch_all_ref $h) (call $thrower (local.get 0)))
	      (unreachable)))
	  (func $churn (param $n i32)
	    (block $done
	      (loop $l
	        (br_if $done (i32.eqz (local.get $n)))
	        (drop (call $inner (local.get $n)))
	        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
	        (br $l))))
	  (func $unwrapped (param $y exnref) (param $n i32) (result i32)
	    (call $churn (local.get $n))
	    (block $h (result i32)
	      (try_table (catch $e $h) (throw_ref (local.get $y)))
	      (unreachable)))
	  (func (export "wrapped") (param i32) (throw $wrap (call $inner (local.get 0))))
	  (func (export "unwrap") (param $x i32) (param $n i32) (result i32)
	    (block $h (result exnref)
	      (try_table (catch $wrap $h) (throw $wrap (call $inner (local.get $x))))
	      (unreachable))
	    (call $churn (local.get $n))
	    (local.get $n)
	    (call $unwrapped))
	  (func (export "viaHost") (param $n i32) (result i32)
	    (call $churn (local.get $n))
	    (block $h (result exnref)
	      (try_table (catch $wrap $h) (call $rethrow))
	      (unreachable))
	    (local.get $n)
	    (call $unwrapped)))`), rt.Imports{"host": {"rethrow": host}})
	if err != nil {
		t.Fatal(err)
	}
	if res := mustCall(t, inst, "unwrap", 9, 3000); res[0] != 9 {
		t.Errorf("unwrap(9) = %d, want 9", res[0])
	}
	_, err = inst.Func("wrapped").Call(5)
	if !errors.As(err, &saved) || saved.Ref(0) == nil || saved.Ref(0).Payload[0] != 5 {
		t.Fatalf("wrapped(5): %v, want an uncaught wrap exception referring to one of payload 5", err)
	}
	if res := mustCall(t, inst, "viaHost", 3000); res[0] != 5 {
		t.Errorf("viaHost: %d, want 5 (the payload of the exception the rethrown one refers to)", res[0])
	}
}

// heapAfterGC returns the bytes of live Go heap objects.
func heapAfterGC() uint64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// TestExceptions_flatMemory: 10^6 throw/catch cycles, each delivering an
// exnref that is rethrown, and 10^5 exnref results passed to the host,
// leave the memory where it was: unreachable exceptions and their handles
// are recycled.
func TestExceptions_flatMemory(t *testing.T) {
	inst := instantiateExn(t, rt.NewStore(), "exflat", func() {})
	n, calls := uint64(1_000_000), 100_000
	if testing.Short() {
		n, calls = 100_000, 10_000
	}
	mustCall(t, inst, "cycles", 10_000) // warm up: tables and buffers at their size
	for i := 0; i < 1000; i++ {
		mustCall(t, inst, "make", uint64(i))
	}
	before := heapAfterGC()
	if res := mustCall(t, inst, "cycles", n); res[0] != uint64(uint32(n*(n-1)/2)) {
		t.Errorf("cycles(%d) = %d, want %d", n, res[0], uint32(n*(n-1)/2))
	}
	for i := 0; i < calls; i++ {
		mustCall(t, inst, "make", uint64(i))
	}
	after := heapAfterGC()
	runtime.KeepAlive(inst) // the store and its exception table are measured too
	t.Logf("Go heap %d → %d bytes after %d cycles and %d exnref results", before, after, n, calls)
	if after > before+1<<20 {
		t.Errorf("Go heap grew by %d bytes, want at most 1 MiB", after-before)
	}
}

// BenchmarkThrowCatch: a throw caught 1, 10 and 100 frames up (the
// thrower at the bottom of a chain of calls, the try_table at the top),
// in ns per throw (the ns/throw metric: at least 10^4 throws, also under
// make bench's -benchtime 1x). Each throw exits to rt, which unwinds and
// lands.
func BenchmarkThrowCatch(b *testing.B) {
	inst, err := rt.NewStore().Instantiate(loadWat(b, "exbench", `(module
	  (tag $e (param i32))
	  (func $down (param $d i32)
	    (if (i32.le_u (local.get $d) (i32.const 1))
	      (then (throw $e (local.get $d))))
	    (call $down (i32.sub (local.get $d) (i32.const 1))))
	  (func (export "bench") (param $n i32) (param $d i32) (result i32)
	    (local $i i32) (local $sum i32)
	    (block $done
	      (loop $l
	        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
	        (block $h (result i32)
	          (try_table (catch $e $h) (call $down (local.get $d)))
	          (unreachable))
	        (local.set $sum (i32.add (local.get $sum)))
	        (local.set $i (i32.add (local.get $i) (i32.const 1)))
	        (br $l)))
	    (local.get $sum)))`), nil)
	if err != nil {
		b.Fatal(err)
	}
	f := inst.Func("bench")
	for _, frames := range []uint64{1, 10, 100} {
		b.Run(fmt.Sprintf("frames=%d", frames), func(b *testing.B) {
			if _, err := f.Call(1, frames); err != nil {
				b.Fatal(err)
			}
			n := max(b.N, 10_000)
			b.ResetTimer()
			start := time.Now()
			res, err := f.Call(uint64(n), frames)
			if err != nil || res[0] != uint64(uint32(n)) {
				b.Fatalf("bench(%d, %d) = %v, %v", n, frames, res, err)
			}
			b.ReportMetric(float64(time.Since(start).Nanoseconds())/float64(n), "ns/throw")
		})
	}
}

// BenchmarkTryTableCalls: a call-heavy kernel (recursive fib) with its
// calls inside a try_table, against the same kernel without it. The
// non-throwing path pays for the values live into a landing pad, which
// live in memory (here none), saving every callee-saved register and
// storing the vmctx in the frame (lower/x64/exn.go).
func BenchmarkTryTableCalls(b *testing.B) {
	inst, err := rt.NewStore().Instantiate(loadWat(b, "extry", `(module
	  (tag $e)
	  (func $fib (export "plain") (param $n i32) (result i32)
	    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
	      (then (local.get $n))
	      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
	                     (call $fib (i32.sub (local.get $n) (i32.const 2)))))))
	  (func $tfib (export "try") (param $n i32) (result i32)
	    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
	      (then (local.get $n))
	      (else
	        (block $h
	          (return (try_table (result i32) (catch $e $h)
	            (i32.add (call $tfib (i32.sub (local.get $n) (i32.const 1)))
	                     (call $tfib (i32.sub (local.get $n) (i32.const 2)))))))
	        (i32.const -1)))))`), nil)
	if err != nil {
		b.Fatal(err)
	}
	for _, fn := range []string{"plain", "try"} {
		f := inst.Func(fn)
		b.Run(fn, func(b *testing.B) {
			for range b.N {
				if res, err := f.Call(25); err != nil || res[0] != 75025 {
					b.Fatalf("%s(25) = %v, %v", fn, res, err)
				}
			}
		})
	}
}

// TestExceptions_contPayload: a continuation reference in a payload takes
// two slots, in throw, in a landing block (catch, catch_ref) and in the
// payload that reaches Go, and the exnref after it is still found (found
// by difffuzz: a throw wrote one slot per value, so the values after a
// continuation were shifted, and an exnref there was a wild handle).
func TestExceptions_contPayload(t *testing.T) {
	mod := loadWat(t, "excont", `(module
	  (type $f (func))
	  (type $k (cont $f))
	  (tag $t (export "t") (param (ref null $k) i64 exnref f32))
	  (tag $i (export "i") (param i32))
	  (global $g (mut (ref null $k)) (ref.null $k))
	  (func $inner (result exnref)
	    (block $h (result exnref)
	      (try_table (catch_all_ref $h) (throw $i (i32.const 7)))
	      (unreachable)))
	  (func $body (throw $t (global.get $g) (i64.const 0x1234) (call $inner) (f32.const 1.5)))
	  (elem declare func $body)
	  (func (export "escape") (call $body))
	  (func (export "fromCont")
	    (global.set $g (cont.new $k (ref.func $body)))
	    (resume $k (cont.new $k (ref.func $body))))
	  (func (export "caught") (result i64 f32 i32)
	    (local $x exnref) (local $n i64) (local $f f32)
	    (block $h (result (ref null $k) i64 exnref f32)
	      (try_table (catch $t $h) (call $body))
	      (unreachable))
	    (local.set $f)
	    (local.set $x)
	    (local.set $n)
	    (drop)
	    (local.get $n)
	    (f32.mul (local.get $f) (f32.const 2))
	    (block $h2 (result i32)
	      (try_table (catch $i $h2) (throw_ref (local.get $x)))
	      (unreachable)))
	  (func (export "caughtRef") (result i64)
	    (block $h (result (ref null $k) i64 exnref f32 exnref)
	      (try_table (catch_ref $t $h) (call $body))
	      (unreachable))
	    (drop) (drop) (drop)
	    (return)))`)
	inst, err := rt.NewStore().Instantiate(mod, nil)
	if err != nil {
		t.Fatal(err)
	}
	ext, _ := inst.Export("t")
	tag := ext.(*rt.Tag)
	if got, want := tag.ParamSlots(), []int{2, 1, 1, 1}; !slices.Equal(got, want) {
		t.Errorf("ParamSlots = %v, want %v", got, want)
	}
	for _, name := range []string{"escape", "fromCont"} {
		_, err := inst.Func(name).Call()
		var e *rt.Exception
		if !errors.As(err, &e) || e.Tag != tag || len(e.Payload) != 5 {
			t.Fatalf("%s: %v (%+v), want tag t with 5 payload slots", name, err, e)
		}
		if name == "fromCont" && e.Payload[0] == 0 || name == "escape" && e.Payload[0] != 0 || e.Payload[2] != 0x1234 || e.Payload[4] != 0x3fc00000 {
			t.Errorf("%s: payload %#x, want [cont(2 slots) 0x1234 exnref 0x3fc00000]", name, e.Payload)
		}
		if r := e.Ref(3); r == nil || len(r.Payload) != 1 || r.Payload[0] != 7 {
			t.Errorf("%s: payload slot 3 refers to %+v, want the exception of payload 7", name, r)
		}
	}
	if res := mustCall(t, inst, "caught"); len(res) != 3 || res[0] != 0x1234 || res[1] != 0x40400000 || res[2] != 7 {
		t.Errorf("caught() = %#x, want [0x1234 3.0 7]", res)
	}
	if res := mustCall(t, inst, "caughtRef"); len(res) != 1 || res[0] != 0x1234 {
		t.Errorf("caughtRef() = %#x, want [0x1234]", res)
	}
}
