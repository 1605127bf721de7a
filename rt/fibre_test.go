package rt

import (
	"testing"

	"wfxc/rt/abi"
)

func TestFibre_contNewFree(t *testing.T) {
	inst := libcallInstance(t)
	s := inst.store
	p := &s.mem.fibres
	c1, err := doLibcall(t, inst, abi.LibcallContNew)
	if err != nil {
		t.Fatal(err)
	}
	c := uintptr(c1)
	top := uintptr(load64(c + abi.ContStackTop))
	checks := []struct {
		name string
		ok   bool
	}{
		{"state", load64(c+abi.ContState) == abi.ContReturned},
		{"leaf", load64(c+abi.ContLeaf) == c1},
		{"aligned", top%16 == 0},
		{"limit", load64(c+abi.ContStackLimit) == uint64(top-abi.FibreStackSize+pageSize+abi.FibreRedZone)},
		{"minArgs", load64(c+abi.ContArgs) != 0 && load64(c+abi.ContArgsCap) == abi.ContArgsMin},
		{"isStack", p.isStack(top-abi.ContCtxSize, abi.ContCtxSize)},
		{"notStack", !p.isStack(top, 8)},
		{"sameStack", sameStack(s, top-64, top-4096) && !sameStack(s, top-64, s.stack+4096)},
		{"notFree", s.field(abi.EctxContFree) == 0 && p.live() == 1},
	}
	for _, ck := range checks {
		if !ck.ok {
			t.Errorf("after cont.new: %s check failed", ck.name)
		}
	}
	store64(top-8, 42) // the stack is writable

	// The payload buffer grows and keeps its contents.
	if _, err := doLibcall(t, inst, abi.LibcallContArgs, c1, 3); err != nil {
		t.Fatal(err)
	}
	for i := uint64(0); i < 3; i++ {
		store64(uintptr(load64(c+abi.ContArgs))+8*uintptr(i), i+7)
	}
	if _, err := doLibcall(t, inst, abi.LibcallContArgs, c1, 100); err != nil {
		t.Fatal(err)
	}
	if load64(c+abi.ContArgsCap) < 100 || load64(uintptr(load64(c+abi.ContArgs))+16) != 9 {
		t.Fatalf("grown buffer: capacity %d, slot 2 = %d", load64(c+abi.ContArgsCap), load64(uintptr(load64(c+abi.ContArgs))+16))
	}
	if _, err := doLibcall(t, inst, abi.LibcallContArgs, c1, 1<<20); err == nil {
		t.Fatal("huge payload accepted")
	}

	// Freeing: the record goes to the free list with a new revision.
	rev := load64(c + abi.ContRevision)
	if err := p.contFree(c); err == nil {
		t.Fatal("free of a record no continuation owns accepted")
	}
	store64(c+abi.ContState, abi.ContLive)
	if err := p.contFree(c); err != nil {
		t.Fatal(err)
	}
	if load64(c+abi.ContRevision) != rev+1 || load64(c+abi.ContState) != abi.ContReturned || s.field(abi.EctxContFree) != c1 || p.live() != 0 {
		t.Fatalf("after free: revision %d (was %d), state %d, free list %#x", load64(c+abi.ContRevision), rev, load64(c+abi.ContState), s.field(abi.EctxContFree))
	}
	if err := p.contFree(c); err == nil {
		t.Fatal("double free accepted")
	}

	// A trapped execution gives back the continuations it was running
	// (the chain from EctxContCurrent), not the suspended ones.
	c2, _ := doLibcall(t, inst, abi.LibcallContNew)
	c3, _ := doLibcall(t, inst, abi.LibcallContNew)
	c4, _ := doLibcall(t, inst, abi.LibcallContNew)
	for _, x := range []uint64{c2, c3, c4} {
		store64(uintptr(x)+abi.ContState, abi.ContLive)
	}
	store64(p.ectx+abi.EctxContFree, 0)
	store64(uintptr(c3)+abi.ContParent, c2)
	store64(uintptr(c2)+abi.ContParent, 0)
	s.setField(abi.EctxContCurrent, c3)
	p.dropChain()
	if load64(uintptr(c2)+abi.ContState) != abi.ContReturned || load64(uintptr(c3)+abi.ContState) != abi.ContReturned ||
		load64(uintptr(c4)+abi.ContState) != abi.ContLive || s.field(abi.EctxContCurrent) != 0 || p.live() != 2 {
		t.Fatalf("after dropChain: states %d %d %d, live %d", load64(uintptr(c2)+abi.ContState), load64(uintptr(c3)+abi.ContState),
			load64(uintptr(c4)+abi.ContState), p.live())
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
	c, err := doLibcall(t, inst, abi.LibcallContNew)
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
	frames, _, _ := s.backtrace(text+uintptr(fs[4].Code)+1, fp1)
	var names []string
	for _, f := range frames {
		names = append(names, f.Name)
	}
	if len(names) != 3 || names[0] != "wasm[4]" || names[1] != "outer" || names[2] != "callimp" {
		t.Fatalf("frames %v, want wasm[4] outer callimp", names)
	}
	// A chain that points outside every stack ends the walk.
	store64(fp2, 0x1000)
	if f, _, _ := s.backtrace(text+uintptr(fs[4].Code)+1, fp1); len(f) != 3 {
		t.Fatalf("%d frames with a wild frame pointer, want 3", len(f))
	}
}

// TestFibreRootFrame: a continuation's entry function has no stack check
// for frames up to abi.FibreRootFrame (the back ends' prologues), so the
// smallest fibre stack must have that much room above its stack limit
// below the entry's SP, whatever its colour.
func TestFibreRootFrame(t *testing.T) {
	size := uintptr(MinFibreStackSize)
	for n := 0; n < 1000; n++ {
		top := size - stackColour(n, size) // the mapping at 0
		limit := pageSize + abi.FibreRedZone
		room := int64(top) - abi.FibreEntrySP - 16 - int64(limit) // below the return address and the frame record
		if room < abi.FibreRootFrame {
			t.Fatalf("stack %d: %d bytes between the entry frame and the limit, want at least %d", n, room, abi.FibreRootFrame)
		}
	}
}
