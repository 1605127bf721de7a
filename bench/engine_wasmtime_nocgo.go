//go:build !cgo

package bench

import "errors"

// Wasmtime needs cgo (wasmtime-go links a C library); without it, every
// compilation fails.
var Wasmtime = Engine{Name: "wasmtime", Compile: func([]byte) (Module, error) {
	return nil, errors.New("wasmtime: this build has no cgo")
}}

// WasmtimeAvailable reports whether this build links Wasmtime (it needs
// cgo).
const WasmtimeAvailable = false
