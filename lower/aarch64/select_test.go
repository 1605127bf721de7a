package aarch64

import (
	"testing"

	"wfxc/ir"
	"wfxc/lower/lowertest"
)

// selectContSrc selects between two continuation references (difffuzz
// seed 9 of the "cont" features: a 16-byte select once reached CSEL) and
// returns both lanes of the one selected.
const selectContSrc = `
func pick(i64, i64, i64, i64, i32) -> (i64, i64) index 0 {
b0:
  v0 = vmctx : i64
  v1 = param [0] : i64
  v2 = param [1] : i64
  v3 = param [2] : i64
  v4 = param [3] : i64
  v5 = param [4] : i32
  v6 = cont_make v1 v2 : cont
  v7 = cont_make v3 v4 : cont
  v8 = select v5 v6 v7 : cont
  v9 = cont_ptr v8 : i64
  v10 = cont_rev v8 : i64
  return v9 v10
}
`

// TestSelect_cont compiles (and, on arm64, runs) a select of continuation
// references.
func TestSelect_cont(t *testing.T) {
	f, err := ir.Parse(selectContSrc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := CompileFunc(f); err != nil {
		t.Fatal(err)
	}
	native(t)
	m := lowertest.Build(t, backend, []*ir.Func{f}, nil)
	for _, tt := range []struct {
		c        uint64
		ptr, rev uint64
	}{{1, 10, 11}, {0, 20, 21}} {
		if _, got := m.Run(0, 10, 11, 20, 21, tt.c); got[0] != tt.ptr || got[1] != tt.rev {
			t.Errorf("select %d: {%d, %d}, want {%d, %d}", tt.c, got[0], got[1], tt.ptr, tt.rev)
		}
	}
}
