package aarch64

import (
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"wfxc/ir"
	"wfxc/lower/lowertest"
)

// objdump disassembles aarch64 code with GNU objdump and returns one
// "mnemonic operands" line per instruction word.
func objdump(t *testing.T, code []byte) []string {
	t.Helper()
	tool, err := exec.LookPath("aarch64-linux-gnu-objdump")
	if err != nil {
		t.Fatalf("aarch64-linux-gnu-objdump not found (Debian: binutils-aarch64-linux-gnu, which gcc-aarch64-linux-gnu brings; .ci/run installs it): %v", err)
	}
	p := filepath.Join(t.TempDir(), "code.bin")
	if err := os.WriteFile(p, code, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, "-D", "-b", "binary", "-m", "aarch64", p).CombinedOutput()
	if err != nil {
		t.Fatalf("objdump: %v\n%s", err, out)
	}
	var lines []string
	for _, l := range strings.Split(string(out), "\n") {
		// "   4:\t4e208400 \tadd\tv0.16b, v0.16b, v0.16b"
		f := strings.SplitN(l, "\t", 3)
		if len(f) == 3 && strings.HasSuffix(strings.TrimSpace(f[0]), ":") {
			lines = append(lines, strings.Join(strings.Fields(strings.ReplaceAll(f[2], "\t", " ")), " "))
		}
	}
	return lines
}

