package x64

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"wfxc/ir"
	"wfxc/rt/abi"
)

// TestCtz_nonzero: at x86-64-v2 the ctz of each function of
// ../../ir/testdata/nonzero.ir (whose run lines TestRunFiles runs
// natively) whose argument is known nonzero is one TZCNT and no BSF or
// CMOV; the others keep BSF and the CMOV for zero. At v3 all are TZCNT.
func TestCtz_nonzero(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "..", "ir", "testdata", "nonzero.ir"))
	if err != nil {
		t.Fatal(err)
	}
	nonzero := map[string]bool{"ifnz": true, "eqz": true, "icmpne": true, "icmpeq": true, "bits": true}
	for _, cpu := range []abi.CPUFeatures{0, abi.CPUBMI1 | abi.CPUBMI2 | abi.CPULZCNT | abi.CPUAVX} {
		funcs, err := ir.ParseFuncs(string(src))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range funcs {
			if err := ir.Run(f, ir.PassOptions{Check: true}); err != nil {
				t.Fatal(err)
			}
			c, err := CompileFuncCPU(f, cpu)
			if err != nil {
				t.Fatal(err)
			}
			text := disasm(c.Code)
			tz, bsf, cmov := strings.Count(text, "tzcnt "), strings.Count(text, "bsf "), strings.Count(text, "cmovz ")
			want := [3]int{0, 1, 1}
			if nonzero[f.Name] || cpu != 0 {
				want = [3]int{1, 0, 0}
			}
			if got := [3]int{tz, bsf, cmov}; got != want {
				t.Errorf("cpu %v, %s: %d tzcnt, %d bsf, %d cmovz, want %v:\n%s", cpu, f.Name, tz, bsf, cmov, want, text)
			}
		}
	}
}
