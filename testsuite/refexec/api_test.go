package refexec_test

import (
	"errors"
	"testing"

	"wfxc/frontend"
	"wfxc/frontend/wat"
	"wfxc/testsuite/refexec"
)

// instantiate compiles a text module and instantiates it in a new store.
func instantiate(t *testing.T, src string, imports refexec.Resolver) (*refexec.Store, *refexec.Instance) {
	t.Helper()
	s := refexec.NewStore(refexec.Config{})
	return s, instantiateIn(t, s, src, imports)
}

func instantiateIn(t *testing.T, s *refexec.Store, src string, imports refexec.Resolver) *refexec.Instance {
	t.Helper()
	wasm, err := wat.ParseModule([]byte(src))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	m, err := refexec.Compile(wasm)
	if err != nil {
		t.Fatalf("compile: %v", err)
	}
	in, err := s.Instantiate(m, imports)
	if err != nil {
		t.Fatalf("instantiate: %v", err)
	}
	return in
}

// call invokes export name and fails the test on an error.
func call(t *testing.T, s *refexec.Store, in *refexec.Instance, name string, args ...refexec.Value) []refexec.Value {
	t.Helper()
	f := in.ExportedFunc(name)
	if f == nil {
		t.Fatalf("no exported function %q", name)
	}
	res, err := s.Call(f, args...)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return res
}

// trapOf invokes export name and returns its trap message.
func trapOf(t *testing.T, s *refexec.Store, in *refexec.Instance, name string, args ...refexec.Value) string {
	t.Helper()
	_, err := s.Call(in.ExportedFunc(name), args...)
	var tr *refexec.Trap
	if !errors.As(err, &tr) {
		t.Fatalf("%s: got %v, want a trap", name, err)
	}
	return tr.Msg
}

func TestAPI_hostImportsMemoryGlobals(t *testing.T) {
	s := refexec.NewStore(refexec.Config{})
	var seen []int32
	log, err := s.NewHostFunc([]frontend.ValType{frontend.I32}, []frontend.ValType{frontend.I32},
		func(args []refexec.Value) ([]refexec.Value, error) {
			seen = append(seen, int32(args[0].Bits))
			return []refexec.Value{refexec.I32(int32(args[0].Bits) * 2)}, nil
		})
	if err != nil {
		t.Fatal(err)
	}
	in := instantiateIn(t, s, `(module
		(import "host" "log" (func $log (param i32) (result i32)))
		(memory (export "mem") 1)
		(global $g (export "g") (mut i64) (i64.const 5))
		(func (export "run") (param i32) (result i32)
			(i32.store (i32.const 8) (call $log (local.get 0)))
			(global.set $g (i64.add (global.get $g) (i64.const 1)))
			(i32.load (i32.const 8))))`,
		refexec.Imports{"host": {"log": log}})
	res := call(t, s, in, "run", refexec.I32(-21))
	if len(res) != 1 || int32(res[0].Bits) != -42 {
		t.Errorf("run(-21) = %v, want -42", res)
	}
	if len(seen) != 1 || seen[0] != -21 {
		t.Errorf("host saw %v, want [-21]", seen)
	}
	if got := in.ExportedGlobal("g").Get().Bits; got != 6 {
		t.Errorf("global g = %d, want 6", got)
	}
	mem := in.ExportedMemory("mem").Bytes()
	if mem[8] != 0xd6 || mem[9] != 0xff || mem[10] != 0xff || mem[11] != 0xff {
		t.Errorf("memory[8:12] = % x, want d6 ff ff ff", mem[8:12])
	}
}

