//go:build linux && amd64

package rt

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"wfxc/rt/abi"
)

// TestNewMemory_reclaimed: guard-page memories (6 GiB of address space
// each) dropped without Close do not exhaust the address space: a
// reservation that fails collects the unreachable ones first. 30000 of them
// would need 180 TiB, more than x86-64 user space has.
func TestNewMemory_reclaimed(t *testing.T) {
	if testing.Short() {
		t.Skip("maps 30000 reservations")
	}
	for i := range 30000 {
		m, err := NewMemory(1, 0, false)
		if err != nil {
			t.Fatalf("memory %d: %v", i, err)
		}
		if !m.Guarded() {
			t.Fatal("NewMemory made no guard-page memory")
		}
	}
}

// TestNewMemory_reusedReservation: a guard-page memory takes the
// reservation a freed one gave back (reservationCache) zeroed, and
// inaccessible past its own size however far the freed one had grown. It
// runs in a process of its own (this test binary, that test only): in
// this one the cleanups of memories earlier tests dropped give their
// reservations back meanwhile, and can take the freed one's place.
func TestNewMemory_reusedReservation(t *testing.T) {
	if os.Getenv("WFXC_RT_REUSE_CHILD") == "" {
		cmd := exec.Command(os.Args[0], "-test.run", "^TestNewMemory_reusedReservation$", "-test.v")
		cmd.Env = append(os.Environ(), "WFXC_RT_REUSE_CHILD=1")
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "--- PASS: TestNewMemory_reusedReservation") {
			t.Fatalf("in a process of its own: %v\n%s", err, out)
		}
		return
	}
	faults := guardFaults(t)
	old, err := NewMemory(1, 16, true)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := old.Grow(7); !ok {
		t.Fatal("grow failed")
	}
	for i := range old.Bytes() {
		old.Bytes()[i] = 0xFF
	}
	base := old.Base()
	lifeMu.Lock()
	old.free()
	lifeMu.Unlock()
	m, err := NewMemory(1, 16, true)
	if err != nil {
		t.Fatal(err)
	}
	if m.Base() != base {
		t.Fatalf("the freed reservation was not reused (base %#x, was %#x)", m.Base(), base)
	}
	for i, b := range m.Bytes() {
		if b != 0 {
			t.Fatalf("byte %d of the new memory is %#x, want 0", i, b)
		}
	}
	for _, off := range []uintptr{1 << 16, 2 << 16, 8<<16 - 1, 4 << 30, abi.GuardReserve - 1} {
		if !faults(m.Base() + off) {
			t.Errorf("offset %#x past a one-page memory is accessible", off)
		}
	}
	if faults(m.Base() + 1<<16 - 1) {
		t.Error("the memory's last byte faults")
	}
}

// guardFaults installs the guard handler with guardProbe's load as a
// guarded range (until the test ends) and returns a probe: whether
// reading a byte at p faults.
func guardFaults(t *testing.T) func(p uintptr) bool {
	t.Helper()
	if err := installGuardHandler(); err != nil {
		t.Fatal(err)
	}
	load, trap := guardProbePCs()
	slot, err := registerGuardRange(load, load+1, trap, abi.TrapMemoryOutOfBounds)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unregisterGuardRange(slot) })
	return func(p uintptr) bool { code, _ := guardProbe(p); return code != 0 }
}

// TestReservationCache: a reservation given back is taken next, all
// PROT_NONE and reading as zeros once made accessible again, however much
// of it was used.
func TestReservationCache(t *testing.T) {
	faults := guardFaults(t)
	var c reservationCache
	defer func() {
		for _, p := range c.free {
			munmap(p, abi.GuardReserve)
		}
	}()
	p, err := c.take(abi.GuardReserve)
	if err != nil {
		t.Fatal(err)
	}
	const used = 8 << 16
	if err := mprotect(p, used, unix.PROT_READ|unix.PROT_WRITE); err != nil {
		t.Fatal(err)
	}
	dirty := bytesAt(p, used)
	for i := range dirty {
		dirty[i] = 0xFF
	}
	c.give(p, abi.GuardReserve, used)
	q, err := c.take(abi.GuardReserve)
	if err != nil {
		t.Fatal(err)
	}
	defer munmap(q, abi.GuardReserve)
	if q != p {
		t.Fatalf("took %#x, want the reservation given back at %#x", q, p)
	}
	for _, off := range []uintptr{0, used - 1, used, 4 << 30, abi.GuardReserve - 1} {
		if !faults(q + off) {
			t.Errorf("offset %#x of a reservation given back is accessible", off)
		}
	}
	if err := mprotect(q, used, unix.PROT_READ|unix.PROT_WRITE); err != nil {
		t.Fatal(err)
	}
	for i, b := range bytesAt(q, used) {
		if b != 0 {
			t.Fatalf("byte %d of a reservation given back is %#x, want 0", i, b)
		}
	}
}
