package rt

// The execution loop (DESIGN.md §3). Go enters generated code through the
// module's enter trampoline with native.Call4; the code runs on the store's
// native stack and comes back only by exiting, with an exit code:
//
//	ExitDone      the wrapper returned; results are in the argument buffer
//	ExitHostCall  call a host import, write its results, resume
//	ExitLibcall   a runtime service (memory.grow), resume
//	ExitYield     the preemption poll fired: let the scheduler act, resume
//	ExitTrap      build the trap and its backtrace, abandon the native stack
//
// Re-entrancy: a host function may call wasm again on the same store while
// the outer execution is suspended in its exit. The nested execution saves
// the ectx fields that describe the suspended one, starts its native stack
// below the suspended SP, and restores the fields when it ends (also when
// it ends with a trap or a host error: the nested frames are abandoned, the
// outer ones are untouched).

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"
	"weak"

	"golang.org/x/sys/unix"

	"wfxc/rt/abi"
	"wfxc/rt/native"
)

const (
	stackSize   = 8 << 20  // native stack reservation
	stackMargin = 64 << 10 // StackLimit is this far above the guard page
	nestedGap   = 256      // bytes left below a suspended SP before a nested entry
	maxFrames   = 256      // backtraces keep at most this many frames,
	tailFrames  = 64       // the outermost this many among them
)

// A Store is an execution context: one ectx and one native stack. Instances
// belong to the store they were instantiated in and run on it.
//
// A Store, and every instance in it, is used by one goroutine at a time:
// a call, instantiation or Close that enters the store while another
// goroutine runs code in it fails with ErrConcurrentEntry (a host function
// calling back into the store on its own goroutine is fine). Separate
// stores run in parallel.
type Store struct {
	// owner is the g of the goroutine running code in the store, 0 while
	// the store is idle (see enter).
	owner atomic.Uintptr

	ectx  uintptr
	stack uintptr // lowest address of the native stack mapping (the guard page)
	depth int     // number of active executions (nested host → wasm calls)
	bufs  [][]uint64
	top   [topSlots]uint64 // the buffer of callTop (context.go)
	mem   *storeMem        // the mappings, freed by Close or when s is collected

	// hostBufs holds, per execution depth, the argument slice and Caller
	// passed to host functions (valid only during the host call).
	hostBufs []hostBuf

	closed bool

	// exns is the exception table: the exceptions wasm code holds
	// exnref handles of (exnref.go).
	exns exnTable

	limits  Limits    // limits.go
	fuelSet bool      // SetFuel was called: the budget is limited
	dl      *deadline // the timeout, nil when none was set (limits.go)
	pool    *Pool     // where instances take their slots from (pool.go), nil: the default allocator

	ctxs []context.Context // of the CallContexts running, innermost last (context.go)

	// lastVM/lastInst cache the last vmctx → instance lookup of an exit
	// (an open instance of this store).
	lastVM   uintptr
	lastInst *Instance

	// The registry of the store's pooled instances (pooledInstanceAt):
	// the store holds them until their slots go back to the pool, and
	// each slot names its store (weakly, by self) and its index in reg.
	regMu   sync.Mutex
	reg     []*Instance
	regFree []int32
	self    weak.Pointer[Store]
}

// ErrConcurrentEntry is the error of entering a store while another
// goroutine runs code in it.
var ErrConcurrentEntry = errors.New("rt: store entered by a second goroutine while another runs code in it (a Store and its instances are for one goroutine at a time)")

// enter claims s for the calling goroutine. nested reports that the
// goroutine already holds it (a host function calling back into wasm);
// another goroutine holding it is ErrConcurrentEntry. The caller calls
// leave(nested) when it is done.
func (s *Store) enter() (nested bool, err error) {
	g := native.G()
	if s.owner.CompareAndSwap(0, g) {
		return false, nil
	}
	if s.owner.Load() == g {
		return true, nil
	}
	return false, ErrConcurrentEntry
}

// leave undoes enter.
func (s *Store) leave(nested bool) {
	if !nested {
		s.owner.Store(0)
	}
}

