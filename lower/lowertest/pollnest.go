package lowertest

import (
	"fmt"
	"strings"
	"testing"

	"wfxc/ir"
	"wfxc/rt/abi"
)

// The poll bound of lower.IVPolls, run: however loops nest and wherever
// their counters start, no long stretch of code runs without a poll that
// checks. Every loop header here polls (as the translator's do); the
// innermost loop counts its iterations in memory, so each yield shows how
// many ran since the one before.

// pollNestIR is a nest of three do-while loops, nest(n1, n2, n3), each
// counting from START to START+n (n >= 1) by one; the innermost has its
// update v16 before its poll (as ir.Pollplace leaves it: the poll tests the
// updated counter) or, with the two lines swapped, after it (the poll
// tests the phi); the outer two update in their latches. It returns the
// innermost count, n1*n2*n3.
const pollNestIR = `
func nest(i32, i32, i32) -> (i64) {
b0:
  v0 = vmctx : i64
  v1 = param [0] : i32
  v2 = param [1] : i32
  v3 = param [2] : i32
  v4 = const START : i32
  v5 = const 1 : i32
  v6 = const 0 : i32
  v7 = const 1 : i64
  v30 = iadd v1 v4 : i32
  v31 = iadd v2 v4 : i32
  v32 = iadd v3 v4 : i32
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
  v22 = icmp ne v16 v32 : i32
  if v22 -> b3 b4
b4: <- b3
  v19 = iadd v12 v5 : i32
  v23 = icmp ne v19 v31 : i32
  if v23 -> b2 b5
b5: <- b4
  v20 = iadd v10 v5 : i32
  v24 = icmp ne v20 v30 : i32
  if v24 -> b1 b6
b6: <- b5
  v25 = load v0 v6 [0, 16] : i64
  return v25
}
`

// pollNestFunc parses pollNestIR with counters from start, the innermost
// poll after its update or before.
func pollNestFunc(t *testing.T, start int, after bool) *ir.Func {
	t.Helper()
	src := strings.ReplaceAll(pollNestIR, "START", fmt.Sprint(start))
	if !after {
		src = strings.Replace(src, "  v16 = iadd v14 v5 : i32\n  v15 = poll\n", "  v15 = poll\n  v16 = iadd v14 v5 : i32\n", 1)
	}
	fs, err := ir.ParseFuncs(src)
	if err != nil {
		t.Fatal(err)
	}
	return fs[0]
}

// execPollNest runs nest with every poll that checks yielding: the right
// count, and at most about 2^18 IR values between two yields (the
// innermost loop's iterations, of 8 values, are the unit). Counters from
// 1 never reach a multiple of the period in loops of 100, so without the
// nesting rule nothing would poll in 20*100*100 iterations; from 0 each
// inner loop would poll on entry under the old rule, not under the new
// one (it tests its updated counter). Then the innermost loop alone (n1 =
// n2 = 1): its test fires once per period of its own counter and not on
// entry.
func execPollNest(t *testing.T, be *Backend) {
	const innerValues = 8 // v14 v16 v15 v17 v18 v21 v22, and the branch
	for _, c := range []struct {
		start int
		after bool
	}{{0, true}, {1, true}, {0, false}, {1, false}} {
		start := c.start
		m := Build(t, be, []*ir.Func{pollNestFunc(t, start, c.after)}, nil)
		m.StopOnYield = true
		m.Interrupt = true
		run := func(n1, n2, n3 uint64) (yields, maxGap uint64) {
			Put64(m.Mem, 0, 0)
			Put64(m.Ectx, abi.EctxInterrupt, 1)
			ec, out := m.Run(0, n1, n2, n3)
			last := uint64(0)
			for ec == abi.ExitYield {
				yields++
				c := Get64(m.Mem, 0)
				maxGap = max(maxGap, c-last)
				last = c
				ec = m.Resume()
				out = []uint64{Get64(m.Buf, 0)}
			}
			maxGap = max(maxGap, Get64(m.Mem, 0)-last)
			if ec != abi.ExitDone || out[0] != n1*n2*n3 {
				t.Fatalf("start %d, after %v: nest(%d, %d, %d) = exit %d, %d; want done, %d", start, c.after, n1, n2, n3, ec, out[0], n1*n2*n3)
			}
			return yields, maxGap
		}
		if _, gap := run(20, 100, 100); gap > 1<<18/innerValues {
			t.Errorf("start %d, after %v: %d innermost iterations between two polls, want at most %d", start, c.after, gap, 1<<18/innerValues)
		}
		if be.LoopPollPeriod == 0 {
			continue
		}
		// n1 = n2 = 1: the outer two poll once each (or not: a counter
		// from 1 in a loop with a short period skips), the innermost
		// once per period of the counter it tests: START+1…START+n3
		// updated, START…START+n3-1 not.
		for _, n3 := range []uint64{20, 1024, 3000} {
			y, _ := run(1, 1, n3)
			lo, hi := uint64(start), uint64(start)+n3 // the tested values: (lo, hi]
			if !c.after {
				lo, hi = lo-1, hi-1
			}
			inner := (hi+be.LoopPollPeriod)/be.LoopPollPeriod - (lo+be.LoopPollPeriod)/be.LoopPollPeriod
			if y < inner || y > inner+2 {
				t.Errorf("start %d, after %v: nest(1, 1, %d): %d yields, want %d from the innermost loop and at most 2 more", start, c.after, n3, y, inner)
			}
		}
	}
}
