//go:build !race && (amd64 || arm64)

package rt

import (
	"sync/atomic"
	"unsafe"
)

// releaseOwner ends callTop's hold of the store: a store-release of 0 to
// the owner, ordered after every write of the call (a plain MOV on
// x86-64, STLR on aarch64), which the next enter's CompareAndSwap
// acquires. It saves the full barrier of atomic.Uintptr.Store (an XCHG),
// which costs as much as a third of a trivial call. The race detector
// does not see asm writes: race builds use the atomic store
// (context_release_race.go).
func releaseOwner(o *atomic.Uintptr) { storeRelease((*uintptr)(unsafe.Pointer(o)), 0) }

// storeRelease stores v to *p with release semantics (context_*.s).
//
//go:noescape
func storeRelease(p *uintptr, v uintptr)
