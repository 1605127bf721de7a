package x64

import (
	"testing"

	"wfxc/ir"
)

// TestAfterSwitch: a return every path to which passes a stack_switch
// (b2, and b4 after the loop) is "switched" and leaves by an indirect
// jump; one a path reaches without a switch (b3, b1 behind the loop's
// exit edge) keeps RET.
func TestAfterSwitch(t *testing.T) {
	f, err := ir.Parse(`func f(i64, i32) -> (i64) {
b0:
  v0 = param [0] : i64
  v1 = param [1] : i32
  if v1 -> b5 b3
b5: <- b0
  v2 = stack_switch v0 v0 v0 [0, 0] : i64
  if v1 -> b2 b6
b2: <- b5
  return v2
b3: <- b0
  if v1 -> b1 b6
b6: loop <- b5 b3 b6
  v3 = stack_switch v0 v0 v0 [0, 0] : i64
  if v1 -> b6 b4
b4: <- b6
  return v3
b1: <- b3
  return v0
}
`)
	if err != nil {
		t.Fatal(err)
	}
	got := afterSwitch(f)
	want := map[string]bool{"b0": false, "b5": true, "b2": true, "b3": false, "b6": true, "b4": true, "b1": false}
	for _, b := range f.Blocks {
		name := b.String()
		if got[b.ID] != want[name] {
			t.Errorf("%s: switched %v, want %v", name, got[b.ID], want[name])
		}
	}
}
