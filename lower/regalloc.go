package lower

// Register allocation: linear scan over lifetime intervals with holes.
//
// The allocator works directly on an ir.Func in SSA form; the target
// describes its registers with a Config (register classes, callee-saved set,
// which registers each value's lowering clobbers, which values need no
// location at all, preferred registers). It follows Poletto & Sarkar,
// "Linear Scan Register Allocation" (TOPLAS 1999), with the lifetime holes
// and active/inactive sets of Wimmer & Franz, "Linear Scan Register
// Allocation on SSA Form" (CGO 2010), but without interval splitting: a
// value lives in one register or one stack slot for its whole life.
//
//  1. Linearise the blocks (Linearize): reverse postorder, with every
//     natural loop made contiguous, so dominators come first and a loop's
//     values are not kept live across unrelated code.
//  2. Number positions: a block's start (where its phis, and in the entry
//     block the params, are defined) is even, each value gets the next even
//     position, the terminator the next one, and end(b) = terminator + 1 is
//     where moves into successor phis happen.
//  3. Liveness by backward dataflow over bit sets of the values that cross
//     a block boundary; a phi arg is live out of its predecessor, not live
//     into the phi's block.
//  4. Intervals: in each block a value is live in one piece, from its
//     definition (or the block start) to its last use (or past the block
//     end if live out), so an interval is a sorted list of half-open
//     ranges. A value live around a loop is live out of the latch and into
//     the header, so its ranges cover the whole loop.
//  5. Scan intervals by start, keeping the intervals that cover the
//     position (active) apart from those in a hole (inactive). A register
//     is usable by an interval when no active interval holds it, no
//     inactive interval holding it intersects it, and no instruction
//     strictly inside one of its ranges clobbers it (calls clobber every
//     caller-saved register, so values live across calls get callee-saved
//     registers or a stack slot). Ranges are half-open, so a value may take
//     the register of an operand that dies at its definition: an
//     instruction reads its operands before writing its result. The
//     preferred register is tried first (the target's hint, then an operand
//     dying here, then the register of a phi the value flows into, so the
//     phi's edge move disappears), then the others in order. When none is
//     usable, the cheapest is spilled: the intervals blocking one register
//     or the current one, by spill weight (uses weighted 10^loop depth,
//     divided by the interval's length; ties go to whatever ends last). A
//     spilled value lives in its stack slot for its whole life; the target
//     loads it into a scratch register at each use.
//  6. Spill slots are reused by spilled intervals that do not overlap.
//
// Phis are resolved by the target with parallel moves on the edges (see
// Sequence). Example, sum 1..n on x86-64 (i in EAX, s in ECX):
//
//	b0: v0 = param 0; v1 = const 0; v2 = const 1        v0→RSI, consts remat
//	b1: v3 = phi v2 v7 (i); v4 = phi v1 v6 (s)          v3→RAX, v4→RCX
//	    if i <= n -> b2 b3                              cmp eax, esi; jnle b3
//	b2: v6 = s + i; v7 = i + 1; jump b1                 add ecx, eax; add eax, 1
//	b3: return s                                        (no phi moves at all)
//
// Constants are rematerialised (no interval); compares fused into a branch
// get no location either.

import (
	"fmt"
	"math"
	"math/bits"
	"slices"

	"wfxc/ir"
)

// Reg is a machine register number (target-defined); -1 means none.
type Reg int8

// RegSet is a set of registers, bit r for Reg r.
type RegSet uint64

// Has reports whether r is in s.
func (s RegSet) Has(r Reg) bool { return r >= 0 && s&(1<<uint(r)) != 0 }

// RegClass is a register class.
type RegClass uint8

const (
	ClassInt   RegClass = iota // general-purpose registers
	ClassFloat                 // floating-point / vector registers
	NumClasses
)

// LocKind says where a value lives.
type LocKind uint8

const (
	LocNone  LocKind = iota // no location (unused, or a tuple)
	LocReg                  // in register Reg
	LocStack                // in spill slot Slot of the frame
	LocMem                  // at target-defined memory Reg+Slot (ABI stack arguments)
	LocRemat                // a constant, materialised at each use
)

// Loc is the location of a value, or one end of a move.
type Loc struct {
	Kind LocKind
	Reg  Reg
	Slot int32
}

