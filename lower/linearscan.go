package lower

// The linear scan with lifetime holes (phase 5 of regalloc.go), after
// Wimmer & Franz (CGO 2010) without interval splitting.
//
// Intervals are visited by start. The ones that have started are kept
// apart by whether they cover the current position (active) or are in a
// hole (inactive, filed by register). A register is usable by the current
// interval when no active interval holds it, no inactive interval holding
// it intersects it, and no instruction strictly inside one of its ranges
// clobbers it. Candidates are tried in order: the target's hint, the
// register of an operand (for a phi: of an incoming value), the register
// of a phi the value flows into, then the class's registers in preference
// order. When none is usable, the cheapest is spilled: the intervals
// blocking one register, or the current one.

import (
	"math"
	"math/bits"
	"slices"

	"wfxc/ir"
)

// clobberTable lists, per register, the positions of the instructions
// that destroy it, in increasing order.
type clobberTable [64][]int32

func newClobberTable(cs []clobber) *clobberTable {
	var t clobberTable
	for _, ca := range cs {
		for set := ca.set; set != 0; set &= set - 1 {
			r := bits.TrailingZeros64(uint64(set))
			t[r] = append(t[r], ca.pos)
		}
	}
	return &t
}

// clobbered reports whether an instruction strictly inside one of iv's
// ranges destroys r (at a range's start the value is being defined, and
// clobbers there are the defining instruction's own).
func (t *clobberTable) clobbered(r Reg, iv *interval) bool {
	l := t[r]
	for _, rg := range iv.ranges {
		i, _ := slices.BinarySearch(l, rg.from+1)
		if i < len(l) && l[i] < rg.to {
			return true
		}
	}
	return false
}

// scan is the state of one linear scan.
type scan struct {
	c         *Config
	ivs       []*interval // by value ID
	clob      *clobberTable
	classRegs [NumClasses]RegSet
	phiUsers  map[int32][]*ir.Value // phis taking each value as an arg (coalescing hints)
	active    []*interval
	inactive  [64][]*interval // by register
	// holding has the registers whose inactive list is not empty, and
	// wake is at most the first position at which an inactive interval
	// covers again (the start of its next range): before it, advance
	// leaves the inactive lists alone.
	holding RegSet
	wake    int32
	spilled []*interval
	used    RegSet
}

// linearScan gives a register to every interval of list (in value ID
// order, sorted here by start) or spills it. It returns the spilled
// intervals and every register it assigned, including those of intervals
// spilled later.
func linearScan(order []*ir.Block, ivs, list []*interval, c *Config, clobbers []clobber) (spilled []*interval, used RegSet) {
	s := &scan{c: c, ivs: ivs, clob: newClobberTable(clobbers), phiUsers: map[int32][]*ir.Value{}, wake: math.MaxInt32}
	for _, b := range order {
		for _, v := range b.Values {
			if v.Op == ir.OpPhi && ivs[v.ID] != nil {
				for _, x := range v.Args {
					s.phiUsers[x.ID] = append(s.phiUsers[x.ID], v)
				}
			}
		}
	}
	for cl, rs := range c.Regs {
		for _, r := range rs {
			s.classRegs[cl] |= 1 << uint(r)
		}
	}
	slices.SortStableFunc(list, byStart)
	for _, cur := range list {
		s.advance(cur.start())
		if c.InMemory != nil && c.InMemory(cur.v) {
			cur.spilled = true
			s.spilled = append(s.spilled, cur)
			continue
		}
		r := s.choose(cur)
		if r < 0 {
			if r = s.evict(cur); r < 0 {
				cur.spilled = true
				s.spilled = append(s.spilled, cur)
				continue
			}
		}
		cur.reg = r
		s.used |= 1 << uint(r)
		s.active = append(s.active, cur)
	}
	return s.spilled, s.used
}

// byStart orders intervals by start, then value ID.
func byStart(x, y *interval) int {
	if x.start() != y.start() {
		return int(x.start() - y.start())
	}
	return int(x.v.ID - y.v.ID)
}

