package rt

// Fibres (DESIGN.md §6, rt/abi cont.go). Each store owns continuation
// records (VMContRef), each with a fibre stack attached for life. The free
// records form a list in non-Go memory whose head is the ectx's
// EctxContFree, so the generated code takes a record at cont.new and gives
// it back when its continuation returns without calling Go; it exits with
// LibcallContNew only when the list is empty, and rt then maps one more
// record and stack. Records are never freed while the store lives (stale
// references must still find their revision); everything is unmapped when
// the store is closed or collected. When an execution ends with an error,
// rt gives the continuations it was running back to the list (dropChain).
// The pool also tells the backtrace and unwinding walkers which memory is
// a stack: frame pointers lead from a fibre into its resumer's stack.
// A pooled store (Store.SetPool) takes its stacks from the Pool's fibre
// stack slots instead of mapping each, and gives them back, decommitted,
// when it is freed. Stacks count against the store's Limits (FibreStacks,
// CommittedBytes).

import (
	"fmt"
	"sort"

	"golang.org/x/sys/unix"

	"wfxc/rt/abi"
)

const maxFibres = 1 << 14 // stacks per store (16 GiB of address space)

// TODO(rt): give the pages of long-unused free stacks back to the system
// (madvise) without a walk of the free list on every call.

// fibrePool is a store's continuation records and their stacks.
type fibrePool struct {
	ectx   uintptr             // the store's ectx, whose EctxContFree heads the free list
	stacks []uintptr           // every stack mapping (low address), sorted
	conts  []uintptr           // every VMContRef
	owner  map[uintptr]uintptr // stack (low address) → its VMContRef
	stack  map[uintptr]uintptr // VMContRef → its stack (low address)
	bufs   map[uintptr]uintptr // VMContRef → payload buffer size in bytes
	size   uintptr             // bytes per stack mapping; 0 means abi.FibreStackSize
	pool   *slotPool           // where stacks come from (Store.SetPool), nil: mmap
	limit  int                 // most stacks (Limits.FibreStacks), 0: maxFibres
	acct   *account            // the store's committed bytes (limits.go)
}

// Bounds of a fibre stack size (SetFibreStackSize).
const (
	MinFibreStackSize = 64 << 10
	MaxFibreStackSize = 256 << 20
)

// stackSize is the size of each of p's stack mappings.
func (p *fibrePool) stackSize() uintptr {
	if p.size == 0 {
		return abi.FibreStackSize
	}
	return p.size
}

// SetFibreStackSize sets the size of the stack of every continuation the
// store will make (default 1 MiB, abi.FibreStackSize): n bytes of address
// space, a multiple of the page size between MinFibreStackSize and
// MaxFibreStackSize, of which the lowest page is a guard and the 32 KiB
// above it a red zone for rt; only touched pages take memory. Exhausting
// it inside a continuation is the trap "call stack exhausted". It must be
// called before the store makes its first continuation.
func (s *Store) SetFibreStackSize(n int) error {
	switch {
	case s.closed:
		return fmt.Errorf("rt: fibre stack size of a closed store")
	case CheckFibreStackSize(n) != nil:
		return CheckFibreStackSize(n)
	case len(s.mem.fibres.conts) > 0:
		return fmt.Errorf("rt: fibre stack size set after the store made continuations")
	}
	s.mem.fibres.size = uintptr(n)
	return nil
}

// CheckFibreStackSize reports a size SetFibreStackSize does not take.
func CheckFibreStackSize(n int) error {
	if n < MinFibreStackSize || n > MaxFibreStackSize || uintptr(n)%pageSize != 0 {
		return fmt.Errorf("rt: fibre stack size %d: want a multiple of %d between %d and %d", n, pageSize, MinFibreStackSize, MaxFibreStackSize)
	}
	return nil
}

