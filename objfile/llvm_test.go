package objfile

import (
	"os/exec"
	"strings"
	"testing"
)

// llvmTool returns the path of an LLVM tool, skipping the test without it.
func llvmTool(t *testing.T, name string) string {
	t.Helper()
	for _, n := range []string{name, name + "-14", name + "-15", name + "-16", name + "-17", name + "-18", name + "-19"} {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	t.Skipf("%s not installed", name)
	return ""
}

// TestLLVM_tools cross-checks the objects with a second, independent set of
// decoders: llvm-dwarfdump --verify, its .eh_frame interpreter, and
// llvm-objdump (which, unlike the host objdump, disassembles aarch64).
func TestLLVM_tools(t *testing.T) {
	cases := []struct {
		name   string
		mach   Machine
		ehRows []string // rows of wfx_test_call's FDE as llvm-dwarfdump prints them
		disasm []string
	}{
		{"x86_64", machX86,
			[]string{"0x10: CFA=RSP+8: RIP=[CFA-8]", "0x11: CFA=RSP+16: RBP=[CFA-16], RIP=[CFA-8]", "0x14: CFA=RBP+16: RBP=[CFA-16], RIP=[CFA-8]", "0x1f: CFA=RSP+8: RIP=[CFA-8]"},
			[]string{"<wfx_test_call>:", "leal\t(%rdi,%rsi), %eax", "callq\t*%rax"}},
		{"aarch64", machARM,
			[]string{"0x8: CFA=WSP", "0xc: CFA=WSP+16: W29=[CFA-16], W30=[CFA-8]", "0x10: CFA=W29+16: W29=[CFA-16], W30=[CFA-8]", "0x24: CFA=WSP"},
			[]string{"<wfx_test_call>:", "add\tw0, w0, w1", "stp\tx29, x30, [sp, #-16]!", "blr\tx2"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dwarfdump := llvmTool(t, "llvm-dwarfdump")
			objdump := llvmTool(t, "llvm-objdump")
			p := writeTemp(t, sampleObject(c.mach, true), "obj.o")
			out, err := exec.Command(dwarfdump, "--verify", p).CombinedOutput()
			if err != nil || !strings.Contains(string(out), "No errors.") {
				t.Errorf("llvm-dwarfdump --verify: %v\n%s", err, out)
			}
			out, err = exec.Command(dwarfdump, "--eh-frame", p).CombinedOutput()
			if err != nil {
				t.Fatalf("llvm-dwarfdump --eh-frame: %v\n%s", err, out)
			}
			var rows []string
			for _, l := range strings.Split(string(out), "\n") {
				if l = strings.TrimSpace(l); strings.HasPrefix(l, "0x") && strings.Contains(l, "CFA=") {
					rows = append(rows, l)
				}
			}
			got := strings.Join(rows, "\n")
			if want := strings.Join(c.ehRows, "\n"); !strings.Contains(got, want) {
				t.Errorf("llvm-dwarfdump --eh-frame rows:\n%s\nwant them to contain:\n%s", got, want)
			}
			out, err = exec.Command(objdump, "-d", p).CombinedOutput()
			if err != nil {
				t.Fatalf("llvm-objdump -d: %v\n%s", err, out)
			}
			for _, w := range c.disasm {
				if !strings.Contains(string(out), w) {
					t.Errorf("llvm-objdump -d lacks %q:\n%s", w, out)
				}
			}
		})
	}
}
