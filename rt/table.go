package rt

import (
	"fmt"
	"runtime"
	"sync"

	"golang.org/x/sys/unix"

	"wfxc/rt/abi"
)

// A Table is a table of references: 8-byte elements (abi.TableElemSize) of
// non-Go memory. The API deals in reference values (a funcref is the
// address of a funcref record, 0 is null); the elements of function tables
// are stored lazily and tagged (rt/abi funcref.go): a raw 0 stands for the
// table's initial value, anything else is value|TableElemInit. Tables of
// continuation references have 16-byte elements {VMContRef, revision}
// (Get2, Set2; Get and Set see the first word).
type Table struct {
	typ  abi.Table
	fn   bool   // a function table: tagged, lazily initialised elements
	wide bool   // a continuation table: 16-byte elements
	init uint64 // the initial value of the elements (function tables)
	*tabMap
	users *slotSet // vmctx slots holding {base, length} of this table (its own object: instance cleanups hold it, never the table)
	types []uint32 // canonical type ids of the defining module (for Elem)
	owner bool     // defined by an instance (not NewTable)
	limit uint64   // most elements it may grow to (0: its type's limit; limits.go)

	// image, when set, holds the initial elements its module's element
	// segments give it (lazyelem.go), of instance imageInst.
	image     []int32
	imageInst *Instance
	life      *group // lifetime group of the instances linked to it (lifetime.go)

	// keep holds the instances whose funcref records the table may point
	// to (every instance that defines or imports it); the first is in
	// keepOne, without a map.
	mu      sync.Mutex
	keepOne *Instance
	keep    map[*Instance]struct{}
}

// tabMap is a table's mapping, boxed for its cleanup (see memMap).
type tabMap struct {
	base   uintptr
	len    uint64 // elements
	cap    uintptr
	dead   bool      // freed by Instance.Close or Store.Close
	pooled *poolSlot // the pool slot it lives in (pool.go), or nil
	chg    charge    // bytes taken from the store's committed memory (limits.go)
}

// NewTable returns a table of min null elements of type elem, growable to
// max when hasMax.
func NewTable(elem abi.ValType, min, max uint64, hasMax bool) (*Table, error) {
	return newTable(abi.Table{Elem: elem, Min: min, Max: max, HasMax: hasMax}, nil, 0)
}

// NewTableOf returns a table of type t (t.Is64 for a table64), with t.Min
// null elements.
func NewTableOf(t abi.Table) (*Table, error) {
	t.Imported, t.Init = false, nil
	return newTable(t, nil, 0)
}

func tableLimit(t abi.Table) uint64 {
	lim := uint64(1) << 32
	if t.HasMax && t.Max < lim {
		lim = t.Max
	}
	return lim
}

// newTable makes a table whose elements start as init; types are the
// canonical type ids of the defining module.
func newTable(typ abi.Table, types []uint32, init uint64) (*Table, error) {
	if typ.Min > tableLimit(typ) || typ.Min > 1<<28 {
		return nil, fmt.Errorf("table: minimum %d elements is too large", typ.Min)
	}
	t := &Table{typ: typ, tabMap: &tabMap{}, users: &slotSet{}, types: types, fn: isFuncTable(typ.Elem, types),
		wide: isContTable(typ.Elem, types)}
	if typ.Min > 0 {
		n := roundPage(uintptr(typ.Min) * t.elemSize())
		p, err := mmap(n, unix.PROT_READ|unix.PROT_WRITE)
		if err != nil {
			return nil, err
		}
		t.base, t.cap = p, n
	}
	t.len = typ.Min
	if t.fn {
		t.init = init
	} else if init != 0 {
		for i := uint64(0); i < t.len; i++ {
			t.Set(i, init)
		}
	}
	runtime.AddCleanup(t, func(tm *tabMap) { munmap(tm.base, tm.cap); tm.chg.settle() }, t.tabMap)
	return t, nil
}

// Type returns the table's type with its current size as the minimum.
func (t *Table) Type() abi.Table {
	ty := t.typ
	ty.Min = t.len
	return ty
}

// Len returns the number of elements.
func (t *Table) Len() uint64 { return t.len }

// Get returns element i.
func (t *Table) Get(i uint64) (uint64, bool) {
	if i >= t.len {
		return 0, false
	}
	raw := load64(t.base + uintptr(i)*t.elemSize())
	if !t.fn {
		return raw, true
	}
	if raw == 0 {
		if v, ok := t.lazyElem(i); ok {
			return v, true
		}
		return t.init, true
	}
	return raw &^ abi.TableElemInit, true
}

