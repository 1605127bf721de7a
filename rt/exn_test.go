package rt

import (
	"errors"
	"testing"

	"wfxc/rt/abi"
)

func TestException_throwCatch(t *testing.T) {
	var inst *Instance
	var hostThrow func(x uint64) error
	host := NewHostFuncCaller(tTypes[1], func(c *Caller, a []uint64) ([]uint64, error) {
		if c.Instance() != inst {
			return nil, errors.New("wrong caller")
		}
		if err := hostThrow(a[0]); err != nil {
			return nil, err
		}
		return []uint64{a[0] * 10}, nil
	})
	inst = instantiate(t, NewStore(), newTestModule(t), host)
	ext, _ := inst.Export("tag")
	tag := ext.(*Tag)
	foreign := NewTag(tTypes[3])

	// Caught in the frame that calls the thrower.
	if res := call(t, inst, "try", 5); res[0] != 1005 {
		t.Fatalf("try(5) = %d, want 1005", res[0])
	}
	// Uncaught: the call fails with the exception.
	_, err := inst.Func("throw").Call(7)
	var e *Exception
	if !errors.As(err, &e) || e.Tag != tag || len(e.Payload) != 1 || e.Payload[0] != 7 {
		t.Fatalf("throw(7): err = %v (%+v), want the exception of tag with payload 7", err, e)
	}
	if err.Error() != "uncaught exception" {
		t.Fatalf("message %q", err.Error())
	}
	escaped := e
	// A host function throws into wasm: a matching tag clause catches it.
	hostThrow = func(x uint64) error { return NewException(tag, x+1) }
	if res := call(t, inst, "trytag", 5); res[0] != 1006 {
		t.Fatalf("trytag(5) = %d, want 1006", res[0])
	}
	// A tag clause does not catch another tag's exception.
	hostThrow = func(x uint64) error { return NewException(foreign, x) }
	_, err = inst.Func("trytag").Call(5)
	if !errors.As(err, &e) || e.Tag != foreign {
		t.Fatalf("trytag with a foreign tag: err = %v, want the foreign exception", err)
	}
	// catch_all_ref delivers an exnref; throw_ref rethrows the same exception.
	thrown := NewException(foreign, 9)
	hostThrow = func(x uint64) error { return thrown }
	res := call(t, inst, "tryhost", 1)
	ref := res[0] - 1<<40
	if res[0] < 1<<40 || ref == 0 {
		t.Fatalf("tryhost = %#x, want an exnref + 1<<40", res[0])
	}
	_, err = inst.Func("rethrow").Call(ref)
	if !errors.As(err, &e) || e != thrown {
		t.Fatalf("rethrow: err = %v, want the same exception", err)
	}
	if _, err := inst.Func("rethrow").Call(12345); err == nil || errors.As(err, &e) {
		t.Fatalf("rethrow of a bad exnref: err = %v, want a runtime error", err)
	}
	// No exception: the normal path.
	hostThrow = func(x uint64) error { return nil }
	if res := call(t, inst, "tryhost", 4); res[0] != 40 {
		t.Fatalf("tryhost(4) = %d, want 40", res[0])
	}
	// The store still works after all that unwinding.
	if res := call(t, inst, "try", 1); res[0] != 1001 {
		t.Fatalf("try(1) = %d", res[0])
	}
	// An exception that reached the host stays the host's when the host
	// throws it again and wasm catches it: later throws do not reuse it.
	hostThrow = func(uint64) error { return escaped }
	if res := call(t, inst, "trytag", 5); res[0] != 1007 {
		t.Fatalf("trytag(5) throwing the escaped exception = %d, want 1007", res[0])
	}
	if res := call(t, inst, "try", 2); res[0] != 1002 {
		t.Fatalf("try(2) = %d", res[0])
	}
	if escaped.Tag != tag || len(escaped.Payload) != 1 || escaped.Payload[0] != 7 {
		t.Fatalf("the escaped exception changed: %+v", escaped)
	}
}

// TestException_leavesFibre: an exception thrown on a fibre and caught on
// the main stack finishes the continuation and restores the main stack's
// limit. The frames are built by hand (the test module has no switches).
func TestException_leavesFibre(t *testing.T) {
	inst := instantiate(t, NewStore(), newTestModule(t), hostTimes10())
	s := inst.store
	c, err := s.mem.fibres.contNew()
	if err != nil {
		t.Fatal(err)
	}
	store64(c+abi.ContState, abi.ContLive)
	s.setField(abi.EctxContCurrent, uint64(c)) // the fibre runs, resumed from the main stack
	top := uintptr(load64(c + abi.ContStackTop))
	m := inst.mod
	h := m.desc.Handlers[0] // f_try's call of f_throw
	fs := m.desc.Funcs
	// Main stack: the try_table frame of f_try.
	fpMain := s.stack + stackSize - 1024
	store64(fpMain-uintptr(h.VMCtxOff), uint64(inst.vmctx))
	store64(fpMain, 0)
	// Fibre: the thrower's frame, whose caller is the try_table frame.
	fpFib := top - 256
	store64(fpFib, uint64(fpMain))
	store64(fpFib+8, uint64(m.text)+uint64(h.RetOff))
	save := fpFib - 64
	store64(save+exitSave.FPOff, uint64(fpFib))
	store64(save+exitSave.RetOff, uint64(m.text)+uint64(fs[10].Code)+4) // inside throw
	s.setField(abi.EctxNativeSP, uint64(save))
	s.setField(abi.EctxStackLimit, load64(c+abi.ContStackLimit))
	ext, _ := inst.Export("tag")
	if err := s.throw(NewException(ext.(*Tag), 3)); err != nil {
		t.Fatalf("throw: %v", err)
	}
	if got, want := uintptr(s.field(abi.EctxNativeSP)), fpMain-uintptr(h.SPOff)-exitSave.Size; got != want {
		t.Errorf("NativeSP = %#x, want %#x", got, want)
	}
	if got := load64(uintptr(s.field(abi.EctxNativeSP)) + exitSave.RetOff); got != uint64(m.text)+uint64(h.Clauses[0].Pad) {
		t.Errorf("resume address %#x, want the pad", got)
	}
	if got, want := s.field(abi.EctxStackLimit), uint64(s.stack+pageSize+stackMargin); got != want {
		t.Errorf("StackLimit = %#x, want the main stack's %#x", got, want)
	}
	if load64(c+abi.ContState) != abi.ContReturned {
		t.Errorf("continuation state %d, want returned", load64(c+abi.ContState))
	}
	if cur := s.field(abi.EctxContCurrent); cur != 0 {
		t.Errorf("EctxContCurrent = %#x after landing on the main stack, want 0", cur)
	}
	if v := load64(uintptr(s.field(abi.EctxExitArgs))); v != 3 {
		t.Errorf("delivered payload %d, want 3", v)
	}
}
