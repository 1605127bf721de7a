//go:build !cgo

package corpus

import "errors"

// WasmtimeAvailable reports whether this build links Wasmtime (cgo).
const WasmtimeAvailable = false

var errNoCgo = errors.New("wasmtime: this build has no cgo")

// Wasmtime needs cgo; without it, preparing fails.
var Wasmtime = Engine{Name: "wasmtime", Prepare: func(*Builder, Program) (Runner, error) { return nil, errNoCgo }}

// WasmtimeCompile needs cgo; without it, it fails.
func WasmtimeCompile([]byte) error { return errNoCgo }
