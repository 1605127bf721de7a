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