// TestSIMD_encodings checks the instruction families of simd.go (and the
// words the rows and sequences build from them) against GNU objdump.
func TestSIMD_encodings(t *testing.T) {
	row := func(op ir.Op) uint32 { return simdRows[op].insn }
	tests := []struct {
		word uint32
		want string
	}{
		{enc3(row(ir.OpI8x16Add), 1, 2, 3), "add v1.16b, v2.16b, v3.16b"},
		{enc3(row(ir.OpI64x2GeS), 31, 30, 29), "cmge v31.2d, v30.2d, v29.2d"},
		{enc3(row(ir.OpI16x8Q15mulrSatS), 0, 1, 2), "sqrdmulh v0.8h, v1.8h, v2.8h"},
		{enc3(row(ir.OpF64x2Min), 4, 5, 6), "fmin v4.2d, v5.2d, v6.2d"},
		{enc3(row(ir.OpF32x4Lt), 4, 5, 6), "fcmgt v4.4s, v5.4s, v6.4s"},
		{enc3(row(ir.OpV128Andnot), 1, 2, 3), "bic v1.16b, v2.16b, v3.16b"},
		{enc3(insnBSL, 1, 2, 3), "bsl v1.16b, v2.16b, v3.16b"},
		{enc3(insnBIT, 1, 2, 3), "bit v1.16b, v2.16b, v3.16b"},
		{enc3(insnBIF, 1, 2, 3), "bif v1.16b, v2.16b, v3.16b"},
		{enc2(row(ir.OpI8x16Popcnt), 1, 2), "cnt v1.16b, v2.16b"},
		{enc2(insnNOT, 1, 1), "mvn v1.16b, v1.16b"},
		{enc2(row(ir.OpF32x4Nearest), 1, 2), "frintn v1.4s, v2.4s"},
		{enc2(row(ir.OpF64x2Ceil), 1, 2), "frintp v1.2d, v2.2d"},
		{enc2(row(ir.OpF32x4Sqrt), 1, 2), "fsqrt v1.4s, v2.4s"},
		{enc2(row(ir.OpF32x4ConvertI32x4U), 1, 2), "ucvtf v1.4s, v2.4s"},
		{enc2(row(ir.OpI32x4TruncSatF64x2SZero), 1, 2), "fcvtzs v1.2d, v2.2d"},
		{enc2(simdRows[ir.OpI32x4TruncSatF64x2UZero].insn2, 1, 1), "uqxtn v1.2s, v1.2d"},
		{enc2(row(ir.OpF32x4DemoteF64x2Zero), 1, 2), "fcvtn v1.2s, v2.2d"},
		{enc2(row(ir.OpF64x2PromoteLowF32x4), 1, 2), "fcvtl v1.2d, v2.2s"},
		{enc2(row(ir.OpI8x16NarrowI16x8U)|qBit, 1, 2), "sqxtun2 v1.16b, v2.8h"},
		{enc2(row(ir.OpI16x8NarrowI32x4S), 1, 2), "sqxtn v1.4h, v2.4s"},
		{enc2(row(ir.OpI32x4ExtaddPairwiseI16x8U), 1, 2), "uaddlp v1.4s, v2.8h"},
		{enc2(row(ir.OpI64x2ExtendHighI32x4U), 1, 2), "uxtl2 v1.2d, v2.4s"},
		{enc2(row(ir.OpI16x8ExtendLowI8x16S), 1, 2), "sxtl v1.8h, v2.8b"},
		{enc3(row(ir.OpI64x2ExtmulHighI32x4S), 1, 2, 3), "smull2 v1.2d, v2.4s, v3.4s"},
		{enc3(row(ir.OpI16x8ExtmulLowI8x16U), 1, 2, 3), "umull v1.8h, v2.8b, v3.8b"},
		{enc2(row(ir.OpI8x16Shl)+3<<16, 1, 2), "shl v1.16b, v2.16b, #3"},
		{enc2(row(ir.OpI64x2ShrS)-63<<16, 1, 2), "sshr v1.2d, v2.2d, #63"},
		{enc2(row(ir.OpI32x4ShrU)-1<<16, 1, 2), "ushr v1.4s, v2.4s, #1"},
		{enc2(row(ir.OpI16x8ShrS)-3<<16, 1, 2), "sshr v1.8h, v2.8h, #3"},
		{enc2(row(ir.OpI8x16ShrU)-7<<16, 1, 2), "ushr v1.16b, v2.16b, #7"},
		{enc2(row(ir.OpI64x2Shl)+63<<16, 1, 2), "shl v1.2d, v2.2d, #63"},
		{enc3(simdRows[ir.OpI16x8ShrU].insn2, 1, 2, 3), "ushl v1.8h, v2.8h, v3.8h"},
		{enc2(shImm(0, 2*8-7, 0), 1, 2), "sshr v1.16b, v2.16b, #7"},
		{enc2(row(ir.OpV128AnyTrue), 31, 2), "umaxv b31, v2.16b"},
		{enc2(row(ir.OpI32x4AllTrue), 31, 2), "uminv s31, v2.4s"},
		{enc2(row(ir.OpI64x2AllTrue), 31, 2), "cmeq v31.2d, v2.2d, #0"},
		{enc2(across(0, szH, 0b11011), 1, 2), "addv h1, v2.8h"},
		{enc2(insnADDPD, 1, 2), "addp d1, v2.2d"},
		{enc3(insnEXT8, 1, 2, 2), "ext v1.16b, v2.16b, v2.16b, #8"},
		{enc3(insnZIP1B, 1, 2, 3), "zip1 v1.16b, v2.16b, v3.16b"},
		{enc3(insnTBL1, 1, 2, 3), "tbl v1.16b, {v2.16b}, v3.16b"},
		{enc3(insnTBL2, 29, 30, 29), "tbl v29.16b, {v30.16b, v31.16b}, v29.16b"},
		{enc2(insnMOVI0, 7, 0), "movi v7.2d, #0x0"},
		{enc2(insnMOVI1, 7, 0), "movi v7.2d, #0xffffffffffffffff"},
		{enc2(row(ir.OpI8x16ExtractLaneS)|imm5(szB, 15)<<16, 1, 2), "smov w1, v2.b[15]"},
		{enc2(row(ir.OpI16x8ExtractLaneU)|imm5(szH, 7)<<16, 1, 2), "umov w1, v2.h[7]"},
		{enc2(row(ir.OpI64x2ExtractLane)|imm5(szD, 1)<<16, 1, 2), "mov x1, v2.d[1]"},
		{enc2(row(ir.OpF32x4ExtractLane)|imm5(szS, 3)<<16, 1, 2), "mov s1, v2.s[3]"},
		{enc2(row(ir.OpI32x4ReplaceLane)|imm5(szS, 2)<<16, 1, 2), "mov v1.s[2], w2"},
		{enc2(row(ir.OpF64x2ReplaceLane)|imm5(szD, 1)<<16, 1, 2), "mov v1.d[1], v2.d[0]"},
		{enc2(copyOp(0, imm5(szH, 0), 0b0001), 1, 2), "dup v1.8h, w2"},
		{enc2(copyOp(0, imm5(szD, 0), 0b0001), 1, 2), "dup v1.2d, x2"},
		{enc2(copyOp(0, imm5(szS, 0), 0), 1, 2), "dup v1.4s, v2.s[0]"},
		{enc2(insnDUPB, 30, 16), "dup v30.16b, w16"},
		{enc2(insnUMOVX0|laneD1, 16, 2), "mov x16, v2.d[1]"},
		{enc2(insnINSX0|laneD1, 1, 16), "mov v1.d[1], x16"},
		{enc3(insnSMULL|szB<<22|qBit, 1, 2, 3), "smull2 v1.8h, v2.16b, v3.16b"},
		{enc2(insnSADDLP, 1, 1), "saddlp v1.4s, v1.8h"},
		{enc3(insnADDP|szS<<22, 1, 2, 3), "addp v1.4s, v2.4s, v3.4s"},
		{enc3(insnLDRQx, 1, 16, 17), "ldr q1, [x16, x17]"},
		{enc3(insnSTRQx, 1, 16, 17), "str q1, [x16, x17]"},
	}
	var code []byte
	for _, tt := range tests {
		code = binary.LittleEndian.AppendUint32(code, tt.word)
	}
	got := objdump(t, code)
	if len(got) != len(tests) {
		t.Fatalf("objdump gave %d lines for %d words:\n%s", len(got), len(tests), strings.Join(got, "\n"))
	}
	for i, tt := range tests {
		if got[i] != tt.want {
			t.Errorf("word %d (%#08x): %q, want %q", i, tt.word, got[i], tt.want)
		}
	}
}

// TestSIMD_everyOpDecodes compiles a sample of every SIMD op (with a
// variable shift count) and checks that objdump decodes every word of it:
// no hand-built word is an undefined instruction.
func TestSIMD_everyOpDecodes(t *testing.T) {
	var code []byte
	var names []string
	for op := ir.OpSIMDFirst; op.IsSIMD(); op++ {
		c, err := CompileFunc(lowertest.OpSample(op))
		if err != nil {
			t.Errorf("%v: %v", op, err)
			continue
		}
		// The instructions end with the last trap stub's B to the trap
		// routine (every sample has the prologue's stack check); the
		// literal pool follows.
		end := 0
		for _, f := range c.Fixups {
			end = max(end, int(f.Off)+4)
		}
		code = append(code, c.Code[:end]...)
		for range end / 4 {
			names = append(names, op.String())
		}
	}
	lines := objdump(t, code)
	for i, l := range lines {
		if strings.Contains(l, "undefined") && !strings.HasPrefix(l, "udf") {
			t.Errorf("%s: %s", names[i], l)
		}
	}
}
