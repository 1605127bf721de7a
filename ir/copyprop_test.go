package ir

import "testing"

func TestCopyprop(t *testing.T) {
	runPassCases(t, Copyprop, []passCase{
		{"chain", `func f(i32) -> (i32) {
b0:
  v0 = param [0] : i32
  v1 = copy v0 : i32
  v2 = copy v1 : i32
  v3 = iadd v2 v1 : i32
  return v3
}`, `func f(i32) -> (i32) {
b0:
  v0 = param [0] : i32
  v3 = iadd v0 v0 : i32
  return v3
}`},
		{"controlAndPhi", `func f(i32) -> (i32) {
b0:
  v0 = param [0] : i32
  v1 = copy v0 : i32
  if v1 -> b1 b2
b1:
  v2 = copy v1 : i32
  jump b2
b2:
  v3 = phi v1 v2 : i32
  return v3
}`, `func f(i32) -> (i32) {
b0:
  v0 = param [0] : i32
  if v0 -> b1 b2
b1:
  jump b2
b2: <- b0 b1
  v3 = phi v0 v0 : i32
  return v3
}`},
		{"unusedCopy", `func f(i32) {
b0:
  v0 = param [0] : i32
  v1 = copy v0 : i32
  return
}`, `func f(i32) {
b0:
  v0 = param [0] : i32
  return
}`},
	})
}

// TestCopyprop_cycle checks that a copy cycle (only possible in unreachable
// code) does not hang the pass.
func TestCopyprop_cycle(t *testing.T) {
	f := mustParse(t, `func f() {
b0:
  return
b1:
  v0 = copy v1 : i32
  v1 = copy v0 : i32
  v2 = iadd v0 v1 : i32
  return
}`)
	if err := Copyprop(f); err != nil {
		t.Fatal(err)
	}
	if err := Verify(f); err != nil {
		t.Fatal(err)
	}
}
