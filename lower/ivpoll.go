package lower

// Loop polls on a counter the loop already has (both back ends; the
// example is x86-64's code). The translator puts a
// preemption poll in every loop header (DESIGN.md §3): two dependent loads
// (ectx.G, then g.stackguard0), a compare and a branch on every iteration,
// which in a tight loop costs as much as the loop's own work. When the
// header has an induction variable — a phi p whose every back-edge arg is
// the same u = p + c for a constant c ≠ 0 — the poll instead tests p
// against a mask, one instruction on a register and a branch that is
// almost never taken, and does the full poll out of line only when the
// test says so:
//
//	b1: loop <- b0 b2                      b1:
//	  v3 = phi v1 v7                         test  eax, 0x3ff
//	  v4 = poll                  →           je    slow        ; 1 in 1024
//	  …                                    back: …
//	b2: v7 = iadd v3 v6 (v6 = 1)           slow: mov r11, [r15+G]
//	  if … -> b1 b3                                cmp [r11+16], StackPreempt
//	                                               jne back
//	                                               call poll_exit; jmp back
//
// Why every period-th iteration polls: with c = 2^k·o, o odd, each
// iteration adds o to p >> k (the low k bits of p never change), and adding
// an odd number modulo 2^m visits every residue once in 2^m steps; so bits
// k..k+m-1 of p are all zero exactly once in every 2^m consecutive
// iterations, whatever p started at, wrapping included. The mask is
// (2^m - 1) << k. When the update u = p + c is in the header before the
// poll (ir.Pollplace puts the poll there), the test is of u, which is an
// induction variable of the same step: a counter from 0 then first fires
// after a whole period instead of on entry, so a short inner loop does
// not run the out-of-line check each time it is entered.
//
// The bound: between two polls a loop runs at most 2^m + 1 iterations'
// worth of its body, so m is chosen for each loop, innermost first, so
// that that is at most about 2^18 IR values (well under a millisecond),
// counting each inner loop as the most it can run without a poll: (2^m' +
// 1) times its iteration. An inner loop with the full poll (a barrier: it
// checks on entry, before anything else) instead ends any run that
// reaches it, so it counts once, as what may run after its last check
// (one iteration), not once per iteration of the outer loop. m is 10
// (1024 iterations) for an innermost loop of up to 255 values, smaller
// for larger bodies and for loops around loops that test counters
// (strlen's loop over 4096 strings, around a loop of 10 values: m = 4); a
// loop for which even m = 1 is too long keeps the full poll, as do loops
// without such a phi (strstr's loop over a bitmask's bits, around its
// byte-compare loop: the 16-byte loop around both keeps m = 10). So no code runs long without a poll however loops nest and
// wherever their counters start: a nest of short loops, each of which
// alone would never reach a multiple of its period, still polls in one of
// them. Calls of non-leaf functions poll on their own (leaf functions run
// a bounded number of instructions, ir.Leafpoll). A hand-built loop
// without a poll (the translator polls every loop header) counts as one
// iteration.

import (
	"math/bits"
	"slices"

	"wfxc/ir"
)

// An IVPoll is a loop header's poll lowered as a test of the induction
// variable IV against Mask.
type IVPoll struct {
	IV   *ir.Value
	Mask int64
}

// pollBudget is about the most IR values that run between two polls.
const pollBudget = 1 << 18

// maxPeriodBits is m for short loops: a test fires once in 1024 iterations.
const maxPeriodBits = 10

// IVPolls finds, by poll value ID, the loop-header polls that can test an
// induction variable instead (see the file comment). maxBits is the
// highest mask bit plus one the target's test instruction takes for an
// induction variable of type t (x86-64's TESTQ sign-extends a 32-bit
// immediate: 31 for i64).
func IVPolls(f *ir.Func, maxBits func(t ir.Type) int) map[int32]IVPoll {
	loops := findLoops(f)
	if len(loops) == 0 {
		return nil
	}
	var plans map[int32]IVPoll
	for _, l := range loops { // innermost first: children before parents
		pi := -1 // index of h's poll
		for i, v := range l.h.Values {
			if v.Op == ir.OpPoll {
				pi = i
				break
			}
		}
		var iv *ir.Value
		k, m := 0, 0
		if pi >= 0 {
			if iv, k = inductionVar(l.h, l.back, pi); iv != nil {
				m = min(maxPeriodBits, maxBits(iv.Type)-k)
				for m > 0 && l.tail+(int64(1)<<m+1)*l.iter > pollBudget {
					m--
				}
			}
		}
		switch {
		case pi < 0:
			l.cost = l.tail + l.iter
		case m <= 0: // the full poll, on every iteration
			l.barrier = true
			l.cost = l.tail + l.iter
		default:
			l.cost = l.tail + (int64(1)<<m+1)*l.iter
			if plans == nil {
				plans = map[int32]IVPoll{}
			}
			plans[l.h.Values[pi].ID] = IVPoll{IV: iv, Mask: int64((uint64(1)<<m - 1) << k)}
		}
		switch p := l.parent; {
		case p != nil && l.barrier:
			p.tail = max(p.tail, l.cost)
		case p != nil:
			p.iter += l.cost
		}
	}
	return plans
}

