package x64

// Exceptions (DESIGN.md §7, rt/abi exn.go). A call inside a try_table ends
// a BlockInvoke, and its return address gets a lower.Handler listing the
// clauses of the enclosing try_tables with the addresses of their landing
// blocks. rt, unwinding, resumes a matching frame at a landing block with
// RSP and RBP of the frame at the call, R15 = ectx and ectx.ExitArgs
// pointing at the delivered values, which OpLandingArg loads; every other
// register is lost there. So every value live into a landing block lives
// in a stack slot (lower.Config.InMemory, padLiveIn), while the call
// clobbers only the caller-saved registers, as any call does: values live
// across it but not into a landing block keep callee-saved registers, which
// the callee restores on the normal path. (Clobbering every register at
// the call, the first design, spilled those too: a recursive fib inside a
// try_table ran 33% slower than without it.)
//
// After a landing the function's epilogue must still hand its caller the
// callee-saved registers it had. Those the function uses it saves in its
// prologue and restores in its epilogue anyway; the others, which it never
// writes, it stores in frame words (exnFrame.extra) and each landing block
// reloads them, so the normal path restores nothing more. rt finds the
// frame's instance in another frame word, the vmctx. Both are stored once,
// not in the prologue but at the start of the nearest block dominating
// every invoke outside loops (exnFrame.at), so a call that reaches no
// try_table pays nothing: the leaves of a recursive fib whose recursive
// calls sit in a try_table store nothing.
//
// throw exits with LibcallThrow and its payload in the argument buffer:
//
//	[RSP+0] tag index  [RSP+8] address of the payload (RSP+24)
//	[RSP+16] slot count  [RSP+24+8i] payload slot i (its raw bits)

import (
	"github.com/twitchyliquid64/golang-asm/obj"
	"github.com/twitchyliquid64/golang-asm/obj/x86"

	"wfxc/ir"
	"wfxc/lower"
	"wfxc/rt/abi"
)

// throwArgSlots is the number of argument-buffer slots before a throw's payload.
const throwArgSlots = 3

// invokeSite is a BlockInvoke's call, resolved to a lower.Handler after
// assembly.
type invokeSite struct {
	call    *obj.Prog   // the CALL whose return address the handler is keyed by
	pads    []*obj.Prog // the landing block of each clause
	catches []ir.Catch
}

// isInvokeCall reports whether v is the call ending a BlockInvoke.
func isInvokeCall(v *ir.Value) bool {
	b := v.Block
	return b != nil && ir.InvokeCall(b) == v
}

// throwOp lowers throw: the payload into the argument buffer, then the exit.
func (e *fn) throwOp(v *ir.Value, _ *lowering) error {
	a := e.a
	payload := v.Args[1:]
	slots := payloadSlots(payload)
	e.libcall(v, abi.LibcallThrow, func(i int) bool {
		switch {
		case i == 0:
			a.op(x86.AMOVQ, immAddr(v.Aux), memAddr(x86.REG_SP, 0))
		case i == 1:
			a.op(x86.ALEAQ, memAddr(x86.REG_SP, 8*throwArgSlots), regAddr(sc1))
			a.op(x86.AMOVQ, regAddr(sc1), memAddr(x86.REG_SP, 8))
		case i == 2:
			a.op(x86.AMOVQ, immAddr(int64(len(slots))), memAddr(x86.REG_SP, 16))
		case i < throwArgSlots+len(slots):
			s := slots[i-throwArgSlots]
			x := payload[s.arg]
			switch {
			case x.Type.Size() == 16 && s.half == 0: // both slots at once
				a.op(x86.AMOVUPS, regAddr(e.floatReg(x, fsc1)), memAddr(x86.REG_SP, 8*int64(i)))
			case x.Type.Size() == 16:
			default:
				e.loadBits(x, sc1)
				if x.Type == ir.I32 || x.Type == ir.F32 {
					a.op(x86.AMOVL, regAddr(sc1), regAddr(sc1)) // the slot holds the zero-extended bits
				}
				a.op(x86.AMOVQ, regAddr(sc1), memAddr(x86.REG_SP, 8*int64(i)))
			}
		default:
			return false
		}
		return true
	})
	a.op0(x86.AUD2) // rt never resumes after a throw
	return nil
}

// A payloadSlot is one 8-byte slot of a throw's payload: half 0 or 1 of
// argument arg (a 16-byte value takes two slots).
type payloadSlot struct{ arg, half int }

// payloadSlots lays out a throw's payload, the tag's parameters in order,
// in 8-byte slots as rt and the landing blocks read it.
func payloadSlots(payload []*ir.Value) []payloadSlot {
	var slots []payloadSlot
	for i, x := range payload {
		slots = append(slots, payloadSlot{i, 0})
		if x.Type.Size() == 16 {
			slots = append(slots, payloadSlot{i, 1})
		}
	}
	return slots
}

// landingArg lowers landing_arg: the value at slot Aux of those rt
// delivered (a 16-byte value takes slots Aux and Aux+1).
func (e *fn) landingArg(v *ir.Value, _ *lowering) error {
	a := e.a
	a.op(x86.AMOVQ, memAddr(x86.REG_R15, abi.EctxExitArgs), regAddr(sc0))
	if v.Type.Size() == 16 {
		d := e.dst(v, fsc1)
		a.op(x86.AMOVUPS, memAddr(sc0, 8*v.Aux), regAddr(d))
		e.commit(v, d)
		return nil
	}
	a.op(x86.AMOVQ, memAddr(sc0, 8*v.Aux), regAddr(sc1))
	e.storeBits(sc1, v)
	return nil
}

