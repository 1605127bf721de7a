package lower

// Register allocation: linear scan over lifetime intervals with holes.
//
// The allocator works directly on an ir.Func in SSA form; the target
// describes its registers with a Config (register classes, callee-saved set,
// which registers each value's lowering clobbers, which values need no
// location at all, preferred registers). It follows Poletto & Sarkar,
// "Linear Scan Register Allocation" (TOPLAS 1999), with the lifetime holes
// and active/inactive sets of Wimmer & Franz, "Linear Scan Register
// Allocation on SSA Form" (CGO 2010), but without general interval
// splitting: a value has one location, a register or a stack slot, for its
// whole life, and a spilled one may in addition be reloaded into a free
// register for a run of uses within a block (phase 7).
//
// Allocate runs these phases, one function each; the files say more:
//
//  1. Linearise the blocks (linearize, linearize.go): reverse postorder,
//     with every natural loop made contiguous, so dominators come first
//     and a loop's values are not kept live across unrelated code. Then
//     decide which values need a location (needLocations, here): constants
//     the target rematerialises and compares fused into a branch get none.
//  2. Number positions (number, intervals.go): a block's start (where its
//     phis, and in the entry block the params, are defined) is even, each
//     value gets the next even position, the terminator the next one, and
//     end(b) = terminator + 1 is where moves into successor phis happen.
//  3. Liveness (ComputeLiveness, liveness.go) by backward dataflow over
//     bit sets of the values that cross a block boundary; a phi arg is
//     live out of its predecessor, not live into the phi's block. It is
//     exported for the other questions about what is live (stack maps,
//     landing pads: what survives a call or a stack switch).
//  4. Intervals (buildIntervals, intervals.go): in each block a value is
//     live in one piece, from its definition (or the block start) to its
//     last use (or past the block end if live out), so an interval is a
//     sorted list of half-open ranges. A value live around a loop is live
//     out of the latch and into the header, so its ranges cover the whole
//     loop. Each gets a spill weight (spillWeights): uses weighted
//     10^loop depth, divided by the interval's length.
//  5. Scan intervals by start (linearScan, linearscan.go), keeping the
//     intervals that cover the position (active) apart from those in a
//     hole (inactive). A register is usable by an interval when no active
//     interval holds it, no inactive interval holding it intersects it,
//     and no instruction strictly inside one of its ranges clobbers it
//     (calls clobber every caller-saved register, so values live across
//     calls get callee-saved registers or a stack slot). Ranges are
//     half-open, so a value may take the register of an operand that dies
//     at its definition: an instruction reads its operands before writing
//     its result. The preferred register is tried first (the target's
//     hint, then an operand dying here, then the register of a phi the
//     value flows into, so the phi's edge move disappears), then the
//     others in order. When none is usable, the cheapest is spilled: the
//     intervals blocking one register or the current one, by spill weight
//     (ties go to whatever ends last). A spilled value lives in its stack
//     slot for its whole life; the target loads it into a scratch register
//     at each use not covered by a reload (phase 7).
//  6. Spill slots (assignSlots, slots.go) are reused by spilled intervals
//     that do not overlap.
//  7. Reloads (planReloads, reloads.go): where two or more consecutive
//     uses of a spilled value in one block have a caller-saved register
//     free between them, the value is loaded into it once before the
//     first and read there by all of them (Allocation.Reloads, LocAt):
//     the split of its interval around the calls and stack switches that
//     made it spill.
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
	"cmp"
	"fmt"
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
	// InMemory reports values that must live in a stack slot for their
	// whole life (nil: none), such as those live into an exception
	// landing pad, which is entered with no register preserved.
	InMemory func(v *ir.Value) bool
	// SaveAround returns the registers v's lowering destroys only on a
	// slow path (an exit to the runtime) and saves around it itself, so
	// Clobbers need not report them (nil: none). Values live across v
	// may then keep such a register; Allocation.Saves says which the
	// lowering must save.
	SaveAround func(v *ir.Value) RegSet
	// Incoming returns the register a param (or the vmctx) arrives in,
	// or -1 (nil: none known). A spilled param may then be read there
	// until the register is needed (reloads.go).
	Incoming func(v *ir.Value) Reg
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
	// Saves lists, by value, the registers of Config.SaveAround(v) that
	// hold values live across v, in increasing order; the lowering saves
	// the k-th in spill slot SaveSlot+k around its slow path.
	Saves    map[*ir.Value][]Reg
	SaveSlot int32
	// Live is the liveness the allocation was computed from, over Order:
	// valid while the function is unchanged, for the target's own
	// questions about what is live after allocation.
	Live *Liveness
	// Reloads lists, in increasing From, the runs of uses in which a
	// spilled value is also in a register (reloads.go): the target loads
	// each from the value's slot before the instruction at From+1, and
	// reads operands through LocAt.
	Reloads []Reload
	byValue []Reload    // Reloads by value, then From
	runs    []reloadRun // by value ID: its reloads in byValue; nil: no reloads
	term    []int32     // by block ID: position of the terminator
}

