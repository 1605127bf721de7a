package aarch64

import (
	"strings"
	"testing"

	"github.com/twitchyliquid64/golang-asm/obj/arm64"
)

// TestEncode_handBuilt checks the instruction words the back end builds
// itself (golang-asm has no Q-register loads and stores, and encodes ADR
// to a label as 0) against golang.org/x/arch's decoder.
func TestEncode_handBuilt(t *testing.T) {
	tests := []struct {
		name string
		emit func(a *asm)
		want string
	}{
		{"strQscaled", func(a *asm) { a.qmove(false, fsc0, rSP, 32) }, "STR Q30, [SP,#32]"},
		{"ldrQscaled", func(a *asm) { a.qmove(true, arm64.REG_F3, sc0, 16*4095) }, "LDR Q3, [X16,#65520]"},
		{"sturQ", func(a *asm) { a.qmove(false, fsc1, rFP, -24) }, "STUR Q31, [X29,#-24]"},
		{"ldurQ", func(a *asm) { a.qmove(true, arm64.REG_F0, rFP, 8) }, "LDUR Q0, [X29,#8]"},
		{"farQ", func(a *asm) { a.qmove(true, arm64.REG_F1, rFP, -4000) }, "LDR Q1, [X27]"},
		{"adr", func(a *asm) {
			l := a.NewLabel()
			a.adr(a.ProgAddr(l), sc0)
			a.op0(arm64.ANOOP)
			a.Place(l)
			a.op0(arm64.ANOOP)
		}, "ADR X16, .+0x8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newAsm()
			tt.emit(a)
			c, err := a.Assemble(tt.name)
			if err != nil {
				t.Fatal(err)
			}
			if got := disasm(c.Code); !strings.Contains(got, ": "+tt.want+"\n") {
				t.Errorf("got\n%swant %s", got, tt.want)
			}
		})
	}
}
