package ir

import (
	"strings"
	"testing"
)

// TestPollplace: a header's poll moves to just after the update of an
// induction variable in the header, over loads, stores and pure values;
// it stays when the update is the branch's control, in another block, or
// past a call.
func TestPollplace(t *testing.T) {
	const loop = `
func f(i32) -> (i32) {
b0:
  v0 = vmctx : i64
  v1 = param [0] : i32
  v2 = const 0 : i32
  v3 = const 16 : i32
  jump b1
b1: loop <- b0 b1
  v4 = phi v2 v7 : i32
  v5 = poll
  v6 = load v0 v4 : i32
  v10 = store v0 v4 v6
  v7 = iadd v4 v3 : i32
  v8 = icmp ne v7 v1 : i32
  if v8 -> b1 b2
b2: <- b1
  return v7
}
`
	for _, c := range []struct {
		name, from, to string
		after          string // the value the poll follows, "" if it stays
	}{
		{"moved", "", "", "v7"},
		{"sub", "v7 = iadd v4 v3", "v7 = isub v4 v3", "v7"},
		{"control", "  v8 = icmp ne v7 v1 : i32\n  if v8", "  if v7", ""},
		{"call", "v10 = store v0 v4 v6", "v10 = call v0 v6 [4] : i32 (i32)", ""},
		{"notIV", "v7 = iadd v4 v3", "v7 = iadd v6 v3", ""},
	} {
		src := loop
		if c.from != "" {
			src = replaceOnce(t, src, c.from, c.to)
		}
		fs, err := ParseFuncs(src)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		f := fs[0]
		if c.name == "call" && f.Blocks[1].Values[3].Op != OpCall {
			t.Fatalf("call: %v, want a call", f.Blocks[1].Values[3])
		}
		if err := Pollplace(f); err != nil {
			t.Fatal(err)
		}
		if err := Verify(f); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		h := f.Blocks[1]
		got := ""
		for i, v := range h.Values {
			if v.Op == OpPoll && i > 0 && h.Values[i-1].Op != OpPhi {
				got = h.Values[i-1].String()
			}
		}
		if got != c.after {
			t.Errorf("%s: poll after %q, want %q", c.name, got, c.after)
		}
	}
}

func replaceOnce(t *testing.T, s, old, new string) string {
	t.Helper()
	if !strings.Contains(s, old) {
		t.Fatalf("%q not in the source", old)
	}
	return strings.Replace(s, old, new, 1)
}
