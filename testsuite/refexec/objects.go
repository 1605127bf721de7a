package refexec

import (
	"fmt"

	"wfxc/frontend"
)

// Memory is a linear memory instance.
type Memory struct {
	data     []byte
	is64     bool
	pageLog2 uint8
	limit    uint64 // largest size in pages (declared max or implementation limit)
	typ      frontend.Limits
}

func (s *Store) newMemory(l frontend.Limits) (*Memory, error) {
	if l.PageLog2 == 0 {
		l.PageLog2 = 16
	}
	bits := uint(32)
	if l.Is64 {
		bits = 64
	}
	limit := s.cfg.MaxMemoryPages
	if bits-uint(l.PageLog2) < 64 {
		limit = min(limit, uint64(1)<<(bits-uint(l.PageLog2)))
	}
	if l.HasMax {
		limit = min(limit, l.Max)
	}
	if l.Min > limit {
		return nil, fmt.Errorf("memory of %d pages exceeds the limit of %d pages", l.Min, limit)
	}
	return &Memory{data: make([]byte, l.Min<<l.PageLog2), is64: l.Is64, pageLog2: l.PageLog2, limit: limit, typ: l}, nil
}

// Bytes returns the memory's contents (valid until the next grow).
func (m *Memory) Bytes() []byte { return m.data }

// Pages returns the size in pages.
func (m *Memory) Pages() uint64 { return uint64(len(m.data)) >> m.pageLog2 }

// grow adds delta pages and returns the old size, or false when the
// memory cannot grow that much.
func (m *Memory) grow(delta uint64) (uint64, bool) {
	old := m.Pages()
	if delta > m.limit || old+delta > m.limit {
		return old, false
	}
	if delta > 0 {
		d := make([]byte, (old+delta)<<m.pageLog2)
		copy(d, m.data)
		m.data = d
	}
	return old, true
}

// limits returns the memory's current type, for import matching.
func (m *Memory) limits() frontend.Limits {
	l := m.typ
	l.Min = m.Pages()
	return l
}

// Table is a table instance.
type Table struct {
	elems []Value
	elem  vtype
	is64  bool
	limit uint64
	typ   frontend.Limits
}

func (s *Store) newTable(elem vtype, l frontend.Limits, init Value) (*Table, error) {
	limit := s.cfg.MaxTableSize
	if !l.Is64 {
		limit = min(limit, 1<<32-1)
	}
	if l.HasMax {
		limit = min(limit, l.Max)
	}
	if l.Min > limit {
		return nil, fmt.Errorf("table of %d elements exceeds the limit of %d", l.Min, limit)
	}
	t := &Table{elems: make([]Value, l.Min), elem: elem, is64: l.Is64, limit: limit, typ: l}
	for i := range t.elems {
		t.elems[i] = init
	}
	return t, nil
}

// Len returns the number of elements.
func (t *Table) Len() int { return len(t.elems) }

// Get returns element i.
func (t *Table) Get(i int) Value { return t.elems[i] }

// grow adds delta elements holding v and returns the old size, or false.
func (t *Table) grow(delta uint64, v Value) (uint64, bool) {
	old := uint64(len(t.elems))
	if delta > t.limit || old+delta > t.limit {
		return old, false
	}
	for i := uint64(0); i < delta; i++ {
		t.elems = append(t.elems, v)
	}
	return old, true
}

func (t *Table) limits() frontend.Limits {
	l := t.typ
	l.Min = uint64(len(t.elems))
	return l
}

// limitsMatch reports whether actual limits a match import limits b.
func limitsMatch(a, b frontend.Limits) bool {
	if a.Min < b.Min || a.Is64 != b.Is64 {
		return false
	}
	if b.HasMax && (!a.HasMax || a.Max > b.Max) {
		return false
	}
	return true
}
