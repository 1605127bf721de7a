package rt

import (
	"testing"

	"wfxc/compile"
	"wfxc/frontend/wat"
	"wfxc/rt/abi"
)

// suspendTwiceWat suspends a continuation two calls deep, twice, then
// lets it return.
const suspendTwiceWat = `(module
  (type $f (func))
  (type $k (cont $f))
  (tag $t)
  (global $c (mut (ref null $k)) (ref.null $k))
  (func $deep (suspend $t))
  (func $body (call $deep) (call $deep))
  (elem declare func $body)
  (func (export "start")
    (global.set $c
      (block $h (result (ref $k))
        (resume $k (on $t $h) (cont.new $k (ref.func $body)))
        (unreachable))))
  (func (export "again")
    (global.set $c
      (block $h (result (ref $k))
        (resume $k (on $t $h) (global.get $c))
        (return)))))`

// TestFibre_suspendedStackEndsChain: the frame chain of a suspended
// continuation, from its suspension point, climbs its own stack to the
// root frame record at the stack's base, and that record is null ({0, 0},
// as Go's unwinder and the AAPCS expect): it names no stale resumer. Both
// after the first suspension and after a resume and a second one.
func TestFibre_suspendedStackEndsChain(t *testing.T) {
	bin, err := wat.ParseModule([]byte(suspendTwiceWat))
	if err != nil {
		t.Fatal(err)
	}
	res, err := compile.Compile(bin, compile.Options{Name: "susp"})
	if err != nil {
		t.Fatal(err)
	}
	m, err := LoadObject(res.Object)
	if err != nil {
		t.Fatal(err)
	}
	s := NewStore()
	defer s.Close()
	inst, err := s.Instantiate(m, nil)
	if err != nil {
		t.Fatal(err)
	}
	p := &s.mem.fibres
	check := func(when string) {
		t.Helper()
		n := 0
		for _, c := range p.conts {
			if load64(c+abi.ContState) != abi.ContLive {
				continue
			}
			n++
			top := uintptr(load64(c + abi.ContStackTop))
			root := top - abi.FibreEntryFP // the root frame record
			fp := uintptr(load64(c + abi.ContSusp + abi.StackCtxFP))
			frames := 0
			for fp != root {
				if fp%8 != 0 || fp >= root || !sameStack(s, fp, root) || frames > 16 {
					t.Fatalf("%s: the chain from the suspension point leaves its stack at %#x after %d frames (root record %#x)", when, fp, frames, root)
				}
				fp = uintptr(load64(fp))
				frames++
			}
			if frames < 2 { // $deep and $body
				t.Errorf("%s: %d frames from the suspension point to the root, want at least 2", when, frames)
			}
			if link, ra := load64(root), load64(root+8); link != 0 || ra != 0 {
				t.Errorf("%s: the suspended stack's root frame record is {%#x, %#x}, want {0, 0}", when, link, ra)
			}
		}
		if n != 1 {
			t.Fatalf("%s: %d live continuations, want 1", when, n)
		}
	}
	if _, err := inst.Func("start").Call(); err != nil {
		t.Fatal(err)
	}
	check("first suspension")
	if _, err := inst.Func("again").Call(); err != nil {
		t.Fatal(err)
	}
	check("second suspension")
	if _, err := inst.Func("again").Call(); err != nil {
		t.Fatal(err)
	}
	if p.live() != 0 {
		t.Fatalf("%d live continuations after the return, want 0", p.live())
	}
}
