package rt

import (
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"sync"
	"sync/atomic"

	"golang.org/x/sys/unix"

	"wfxc/rt/abi"
)

// An Extern is something an instance can import or export: *Func, *Global,
// *Memory or *Table.
type Extern interface {
	externKind() byte
}

func (*Func) externKind() byte   { return abi.ExternFunc }
func (*Global) externKind() byte { return abi.ExternGlobal }
func (*Memory) externKind() byte { return abi.ExternMemory }
func (*Table) externKind() byte  { return abi.ExternTable }
func (*Tag) externKind() byte    { return abi.ExternTag }

// A Tag is an exception or control tag; its identity is the object (for
// generated code: id, abi.VMCtxLayout.Tags).
type Tag struct {
	typ   abi.FuncType
	tid   uint32 // canonical type id, 0 when unknown
	id    uint64 // nonzero, unique in the process
	slots []int  // the payload slots of each parameter (a continuation reference takes two)
}

// tagIDs numbers tags.
var tagIDs atomic.Uint64

func newTag(typ abi.FuncType, tid uint32, types []abi.FuncType) *Tag {
	t := &Tag{typ: typ, tid: tid, id: tagIDs.Add(1)}
	for _, p := range typ.Params {
		t.slots = append(t.slots, p.SlotsIn(types))
	}
	return t
}

// NewTag returns a new host tag of type t (parameters only).
func NewTag(t abi.FuncType) *Tag { return newTag(t, canonicalTypeID(t), nil) }

// ParamSlots returns how many 8-byte payload slots each of t's parameters
// takes, in order (Exception.Payload holds them one after the other): two
// for a continuation reference, one for every other type.
func (t *Tag) ParamSlots() []int { return t.slots }

// Type returns the tag's type.
func (t *Tag) Type() abi.FuncType { return t.typ }

// RawHostFunc is the Go implementation of a host function: it receives the
// parameters as raw 8-byte slots (a v128 takes two) and returns the results
// the same way. args and c are only valid during the call. A non-nil error aborts the wasm execution that called it
// and is returned from the outermost Func.Call (a *Trap stays a *Trap).
// HostFunc (hostfunc.go) makes host functions of typed Go functions.
type RawHostFunc func(c *Caller, args []uint64) ([]uint64, error)

// A Caller is what a host function knows about its caller.
type Caller struct {
	inst *Instance
}

// Instance returns the instance whose code called the host function (nil
// when the host function was called directly from Go).
func (c *Caller) Instance() *Instance {
	if c == nil {
		return nil
	}
	return c.inst
}

// A Func is a function: a wasm function of an instance, or a host function.
type Func struct {
	typ  abi.FuncType
	inst *Instance    // wasm: defining instance
	idx  int          // wasm: index in inst's function space
	host RawHostFunc  // host function
	gofn reflect.Type // the Go function of a HostFunc (for link errors)
	tid  uint32       // host function: the canonical id of typ (set when made)
	fsig funcSig      // slot counts, see sig
	// entry is the address of a wasm function's array-call wrapper (0:
	// it has none).
	entry uintptr
	// ref is the function's funcref record (for a host function: allocated
	// on demand per importing instance, see Instance.funcRef).
}

// NewHostFunc returns a host function of type t. Host functions belong to
// no store: they run on the goroutine of whichever execution calls them.
func NewHostFunc(t abi.FuncType, fn func(args []uint64) ([]uint64, error)) *Func {
	return (&Func{typ: t, tid: canonicalTypeID(t), host: func(_ *Caller, args []uint64) ([]uint64, error) { return fn(args) }}).withSig()
}

// NewHostFuncCaller is NewHostFunc for functions that need their caller
// (for example to reach its exported memory).
func NewHostFuncCaller(t abi.FuncType, fn RawHostFunc) *Func {
	return (&Func{typ: t, tid: canonicalTypeID(t), host: fn}).withSig()
}

// Type returns the function's signature.
func (f *Func) Type() abi.FuncType { return f.typ }

// IsHost reports whether f is a host function.
func (f *Func) IsHost() bool { return f.host != nil }

// paramSlots and resultSlots count 8-byte slots.
func slots(ts []abi.ValType) int {
	n := 0
	for _, t := range ts {
		n += t.Slots()
	}
	return n
}

// slotsOf counts the 8-byte slots of f's values ts (of f's module's types:
// continuation references take two).
func (f *Func) slotsOf(ts []abi.ValType) int {
	if f.inst == nil {
		return slots(ts)
	}
	n := 0
	for _, t := range ts {
		n += t.SlotsIn(f.inst.mod.desc.Types)
	}
	return n
}

