package ir

import (
	"fmt"
	"testing"
)

func TestDominators_idoms(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string // idom per block in block order, "-" for none
	}{
		{"diamond", `func f(i32) {
b0:
  v0 = param [0] : i32
  if v0 -> b1 b2
b1:
  jump b3
b2:
  jump b3
b3:
  return
}`, "- b0 b0 b0"},
		{"loop", facSrc, "- b0 b0"},
		{"unreachable", `func f() {
b0:
  return
b1:
  jump b2
b2:
  return
}`, "- - -"},
		{"irreducible", `func f(i32) {
b0:
  v0 = param [0] : i32
  if v0 -> b1 b2
b1:
  jump b2
b2:
  if v0 -> b1 b3
b3:
  return
}`, "- b0 b0 b2"},
		{"nestedLoops", `func f(i32) {
b0:
  v0 = param [0] : i32
  jump b1
b1: loop
  jump b2
b2: loop
  if v0 -> b2 b3
b3:
  if v0 -> b1 b4
b4:
  return
}`, "- b0 b1 b2 b3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustParse(t, tt.src)
			d := Dominators(f)
			got := ""
			for i, b := range f.Blocks {
				if i > 0 {
					got += " "
				}
				if id := d.Idom(b); id != nil {
					got += fmt.Sprintf("b%d", id.ID)
				} else {
					got += "-"
				}
			}
			if got != tt.want {
				t.Errorf("idoms = %q, want %q", got, tt.want)
			}
			// Dominates must agree with walking the idom chain.
			for _, a := range f.Blocks {
				for _, b := range f.Blocks {
					want := false
					if d.Reachable(a) && d.Reachable(b) {
						for x := b; x != nil; x = d.Idom(x) {
							if x == a {
								want = true
							}
						}
					}
					if got := d.Dominates(a, b); got != want {
						t.Errorf("Dominates(b%d, b%d) = %v, want %v", a.ID, b.ID, got, want)
					}
				}
			}
		})
	}
}
