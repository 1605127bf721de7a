package x64

import (
	"encoding/hex"
	"strings"
	"testing"

	"github.com/twitchyliquid64/golang-asm/obj/x86"
)

// TestSIMDEncode_rows checks the operand order and encoding of the SSE
// forms the SIMD lowerings use (immediate and three-operand forms above
// all), against golang.org/x/arch's decoder.
func TestSIMDEncode_rows(t *testing.T) {
	r := regAddr
	tests := []struct {
		name string
		emit func(a *asm)
		hex  string
		text string
	}{
		{"cmpps", func(a *asm) { a.op3(x86.ACMPPS, r(x86.REG_X1), r(x86.REG_X2), immAddr(1)) }, "0fc2d101", "cmpps xmm2, xmm1, 0x1"},
		{"pshufd", func(a *asm) { a.op3(x86.APSHUFD, immAddr(0x1b), r(x86.REG_X1), r(x86.REG_X2)) }, "660f70d11b", "pshufd xmm2, xmm1, 0x1b"},
		{"pinsrb", func(a *asm) { a.op3(x86.APINSRB, immAddr(3), r(x86.REG_R11), r(x86.REG_X2)) }, "66410f3a20d303", "pinsrb xmm2, r11d, 0x3"},
		{"pinsrq", func(a *asm) { a.op3(x86.APINSRQ, immAddr(1), r(x86.REG_R11), r(x86.REG_X2)) }, "66490f3a22d301", "pinsrq xmm2, r11, 0x1"},
		{"pextrb", func(a *asm) { a.op3(x86.APEXTRB, immAddr(3), r(x86.REG_X2), r(x86.REG_R11)) }, "66410f3a14d303", "pextrb r11d, xmm2, 0x3"},
		{"pextrw", func(a *asm) { a.op3(x86.APEXTRW, immAddr(3), r(x86.REG_X2), r(x86.REG_R11)) }, "66440fc5da03", "pextrw r11d, xmm2, 0x3"},
		{"insertps", func(a *asm) { a.op3(x86.AINSERTPS, immAddr(0x20), r(x86.REG_X1), r(x86.REG_X2)) }, "660f3a21d120", "insertps xmm2, xmm1, 0x20"},
		{"shufps", func(a *asm) { a.op3(x86.ASHUFPS, immAddr(0x88), r(x86.REG_X1), r(x86.REG_X2)) }, "0fc6d188", "shufps xmm2, xmm1, 0x88"},
		{"roundps", func(a *asm) { a.op3(x86.AROUNDPS, immAddr(3), r(x86.REG_X1), r(x86.REG_X2)) }, "660f3a08d103", "roundps xmm2, xmm1, 0x3"},
		{"psllwImm", func(a *asm) { a.op(x86.APSLLW, immAddr(4), r(x86.REG_X2)) }, "660f71f204", "psllw xmm2, 0x4"},
		{"psllwReg", func(a *asm) { a.op(x86.APSLLW, r(x86.REG_X1), r(x86.REG_X2)) }, "660ff1d1", "psllw xmm2, xmm1"},
		{"psubb", func(a *asm) { a.op(x86.APSUBB, r(x86.REG_X1), r(x86.REG_X2)) }, "660ff8d1", "psubb xmm2, xmm1"},
		{"pandn", func(a *asm) { a.op(x86.APANDN, r(x86.REG_X1), r(x86.REG_X2)) }, "660fdfd1", "pandn xmm2, xmm1"},
		{"pmovmskb", func(a *asm) { a.op(x86.APMOVMSKB, r(x86.REG_X1), r(x86.REG_R11)) }, "66440fd7d9", "pmovmskb r11d, xmm1"},
		{"ptest", func(a *asm) { a.op(x86.APTEST, r(x86.REG_X1), r(x86.REG_X2)) }, "660f3817d1", "ptest xmm2, xmm1"},
		{"cvttps2dq", func(a *asm) { a.op(x86.ACVTTPS2PL, r(x86.REG_X1), r(x86.REG_X2)) }, "f30f5bd1", "cvttps2dq xmm2, xmm1"},
		{"cvttpd2dq", func(a *asm) { a.op(x86.ACVTTPD2PL, r(x86.REG_X1), r(x86.REG_X2)) }, "660fe6d1", "cvttpd2dq xmm2, xmm1"},
		{"pmaddubsw", func(a *asm) { a.op(x86.APMADDUBSW, r(x86.REG_X1), r(x86.REG_X2)) }, "660f3804d1", "pmaddubsw xmm2, xmm1"},
		{"packssdw", func(a *asm) { a.op(x86.APACKSSLW, r(x86.REG_X1), r(x86.REG_X2)) }, "660f6bd1", "packssdw xmm2, xmm1"},
		{"pmuludq", func(a *asm) { a.op(x86.APMULULQ, r(x86.REG_X1), r(x86.REG_X2)) }, "660ff4d1", "pmuludq xmm2, xmm1"},
		{"movlhps", func(a *asm) { a.op(x86.AMOVLHPS, r(x86.REG_X1), r(x86.REG_X2)) }, "0f16d1", "movlhps xmm2, xmm1"},
		{"pcmpgtq", func(a *asm) { a.op(x86.APCMPGTQ, r(x86.REG_X1), r(x86.REG_X2)) }, "660f3837d1", "pcmpgtq xmm2, xmm1"},
		{"palignr", func(a *asm) { a.op3(x86.APALIGNR, immAddr(5), r(x86.REG_X1), r(x86.REG_X2)) }, "660f3a0fd105", "palignr xmm2, xmm1, 0x5"},
		{"pblendw", func(a *asm) { a.op3(x86.APBLENDW, immAddr(0x0f), r(x86.REG_X1), r(x86.REG_X2)) }, "660f3a0ed10f", "pblendw xmm2, xmm1, 0xf"},
		{"pshufhw", func(a *asm) { a.op3(x86.APSHUFHW, immAddr(0x1b), r(x86.REG_X1), r(x86.REG_X2)) }, "f30f70d11b", "pshufhw xmm2, xmm1, 0x1b"},
		{"punpckhwd", func(a *asm) { a.op(x86.APUNPCKHWL, r(x86.REG_X1), r(x86.REG_X2)) }, "660f69d1", "punpckhwd xmm2, xmm1"},
		{"punpckldq", func(a *asm) { a.op(x86.APUNPCKLLQ, r(x86.REG_X1), r(x86.REG_X2)) }, "660f62d1", "punpckldq xmm2, xmm1"},
		{"punpckhqdq", func(a *asm) { a.op(x86.APUNPCKHQDQ, r(x86.REG_X1), r(x86.REG_X2)) }, "660f6dd1", "punpckhqdq xmm2, xmm1"},
		{"movqToXMM", func(a *asm) { a.op(x86.AMOVQ, r(x86.REG_R11), r(x86.REG_X2)) }, "66490f6ed3", "movq xmm2, r11"},
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
}
