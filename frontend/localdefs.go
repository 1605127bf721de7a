package frontend

import "wfxc/ir"

// localDefs maps (block ID, local index) to the local's current value in
// that block: the "currentDef" of Braun et al.'s SSA construction, one
// open-addressing table for the whole function instead of a map per block
// (translate.go). Entries are never removed.
type localDefs struct {
	keys []uint64 // key+1; 0 = empty
	vals []*ir.Value
	n    int
}

func defKey(block int32, local int) uint64 { return uint64(uint32(block))<<32 | uint64(uint32(local)) }

func (d *localDefs) slot(k uint64) int {
	mask := len(d.keys) - 1
	h := int((k * 0x9E3779B97F4A7C15) >> 32)
	for i := h & mask; ; i = (i + 1) & mask {
		if d.keys[i] == k+1 || d.keys[i] == 0 {
			return i
		}
	}
}

func (d *localDefs) get(block int32, local int) (*ir.Value, bool) {
	if d.n == 0 {
		return nil, false
	}
	k := defKey(block, local)
	i := d.slot(k)
	if d.keys[i] == 0 {
		return nil, false
	}
	return d.vals[i], true
}

func (d *localDefs) set(block int32, local int, v *ir.Value) {
	if 4*(d.n+1) > 3*len(d.keys) {
		d.grow()
	}
	k := defKey(block, local)
	i := d.slot(k)
	if d.keys[i] == 0 {
		d.keys[i] = k + 1
		d.n++
	}
	d.vals[i] = v
}

func (d *localDefs) grow() {
	keys, vals := d.keys, d.vals
	size := max(64, 2*len(keys))
	d.keys, d.vals = make([]uint64, size), make([]*ir.Value, size)
	for i, k := range keys {
		if k != 0 {
			j := d.slot(k - 1)
			d.keys[j], d.vals[j] = k, vals[i]
		}
	}
}