type hostBuf struct {
	args   []uint64
	caller Caller
}

// instanceAt returns the instance of vmctx vm (nil if there is none).
func (s *Store) instanceAt(vm uintptr) *Instance {
	if vm == s.lastVM && s.lastInst != nil && !s.lastInst.closed {
		return s.lastInst
	}
	inst := pooledInstanceAt(vm)
	if inst == nil {
		inst = instanceAt(vm)
	}
	if inst != nil && inst.store == s && !inst.closed {
		// A closed instance's vmctx may be another's next (its slot or
		// block is reused): only open instances of s are cached, and
		// closing marks them.
		s.lastVM, s.lastInst = vm, inst
	}
	return inst
}

// register adds a pooled instance to the store's registry and names the
// store as its slot's owner.
func (s *Store) register(inst *Instance) {
	s.regMu.Lock()
	var i int32
	if n := len(s.regFree); n > 0 {
		i, s.regFree = s.regFree[n-1], s.regFree[:n-1]
		s.reg[i] = inst
	} else {
		i = int32(len(s.reg))
		s.reg = append(s.reg, inst)
	}
	s.regMu.Unlock()
	inst.ridx = i
	if s.self == (weak.Pointer[Store]{}) {
		s.self = weak.Make(s)
	}
	inst.res.pool.setOwner(inst.res.slot, slotOwner{s.self, i})
}

// unregister removes entry i of the registry (the instance's slot is
// going back to the pool).
func (s *Store) unregister(i int32) {
	s.regMu.Lock()
	if int(i) < len(s.reg) && s.reg[i] != nil {
		s.reg[i] = nil
		s.regFree = append(s.regFree, i)
	}
	s.regMu.Unlock()
}

// registered returns the instance of registry entry i if its vmctx is vm.
func (s *Store) registered(i int32, vm uintptr) *Instance {
	s.regMu.Lock()
	defer s.regMu.Unlock()
	if int(i) < len(s.reg) {
		if inst := s.reg[i]; inst != nil && inst.vmctx == vm {
			return inst
		}
	}
	return nil
}

// NewStore returns a new store. It panics if the operating system refuses
// the store's mappings (out of address space).
func NewStore() *Store {
	ectx, err := blocks.alloc(abi.EctxSize)
	if err != nil {
		panic(fmt.Sprintf("rt: allocating an ectx: %v", err))
	}
	stk, err := mmap(stackSize, unix.PROT_READ|unix.PROT_WRITE)
	if err != nil {
		panic(fmt.Sprintf("rt: allocating a native stack: %v", err))
	}
	if err := mprotect(stk, pageSize, unix.PROT_NONE); err != nil {
		panic(fmt.Sprintf("rt: guard page: %v", err))
	}
	acct := &account{}
	s := &Store{ectx: ectx, stack: stk, mem: &storeMem{ectx: ectx, stack: stk, acct: acct, fibres: fibrePool{ectx: ectx, acct: acct}}}
	store64(ectx+abi.EctxStackTop, uint64(stk+stackSize))
	store64(ectx+abi.EctxStackLimit, uint64(stk+pageSize+stackMargin))
	store64(ectx+abi.EctxFuel, 1<<63) // unlimitedFuel as a uint64
	runtime.AddCleanup(s, (*storeMem).free, s.mem)
	return s
}

// storeMem is a store's non-Go memory.
type storeMem struct {
	once        sync.Once
	ectx, stack uintptr
	fibres      fibrePool
	acct        *account // committed bytes (limits.go)
	exnBuf      uintptr  // values delivered to a landing pad
	exnBufSize  uintptr

	insts   []*instanceRes // open instances, each at its sidx (lifeMu)
	pending []*group       // groups freed at Close: they waited for live continuations (lifeMu)
}

func (m *storeMem) free() {
	m.once.Do(func() {
		m.closePooled()
		blocks.release(m.ectx, abi.EctxSize)
		munmap(m.stack, stackSize)
		m.fibres.free()
		blocks.release(m.exnBuf, m.exnBufSize)
	})
}

