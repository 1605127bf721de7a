package frontend

// Translation of exception handling (DESIGN.md §7): try_table, throw,
// throw_ref. A try_table is a block whose catch clauses apply to every call
// inside it: such a call ends its block as an ir.BlockInvoke whose first
// successor is where the call returns and whose other successors are one
// landing block per clause of the enclosing try_tables (innermost first).
// A landing block loads the delivered values (ir.OpLandingArg: the tag's
// payload, then for the _ref kinds the exnref) and branches to the clause's
// label like br. Locals read there see their values at the call, which is
// what the block of the call ends with.
//
//	(try_table (catch $e 0) (call $f))    b0: v1 = call [f]; invoke -> b1 b2 catch 0
//	                                      b1: … (returned)
//	                                      b2: v2 = landing_arg [0]; jump -> label
//
// throw is ir.OpThrow and throw_ref a libcall (after its null check); both
// end the block like a call that never returns, followed by a trap block.

import (
	"wfxc/ir"
	"wfxc/rt/abi"
)

// tryFrame starts a try_table: a block that remembers its clauses and the
// frame index its labels are relative to.
func (t *translator) tryFrame(in *Instr, params, results []ir.Type) {
	base := len(t.frames)
	if err := t.startFrame(OpBlock, params, results, in.Offset); err != nil {
		return
	}
	fr := t.frames[len(t.frames)-1]
	if fr.end != nil { // entered from reachable code
		fr.catches = append([]Catch(nil), in.Catches...) // the reader reuses in.Catches
		fr.tryBase = base
	}
}

// clause is one catch clause in force at a call, with its label's frame.
type clause struct {
	c      Catch
	target *frame
}

// activeClauses lists the clauses that catch exceptions of a call made
// now, innermost try_table first.
func (t *translator) activeClauses() []clause {
	var cs []clause
	for i := len(t.frames) - 1; i >= 0; i-- {
		fr := t.frames[i]
		for _, c := range fr.catches {
			cs = append(cs, clause{c: c, target: t.frames[fr.tryBase-1-int(c.Label)]})
		}
	}
	return cs
}

// invoke ends the current block after call v when try_table clauses are in
// force, with a landing block per clause, and continues where v returns.
func (t *translator) invoke(v *ir.Value) error {
	cs := t.activeClauses()
	if len(cs) == 0 {
		return nil
	}
	b := t.cur
	b.Kind = ir.BlockInvoke
	b.Pos = v.Pos
	next := t.newBlock(ir.BlockPlain)
	b.AddEdgeTo(next)
	for _, cl := range cs {
		land := t.newBlock(ir.BlockPlain)
		b.AddEdgeTo(land)
		t.seal(land)
		b.Catches = append(b.Catches, ir.Catch{Kind: cl.c.Kind, Tag: cl.c.Tag})
		var types []ir.Type
		if cl.c.Kind == CatchTag || cl.c.Kind == CatchTagRef {
			ps, ok := IRTypes(t.m, t.m.TagType(cl.c.Tag).Params)
			if !ok {
				return t.unsupported(int(v.Pos), "exception payloads of reference or vector types")
			}
			types = ps
		}
		if cl.c.Kind == CatchTagRef || cl.c.Kind == CatchAllRef {
			types = append(types, ir.Ref)
		}
		t.cur = land
		slot := int64(0) // a 16-byte value takes two delivered slots
		for _, ty := range types {
			a := land.NewValueAux(ir.OpLandingArg, ty, slot)
			a.Pos = v.Pos
			t.push(a)
			slot += int64(slots([]ir.Type{ty}))
		}
		t.branchTo(cl.target, land)
		t.popN(len(types))
	}
	t.seal(next)
	t.cur = next
	return nil
}

// throw translates throw $tag.
func (t *translator) throw(tag uint32, pos int) error {
	ps, ok := IRTypes(t.m, t.m.TagType(tag).Params)
	if !ok {
		return t.unsupported(pos, "exception payloads of reference or vector types")
	}
	args := append([]*ir.Value{t.vmctx}, t.popN(len(ps))...)
	v := t.val(ir.OpThrow, ir.Void, pos, args...)
	v.Aux = int64(tag)
	return t.noReturn(v, pos)
}

// throwRef translates throw_ref: a null exnref traps, any other is
// thrown again by rt.
func (t *translator) throwRef(pos int) error {
	x := t.val(ir.OpRefAsNonNull, ir.Ref, pos, t.pop())
	x.Aux = abi.TrapNullExnRef
	v := t.libcall(pos, abi.LibcallThrowRef, ir.Void, x)
	return t.noReturn(v, pos)
}

// noReturn ends the code after v, a call that never returns.
func (t *translator) noReturn(v *ir.Value, pos int) error {
	if err := t.invoke(v); err != nil {
		return err
	}
	t.cur.Kind = ir.BlockTrap
	t.cur.Aux = abi.TrapUnreachable
	t.cur.Pos = int32(pos)
	t.setUnreachable()
	return nil
}
