package rt

// Lifetimes (DESIGN.md §5). An instance's non-Go memory — its vmctx, its
// funcref records, the memories and tables it defines — is freed by
// Instance.Close or Store.Close at once, or, as a safety net, when the
// instance is collected. What may be freed when is decided per lifetime
// group:
//
//   - Instances that are linked hold raw pointers into each other's
//     memory: an importer's vmctx holds the exporter's code, vmctx, global
//     slots and memory/table bases; a table or a global of reference type
//     holds the funcref records of whichever instance stored into it. So
//     every import of something an instance defined (function, global,
//     memory, table), and every import of a host table or reference-typed
//     host global, merges the importer's group with the extern's.
//   - A group is freed when all its members are closed (explicitly or by
//     collection): vmctxs and funcref records of every member; memories and
//     tables defined by members that were closed explicitly (a collected
//     member's memory may still be held by Go code, so its own cleanup
//     frees it); host tables and globals of the group are cleared, since
//     they may hold records that no longer exist.
//   - Suspended continuations of a store may run frames of its instances
//     later, so a group that the closing store still has live
//     continuations for waits for Store.Close.
//
// A freed memory or table is dead: it has no bytes or elements, cannot
// grow, and cannot be imported; calls into a closed instance fail.
//
// Invariants: every group operation holds lifeMu; a group's open count is
// the number of its members not yet closed; group pointers of externs are
// resolved through root (union-find).

import (
	"errors"
	"fmt"
	"slices"
	"sync"

	"wfxc/rt/abi"
)

// lifeMu guards every group, instanceRes.closed and storeMem.insts.
var lifeMu sync.Mutex

// A group is a set of instances whose memory may point into each other's.
type group struct {
	parent  *group // union-find: non-nil once merged into another group
	open    int    // members not yet closed
	members []*instanceRes
	tables  []*tabMap // host tables linked to the group (cleared when it is freed)
	globals []*Global // host globals of reference type linked to the group
	freed   bool
}

// root returns the representative of g's set (compressing the path).
func (g *group) root() *group {
	for g.parent != nil {
		if g.parent.parent != nil {
			g.parent = g.parent.parent
		}
		g = g.parent
	}
	return g
}

// merge joins the sets of a and b and returns the new root.
func merge(a, b *group) *group {
	a, b = a.root(), b.root()
	if a == b {
		return a
	}
	if len(a.members) < len(b.members) {
		a, b = b, a
	}
	b.parent = a
	a.open += b.open
	a.members = append(a.members, b.members...)
	a.tables = append(a.tables, b.tables...)
	a.globals = append(a.globals, b.globals...)
	b.members, b.tables, b.globals = nil, nil, nil
	return a
}

// errClosed is the error of using a closed instance or a dead extern.
var errClosed = errors.New("rt: use of a closed instance")

// linkGroup returns the group that importing ext joins (nil: none), or an
// error when ext is dead. lifeMu is held.
func linkGroup(ext Extern) (*group, error) {
	switch e := ext.(type) {
	case *Func:
		if e.inst == nil {
			return nil, nil
		}
		if e.inst.closed {
			return nil, errClosed
		}
		return live(e.inst.res.grp), nil
	case *Global:
		if e.owner != nil {
			if e.owner.closed {
				return nil, errClosed
			}
			return live(e.owner.res.grp), nil
		}
		if c := e.typ.Code(); c != 0x63 && c != 0x64 { // not a reference: holds no records
			return nil, nil
		}
		if live(e.life) == nil {
			e.life = &group{globals: []*Global{e}}
		}
		return e.life, nil
	case *Memory:
		if e.dead {
			return nil, errClosed
		}
		return live(e.life), nil
	case *Table:
		if e.dead {
			return nil, errClosed
		}
		if e.owner {
			return live(e.life), nil
		}
		if live(e.life) == nil {
			e.life = &group{tables: []*tabMap{e.tabMap}}
		}
		return e.life, nil
	}
	return nil, nil
}

// live returns g's root, or nil when g is nil or freed.
func live(g *group) *group {
	if g == nil {
		return nil
	}
	if g = g.root(); g.freed {
		return nil
	}
	return g
}

