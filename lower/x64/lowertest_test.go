package x64

import (
	"encoding/binary"
	"path/filepath"
	"strings"
	"testing"

	"wfxc/ir"
	"wfxc/lower/lowertest"
)

// backend is this back end for the shared harness.
var backend = &lowertest.Backend{
	Name:         "x64",
	CompileFunc:  CompileFunc,
	Runtime:      Runtime,
	Wrapper:      Wrapper,
	HostCallStub: HostCallStub,
	Pad:          0xCC,
	Patch: func(code []byte, off, target int) {
		binary.LittleEndian.PutUint32(code[off:], uint32(int32(target-(off+4))))
	},
	Ops: func(op ir.Op) lowertest.OpRow {
		return lowertest.OpRow{Lowered: lowerings[op].emit != nil, Unsupported: lowerings[op].unsupported}
	},
	// A rough sign the allocator spilled: stores to the frame below RBP
	// beyond the callee-saved register saves.
	Spilled: func(code []byte) bool { return strings.Count(disasm(code), "ptr [rbp-") > 8 },
	// A loop's poll tests its induction variable (lower.IVPolls).
	LoopPollPeriod: 1024,
}

// TestSuite runs the shared back-end tests (lower/lowertest) on x64.
func TestSuite(t *testing.T) { lowertest.Run(t, backend) }

// TestRunFiles runs the "; run:" lines of ir/testdata natively.
func TestRunFiles(t *testing.T) {
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
	if len(c.Code) > 4000 {
		t.Errorf("pressure: %d bytes of code", len(c.Code))
	}
}

// BenchmarkCompileFunc compiles a large random function (thousands of
// values, deep nesting of loops and branches).
func BenchmarkCompileFunc(b *testing.B) {
	f := lowertest.LargeFunc()
	b.ReportMetric(float64(f.NumValues()), "values")
	b.ReportMetric(float64(len(f.Blocks)), "blocks")
	for b.Loop() {
		if _, err := CompileFunc(f); err != nil {
			b.Fatal(err)
		}
	}
}