// Close releases the store's execution context and native stack at once
// (instead of when the store is collected). Calls into the store's
// instances fail afterwards. Closing a closed store does nothing; closing a
// store that runs code (from a host function) or that another goroutine
// uses is an error.
func (s *Store) Close() error {
	nested, err := s.enter()
	if err != nil {
		return err
	}
	defer s.leave(nested)
	if nested {
		return errors.New("rt: Store.Close while the store runs code")
	}
	if s.closed {
		return nil
	}
	s.closed = true
	s.closeDeadline()
	s.regMu.Lock()
	for _, inst := range s.reg {
		if inst != nil {
			inst.closed = true // calls fail, and no lookup caches it
		}
	}
	s.regMu.Unlock()
	s.mem.closeInstances()
	s.mem.free()
	return nil
}

// Interrupt asks the execution running on s to stop at its next poll (a
// loop header or function entry); it then fails with the trap
// "interrupted". It may be called from any goroutine, but not after Close.
func (s *Store) Interrupt() {
	// Flag first, then the redirect: setG re-reads the flag after writing
	// G, so no interleaving with it loses the interrupt.
	atomic.StoreUint64((*uint64)(ptr(s.ectx+abi.EctxInterrupt)), 1)
	atomic.StoreUint64((*uint64)(ptr(s.ectx+abi.EctxG)), uint64(interruptG()))
}

// interruptWords looks like a g whose stackguard0 asks for preemption: the
// polls of an interrupted execution read it through ectx.G (abi.EctxG).
var interruptWords = [abi.GStackguard0/8 + 1]uint64{abi.GStackguard0 / 8: abi.StackPreempt}

func interruptG() uintptr { return uintptr(ptr(uintptr(unsafe.Pointer(&interruptWords)))) }

// setG points ectx.G at the running goroutine's g, or at interruptWords
// while an interrupt is pending.
func (s *Store) setG() {
	// Already this goroutine's g: nothing to store (a pending interrupt
	// would have replaced it with interruptG), so no fence on the entry path.
	g := uint64(native.G())
	if atomic.LoadUint64((*uint64)(ptr(s.ectx+abi.EctxG))) == g {
		return
	}
	atomic.StoreUint64((*uint64)(ptr(s.ectx+abi.EctxG)), g)
	if atomic.LoadUint64((*uint64)(ptr(s.ectx+abi.EctxInterrupt))) != 0 {
		atomic.StoreUint64((*uint64)(ptr(s.ectx+abi.EctxG)), uint64(interruptG()))
	}
}

func (s *Store) field(off uintptr) uint64       { return load64(s.ectx + off) }
func (s *Store) setField(off uintptr, v uint64) { store64(s.ectx+off, v) }

// savedFields are the ectx fields a nested execution saves and restores.
var savedFields = [...]uintptr{
	abi.EctxHostSP, abi.EctxNativeSP, abi.EctxStackTop, abi.EctxStackLimit, abi.EctxExitCode,
	abi.EctxExitArg, abi.EctxExitArgs, abi.EctxExitVMCtx, abi.EctxTrapPC, abi.EctxTrapFP,
	abi.EctxContCurrent,
}

// buf returns an argument buffer of n slots. Buffers live in the Go heap
// (which never moves objects) and stay referenced by the store while the
// generated code may write them.
func (s *Store) buf(n int) []uint64 {
	if n < 1 {
		n = 1
	}
	for len(s.bufs) <= s.depth {
		s.bufs = append(s.bufs, nil)
	}
	b := s.bufs[s.depth]
	if cap(b) < n {
		b = make([]uint64, n)
		s.bufs[s.depth] = b
	}
	b = b[:n]
	clear(b)
	return b
}

// call runs wasm function f (defined in an instance of s) with args and
// stores its results into results.
func (s *Store) call(f *Func, args, results []uint64) error {
	nested, err := s.enter()
	if err != nil {
		return err
	}
	defer s.leaveCall(nested, s.depth)
	return s.callEntered(f, args, results, nested)
}