func (l Loc) String() string {
	switch l.Kind {
	case LocReg:
		return fmt.Sprintf("r%d", l.Reg)
	case LocStack:
		return fmt.Sprintf("slot%d", l.Slot)
	case LocMem:
		return fmt.Sprintf("mem(r%d%+d)", l.Reg, l.Slot)
	case LocRemat:
		return "remat"
	}
	return "none"
}

// RegLoc returns the location of register r.
func RegLoc(r Reg) Loc { return Loc{Kind: LocReg, Reg: r} }

// Config describes a target to the allocator.
type Config struct {
	Regs        [NumClasses][]Reg // allocatable registers per class, in preference order
	CalleeSaved RegSet
	// Class returns the register class of a value type; ok false means
	// the type cannot be allocated.
	Class func(t ir.Type) (c RegClass, ok bool)
	// Clobbers returns the registers the lowering of v destroys besides
	// its result (a call: every caller-saved register).
	Clobbers func(v *ir.Value) RegSet
	// NoReg reports values that get no register: rematerialised
	// constants (LocRemat) and compares fused into branches (LocNone).
	NoReg func(v *ir.Value) (LocKind, bool)
	// Hint returns a preferred register for v, or -1.
	Hint func(v *ir.Value) Reg
}

// Allocation is the result of Allocate.
type Allocation struct {
	Order    []*ir.Block // blocks in emission order (reachable only)
	Locs     []Loc       // by value ID
	NumSlots int         // spill slots used
	UsedRegs RegSet      // registers assigned to some value
	Pos      []int32     // definition position by value ID
	// Results lists the OpResult values of each tuple-typed call.
	Results map[*ir.Value][]*ir.Value
}

// Loc returns v's location.
func (a *Allocation) Loc(v *ir.Value) Loc { return a.Locs[v.ID] }

// liveRange is the half-open position range [from, to).
type liveRange struct{ from, to int32 }

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

type bitset []uint64

func newBitset(n int) bitset       { return make(bitset, (n+63)/64) }
func (s bitset) set(i int32)       { s[i/64] |= 1 << (uint(i) % 64) }
func (s bitset) clear(i int32)     { s[i/64] &^= 1 << (uint(i) % 64) }
func (s bitset) has(i int32) bool  { return s[i/64]&(1<<(uint(i)%64)) != 0 }
func (s bitset) copyFrom(o bitset) { copy(s, o) }
func (s bitset) orWith(o bitset) bool {
	ch := false
	for i := range s {
		n := s[i] | o[i]
		if n != s[i] {
			s[i] = n
			ch = true
		}
	}
	return ch
}

// Linearize returns the reachable blocks of f in reverse postorder, with
// every natural loop made contiguous: when a loop header is placed, the
// rest of its loop (nested loops grouped likewise) follows in reverse
// postorder before anything outside it. Dominators still come before the
// blocks they dominate, and a loop's values are not kept live across
// unrelated code.
func Linearize(f *ir.Func) []*ir.Block {
	order, _ := linearize(f)
	return order
}

// linearize is Linearize, also returning the loop depth of each block (by
// block ID).
func linearize(f *ir.Func) ([]*ir.Block, []int) {
	nb := f.NumBlocks()
	depth := make([]int, nb)
	seen := make([]bool, nb)
	onStack := make([]bool, nb)
	var post []*ir.Block
	var backEdges [][2]*ir.Block // latch, header
	type frame struct {
		b *ir.Block
		i int
	}
	stack := []frame{{f.Entry(), 0}}
	seen[f.Entry().ID] = true
	onStack[f.Entry().ID] = true
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		if top.i < len(top.b.Succs) {
			// Visit successors last-first, so Succs[0] tends to follow
			// its block directly.
			s := top.b.Succs[len(top.b.Succs)-1-top.i]
			top.i++
			if onStack[s.ID] {
				backEdges = append(backEdges, [2]*ir.Block{top.b, s})
			}
			if !seen[s.ID] {
				seen[s.ID] = true
				onStack[s.ID] = true
				stack = append(stack, frame{s, 0})
			}
			continue
		}
		onStack[top.b.ID] = false
		post = append(post, top.b)
		stack = stack[:len(stack)-1]
	}
	slices.Reverse(post)
	if len(backEdges) == 0 {
		return post, depth
	}
	// Natural loop bodies: blocks reaching a latch without passing the header.
	loops := map[int32][]bool{}
	for _, e := range backEdges {
		latch, h := e[0], e[1]
		body := loops[h.ID]
		if body == nil {
			body = make([]bool, nb)
			body[h.ID] = true
			loops[h.ID] = body
		}
		work := []*ir.Block{latch}
		for len(work) > 0 {
			b := work[len(work)-1]
			work = work[:len(work)-1]
			if body[b.ID] || !seen[b.ID] {
				continue
			}
			body[b.ID] = true
			work = append(work, b.Preds...)
		}
	}
	order := make([]*ir.Block, 0, len(post))
	placed := make([]bool, nb)
	var place func(b *ir.Block)
	place = func(b *ir.Block) {
		if placed[b.ID] {
			return
		}
		placed[b.ID] = true
		order = append(order, b)
		if body := loops[b.ID]; body != nil {
			for _, x := range post {
				if body[x.ID] {
					place(x)
				}
			}
		}
	}
	for _, b := range post {
		place(b)
	}
	for _, body := range loops {
		for id, in := range body {
			if in {
				depth[id]++
			}
		}
	}
	return order, depth
}

