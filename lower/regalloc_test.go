package lower

import (
	"slices"
	"testing"

	"wfxc/ir"
)

func testConfig(nregs int, clobber func(v *ir.Value) RegSet) *Config {
	regs := []Reg{0, 1, 2, 3, 4, 5, 6, 7}[:nregs]
	return &Config{
		Regs:        [NumClasses][]Reg{regs, {16, 17}},
		CalleeSaved: 1<<2 | 1<<3,
		Class: func(t ir.Type) (RegClass, bool) {
			switch t {
			case ir.I32, ir.I64:
				return ClassInt, true
			case ir.F32, ir.F64:
				return ClassFloat, true
			}
			return 0, false
		},
		Clobbers: clobber,
		NoReg: func(v *ir.Value) (LocKind, bool) {
			if v.Op == ir.OpConst {
				return LocRemat, true
			}
			return 0, false
		},
		Hint: func(*ir.Value) Reg { return -1 },
	}
}

// lcg is a small deterministic generator for test shapes.
type lcg uint64

func (g *lcg) next(n int) int {
	*g = *g*6364136223846793005 + 1442695040888963407
	return int(uint64(*g)>>33) % n
}

// TestAllocate_straightLineNoConflicts checks, on random straight-line
// code, that two values whose live ranges overlap never share a register.
func TestAllocate_straightLineNoConflicts(t *testing.T) {
	for seed := lcg(1); seed < 40; seed++ {
		g := seed
		f := ir.NewFunc("f", 0, []ir.Type{ir.I64, ir.I64}, []ir.Type{ir.I64})
		b := f.Entry()
		b.Kind = ir.BlockReturn
		vs := []*ir.Value{b.NewValueAux(ir.OpParam, ir.I64, 0), b.NewValueAux(ir.OpParam, ir.I64, 1)}
		for i := 0; i < 40; i++ {
			x, y := vs[g.next(len(vs))], vs[g.next(len(vs))]
			vs = append(vs, b.NewValue(ir.OpAdd, ir.I64, x, y))
		}
		b.SetControls(vs[len(vs)-1])
		a, err := Allocate(f, testConfig(3, func(*ir.Value) RegSet { return 0 }))
		if err != nil {
			t.Fatal(err)
		}
		// Live range: (def, last use]; params are defined at 0.
		pos := map[*ir.Value]int{}
		last := map[*ir.Value]int{}
		for i, v := range b.Values {
			pos[v] = i
			if v.Op == ir.OpParam {
				pos[v] = -1
			}
			for _, x := range v.Args {
				last[x] = i
			}
		}
		last[vs[len(vs)-1]] = len(b.Values)
		for _, v := range b.Values {
			for _, w := range b.Values {
				if v == w || v.Uses == 0 || w.Uses == 0 {
					continue
				}
				lv, lw := a.Loc(v), a.Loc(w)
				if lv.Kind != LocReg || lw != lv {
					continue
				}
				// Overlap: each is defined before the other's last use
				// (sharing is allowed when one dies where the other is born).
				if pos[v] < last[w] && pos[w] < last[v] {
					t.Fatalf("seed %d: v%d [%d,%d] and v%d [%d,%d] share %v", seed, v.ID, pos[v], last[v], w.ID, pos[w], last[w], lv)
				}
			}
		}
		if a.NumSlots == 0 {
			t.Errorf("seed %d: no spills with 3 registers and 40 values", seed)
		}
	}
}

