package rt

// The common signatures of HostFunc without reflect: fastHost matches fn
// against the shapes of fastShapes (up to four parameters of one type, no
// result, one result of any type, or one and an error, with or without a
// leading context.Context) for every pair of value types, and returns an
// adapter that calls fn directly; anything else goes through
// reflect.Value.Call (HostFunc), some ten times slower per call.

import (
	"context"
	"unsafe"
)

// A wasmValue is a Go type of a wasm value that HostFunc passes without
// reflect. Its value lives in the low bytes of its 8-byte slot, the rest
// zero (both targets are little-endian): an i32 zero-extended, an f32 as
// its bits.
type wasmValue interface {
	~int32 | ~uint32 | ~int64 | ~uint64 | ~float32 | ~float64
}

// fromSlot returns the value of type T in slot x.
func fromSlot[T wasmValue](x uint64) T { return *(*T)(unsafe.Pointer(&x)) }

// toSlot returns the slot of v.
func toSlot[T wasmValue](v T) uint64 {
	var x uint64
	*(*T)(unsafe.Pointer(&x)) = v
	return x
}

// hostImpl is the implementation of a host function: its arguments'
// slots in, its results' out.
type hostImpl = func(c *Caller, args []uint64) ([]uint64, error)

// fastHost returns an adapter of fn that calls it without reflect, or
// nil when fn's signature is none of fastShapes'.
func fastHost(fn any) hostImpl {
	for _, shapes := range fastShapeSets {
		if h := shapes(fn); h != nil {
			return h
		}
	}
	return nil
}

// fastShapeSets are fastShapes for every pair of parameter and result
// types of the basic kinds.
var fastShapeSets = []func(any) hostImpl{
	fastShapesP[int32], fastShapesP[uint32], fastShapesP[int64], fastShapesP[uint64], fastShapesP[float32], fastShapesP[float64],
}

// fastShapesP is fastShapes for parameters of type P and every result
// type.
func fastShapesP[P wasmValue](fn any) hostImpl {
	for _, shapes := range []func(any) hostImpl{
		fastShapes[P, int32], fastShapes[P, uint32], fastShapes[P, int64], fastShapes[P, uint64], fastShapes[P, float32], fastShapes[P, float64],
	} {
		if h := shapes(fn); h != nil {
			return h
		}
	}
	return nil
}

// one returns the result slots of a function with one result.
func one[R wasmValue](r R) ([]uint64, error) { return []uint64{toSlot(r)}, nil }

// oneErr returns the result slots of a function with one result and an
// error.
func oneErr[R wasmValue](r R, err error) ([]uint64, error) {
	if err != nil {
		return nil, err
	}
	return []uint64{toSlot(r)}, nil
}

// fastShapes returns the adapter of fn if it is one of the shapes below
// with parameters of type P and results of type R, else nil.
func fastShapes[P, R wasmValue](fn any) hostImpl {
	p := fromSlot[P]
	switch f := fn.(type) {
	case func():
		return func(*Caller, []uint64) ([]uint64, error) { f(); return nil, nil }
	case func(P):
		return func(_ *Caller, a []uint64) ([]uint64, error) { f(p(a[0])); return nil, nil }
	case func(P, P):
		return func(_ *Caller, a []uint64) ([]uint64, error) { f(p(a[0]), p(a[1])); return nil, nil }
	case func(P, P, P):
		return func(_ *Caller, a []uint64) ([]uint64, error) { f(p(a[0]), p(a[1]), p(a[2])); return nil, nil }
	case func() R:
		return func(*Caller, []uint64) ([]uint64, error) { return one(f()) }
	case func() (R, error):
		return func(*Caller, []uint64) ([]uint64, error) { return oneErr(f()) }
	case func(P) R:
		return func(_ *Caller, a []uint64) ([]uint64, error) { return one(f(p(a[0]))) }
	case func(P, P) R:
		return func(_ *Caller, a []uint64) ([]uint64, error) { return one(f(p(a[0]), p(a[1]))) }
	case func(P, P, P) R:
		return func(_ *Caller, a []uint64) ([]uint64, error) { return one(f(p(a[0]), p(a[1]), p(a[2]))) }
	case func(P, P, P, P) R:
		return func(_ *Caller, a []uint64) ([]uint64, error) { return one(f(p(a[0]), p(a[1]), p(a[2]), p(a[3]))) }
	case func(P) (R, error):
		return func(_ *Caller, a []uint64) ([]uint64, error) { return oneErr(f(p(a[0]))) }
	case func(P, P) (R, error):
		return func(_ *Caller, a []uint64) ([]uint64, error) { return oneErr(f(p(a[0]), p(a[1]))) }
	case func(context.Context, P):
		return func(c *Caller, a []uint64) ([]uint64, error) { f(c.Context(), p(a[0])); return nil, nil }
	case func(context.Context, P, P):
		return func(c *Caller, a []uint64) ([]uint64, error) { f(c.Context(), p(a[0]), p(a[1])); return nil, nil }
	case func(context.Context) R:
		return func(c *Caller, _ []uint64) ([]uint64, error) { return one(f(c.Context())) }
	case func(context.Context) (R, error):
		return func(c *Caller, _ []uint64) ([]uint64, error) { return oneErr(f(c.Context())) }
	case func(context.Context, P) R:
		return func(c *Caller, a []uint64) ([]uint64, error) { return one(f(c.Context(), p(a[0]))) }
	case func(context.Context, P, P) R:
		return func(c *Caller, a []uint64) ([]uint64, error) { return one(f(c.Context(), p(a[0]), p(a[1]))) }
	case func(context.Context, P, P, P) R:
		return func(c *Caller, a []uint64) ([]uint64, error) { return one(f(c.Context(), p(a[0]), p(a[1]), p(a[2]))) }
	case func(context.Context, P) (R, error):
		return func(c *Caller, a []uint64) ([]uint64, error) { return oneErr(f(c.Context(), p(a[0]))) }
	case func(context.Context, P, P) (R, error):
		return func(c *Caller, a []uint64) ([]uint64, error) { return oneErr(f(c.Context(), p(a[0]), p(a[1]))) }
	}
	return nil
}