func TestAPI_traps(t *testing.T) {
	s, in := instantiate(t, `(module
		(type $v (func))
		(table 2 funcref)
		(memory 1)
		(func $f (param i32))
		(elem (i32.const 0) $f)
		(func (export "div") (param i32) (result i32) (i32.div_s (i32.const 1) (local.get 0)))
		(func (export "unreachable") unreachable)
		(func (export "oob") (result i32) (i32.load (i32.const 65533)))
		(func (export "indirect") (param i32) (call_indirect (type $v) (local.get 0)))
		(func $rec (export "rec") (call $rec))
		(func $count (export "count") (param i64) (result i64)
			(if (result i64) (i64.eqz (local.get 0)) (then (i64.const 7))
				(else (return_call $count (i64.sub (local.get 0) (i64.const 1)))))))`, nil)
	for _, tc := range []struct {
		name, fn string
		args     []refexec.Value
		want     string
	}{
		{"divide by zero", "div", []refexec.Value{refexec.I32(0)}, "integer divide by zero"},
		{"unreachable", "unreachable", nil, "unreachable"},
		{"out of bounds", "oob", nil, "out of bounds memory access"},
		{"signature", "indirect", []refexec.Value{refexec.I32(0)}, "indirect call type mismatch"},
		{"null element", "indirect", []refexec.Value{refexec.I32(1)}, "uninitialized element"},
		{"past the table", "indirect", []refexec.Value{refexec.I32(2)}, "undefined element"},
		{"exhaustion", "rec", nil, "call stack exhausted"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := trapOf(t, s, in, tc.fn, tc.args...); got != tc.want {
				t.Errorf("trap %q, want %q", got, tc.want)
			}
		})
	}
	// A tail-recursive loop of a million calls does not exhaust the stack,
	// and the store is usable after the traps above.
	if res := call(t, s, in, "count", refexec.I64(1_000_000)); res[0].Bits != 7 {
		t.Errorf("count = %d, want 7", res[0].Bits)
	}
}

func TestAPI_linkErrors(t *testing.T) {
	s := refexec.NewStore(refexec.Config{})
	wasm, err := wat.ParseModule([]byte(`(module (import "m" "f" (func (param i32))))`))
	if err != nil {
		t.Fatal(err)
	}
	m, err := refexec.Compile(wasm)
	if err != nil {
		t.Fatal(err)
	}
	var le *refexec.LinkError
	if _, err := s.Instantiate(m, refexec.Imports{}); !errors.As(err, &le) || le.Msg != "unknown import" {
		t.Errorf("missing import: %v, want unknown import", err)
	}
	g, _ := s.NewHostFunc(nil, nil, func([]refexec.Value) ([]refexec.Value, error) { return nil, nil })
	if _, err := s.Instantiate(m, refexec.Imports{"m": {"f": g}}); !errors.As(err, &le) || le.Msg != "incompatible import type" {
		t.Errorf("mismatched import: %v, want incompatible import type", err)
	}
}

func TestAPI_exceptions(t *testing.T) {
	s := refexec.NewStore(refexec.Config{})
	tag, err := s.NewTag([]frontend.ValType{frontend.I32, frontend.I64})
	if err != nil {
		t.Fatal(err)
	}
	hostThrow, _ := s.NewHostFunc([]frontend.ValType{frontend.I32}, nil, func(args []refexec.Value) ([]refexec.Value, error) {
		return nil, &refexec.Exception{Tag: tag, Payload: []refexec.Value{args[0], refexec.I64(-9)}}
	})
	imports := refexec.Imports{"host": {"throw": hostThrow, "tag": tag}}
	in := instantiateIn(t, s, `(module
		(import "host" "throw" (func $throw (param i32)))
		(import "host" "tag" (tag $t (param i32 i64)))
		(tag $other (export "other") (param f64))
		(func $f1 (param i32) (call $f2 (i32.add (local.get 0) (i32.const 1))))
		(func $f2 (param i32) (call $f3 (i32.add (local.get 0) (i32.const 1))))
		(func $f3 (param i32) (call $f4 (i32.add (local.get 0) (i32.const 1))))
		(func $f4 (param i32) (call $f5 (i32.add (local.get 0) (i32.const 1))))
		(func $f5 (param i32) (call $throw (i32.add (local.get 0) (i32.const 1))))
		(func (export "catch") (param i32) (result i32 i64)
			(block $h (result i32 i64)
				(try_table (catch $t $h) (call $f1 (local.get 0)))
				(unreachable)))
		(func (export "escape") (throw $other (f64.const 1.5)))
		(func (export "rethrow") (param exnref) (throw_ref (local.get 0))))`, imports)

	// A host exception thrown under five wasm frames reaches the catch.
	res := call(t, s, in, "catch", refexec.I32(10))
	if len(res) != 2 || res[0].Bits != 15 || int64(res[1].Bits) != -9 {
		t.Errorf("catch(10) = %v, want 15, -9", res)
	}
	// An uncaught exception reaches the host with its tag and payload.
	_, err = s.Call(in.ExportedFunc("escape"))
	var exn *refexec.Exception
	if !errors.As(err, &exn) {
		t.Fatalf("escape: %v, want an uncaught exception", err)
	}
	if exn.Tag != in.ExportedTag("other") || len(exn.Payload) != 1 || exn.Payload[0].Bits != 0x3ff8000000000000 {
		t.Errorf("escaped exception tag %p payload %v, want tag %p payload [1.5]", exn.Tag, exn.Payload, in.ExportedTag("other"))
	}
	// The exnref of a host exception rethrows it unchanged; null traps.
	if _, err := s.Call(in.ExportedFunc("rethrow"), refexec.Ref(exn)); err != exn {
		t.Errorf("rethrow: %v, want the same exception", err)
	}
	if got := trapOf(t, s, in, "rethrow", refexec.Ref(nil)); got != "null exception reference" {
		t.Errorf("rethrow(null): trap %q", got)
	}
}

