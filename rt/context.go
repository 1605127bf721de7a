package rt

// Calls with a context.Context, and the per-function facts the entry path
// needs on every call (slot counts), computed once.
//
// Cancellation uses the poll of Store.Interrupt and SetTimeout: when ctx
// is done, the execution stops at its next poll (a loop header or function
// entry) with the trap "interrupted", returned wrapped with ctx.Err().

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"

	"wfxc/rt/abi"
	"wfxc/rt/native"
)

// funcSig is what a call of a function needs of its signature.
type funcSig struct {
	nargs, nres int  // argument and result slots
	exnResults  bool // some result is an exnref (pinned after the call)
	top         bool // callTop can call it (a wasm function with a wrapper and at most topSlots slots each way)
}

// sig returns the signature facts of f, set when f was made (withSig).
func (f *Func) sig() *funcSig { return &f.fsig }

// withSig fills in f's signature facts (f.typ and f.inst set) and returns
// f. Every Func is made through it, before it is shared: the facts are
// read without synchronisation.
func (f *Func) withSig() *Func {
	f.fsig = funcSig{nargs: f.slotsOf(f.typ.Params), nres: f.slotsOf(f.typ.Results)}
	if f.inst != nil {
		if w := f.inst.mod.desc.Funcs[f.idx].Wrapper; w != abi.NoCode {
			f.entry = f.inst.mod.text + uintptr(w)
		}
	}
	for _, t := range f.typ.Results {
		f.fsig.exnResults = f.fsig.exnResults || isExnType(t)
	}
	f.fsig.top = f.entry != 0 && f.fsig.nargs <= topSlots && f.fsig.nres <= topSlots
	return f
}

// topSlots is the size of the buffer of callTop.
const topSlots = 8

// callTop is Store.call for its common case, with less work on the way: an
// outermost call (no code of s runs; f.sig().top) of an open instance of
// an open store. Any other call goes the general way. The arguments are
// passed in s.top.
func (s *Store) callTop(f *Func, args, results []uint64) error {
	g := native.G()
	if !s.owner.CompareAndSwap(0, g) {
		return s.call(f, args, results)
	}
	defer s.leaveTop()
	inst := f.inst
	if s.closed || inst.closed {
		return s.call(f, args, results) // its error (the store is entered already: nested)
	}
	if s.dl != nil {
		s.startDeadline()
	}
	s.setField(abi.EctxStackTop, uint64(s.stack+stackSize))
	s.setField(abi.EctxStackLimit, uint64(s.stack+pageSize+stackMargin))
	s.setField(abi.EctxContCurrent, 0)
	s.depth = 1
	buf := &s.top
	for i, a := range args {
		buf[i] = a
	}
	nres := f.fsig.nres
	for i := len(args); i < nres; i++ {
		buf[i] = 0
	}
	if atomic.LoadUint64((*uint64)(ptr(s.ectx+abi.EctxG))) != uint64(g) {
		s.setG()
	}
	m := inst.mod
	err := s.serve(m, native.Call4(m.text+uintptr(m.desc.EnterOff), s.ectx, f.entry, inst.vmctx, uintptr(unsafe.Pointer(buf))))
	// The code and the vmctx are only referenced by address while the
	// execution runs.
	runtime.KeepAlive(inst)
	if len(s.exns.pins) > 0 {
		s.unpinExns(0) // the top level's handles live until the end of the next call
	}
	if err != nil {
		s.mem.fibres.dropChain()
		return err
	}
	for i := range nres {
		results[i] = buf[i]
	}
	if f.fsig.exnResults {
		s.pinResults(f, results, 0)
	}
	return nil
}

// leaveTop ends callTop.
func (s *Store) leaveTop() {
	s.depth = 0
	if s.dl != nil {
		s.stopDeadline()
	}
	s.leave(false)
}

// CallContext is CallInto with a context: when ctx is cancelled or its
// deadline passes during the call, the wasm code is interrupted at its next
// poll (a loop header or function entry) and the call fails with an error
// that wraps both ctx.Err() (errors.Is(err, context.Canceled)) and the
// *Trap "interrupted". Host functions the execution calls find ctx in
// Caller.Context (and rt.HostFunc passes it to a function that takes one).
// context.Background() costs what CallInto does.
func (f *Func) CallContext(ctx context.Context, args, results []uint64) error {
	if f.host != nil || ctx == context.Background() {
		return f.CallInto(args, results)
	}
	if n := f.sig().nargs; len(args) != n {
		return fmt.Errorf("call: %d argument slots, want %d", len(args), n)
	}
	if n := f.sig().nres; len(results) < n {
		return fmt.Errorf("call: room for %d result slots, want %d", len(results), n)
	}
	s := f.inst.store
	nested, err := s.enter()
	if err != nil {
		return err
	}
	defer s.leaveCall(nested, s.depth)
	if s.closed {
		return s.callEntered(f, args, results, nested) // its error
	}
	done := ctx.Done()
	if done != nil {
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	s.ctxs = append(s.ctxs, ctx)
	defer s.popCtx(len(s.ctxs) - 1)
	if done == nil {
		return s.callEntered(f, args, results, nested)
	}
	w := &s.watch
	if w.fire == nil {
		ectx := s.ectx
		w.fire = func() {
			redirectG(ectx)
			w.wg.Done()
		}
	}
	w.wg.Add(1)
	stop := context.AfterFunc(ctx, w.fire)
	err = s.callEntered(f, args, results, nested)
	if stop() {
		w.wg.Done()
	} else {
		w.wg.Wait() // the callback has started: let it end before the store may be closed
	}
	var t *Trap
	if err != nil && ctx.Err() != nil && errors.As(err, &t) && t.Code == abi.TrapInterrupted {
		return fmt.Errorf("%w: %w", ctx.Err(), err)
	}
	return err
}

// ctxWatch is how a store's CallContexts are told that their context is
// done: the AfterFunc callback fire redirects ectx.G, so the execution's
// next poll exits to rt, which finds the context done (ctxDone). A
// callback that comes after the call made a later one yield once, which rt
// then resumes. wg counts the callbacks registered and not yet finished.
type ctxWatch struct {
	fire func()
	wg   sync.WaitGroup
}

// popCtx ends a CallContext: the contexts running are the first n again.
func (s *Store) popCtx(n int) {
	s.ctxs[n] = nil
	s.ctxs = s.ctxs[:n]
}

// ctxDone reports whether the context of a running CallContext is done.
func (s *Store) ctxDone() bool {
	for _, c := range s.ctxs {
		if c.Err() != nil {
			return true
		}
	}
	return false
}
