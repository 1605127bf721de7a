package ir

// Poll placement in loop headers. The translator puts a loop's poll at
// the top of its header, after the phis; the back ends lower a header
// poll as a test of an induction variable against a mask, the full check
// out of line (lower.IVPolls). Tested before the counter's update, a
// counter that starts at 0 passes the test on entry, so a short inner loop
// runs the out-of-line check each time it is entered (strlen's 16-byte
// loop: once per string). After the update, the test sees c, 2c, …
// from a start of 0 and fires first after a whole period. Pollplace
// moves a header's poll to just after the update p ± c of one of its
// induction variables when the update is in the header, so that the back
// end tests the updated value:
//
//	b1: loop <- b0 b1                  b1: loop <- b0 b1
//	  v3 = phi v1 v5                     v3 = phi v1 v5
//	  v4 = poll                 →        v6 = load v0 v3
//	  v6 = load v0 v3                    v5 = iadd v3 v2 (v2 = 16)
//	  v5 = iadd v3 v2 (v2 = 16)          v4 = poll
//	  …                                  …
//
// It moves the poll over loads, stores and pure values only (no call, no
// other control op), never after a value the block branches on (the
// branch reads its flags on x86-64), and only within the header, so every
// iteration still runs it. How often the test fires, and that nested
// loops still poll, is lower.IVPolls's concern.

// Pollplace moves loop-header polls after an induction-variable update in
// the header (see the file comment).
func Pollplace(f *Func) error {
	var d *DomTree
	for _, h := range f.Blocks {
		pi := -1
		for i, v := range h.Values {
			if v.Op == OpPoll {
				pi = i
				break
			}
		}
		if pi < 0 || len(h.Preds) < 2 {
			continue
		}
		if d == nil {
			d = Dominators(f)
		}
		if !d.Reachable(h) {
			continue
		}
		back := BackEdges(d, h)
		if len(back) == 0 {
			continue
		}
		to := -1 // index of the update the poll goes after
		for _, p := range h.Values[:pi] {
			u, _ := IVUpdate(p, h, back)
			if u == nil || u.Block != h {
				continue
			}
			ui := -1
			for i := pi + 1; i < len(h.Values); i++ {
				if h.Values[i] == u {
					ui = i
					break
				}
				if e := Ops[h.Values[i].Op].Effect; e != Pure && e != MayTrap && e != Read && e != Write {
					break
				}
			}
			if ui < 0 || isControl(h, u) {
				continue
			}
			to = ui
			break
		}
		if to < 0 {
			continue
		}
		poll := h.Values[pi]
		copy(h.Values[pi:to], h.Values[pi+1:to+1])
		h.Values[to] = poll
	}
	return nil
}

// isControl reports whether b branches on (or returns) v.
func isControl(b *Block, v *Value) bool {
	for _, c := range b.Controls {
		if c == v {
			return true
		}
	}
	return false
}

// BackEdges returns the indexes of h's predecessors that h dominates: the
// sources of its loop's back edges.
func BackEdges(d *DomTree, h *Block) []int {
	var back []int
	for i, p := range h.Preds {
		if d.Dominates(h, p) {
			back = append(back, i)
		}
	}
	return back
}

// IVUpdate returns u, when phi p of header h is an induction variable: its
// args on the back edges (pred indexes back) are all one value u = p + c
// (or c + p, or p - c) of p's type, c a nonzero constant; and the step
// that u adds to p modulo 2^width (-c for p - c). Else it returns nil, 0.
func IVUpdate(p *Value, h *Block, back []int) (*Value, uint64) {
	if p.Op != OpPhi || p.Type != I32 && p.Type != I64 || len(p.Args) != len(h.Preds) || len(back) == 0 {
		return nil, 0
	}
	u := p.Args[back[0]]
	for _, i := range back[1:] {
		if p.Args[i] != u {
			return nil, 0
		}
	}
	if u.Type != p.Type || u.Op != OpAdd && u.Op != OpSub || len(u.Args) != 2 {
		return nil, 0
	}
	var c *Value
	switch {
	case u.Args[0] == p && u.Args[1].Op == OpConst:
		c = u.Args[1]
	case u.Op == OpAdd && u.Args[1] == p && u.Args[0].Op == OpConst:
		c = u.Args[0]
	default:
		return nil, 0
	}
	step := uint64(c.Aux)
	if u.Op == OpSub {
		step = -step
	}
	if p.Type == I32 {
		step = uint64(uint32(step))
	}
	if step == 0 {
		return nil, 0
	}
	return u, step
}
