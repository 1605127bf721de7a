package bench

import "wfxc/testsuite/gen"

// WasmtimeConfig returns the generator configuration cfg as Wasmtime can
// run it as a reference, and false if it cannot: Wasmtime's prebuilt
// library has no stack switching, and its host functions cannot throw
// wasm exceptions (the C API has no exception values), so modules with
// exceptions are generated without host calls.
func WasmtimeConfig(cfg gen.Config) (gen.Config, bool) {
	if cfg.StackSwitching {
		return cfg, false
	}
	if cfg.Exceptions {
		cfg.HostCalls = false
	}
	return cfg, true
}
