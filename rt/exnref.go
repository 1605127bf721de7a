package rt

// exnref handles and who owns an exception.
//
// An exception is a Go value, *Exception, with its payload (the tag's
// parameters as raw slots) in a Go slice: the Go garbage collector frees
// both once nothing refers to them. Wasm code refers to an exception with
// an exnref, a 64-bit handle into its store's exception table:
//
//	bits 63..48 store id   bits 47..32 generation   bits 31..0 slot + 1
//
// A handle is made when a catch_ref or catch_all_ref clause delivers an
// exception (one per exception and store while the handle lives) or when
// the host asks for one (Store.ExnRef). The table holds the exception for
// as long as some root holds the handle; a slot that no root holds is
// recycled (its generation changes, so the old handle stops working:
// throw_ref of it, or Store.Exception, fails with an error instead of
// finding another exception). Handles are only valid in their own store.
//
// The exception of a wasm throw (not one a host function made) that a
// catch or catch_all clause delivers, without a handle, is garbage once
// its payload is copied out: the store reuses it, payload slice and all,
// for its next throw, so a throw→catch cycle allocates nothing.
//
// An exception whose payload holds exnrefs (a tag with exnref parameters)
// refers to those exceptions directly once thrown (Exception.Ref), so its
// payload is no root: each delivery makes handles for them anew.
//
// The roots: the live part of every stack of the store (the running one
// from the current SP up, the resumers' from the SP they left at, and each
// suspended continuation's from its suspension point), the payload buffers
// of live continuations, the exnref globals and exnref table elements of
// the store's instances, and the pins of host code. Stacks are scanned
// conservatively: any aligned word equal to a live handle keeps it (an
// unrelated i64 that happens to equal one only delays its reuse); the
// handle layout makes such words rare. The table is collected when its
// live slots reach twice the number the last collection kept (at least
// exnMinGC), so collection costs amortised O(1) per handle.
//
// Host code holds handles for a scope, like Wasmtime's RootScope: a handle
// rt gives the host — Store.ExnRef's result, an exnref result of a call,
// an exnref argument of a host function (rooted by the caller's stack) — is
// valid until the host function it was obtained in returns, or, obtained
// outside any call into the store, until the end of the next call into the
// store. To keep an exception longer, keep the *Exception (Store.Exception)
// and get a handle for it again with Store.ExnRef when passing it to wasm.
// Values the host reads from globals and tables (Global.Get, Table.Get)
// stay valid while the global or table element holds them.

import (
	"fmt"
	"sync/atomic"
	"weak"

	"wfxc/rt/abi"
)

// exnMinGC is the smallest number of live handles that triggers a
// collection (a variable for tests).
var exnMinGC = 256

// storeIDs hands out store ids for handles (16 bits, never 0).
var storeIDs atomic.Uint32

// exnTable is a store's exception table.
type exnTable struct {
	id     uint64 // store id, in bits 63..48 of every handle
	slots  []exnSlot
	free   []uint32              // free slot indices
	byExn  map[*Exception]uint32 // slot of each exception with a handle
	live   int                   // slots in use
	nextGC int                   // collect when live reaches this
	pins   [][]uint64            // handles pinned by host code, by scope (execution depth)
	insts  []weak.Pointer[Instance]
	nInsts int // len(insts) after the last pruning
	// spare is an exception of a throw that a catch or catch_all
	// clause delivered: nothing refers to it any more, and the next
	// throw reuses it (newThrown).
	spare *Exception
}

type exnSlot struct {
	e    *Exception
	gen  uint16
	mark bool
}

// handle returns the handle of slot i.
func (t *exnTable) handle(i uint32) uint64 {
	return t.id<<48 | uint64(t.slots[i].gen)<<32 | uint64(i+1)
}

// slotOf returns the slot of handle h, if h is a live handle of t.
func (t *exnTable) slotOf(h uint64) (uint32, bool) {
	i := uint32(h) - 1
	if h>>48 != t.id || uint64(i) >= uint64(len(t.slots)) {
		return 0, false
	}
	sl := &t.slots[i]
	return i, sl.e != nil && uint64(sl.gen) == h>>32&0xffff
}

// exnref returns a handle of e, making one if e has none. sp is the stack
// pointer of the running code (0 outside any execution): a collection, if
// one is due, treats the stack from there up as live.
func (s *Store) exnref(e *Exception, sp uintptr) uint64 {
	s.collectIfDue(sp)
	return s.handleOf(e)
}

