//go:build linux && amd64

package rt

import (
	"testing"

	"golang.org/x/sys/unix"

	"wfxc/rt/abi"
)

// TestGuardHandler: a fault in a registered range becomes the trap code and
// PC; a fault outside (a Go nil dereference) still panics recoverably, on
// this goroutine and after the range is gone.
func TestGuardHandler(t *testing.T) {
	if err := installGuardHandler(); err != nil {
		t.Fatal(err)
	}
	page, err := mmap(pageSize, unix.PROT_NONE)
	if err != nil {
		t.Fatal(err)
	}
	defer munmap(page, pageSize)
	load, trap := guardProbePCs()
	slot, err := registerGuardRange(load, load+1, trap, abi.TrapMemoryOutOfBounds)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		code, pc := guardProbe(page)
		if code != uintptr(abi.TrapMemoryOutOfBounds) || pc != load {
			t.Fatalf("fault gave code %d at %#x, want %d at %#x", code, pc, abi.TrapMemoryOutOfBounds, load)
		}
		if !nilPanics() {
			t.Fatal("a Go nil dereference did not panic recoverably")
		}
	}
	// A load that succeeds returns normally.
	ok, err := mmap(pageSize, unix.PROT_READ)
	if err != nil {
		t.Fatal(err)
	}
	defer munmap(ok, pageSize)
	if code, pc := guardProbe(ok); code != 0 || pc != 0 {
		t.Errorf("readable load gave code %d at %#x", code, pc)
	}
	unregisterGuardRange(slot)
	if !nilPanics() {
		t.Fatal("a Go nil dereference did not panic recoverably after unregistering")
	}
}

//go:noinline
func nilLoad(p *int) int { return *p }

func nilPanics() (ok bool) {
	defer func() { ok = recover() != nil }()
	nilLoad(nil)
	return false
}

// TestGuardRanges: slots are reused, and the table reports exhaustion as an
// error.
func TestGuardRanges(t *testing.T) {
	if _, err := registerGuardRange(2, 1, 3, 0); err == nil {
		t.Error("an empty range was accepted")
	}
	a, err := registerGuardRange(0x1000, 0x2000, 0x1000, 1)
	if err != nil {
		t.Fatal(err)
	}
	unregisterGuardRange(a)
	b, err := registerGuardRange(0x3000, 0x4000, 0x3000, 1)
	if err != nil {
		t.Fatal(err)
	}
	if b != a {
		t.Errorf("slot %d not reused (got %d)", a, b)
	}
	unregisterGuardRange(b)
}
