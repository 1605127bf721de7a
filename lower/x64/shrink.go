package x64

// Shrink-wrapping of the entry poll and the callee-saved saves, for the
// common shape of a recursive function whose entry tests its arguments
// and returns early without calling:
//
//	b0: params; poll; if n < 2 -> b3 b4
//	b3: (no call) … return          b4: calls …
//
// Before allocation (splitEntry) the entry poll moves to the start of the
// calling side S: a path that makes no call runs a bounded number of
// instructions (loop headers keep their own polls) and its caller polled
// before calling it, the argument of ir.Leafpoll. The values of b0 used
// below S are copied at S's start and those uses renamed, so the entry
// values' intervals end before the calls and need no callee-saved
// register; the copies, live across the calls, get one.
//
// After allocation (planShrink): when every block that defines or has live
// in a value in a callee-saved register is dominated by S, the saves go to
// the start of S instead of the prologue, and the restores to the returns
// dominated by S and to every edge leaving S's dominance region (after the
// edge's phi moves, which may read those registers). The other paths
// neither save nor restore. The frame (and so the stack check, the CFI
// rows, which describe only the CFA and the frame pointer, and every slot
// offset) is unchanged. Functions with invokes (landing pads reload the
// callee-saved registers: exn.go), stack switches (which save all), tail
// calls (teardown restores) or continuation values are left alone, and so
// is any edge out of the region that is not a plain jump or an if.

import (
	"slices"

	"github.com/twitchyliquid64/golang-asm/obj/x86"

	"wfxc/ir"
	"wfxc/lower"
)

// shrinkWrap is the plan: the block whose start saves, and by block ID
// which blocks it dominates.
type shrinkWrap struct {
	s  *ir.Block
	in []bool
}

// exit reports whether the edge b → c leaves the saved region, so that its
// code restores the callee-saved registers.
func (w *shrinkWrap) exit(b, c *ir.Block) bool { return w != nil && w.in[b.ID] && !w.in[c.ID] }

// restores reports whether a return or tail call in b restores.
func (w *shrinkWrap) restores(b *ir.Block) bool { return w == nil || w.in[b.ID] }

// shrinkable reports whether f's shape allows shrink-wrapping at all.
func shrinkable(f *ir.Func) bool {
	for _, b := range f.Blocks {
		switch b.Kind {
		case ir.BlockInvoke, ir.BlockTailCall, ir.BlockTailCallImport, ir.BlockTailCallRef:
			return false
		}
		for _, v := range b.Values {
			if v.Op == ir.OpStackSwitch || v.Type == ir.Cont {
				return false
			}
		}
	}
	return true
}

// callsFrom reports whether a call is reachable from b.
func callsFrom(b *ir.Block, seen []bool) bool {
	stack := []*ir.Block{b}
	seen[b.ID] = true
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, v := range x.Values {
			if ir.Ops[v.Op].Effect == ir.Call {
				return true
			}
		}
		for _, s := range x.Succs {
			if !seen[s.ID] {
				seen[s.ID] = true
				stack = append(stack, s)
			}
		}
	}
	return false
}

// shrinkTarget is the block S at whose start splitEntry would put the
// entry poll and the saves, or nil when f does not have the shape. It only
// reads f.
func shrinkTarget(f *ir.Func) *ir.Block {
	b0 := f.Entry()
	if len(b0.Preds) != 0 || b0.Kind != ir.BlockIf || len(b0.Succs) != 2 || b0.Succs[0] == b0.Succs[1] || !shrinkable(f) {
		return nil
	}
	for _, v := range b0.Values {
		if ir.Ops[v.Op].Effect == ir.Call {
			return nil
		}
	}
	// S has b0 as its only predecessor; the other side may be a join
	// that S's region reaches too (the loop exit of a recursion turned
	// into a loop): planShrink refuses the plan if a value in a
	// callee-saved register is live there.
	var s *ir.Block
	for i, c := range b0.Succs {
		other := b0.Succs[1-i]
		if len(c.Preds) == 1 && callsFrom(c, make([]bool, f.NumBlocks())) && !callsFrom(other, make([]bool, f.NumBlocks())) {
			s = c
		}
	}
	return s
}

