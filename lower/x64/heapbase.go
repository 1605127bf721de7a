package x64

import (
	"slices"

	"wfxc/ir"
)

// Memory bases in registers. With guard pages (ir.Func.GuardPages) a
// 32-bit memory never moves: it grows in place inside its reservation, so
// its base, the word at vmctx+Aux2, is the same for the whole life of the
// instance, across calls and memory.grow. An access the guard pages bound
// (no explicit check) then needs the base only, and a loop of them need
// not reload it from the vmctx at every access, as sc0's cache must after
// anything that takes sc0 or ends a block:
//
//	b2: <- b1 (preheader)           b2: <- b1
//	  jump b3                         v40 = load_raw v0 [16] : i64
//	b3: loop <- b2 b3                 jump b3
//	  v7 = load v0 v6 [0, 16]       b3: loop <- b2 b3
//	                                  v7 = load v40 v6 [0, 16]
//
// hoistBases loads the base once in the preheader of every outermost loop
// whose blocks hold such accesses, and makes it their first arg in place
// of the vmctx (memory tells the two apart by the op: a load_raw is a base);
// the register allocator then keeps it in a register through the loop, or
// spills it where pressure is high. A loop without a preheader (one
// predecessor outside it, ending in a plain jump: the wasm translator makes
// one for every loop) keeps the vmctx. compileFunc calls it on its own copy
// of the function (mayHoistBases); the returned function undoes the change
// all the same.
func hoistBases(f *ir.Func) func() {
	if !f.GuardPages {
		return func() {}
	}
	d := ir.Dominators(f)
	// The natural loops, by header: the blocks reaching a back edge's
	// source without passing the header.
	loops := map[*ir.Block]map[*ir.Block]bool{}
	var headers []*ir.Block
	for _, h := range d.RPO() {
		for _, p := range h.Preds {
			if !d.Reachable(p) || !d.Dominates(h, p) {
				continue
			}
			body := loops[h]
			if body == nil {
				body = map[*ir.Block]bool{h: true}
				loops[h] = body
				headers = append(headers, h)
			}
			stack := []*ir.Block{p}
			for len(stack) > 0 {
				b := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				if body[b] {
					continue
				}
				body[b] = true
				stack = append(stack, b.Preds...)
			}
		}
	}
	type arg struct{ v, x *ir.Value }
	var undo []arg
	var added []*ir.Value
	for _, h := range headers {
		body := loops[h]
		outer := false // inside another loop: that one's preheader serves
		for _, g := range headers {
			if g != h && loops[g][h] {
				outer = true
			}
		}
		if outer {
			continue
		}
		var pre *ir.Block
		for _, p := range h.Preds {
			if !body[p] {
				if pre != nil {
					pre = nil
					break
				}
				pre = p
			}
		}
		if pre == nil || pre.Kind != ir.BlockPlain || len(pre.Succs) != 1 {
			continue
		}
		bases := map[[2]int64]*ir.Value{} // by vmctx value ID and memory
		for _, b := range d.RPO() {
			if !body[b] {
				continue
			}
			for _, v := range b.Values {
				if !guardedAccess(v) {
					continue
				}
				vm := v.Args[0]
				k := [2]int64{int64(vm.ID), v.Aux2}
				base := bases[k]
				if base == nil {
					if vm.Block != nil && !d.Dominates(vm.Block, pre) {
						continue
					}
					base = pre.NewValueAux(ir.OpLoadRaw, ir.I64, v.Aux2, vm)
					bases[k] = base
					added = append(added, base)
				}
				undo = append(undo, arg{v, vm})
				v.SetArg(0, base)
			}
		}
	}
	return func() {
		for _, u := range slices.Backward(undo) {
			u.v.SetArg(0, u.x)
		}
		for _, base := range added {
			b := base.Block
			b.Values = slices.DeleteFunc(b.Values, func(v *ir.Value) bool { return v == base })
			base.Args[0].Uses--
		}
	}
}

// guardedAccess reports whether v is a memory access that guard pages bound
// (guardChecks): no explicit check, only the base needed.
func guardedAccess(v *ir.Value) bool { return guardable(v) && !hoistedBase(v) }

// hoistedBase reports whether access v's first arg is its memory's base
// (hoistBases) rather than the vmctx.
func hoistedBase(v *ir.Value) bool { return v.Args[0].Op == ir.OpLoadRaw }

// mayHoistBases reports whether hoistBases might change f: guard pages, a
// loop and an access they bound.
func mayHoistBases(f *ir.Func) bool {
	if !f.GuardPages {
		return false
	}
	loop, access := false, false
	for _, b := range f.Blocks {
		loop = loop || b.Loop
		for _, v := range b.Values {
			access = access || guardedAccess(v)
		}
	}
	return loop && access
}