// close marks r closed (explicitly: by Instance.Close or Store.Close) and
// frees its group when r was the last open member. cur is the store whose
// goroutine closes r (nil: none, or its continuations are gone).
func (r *instanceRes) close(explicit bool, cur *storeMem) {
	lifeMu.Lock()
	defer lifeMu.Unlock()
	if r.closed {
		return
	}
	r.closed, r.explicit = true, explicit
	if m := r.store; m != nil {
		last := m.insts[len(m.insts)-1]
		m.insts[r.sidx], last.sidx = last, r.sidx
		m.insts[len(m.insts)-1] = nil
		m.insts = m.insts[:len(m.insts)-1]
		r.store = nil
	}
	g := r.grp.root()
	if g.open--; g.open > 0 {
		return
	}
	if cur != nil && cur.fibres.live() > 0 {
		// A suspended continuation may still run the group's code.
		cur.pending = append(cur.pending, g)
		return
	}
	g.free()
}

// free releases the memory of a group whose members are all closed.
// lifeMu is held.
func (g *group) free() {
	if g.freed {
		return
	}
	g.freed = true
	for _, r := range g.members {
		r.release()
		if !r.explicit {
			continue
		}
		for _, m := range r.ownMems {
			m.free()
		}
		for _, t := range r.ownTabs {
			t.free()
		}
	}
	for _, t := range g.tables {
		t.clear()
	}
	for _, gl := range g.globals {
		gl.SetV128(0, 0)
	}
	g.members, g.tables, g.globals = nil, nil, nil
}

// free unmaps a memory at once; it is dead afterwards. lifeMu is held.
func (m *Memory) free() {
	if m.dead {
		return
	}
	if m.pooled != nil {
		m.pooled.release(m.size)
	} else {
		m.unmap()
	}
	m.chg.settle()
	m.base, m.size, m.dead = 0, 0, true
}

// free unmaps a table at once; it is dead afterwards. lifeMu is held.
func (tm *tabMap) free() {
	if tm.dead {
		return
	}
	if tm.pooled != nil {
		tm.pooled.release(uintptr(tm.len) * 2 * abi.TableElemSize)
	} else {
		munmap(tm.base, tm.cap)
	}
	tm.chg.settle()
	tm.base, tm.len, tm.cap, tm.dead = 0, 0, 0, true
}

// clear resets every element of a host table to its initial value (the
// records it pointed to are gone).
func (tm *tabMap) clear() {
	if !tm.dead && tm.cap > 0 {
		clear(bytesAt(tm.base, tm.cap))
	}
}

// Close frees the instance's memory at once: its vmctx and funcref
// records, and the memories and tables it defines (which are dead
// afterwards: no bytes, no elements, no growth, no imports). Calls into a
// closed instance fail. When other open instances are linked to it (they
// imported something from it, or share a table with it), the memory is
// freed when the last of them is closed. Close of a closed instance does
// nothing; Close while the store runs code, or from another goroutine than
// the one using the store, is an error.
func (inst *Instance) Close() error {
	s := inst.store
	nested, err := s.enter()
	if err != nil {
		return err
	}
	defer s.leave(nested)
	if nested {
		return errors.New("rt: Instance.Close while its store runs code")
	}
	if inst.closed {
		return nil
	}
	inst.closed = true
	inst.dropTableKeeps()
	cur := s.mem
	if s.closed {
		cur = nil
	}
	inst.cleanup.Stop() // Close did what the safety net would (pooled instances have none)
	inst.res.close(true, cur)
	return nil
}

// dropTableKeeps removes the instance from the keep sets of its tables.
func (inst *Instance) dropTableKeeps() {
	for _, t := range inst.tables {
		if t == nil {
			continue
		}
		t.mu.Lock()
		if t.keepOne == inst {
			t.keepOne = nil
		} else {
			delete(t.keep, inst)
		}
		t.mu.Unlock()
	}
}

// closeInstances closes every open instance of the store and frees the
// groups that waited for the store's continuations.
func (m *storeMem) closeInstances() {
	lifeMu.Lock()
	rs := slices.Clone(m.insts)
	lifeMu.Unlock()
	for _, r := range rs {
		r.close(true, nil)
	}
	lifeMu.Lock()
	for _, g := range m.pending {
		if g = g.root(); g.open == 0 {
			g.free()
		}
	}
	m.pending = nil
	lifeMu.Unlock()
}

// closePooled closes the store's pooled instances: the safety net of a
// store collected without Close (pooled instances have no cleanup of
// their own; the store is unreachable, so they are too).
func (m *storeMem) closePooled() {
	lifeMu.Lock()
	var rs []*instanceRes
	for _, r := range m.insts {
		if r.pool != nil {
			rs = append(rs, r)
		}
	}
	lifeMu.Unlock()
	for _, r := range rs {
		r.close(true, nil)
	}
}

// checkOpen is the error of calling into inst when it is closed.
func (inst *Instance) checkOpen() error {
	if inst.closed {
		return fmt.Errorf("%w (%s)", errClosed, inst.mod.desc.Name)
	}
	return nil
}
