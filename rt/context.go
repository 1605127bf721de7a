package rt

// Calls with a context.Context, and the per-function facts the entry path
// needs on every call (slot counts), computed once.
//
// Cancellation uses Store.Interrupt: when ctx is done, the execution stops
// at its next poll (a loop header or function entry) with the trap
// "interrupted", returned wrapped with ctx.Err(). An interrupt that comes
// after the call has returned is withdrawn before CallContext returns, so
// it never stops a later call.

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	"wfxc/rt/abi"
)

// funcSig is what a call of a wasm function needs of its signature.
type funcSig struct {
	nargs, nres int  // argument and result slots
	exnResults  bool // some result is an exnref (pinned after the call)
	ready       bool
}

// sig returns the signature facts of f (a wasm function of an instance, or
// a host function), computing them on first use. It is small enough to be
// inlined on the entry path.
func (f *Func) sig() *funcSig {
	if !f.fsig.ready {
		f.computeSig()
	}
	return &f.fsig
}

func (f *Func) computeSig() {
	f.fsig = funcSig{nargs: f.slotsOf(f.typ.Params), nres: f.slotsOf(f.typ.Results), ready: true}
	for _, t := range f.typ.Results {
		f.fsig.exnResults = f.fsig.exnResults || isExnType(t)
	}
}

// CallContext is CallInto with a context: when ctx is cancelled or its
// deadline passes during the call, the wasm code is interrupted and the
// call fails with an error that wraps both ctx.Err() (errors.Is(err,
// context.Canceled)) and the *Trap "interrupted". A context that can never
// be done (context.Background()) costs no more than CallInto. Host
// functions the execution calls find ctx in Caller.Context (for nested
// calls: the outermost call's context).
func (f *Func) CallContext(ctx context.Context, args, results []uint64) error {
	if f.host != nil {
		return f.CallInto(args, results)
	}
	s := f.inst.store
	outer := s.ctx
	if outer == nil {
		s.ctx = ctx // what host functions see (Caller.Context)
	}
	defer func() { s.ctx = outer }()
	if ctx.Done() == nil {
		return f.CallInto(args, results)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	fired := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		s.Interrupt()
		close(fired)
	})
	err := f.CallInto(args, results)
	if !stop() {
		// The interrupt was requested: wait until it is in place, then
		// withdraw it (the execution may have ended before its poll).
		<-fired
		s.withdrawInterrupt()
		var t *Trap
		if errors.As(err, &t) && t.Code == abi.TrapInterrupted {
			return fmt.Errorf("%w: %w", ctx.Err(), err)
		}
	}
	return err
}

// withdrawInterrupt clears a pending Interrupt of s, which must not be
// running code.
func (s *Store) withdrawInterrupt() {
	atomic.StoreUint64((*uint64)(ptr(s.ectx+abi.EctxInterrupt)), 0)
}
