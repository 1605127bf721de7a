package x64

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"wfxc/ir"
)

// TestExtendU_code: in ../../ir/testdata/zext.ir (run natively by
// TestRunFiles) the uextend of an i32 add into the add's register is no
// instruction (no MOVL of a register to itself), that of a parameter one
// MOVL.
func TestExtendU_code(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "..", "ir", "testdata", "zext.ir"))
	if err != nil {
		t.Fatal(err)
	}
	funcs, err := ir.ParseFuncs(string(src))
	if err != nil {
		t.Fatal(err)
	}
	self := regexp.MustCompile(`mov (e[a-z]+|r[0-9]+d), (e[a-z]+|r[0-9]+d)\n`)
	for _, f := range funcs {
		c, err := CompileFunc(f)
		if err != nil {
			t.Fatal(err)
		}
		text := disasm(c.Code)
		n := 0
		for _, m := range self.FindAllStringSubmatch(text, -1) {
			if f.Name == "paramext" || m[1] == m[2] {
				n++
			}
		}
		want := map[string]int{"sumext": 0, "paramext": 1}[f.Name]
		if n != want {
			t.Errorf("%s: %d MOVL, want %d:\n%s", f.Name, n, want, text)
		}
	}
}