// Call calls f with raw argument slots and returns its raw result slots.
// A trap is returned as a *Trap.
func (f *Func) Call(args ...uint64) ([]uint64, error) {
	res := make([]uint64, f.slotsOf(f.typ.Results))
	if err := f.CallInto(args, res); err != nil {
		return nil, err
	}
	return res, nil
}

// CallInto is Call with the results stored into results (which must hold
// the function's result slots); it does not allocate.
func (f *Func) CallInto(args, results []uint64) error {
	if n := f.sig().nargs; len(args) != n {
		return fmt.Errorf("call: %d argument slots, want %d", len(args), n)
	}
	if n := f.sig().nres; len(results) < n {
		return fmt.Errorf("call: room for %d result slots, want %d", len(results), n)
	}
	if f.host != nil {
		return f.callHost(args, results)
	}
	if f.sig().top {
		return f.inst.store.callTop(f, args, results)
	}
	return f.inst.store.call(f, args, results)
}

// callHost calls a host function directly from Go. The arguments are
// copied: host functions may keep their slice, callers' slices stay
// theirs (and need not escape).
func (f *Func) callHost(args, results []uint64) error {
	res, err := f.host(&Caller{}, append([]uint64(nil), args...))
	if err != nil {
		return err
	}
	if n := slots(f.typ.Results); len(res) != n {
		return fmt.Errorf("host function returned %d result slots, want %d", len(res), n)
	}
	copy(results, res)
	return nil
}

// A Global is a global variable: a 16-byte slot of non-Go memory (inside
// the vmctx of the instance that defines it, or allocated by NewGlobal).
type Global struct {
	typ     abi.ValType
	mutable bool
	addr    uintptr
	owner   *Instance // keeps the defining instance's vmctx alive
	life    *group    // host globals of reference type: the instances that imported it (lifetime.go)
}

// NewGlobal returns a host global of type t holding v (for a v128: the low
// half; use SetV128 for both halves).
func NewGlobal(t abi.ValType, mutable bool, v uint64) *Global {
	p, err := blocks.alloc(16)
	if err != nil {
		panic(fmt.Sprintf("rt: allocating a global: %v", err))
	}
	g := &Global{typ: t, mutable: mutable, addr: p}
	store64(p, v)
	runtime.AddCleanup(g, func(p uintptr) { blocks.release(p, 16) }, p)
	return g
}

// Type returns the global's value type and mutability.
func (g *Global) Type() (abi.ValType, bool) { return g.typ, g.mutable }

// Get returns the global's value (the low 8 bytes of a v128).
func (g *Global) Get() uint64 { return load64(g.addr) }

// GetV128 returns both halves of a v128 global.
func (g *Global) GetV128() (lo, hi uint64) { return load64(g.addr), load64(g.addr + 8) }

// Set stores v in the global (regardless of mutability: the host may).
func (g *Global) Set(v uint64) { store64(g.addr, v) }

// SetV128 stores both halves of a v128 global.
func (g *Global) SetV128(lo, hi uint64) { store64(g.addr, lo); store64(g.addr+8, hi) }

// A Memory is a linear memory. Its bytes are a private anonymous mapping
// that moves when the memory grows (mremap), so a slice from Bytes is only
// valid until the next Grow.
type Memory struct {
	typ abi.Memory
	*memMap
	users  slotSet   // vmctx slots holding {base, length} of this memory
	life   *group    // the defining instance's lifetime group (nil for host memories; lifetime.go)
	limit  uint64    // most bytes it may grow to (0: its type's limit; limits.go)
	pooled *poolSlot // the pool slot it lives in (pool.go), or nil
}

// memMap is a memory's mapping, boxed so that the cleanup that unmaps it
// sees where it has moved to.
type memMap struct {
	base    uintptr // 0 while the size is 0 (unless reserved)
	size    uintptr // bytes
	reserve uintptr // a guard-page memory's reservation (abi.GuardReserve), else 0
	dead    bool    // freed by Instance.Close or Store.Close
	chg     charge  // bytes taken from the store's committed memory (limits.go)
}

// slotSet is a set of vmctx slot addresses that mirror a memory's or
// table's {base, length}. Instances add their slots at instantiation and
// remove them when they are collected (on the cleanup goroutine).
// The first slot is held without a map (most memories and tables are
// only their defining instance's).
type slotSet struct {
	mu  sync.Mutex
	one uintptr // a slot, or 0
	m   map[uintptr]struct{}
}

func (s *slotSet) add(p uintptr) {
	s.mu.Lock()
	if s.one == 0 {
		s.one = p
	} else {
		if s.m == nil {
			s.m = map[uintptr]struct{}{}
		}
		s.m[p] = struct{}{}
	}
	s.mu.Unlock()
}