// A loop is a natural loop of the function, for IVPolls.
type loop struct {
	h      *ir.Block
	back   []int // indexes of h's back-edge preds
	blocks int   // blocks in the loop, inner loops included
	parent *loop // the smallest loop around it, or nil
	iter   int64 // values of one iteration: its own, and the costs of its inner loops but barriers
	tail   int64 // the largest cost of an inner barrier: what may run after its last poll
	cost   int64 // the most values it runs without a poll
	// barrier: the loop makes the full check on every iteration, on
	// entry first, so a run without a poll that reaches it ends there.
	barrier bool
}

// findLoops returns the natural loops of f's reachable blocks, innermost
// first (by size, then header ID), with their parents and the values of
// their own blocks (those in no inner loop) in iter.
func findLoops(f *ir.Func) []*loop {
	var d *ir.DomTree
	var loops []*loop
	for _, h := range f.Blocks {
		if len(h.Preds) < 2 {
			continue // a header has an entry edge and a back edge
		}
		if d == nil {
			d = ir.Dominators(f)
		}
		if !d.Reachable(h) {
			continue
		}
		if back := ir.BackEdges(d, h); len(back) > 0 {
			loops = append(loops, &loop{h: h, back: back})
		}
	}
	if len(loops) == 0 {
		return nil
	}
	// Sizes first (marks by block ID, one stamp per loop), then the
	// nesting: in increasing size, a loop's blocks not yet claimed are
	// its own, and a claimed header whose loop has no parent yet is a
	// child's.
	mark := make([]int32, f.NumBlocks())
	walk := func(l *loop, stamp int32, visit func(b *ir.Block)) {
		work := []*ir.Block{l.h}
		for _, i := range l.back {
			work = append(work, l.h.Preds[i])
		}
		for len(work) > 0 {
			b := work[len(work)-1]
			work = work[:len(work)-1]
			if mark[b.ID] == stamp || !d.Reachable(b) {
				continue
			}
			mark[b.ID] = stamp
			visit(b)
			if b != l.h {
				work = append(work, b.Preds...)
			}
		}
	}
	for i, l := range loops {
		walk(l, int32(i+1), func(*ir.Block) { l.blocks++ })
	}
	slices.SortStableFunc(loops, func(a, b *loop) int {
		if a.blocks != b.blocks {
			return a.blocks - b.blocks
		}
		return int(a.h.ID - b.h.ID)
	})
	clear(mark)
	inner := make([]*loop, f.NumBlocks()) // by block ID: the innermost loop
	for i, l := range loops {
		walk(l, int32(i+1), func(b *ir.Block) {
			switch c := inner[b.ID]; {
			case c == nil:
				inner[b.ID] = l
				l.iter += int64(len(b.Values))
			case c != l && c.h == b && c.parent == nil:
				c.parent = l
			}
		})
	}
	return loops
}

// inductionVar returns the value a poll at index pi of header h tests: of
// the phis of h that are induction variables (ir.IVUpdate; back: the
// indexes of h's back-edge preds), the update u of the first whose u is in
// h before the poll, else the first phi whose update is not (it is live
// at the poll); and the number k of trailing zero bits of the step.
func inductionVar(h *ir.Block, back []int, pi int) (*ir.Value, int) {
	var p *ir.Value
	k := 0
	for _, v := range h.Values[:pi] {
		u, step := ir.IVUpdate(v, h, back)
		if u == nil {
			continue
		}
		if u.Block == h && indexOf(h, u) < pi {
			return u, bits.TrailingZeros64(step)
		}
		if p == nil {
			p, k = v, bits.TrailingZeros64(step)
		}
	}
	return p, k
}

// indexOf returns the index of v in b's values, or -1.
func indexOf(b *ir.Block, v *ir.Value) int {
	for i, x := range b.Values {
		if x == v {
			return i
		}
	}
	return -1
}