func TestAPI_exceptionAcrossInstances(t *testing.T) {
	s := refexec.NewStore(refexec.Config{})
	a := instantiateIn(t, s, `(module
		(tag $e (export "e") (param i32))
		(func (export "throw") (param i32) (throw $e (local.get 0))))`, nil)
	b := instantiateIn(t, s, `(module
		(import "a" "e" (tag $e (param i32)))
		(import "a" "throw" (func $throw (param i32)))
		(func (export "run") (result i32)
			(block $h (result i32)
				(try_table (catch $e $h) (call $throw (i32.const 77)))
				(i32.const -1))))`, refexec.Imports{"a": {"e": a.ExportedTag("e"), "throw": a.ExportedFunc("throw")}})
	if res := call(t, s, b, "run"); res[0].Bits != 77 {
		t.Errorf("run = %d, want 77", res[0].Bits)
	}
}

func TestAPI_stackSwitching(t *testing.T) {
	s := refexec.NewStore(refexec.Config{})
	var reenter func() error
	host, _ := s.NewHostFunc(nil, nil, func([]refexec.Value) ([]refexec.Value, error) { return nil, reenter() })
	in := instantiateIn(t, s, `(module
		(import "host" "reenter" (func $reenter))
		(type $f (func (result i32)))
		(type $k (cont $f))
		(tag $yield (export "yield") (param i32))
		(tag $exn (param i32))
		(global $saved (mut (ref null $k)) (ref.null $k))
		(func $gen (result i32)
			(suspend $yield (i32.const 1))
			(suspend $yield (i32.const 2))
			(i32.const 99))
		(func $thrower (result i32)
			(suspend $yield (i32.const 5))
			(throw $exn (i32.const 6)))
		(func $via-host (result i32) (call $reenter) (i32.const 0))
		(func $deep (param i32) (result i32)
			(if (result i32) (i32.eqz (local.get 0))
				(then (suspend $yield (i32.const 7)) (i32.const 8))
				(else (call $deep (i32.sub (local.get 0) (i32.const 1))))))
		(func $deep-start (result i32) (call $deep (i32.const 1000)))
		(elem declare func $gen $thrower $via-host $deep-start)
		;; Runs $k to its next yield: stores the continuation, returns the payload;
		;; returns -1 when it returns.
		(func $step (param $k (ref null $k)) (result i32)
			(block $on (result i32 (ref $k))
				(resume $k (on $yield $on) (local.get $k))
				(drop)
				(return (i32.const -1)))
			(global.set $saved)
			)
		(func (export "start") (result i32) (call $step (cont.new $k (ref.func $gen))))
		(func (export "next") (result i32) (call $step (global.get $saved)))
		(func (export "keep") (result i32)
			(local $k (ref null $k))
			(local.set $k (global.get $saved))
			(drop (call $step (local.get $k)))
			(call $step (local.get $k)))
		(func (export "catch") (result i32)
			(drop (call $step (cont.new $k (ref.func $thrower))))
			(block $h (result i32)
				(try_table (catch $exn $h) (drop (call $step (global.get $saved))))
				(i32.const -1)))
		(func (export "unhandled") (result i32) (suspend $yield (i32.const 3)) (i32.const 0))
		(func (export "through-host") (result i32) (call $step (cont.new $k (ref.func $via-host))))
		(func (export "deep") (result i32) (call $step (cont.new $k (ref.func $deep-start))))
		(func (export "deep-next") (result i32)
			(resume $k (global.get $saved))))`, refexec.Imports{"host": {"reenter": host}})

	// A continuation outlives the call that created it.
	for i, want := range []int32{1, 2, -1} {
		name := "next"
		if i == 0 {
			name = "start"
		}
		if got := int32(call(t, s, in, name)[0].Bits); got != want {
			t.Errorf("call %d (%s) = %d, want %d", i, name, got, want)
		}
	}
	// One-shot.
	call(t, s, in, "start")
	if got := trapOf(t, s, in, "keep"); got != "continuation already consumed" {
		t.Errorf("keep: trap %q", got)
	}
	// An exception thrown in a continuation reaches its resumer's handler.
	if got := int32(call(t, s, in, "catch")[0].Bits); got != 6 {
		t.Errorf("catch = %d, want 6", got)
	}
	// A suspension without a handler is its own outcome, with the tag.
	_, err := s.Call(in.ExportedFunc("unhandled"))
	var sus *refexec.Suspension
	if !errors.As(err, &sus) || sus.Tag != in.ExportedTag("yield") {
		t.Errorf("unhandled: %v, want an unhandled suspension of $yield", err)
	}
	// The handler search does not cross a host frame: wasm → host → wasm
	// suspends with no handler even though the outer resume has one.
	reenter = func() error {
		_, err := s.Call(in.ExportedFunc("unhandled"))
		if !errors.As(err, &sus) {
			t.Errorf("suspension inside the host call: %v", err)
		}
		return nil
	}
	if got := int32(call(t, s, in, "through-host")[0].Bits); got != -1 {
		t.Errorf("through-host = %d, want -1 (returned)", got)
	}
	// A continuation with 1000 frames suspends and resumes in a later call.
	if got := int32(call(t, s, in, "deep")[0].Bits); got != 7 {
		t.Errorf("deep = %d, want 7", got)
	}
	if got := int32(call(t, s, in, "deep-next")[0].Bits); got != 8 {
		t.Errorf("deep-next = %d, want 8", got)
	}
}

