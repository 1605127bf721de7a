package e2e

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"wfxc/rt"
)

// Typed host functions (rt.HostFunc) and calls with a context
// (Func.CallContext), on compiled code.

const typedWat = `(module
  (import "env" "scale" (func $scale (param i64 f64) (result i64)))
  (import "env" "ctxval" (func $ctxval (result i32)))
  (func (export "run") (param i64) (result i64) (call $scale (local.get 0) (f64.const 2.5)))
  (func (export "val") (result i32) (call $ctxval))
  (func (export "spin") (loop $l (br $l)))
  (func (export "one") (result i32) (i32.const 1)))`

type ctxKey struct{}

func typedImports() rt.Imports {
	return rt.Imports{"env": {
		"scale": rt.HostFunc(func(x int64, f float64) int64 { return int64(float64(x) * f) }),
		"ctxval": rt.HostFunc(func(ctx context.Context) (int32, error) {
			v, ok := ctx.Value(ctxKey{}).(int32)
			if !ok {
				return 0, errors.New("no value in the context")
			}
			return v, nil
		}),
	}}
}

func TestHostFunc_typed(t *testing.T) {
	inst, err := rt.NewStore().Instantiate(loadWat(t, "typed", typedWat), typedImports())
	if err != nil {
		t.Fatal(err)
	}
	if r := mustCall(t, inst, "run", 4); r[0] != 10 {
		t.Fatalf("run(4) = %d, want 10", r[0])
	}
	ctx := context.WithValue(context.Background(), ctxKey{}, int32(42))
	res := make([]uint64, 1)
	if err := inst.Func("val").CallContext(ctx, nil, res); err != nil || res[0] != 42 {
		t.Fatalf("val with a context: %v %v, want 42", res, err)
	}
	if err := inst.Func("val").CallContext(context.Background(), nil, res); err == nil || !strings.Contains(err.Error(), "no value") {
		t.Fatalf("val without the value: %v, want the host's error", err)
	}
}

// TestHostFunc_mismatch: a typed host function of another type than the
// import fails instantiation with both types named.
func TestHostFunc_mismatch(t *testing.T) {
	imps := typedImports()
	imps["env"]["scale"] = rt.HostFunc(func(x int32) int32 { return x })
	_, err := rt.NewStore().Instantiate(loadWat(t, "typed", typedWat), imps)
	var le *rt.LinkError
	want := "incompatible import type (the module imports (i64, f64) -> (i64); host function func(int32) int32 is (i32) -> (i32)): env::scale"
	if !errors.As(err, &le) || err.Error() != want {
		t.Fatalf("got %v\nwant %s", err, want)
	}
}

// TestHostFunc_badSignature: Go functions that have no wasm type panic.
func TestHostFunc_badSignature(t *testing.T) {
	for _, fn := range []any{42, func(string) {}, func() []byte { return nil }, func(...int32) {}} {
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.HasPrefix(r.(string), "rt.HostFunc: ") {
					t.Errorf("HostFunc(%T): recovered %v, want a panic", fn, r)
				}
			}()
			rt.HostFunc(fn)
		}()
	}
}

// TestCallContext_cancel: cancelling the context interrupts an endless
// loop; the error is both context.Canceled and the trap "interrupted";
// the store runs the next call normally (the interrupt is withdrawn).
func TestCallContext_cancel(t *testing.T) {
	inst, err := rt.NewStore().Instantiate(loadWat(t, "typed", typedWat), typedImports())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	err = inst.Func("spin").CallContext(ctx, nil, nil)
	var trap *rt.Trap
	if !errors.Is(err, context.DeadlineExceeded) || !errors.As(err, &trap) || trap.Message != "interrupted" {
		t.Fatalf("spin: %v, want the deadline and the trap \"interrupted\"", err)
	}
	// Cancelled right after a call ended: the next call is not stopped.
	for range 200 {
		ctx, cancel := context.WithCancel(context.Background())
		res := make([]uint64, 1)
		go cancel()
		if err := inst.Func("one").CallContext(ctx, nil, res); err != nil && !errors.Is(err, context.Canceled) {
			t.Fatal(err)
		}
		if r, err := inst.Func("one").Call(); err != nil || r[0] != 1 {
			t.Fatalf("one after a cancelled call: %v %v", r, err)
		}
	}
	if err := inst.Func("one").CallContext(ctx, nil, make([]uint64, 1)); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("call with a done context: %v", err)
	}
}

// TestCallContext_timeout: the store's timeout still stops a call made
// with a context that is not done; the error is the trap alone.
func TestCallContext_timeout(t *testing.T) {
	s := rt.NewStore()
	inst, err := s.Instantiate(loadWat(t, "typed", typedWat), typedImports())
	if err != nil {
		t.Fatal(err)
	}
	s.SetTimeout(20 * time.Millisecond)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	err = inst.Func("spin").CallContext(ctx, nil, nil)
	var trap *rt.Trap
	if !errors.As(err, &trap) || trap.Message != "interrupted" || errors.Is(err, context.Canceled) {
		t.Fatalf("spin under a timeout: %v, want the trap \"interrupted\" alone", err)
	}
}
