package lower

import (
	"fmt"
	"strings"
	"testing"

	"wfxc/ir"
)

// ivNestIR: three nested loops from 0 by one, the innermost (b3) with its
// update before its poll (ir.Pollplace's placement); MIDDLE is the middle
// loop's update of v12, an induction variable's or not.
const ivNestIR = `
func nest(i32, i32, i32) -> (i64) {
b0:
  v0 = vmctx : i64
  v1 = param [0] : i32
  v2 = param [1] : i32
  v3 = param [2] : i32
  v4 = const 0 : i32
  v5 = const 1 : i32
  v6 = const 0 : i32
  v7 = const 1 : i64
  jump b1
b1: loop <- b0 b5
  v10 = phi v4 v20 : i32
  v11 = poll
  jump b2
b2: loop <- b1 b4
  v12 = phi v4 v19 : i32
  v13 = poll
  jump b3
b3: loop <- b2 b3
  v14 = phi v4 v16 : i32
  v16 = iadd v14 v5 : i32
  v15 = poll
  v17 = load v0 v6 [0, 16] : i64
  v18 = iadd v17 v7 : i64
  v21 = store v0 v6 v18 [0, 16]
  v22 = icmp ne v16 v3 : i32
  if v22 -> b3 b4
b4: <- b3
  MIDDLE
  v23 = icmp ne v19 v2 : i32
  if v23 -> b2 b5
b5: <- b4
  v20 = iadd v10 v5 : i32
  v24 = icmp ne v20 v1 : i32
  if v24 -> b1 b6
b6: <- b5
  return v7
}
`

// TestIVPolls_nest: which polls of ivNestIR test which value with which
// mask. Counting: the innermost loop (7 values) tests its update v16 with
// 10 bits (1025·7 values between polls at most); the middle loop, around
// it, tests its phi v12 (updated in its latch) with 5 bits, so that 33
// of its iterations (each up to 1025·7 + 4 values) stay under 2^18; the
// outer one has no bits left: the full poll. With a middle loop that is no
// counter (v12 doubles), the middle loop makes the full check on every
// iteration, a barrier: the outer loop counts it once, and tests v10 with
// 10 bits.
func TestIVPolls_nest(t *testing.T) {
	maxBits := func(t ir.Type) int { return 31 }
	for _, c := range []struct {
		name, middle string
		want         map[string]string // poll -> tested value and mask
	}{
		{"counters", "v19 = iadd v12 v5 : i32", map[string]string{"v15": "v16 0x3ff", "v13": "v12 0x1f"}},
		{"barrier", "v19 = iadd v12 v12 : i32", map[string]string{"v15": "v16 0x3ff", "v11": "v10 0x3ff"}},
	} {
		fs, err := ir.ParseFuncs(strings.Replace(ivNestIR, "MIDDLE", c.middle, 1))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		got := map[string]string{}
		for id, p := range IVPolls(fs[0], maxBits) {
			got[fmt.Sprintf("v%d", id)] = fmt.Sprintf("%v %#x", p.IV, p.Mask)
		}
		if len(got) != len(c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
			continue
		}
		for k, w := range c.want {
			if got[k] != w {
				t.Errorf("%s: %v, want %v", c.name, got, c.want)
				break
			}
		}
	}
}
