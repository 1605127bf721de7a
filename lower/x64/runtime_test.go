package x64

import (
	"testing"

	"wfxc/ir"
	"wfxc/lower"
)

// TestRuntime_cfi checks every routine's CFI rows: they start at 0 with
// CFA = RSP+8 (trap: the trapping frame's, fibre_root: the resumer's, both
// signal frames), offsets increase, and all lie inside the code. (The
// rows of trap and fibre_root are checked by unwinding: rt/e2e's gdb
// tests.)
func TestRuntime_cfi(t *testing.T) {
	var cs []*lower.Compiled
	for _, c := range Runtime() {
		cs = append(cs, c)
	}
	cs = append(cs, Wrapper("w", []ir.Type{ir.I32, ir.F64}, []ir.Type{ir.I64}, 0),
		HostCallStub("h", []ir.Type{ir.I32}, []ir.Type{ir.F32}, 3))
	for _, c := range cs {
		if len(c.CFI) == 0 {
			t.Errorf("%s: no CFI rows", c.Name)
			continue
		}
		want := lower.CFIRow{CFAReg: lower.CFARegSP, CFAOffset: 8}
		switch c.Name {
		case "fibre_root":
			want = fibreRootCFI
		case "trap":
			want = trapCFI
		}
		if sig := c.Name == "enter" || c.Name == "trap" || c.Name == "fibre_root"; c.SignalFrame != sig {
			t.Errorf("%s: signal frame %v, want %v", c.Name, c.SignalFrame, sig)
		}
		if r := c.CFI[0]; r != want {
			t.Errorf("%s: first row %+v, want %+v", c.Name, r, want)
		}
		for i := 1; i < len(c.CFI); i++ {
			if c.CFI[i].Off <= c.CFI[i-1].Off || int(c.CFI[i].Off) > len(c.Code) {
				t.Errorf("%s: row %d %+v out of order or outside %d bytes", c.Name, i, c.CFI[i], len(c.Code))
			}
		}
	}
}
