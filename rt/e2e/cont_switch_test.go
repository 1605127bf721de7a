package e2e

import (
	"errors"
	"testing"

	"wfxc/compile"
	"wfxc/frontend/wat"
	"wfxc/rt"
)

// TestCont_switchUnhandledLeavesTarget: a switch whose tag has no switch
// handler (only a suspend clause for it) traps "unhandled tag" and leaves
// its target live, as the reference interpreter does: the target is
// consumed only when the handler is found. Found by difffuzz -features
// cont, seed 207973 (bench/testdata/regress/207973-cont.wasm).
func TestCont_switchUnhandledLeavesTarget(t *testing.T) {
	bin, err := wat.ParseModule([]byte(`(module
	  (rec (type $f2 (func (param (ref null $c2)) (result i32))) (type $c2 (cont $f2)))
	  (type $f (func (result i32)))
	  (type $c (cont $f))
	  (type $fi (func (param i32) (result i32)))
	  (type $ci (cont $fi))
	  (tag $t (result i32))
	  (global $g (mut (ref null $c2)) (ref.null $c2))
	  (func $body (type $f2) (i32.const 42))
	  (func $sw (type $f) (drop (switch $c2 $t (global.get $g))) (i32.const 7))
	  (elem declare func $body $sw)
	  (func (export "make") (global.set $g (cont.new $c2 (ref.func $body))))
	  (func (export "bad") (result i32)
	    (block $h (result (ref null $ci))
	      (return (resume $c (on $t $h) (cont.new $c (ref.func $sw)))))
	    (drop) (i32.const -1))
	  (func (export "good") (result i32)
	    (resume $c2 (ref.null $c2) (global.get $g))))`))
	if err != nil {
		t.Fatal(err)
	}
	res, err := compile.Compile(bin, compile.Options{Name: "switchunhandled"})
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
	trap := func(name, want string) {
		t.Helper()
		var tr *rt.Trap
		if _, err := inst.Func(name).Call(); !errors.As(err, &tr) || tr.Message != want {
			t.Fatalf("%s: %v, want trap %q", name, err, want)
		}
	}
	if _, err := inst.Func("make").Call(); err != nil {
		t.Fatal(err)
	}
	trap("bad", "unhandled tag")
	trap("bad", "unhandled tag") // the target is still live
	if got, err := inst.Func("good").Call(); err != nil || got[0] != 42 {
		t.Fatalf("good = %v, %v; want 42", got, err)
	}
	trap("good", "continuation already consumed")
	trap("bad", "continuation already consumed")
}
