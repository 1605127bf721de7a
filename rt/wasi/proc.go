package wasi

import (
	"crypto/rand"
	"runtime"

	"golang.org/x/sys/unix"
)

// Arguments, environment, clocks, randomness, scheduling and signals.

func (w *WASI) argsSizesGet(m *mem, a []uint64) errno    { return sizesGet(m, w.cfg.Args, a) }
func (w *WASI) argsGet(m *mem, a []uint64) errno         { return listGet(m, w.cfg.Args, a) }
func (w *WASI) environSizesGet(m *mem, a []uint64) errno { return sizesGet(m, w.cfg.Env, a) }
func (w *WASI) environGet(m *mem, a []uint64) errno      { return listGet(m, w.cfg.Env, a) }

// sizesGet writes the count and total size (with NULs) of a string list.
func sizesGet(m *mem, list []string, a []uint64) errno {
	size := 0
	for _, s := range list {
		size += len(s) + 1
	}
	if e := m.put32(a[0], uint32(len(list))); e != errnoSuccess {
		return e
	}
	return m.put32(a[1], uint32(size))
}

// listGet writes pointers to NUL-terminated copies of a string list.
func listGet(m *mem, list []string, a []uint64) errno {
	ptrs, buf := a[0], uint64(uint32(a[1]))
	for i, s := range list {
		if e := m.put32(ptrs+4*uint64(i), uint32(buf)); e != errnoSuccess {
			return e
		}
		b, ok := m.slice(buf, uint64(len(s))+1)
		if !ok {
			return errnoFault
		}
		copy(b, s)
		b[len(s)] = 0
		buf += uint64(len(s)) + 1
	}
	return errnoSuccess
}

// hostClocks are the host clocks behind WASI's clock ids. The thread CPU
// clock is the one of the OS thread running the goroutine that runs the
// program, which is the program's thread while it does not block.
var hostClocks = [...]int32{
	clockRealtime:   unix.CLOCK_REALTIME,
	clockMonotonic:  unix.CLOCK_MONOTONIC,
	clockProcessCPU: unix.CLOCK_PROCESS_CPUTIME_ID,
	clockThreadCPU:  unix.CLOCK_THREAD_CPUTIME_ID,
}

// clockNow reads a WASI clock in nanoseconds.
func clockNow(id uint32) (int64, errno) {
	if id >= uint32(len(hostClocks)) {
		return 0, errnoInval
	}
	var ts unix.Timespec
	if err := unix.ClockGettime(hostClocks[id], &ts); err != nil {
		return 0, errnoOf(err)
	}
	return ts.Nano(), errnoSuccess
}

func (w *WASI) clockResGet(m *mem, a []uint64) errno {
	id := uint32(a[0])
	if id >= uint32(len(hostClocks)) {
		return errnoInval
	}
	var ts unix.Timespec
	if err := unix.ClockGetres(hostClocks[id], &ts); err != nil {
		return errnoOf(err)
	}
	return m.put64(a[1], uint64(ts.Nano()))
}

// clockTimeGet ignores the precision argument: the host clock is read at
// its best resolution.
func (w *WASI) clockTimeGet(m *mem, a []uint64) errno {
	t, e := clockNow(uint32(a[0]))
	if e != errnoSuccess {
		return e
	}
	return m.put64(a[2], uint64(t))
}

func (w *WASI) randomGet(m *mem, a []uint64) errno {
	b, ok := m.slice(a[0], a[1])
	if !ok {
		return errnoFault
	}
	rand.Read(b)
	return errnoSuccess
}

func (w *WASI) schedYield(m *mem, a []uint64) errno {
	runtime.Gosched()
	return errnoSuccess
}

// Signals (`signal`) whose default action is not to end the program; the
// others end it.
const (
	signalNone  = 0
	signalChld  = 16
	signalCont  = 17
	signalStop  = 18
	signalTstp  = 19
	signalTtin  = 20
	signalTtou  = 21
	signalUrg   = 22
	signalWinch = 27
	signalSys   = 30 // the last
)

// procRaise acts on a signal as its default action would: a signal that
// is ignored by default, "continue", and the stop signals (a sandboxed
// program has no job control to stop it) do nothing; every other one ends
// the program with status 128 + the host's number for the signal.
func (w *WASI) procRaise(m *mem, a []uint64) (errno, error) {
	sig := uint32(a[0])
	switch sig {
	case signalNone, signalChld, signalCont, signalStop, signalTstp, signalTtin, signalTtou, signalUrg, signalWinch:
		return errnoSuccess, nil
	}
	if sig > signalSys {
		return errnoInval, nil
	}
	host := sig
	if sig >= signalChld {
		host++ // Linux has SIGSTKFLT (16) where WASI has none
	}
	return errnoSuccess, &ExitError{Code: 128 + host}
}
