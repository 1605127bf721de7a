package rt

// Fibres (DESIGN.md §6, rt/abi cont.go). Each store has a pool of fibre
// stacks and continuation records (VMContRef). cont.new takes a record and
// a stack from the pool (LibcallContNew); when the continuation's function
// returns, the code gives them back (LibcallContFree): the stack returns to
// the pool (its pages are released once the pool holds many), the record
// stays allocated with a bumped revision so stale references trap, and is
// reused by a later cont.new. Everything is freed when the store is closed
// or collected. The pool also tells the backtrace walker which memory is a
// stack: frame pointers may lead from a fibre into its resumer's stack.

import (
	"fmt"
	"sort"

	"golang.org/x/sys/unix"

	"wfxc/rt/abi"
)

const (
	maxFibres      = 1 << 14 // stacks per store (16 GiB of address space)
	keepFreeStacks = 16      // free stacks kept committed; more are madvised away
)

// fibrePool is a store's fibre stacks and continuation records.
type fibrePool struct {
	stacks     []uintptr // every stack mapping (low address), sorted
	freeStacks []uintptr
	conts      []uintptr // every VMContRef
	freeConts  []uintptr
	bufs       map[uintptr]uintptr // VMContRef → payload buffer size in bytes
	owner      map[uintptr]uintptr // stack (low address) → VMContRef using it
}

// stackOf returns the low address of the fibre stack holding address a.
func (p *fibrePool) stackOf(a uintptr) (uintptr, bool) {
	i := sort.Search(len(p.stacks), func(i int) bool { return p.stacks[i] > a }) - 1
	if i >= 0 && a < p.stacks[i]+abi.FibreStackSize {
		return p.stacks[i], true
	}
	return 0, false
}

// contNew implements LibcallContNew.
func (p *fibrePool) contNew(funcref, slots uint64) (uintptr, error) {
	if slots > 1<<16 {
		return 0, fmt.Errorf("rt: cont.new with %d payload slots", slots)
	}
	var stk uintptr
	if n := len(p.freeStacks); n > 0 {
		stk = p.freeStacks[n-1]
		p.freeStacks = p.freeStacks[:n-1]
	} else {
		if len(p.stacks) >= maxFibres {
			return 0, fmt.Errorf("rt: out of fibre stacks (%d in use)", len(p.stacks))
		}
		s, err := mmap(abi.FibreStackSize, unix.PROT_READ|unix.PROT_WRITE)
		if err != nil {
			return 0, err
		}
		if err := mprotect(s, pageSize, unix.PROT_NONE); err != nil {
			munmap(s, abi.FibreStackSize)
			return 0, err
		}
		i := sort.Search(len(p.stacks), func(i int) bool { return p.stacks[i] >= s })
		p.stacks = append(p.stacks, 0)
		copy(p.stacks[i+1:], p.stacks[i:])
		p.stacks[i] = s
		stk = s
	}
	var c uintptr
	if n := len(p.freeConts); n > 0 {
		c = p.freeConts[n-1]
		p.freeConts = p.freeConts[:n-1]
	} else {
		b, err := blocks.alloc(abi.ContSize)
		if err != nil {
			p.freeStacks = append(p.freeStacks, stk)
			return 0, err
		}
		c = b
		p.conts = append(p.conts, c)
	}
	if p.bufs == nil {
		p.bufs = map[uintptr]uintptr{}
	}
	need := uintptr(max(slots, 1)) * 16
	buf := uintptr(load64(c + abi.ContArgs))
	if have := p.bufs[c]; buf == 0 || have < need {
		blocks.release(buf, have)
		b, err := blocks.alloc(need)
		if err != nil {
			return 0, err
		}
		buf = b
		p.bufs[c] = need
	}
	if p.owner == nil {
		p.owner = map[uintptr]uintptr{}
	}
	p.owner[stk] = c
	store64(c+abi.ContState, abi.ContFresh)
	store64(c+abi.ContStackTop, uint64(stk+abi.FibreStackSize))
	store64(c+abi.ContStackLimit, uint64(stk+pageSize+abi.FibreRedZone))
	store64(c+abi.ContParent, 0)
	store64(c+abi.ContFuncRef, funcref)
	store64(c+abi.ContArgs, uint64(buf))
	store64(c+abi.ContArgsCap, uint64(p.bufs[c]/16))
	store64(c+abi.ContHandlers, 0)
	store64(c+abi.ContHandlers+8, 0)
	return c, nil
}

// contFree implements LibcallContFree.
func (p *fibrePool) contFree(c uintptr) error {
	_, known := p.bufs[c]
	if !known {
		return fmt.Errorf("rt: cont free of unknown continuation %#x", c)
	}
	if load64(c+abi.ContStackTop) == 0 {
		return fmt.Errorf("rt: continuation %#x freed twice", c)
	}
	stk := uintptr(load64(c+abi.ContStackTop)) - abi.FibreStackSize
	delete(p.owner, stk)
	store64(c+abi.ContState, abi.ContReturned)
	store64(c+abi.ContRevision, load64(c+abi.ContRevision)+1)
	store64(c+abi.ContStackTop, 0)
	store64(c+abi.ContStackLimit, 0)
	store64(c+abi.ContParent, 0)
	store64(c+abi.ContFuncRef, 0)
	if len(p.freeStacks) >= keepFreeStacks {
		unix.Madvise(bytesAt(stk+pageSize, abi.FibreStackSize-pageSize), unix.MADV_DONTNEED)
	}
	p.freeStacks = append(p.freeStacks, stk)
	p.freeConts = append(p.freeConts, c)
	return nil
}

// abandonRunning frees the continuations left running by an execution
// that ended with a trap or a host error (their stacks were abandoned).
// Only valid when no execution is active on the store.
func (p *fibrePool) abandonRunning() {
	for _, c := range p.conts {
		if load64(c+abi.ContState) == abi.ContRunning && load64(c+abi.ContStackTop) != 0 {
			p.contFree(c)
		}
	}
}

// isStack reports whether [p, p+n) lies within one fibre stack.
func (p *fibrePool) isStack(a, n uintptr) bool {
	i := sort.Search(len(p.stacks), func(i int) bool { return p.stacks[i] > a }) - 1
	return i >= 0 && a+n <= p.stacks[i]+abi.FibreStackSize
}

// free releases everything (the store is closed or collected).
func (p *fibrePool) free() {
	for _, s := range p.stacks {
		munmap(s, abi.FibreStackSize)
	}
	for _, c := range p.conts {
		blocks.release(uintptr(load64(c+abi.ContArgs)), p.bufs[c])
		blocks.release(c, abi.ContSize)
	}
	*p = fibrePool{}
}