func TestAPI_exhaustionInContinuation(t *testing.T) {
	s := refexec.NewStore(refexec.Config{MaxFrames: 500})
	in := instantiateIn(t, s, `(module
		(type $f (func))
		(type $k (cont $f))
		(func $rec (call $rec))
		(func $nest (resume $k (cont.new $k (ref.func $nest))))
		(elem declare func $rec $nest)
		(func (export "rec") (resume $k (cont.new $k (ref.func $rec))))
		(func (export "nest") (call $nest)))`, nil)
	for _, fn := range []string{"rec", "nest"} {
		if got := trapOf(t, s, in, fn); got != "call stack exhausted" {
			t.Errorf("%s: trap %q", fn, got)
		}
	}
}

func TestAPI_argumentTypes(t *testing.T) {
	s, in := instantiate(t, `(module
		(type $v (func))
		(func $f)
		(func (export "fr") (param funcref))
		(func (export "typed") (param (ref $v)))
		(func (export "ex") (param externref))
		(func (export "other") (param i32))
		(func (export "i") (param i32)))`, nil)
	g := in.ExportedFunc("other")
	for _, tc := range []struct {
		name, fn string
		arg      refexec.Value
		ok       bool
	}{
		{"funcref", "fr", refexec.Ref(g), true},
		{"null funcref", "fr", refexec.Ref(nil), true},
		{"host ref as funcref", "fr", refexec.Ref(refexec.HostRef(1)), false},
		{"typed of another type", "typed", refexec.Ref(g), false},
		{"null for non-nullable", "typed", refexec.Ref(nil), false},
		{"externref", "ex", refexec.Ref(refexec.HostRef(3)), true},
		{"function as externref", "ex", refexec.Ref(g), false},
		{"reference for a number", "i", refexec.Ref(refexec.HostRef(3)), false},
	} {
		_, err := s.Call(in.ExportedFunc(tc.fn), tc.arg)
		if (err == nil) != tc.ok {
			t.Errorf("%s: error %v, want ok=%v", tc.name, err, tc.ok)
		}
	}
}

func TestAPI_fuel(t *testing.T) {
	s := refexec.NewStore(refexec.Config{Fuel: 1000})
	in := instantiateIn(t, s, `(module (func (export "spin") (loop (br 0))))`, nil)
	if got := trapOf(t, s, in, "spin"); got != "out of fuel" {
		t.Errorf("spin: trap %q, want out of fuel", got)
	}
}