// Allocate assigns a location to every value of f.
func Allocate(f *ir.Func, c *Config) (*Allocation, error) {
	nv := f.NumValues()
	order, depth := linearize(f)
	a := &Allocation{Order: order, Locs: make([]Loc, nv), Pos: make([]int32, nv), Results: map[*ir.Value][]*ir.Value{}}
	reach := make([]bool, f.NumBlocks())
	for _, b := range a.Order {
		reach[b.ID] = true
	}

	// Which values need a location.
	needs := make([]bool, nv)
	class := make([]RegClass, nv)
	for _, b := range a.Order {
		for _, v := range b.Values {
			if v.Op == ir.OpResult {
				call := v.Args[0]
				if call.Block != b {
					return nil, fmt.Errorf("value v%d: result of call v%d in another block", v.ID, call.ID)
				}
				a.Results[call] = append(a.Results[call], v)
			}
			if v.Type == ir.Void || v.Type == ir.Tuple || v.Uses == 0 {
				continue
			}
			if k, ok := c.NoReg(v); ok {
				a.Locs[v.ID] = Loc{Kind: k}
				continue
			}
			cl, ok := c.Class(v.Type)
			if !ok {
				return nil, fmt.Errorf("value v%d: type %v not supported", v.ID, v.Type)
			}
			needs[v.ID] = true
			class[v.ID] = cl
		}
	}

	// Positions.
	start := make([]int32, f.NumBlocks())
	term := make([]int32, f.NumBlocks())
	pos := int32(0)
	var clobberAt []struct {
		pos int32
		set RegSet
	}
	for _, b := range a.Order {
		start[b.ID] = pos
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
				clobberAt = append(clobberAt, struct {
					pos int32
					set RegSet
				}{pos, cl})
			}
			pos += 2
		}
		term[b.ID] = pos
		pos += 2
	}

	// Liveness, over the values that cross a block boundary only (used in
	// another block than their own, or flowing into a phi): the others
	// are live from their definition to their last use in their block.
	nb := f.NumBlocks()
	gidx := make([]int32, nv)
	for i := range gidx {
		gidx[i] = -1
	}
	var globals []*ir.Value
	global := func(x *ir.Value) {
		if needs[x.ID] && gidx[x.ID] < 0 {
			gidx[x.ID] = int32(len(globals))
			globals = append(globals, x)
		}
	}
	for _, b := range a.Order {
		for _, v := range b.Values {
			for _, x := range v.Args {
				if v.Op == ir.OpPhi || x.Block != b {
					global(x)
				}
			}
		}
		for _, x := range b.Controls {
			if x.Block != b {
				global(x)
			}
		}
	}
	ng := len(globals)
	gen := make([]bitset, nb)
	kill := make([]bitset, nb)
	liveIn := make([]bitset, nb)
	liveOut := make([]bitset, nb)
	phiUse := make([]bitset, nb) // phi args flowing out of b
	for _, b := range a.Order {
		g, k := newBitset(ng), newBitset(ng)
		liveIn[b.ID], liveOut[b.ID], phiUse[b.ID] = newBitset(ng), newBitset(ng), newBitset(ng)
		use := func(x *ir.Value) {
			if i := gidx[x.ID]; i >= 0 && !k.has(i) {
				g.set(i)
			}
		}
		for _, v := range b.Values {
			if v.Op != ir.OpPhi {
				for _, x := range v.Args {
					use(x)
				}
			}
			if i := gidx[v.ID]; i >= 0 {
				k.set(i)
			}
		}
		for _, x := range b.Controls {
			use(x)
		}
		gen[b.ID], kill[b.ID] = g, k
	}
	for _, b := range a.Order {
		for i, p := range b.Preds {
			if !reach[p.ID] {
				continue
			}
			for _, v := range b.Values {
				if v.Op == ir.OpPhi && needs[v.ID] {
					if j := gidx[v.Args[i].ID]; j >= 0 {
						phiUse[p.ID].set(j)
					}
				}
			}
		}
	}
	tmp := newBitset(ng)
	for changed := true; changed; {
		changed = false
		for i := len(a.Order) - 1; i >= 0; i-- {
			b := a.Order[i]
			out := liveOut[b.ID]
			out.orWith(phiUse[b.ID])
			for _, s := range b.Succs {
				tmp.copyFrom(liveIn[s.ID])
				for _, v := range s.Values {
					if j := gidx[v.ID]; v.Op == ir.OpPhi && j >= 0 {
						tmp.clear(j)
					}
				}
				out.orWith(tmp)
			}
			for j := range tmp {
				tmp[j] = out[j]&^kill[b.ID][j] | gen[b.ID][j]
			}
			if liveIn[b.ID].orWith(tmp) {
				changed = true
			}
		}
	}

	// Intervals: in SSA form a value is live in one contiguous piece of
	// each block, from its definition (or the block start when live in)
	// to its last use in the block (or the block end when live out).
	ivs := make([]*interval, nv)
	for _, b := range a.Order {
		for _, v := range b.Values {
			if needs[v.ID] {
				ivs[v.ID] = &interval{v: v, class: class[v.ID], reg: -1}
			}
		}
	}
	lastUse := make([]int32, nv)
	for _, b := range a.Order {
		bs, be := start[b.ID], term[b.ID]+2 // be: exclusive, covers end(b)
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
		for w, word := range liveIn[b.ID] {
			for word != 0 {
				bit := bits.TrailingZeros64(word)
				word &^= 1 << uint(bit)
				lastUse[globals[w*64+bit].ID] = -1
			}
		}
		for _, v := range b.Values {
			if v.Op != ir.OpPhi {
				for _, x := range v.Args {
					use(x, a.Pos[v.ID])
				}
			}
		}
		for _, x := range b.Controls {
			use(x, term[b.ID])
		}
		add := func(x *ir.Value, from int32) {
			iv := ivs[x.ID]
			to := lastUse[x.ID]
			if j := gidx[x.ID]; j >= 0 && liveOut[b.ID].has(j) {
				to = be
			}
			if to <= from {
				to = from + 1 // defined and never used here: still needs a place
			}
			iv.ranges = append(iv.ranges, liveRange{from, to})
		}
		for _, v := range b.Values {
			if ivs[v.ID] != nil {
				add(v, a.Pos[v.ID])
			}
		}
		for w, word := range liveIn[b.ID] {
			for word != 0 {
				bit := bits.TrailingZeros64(word)
				word &^= 1 << uint(bit)
				if x := globals[w*64+bit]; x.Block != b {
					add(x, bs)
				}
			}
		}
	}
	var list []*interval
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

	// Spill weights: uses (and the definition) weighted by loop depth,
	// divided by the interval's length, so long, rarely used intervals
	// are spilled before short ones used in inner loops.
	cost := make([]float64, nv)
	w := func(b *ir.Block) float64 { return math.Pow(10, float64(min(depth[b.ID], 6))) }
	for _, b := range a.Order {
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

	// Clobber positions per register.
	var clob [64][]int32
	for _, ca := range clobberAt {
		for r := 0; r < 64; r++ {
			if ca.set&(1<<uint(r)) != 0 {
				clob[r] = append(clob[r], ca.pos)
			}
		}
	}
	clobbered := func(r Reg, iv *interval) bool {
		l := clob[r]
		for _, rg := range iv.ranges {
			i, _ := slices.BinarySearch(l, rg.from+1)
			if i < len(l) && l[i] < rg.to {
				return true
			}
		}
		return false
	}

	// Phis that take each value as an arg (for coalescing hints).
	phiUsers := map[int32][]*ir.Value{}
	for _, b := range a.Order {
		for _, v := range b.Values {
			if v.Op == ir.OpPhi && needs[v.ID] {
				for _, x := range v.Args {
					phiUsers[x.ID] = append(phiUsers[x.ID], v)
				}
			}
		}
	}

	// Linear scan with lifetime holes: active intervals cover the current
	// position, inactive ones have started but are in a hole.
	slices.SortStableFunc(list, func(x, y *interval) int {
		if x.start() != y.start() {
			return int(x.start() - y.start())
		}
		return int(x.v.ID - y.v.ID)
	})
	var classRegs [NumClasses]RegSet
	for cl, rs := range c.Regs {
		for _, r := range rs {
			classRegs[cl] |= 1 << uint(r)
		}
	}
	var active, spilled []*interval
	var inactive [64][]*interval // by register
	for _, cur := range list {
		pos := cur.start()
		k := 0
		for _, o := range active {
			switch {
			case o.end() <= pos:
			case !o.covers(pos):
				inactive[o.reg] = append(inactive[o.reg], o)
			default:
				active[k] = o
				k++
			}
		}
		active = active[:k]
		for r := range inactive {
			l := inactive[r]
			j := 0
			for _, o := range l {
				switch {
				case o.end() <= pos:
				case o.covers(pos):
					active = append(active, o)
				default:
					l[j] = o
					j++
				}
			}
			clear(l[j:])
			inactive[r] = l[:j]
		}
		var busy RegSet
		for _, o := range active {
			busy |= 1 << uint(o.reg)
		}

		usable := func(r Reg) bool {
			if r < 0 || !classRegs[cur.class].Has(r) || busy.Has(r) || clobbered(r, cur) {
				return false
			}
			for _, o := range inactive[r] {
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
		try(c.Hint(cur.v))
		// The register of an operand that dies here (for a phi: of an
		// incoming value, so the edge move disappears).
		for _, x := range cur.v.Args {
			if o := ivs[x.ID]; o != nil && o.class == cur.class {
				try(o.reg)
			}
		}
		// The register of a phi this value flows into.
		for _, p := range phiUsers[cur.v.ID] {
			try(ivs[p.ID].reg)
		}
		for _, r := range c.Regs[cur.class] {
			try(r)
		}
		if chosen < 0 {
			// Spill the cheapest: the intervals blocking one register, or
			// cur itself (ties: whatever ends last, as Poletto & Sarkar).
			bestW, bestEnd := math.Inf(1), int32(-1)
			for _, r := range c.Regs[cur.class] {
				if clobbered(r, cur) {
					continue
				}
				wr, e := 0.0, int32(-1)
				for _, o := range active {
					if o.reg == r {
						wr += o.weight
						e = max(e, o.end())
					}
				}
				for _, o := range inactive[r] {
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
				cur.spilled = true
				spilled = append(spilled, cur)
				continue
			}
			spill := func(o *interval) {
				o.reg = -1
				o.spilled = true
				spilled = append(spilled, o)
			}
			k := 0
			for _, o := range active {
				if o.reg == chosen {
					spill(o)
					continue
				}
				active[k] = o
				k++
			}
			active = active[:k]
			l := inactive[chosen]
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
			inactive[chosen] = l[:k]
		}
		cur.reg = chosen
		a.UsedRegs |= 1 << uint(chosen)
		active = append(active, cur)
	}

	// Spill slots, reused by intervals that do not overlap.
	slices.SortStableFunc(spilled, func(x, y *interval) int {
		if x.start() != y.start() {
			return int(x.start() - y.start())
		}
		return int(x.v.ID - y.v.ID)
	})
	var slotEnd []int32
	for _, iv := range spilled {
		slot := -1
		for s, e := range slotEnd {
			if e <= iv.start() {
				slot = s
				break
			}
		}
		if slot < 0 {
			slot = len(slotEnd)
			slotEnd = append(slotEnd, 0)
		}
		slotEnd[slot] = iv.end()
		a.Locs[iv.v.ID] = Loc{Kind: LocStack, Slot: int32(slot)}
	}
	a.NumSlots = len(slotEnd)
	for _, iv := range list {
		if !iv.spilled {
			a.Locs[iv.v.ID] = RegLoc(iv.reg)
		}
	}
	return a, nil
}

func inClass(c *Config, cl RegClass, r Reg) bool { return slices.Contains(c.Regs[cl], r) }

func trailingZeros(x uint64) int { return bits.TrailingZeros64(x) }
