package x64

import "wfxc/ir"

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
// spills it where pressure is high. A loop without a preheader keeps the
// vmctx. It rewrites f in place: compileFunc calls it on its own copy of
// the function (mayHoistBases).
func hoistBases(f *ir.Func) {
	if !f.GuardPages {
		return
	}
	d := ir.Dominators(f)
	loops := map[*ir.Block]ir.Loop{}
	for _, l := range ir.NaturalLoops(f, d) {
		loops[l.Header] = l
	}
	// Headers in reverse postorder (the bases' value IDs follow it).
	for _, h := range d.RPO() {
		l, ok := loops[h]
		if !ok {
			continue
		}
		nested := false // inside another loop: that one's preheader serves
		for g, o := range loops {
			nested = nested || (g != h && o.Blocks[h])
		}
		pre := l.Preheader()
		if nested || pre == nil {
			continue
		}
		bases := map[[2]int64]*ir.Value{} // by vmctx value ID and memory
		for _, b := range d.RPO() {
			if !l.Blocks[b] {
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
				}
				v.SetArg(0, base)
			}
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