// Loc returns v's location.
func (a *Allocation) Loc(v *ir.Value) Loc { return a.Locs[v.ID] }

// Allocate assigns a location to every value of f.
func Allocate(f *ir.Func, c *Config) (*Allocation, error) {
	nv := f.NumValues()
	order, depth := linearize(f)
	a := &Allocation{Order: order, Locs: make([]Loc, nv), Pos: make([]int32, nv), Results: map[*ir.Value][]*ir.Value{}}
	needs, class, err := needLocations(f, a, c)
	if err != nil {
		return nil, err
	}
	pos := number(f, a, c)
	a.term = pos.term
	live := ComputeLiveness(f, order)
	a.Live = live
	ivs, list := buildIntervals(f, a, pos, live, class, needs)
	spillWeights(f, order, depth, list)
	spilled, used := linearScan(order, ivs, list, c, pos.clobbers)
	a.UsedRegs = used
	assignSlots(a, list, spilled)
	planReloads(a, c, pos, list, spilled)
	if c.SaveAround != nil {
		findSaves(a, c, list)
	}
	return a, nil
}

// findSaves fills a.Saves: for each value with Config.SaveAround
// registers, those held by intervals live across it (a range strictly
// around its position), and reserves the slots to save them in.
func findSaves(a *Allocation, c *Config, list []*interval) {
	type site struct {
		pos int32
		v   *ir.Value
		set RegSet
	}
	var sites []site
	for _, b := range a.Order {
		for _, v := range b.Values {
			if set := c.SaveAround(v); set != 0 {
				sites = append(sites, site{a.Pos[v.ID], v, set})
			}
		}
	}
	if len(sites) == 0 {
		return
	}
	// Positions increase along the order, so sites is sorted by pos.
	live := make([]RegSet, len(sites))
	for _, iv := range list {
		if iv.spilled || iv.reg < 0 {
			continue
		}
		for _, rg := range iv.ranges {
			i, _ := slices.BinarySearchFunc(sites, rg.from+1, func(s site, p int32) int { return cmp.Compare(s.pos, p) })
			for ; i < len(sites) && sites[i].pos < rg.to; i++ {
				if sites[i].v != iv.v && sites[i].set.Has(iv.reg) {
					live[i] |= 1 << uint(iv.reg)
				}
			}
		}
	}
	most := 0
	for i, s := range sites {
		var regs []Reg
		for r := Reg(0); r < 64; r++ {
			if live[i].Has(r) {
				regs = append(regs, r)
			}
		}
		if len(regs) == 0 {
			continue
		}
		if a.Saves == nil {
			a.Saves = map[*ir.Value][]Reg{}
		}
		a.Saves[s.v] = regs
		most = max(most, len(regs))
	}
	a.SaveSlot = int32(a.NumSlots)
	a.NumSlots += most
}

// needLocations reports which values of a.Order need a register or a slot,
// and of which class. It records the locations of the values that need
// none (c.NoReg) in a.Locs and the results of tuple-typed calls in
// a.Results.
func needLocations(f *ir.Func, a *Allocation, c *Config) (needs []bool, class []RegClass, err error) {
	needs = make([]bool, f.NumValues())
	class = make([]RegClass, f.NumValues())
	for _, b := range a.Order {
		for _, v := range b.Values {
			if v.Op == ir.OpResult {
				call := v.Args[0]
				if call.Block != b {
					return nil, nil, fmt.Errorf("value v%d: result of call v%d in another block", v.ID, call.ID)
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
				return nil, nil, fmt.Errorf("value v%d: type %v not supported", v.ID, v.Type)
			}
			needs[v.ID] = true
			class[v.ID] = cl
		}
	}
	return needs, class, nil
}
