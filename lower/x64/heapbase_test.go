package x64

import (
	"strings"
	"testing"

	"wfxc/ir"
)

// TestHoistBases: with guard pages, a loop's unchecked accesses address
// through the base loaded once before the loop (one load of vmctx+16 in
// the code, before the loop's compare); without, the loop checks and
// loads it. The IR comes back unchanged either way.
func TestHoistBases(t *testing.T) {
	const src = `func sum(i32, i32) -> (i32) {
b0:
  v0 = vmctx : i64
  v1 = param [0] : i32
  v2 = param [1] : i32
  v3 = const 0 : i32
  v4 = const 4 : i32
  jump b1
b1: loop <- b0 b2
  v5 = phi v3 v9 : i32
  v6 = phi v1 v10 : i32
  v7 = icmp ult v6 v2 : i32
  if v7 -> b2 b3
b2: <- b1
  v8 = load v0 v6 [0, 16] : i32 @10
  v11 = istore8 v0 v6 v8 [1, 16] @12
  v9 = iadd v5 v8 : i32
  v10 = iadd v6 v4 : i32
  jump b1
b3: <- b1
  return v5
}
`
	for _, guard := range []bool{false, true} {
		funcs, err := ir.ParseFuncs(src)
		if err != nil {
			t.Fatal(err)
		}
		f := funcs[0]
		f.GuardPages = guard
		before := f.String()
		c, err := CompileFunc(f)
		if err != nil {
			t.Fatal(err)
		}
		if f.String() != before {
			t.Errorf("guard %v: compiling changed the IR", guard)
		}
		text := disasm(c.Code)
		bases := strings.Count(text, "ptr [rdi+0x10]")
		checks := strings.Count(text, "ptr [rdi+0x18]")
		switch {
		case guard && (bases != 1 || checks != 0):
			t.Errorf("guard pages: %d base loads and %d checks, want 1 and 0:\n%s", bases, checks, text)
		case !guard && (bases == 0 || checks == 0):
			t.Errorf("explicit: %d base loads and %d checks, want them in the loop:\n%s", bases, checks, text)
		}
		if guard && strings.Index(text, "ptr [rdi+0x10]") > strings.Index(text, "cmp esi, edx") {
			t.Errorf("guard pages: the base is loaded inside the loop:\n%s", text)
		}
	}
}
