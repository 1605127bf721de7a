package rt

// Bounding a run: fuel, timeouts and resource limits of a store.
//
//   - Fuel is counted by objects compiled with fuel metering
//     (compile.Options.Fuel, frontend/fuel.go) in the ectx
//     (abi.EctxFuel, minus the fuel left); their code traps "all fuel
//     consumed" at a function entry or loop header once it is used up.
//     Objects compiled without it ignore the store's fuel.
//   - A timeout interrupts an outermost call that runs longer, through the
//     existing poll (Store.Interrupt's mechanism: ectx.G points at words
//     that ask for preemption): the call fails with the trap
//     "interrupted". The timer's callback only redirects ectx.G and
//     records which call it fired for; a late callback makes a later call
//     yield once, which rt then resumes.
//   - Limits bound memories, tables, instances, fibre stacks and the
//     store's committed memory: memory.grow and table.grow past a limit
//     fail (-1), instantiation over it is an error wrapping ErrLimit, and
//     so is cont.new (a trap) past the fibre stacks or committed bytes.
//     Committed bytes are counted by an account every store has: the
//     current sizes of the linear memories and tables its instances define
//     and of its fibre stacks' mappings,
//     charged when they are made or grown and given back when they are
//     freed (by Close or, for what the collector frees, its cleanup).

import (
	"errors"
	"fmt"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"wfxc/rt/abi"
)

// Limits bound what a store's instances may use; a zero field means no
// limit.
type Limits struct {
	MemoryBytes   uint64 // largest size of one linear memory in bytes
	TableElements uint64 // largest size of one table in elements
	Instances     int    // most open instances in the store
	FibreStacks   int    // most fibre stacks (one per continuation record) of the store
	// CommittedBytes bounds the store's committed memory: linear memories,
	// tables and fibre stacks together, at their current sizes.
	CommittedBytes uint64
}

// ErrLimit is the error of an instantiation over one of the store's
// Limits (errors.Is).
var ErrLimit = errors.New("rt: store limit exceeded")

// SetLimits sets the limits for instances created in s from now on; the
// fibre stack and committed memory limits hold from now on for everything
// the store has (what it has already is not taken away).
func (s *Store) SetLimits(l Limits) {
	s.limits = l
	s.mem.fibres.limit = l.FibreStacks
	s.mem.acct.limit.Store(l.CommittedBytes)
}

// Committed returns the store's committed bytes (Limits.CommittedBytes).
func (s *Store) Committed() uint64 { return s.mem.acct.used.Load() }

// An account counts a store's committed bytes against its limit. Its
// methods accept a nil account (nothing counted). The store runs on one
// goroutine at a time, but cleanups give back from their own.
type account struct {
	used  atomic.Uint64
	limit atomic.Uint64 // 0: none
}

// take charges n bytes, or reports false (nothing charged) over the limit.
func (a *account) take(n uint64) bool {
	if a == nil || n == 0 {
		return true
	}
	u := a.used.Add(n)
	if l := a.limit.Load(); l != 0 && (u > l || u < n) {
		a.used.Add(-n)
		return false
	}
	return true
}

// give returns n bytes taken before.
func (a *account) give(n uint64) {
	if a != nil && n != 0 {
		a.used.Add(-n)
	}
}

// A charge is what a memory or table has taken from its store's account
// (acct nil: none).
type charge struct {
	acct *account
	n    uint64
}

// take charges n more bytes, or reports false over the limit.
func (c *charge) take(n uint64) bool {
	if c.acct == nil {
		return true
	}
	if !c.acct.take(n) {
		return false
	}
	c.n += n
	return true
}

// undo gives back n bytes of a take whose growth failed.
func (c *charge) undo(n uint64) {
	if c.acct != nil {
		c.acct.give(n)
		c.n -= n
	}
}

// settle gives back everything (the memory or table is freed).
func (c *charge) settle() {
	c.acct.give(c.n)
	c.n = 0
}

// err is the error of charging n bytes for what over the limit.
func (a *account) err(what string, n uint64) error {
	return fmt.Errorf("%w: %s of %d bytes over the committed memory limit of %d (%d committed)", ErrLimit, what, n, a.limit.Load(), a.used.Load())
}

