package rt

// Typed host functions: HostFunc makes a host function of a Go function
// with ordinary Go parameter and result types, its wasm type derived from
// the Go signature and checked, like any import, against the type the
// importing module declares when it is instantiated.

import (
	"context"
	"fmt"
	"math"
	"reflect"

	"wfxc/rt/abi"
)

var (
	contextType = reflect.TypeFor[context.Context]()
	callerType  = reflect.TypeFor[*Caller]()
	errorType   = reflect.TypeFor[error]()
)

// HostFunc returns a host function implemented by fn, a Go function of the
// form
//
//	func([ctx context.Context | c *Caller,] params...) ([results...] [, error])
//
// whose parameters and results are int32 or uint32 (wasm i32), int64 or
// uint64 (i64), float32 (f32) or float64 (f64), or types defined on those.
// ctx is the context of the CallContext (or typed wrapper) that entered
// wasm, context.Background() when there is none; c is the calling instance.
// A non-nil error aborts the execution (an *Exception throws it into wasm,
// as with NewHostFunc). Instantiating a module that imports the function
// with another type fails with a LinkError naming both types. HostFunc
// panics if fn is not such a function: that is a mistake of the program,
// not of its input.
func HostFunc(fn any) *Func {
	v := reflect.ValueOf(fn)
	t := v.Type()
	if t.Kind() != reflect.Func || t.IsVariadic() {
		panic(fmt.Sprintf("rt.HostFunc: %v is not a function of wasm values", t))
	}
	first := 0
	withCtx, withCaller := false, false
	if t.NumIn() > 0 {
		switch t.In(0) {
		case contextType:
			withCtx, first = true, 1
		case callerType:
			withCaller, first = true, 1
		}
	}
	var ft FuncType
	var decode []func(uint64) reflect.Value
	for i := first; i < t.NumIn(); i++ {
		vt, ok := goValType(t.In(i))
		if !ok {
			panic(fmt.Sprintf("rt.HostFunc: %v: parameter %d has type %v, which is no wasm value type", t, i, t.In(i)))
		}
		ft.Params = append(ft.Params, vt)
		decode = append(decode, decoder(t.In(i)))
	}
	nout := t.NumOut()
	withErr := nout > 0 && t.Out(nout-1) == errorType
	if withErr {
		nout--
	}
	for i := 0; i < nout; i++ {
		vt, ok := goValType(t.Out(i))
		if !ok {
			panic(fmt.Sprintf("rt.HostFunc: %v: result %d has type %v, which is no wasm value type", t, i, t.Out(i)))
		}
		ft.Results = append(ft.Results, vt)
	}
	raw := fastHost(fn)
	if raw == nil {
		raw = reflectHost(v, withCtx, withCaller, first, decode, nout, withErr)
	}
	return (&Func{typ: ft, tid: canonicalTypeID(ft), host: raw, gofn: t}).withSig()
}

// reflectHost is the adapter of fn (v) through reflect.Value.Call, for
// the signatures fastHost does not know.
func reflectHost(v reflect.Value, withCtx, withCaller bool, first int, decode []func(uint64) reflect.Value, nout int, withErr bool) hostImpl {
	t := v.Type()
	return func(c *Caller, args []uint64) ([]uint64, error) {
		in := make([]reflect.Value, t.NumIn())
		switch {
		case withCtx:
			in[0] = reflect.ValueOf(c.Context())
		case withCaller:
			in[0] = reflect.ValueOf(c)
		}
		for i, d := range decode {
			in[first+i] = d(args[i])
		}
		out := v.Call(in)
		if withErr {
			if err, _ := out[nout].Interface().(error); err != nil {
				return nil, err
			}
		}
		res := make([]uint64, nout)
		for i := range res {
			res[i] = encode(out[i])
		}
		return res, nil
	}
}

// goValType is the wasm value type of Go type t.
func goValType(t reflect.Type) (ValType, bool) {
	switch t.Kind() {
	case reflect.Int32, reflect.Uint32:
		return I32, true
	case reflect.Int64, reflect.Uint64:
		return I64, true
	case reflect.Float32:
		return F32, true
	case reflect.Float64:
		return F64, true
	}
	return 0, false
}

// decoder converts a slot to a value of Go type t (one of goValType's).
func decoder(t reflect.Type) func(uint64) reflect.Value {
	set := func(f func(reflect.Value, uint64)) func(uint64) reflect.Value {
		return func(x uint64) reflect.Value {
			v := reflect.New(t).Elem()
			f(v, x)
			return v
		}
	}
	switch t.Kind() {
	case reflect.Int32:
		return set(func(v reflect.Value, x uint64) { v.SetInt(int64(int32(x))) })
	case reflect.Int64:
		return set(func(v reflect.Value, x uint64) { v.SetInt(int64(x)) })
	case reflect.Uint32:
		return set(func(v reflect.Value, x uint64) { v.SetUint(uint64(uint32(x))) })
	case reflect.Uint64:
		return set(func(v reflect.Value, x uint64) { v.SetUint(x) })
	case reflect.Float32:
		return set(func(v reflect.Value, x uint64) { v.SetFloat(float64(math.Float32frombits(uint32(x)))) })
	}
	return set(func(v reflect.Value, x uint64) { v.SetFloat(math.Float64frombits(x)) })
}

// encode converts a Go value (of one of goValType's types) to its slot.
func encode(v reflect.Value) uint64 {
	switch v.Kind() {
	case reflect.Int32:
		return uint64(uint32(v.Int()))
	case reflect.Int64:
		return uint64(v.Int())
	case reflect.Uint32, reflect.Uint64:
		return v.Uint()
	case reflect.Float32:
		return uint64(math.Float32bits(float32(v.Float())))
	}
	return math.Float64bits(v.Float())
}

// Context returns the context of the innermost CallContext running in the
// caller's store (also the typed wrappers' of a generated package), or
// context.Background().
func (c *Caller) Context() context.Context {
	if c != nil && c.inst != nil {
		if cs := c.inst.store.ctxs; len(cs) > 0 {
			return cs[len(cs)-1]
		}
	}
	return context.Background()
}

// funcLinkError is the LinkError of function import imp, which wants type
// want, bound to f of another type; for a HostFunc it names both types.
func funcLinkError(imp abi.Import, f *Func, want FuncType) error {
	msg := "incompatible import type"
	if f.gofn != nil {
		msg += fmt.Sprintf(" (the module imports %s; host function %v is %s)", sigString(want), f.gofn, sigString(f.typ))
	}
	return &LinkError{Module: imp.Module, Name: imp.Name, Message: msg}
}