// callEntered is call once s is entered (nested as enter returned).
func (s *Store) callEntered(f *Func, args, results []uint64, nested bool) error {
	if s.closed || f.inst.closed || f.entry == 0 {
		return s.callError(f)
	}
	if s.depth > 0 {
		return s.callNested(f, args, results)
	}
	// An outermost execution starts on the main stack, whatever a previous
	// one (maybe trapped on a fibre) left in the ectx.
	s.setField(abi.EctxStackTop, uint64(s.stack+stackSize))
	s.setField(abi.EctxStackLimit, uint64(s.stack+pageSize+stackMargin))
	if !nested && s.dl != nil {
		s.startDeadline()
	}
	return s.execute(f, args, results)
}

// leaveCall ends call: the depth is restored to what it was at the entry
// (depth), the timeout of an outermost call disarmed and the store
// released.
func (s *Store) leaveCall(nested bool, depth int) {
	s.depth = depth
	if !nested {
		if s.dl != nil {
			s.stopDeadline()
		}
		s.leave(false)
	}
}

// callError is why call cannot run f.
func (s *Store) callError(f *Func) error {
	if s.closed {
		return fmt.Errorf("rt: call into a closed store")
	}
	if err := f.inst.checkOpen(); err != nil {
		return err
	}
	return fmt.Errorf("call %s: function has no array-call wrapper", f.inst.mod.funcName(f.idx))
}

// callNested is call from a host function: the ectx fields of the outer
// execution are saved and restored around it, and it runs on the native
// stack below the outer one's.
func (s *Store) callNested(f *Func, args, results []uint64) error {
	var saved [len(savedFields)]uint64
	for i, off := range savedFields {
		saved[i] = s.field(off)
	}
	defer func() {
		for i, off := range savedFields {
			s.setField(off, saved[i])
		}
	}()
	top := (s.field(abi.EctxNativeSP) - nestedGap) &^ 15
	if top < s.field(abi.EctxStackLimit)+16<<10 {
		return &Trap{Code: abi.TrapStackOverflow, Message: abi.TrapMessages[abi.TrapStackOverflow]}
	}
	s.setField(abi.EctxStackTop, top)
	return s.execute(f, args, results)
}

// execute runs f one level deeper than the running execution (if any),
// its stack set up by call or callNested; call restores the depth.
func (s *Store) execute(f *Func, args, results []uint64) error {
	inst := f.inst
	m := inst.mod
	nres := f.sig().nres
	n := max(len(args), nres)
	var buf []uint64
	if d := s.depth; d < len(s.bufs) && cap(s.bufs[d]) >= n {
		buf = s.bufs[d][:n]
		for i := len(args); i < n; i++ {
			buf[i] = 0
		}
	} else {
		buf = s.buf(n)
	}
	for i, a := range args { // loops: cheaper than copy's memmove for a few slots
		buf[i] = a
	}
	s.depth++
	// Every entry from the host starts a chain of continuations of its
	// own: handler searches never cross into the host.
	s.setField(abi.EctxContCurrent, 0)

	err := s.run(m, f.entry, inst.vmctx, buf)
	// The code and the vmctx are only referenced by address while the
	// execution runs.
	runtime.KeepAlive(inst)
	if s.depth == 1 {
		s.unpinExns(0) // the top level's handles live until the end of the next call
	}
	if err != nil {
		s.mem.fibres.dropChain()
		return err
	}
	for i := range nres {
		results[i] = buf[i]
	}
	if f.sig().exnResults {
		s.pinResults(f, results, s.depth-1)
	}
	return nil
}

// run enters the wrapper at fn and services exits until the execution ends.
func (s *Store) run(m *Module, fn, vmctx uintptr, buf []uint64) error {
	enter := m.text + uintptr(m.desc.EnterOff)
	s.setG()
	code := native.Call4(enter, s.ectx, fn, vmctx, uintptrOf(buf))
	err := s.serve(m, code)
	runtime.KeepAlive(buf)
	return err
}

