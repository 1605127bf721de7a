package rt

// Guard-page traps (DESIGN §4): a SIGSEGV/SIGBUS handler, installed with raw
// rt_sigaction beside Go's own, that turns a fault at a PC inside registered
// generated code into a branch to that code's trap routine, exactly as the
// out-of-line stub of an explicit check would branch (CX = trap code, AX =
// the site's PC), and passes every other fault to Go's handler unchanged, so
// Go's nil-pointer panics stay recoverable.
//
// The handler (guardSigtramp, signal_linux_amd64.s) reads guardRanges and
// guardCount without locks: writers (under guardMu) fill a slot with its
// trap routine zero, then publish the routine, then the count; a slot is
// retired by zeroing its routine. A range is unregistered only after its
// code can no longer run.

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"unsafe"

	"golang.org/x/sys/unix"

	"wfxc/rt/abi"
)

// guardRange is one registered code range; the layout is read by
// guardSigtramp (32 bytes: start, end, trap, code).
type guardRange struct {
	start, end uintptr // [start, end) of the code
	trap       uintptr // where a fault resumes; 0 = free slot
	code       uintptr // the trap code left in CX
}

// guardMemories: host memories (NewMemory) and pooled memory slots are
// guard-page reservations when guard pages can bound them, so that code
// compiled either way may use them.
const guardMemories = true

const (
	guardSlots = 1 << 14 // loaded modules compiled with guard pages (the default on x86-64)
	saSiginfo  = 0x4     // SA_SIGINFO
)

var (
	guardRanges [guardSlots]guardRange
	guardCount  uint32      // slots in use or retired (the handler's scan bound)
	guardPrev   [32]uintptr // the previous handler of each signal, for chaining

	guardMu      sync.Mutex
	guardFree    []int // retired slots below guardCount
	guardOnce    sync.Once
	guardInstErr error
)

// kernelSigaction is struct sigaction as rt_sigaction takes it on x86-64.
type kernelSigaction struct {
	handler  uintptr
	flags    uint64
	restorer uintptr
	mask     uint64
}

func guardSigtramp()
func guardSigtrampPC() uintptr
func guardProbe(p uintptr) (code, pc uintptr)
func guardProbeLoad()
func guardProbeTrap()
func guardProbePCs() (load, trap uintptr)

func rtSigaction(sig int, act, old *kernelSigaction) error {
	_, _, e := unix.RawSyscall6(unix.SYS_RT_SIGACTION, uintptr(sig),
		uintptr(unsafe.Pointer(act)), uintptr(unsafe.Pointer(old)), 8, 0, 0)
	if e != 0 {
		return e
	}
	return nil
}

// installGuardHandler installs the handler once per process and checks it
// with a probe fault; later calls return the first result.
func installGuardHandler() error {
	guardOnce.Do(func() { guardInstErr = installGuard() })
	return guardInstErr
}

func installGuard() error {
	sigs := []int{int(unix.SIGSEGV), int(unix.SIGBUS)}
	var olds [2]kernelSigaction
	for i, sig := range sigs {
		if err := rtSigaction(sig, nil, &olds[i]); err != nil {
			return fmt.Errorf("guard pages: reading the handler of signal %d: %w", sig, err)
		}
		o := olds[i]
		if o.handler < 2 || o.flags&saSiginfo == 0 {
			// Go installs a SA_SIGINFO handler for both; anything else
			// (a default action) could not be chained by a jump.
			return fmt.Errorf("guard pages: signal %d has no SA_SIGINFO handler to chain to", sig)
		}
		guardPrev[sig] = o.handler
	}
	for i, sig := range sigs {
		act := olds[i] // Go's flags (SA_ONSTACK|SA_SIGINFO|SA_RESTART|SA_RESTORER), restorer, mask
		act.handler = guardSigtrampPC()
		if err := rtSigaction(sig, &act, nil); err != nil {
			for j := range i {
				rtSigaction(sigs[j], &olds[j], nil)
			}
			return fmt.Errorf("guard pages: installing the handler of signal %d: %w", sig, err)
		}
	}
	if err := guardSelfTest(); err != nil {
		for i, sig := range sigs {
			rtSigaction(sig, &olds[i], nil)
		}
		return err
	}
	return nil
}

// guardSelfTest faults on a PROT_NONE page inside the registered probe and
// checks that the handler delivered the trap code and PC.
func guardSelfTest() error {
	page, err := mmap(pageSize, unix.PROT_NONE)
	if err != nil {
		return fmt.Errorf("guard pages: self-test: %w", err)
	}
	defer munmap(page, pageSize)
	load, trap := guardProbePCs()
	slot, err := registerGuardRange(load, load+1, trap, abi.TrapMemoryOutOfBounds)
	if err != nil {
		return err
	}
	defer unregisterGuardRange(slot)
	code, pc := guardProbe(page)
	if code != uintptr(abi.TrapMemoryOutOfBounds) || pc != load {
		return fmt.Errorf("guard pages: self-test: fault gave code %d at %#x, want %d at %#x",
			code, pc, abi.TrapMemoryOutOfBounds, load)
	}
	return nil
}

var errGuardFull = errors.New("guard pages: too many code ranges registered")

// registerGuardRange makes faults at PCs in [start, end) resume at trap with
// CX = code and AX = the faulting PC. It returns the slot for
// unregisterGuardRange.
func registerGuardRange(start, end, trap uintptr, code int) (int, error) {
	if start >= end || trap == 0 {
		return 0, fmt.Errorf("guard pages: bad range [%#x, %#x) → %#x", start, end, trap)
	}
	guardMu.Lock()
	defer guardMu.Unlock()
	slot := -1
	if n := len(guardFree); n > 0 {
		slot, guardFree = guardFree[n-1], guardFree[:n-1]
	} else if c := atomic.LoadUint32(&guardCount); c < guardSlots {
		slot = int(c)
	} else {
		return 0, errGuardFull
	}
	r := &guardRanges[slot]
	atomic.StoreUintptr(&r.trap, 0)
	atomic.StoreUintptr(&r.start, start)
	atomic.StoreUintptr(&r.end, end)
	atomic.StoreUintptr(&r.code, uintptr(code))
	atomic.StoreUintptr(&r.trap, trap)
	if uint32(slot) >= atomic.LoadUint32(&guardCount) {
		atomic.StoreUint32(&guardCount, uint32(slot)+1)
	}
	return slot, nil
}

// registerGuardCode installs the handler if need be and registers the code
// [text, text+size) of a module compiled with guard pages, whose faults
// become "out of bounds memory access" traps through its trap routine.
func registerGuardCode(text, size, trap uintptr) (int, error) {
	if err := installGuardHandler(); err != nil {
		return 0, err
	}
	var slot int
	err := retryAfterGC(func() (err error) {
		slot, err = registerGuardRange(text, text+size, trap, abi.TrapMemoryOutOfBounds)
		return err
	}, func(err error) bool { return errors.Is(err, errGuardFull) })
	return slot, err
}

// unregisterGuardRange retires a slot from registerGuardRange.
func unregisterGuardRange(slot int) {
	guardMu.Lock()
	defer guardMu.Unlock()
	atomic.StoreUintptr(&guardRanges[slot].trap, 0)
	guardFree = append(guardFree, slot)
}