// unlimitedFuel is the fuel counter of a store without a budget: so far
// below 0 that no run reaches it.
const unlimitedFuel = math.MinInt64

// SetFuel gives the store a budget of n units of fuel (about one per wasm
// instruction; see frontend/fuel.go) for code compiled with fuel
// metering: the code traps "all fuel consumed" once it has used it up.
// Without SetFuel the budget is unlimited.
func (s *Store) SetFuel(n uint64) {
	if n > math.MaxInt64 {
		n = math.MaxInt64
	}
	s.setField(abi.EctxFuel, uint64(-int64(n)))
	s.fuelSet = true
}

// Fuel returns the fuel left (math.MaxUint64 when the budget is
// unlimited).
func (s *Store) Fuel() uint64 {
	c := int64(s.field(abi.EctxFuel))
	switch {
	case !s.fuelSet:
		return math.MaxUint64
	case c >= 0:
		return 0
	}
	return uint64(-c)
}

// deadline is a store's timeout.
type deadline struct {
	d     time.Duration
	timer *time.Timer
	gen   atomic.Uint64 // odd while an outermost call runs under the timer
	fired atomic.Uint64 // the gen the timer fired in
	mu    sync.Mutex    // orders the callback's write of ectx.G with Close
	dead  bool          // the store is closed
}

// SetTimeout makes every outermost call into s (a call from Go, not from a
// host function) fail with the trap "interrupted" when it runs longer than
// d; 0 removes the timeout.
func (s *Store) SetTimeout(d time.Duration) {
	if s.dl == nil {
		if d <= 0 {
			return
		}
		dl := &deadline{}
		ectx := s.ectx
		dl.timer = time.AfterFunc(time.Hour, func() {
			dl.mu.Lock()
			defer dl.mu.Unlock()
			if g := dl.gen.Load(); g&1 == 1 && !dl.dead {
				dl.fired.Store(g)
				redirectG(ectx)
			}
		})
		dl.timer.Stop()
		s.dl = dl
	}
	s.dl.d = d
}

// startDeadline arms the timeout for an outermost call.
func (s *Store) startDeadline() {
	if dl := s.dl; dl != nil && dl.d > 0 {
		dl.gen.Add(1)
		dl.timer.Reset(dl.d)
	}
}

// stopDeadline disarms it.
func (s *Store) stopDeadline() {
	if dl := s.dl; dl != nil && dl.gen.Load()&1 == 1 {
		dl.timer.Stop()
		dl.gen.Add(1)
	}
}

// timedOut reports whether the running outermost call's timeout passed.
func (s *Store) timedOut() bool {
	dl := s.dl
	return dl != nil && dl.gen.Load()&1 == 1 && dl.fired.Load() == dl.gen.Load()
}

// closeDeadline stops the timer for good (Store.Close).
func (s *Store) closeDeadline() {
	if dl := s.dl; dl != nil {
		dl.timer.Stop()
		dl.mu.Lock()
		dl.dead = true
		dl.mu.Unlock()
	}
}

// checkLimits is the error of instantiating m in s over its limits.
func (s *Store) checkLimits(m *Module) error {
	l := s.limits
	if l.Instances > 0 {
		lifeMu.Lock()
		n := len(s.mem.insts)
		lifeMu.Unlock()
		if n >= l.Instances {
			return fmt.Errorf("%w: %d open instances, the limit is %d", ErrLimit, n, l.Instances)
		}
	}
	for i, mt := range m.desc.Memories {
		if !mt.Imported && l.MemoryBytes != 0 && mt.Min > l.MemoryBytes>>pageLog2(mt) {
			return fmt.Errorf("%w: memory %d of %d pages is larger than %d bytes", ErrLimit, i, mt.Min, l.MemoryBytes)
		}
	}
	for i, tt := range m.desc.Tables {
		if !tt.Imported && l.TableElements != 0 && tt.Min > l.TableElements {
			return fmt.Errorf("%w: table %d of %d elements is larger than %d", ErrLimit, i, tt.Min, l.TableElements)
		}
	}
	return nil
}

// redirectG points ectx.G at the interrupt words, so that the next poll
// of the code running on ectx exits with ExitYield.
func redirectG(ectx uintptr) {
	atomic.StoreUint64((*uint64)(ptr(ectx+abi.EctxG)), uint64(interruptG()))
}
