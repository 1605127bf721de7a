package x64

import (
	"encoding/hex"
	"strings"
	"testing"

	"github.com/twitchyliquid64/golang-asm/obj/x86"

	"wfxc/lower"
)

// TestEncode_contRows checks the operand order and encoding of the forms
// the continuation lowerings use (cont.go), against x/arch's decoder.
func TestEncode_contRows(t *testing.T) {
	r := regAddr
	tests := []struct {
		name string
		emit func(a *asm)
		hex  string
		text string
	}{
		{"pinsrq", func(a *asm) { a.op3(x86.APINSRQ, immAddr(1), r(x86.REG_R11), r(x86.REG_X15)) }, "664d0f3a22fb01", "pinsrq xmm15, r11, 0x1"},
		{"pextrq", func(a *asm) { a.op3(x86.APEXTRQ, immAddr(1), r(x86.REG_X3), r(x86.REG_R11)) }, "66490f3a16db01", "pextrq r11, xmm3, 0x1"},
		{"movqToXMM", func(a *asm) { a.op(x86.AMOVQ, r(x86.REG_R10), r(x86.REG_X15)) }, "664d0f6efa", "movq xmm15, r10"},
		{"movupsLoad", func(a *asm) { a.op(x86.AMOVUPS, memAddr(x86.REG_BP, -24), r(x86.REG_X2)) }, "0f1055e8", "movups xmm2, xmmword ptr [rbp-0x18]"},
		{"movupsStore", func(a *asm) { a.op(x86.AMOVUPS, r(x86.REG_X14), memAddr(x86.REG_R10, 16)) }, "450f117210", "movups xmmword ptr [r10+0x10], xmm14"},
		{"movR15", func(a *asm) { a.op(x86.AMOVQ, r(x86.REG_R15), r(x86.REG_AX)) }, "4c89f8", "mov rax, r15"},
		{"leaExtern", func(a *asm) { a.op(x86.ALEAQ, a.ExternAddr(lower.TargetFunc, 7), r(x86.REG_R11)) }, "4c8d1d00000000", "lea r11, ptr [rip]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := newAsm()
			tc.emit(a)
			c, err := a.Assemble(tc.name)
			if err != nil {
				t.Fatal(err)
			}
			if got := hex.EncodeToString(c.Code); got != tc.hex {
				t.Errorf("hex = %s, want %s", got, tc.hex)
			}
			if got := strings.TrimSpace(strings.SplitN(disasm(c.Code), ": ", 2)[1]); got != tc.text {
				t.Errorf("text = %q, want %q", got, tc.text)
			}
		})
	}
	// The LEA's displacement is a fixup to the function.
	a := newAsm()
	a.op(x86.ALEAQ, a.ExternAddr(lower.TargetFunc, 7), r(x86.REG_R11))
	c, err := a.Assemble("lea")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Fixups) != 1 || c.Fixups[0] != (lower.Fixup{Off: 3, Kind: lower.TargetFunc, Index: 7}) {
		t.Errorf("fixups %+v, want one at 3 to function 7", c.Fixups)
	}
}