// advance moves the scan to pos: intervals that ended are dropped, active
// ones in a hole become inactive and inactive ones covering pos active.
// An inactive interval's cursor is at the range after its hole, so until
// pos reaches the earliest such range start (s.wake) none of them covers
// pos or has ended, and the lists stay as they are.
func (s *scan) advance(pos int32) {
	k := 0
	for _, o := range s.active {
		switch {
		case o.end() <= pos:
		case !o.covers(pos):
			s.inactive[o.reg] = append(s.inactive[o.reg], o)
			s.holding |= 1 << uint(o.reg)
			s.wake = min(s.wake, o.ranges[o.next].from)
		default:
			s.active[k] = o
			k++
		}
	}
	s.active = s.active[:k]
	if pos < s.wake {
		return
	}
	wake := int32(math.MaxInt32)
	for set := s.holding; set != 0; set &= set - 1 {
		r := bits.TrailingZeros64(uint64(set))
		l := s.inactive[r]
		j := 0
		for _, o := range l {
			switch {
			case o.end() <= pos:
			case o.covers(pos):
				s.active = append(s.active, o)
			default:
				l[j] = o
				j++
				wake = min(wake, o.ranges[o.next].from)
			}
		}
		clear(l[j:])
		s.inactive[r] = l[:j]
		if j == 0 {
			s.holding &^= 1 << uint(r)
		}
	}
	s.wake = wake
}

// choose returns the first usable register for cur among its preferred
// ones and then its class's, or -1.
func (s *scan) choose(cur *interval) Reg {
	var busy RegSet
	for _, o := range s.active {
		busy |= 1 << uint(o.reg)
	}
	usable := func(r Reg) bool {
		if r < 0 || !s.classRegs[cur.class].Has(r) || busy.Has(r) || s.clob.clobbered(r, cur) {
			return false
		}
		for _, o := range s.inactive[r] {
			if o.intersects(cur) {
				return false
			}
		}
		return true
	}
	chosen := Reg(-1)
	try := func(r Reg) {
		if chosen < 0 && usable(r) {
			chosen = r
		}
	}
	try(s.c.Hint(cur.v))
	// The register of an operand that dies here (for a phi: of an
	// incoming value, so the edge move disappears).
	for _, x := range cur.v.Args {
		if o := s.ivs[x.ID]; o != nil && o.class == cur.class {
			try(o.reg)
		}
	}
	// The register of a phi this value flows into.
	for _, p := range s.phiUsers[cur.v.ID] {
		try(s.ivs[p.ID].reg)
	}
	for _, r := range s.c.Regs[cur.class] {
		try(r)
	}
	return chosen
}

// evict finds the cheapest way to free a register for cur: the intervals
// blocking one register, by total spill weight (ties: whatever ends last,
// as Poletto & Sarkar), against cur's own weight. If spilling them is
// cheaper it spills them and returns the register; otherwise it returns
// -1 and cur is to be spilled.
func (s *scan) evict(cur *interval) Reg {
	chosen := Reg(-1)
	bestW, bestEnd := math.Inf(1), int32(-1)
	for _, r := range s.c.Regs[cur.class] {
		if s.clob.clobbered(r, cur) {
			continue
		}
		wr, e := 0.0, int32(-1)
		for _, o := range s.active {
			if o.reg == r {
				wr += o.weight
				e = max(e, o.end())
			}
		}
		for _, o := range s.inactive[r] {
			if o.intersects(cur) {
				wr += o.weight
				e = max(e, o.end())
			}
		}
		if wr < bestW || wr == bestW && e > bestEnd {
			bestW, bestEnd, chosen = wr, e, r
		}
	}
	if chosen < 0 || cur.weight < bestW || cur.weight == bestW && bestEnd <= cur.end() {
		return -1
	}
	spill := func(o *interval) {
		o.reg = -1
		o.spilled = true
		s.spilled = append(s.spilled, o)
	}
	k := 0
	for _, o := range s.active {
		if o.reg == chosen {
			spill(o)
			continue
		}
		s.active[k] = o
		k++
	}
	s.active = s.active[:k]
	l := s.inactive[chosen]
	k = 0
	for _, o := range l {
		if o.intersects(cur) {
			spill(o)
			continue
		}
		l[k] = o
		k++
	}
	clear(l[k:])
	s.inactive[chosen] = l[:k]
	return chosen
}
