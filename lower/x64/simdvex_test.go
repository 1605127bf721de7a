package x64

import (
	"regexp"
	"strings"
	"testing"

	"github.com/twitchyliquid64/golang-asm/obj"
	"github.com/twitchyliquid64/golang-asm/obj/x86"

	"wfxc/ir"
	"wfxc/rt/abi"
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

// TestVEXLoadFold_code: with AVX a v128.load right before the binop that
// uses it once is that instruction's memory operand (foldVexLoads), as
// the second source, also when it is the first arg of a commutative op;
// not for a non-commutative op's first arg, nor at x86-64-v2 (SSE memory
// operands must be aligned).
func TestVEXLoadFold_code(t *testing.T) {
	const src = `func f(i32, i32) -> (v128, v128, v128) {
b0:
  v0 = vmctx : i64
  v1 = param [0] : i32
  v2 = param [1] : i32
  v3 = load v0 v2 [0, 16] : v128
  v4 = load v0 v1 [0, 16] : v128
  v5 = i8x16.eq v3 v4 : v128
  v6 = load v0 v1 [16, 16] : v128
  v7 = i32x4.add v6 v3 : v128
  v8 = load v0 v1 [32, 16] : v128
  v9 = i32x4.sub v8 v3 : v128
  return v5 v7 v9
}
`
	avx := abi.CPUBMI1 | abi.CPUBMI2 | abi.CPULZCNT | abi.CPUAVX
	for _, cpu := range []abi.CPUFeatures{0, avx} {
		funcs, err := ir.ParseFuncs(src)
		if err != nil {
			t.Fatal(err)
		}
		c, err := CompileFuncCPU(funcs[0], cpu)
		if err != nil {
			t.Fatal(err)
		}
		text := disasm(c.Code)
		// Loads into a register, and binops with a memory operand.
		want := map[string]int{`movups xmm\d+, xmmword ptr \[r10`: 4, `p(cmpeqb|addd|subd) xmm\d+, xmm\d+\n`: 3}
		if cpu != 0 {
			// v4 and v6 folded; v3 and v8 (vpsubd's first source) loaded.
			want = map[string]int{`movups xmm\d+, xmmword ptr \[r10`: 2, `vp(cmpeqb|addd) xmm\d+, xmm0, xmmword ptr \[r10`: 2, `vpsubd xmm\d+, xmm\d+, xmm0\n`: 1}
		}
		for re, n := range want {
			if got := len(regexp.MustCompile(re).FindAllString(text, -1)); got != n {
				t.Errorf("cpu %v: %d of %q, want %d:\n%s", cpu, got, re, n, text)
			}
		}
	}
}
