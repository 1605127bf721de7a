package x64

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"wfxc/ir"
	"wfxc/rt/abi"
)

// TestSIMDDotCode: the loop of ../../ir/testdata/simddot.ir after the ir
// passes (ir.SIMDDot rewrites its products to i32x4.dot_i16x8_s) reads
// each pair of loads into one vector, the first by MOVDDUP (an i64x2.splat
// of the load folded into it) and the second by MOVHPS (the replace_lane),
// and multiplies by one PMADDWD, no PMULLD left; at x86-64-v2 and v3
// (VEX forms), with explicit checks and with guard pages.
func TestSIMDDotCode(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "..", "ir", "testdata", "simddot.ir"))
	if err != nil {
		t.Fatal(err)
	}
	for _, cpu := range []abi.CPUFeatures{0, abi.CPUBMI1 | abi.CPUBMI2 | abi.CPULZCNT | abi.CPUAVX} {
		for _, guard := range []bool{false, true} {
			funcs, err := ir.ParseFuncs(string(src))
			if err != nil {
				t.Fatal(err)
			}
			var f *ir.Func
			for _, g := range funcs {
				if g.Name == "loop" {
					f = g
				}
			}
			f.GuardPages = guard
			if err := ir.Run(f, ir.PassOptions{Check: true}); err != nil {
				t.Fatal(err)
			}
			c, err := CompileFuncCPU(f, cpu)
			if err != nil {
				t.Fatal(err)
			}
			text := disasm(c.Code)
			v := ""
			if cpu != 0 {
				v = "v"
			}
			for ins, want := range map[string]int{v + "movddup ": 2, v + "movhps ": 2, v + "pmaddwd ": 1, v + "pmulld ": 0} {
				if got := strings.Count(text, ins); got != want {
					t.Errorf("cpu %v guard %v: %d %s, want %d:\n%s", cpu, guard, got, ins, want, text)
				}
			}
		}
	}
}
