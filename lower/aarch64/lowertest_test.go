package aarch64

import (
	"path/filepath"
	"runtime"
	"testing"

	"wfxc/ir"
	"wfxc/lower/lowertest"
)

// backend is this back end for the shared harness.
var backend = &lowertest.Backend{
	Name:         "aarch64",
	CompileFunc:  CompileFunc,
	Runtime:      Runtime,
	Wrapper:      Wrapper,
	HostCallStub: HostCallStub,
	Pad:          0x00,
	Patch: func(code []byte, off, target int) {
		if err := patchInsn(code, uint32(off), int64(target-off)); err != nil {
			panic(err)
		}
	},
	Ops: func(op ir.Op) lowertest.OpRow {
		return lowertest.OpRow{Lowered: lowerings[op].emit != nil, Unsupported: lowerings[op].unsupported}
	},
	// A loop's poll tests its induction variable (lower.IVPolls).
	LoopPollPeriod: 1024,
}

// native skips tests that run the generated code unless the test binary
// is an arm64 one (GOARCH=arm64 go test -exec qemu-aarch64 ./lower/aarch64).
func native(t *testing.T) {
	t.Helper()
	if runtime.GOARCH != "arm64" {
		t.Skipf("runs aarch64 code: GOARCH=arm64 go test -exec qemu-aarch64 ./lower/aarch64 (host is %s)", runtime.GOARCH)
	}
}

// TestSuite runs the shared back-end tests (lower/lowertest) on aarch64.
func TestSuite(t *testing.T) {
	native(t)
	lowertest.Run(t, backend)
}

// TestRunFiles runs the "; run:" lines of ir/testdata natively.
func TestRunFiles(t *testing.T) {
	native(t)
	lowertest.RunFiles(t, backend, filepath.Join("..", "..", "ir", "testdata"))
}

// TestOpTableComplete checks that every IR op has a row in the lowering
// table and that the row is right.
func TestOpTableComplete(t *testing.T) { lowertest.OpTableComplete(t, backend) }

// TestCompileFunc_pressureSize bounds the code of a function that spills
// heavily.
func TestCompileFunc_pressureSize(t *testing.T) {
	c, err := CompileFunc(lowertest.PressureFunc())
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Code) > 6000 {
		t.Errorf("pressure: %d bytes of code", len(c.Code))
	}
}