// serve services the exits of an execution, code the first, until it
// ends.
func (s *Store) serve(m *Module, code uintptr) error {
	resume := m.text + uintptr(m.desc.Resume)
	for {
		switch code {
		case abi.ExitDone:
			return nil
		case abi.ExitHostCall:
			if err := s.hostCall(); err != nil {
				return err
			}
		case abi.ExitLibcall:
			if err := s.libcall(); err != nil {
				return err
			}
		case abi.ExitYield:
			preemptPoint()
			if atomic.SwapUint64((*uint64)(ptr(s.ectx+abi.EctxInterrupt)), 0) != 0 || s.timedOut() || s.ctxDone() {
				return &Trap{Code: abi.TrapInterrupted, Message: abi.TrapMessages[abi.TrapInterrupted]}
			}
		case abi.ExitTrap:
			return s.trap()
		default:
			return fmt.Errorf("rt: generated code exited with unknown code %d", code)
		}
		s.setG()
		code = native.Call4(resume, s.ectx, 0, 0, 0)
	}
}

// hostCall services ExitHostCall.
func (s *Store) hostCall() error {
	vm := uintptr(s.field(abi.EctxExitVMCtx))
	idx := s.field(abi.EctxExitArg)
	argp := uintptr(s.field(abi.EctxExitArgs))
	inst := s.instanceAt(vm)
	if inst == nil {
		return fmt.Errorf("rt: host call from unknown vmctx %#x", vm)
	}
	if idx >= uint64(len(inst.imports)) || inst.imports[idx] == nil || inst.imports[idx].host == nil {
		return fmt.Errorf("rt: host call to function %d, which is not a host import", idx)
	}
	f := inst.imports[idx]
	np := slots(f.typ.Params)
	for len(s.hostBufs) <= s.depth {
		s.hostBufs = append(s.hostBufs, hostBuf{})
	}
	hb := &s.hostBufs[s.depth]
	if cap(hb.args) < np {
		hb.args = make([]uint64, np)
	}
	args := hb.args[:np]
	for i := range args {
		args[i] = load64(argp + 8*uintptr(i))
	}
	hb.caller.inst = inst
	// The host's handles of this call are pinned until its results (or
	// its exception) are where wasm code finds them.
	defer s.unpinExns(s.depth)
	res, err := f.host(&hb.caller, args)
	if err != nil {
		// A host function throws into its caller by returning an
		// *Exception; any other error aborts the execution.
		var e *Exception
		if errors.As(err, &e) {
			return s.throw(e)
		}
		return err
	}
	if n := slots(f.typ.Results); len(res) != n {
		return fmt.Errorf("host function %d returned %d result slots, want %d", idx, len(res), n)
	}
	for i, v := range res {
		store64(argp+8*uintptr(i), v)
	}
	return nil
}

// The vmctx registry finds the instance of a vmctx (host calls, libcalls).
var vmctxs struct {
	sync.RWMutex
	m map[uintptr]weak.Pointer[Instance]
}

func registerInstance(inst *Instance) {
	vmctxs.Lock()
	if vmctxs.m == nil {
		vmctxs.m = map[uintptr]weak.Pointer[Instance]{}
	}
	vmctxs.m[inst.vmctx] = weak.Make(inst)
	vmctxs.Unlock()
}

func unregisterInstance(vm uintptr) {
	vmctxs.Lock()
	delete(vmctxs.m, vm)
	vmctxs.Unlock()
}

func instanceAt(vm uintptr) *Instance {
	vmctxs.RLock()
	w := vmctxs.m[vm]
	vmctxs.RUnlock()
	return w.Value()
}

// preemptPoint lets the Go scheduler act on a preemption request that made
// generated code yield. Its stack-check prologue sees the stackguard0 that
// the runtime set to stackPreempt and enters morestack, which parks the
// goroutine for a stack scan (suspendG's preemptStop) or reschedules it —
// what the prologue of any Go function would do at this point.
// runtime.Gosched is no substitute: it is nosplit, and after it the
// scheduler resets stackguard0, so a stack scan waiting for this goroutine
// would keep missing it (measured: GC cycles of seconds).
//
//go:noinline
func preemptPoint() { preemptLeaf() }

//go:noinline
func preemptLeaf() {}