func TestAllocate_acrossCall(t *testing.T) {
	// v = param; c = call; r = v + c: v lives across the call, so it must be
	// in a callee-saved register (2 or 3) or on the stack; a float across it
	// must be on the stack (no callee-saved float registers here).
	f := ir.NewFunc("f", 0, []ir.Type{ir.I64, ir.F64}, []ir.Type{ir.I64, ir.F64})
	b := f.Entry()
	b.Kind = ir.BlockReturn
	p := b.NewValueAux(ir.OpParam, ir.I64, 0)
	q := b.NewValueAux(ir.OpParam, ir.F64, 1)
	c := b.NewValueAux(ir.OpCall, ir.I64, 0, p)
	r := b.NewValue(ir.OpAdd, ir.I64, p, c)
	b.SetControls(r, q)
	callerSaved := RegSet(1<<0 | 1<<1 | 1<<4 | 1<<5 | 1<<16 | 1<<17)
	a, err := Allocate(f, testConfig(6, func(v *ir.Value) RegSet {
		if v.Op == ir.OpCall {
			return callerSaved
		}
		return 0
	}))
	if err != nil {
		t.Fatal(err)
	}
	if l := a.Loc(p); l.Kind == LocReg && callerSaved.Has(l.Reg) {
		t.Errorf("param live across call in caller-saved %v", l)
	}
	if l := a.Loc(q); l.Kind != LocStack {
		t.Errorf("float live across call at %v, want a stack slot", l)
	}
	if l := a.Loc(c); l.Kind != LocReg {
		t.Errorf("call result at %v, want a register", l)
	}
}

// TestAllocate_savesAroundSlowPath: an op whose slow path saves the
// caller-saved registers itself (Config.SaveAround) lets a value live
// across it keep one, and Saves lists exactly the registers live across:
// not the op's result, not an operand that dies there, and the save slots
// come after the spill slots.
func TestAllocate_savesAroundSlowPath(t *testing.T) {
	f := ir.NewFunc("f", 0, []ir.Type{ir.I64, ir.I64}, []ir.Type{ir.I64})
	b := f.Entry()
	b.Kind = ir.BlockReturn
	p := b.NewValueAux(ir.OpParam, ir.I64, 0)
	q := b.NewValueAux(ir.OpParam, ir.I64, 1)
	vm := b.NewValue(ir.OpVMCtx, ir.I64)
	c := b.NewValueAux(ir.OpLibcall, ir.I64, 0, vm, q) // q dies here
	r := b.NewValue(ir.OpAdd, ir.I64, p, c)
	r2 := b.NewValue(ir.OpAdd, ir.I64, r, vm)
	b.SetControls(r2)
	callerSaved := RegSet(1<<0 | 1<<1 | 1<<4 | 1<<5)
	cfg := testConfig(6, func(v *ir.Value) RegSet { return 0 })
	cfg.SaveAround = func(v *ir.Value) RegSet {
		if v.Op == ir.OpLibcall {
			return callerSaved
		}
		return 0
	}
	a, err := Allocate(f, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if l := a.Loc(p); l.Kind != LocReg || l.Reg != 0 {
		t.Fatalf("p live across the slow op at %v, want r0 (first in order)", l)
	}
	var want []Reg
	for _, x := range []*ir.Value{p, vm} {
		l := a.Loc(x)
		if l.Kind != LocReg {
			t.Fatalf("v%d live across the slow op at %v, want a register", x.ID, l)
		}
		if callerSaved.Has(l.Reg) {
			want = append(want, l.Reg)
		}
	}
	slices.Sort(want)
	if got := a.Saves[c]; !slices.Equal(got, want) {
		t.Errorf("Saves = %v, want %v (q dies at the op, c is its result)", got, want)
	}
	if a.SaveSlot != int32(a.NumSlots-len(want)) {
		t.Errorf("SaveSlot %d with %d slots, want the last %d", a.SaveSlot, a.NumSlots, len(want))
	}
}

func TestAllocate_errors(t *testing.T) {
	f := ir.NewFunc("f", 0, []ir.Type{ir.V128}, []ir.Type{ir.V128})
	b := f.Entry()
	b.Kind = ir.BlockReturn
	b.SetControls(b.NewValueAux(ir.OpParam, ir.V128, 0))
	if _, err := Allocate(f, testConfig(4, func(*ir.Value) RegSet { return 0 })); err == nil {
		t.Fatal("v128 value allocated, want an error")
	}
}