// stackOf returns the low address of the fibre stack holding address a.
func (p *fibrePool) stackOf(a uintptr) (uintptr, bool) {
	i := sort.Search(len(p.stacks), func(i int) bool { return p.stacks[i] > a }) - 1
	if i >= 0 && a < p.stacks[i]+p.stackSize() {
		return p.stacks[i], true
	}
	return 0, false
}

// contNew implements LibcallContNew: a new record with its stack, in state
// ContReturned and not on the free list (the caller initialises it).
func (p *fibrePool) contNew() (uintptr, error) {
	if len(p.stacks) >= maxFibres {
		return 0, fmt.Errorf("rt: out of fibre stacks (%d in use)", len(p.stacks))
	}
	if p.limit > 0 && len(p.stacks) >= p.limit {
		return 0, fmt.Errorf("%w: %d fibre stacks, the limit is %d", ErrLimit, len(p.stacks), p.limit)
	}
	if p.pool != nil {
		p.size = p.pool.size
	}
	size := p.stackSize()
	if !p.acct.take(uint64(size)) {
		return 0, p.acct.err("a fibre stack", uint64(size))
	}
	stk, err := p.newStack(size)
	if err != nil {
		p.acct.give(uint64(size))
		return 0, err
	}
	c, err := blocks.alloc(abi.ContSize)
	if err != nil {
		p.freeStack(stk, size)
		p.acct.give(uint64(size))
		return 0, err
	}
	i := sort.Search(len(p.stacks), func(i int) bool { return p.stacks[i] >= stk })
	p.stacks = append(p.stacks, 0)
	copy(p.stacks[i+1:], p.stacks[i:])
	p.stacks[i] = stk
	p.conts = append(p.conts, c)
	if p.owner == nil {
		p.owner = map[uintptr]uintptr{}
	}
	p.owner[stk] = c
	if p.stack == nil {
		p.stack = map[uintptr]uintptr{}
	}
	p.stack[c] = stk
	store64(c+abi.ContState, abi.ContReturned)
	store64(c+abi.ContStackTop, uint64(stk+size-stackColour(len(p.conts)-1, size)))
	store64(c+abi.ContStackLimit, uint64(stk+pageSize+abi.FibreRedZone))
	store64(c+abi.ContLeaf, uint64(c))
	if err := p.contArgs(c, abi.ContArgsMin); err != nil {
		return 0, err // the record is the pool's: free releases it
	}
	return c, nil
}

// newStack maps a stack of size bytes with its guard page, or takes one
// from the pool.
func (p *fibrePool) newStack(size uintptr) (uintptr, error) {
	if p.pool != nil {
		i, err := p.pool.alloc(nil)
		if err != nil {
			return 0, err
		}
		return p.pool.addr(i), nil
	}
	stk, err := mmap(size, unix.PROT_READ|unix.PROT_WRITE)
	if err != nil {
		return 0, err
	}
	if err := mprotect(stk, pageSize, unix.PROT_NONE); err != nil {
		munmap(stk, size)
		return 0, err
	}
	return stk, nil
}

// freeStack unmaps a stack, or gives it back to the pool with its pages
// decommitted (the guard stays).
func (p *fibrePool) freeStack(stk, size uintptr) {
	if p.pool == nil {
		munmap(stk, size)
		return
	}
	decommit(stk+pageSize, size-pageSize)
	p.pool.release(int((stk-p.pool.base)/p.pool.size), 0)
}

// known reports whether c is one of the pool's records.
func (p *fibrePool) known(c uintptr) bool {
	_, ok := p.stack[c]
	return ok
}

// stackColour is how far below the top of its mapping stack n starts: the
// tops of many stacks, a mapping size apart, would otherwise fall into the
// same cache sets (measured: c10m with 10,000 live continuations). A
// multiple of 64 below 64 KiB (a sixteenth of the stack if that is less),
// well inside the red zone's margin.
func stackColour(n int, size uintptr) uintptr {
	return uintptr(n*1088) % min(64<<10, size/16) &^ 63
}

