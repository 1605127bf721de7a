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
// (2^m - 1) << k. Between two polls a loop then runs at most 2^m
// iterations of its body, whose straight-line code is bounded; inner loops
// and calls of non-leaf functions poll on their own (leaf functions run a
// bounded number of instructions, ir.Leafpoll). m shrinks for large bodies,
// so that about 2^18 IR values at most run between polls (well under a
// millisecond), and is 10 (1024 iterations) for loops of up to 256 values.
// Loops without such a phi keep the full poll.

import (
	"math/bits"

	"wfxc/ir"
)

// An IVPoll is a loop header's poll lowered as a test of the induction
// variable IV against Mask.
type IVPoll struct {
	IV   *ir.Value
	Mask int64
}

// IVPolls finds, by poll value ID, the loop-header polls that can test an
// induction variable instead (see the file comment). maxBits is the
// highest mask bit plus one the target's test instruction takes for an
// induction variable of type t (x86-64's TESTQ sign-extends a 32-bit
// immediate: 31 for i64).
func IVPolls(f *ir.Func, maxBits func(t ir.Type) int) map[int32]IVPoll {
	var d *ir.DomTree
	var plans map[int32]IVPoll
	for _, h := range f.Blocks {
		pi := -1 // index of h's poll
		for i, v := range h.Values {
			if v.Op == ir.OpPoll {
				pi = i
				break
			}
		}
		if pi < 0 || len(h.Preds) < 2 {
			continue
		}
		if d == nil {
			d = ir.Dominators(f)
		}
		if !d.Reachable(h) {
			continue
		}
		var back []int // indexes of h's back-edge preds
		for i, p := range h.Preds {
			if d.Dominates(h, p) {
				back = append(back, i)
			}
		}
		if len(back) == 0 {
			continue
		}
		iv, k := inductionVar(h, back, pi)
		if iv == nil {
			continue
		}
		m := 10
		for n := loopSize(h, back); m > 0 && n<<m > 1<<18; m-- {
		}
		if m == 0 || k+m > maxBits(iv.Type) {
			continue
		}
		if plans == nil {
			plans = map[int32]IVPoll{}
		}
		plans[h.Values[pi].ID] = IVPoll{IV: iv, Mask: int64((uint64(1)<<m - 1) << k)}
	}
	return plans
}

// inductionVar returns a phi of header h whose args on the back edges
// (pred indexes back) are all one value p + c (or p - c), c a nonzero
// constant, and the number k of trailing zero bits of c. The phi must be
// live at h's poll (index pi): its update is not before the poll in h.
func inductionVar(h *ir.Block, back []int, pi int) (*ir.Value, int) {
	for _, p := range h.Values[:pi] {
		if p.Op != ir.OpPhi || p.Type != ir.I32 && p.Type != ir.I64 || len(p.Args) != len(h.Preds) {
			continue
		}
		u := p.Args[back[0]]
		same := true
		for _, i := range back[1:] {
			same = same && p.Args[i] == u
		}
		if !same || u.Type != p.Type || u.Op != ir.OpAdd && u.Op != ir.OpSub || len(u.Args) != 2 {
			continue
		}
		var c *ir.Value
		switch {
		case u.Args[0] == p && u.Args[1].Op == ir.OpConst:
			c = u.Args[1]
		case u.Op == ir.OpAdd && u.Args[1] == p && u.Args[0].Op == ir.OpConst:
			c = u.Args[0]
		default:
			continue
		}
		step := uint64(c.Aux)
		if p.Type == ir.I32 {
			step = uint64(uint32(step))
		}
		if step == 0 {
			continue
		}
		if u.Block == h && indexOf(h, u) < pi {
			continue // p may be dead at the poll
		}
		return p, bits.TrailingZeros64(step)
	}
	return nil, 0
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

// loopSize counts the values of the natural loop of header h (back: the
// indexes of its back-edge preds), inner loops included.
func loopSize(h *ir.Block, back []int) int {
	in := map[*ir.Block]bool{h: true}
	var work []*ir.Block
	for _, i := range back {
		work = append(work, h.Preds[i])
	}
	n := len(h.Values)
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		if in[b] {
			continue
		}
		in[b] = true
		n += len(b.Values)
		work = append(work, b.Preds...)
	}
	return n
}
