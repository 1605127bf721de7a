package lower

// Bounds-check merging. Every linear-memory access is checked against the
// memory's current length; within a block many checks are redundant:
//
//	load  f64 [p+0]    check p+8  ≤ len  → widened to p+48: covers the next five
//	load  f64 [p+8]    covered
//	…
//	load  f64 [p+40]   covered
//
// A check of end E on address value a at access v stays valid for the rest
// of the block (memories never shrink), so a later access of the same a and
// memory with end ≤ E needs none. And v's check may be widened to the ends
// of later accesses of a when nothing observable happens between v and them:
// v itself must not be a store, and only pure ops, loads, global.get and
// memory.size may come between (a load traps with the same message). If the
// widened check fails, the program traps at v instead of at the later
// access, with the same outcome: nothing in between had an effect. Only the
// reported wasm offset differs.

import "wfxc/ir"

// isStore reports whether memory access v writes.
func isStore(v *ir.Value) bool { return ir.Ops[v.Op].Effect == ir.Write }

// quiet reports whether v may stand between a widened check and the access
// it covers.
func quiet(v *ir.Value) bool {
	switch {
	case ir.Ops[v.Op].Effect == ir.Pure:
		return true
	case v.AccessSize() > 0:
		return !isStore(v)
	}
	return v.Op == ir.OpGlobalGet || v.Op == ir.OpMemorySize
}

// BoundsChecks returns, for memory accesses whose check differs from the
// plain one (Aux + access size), the end to check: 0 for no check, else
// the widened end. A back end checks every other access against its own
// end.
func BoundsChecks(f *ir.Func) map[int32]int64 {
	type key struct {
		addr int32
		mem  int64
	}
	out := map[int32]int64{}
	for _, b := range f.Blocks {
		checked := map[key]int64{}
		for i, v := range b.Values {
			size := v.AccessSize()
			if size == 0 {
				continue
			}
			k := key{v.Args[1].ID, v.Aux2}
			end := v.Aux + size
			if c, ok := checked[k]; ok && end <= c {
				out[v.ID] = 0
				continue
			}
			w := end
			if !isStore(v) {
				for _, u := range b.Values[i+1:] {
					if s := u.AccessSize(); s > 0 && u.Args[1].ID == k.addr && u.Aux2 == k.mem {
						w = max(w, u.Aux+s)
					}
					if !quiet(u) {
						break
					}
				}
			}
			if w != end {
				out[v.ID] = w
			}
			checked[k] = max(checked[k], w)
		}
	}
	return out
}
