package x64

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"wfxc/ir"
	"wfxc/rt/abi"
)

// goldenV3 lists the testdata/*.ir also compiled for x86-64-v3, into
// *.v3.s.
var goldenV3 = map[string]bool{"bmi.ir": true}

// TestGolden compiles the functions of testdata/*.ir and compares their
// disassembly with testdata/*.s (rel32 fixups show as jumps/calls to the
// next instruction); those of goldenV3 also for x86-64-v3 with *.v3.s.
// WFXC_BLESS=1 rewrites the .s files; review the diff like code.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.ir"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata/*.ir: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			levels := []string{""}
			if goldenV3[filepath.Base(file)] {
				levels = append(levels, abi.CPUx8664v3)
			}
			for _, level := range levels {
				golden(t, file, string(src), level)
			}
		})
	}
}

// golden compiles src, file's text, for the CPU level and compares it with
// its .s (.v3.s for x86-64-v3).
func golden(t *testing.T, file, src, level string) {
	t.Helper()
	cpu, err := abi.CPULevel(abi.X86_64, level)
	if err != nil {
		t.Fatal(err)
	}
	funcs, err := ir.ParseFuncs(src)
	if err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	for _, f := range funcs {
		if err := ir.Verify(f); err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		c, err := CompileFuncCPU(f, cpu)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&sb, "%s:\n%s", f.Name, disasm(c.Code))
		for _, s := range c.Sites {
			fmt.Fprintf(&sb, "; site %#x @%d\n", s.Off, s.Pos)
		}
		for _, x := range c.Fixups {
			fmt.Fprintf(&sb, "; fixup %#x kind %d index %d\n", x.Off, x.Kind, x.Index)
		}
		sb.WriteString("\n")
	}
	golden := strings.TrimSuffix(file, ".ir") + ".s"
	if level == abi.CPUx8664v3 {
		golden = strings.TrimSuffix(file, ".ir") + ".v3.s"
	}
	if os.Getenv("WFXC_BLESS") != "" {
		if err := os.WriteFile(golden, []byte(sb.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with WFXC_BLESS=1 to create it)", err)
	}
	if got := sb.String(); got != string(want) {
		t.Errorf("%s differs from %s:\n%s", file, golden, got)
	}
}
