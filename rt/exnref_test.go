package rt

import (
	"testing"

	"wfxc/rt/abi"
)

// TestExnTable_roots: a collection keeps the handles that a live stack
// region, a suspended or running continuation's stack or payload, or a pin
// holds, and recycles the others, whose handles then fail.
func TestExnTable_roots(t *testing.T) {
	s := NewStore()
	defer s.Close()
	p := &s.mem.fibres
	tag := NewTag(abi.FuncType{})
	mk := func() uint64 { return s.exnref(NewException(tag), 0) }

	onMain, belowSP, pinned, gone := mk(), mk(), mk(), mk()
	// The running code's stack: live from sp up, dead below.
	sp := s.stack + stackSize - 4096
	store64(sp+64, onMain)
	store64(sp-64, belowSP)
	s.pinExn(pinned, 0)

	// A suspended continuation: live from its suspension point up, and its
	// payload buffer.
	susp, err := p.contNew()
	if err == nil {
		err = p.contArgs(susp, 4)
	}
	if err != nil {
		t.Fatal(err)
	}
	stop := uintptr(load64(susp + abi.ContStackTop))
	store64(susp+abi.ContState, abi.ContLive)
	store64(stop-abi.ContCtxSize+abi.StackCtxSP, uint64(stop-512))
	onSusp, belowSusp, inArgs := mk(), mk(), mk()
	store64(stop-256, onSusp)
	store64(stop-1024, belowSusp)
	store64(uintptr(load64(susp+abi.ContArgs))+16, inArgs)

	// A running continuation whose resumer left the main stack at rsp:
	// the main stack is live from there even though sp is on the fibre.
	run, err := p.contNew()
	if err != nil {
		t.Fatal(err)
	}
	rtop := uintptr(load64(run + abi.ContStackTop))
	rsp := s.stack + stackSize - 8192
	store64(run+abi.ContState, abi.ContLive)
	store64(rtop-abi.ContCtxSize+abi.StackCtxSP, uint64(rsp))
	onResumer := mk()
	store64(rsp+8, onResumer)
	onFibre := mk()
	fsp := rtop - 2048
	store64(fsp+16, onFibre)

	s.depth = 1
	s.collectExns(fsp)
	s.depth = 0
	for _, c := range []struct {
		name string
		h    uint64
		live bool
	}{
		{"main stack above sp", onMain, true},
		{"main stack below sp", belowSP, true}, // the resumer's SP is lower
		{"pinned", pinned, true},
		{"unreferenced", gone, false},
		{"suspended stack", onSusp, true},
		{"below a suspension point", belowSusp, false},
		{"continuation payload", inArgs, true},
		{"resumer's stack", onResumer, true},
		{"running fibre", onFibre, true},
	} {
		_, err := s.exnAt(c.h)
		if (err == nil) != c.live {
			t.Errorf("%s: exnAt after the collection: %v, want live = %v", c.name, err, c.live)
		}
	}
	// Without the running continuation, the main stack below sp is dead.
	store64(run+abi.ContState, abi.ContLive)
	store64(rtop-abi.ContCtxSize+abi.StackCtxSP, uint64(fsp))
	s.collectExns(sp)
	if _, err := s.exnAt(belowSP); err == nil {
		t.Errorf("main stack below sp: live after a collection without a resumer there")
	}
	if _, err := s.exnAt(onFibre); err != nil {
		t.Errorf("suspended fibre above its suspension point: %v", err)
	}
	// A recycled slot gets a new handle; the old one stays dead.
	fresh := mk()
	if fresh == gone {
		t.Errorf("recycled slot reissued the old handle %#x", gone)
	}
	if _, err := s.exnAt(gone); err == nil {
		t.Errorf("old handle of a recycled slot found an exception")
	}
	// Another store's handle is not one of this store's.
	other := NewStore()
	defer other.Close()
	h := other.exnref(NewException(tag), 0)
	if _, err := s.exnAt(h); err == nil {
		t.Errorf("handle of another store accepted")
	}
}

// TestExnTable_sameException: an exception keeps its handle while it
// lives, so rethrowing and catching it again gives the same exnref.
func TestExnTable_sameException(t *testing.T) {
	s := NewStore()
	defer s.Close()
	e := NewException(NewTag(abi.FuncType{}), 1)
	if a, b := s.exnref(e, 0), s.exnref(e, 0); a != b {
		t.Errorf("two handles %#x, %#x for one exception", a, b)
	}
}