// Set stores v as element i.
func (t *Table) Set(i uint64, v uint64) bool {
	if i >= t.len {
		return false
	}
	if t.fn {
		v |= abi.TableElemInit
	}
	store64(t.base+uintptr(i)*t.elemSize(), v)
	if t.wide {
		store64(t.base+uintptr(i)*t.elemSize()+8, 0)
	}
	return true
}

// elemSize is the size of an element in bytes.
func (t *Table) elemSize() uintptr {
	if t.wide {
		return 2 * abi.TableElemSize
	}
	return abi.TableElemSize
}

// Get2 returns both words of element i (the second is 0 but in
// continuation tables).
func (t *Table) Get2(i uint64) (lo, hi uint64, ok bool) {
	if !t.wide {
		lo, ok = t.Get(i)
		return lo, 0, ok
	}
	if i >= t.len {
		return 0, 0, false
	}
	p := t.base + uintptr(i)*t.elemSize()
	return load64(p), load64(p + 8), true
}

// Set2 stores both words of element i (hi is ignored but in continuation
// tables).
func (t *Table) Set2(i, lo, hi uint64) bool {
	if !t.wide {
		return t.Set(i, lo)
	}
	if i >= t.len {
		return false
	}
	p := t.base + uintptr(i)*t.elemSize()
	store64(p, lo)
	store64(p+8, hi)
	return true
}

// isContTable reports whether elements of type elem are continuation
// references: the cont hierarchy (cont, nocont, a concrete continuation
// type; types are the defining module's canonical type ids).
func isContTable(elem abi.ValType, types []uint32) bool {
	h := elem.Heap()
	switch {
	case h == heapCont || h == heapNoCont:
		return true
	case h >= 0 && h < int64(len(types)):
		return kindOf(types[h]) == 3
	}
	return false
}

// isFuncTable reports whether elements of type elem are stored as function
// table elements: the func hierarchy (func, nofunc, a concrete function
// type; types are the defining module's canonical type ids).
func isFuncTable(elem abi.ValType, types []uint32) bool {
	h := elem.Heap()
	switch {
	case h == heapFunc || h == heapNoFunc:
		return true
	case h >= 0 && h < int64(len(types)):
		return kindOf(types[h]) == 0
	}
	return false
}

// Grow adds delta elements set to init and returns the old length; ok is
// false (and nothing changes) beyond the maximum.
func (t *Table) Grow(delta, init uint64) (old uint64, ok bool) { return t.grow(delta, init, 0) }

// grow is Grow with both words of the new elements' value (Set2).
func (t *Table) grow(delta, init, initHi uint64) (old uint64, ok bool) {
	old = t.len
	if t.dead {
		return old, false
	}
	lim := tableLimit(t.typ)
	if t.limit != 0 {
		lim = min(lim, t.limit)
	}
	if delta > lim || old+delta > lim || old+delta > 1<<28 {
		return old, false
	}
	need := uintptr(old+delta) * t.elemSize()
	if need > t.cap && t.pooled != nil {
		return old, false // a pooled table grows only inside its slot
	}
	if !t.chg.take(delta * uint64(t.elemSize())) {
		return old, false
	}
	defer func() {
		if !ok {
			t.chg.undo(delta * uint64(t.elemSize()))
		}
	}()
	if need > t.cap {
		n := roundPage(max(need, 2*t.cap))
		var p uintptr
		if t.base == 0 {
			q, err := mmap(n, unix.PROT_READ|unix.PROT_WRITE)
			if err != nil {
				return old, false
			}
			p = q
		} else {
			q, err := unix.MremapPtr(ptr(t.base), t.cap, nil, n, unix.MREMAP_MAYMOVE)
			if err != nil {
				return old, false
			}
			p = uintptr(q)
		}
		t.base, t.cap = p, n
	}
	t.len = old + delta
	for i := old; i < t.len; i++ {
		t.Set2(i, init, initHi)
	}
	t.users.update(uint64(t.base), t.len)
	return old, true
}

func (t *Table) keepAlive(inst *Instance) {
	t.mu.Lock()
	switch {
	case t.keepOne == nil || t.keepOne == inst:
		t.keepOne = inst
	default:
		if t.keep == nil {
			t.keep = map[*Instance]struct{}{}
		}
		t.keep[inst] = struct{}{}
	}
	t.mu.Unlock()
}
