package ir

import (
	"fmt"
	"slices"

	"wfxc/rt/abi"
)

// invokeCall reports whether v may end a BlockInvoke: a call, a throw, or
// a stack switch (a resume's: exceptions of the continuation come back).
func invokeCall(v *Value) bool {
	switch v.Op {
	case OpCall, OpCallImport, OpCallRef, OpThrow, OpStackSwitch:
		return true
	case OpLibcall:
		return v.Aux == abi.LibcallThrowRef
	}
	return false
}

// checkInvoke checks a BlockInvoke: it ends with a call that may throw,
// has one clause per landing block, and each landing block is entered only
// from invokes (edges to it carry no values: it has no phis).
func checkInvoke(b *Block) error {
	if len(b.Succs) < 2 {
		return fmt.Errorf("block b%d: invoke block has %d successors, want the return and at least one landing block", b.ID, len(b.Succs))
	}
	if InvokeCall(b) == nil {
		return fmt.Errorf("block b%d: invoke block does not end with a call or throw (then only its results)", b.ID)
	}
	if len(b.Catches) != len(b.Succs)-1 {
		return fmt.Errorf("block b%d: invoke block has %d clauses for %d landing blocks", b.ID, len(b.Catches), len(b.Succs)-1)
	}
	for i, c := range b.Catches {
		if c.Kind > abi.CatchAllRef {
			return fmt.Errorf("block b%d: clause %d of unknown kind %d", b.ID, i, c.Kind)
		}
		l := b.Succs[1+i]
		for _, v := range l.Values {
			if v.Op == OpPhi {
				return fmt.Errorf("block b%d: landing block b%d has a phi (v%d)", b.ID, l.ID, v.ID)
			}
		}
	}
	return nil
}

// checkThrow checks a throw's payload operands: value types only.
func checkThrow(v *Value) error {
	for i, a := range v.Args[1:] {
		if a.Type < I32 || a.Type > Ref {
			return fmt.Errorf("value v%d (%s): payload %d (v%d) has type %s, want a value type", v.ID, v.Op, i, a.ID, a.Type)
		}
	}
	return nil
}

// checkLandingArg checks that a landing_arg is in a landing block, before
// every other value but landing_args: every predecessor is an invoke that
// lands there, and nothing in the block has run before it.
func checkLandingArg(v *Value) error {
	b := v.Block
	if len(b.Preds) == 0 {
		return fmt.Errorf("value v%d (%s): block b%d is no landing block (no predecessors)", v.ID, v.Op, b.ID)
	}
	for _, p := range b.Preds {
		if p.Kind != BlockInvoke || !slices.Contains(p.Succs[1:], b) {
			return fmt.Errorf("value v%d (%s): block b%d is entered from b%d, which is not an invoke landing there", v.ID, v.Op, b.ID, p.ID)
		}
	}
	for _, w := range b.Values {
		if w == v {
			break
		}
		if w.Op != OpLandingArg {
			return fmt.Errorf("value v%d (%s): after v%d (%s), want only landing_args before it", v.ID, v.Op, w.ID, w.Op)
		}
	}
	return nil
}
