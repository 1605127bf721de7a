package lower

// Reloads of spilled values into free registers (phase 7 of regalloc.go):
// the equivalent of splitting a spilled interval around its uses.
//
// A spilled value lives in its stack slot for its whole life, and its
// slot is written once, at the definition, so at any later point the slot
// holds it. Without more, the target loads it into a scratch register at
// every use, even several times in one block with registers free around
// (a value live across a call or a stack switch, which clobber them, is
// spilled for its whole life). planReloads finds runs of two or more
// consecutive uses of a spilled value over which some caller-saved
// register of its class is free: held by no interval and by no other
// reload, destroyed by no instruction strictly inside the run
// (Config.Clobbers and Config.SaveAround). The value is loaded into that
// register once, just before the first use of the run, and read there by
// every use of the run. The first run may start earlier: a param is read
// in the register it arrives in (Config.Incoming) while that is free, and
// any other value is loaded right after its definition, where the target
// copies the register it has just stored the value from instead (then a
// run of one use gains too). Example (v3 spilled to slot0, live across a
// call):
//
//	b1: v5 = iadd v3 v4; v6 = imul v5 v3; v7 = call f v6; v8 = iadd v7 v3
//	before: load slot0 at v5 and at v6       after: RCX ← slot0 before v5,
//	                                                v5 and v6 read RCX
//
// A run stays within a chain of blocks, each entered only from the one
// before it in the order (a bounds check's passing side, say), so nothing
// changes on the edges: the slot stays the value's location for phi
// moves, stack maps and every question asked outside a use (LocAt with a
// position outside the run). Callee-saved registers are not used, so the
// set the function saves (and shrink-wrapping, which moves the saves) is
// as before.
//
// Measured on x86-64 (objdump of the objects): SQLite's frame loads
// 76,880 -> 51,961 (sqlite3VdbeExec 8,450 -> 5,832), its instructions
// 472,869 -> 452,675; SQLite's run time 0.733 -> 0.648 s (median of six
// medians of bench/cmd/compare -suite corpus, alternating with a baseline
// on a shared machine).
//
// Invariants:
//   - a reload's register is free over [From, Last): From (first use - 1,
//     or definition + 1) is odd, where no value is defined, so the load
//     writes no register an operand of the next instruction still holds,
//     and the use at Last may define its result in the register, as with
//     an operand dying there;
//   - no reload starts while a value with no location (a compare fused
//     into its branch, a load folded into the next instruction) is
//     pending: between such a value and its last user the target still
//     reads its operands, whose intervals have already ended;
//   - reloads are listed in increasing From, and a target emits each
//     exactly once, before the instruction at From+1.

import (
	"cmp"
	"slices"

	"wfxc/ir"
)

// A Reload is a stretch of a spilled value's life, within one chain of
// blocks, in which it is also in register Reg: loaded from its slot just before the
// instruction at position From+1 (From is odd), and read in Reg by the
// instructions at positions in (From, Last].
type Reload struct {
	V          *ir.Value
	Reg        Reg
	From, Last int32
	// InPlace: a param that arrives in Reg (Config.Incoming) and is read
	// there until Last; From is -1 and nothing is loaded. Such reloads
	// are not in Allocation.Reloads.
	InPlace bool
}

// reloadRun is the span of one value's reloads in Allocation.byValue.
type reloadRun struct{ start, n int32 }

// LocAt returns where v is read by the instruction at position p (a value's
// Pos or a block's TermPos): a reload's register when one covers p, else
// v's location. A negative p gives v's location.
func (a *Allocation) LocAt(v *ir.Value, p int32) Loc {
	l := a.Locs[v.ID]
	if l.Kind != LocStack || p < 0 || a.runs == nil {
		return l
	}
	run := a.runs[v.ID]
	rs := a.byValue[run.start : run.start+run.n]
	// The last reload starting before p.
	i, _ := slices.BinarySearchFunc(rs, p, func(r Reload, p int32) int { return cmp.Compare(r.From, p) })
	if i > 0 && p <= rs[i-1].Last {
		return RegLoc(rs[i-1].Reg)
	}
	return l
}

// TermPos returns the position of b's terminator, at which it reads its
// controls.
func (a *Allocation) TermPos(b *ir.Block) int32 { return a.term[b.ID] }

