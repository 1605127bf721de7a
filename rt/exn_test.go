package rt

import (
	"errors"
	"testing"
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
}
