package x64

import (
	"strings"
	"testing"

	"github.com/twitchyliquid64/golang-asm/obj"
	"github.com/twitchyliquid64/golang-asm/obj/x86"
)

// TestVEXBinop3_encoding: the VEX forms vexBinop3 emits (Prog From imm,
// RestArgs {y, x}, To d) put x in the first source (SHUFPS's low lanes,
// PALIGNR's high half, PBLENDW's zero bits) and y in the second, as the
// SSE forms have x in the destination and y in the source: checked
// against the decoder with three different registers.
func TestVEXBinop3_encoding(t *testing.T) {
	tests := []struct {
		name string
		as   obj.As
		text string
	}{
		{"vshufps", x86.AVSHUFPS, "vshufps xmm2, xmm3, xmm1, 0x5"},
		{"vpalignr", x86.AVPALIGNR, "vpalignr xmm2, xmm3, xmm1, 0x5"},
		{"vpblendw", x86.AVPBLENDW, "vpblendw xmm2, xmm3, xmm1, 0x5"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := newAsm()
			p := &obj.Prog{As: tc.as, From: immAddr(5), To: regAddr(x86.REG_X2)} // d = X2
			p.RestArgs = []obj.Addr{regAddr(x86.REG_X1), regAddr(x86.REG_X3)}    // y = X1, x = X3
			a.Add(p)
			c, err := a.Assemble(tc.name)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.TrimSpace(strings.SplitN(disasm(c.Code), ": ", 2)[1]); got != tc.text {
				t.Errorf("text = %q, want %q", got, tc.text)
			}
		})
	}
}