// planReloads fills a.Reloads (see the file comment). spilled are the
// intervals assigned slots; list is every interval, with its register.
func planReloads(a *Allocation, c *Config, p *positions, list, spilled []*interval) {
	nv := len(a.Locs)
	var cands [NumClasses][]Reg
	for cl, rs := range c.Regs {
		for _, r := range rs {
			if !c.CalleeSaved.Has(r) {
				cands[cl] = append(cands[cl], r)
			}
		}
	}
	isCand := make([]bool, nv)
	some := false
	for _, iv := range spilled {
		if len(cands[iv.class]) > 0 && iv.v.Type.Size() <= 8 && (c.InMemory == nil || !c.InMemory(iv.v)) {
			isCand[iv.v.ID] = true
			some = true
		}
	}
	if !some {
		return
	}

	// Chains: a block continues its predecessor's chain when it is the
	// predecessor's only successor in the order that it enters, and has
	// no other predecessor; a register loaded in one block of a chain
	// still holds the value in the next.
	chain := make([]int32, len(a.Order))
	chainOf := make([]int32, len(p.start)) // by block ID
	for bi := 1; bi < len(a.Order); bi++ {
		b, prev := a.Order[bi], a.Order[bi-1]
		chain[bi] = chain[bi-1]
		if len(b.Preds) != 1 || b.Preds[0] != prev || prev.Kind != ir.BlockPlain && prev.Kind != ir.BlockIf {
			chain[bi]++
		}
		chainOf[b.ID] = chain[bi]
	}
	// Use positions of the candidates, in increasing order, with the
	// chain of each; positions where a reload may not start (pending
	// values with no location).
	type use struct{ pos, chain int32 }
	uses := make([][]use, nv)
	last := len(a.Order) - 1
	blocked := make([]bool, p.term[a.Order[last].ID]+2)
	pending := make([]int32, nv) // by value ID: last user of a value with no location, in its block
	for bi, b := range a.Order {
		add := func(x *ir.Value, at int32) {
			if !isCand[x.ID] {
				return
			}
			u := uses[x.ID]
			if n := len(u); n > 0 && u[n-1].pos == at {
				return
			}
			uses[x.ID] = append(u, use{at, chain[bi]})
		}
		deferred := func(x *ir.Value, at int32) {
			if x.Block == b && a.Locs[x.ID].Kind == LocNone && tracked(x) {
				pending[x.ID] = at
			}
		}
		for _, v := range b.Values {
			if v.Op == ir.OpPhi {
				continue
			}
			at := a.Pos[v.ID]
			for _, x := range v.Args {
				add(x, at)
				deferred(x, at)
			}
		}
		for _, x := range b.Controls {
			add(x, p.term[b.ID])
			deferred(x, p.term[b.ID])
		}
		for _, v := range b.Values {
			if v.Op != ir.OpPhi && v.Op != ir.OpResult && pending[v.ID] > 0 {
				for q := a.Pos[v.ID] + 1; q < pending[v.ID]; q++ {
					blocked[q] = true
				}
			}
		}
	}

	// Registers held by intervals (and then by reloads), per register:
	// sorted disjoint ranges.
	var occ [64][]liveRange
	for _, iv := range list {
		if !iv.spilled && iv.reg >= 0 {
			occ[iv.reg] = append(occ[iv.reg], iv.ranges...)
		}
	}
	for r := range occ {
		slices.SortFunc(occ[r], func(x, y liveRange) int { return cmp.Compare(x.from, y.from) })
	}
	cs := slices.Clone(p.clobbers)
	if c.SaveAround != nil {
		for _, b := range a.Order {
			for _, v := range b.Values {
				if set := c.SaveAround(v); set != 0 {
					cs = append(cs, clobber{a.Pos[v.ID], set})
				}
			}
		}
	}
	clob := newClobberTable(cs)
	for r := range clob {
		slices.Sort(clob[r])
	}
	// free reports whether r is held by nothing over [from, to) and
	// destroyed by no instruction in (from, to).
	free := func(r Reg, from, to int32) bool {
		l := occ[r]
		i, _ := slices.BinarySearchFunc(l, from, func(x liveRange, p int32) int { return cmp.Compare(x.to, p+1) })
		if i < len(l) && l[i].from < to {
			return false
		}
		k := clob[r]
		j, _ := slices.BinarySearch(k, from+1)
		return j == len(k) || k[j] >= to
	}
	take := func(r Reg, from, to int32) {
		l := occ[r]
		i, _ := slices.BinarySearchFunc(l, from, func(x liveRange, p int32) int { return cmp.Compare(x.from, p) })
		occ[r] = slices.Insert(l, i, liveRange{from, to})
	}

	// incoming is the register a param arrives in, when the entry block
	// is entered only at the function's start.
	incoming := func(v *ir.Value) Reg {
		if c.Incoming == nil || v.Block != a.Order[0] || len(v.Block.Preds) != 0 || v.Op != ir.OpParam && v.Op != ir.OpVMCtx {
			return -1
		}
		return c.Incoming(v)
	}
	// extend returns the longest run u[:j+1] of uses in chain ch over
	// which a register of regs is free from from on, and the first such
	// register in preference order; r is -1 when none is free up to u[0].
	extend := func(regs []Reg, u []use, from, ch int32) (j int, r Reg) {
		var ok RegSet
		for _, r := range regs {
			if free(r, from, u[0].pos) {
				ok |= 1 << uint(r)
			}
		}
		if ok == 0 || u[0].chain != ch {
			return 0, -1
		}
		for j+1 < len(u) && u[j+1].chain == ch {
			var more RegSet
			for _, r := range regs {
				if ok.Has(r) && free(r, u[j].pos-1, u[j+1].pos) {
					more |= 1 << uint(r)
				}
			}
			if more == 0 {
				break
			}
			ok = more
			j++
		}
		for _, r := range regs {
			if ok.Has(r) {
				return j, r
			}
		}
		return 0, -1
	}
	var out []Reload
	for _, iv := range list {
		u := uses[iv.v.ID]
		regs := cands[iv.class]
		i := 0
		if r := incoming(iv.v); r >= 0 && slices.Contains(regs, r) && len(u) > 0 && u[0].chain == 0 && free(r, 0, u[0].pos) {
			// A param read where it arrived: a reload from position
			// -1 that loads nothing.
			j := 0
			for j+1 < len(u) && u[j+1].chain == 0 && free(r, u[j].pos-1, u[j+1].pos) {
				j++
			}
			take(r, 0, u[j].pos)
			out = append(out, Reload{V: iv.v, Reg: r, From: -1, Last: u[j].pos, InPlace: true})
			i = j + 1
		} else if d := a.Pos[iv.v.ID] + 1; len(u) > 0 && u[0].chain == chainOf[iv.v.Block.ID] && !blocked[d] {
			// Loaded right after the definition, where the target may
			// copy the register it stored from instead: then even one
			// use gains.
			if j, r := extend(regs, u, d, u[0].chain); r >= 0 && (j > 0 || storedAtDef(iv.v)) {
				take(r, d, u[j].pos)
				out = append(out, Reload{V: iv.v, Reg: r, From: d, Last: u[j].pos})
				i = j + 1
			}
		}
		for i+1 < len(u) {
			from := u[i].pos - 1
			if u[i+1].chain != u[i].chain || blocked[from] {
				i++
				continue
			}
			j, r := extend(regs, u[i+1:], from, u[i].chain)
			if r < 0 {
				i++
				continue
			}
			j += i + 1
			take(r, from, u[j].pos)
			out = append(out, Reload{V: iv.v, Reg: r, From: from, Last: u[j].pos})
			i = j + 1
		}
	}
	for _, r := range out {
		a.UsedRegs |= 1 << uint(r.Reg)
	}
	if len(out) == 0 {
		return
	}
	// out is by value (each value's reloads together), then From.
	a.byValue = out
	a.runs = make([]reloadRun, nv)
	for i, r := range out {
		run := &a.runs[r.V.ID]
		if run.n == 0 {
			run.start = int32(i)
		}
		run.n++
	}
	for _, r := range out {
		if !r.InPlace {
			a.Reloads = append(a.Reloads, r)
		}
	}
	slices.SortStableFunc(a.Reloads, func(x, y Reload) int { return cmp.Compare(x.From, y.From) })
}

// storedAtDef reports whether v's lowering stores it into its slot itself,
// so that a reload right after it may copy the register stored from: not
// params (moved into place by the prologue) nor phis (by edge moves).
func storedAtDef(v *ir.Value) bool {
	return v.Op != ir.OpParam && v.Op != ir.OpVMCtx && v.Op != ir.OpPhi
}