func (s *slotSet) remove(p uintptr) {
	s.mu.Lock()
	if s.one == p {
		s.one = 0
	} else {
		delete(s.m, p)
	}
	s.mu.Unlock()
}

// update writes {base, length} into every slot.
func (s *slotSet) update(base, length uint64) {
	s.mu.Lock()
	if s.one != 0 {
		store64(s.one, base)
		store64(s.one+8, length)
	}
	for p := range s.m {
		store64(p, base)
		store64(p+8, length)
	}
	s.mu.Unlock()
}

// NewMemory returns a 32-bit memory of min pages (64 KiB each), growable
// to max pages when hasMax. On linux/amd64 it is a guard-page memory
// (NewGuardMemory), which modules compiled either way may import.
func NewMemory(min, max uint64, hasMax bool) (*Memory, error) {
	t := abi.Memory{Min: min, Max: max, HasMax: hasMax, PageLog2: 16}
	if guardMemories {
		return newGuardMemory(t)
	}
	return newMemory(t)
}

// NewGuardMemory is NewMemory for a guard-page memory, which modules
// compiled with guard pages (and all others) may import; it fails where
// guard pages are not implemented.
func NewGuardMemory(min, max uint64, hasMax bool) (*Memory, error) {
	if !guardMemories {
		return nil, fmt.Errorf("memory: guard-page memories need linux/amd64")
	}
	return newGuardMemory(abi.Memory{Min: min, Max: max, HasMax: hasMax, PageLog2: 16})
}

func pageLog2(t abi.Memory) uint {
	if t.PageLog2 == 0 {
		return 16
	}
	return uint(t.PageLog2)
}

// limitPages is the largest number of pages a memory of type t may have.
func limitPages(t abi.Memory) uint64 {
	bits := uint(32)
	if t.Is64 {
		bits = 48 // what the hardware can address anyway
	}
	lim := uint64(1) << (bits - pageLog2(t))
	if t.HasMax && t.Max < lim {
		lim = t.Max
	}
	return lim
}

func newMemory(t abi.Memory) (*Memory, error) { return mapMemory(t, 0) }

// newGuardMemory is newMemory for code compiled with guard pages
// (abi.Descriptor.GuardPages): the memory is a reservation of
// abi.GuardReserve bytes that are inaccessible beyond its size, and it grows
// in place, so its base never moves.
func newGuardMemory(t abi.Memory) (*Memory, error) {
	if t.Is64 || t.Shared || pageLog2(t) < 12 {
		return nil, fmt.Errorf("memory: a guard-page memory must be 32-bit, unshared, with pages of at least 4 KiB")
	}
	return mapMemory(t, abi.GuardReserve)
}

// mapMemory maps a memory of type t at its minimum size: inside a
// PROT_NONE reservation of reserve bytes when reserve is not 0 (a
// guard-page memory), else on its own (none while the size is 0).
func mapMemory(t abi.Memory, reserve uintptr) (*Memory, error) {
	if t.Min > limitPages(t) {
		return nil, fmt.Errorf("memory: minimum %d pages exceeds the limit %d", t.Min, limitPages(t))
	}
	m := &Memory{typ: t, memMap: &memMap{reserve: reserve}}
	n := uintptr(t.Min) << pageLog2(t)
	switch {
	case reserve != 0:
		p, err := reservations.take(reserve)
		if err != nil {
			return nil, fmt.Errorf("memory: guard-page reservation: %w", err)
		}
		if err := mprotect(p, n, unix.PROT_READ|unix.PROT_WRITE); err != nil {
			reservations.give(p, reserve, n)
			return nil, fmt.Errorf("memory: %w", err)
		}
		m.base, m.size = p, n
	case n > 0:
		p, err := mmap(n, unix.PROT_READ|unix.PROT_WRITE)
		if err != nil {
			return nil, err
		}
		m.base, m.size = p, n
	}
	runtime.AddCleanup(m, func(mm *memMap) { mm.unmap(); mm.chg.settle() }, m.memMap)
	return m, nil
}

// unmap releases the mapping (the whole reservation of a guard-page
// memory).
func (mm *memMap) unmap() {
	if mm.reserve != 0 {
		reservations.give(mm.base, mm.reserve, mm.size)
	} else {
		munmap(mm.base, roundPage(mm.size))
	}
	mm.base, mm.size, mm.reserve = 0, 0, 0
}

