package aarch64

// Exceptions (DESIGN.md §7, rt/abi exn.go), the mirror of x64/exn.go. A
// call inside a try_table ends a BlockInvoke, and its return address gets
// a lower.Handler listing the clauses of the enclosing try_tables with the
// addresses of their landing blocks. rt, unwinding, resumes a matching
// frame at a landing block with SP and FP of the frame at the call, X21 =
// ectx and ectx.ExitArgs pointing at the delivered values, which
// OpLandingArg loads; every other register is lost there. So every value
// live into a landing block lives in a stack slot (lower.Config.InMemory,
// padLiveIn), while the call clobbers only the caller-saved registers, as
// any call does. A function with invokes saves every callee-saved
// register, since after a landing its epilogue must still restore the
// caller's, and keeps its vmctx in a frame word, for rt to find its
// instance.
//
// throw exits with LibcallThrow and its payload in the argument buffer:
//
//	[SP+0] tag index  [SP+8] address of the payload (SP+24)
//	[SP+16] slot count  [SP+24+8i] payload slot i (its raw bits)

import (
	"github.com/twitchyliquid64/golang-asm/obj"
	"github.com/twitchyliquid64/golang-asm/obj/arm64"

	"wfxc/ir"
	"wfxc/lower"
	"wfxc/rt/abi"
)

// throwArgSlots is the number of argument-buffer slots before a throw's payload.
const throwArgSlots = 3

// invokeSite is a BlockInvoke's call, resolved to a lower.Handler after
// assembly.
type invokeSite struct {
	call    *obj.Prog   // the BL whose return address the handler is keyed by
	pads    []*obj.Prog // the landing block of each clause
	catches []ir.Catch
}

// throwOp lowers throw: the payload into the argument buffer, then the exit.
func (e *fn) throwOp(v *ir.Value, _ *lowering) error {
	a := e.a
	payload := v.Args[1:]
	slots := payloadSlots(payload)
	e.libcall(v, abi.LibcallThrow, func(i int) bool {
		switch {
		case i == 0:
			a.op(arm64.AMOVD, immAddr(v.Aux), regAddr(sc1))
			a.op(arm64.AMOVD, regAddr(sc1), memAddr(rSP, 0))
		case i == 1:
			a.op3(arm64.AADD, immAddr(8*throwArgSlots), rSP, regAddr(sc1))
			a.op(arm64.AMOVD, regAddr(sc1), memAddr(rSP, 8))
		case i == 2:
			a.op(arm64.AMOVD, immAddr(int64(len(slots))), regAddr(sc1))
			a.op(arm64.AMOVD, regAddr(sc1), memAddr(rSP, 16))
		case i < throwArgSlots+len(slots):
			s := slots[i-throwArgSlots]
			x := payload[s.arg]
			switch {
			case x.Type.Size() == 16 && s.half == 0: // both slots at once
				a.qmove(false, e.floatReg(x, fsc1), rSP, 8*int64(i))
			case x.Type.Size() == 16:
			default:
				e.loadBits(x, sc1)
				a.op(arm64.AMOVD, regAddr(sc1), memAddr(rSP, 8*int64(i)))
			}
		default:
			return false
		}
		return true
	})
	udf(a) // rt never resumes after a throw
	return nil
}

// loadBits loads the raw bits of value v into general register r, an i32
// or f32 zero-extended (as a payload slot holds them).
func (e *fn) loadBits(v *ir.Value, r int16) {
	switch {
	case isFloat(v.Type):
		f := e.floatReg(v, fsc0)
		if v.Type == ir.F32 {
			e.a.op(arm64.AFMOVS, regAddr(f), regAddr(r))
		} else {
			e.a.op(arm64.AFMOVD, regAddr(f), regAddr(r))
		}
	case v.Type == ir.I32:
		e.a.op(arm64.AMOVWU, regAddr(e.intReg(v, r)), regAddr(r))
	default:
		e.loadInto(v, r)
	}
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
	a.op(arm64.AMOVD, memAddr(rEctx, abi.EctxExitArgs), regAddr(sc0))
	switch {
	case v.Type.Size() == 16:
		d := e.dst(v, fsc1)
		a.qmove(true, d, sc0, 8*v.Aux)
		e.commit(v, d)
	case isFloat(v.Type):
		d := e.dst(v, fsc1)
		a.op(arm64.AFMOVD, memAddr(sc0, 8*v.Aux), regAddr(d))
		e.commit(v, d)
	default:
		d := e.dst(v, sc1)
		a.op(arm64.AMOVD, memAddr(sc0, 8*v.Aux), regAddr(d))
		e.commit(v, d)
	}
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
		e.a.Branch(arm64.AB, e.target(b.Succs[0]))
	}
	return nil
}

// padLiveIn returns the set of values live into a landing block of f,
// which must live in stack slots.
func padLiveIn(f *ir.Func) func(v *ir.Value) bool {
	live := lower.ComputeLiveness(f, lower.Linearize(f))
	mem := make([]bool, f.NumValues())
	for _, b := range f.Blocks {
		if b.Kind != ir.BlockInvoke {
			continue
		}
		for _, pad := range b.Succs[1:] {
			for _, v := range live.LiveIn(pad) {
				mem[v.ID] = true
			}
		}
	}
	return func(v *ir.Value) bool { return mem[v.ID] }
}

// handlers resolves the invoke sites once the code is assembled.
func (e *fn) handlers() []lower.Handler {
	var hs []lower.Handler
	for _, s := range e.invokes {
		h := lower.Handler{
			RetOff:   uint32(s.call.Pc + int64(s.call.Isize)),
			SPOff:    uint32(e.frame.Size),
			VMCtxOff: uint32(-e.frame.CallWordOff(e.vmctxWord)),
		}
		for i, c := range s.catches {
			h.Clauses = append(h.Clauses, lower.HandlerClause{Kind: c.Kind, Tag: c.Tag, Pad: uint32(s.pads[i].Pc)})
		}
		hs = append(hs, h)
	}
	return hs
}
