package rt

import (
	"testing"

	"wfxc/rt/abi"
)

func TestFibre_contNewFree(t *testing.T) {
	inst := libcallInstance(t)
	s := inst.store
	c1, err := doLibcall(t, inst, abi.LibcallContNew, 0x1230, 3)
	if err != nil {
		t.Fatal(err)
	}
	c := uintptr(c1)
	top := uintptr(load64(c + abi.ContStackTop))
	checks := []struct {
		name string
		ok   bool
	}{
		{"state", load64(c+abi.ContState) == abi.ContFresh},
		{"funcref", load64(c+abi.ContFuncRef) == 0x1230},
		{"aligned", top%16 == 0},
		{"limit", load64(c+abi.ContStackLimit) == uint64(top-abi.FibreStackSize+pageSize+abi.FibreRedZone)},
		{"args", load64(c+abi.ContArgs) != 0 && load64(c+abi.ContArgsCap) >= 3},
		{"isStack", s.mem.fibres.isStack(top-abi.ContCtxSize, abi.ContCtxSize)},
		{"notStack", !s.mem.fibres.isStack(top, 8)},
		{"sameStack", sameStack(s, top-64, top-4096) && !sameStack(s, top-64, s.stack+4096)},
	}
	for _, ck := range checks {
		if !ck.ok {
			t.Errorf("after cont.new: %s check failed", ck.name)
		}
	}
	store64(top-8, 42) // the stack is writable
	for i := uint64(0); i < 3*2; i++ {
		store64(uintptr(load64(c+abi.ContArgs))+8*uintptr(i), i)
	}
	rev := load64(c + abi.ContRevision)
	if _, err := doLibcall(t, inst, abi.LibcallContFree, c1); err != nil {
		t.Fatal(err)
	}
	if load64(c+abi.ContRevision) != rev+1 || load64(c+abi.ContState) != abi.ContReturned {
		t.Fatalf("after free: revision %d (was %d), state %d", load64(c+abi.ContRevision), rev, load64(c+abi.ContState))
	}
	if _, err := doLibcall(t, inst, abi.LibcallContFree, c1); err == nil {
		t.Fatal("double free accepted")
	}
	if _, err := doLibcall(t, inst, abi.LibcallContFree, 0x1000); err == nil {
		t.Fatal("free of an unknown continuation accepted")
	}
	// The record and the stack are reused, the revision kept.
	c2, err := doLibcall(t, inst, abi.LibcallContNew, 0x4560, 100)
	if err != nil {
		t.Fatal(err)
	}
	if c2 != c1 || uintptr(load64(c+abi.ContStackTop)) != top || load64(c+abi.ContRevision) != rev+1 {
		t.Fatalf("reuse: record %#x (was %#x), top %#x (was %#x)", c2, c1, load64(c+abi.ContStackTop), top)
	}
	if load64(c+abi.ContArgsCap) < 100 {
		t.Fatalf("payload capacity %d, want ≥ 100", load64(c+abi.ContArgsCap))
	}
	// A second live continuation gets its own stack.
	c3, err := doLibcall(t, inst, abi.LibcallContNew, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if c3 == c2 || load64(uintptr(c3)+abi.ContStackTop) == uint64(top) {
		t.Fatal("two live continuations share a record or stack")
	}
	if _, err := doLibcall(t, inst, abi.LibcallContNew, 0, 1<<20); err == nil {
		t.Fatal("huge payload accepted")
	}
	// A continuation left running by a trapped execution is reclaimed; a
	// fresh one stays.
	store64(uintptr(c3)+abi.ContState, abi.ContRunning)
	if _, err := inst.Func("outer").Call(); err == nil {
		t.Fatal("outer did not trap")
	}
	if load64(uintptr(c3)+abi.ContState) != abi.ContReturned || load64(c+abi.ContState) != abi.ContFresh {
		t.Fatalf("after a trap: states %d, %d", load64(uintptr(c3)+abi.ContState), load64(c+abi.ContState))
	}
	s.Close()
	if len(s.mem.fibres.stacks) != 0 {
		t.Fatal("Close kept fibre stacks")
	}
}

// TestBacktrace_crossesFibres: the frame chain leads from a fibre stack
// into the main stack (a fibre's root frame links to its resumer).
func TestBacktrace_crossesFibres(t *testing.T) {
	inst := libcallInstance(t)
	s := inst.store
	c, err := doLibcall(t, inst, abi.LibcallContNew, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	fs := inst.mod.desc.Funcs
	text := inst.mod.text
	top := uintptr(load64(uintptr(c) + abi.ContStackTop))
	fp1 := top - 64                   // a frame on the fibre
	fp2 := s.stack + stackSize - 4096 // its resumer's frame, on the main stack
	store64(fp1, uint64(fp2))
	store64(fp1+8, uint64(text+uintptr(fs[3].Code)+2)) // return into outer
	store64(fp2, 0)
	store64(fp2+8, uint64(text+uintptr(fs[2].Code)+2)) // return into callimp
	frames := s.backtrace(text+uintptr(fs[4].Code)+1, fp1)
	var names []string
	for _, f := range frames {
		names = append(names, f.Name)
	}
	if len(names) != 3 || names[0] != "wasm[4]" || names[1] != "outer" || names[2] != "callimp" {
		t.Fatalf("frames %v, want wasm[4] outer callimp", names)
	}
	// A chain that points outside every stack ends the walk.
	store64(fp2, 0x1000)
	if n := len(s.backtrace(text+uintptr(fs[4].Code)+1, fp1)); n != 3 {
		t.Fatalf("%d frames with a wild frame pointer, want 3", n)
	}
}
