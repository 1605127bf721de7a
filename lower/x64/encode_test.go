package x64

import (
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"github.com/twitchyliquid64/golang-asm/obj"
	"github.com/twitchyliquid64/golang-asm/obj/x86"

	"wfxc/ir"
	"wfxc/lower"
	"wfxc/lower/lowertest"
)

// TestEncode_rows checks the operand order and encoding of the golang-asm
// forms the emitter relies on, against golang.org/x/arch's decoder.
func TestEncode_rows(t *testing.T) {
	r := regAddr
	tests := []struct {
		name string
		emit func(a *asm)
		hex  string
		text string
	}{
		{"push", func(a *asm) { a.push(r(x86.REG_BP)) }, "55", "push rbp"},
		{"pop", func(a *asm) { a.op1(x86.APOPQ, r(x86.REG_R12)) }, "415c", "pop r12"},
		{"movLoad", func(a *asm) { a.op(x86.AMOVQ, memAddr(x86.REG_R15, 16), r(x86.REG_R11)) }, "4d8b5f10", "mov r11, qword ptr [r15+0x10]"},
		{"cmpRegMem", func(a *asm) { a.op(x86.ACMPQ, r(x86.REG_SP), memAddr(x86.REG_R15, 16)) }, "493b6710", "cmp rsp, qword ptr [r15+0x10]"},
		{"cmpImm", func(a *asm) { a.op(x86.ACMPL, r(x86.REG_AX), immAddr(-1)) }, "83f8ff", "cmp eax, -0x1"},
		{"idiv", func(a *asm) { a.op(x86.AIDIVQ, r(x86.REG_R11), obj.Addr{}) }, "49f7fb", "idiv r11"},
		{"div32", func(a *asm) { a.op(x86.ADIVL, r(x86.REG_R11), obj.Addr{}) }, "41f7f3", "div r11d"},
		{"ucomisd", func(a *asm) { a.op(x86.AUCOMISD, r(x86.REG_X1), r(x86.REG_X0)) }, "660f2ec1", "ucomisd xmm0, xmm1"},
		{"setcc", func(a *asm) { a.op1(x86.ASETHI, r(x86.REG_R11B)) }, "410f97c3", "setnbe r11b"},
		{"movzx", func(a *asm) { a.op(x86.AMOVBLZX, r(x86.REG_R11B), r(x86.REG_SI)) }, "410fb6f3", "movzx esi, r11b"},
		{"cmov", func(a *asm) { a.op(x86.ACMOVQNE, r(x86.REG_R10), r(x86.REG_R11)) }, "4d0f45da", "cmovnz r11, r10"},
		{"shlCL", func(a *asm) { a.op(x86.ASHLQ, r(x86.REG_CX), r(x86.REG_R11)) }, "49d3e3", "shl r11, cl"},
		{"sextByteSI", func(a *asm) { a.op(x86.AMOVBQSX, r(x86.REG_SI), r(x86.REG_AX)) }, "480fbec6", "movsx rax, sil"},
		{"storeByteDI", func(a *asm) { a.op(x86.AMOVB, r(byteReg(x86.REG_DI)), memAddr(x86.REG_R11, -1)) }, "41887bff", "mov byte ptr [r11-0x1], dil"},
		{"roundsd", func(a *asm) { a.op3(x86.AROUNDSD, immAddr(3), r(x86.REG_X1), r(x86.REG_X2)) }, "660f3a0bd103", "roundsd xmm2, xmm1, 0x3"},
		{"cvttsd2sq", func(a *asm) { a.op(x86.ACVTTSD2SQ, r(x86.REG_X15), r(x86.REG_R11)) }, "f24d0f2cdf", "cvttsd2si r11, xmm15"},
		{"movqToGPR", func(a *asm) { a.op(x86.AMOVQ, r(x86.REG_X3), r(x86.REG_R11)) }, "66490f7edb", "movq r11, xmm3"},
		{"movdToXMM", func(a *asm) { a.op(x86.AMOVL, r(x86.REG_R11), r(x86.REG_X3)) }, "66410f6edb", "movd xmm3, r11d"},
		{"btr", func(a *asm) { a.op(x86.ABTRQ, immAddr(63), r(x86.REG_R11)) }, "490fbaf33f", "btr r11, 0x3f"},
		{"jumpTableLoad", func(a *asm) { a.op(x86.AMOVLQSX, memIndex(x86.REG_R10, x86.REG_R11, 4, 0), r(x86.REG_R11)) }, "4f631c9a", "movsxd r11, dword ptr [r10+4*r11]"},
		{"callMem", func(a *asm) { a.op1(obj.ACALL, memAddr(x86.REG_BP, -24)) }, "ff55e8", "call qword ptr [rbp-0x18]"},
		{"pollCmp", func(a *asm) { a.op(x86.ACMPQ, memAddr(x86.REG_R11, 16), immAddr(-1314)) }, "49817b10defaffff", "cmp qword ptr [r11+0x10], -0x522"},
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

// TestEncode_sumGolden pins the whole output for sum 1..n: frame record,
// stack check, the loop with its phis in registers, and the trap stub.
func TestEncode_sumGolden(t *testing.T) {
	c, err := CompileFunc(lowertest.SumFunc())
	if err != nil {
		t.Fatal(err)
	}
	want := `0x0: push rbp
0x1: mov rbp, rsp
0x4: cmp rsp, qword ptr [r15+0x10]
0x8: jb 0x27
0xa: mov eax, 0x1
0xf: mov ecx, 0x0
0x14: cmp eax, esi
0x16: jnle 0x1f
0x18: add ecx, eax
0x1a: add eax, 0x1
0x1d: jmp 0x14
0x1f: mov rax, rcx
0x22: mov rsp, rbp
0x25: pop rbp
0x26: ret
0x27: mov ecx, 0xa
0x2c: lea rax, ptr [rip+0xffffffd5]
0x33: jmp 0x38
`
	if got := disasm(c.Code); got != want {
		t.Errorf("sum:\n%s\nwant:\n%s", got, want)
	}
	if len(c.Sites) != 1 || c.Sites[0].Off != 8 {
		t.Errorf("sites = %+v, want the stack check at 0x8", c.Sites)
	}
	wantCFI := []lower.CFIRow{
		{Off: 0, CFAReg: lower.CFARegSP, CFAOffset: 8},
		{Off: 1, CFAReg: lower.CFARegSP, CFAOffset: 16, FPSaved: true},
		{Off: 4, CFAReg: lower.CFARegFP, CFAOffset: 16, FPSaved: true},
	}
	if len(c.CFI) < 5 {
		t.Fatalf("CFI = %+v", c.CFI)
	}
	for i, w := range wantCFI {
		if c.CFI[i] != w {
			t.Errorf("CFI[%d] = %+v, want %+v", i, c.CFI[i], w)
		}
	}
	// After the epilogue's pop: CFA = RSP+8; after its ret: back to RBP.
	if r := c.CFI[3]; r.CFAReg != lower.CFARegSP || r.CFAOffset != 8 || r.FPSaved {
		t.Errorf("CFI[3] = %+v, want SP+8 after pop rbp", r)
	}
	if r := c.CFI[4]; r.CFAReg != lower.CFARegFP || !r.FPSaved || int(r.Off) != int(c.CFI[3].Off)+1 {
		t.Errorf("CFI[4] = %+v, want FP+16 after ret", r)
	}
}

// TestEncode_noRelocations checks that calls leave fixups (rel32 = 0)
// and nothing else refers outside the code.
func TestEncode_fixups(t *testing.T) {
	c, err := CompileFunc(lowertest.FacFunc(3))
	if err != nil {
		t.Fatal(err)
	}
	var calls, traps int
	for _, f := range c.Fixups {
		if c.Code[f.Off-1] != 0xE8 && c.Code[f.Off-1] != 0xE9 {
			t.Errorf("fixup at %#x does not follow a call/jmp opcode", f.Off)
		}
		if c.Code[f.Off] != 0 || c.Code[f.Off+3] != 0 {
			t.Errorf("fixup at %#x is not zero", f.Off)
		}
		switch {
		case f.Kind == lower.TargetFunc && f.Index == 3:
			calls++
		case f.Kind == lower.TargetRuntime && f.Index == lower.RuntimeTrap:
			traps++
		default:
			t.Errorf("unexpected fixup %+v", f)
		}
	}
	if calls != 1 || traps != 1 {
		t.Errorf("fixups: %d calls, %d traps; want 1, 1", calls, traps)
	}
	found := false
	for _, s := range c.Sites {
		if c.Code[s.Off-5] == 0xE8 {
			found = true
		}
	}
	if !found {
		t.Errorf("no site at a call's return address: %+v", c.Sites)
	}
}

// TestCompileFunc_badIR checks that malformed IR is an error, not a panic.
func TestCompileFunc_badIR(t *testing.T) {
	tests := []struct {
		name  string
		build func() *ir.Func
		want  string
	}{
		{"argCount", func() *ir.Func {
			f := ir.NewFunc("f", 0, []ir.Type{ir.I32}, []ir.Type{ir.I32})
			b := f.Entry()
			b.Kind = ir.BlockReturn
			p := b.NewValueAux(ir.OpParam, ir.I32, 0)
			b.SetControls(b.NewValue(ir.OpAdd, ir.I32, p))
			return f
		}, "1 args"},
		{"ifWithoutSuccs", func() *ir.Func {
			f := ir.NewFunc("f", 0, []ir.Type{ir.I32}, nil)
			b := f.Entry()
			b.Kind = ir.BlockIf
			b.SetControls(b.NewValueAux(ir.OpParam, ir.I32, 0))
			return f
		}, "if block with 0 successors"},
		{"returnCount", func() *ir.Func {
			f := ir.NewFunc("f", 0, nil, []ir.Type{ir.I32})
			f.Entry().Kind = ir.BlockReturn
			return f
		}, "return of 0 values"},
		{"paramIndex", func() *ir.Func {
			f := ir.NewFunc("f", 0, nil, []ir.Type{ir.I32})
			b := f.Entry()
			b.Kind = ir.BlockReturn
			b.SetControls(b.NewValueAux(ir.OpParam, ir.I32, 3))
			return f
		}, "param 3 out of range"},
		{"tupleParam", func() *ir.Func {
			f := ir.NewFunc("f", 0, []ir.Type{ir.Tuple}, nil)
			f.Entry().Kind = ir.BlockReturn
			return f
		}, "not supported"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := CompileFunc(tc.build())
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// TestCompileFunc_lines checks the line table: one row where the code of
// each positioned value starts, in code order.
func TestCompileFunc_lines(t *testing.T) {
	f := ir.NewFunc("f", 0, []ir.Type{ir.I32, ir.I32}, []ir.Type{ir.I32})
	b := f.Entry()
	b.Kind = ir.BlockReturn
	x := b.NewValueAux(ir.OpParam, ir.I32, 0)
	y := b.NewValueAux(ir.OpParam, ir.I32, 1)
	s := b.NewValue(ir.OpAdd, ir.I32, x, y)
	s.Pos = 10
	d := b.NewValue(ir.OpDivU, ir.I32, s, y)
	d.Pos = 12
	b.SetControls(d)
	c, err := CompileFunc(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Lines) != 2 || c.Lines[0].Pos != 10 || c.Lines[1].Pos != 12 || c.Lines[0].Off >= c.Lines[1].Off {
		t.Fatalf("lines = %+v, want @10 then @12", c.Lines)
	}
	text := disasm(c.Code)
	if at := c.Lines[0].Off; !strings.Contains(text, fmt.Sprintf("%#x: mov", at)) && !strings.Contains(text, fmt.Sprintf("%#x: add", at)) &&
		!strings.Contains(text, fmt.Sprintf("%#x: lea", at)) {
		t.Errorf("line @10 at %#x does not start the add:\n%s", c.Lines[0].Off, text)
	}
}
