package rt

// Non-Go memory. Generated code holds raw pointers into the ectx, vmctxs,
// native stacks and linear memories, so none of them may live in the Go heap
// (which the code could not keep alive) or on a goroutine stack (which
// moves). They are anonymous mappings:
//
//   - small blocks (ectx, vmctx, funcref records, host globals) come from a
//     slab: 64 KiB chunks carved into power-of-two size classes, each class
//     with a free list; a freed block is zeroed and reused, chunks are
//     never returned (they are bounded by the peak number of live blocks);
//   - large blocks (above the largest class) get a mapping of their own;
//   - linear memories and stacks always get their own mapping.

import (
	"fmt"
	"runtime"
	"sync"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

var pageSize = uintptr(unix.Getpagesize())

func roundPage(n uintptr) uintptr { return (n + pageSize - 1) &^ (pageSize - 1) }

// mmap maps n bytes (rounded to pages) of zeroed memory with protection prot.
func mmap(n uintptr, prot int) (uintptr, error) {
	p, err := unix.MmapPtr(-1, 0, nil, roundPage(n), prot, unix.MAP_PRIVATE|unix.MAP_ANON|unix.MAP_NORESERVE)
	if err != nil {
		return 0, fmt.Errorf("mmap %d bytes: %w", n, err)
	}
	return uintptr(p), nil
}

// retryAfterGC calls try and, if it fails with an error that again
// accepts, collects garbage and tries again for a while: what try lacks (address space for guard-page
// reservations, guard code ranges) may be held by memories and modules
// that are unreachable but not yet cleaned up (their cleanups run on
// their own goroutine after a collection).
func retryAfterGC(try func() error, again func(error) bool) error {
	err := try()
	if err == nil || !again(err) {
		return err
	}
	runtime.GC()
	for i := 0; i < 100 && err != nil && again(err); i++ {
		time.Sleep(time.Millisecond)
		err = try()
	}
	return err
}

// munmap releases a mapping made by mmap.
func munmap(p, n uintptr) {
	if p != 0 && n != 0 {
		unix.MunmapPtr(ptr(p), roundPage(n))
	}
}

// mprotect changes the protection of [p, p+n).
func mprotect(p, n uintptr, prot int) error {
	if n == 0 {
		return nil
	}
	return unix.Mprotect(unsafe.Slice((*byte)(ptr(p)), roundPage(n)), prot)
}

const (
	slabChunk    = 64 << 10
	slabMinClass = 5  // 32 bytes
	slabMaxClass = 14 // 16 KiB
)

// slab hands out zeroed, 16-byte aligned blocks of non-Go memory.
type slab struct {
	mu   sync.Mutex
	free [slabMaxClass + 1][]uintptr
	cur  uintptr // unused tail of the current chunk
	end  uintptr
}

var blocks slab

func sizeClass(n uintptr) int {
	c := slabMinClass
	for uintptr(1)<<c < n {
		c++
	}
	return c
}

// alloc returns n zeroed bytes. Blocks larger than the largest class are
// mapped individually.
func (s *slab) alloc(n uintptr) (uintptr, error) {
	if n == 0 {
		n = 1
	}
	c := sizeClass(n)
	if c > slabMaxClass {
		return mmap(n, unix.PROT_READ|unix.PROT_WRITE)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if l := s.free[c]; len(l) > 0 {
		p := l[len(l)-1]
		s.free[c] = l[:len(l)-1]
		return p, nil
	}
	size := uintptr(1) << c
	if s.cur+size > s.end {
		p, err := mmap(slabChunk, unix.PROT_READ|unix.PROT_WRITE)
		if err != nil {
			return 0, err
		}
		s.cur, s.end = p, p+slabChunk
	}
	p := s.cur
	s.cur += size
	return p, nil
}

// release returns a block of n bytes obtained from alloc.
func (s *slab) release(p, n uintptr) {
	if p == 0 {
		return
	}
	if n == 0 {
		n = 1
	}
	c := sizeClass(n)
	if c > slabMaxClass {
		munmap(p, n)
		return
	}
	clear(unsafe.Slice((*byte)(ptr(p)), uintptr(1)<<c))
	s.mu.Lock()
	s.free[c] = append(s.free[c], p)
	s.mu.Unlock()
}

// Raw accessors for non-Go memory.

func load64(p uintptr) uint64     { return *(*uint64)(ptr(p)) }
func store64(p uintptr, v uint64) { *(*uint64)(ptr(p)) = v }
func load32(p uintptr) uint32     { return *(*uint32)(ptr(p)) }
func store32(p uintptr, v uint32) { *(*uint32)(ptr(p)) = v }

// bytesAt views n bytes of non-Go memory at p as a slice.
func bytesAt(p, n uintptr) []byte {
	if n == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(ptr(p)), n)
}

// ptr converts a non-Go address to an unsafe.Pointer. The memory is never
// managed by the Go collector, so the usual uintptr rules do not apply (the
// indirection keeps vet's unsafeptr check, meant for Go memory, quiet).
func ptr(p uintptr) unsafe.Pointer { return *(*unsafe.Pointer)(unsafe.Pointer(&p)) }
