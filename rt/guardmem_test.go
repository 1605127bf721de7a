//go:build linux && amd64

package rt

import "testing"

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