// contArgs implements LibcallContArgs: grow c's payload buffer to at least
// slots 8-byte slots, keeping its contents.
func (p *fibrePool) contArgs(c uintptr, slots uint64) error {
	if !p.known(c) {
		return fmt.Errorf("rt: payload buffer of unknown continuation %#x", c)
	}
	if slots > 1<<16 {
		return fmt.Errorf("rt: continuation payload of %d slots", slots)
	}
	if p.bufs == nil {
		p.bufs = map[uintptr]uintptr{}
	}
	have := p.bufs[c]
	need := uintptr(slots) * 8
	if need <= have {
		return nil
	}
	need = max(need, 2*have)
	b, err := blocks.alloc(need)
	if err != nil {
		return err
	}
	old := uintptr(load64(c + abi.ContArgs))
	for i := uintptr(0); i < have; i += 8 {
		store64(b+i, load64(old+i))
	}
	blocks.release(old, have)
	p.bufs[c] = need
	store64(c+abi.ContArgs, uint64(b))
	store64(c+abi.ContArgsCap, uint64(need/8))
	return nil
}

// contFree gives a live continuation's record back to the free list; its
// revision is bumped so every remaining reference traps.
func (p *fibrePool) contFree(c uintptr) error {
	if !p.known(c) {
		return fmt.Errorf("rt: free of unknown continuation %#x", c)
	}
	if st := load64(c + abi.ContState); st != abi.ContLive && st != abi.ContFresh {
		return fmt.Errorf("rt: continuation %#x freed twice", c)
	}
	store64(c+abi.ContState, abi.ContReturned)
	store64(c+abi.ContRevision, load64(c+abi.ContRevision)+1)
	store64(c+abi.ContNArgs, 0)
	store64(c+abi.ContParent, load64(p.ectx+abi.EctxContFree))
	store64(p.ectx+abi.EctxContFree, uint64(c))
	return nil
}

// dropChain frees the continuations the current execution is running —
// the chain from EctxContCurrent to the execution's base stack — when it
// ended with a trap or an error: their stacks are abandoned. Suspended
// continuations stay valid.
func (p *fibrePool) dropChain() {
	c := uintptr(load64(p.ectx + abi.EctxContCurrent))
	for n := 0; c != 0 && n < len(p.conts); n++ {
		next := uintptr(load64(c + abi.ContParent))
		if p.contFree(c) != nil {
			break
		}
		c = next
	}
	store64(p.ectx+abi.EctxContCurrent, 0)
}

// live counts the records that are not on the free list.
func (p *fibrePool) live() int {
	n := len(p.conts)
	for c := uintptr(load64(p.ectx + abi.EctxContFree)); c != 0 && n > 0; c = uintptr(load64(c + abi.ContParent)) {
		n--
	}
	return n
}

// isStack reports whether [p, p+n) lies within one fibre stack.
func (p *fibrePool) isStack(a, n uintptr) bool {
	i := sort.Search(len(p.stacks), func(i int) bool { return p.stacks[i] > a }) - 1
	return i >= 0 && a+n <= p.stacks[i]+p.stackSize()
}

// free releases everything (the store is closed or collected).
func (p *fibrePool) free() {
	for _, s := range p.stacks {
		p.freeStack(s, p.stackSize())
	}
	p.acct.give(uint64(len(p.stacks)) * uint64(p.stackSize()))
	for _, c := range p.conts {
		blocks.release(uintptr(load64(c+abi.ContArgs)), p.bufs[c])
		blocks.release(c, abi.ContSize)
	}
	*p = fibrePool{}
}

// Continuations reports how many continuation records the store has and
// how many of them belong to a live continuation (not on the free list).
func (s *Store) Continuations() (live, total int) {
	if s.closed {
		return 0, 0
	}
	return s.mem.fibres.live(), len(s.mem.fibres.conts)
}
