package lower

// Positions and lifetime intervals (phases 2 and 4 of regalloc.go).
//
// number gives every block and value of the order an even position: a
// block's start (where its phis, and in the entry block the params, are
// defined), then each value, then the terminator; end(b) = terminator + 1
// is where moves into successor phis happen. Odd positions are never
// assigned, so a half-open range [def, use) ends just before the reading
// instruction and the reader may reuse the register.
//
// buildIntervals turns liveness into intervals: in SSA form a value is
// live in one contiguous piece of each block, from its definition (or the
// block start when live in) to its last use in the block (or past end(b)
// when live out), so an interval is a sorted list of disjoint half-open
// ranges with holes between them. spillWeights then rates each interval
// for the scan's spill choice.

import (
	"math"
	"slices"

	"wfxc/ir"
)

// positions is the numbering of one order.
type positions struct {
	start, term []int32 // by block ID: block start and terminator
	clobbers    []clobber
}

// clobber is an instruction that destroys registers besides its result.
type clobber struct {
	pos int32
	set RegSet
}

// number assigns positions to the blocks and values of a.Order, filling
// a.Pos, and records which positions clobber registers.
func number(f *ir.Func, a *Allocation, c *Config) *positions {
	p := &positions{start: make([]int32, f.NumBlocks()), term: make([]int32, f.NumBlocks())}
	pos := int32(0)
	for _, b := range a.Order {
		p.start[b.ID] = pos
		bs := pos
		pos += 2
		for _, v := range b.Values {
			switch v.Op {
			case ir.OpPhi:
				a.Pos[v.ID] = bs
				continue
			case ir.OpParam, ir.OpVMCtx:
				a.Pos[v.ID] = 0
				continue
			case ir.OpResult:
				a.Pos[v.ID] = a.Pos[v.Args[0].ID]
				continue
			}
			a.Pos[v.ID] = pos
			if cl := c.Clobbers(v); cl != 0 {
				p.clobbers = append(p.clobbers, clobber{pos, cl})
			}
			pos += 2
		}
		p.term[b.ID] = pos
		pos += 2
	}
	return p
}

// liveRange is the half-open position range [from, to).
type liveRange struct{ from, to int32 }

// interval is the lifetime of one value that needs a location.
type interval struct {
	v       *ir.Value
	weight  float64     // spill cost per position
	ranges  []liveRange // sorted, disjoint
	class   RegClass
	reg     Reg
	spilled bool
	next    int // first range not yet passed by the scan (see covers)
}

func (iv *interval) start() int32 { return iv.ranges[0].from }
func (iv *interval) end() int32   { return iv.ranges[len(iv.ranges)-1].to }

// covers reports whether a range holds p; p must not decrease between
// calls (the scan's position), which lets a cursor skip past ranges.
func (iv *interval) covers(p int32) bool {
	for iv.next < len(iv.ranges) && iv.ranges[iv.next].to <= p {
		iv.next++
	}
	return iv.next < len(iv.ranges) && iv.ranges[iv.next].from <= p
}

// intersects reports whether iv and o overlap at or after iv's cursor
// (ranges before it ended before the scan's position).
func (iv *interval) intersects(o *interval) bool {
	i, j := iv.next, 0
	for i < len(iv.ranges) && j < len(o.ranges) {
		a, b := iv.ranges[i], o.ranges[j]
		if a.from < b.to && b.from < a.to {
			return true
		}
		if a.to <= b.to {
			i++
		} else {
			j++
		}
	}
	return false
}

// buildIntervals returns the interval of every value that needs a location,
// by value ID (nil for the others), and the same intervals as a list in
// value ID order.
func buildIntervals(f *ir.Func, a *Allocation, p *positions, live *Liveness, class []RegClass, needs []bool) (ivs, list []*interval) {
	nv := f.NumValues()
	ivs = make([]*interval, nv)
	n := 0
	for _, b := range a.Order {
		for _, v := range b.Values {
			if needs[v.ID] {
				n++
			}
		}
	}
	slab := make([]interval, n) // one allocation for all of them
	for _, b := range a.Order {
		for _, v := range b.Values {
			if needs[v.ID] {
				iv := &slab[0]
				slab = slab[1:]
				*iv = interval{v: v, class: class[v.ID], reg: -1}
				ivs[v.ID] = iv
			}
		}
	}
	lastUse := make([]int32, nv)
	for _, b := range a.Order {
		bs, be := p.start[b.ID], p.term[b.ID]+2 // be: exclusive, covers end(b)
		use := func(x *ir.Value, p int32) {
			if ivs[x.ID] != nil {
				lastUse[x.ID] = max(lastUse[x.ID], p)
			}
		}
		for _, v := range b.Values {
			if ivs[v.ID] != nil {
				lastUse[v.ID] = -1
			}
			for _, x := range v.Args {
				lastUse[x.ID] = -1
			}
		}
		for _, x := range b.Controls {
			lastUse[x.ID] = -1
		}
		live.each(live.in[b.ID], func(x *ir.Value) { lastUse[x.ID] = -1 })
		for _, v := range b.Values {
			if v.Op != ir.OpPhi {
				for _, x := range v.Args {
					use(x, a.Pos[v.ID])
				}
			}
		}
		for _, x := range b.Controls {
			use(x, p.term[b.ID])
		}
		add := func(x *ir.Value, from int32) {
			to := lastUse[x.ID]
			if live.has(live.out[b.ID], x) {
				to = be
			}
			if to <= from {
				to = from + 1 // defined and never used here: still needs a place
			}
			ivs[x.ID].ranges = append(ivs[x.ID].ranges, liveRange{from, to})
		}
		for _, v := range b.Values {
			if ivs[v.ID] != nil {
				add(v, a.Pos[v.ID])
			}
		}
		live.each(live.in[b.ID], func(x *ir.Value) {
			if ivs[x.ID] != nil && x.Block != b {
				add(x, bs)
			}
		})
	}
	for _, iv := range ivs {
		if iv == nil {
			continue
		}
		slices.SortFunc(iv.ranges, func(x, y liveRange) int { return int(x.from - y.from) })
		m := iv.ranges[:1]
		for _, r := range iv.ranges[1:] {
			if last := &m[len(m)-1]; r.from <= last.to {
				last.to = max(last.to, r.to)
			} else {
				m = append(m, r)
			}
		}
		iv.ranges = m
		list = append(list, iv)
	}
	return ivs, list
}

// spillWeights sets each interval's weight: its uses (and the definition)
// weighted by 10^loop depth, divided by the interval's length, so long,
// rarely used intervals are spilled before short ones used in inner loops.
func spillWeights(f *ir.Func, order []*ir.Block, depth []int, list []*interval) {
	cost := make([]float64, f.NumValues())
	w := func(b *ir.Block) float64 { return math.Pow(10, float64(min(depth[b.ID], 6))) }
	for _, b := range order {
		for _, v := range b.Values {
			cost[v.ID] += w(b)
			for i, x := range v.Args {
				if v.Op == ir.OpPhi {
					if i < len(b.Preds) {
						cost[x.ID] += w(b.Preds[i])
					}
				} else {
					cost[x.ID] += w(b)
				}
			}
		}
		for _, x := range b.Controls {
			cost[x.ID] += w(b)
		}
	}
	for _, iv := range list {
		n := int32(0)
		for _, r := range iv.ranges {
			n += r.to - r.from
		}
		iv.weight = cost[iv.v.ID] / float64(n+1)
	}
}