// collectIfDue collects the table if it has grown enough since the last
// collection (exnref's sp).
func (s *Store) collectIfDue(sp uintptr) {
	if t := &s.exns; t.id != 0 && t.live >= t.nextGC {
		s.collectExns(sp)
	}
}

// handleOf returns a handle of e, making one if e has none, without
// collecting.
func (s *Store) handleOf(e *Exception) uint64 {
	t := &s.exns
	if t.id == 0 {
		id := storeIDs.Add(1) & 0xffff
		for id == 0 {
			id = storeIDs.Add(1) & 0xffff
		}
		t.id = uint64(id)
		t.byExn = map[*Exception]uint32{}
		t.nextGC = exnMinGC
	}
	if i, ok := t.byExn[e]; ok {
		return t.handle(i)
	}
	e.thrown = false // with a handle, the host may come to hold it (Store.Exception)
	var i uint32
	if n := len(t.free); n > 0 {
		i = t.free[n-1]
		t.free = t.free[:n-1]
	} else {
		t.slots = append(t.slots, exnSlot{gen: 1})
		i = uint32(len(t.slots) - 1)
	}
	t.slots[i].e = e
	t.byExn[e] = i
	t.live++
	return t.handle(i)
}

// exnAt returns the exception of an exnref handle.
func (s *Store) exnAt(h uint64) (*Exception, error) {
	i, ok := s.exns.slotOf(h)
	if !ok {
		return nil, fmt.Errorf("rt: unknown exnref %#x (not a live handle of this store)", h)
	}
	return s.exns.slots[i].e, nil
}

// Exception returns the exception of exnref handle h (an exnref value
// from wasm code).
func (s *Store) Exception(h uint64) (*Exception, error) { return s.exnAt(h) }

// ExnRef returns an exnref handle of e, for host code to pass e to wasm
// code of s. The handle is pinned for the current scope (see exnref.go):
// until the running host function returns, or outside any call, until the
// end of the next call into s.
func (s *Store) ExnRef(e *Exception) uint64 {
	var sp uintptr
	if s.depth > 0 {
		sp = uintptr(s.field(abi.EctxNativeSP))
	}
	h := s.exnref(e, sp)
	s.pinExn(h, s.depth)
	return h
}

// pinExn pins h in scope d: the host code running in execution d (0: the
// top level).
func (s *Store) pinExn(h uint64, d int) {
	t := &s.exns
	for len(t.pins) <= d {
		t.pins = append(t.pins, nil)
	}
	t.pins[d] = append(t.pins[d], h)
}

// unpinExns drops the pins of scope d.
func (s *Store) unpinExns(d int) {
	if t := &s.exns; d < len(t.pins) {
		clear(t.pins[d])
		t.pins[d] = t.pins[d][:0]
	}
}

// pinResults pins the exnref results of a call of f (results in res)
// in the caller's scope d.
func (s *Store) pinResults(f *Func, res []uint64, d int) {
	k := 0
	for _, rt := range f.typ.Results {
		if isExnType(rt) && k < len(res) && res[k] != 0 {
			s.pinExn(res[k], d)
		}
		k += f.slotsOf([]abi.ValType{rt})
	}
}

// bindPayload resolves, at e's first throw, the exnref parameters in its
// payload (by its tag's type) to the exceptions they refer to: from then
// on e keeps those alive (a Go reference) and its payload handles need no
// root of their own.
func (s *Store) bindPayload(e *Exception) error {
	if e.bound || e.Tag == nil {
		return nil
	}
	k := 0
	for i, p := range e.Tag.typ.Params {
		if isExnType(p) && k < len(e.Payload) && e.Payload[k] != 0 {
			x, err := s.exnAt(e.Payload[k])
			if err != nil {
				return fmt.Errorf("rt: exception payload slot %d: %w", k, err)
			}
			if e.refs == nil {
				e.refs = make([]*Exception, len(e.Payload))
			}
			e.refs[k] = x
		}
		k += e.Tag.slots[i]
	}
	e.bound = true
	return nil
}

// isExnType reports reference types of the exn hierarchy that may be
// non-null (exnref; nullexnref holds nothing).
func isExnType(t abi.ValType) bool {
	return (t.Code() == 0x63 || t.Code() == 0x64) && t.Heap() == heapExn
}