// invoke ends a BlockInvoke: it records the handler of the call that ends
// the block and continues at Succs[0], where the call returns to.
func (e *fn) invoke(b *ir.Block, next *ir.Block) error {
	if e.lastCall == nil || e.lastCallValue != ir.InvokeCall(b) {
		return errInvokeCall
	}
	site := invokeSite{call: e.lastCall, catches: b.Catches}
	for _, s := range b.Succs[1:] {
		site.pads = append(site.pads, e.labels[s.ID])
	}
	e.invokes = append(e.invokes, site)
	if ms := e.edgeMoves(b, 0); len(ms) > 0 {
		e.moves(ms)
	}
	if b.Succs[0] != next {
		e.a.Branch(obj.AJMP, e.target(b.Succs[0]))
	}
	return nil
}

// exnFrame is what a function with invokes keeps in its frame for rt and
// its landing blocks.
type exnFrame struct {
	mem   []bool    // by value ID: live into a landing block (in a stack slot)
	pad   []bool    // by block ID: a landing block
	at    *ir.Block // where the frame words are stored; nil: the prologue
	vmctx *ir.Value // the vmctx value, live into at (with at)
	extra []lower.Reg
	word  int // the frame word of the vmctx; extra[i] at word+1+i
}

// planExn finds the values live into f's landing blocks and the block
// that stores the frame words: the nearest common dominator of the invoke
// blocks, if no loop holds it, every landing block is entered from invokes
// only (its reload of the extra registers runs only after a landing) and
// a vmctx value is live into it; else the entry (the prologue).
func planExn(f *ir.Func) *exnFrame {
	live := lower.ComputeLiveness(f, lower.Linearize(f))
	x := &exnFrame{mem: make([]bool, f.NumValues()), pad: make([]bool, f.NumBlocks())}
	var invokes []*ir.Block
	for _, b := range f.Blocks {
		if b.Kind != ir.BlockInvoke {
			continue
		}
		invokes = append(invokes, b)
		for _, pad := range b.Succs[1:] {
			x.pad[pad.ID] = true
			for _, v := range live.LiveIn(pad) {
				x.mem[v.ID] = true
			}
		}
	}
	for _, b := range f.Blocks {
		if x.pad[b.ID] && !landingOnly(b) {
			return x
		}
	}
	dom := ir.Dominators(f)
	var at *ir.Block
	for _, b := range invokes {
		switch {
		case !dom.Reachable(b):
		case at == nil:
			at = b
		default:
			for !dom.Dominates(at, b) {
				at = dom.Idom(at)
			}
		}
	}
	if at == nil || at == f.Entry() || inCycle(at) {
		return x
	}
	for _, v := range live.LiveIn(at) {
		if v.Op == ir.OpVMCtx {
			x.at, x.vmctx = at, v
			break
		}
	}
	return x
}

// landingOnly reports whether every edge into b comes from an invoke
// landing there.
func landingOnly(b *ir.Block) bool {
	for _, p := range b.Preds {
		if p.Kind != ir.BlockInvoke || p.Succs[0] == b {
			return false
		}
	}
	return len(b.Preds) > 0
}

// inCycle reports whether b can reach itself.
func inCycle(b *ir.Block) bool {
	seen := map[*ir.Block]bool{}
	work := append([]*ir.Block(nil), b.Succs...)
	for len(work) > 0 {
		c := work[len(work)-1]
		work = work[:len(work)-1]
		if c == b {
			return true
		}
		if !seen[c] {
			seen[c] = true
			work = append(work, c.Succs...)
		}
	}
	return false
}

// saveExn stores the frame words: the vmctx (from vmctx, or RDI in the
// prologue) and the extra callee-saved registers.
func (e *fn) saveExn(vmctx int16) {
	a, x := e.a, e.exn
	a.op(x86.AMOVQ, regAddr(vmctx), memAddr(x86.REG_BP, e.frame.CallWordOff(x.word)))
	for i, r := range x.extra {
		a.op(x86.AMOVQ, regAddr(asmReg(r)), memAddr(x86.REG_BP, e.frame.CallWordOff(x.word+1+i)))
	}
}

// restoreExn reloads the extra callee-saved registers in a landing block.
func (e *fn) restoreExn() {
	for i, r := range e.exn.extra {
		e.a.op(x86.AMOVQ, memAddr(x86.REG_BP, e.frame.CallWordOff(e.exn.word+1+i)), regAddr(asmReg(r)))
	}
}

// handlers resolves the invoke sites once the code is assembled.
func (e *fn) handlers() []lower.Handler {
	var hs []lower.Handler
	for _, s := range e.invokes {
		h := lower.Handler{
			RetOff:   uint32(s.call.Pc + int64(s.call.Isize)),
			SPOff:    uint32(e.frame.Size),
			VMCtxOff: uint32(-e.frame.CallWordOff(e.exn.word)),
		}
		for i, c := range s.catches {
			h.Clauses = append(h.Clauses, lower.HandlerClause{Kind: c.Kind, Tag: c.Tag, Pad: uint32(s.pads[i].Pc)})
		}
		hs = append(hs, h)
	}
	return hs
}