// splitEntry rewrites f in place as described above and returns S, or
// returns nil and leaves f alone. The copies include one of the vmctx
// value, which the IR's own rules (ir.Verify) allow only as itself: the
// rewrite is the back end's view for allocation and emission, made on
// compileFunc's own copy of the function, never on the shared IR (the
// interpreter, for one, runs it after).
func splitEntry(f *ir.Func) *ir.Block {
	s := shrinkTarget(f)
	if s == nil {
		return nil
	}
	b0 := f.Entry()
	d := ir.Dominators(f)
	in := func(b *ir.Block) bool { return d.Reachable(b) && d.Dominates(s, b) }

	// The poll moves to S's start.
	var head []*ir.Value
	kept := b0.Values[:0]
	for _, v := range b0.Values {
		if v.Op == ir.OpPoll {
			v.Block = s
			head = append(head, v)
			continue
		}
		kept = append(kept, v)
	}
	clear(b0.Values[len(kept):])
	b0.Values = kept

	// Copies of the entry values used below S.
	copies := map[*ir.Value]*ir.Value{}
	use := func(x *ir.Value) *ir.Value {
		if x.Block != b0 || x.Op == ir.OpConst || isAddrRemat(x) { // constants are rematerialised
			return nil
		}
		switch x.Type {
		case ir.I32, ir.I64, ir.F32, ir.F64, ir.Ref:
		default:
			return nil
		}
		if c, ok := copies[x]; ok {
			return c
		}
		c := s.NewValue(ir.OpCopy, x.Type, x)
		s.Values = s.Values[:len(s.Values)-1] // placed below
		head = append(head, c)
		copies[x] = c
		return c
	}
	for _, b := range f.Blocks {
		for _, v := range b.Values {
			for i, x := range v.Args {
				inUse := in(b)
				if v.Op == ir.OpPhi {
					inUse = in(b.Preds[i])
				}
				if !inUse {
					continue
				}
				if c := use(x); c != nil {
					v.SetArg(i, c)
				}
			}
		}
		if in(b) {
			cs := slices.Clone(b.Controls)
			changed := false
			for i, x := range cs {
				if c := use(x); c != nil {
					cs[i], changed = c, true
				}
			}
			if changed {
				b.SetControls(cs...)
			}
		}
	}
	s.Values = append(head, s.Values...)
	return s
}

// planShrink decides, after allocation, whether the saves can move to s.
func (e *fn) planShrink(s *ir.Block) *shrinkWrap {
	if s == nil || len(e.frame.Saved) == 0 {
		return nil
	}
	d := ir.Dominators(e.f)
	w := &shrinkWrap{s: s, in: make([]bool, e.f.NumBlocks())}
	for _, b := range e.ra.Order {
		w.in[b.ID] = d.Dominates(s, b)
	}
	var saved lower.RegSet
	for _, r := range e.frame.Saved {
		saved |= 1 << uint(r)
	}
	inSaved := func(v *ir.Value) bool {
		l := e.loc(v)
		return l.Kind == lower.LocReg && saved.Has(l.Reg)
	}
	live := e.ra.Live // f is as it was allocated
	for _, b := range e.ra.Order {
		if w.in[b.ID] {
			for _, c := range b.Succs {
				if w.exit(b, c) && b.Kind != ir.BlockPlain && b.Kind != ir.BlockIf {
					return nil
				}
			}
			continue
		}
		for _, v := range b.Values {
			if inSaved(v) {
				return nil
			}
		}
		for _, v := range live.LiveIn(b) {
			if inSaved(v) {
				return nil
			}
		}
	}
	if len(e.edgeMoves(s.Preds[0], slices.Index(s.Preds[0].Succs, s))) != 0 {
		return nil
	}
	return w
}

// saveCallee stores the callee-saved registers the function uses.
func (e *fn) saveCallee() {
	for i, r := range e.frame.Saved {
		e.a.op(x86.AMOVQ, regAddr(asmReg(r)), memAddr(x86.REG_BP, e.frame.SavedOff(i)))
	}
}

// restoreCallee reloads them.
func (e *fn) restoreCallee() {
	for i, r := range e.frame.Saved {
		e.a.op(x86.AMOVQ, memAddr(x86.REG_BP, e.frame.SavedOff(i)), regAddr(asmReg(r)))
	}
}