// Guarded reports whether the memory is a guard-page reservation (its
// own, or a guard-page pool slot), which code compiled with guard pages
// requires of the 32-bit memories it imports.
func (m *Memory) Guarded() bool {
	if m.pooled != nil {
		return m.pooled.sp.acc != nil && !m.typ.Is64 && !m.typ.Shared && pageLog2(m.typ) >= 12
	}
	return m.reserve != 0
}

// Type returns the memory's type with its current size as the minimum.
func (m *Memory) Type() abi.Memory {
	t := m.typ
	t.Min = m.Pages()
	return t
}

// Pages returns the current size in pages.
func (m *Memory) Pages() uint64 { return uint64(m.size) >> pageLog2(m.typ) }

// Bytes returns the memory's contents (valid until the next Grow).
func (m *Memory) Bytes() []byte { return bytesAt(m.base, m.size) }

// Base returns the address of the memory's first byte (0 when empty).
func (m *Memory) Base() uintptr { return m.base }

// Grow adds delta pages and returns the old size in pages; ok is false (and
// nothing changes) when the result would exceed the maximum or the mapping
// cannot grow.
func (m *Memory) Grow(delta uint64) (old uint64, ok bool) {
	old = m.Pages()
	if m.dead {
		return old, false
	}
	if delta == 0 {
		return old, true
	}
	lim := limitPages(m.typ)
	if delta > lim || old+delta > lim || m.limit != 0 && old+delta > m.limit>>pageLog2(m.typ) {
		return old, false
	}
	if !m.chg.take(delta << pageLog2(m.typ)) {
		return old, false
	}
	defer func() {
		if !ok {
			m.chg.undo(delta << pageLog2(m.typ))
		}
	}()
	if m.pooled != nil {
		return m.growPooled(old, delta)
	}
	n := uintptr(old+delta) << pageLog2(m.typ)
	if m.reserve != 0 {
		// In place: the pages past the size become accessible.
		from := roundPage(m.size)
		if n > m.reserve-abi.GuardBytes {
			return old, false
		}
		if mprotect(m.base+from, roundPage(n)-from, unix.PROT_READ|unix.PROT_WRITE) != nil {
			// A partial change must not leave pages past the size
			// accessible to code that relies on them faulting.
			mprotect(m.base+from, roundPage(n)-from, unix.PROT_NONE)
			return old, false
		}
		m.size = n
		m.users.update(uint64(m.base), uint64(m.size))
		return old, true
	}
	var p uintptr
	if m.base == 0 {
		q, err := mmap(n, unix.PROT_READ|unix.PROT_WRITE)
		if err != nil {
			return old, false
		}
		p = q
	} else {
		q, err := unix.MremapPtr(ptr(m.base), roundPage(m.size), nil, roundPage(n), unix.MREMAP_MAYMOVE)
		if err != nil {
			return old, false
		}
		p = uintptr(q)
	}
	m.base, m.size = p, n
	m.users.update(uint64(m.base), uint64(m.size))
	return old, true
}

// reservations keeps a few guard-page reservations of freed memories for
// the next ones: taking one costs an mprotect instead of an mmap, and
// giving one back a madvise and an mprotect instead of an munmap. A kept
// reservation is all PROT_NONE and decommitted (it reads as zeros when
// made accessible again).
var reservations reservationCache

type reservationCache struct {
	mu   sync.Mutex
	free []uintptr // reservations of abi.GuardReserve bytes
}

const reservationsKept = 16

// take returns a PROT_NONE reservation of n bytes.
func (c *reservationCache) take(n uintptr) (uintptr, error) {
	if n == abi.GuardReserve {
		c.mu.Lock()
		if k := len(c.free); k > 0 {
			p := c.free[k-1]
			c.free = c.free[:k-1]
			c.mu.Unlock()
			return p, nil
		}
		c.mu.Unlock()
	}
	var p uintptr
	err := retryAfterGC(func() (err error) { p, err = mmap(n, unix.PROT_NONE); return err },
		func(err error) bool { return errors.Is(err, unix.ENOMEM) })
	return p, err
}

// give releases reservation p of n bytes whose first used bytes may be
// accessible and dirty.
func (c *reservationCache) give(p, n, used uintptr) {
	if p == 0 {
		return
	}
	if n == abi.GuardReserve {
		decommit(p, used)
		// All of it, not only the used bytes: nothing may stay
		// accessible past the size of the memory that takes it next.
		if mprotect(p, n, unix.PROT_NONE) == nil {
			c.mu.Lock()
			if len(c.free) < reservationsKept {
				c.free = append(c.free, p)
				c.mu.Unlock()
				return
			}
			c.mu.Unlock()
		}
	}
	munmap(p, n)
}
