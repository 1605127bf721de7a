//go:build !cgo

package fx

import "errors"

// wasmtimeFX fails: Wasmtime needs cgo.
func wasmtimeFX([]byte) (Runner, error) { return nil, errors.New("wasmtime: this build has no cgo") }