// trackInstance records an instance whose globals or tables may hold
// exnrefs (roots of the collection).
func (s *Store) trackInstance(inst *Instance) {
	d := inst.mod.desc
	has := false
	for _, g := range d.Globals {
		has = has || isExnType(g.Type)
	}
	for _, tt := range d.Tables {
		has = has || isExnType(tt.Elem)
	}
	if !has {
		return
	}
	t := &s.exns
	if len(t.insts) >= 2*max(t.nInsts, 16) {
		t.pruneInstances()
	}
	t.insts = append(t.insts, weak.Make(inst))
}

// pruneInstances drops the collected instances from insts.
func (t *exnTable) pruneInstances() {
	kept := t.insts[:0]
	for _, w := range t.insts {
		if w.Value() != nil {
			kept = append(kept, w)
		}
	}
	clear(t.insts[len(kept):])
	t.insts = kept
	t.nInsts = len(kept)
}

// collectExns recycles the slots of handles no root holds; sp is the
// running code's stack pointer (0: none).
func (s *Store) collectExns(sp uintptr) {
	t := &s.exns
	for i := range t.slots {
		t.slots[i].mark = false
	}
	mark := func(w uint64) {
		if i, ok := t.slotOf(w); ok {
			t.slots[i].mark = true
		}
	}
	scan := func(lo, hi uintptr) {
		for p := (lo + 7) &^ 7; p+8 <= hi; p += 8 {
			mark(load64(p))
		}
	}
	s.scanStacks(sp, scan)
	t.pruneInstances()
	for _, w := range t.insts {
		inst := w.Value()
		if inst == nil {
			continue
		}
		d := inst.mod.desc
		for i, g := range d.Globals {
			if isExnType(g.Type) {
				mark(load64(inst.globalAddr(i)))
			}
		}
		for i, tt := range d.Tables {
			if tab := inst.tables[i]; isExnType(tt.Elem) && tab != nil {
				scan(tab.base, tab.base+uintptr(tab.len)*abi.TableElemSize)
			}
		}
	}
	for _, ps := range t.pins {
		for _, h := range ps {
			mark(h)
		}
	}
	for i := range t.slots {
		sl := &t.slots[i]
		if sl.e == nil || sl.mark {
			continue
		}
		delete(t.byExn, sl.e)
		sl.e = nil
		sl.gen++
		if sl.gen == 0 {
			sl.gen = 1
		}
		t.free = append(t.free, uint32(i))
		t.live--
	}
	t.nextGC = max(exnMinGC, 2*t.live)
}

// scanStacks calls scan on the live part of every stack of s: the running
// stack from sp up (sp = 0: no code runs), each resumer's stack from where
// it switched away, each suspended continuation's from its suspension
// point, and the payload buffers of live continuations.
func (s *Store) scanStacks(sp uintptr, scan func(lo, hi uintptr)) {
	p := &s.mem.fibres
	mainTop := s.stack + stackSize
	onMain := func(a uintptr) bool { return a >= s.stack && a < mainTop }
	// low[stk] is the lowest live SP found on fibre stack stk; mainLow
	// that of the main stack (mainTop: none).
	low := map[uintptr]uintptr{}
	mainLow := mainTop
	live := func(a uintptr) {
		switch stk, ok := p.stackOf(a); {
		case onMain(a):
			mainLow = min(mainLow, a)
		case ok:
			if l, seen := low[stk]; !seen || a < l {
				low[stk] = a
			}
		}
	}
	if sp != 0 {
		live(sp)
	}
	for stk, c := range p.owner {
		top := uintptr(load64(c + abi.ContStackTop))
		if top <= stk || top > stk+p.stackSize() {
			continue // not a continuation of this stack
		}
		ctxSP := uintptr(load64(top - abi.ContCtxSize + abi.StackCtxSP))
		if load64(c+abi.ContState) == abi.ContLive {
			// Suspended at the head of a chain, ContSusp holds the
			// suspension point on its innermost stack; running, or
			// inside a suspended chain, the context holds where its
			// resumer continues, on the resumer's stack. The stacks they
			// name are live from there up (the other word is stale: at
			// most more is kept).
			live(ctxSP)
			live(uintptr(load64(c + abi.ContSusp + abi.StackCtxSP)))
		}
		if args := uintptr(load64(c + abi.ContArgs)); args != 0 {
			scan(args, args+8*uintptr(load64(c+abi.ContArgsCap)))
		}
	}
	if mainLow == mainTop && s.depth > 0 {
		// An execution is active but no context says where it left the
		// main stack: keep everything that may be live.
		mainLow = s.stack + pageSize
	}
	scan(mainLow, mainTop)
	for stk, l := range low {
		scan(l, stk+p.stackSize())
	}
}
