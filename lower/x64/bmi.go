package x64

// Lowerings for x86-64-v3 (fn.cpu, from Backend.CPU / CompileFuncCPU;
// doc.go): with BMI1, ctz is one TZCNT and three bit idioms are one
// instruction each, the inner value lowered inside the AND (bmiFuse):
//
//	x & (x-1)   BLSR  (x-1 also as x + -1)
//	x & -x      BLSI  (-x as 0 - x)
//	~a & b      ANDN  (~a as a ^ -1)
//
// with LZCNT, clz is one LZCNT; with BMI2, a shift by a variable count is
// SHLX/SHRX/SARX, which take the count in any register and write a third:
// no move into CL, no clobbered CX, no copy of the shifted value
// (bmiClobbers). Baseline code (cpu == 0) never gets here.
//
// The inner value of a fused idiom is used once, by the AND right after it
// in its block (only constants, which emit nothing, between): it gets no
// location, and as the allocator does not split intervals, its operand is
// still in its location when the AND reads it.

import (
	"github.com/twitchyliquid64/golang-asm/obj"
	"github.com/twitchyliquid64/golang-asm/obj/x86"

	"wfxc/ir"
	"wfxc/lower"
	"wfxc/rt/abi"
)

// The fused idioms: what the AND's other operand must be.
const (
	idiomNone = iota
	idiomBLSR
	idiomBLSI
	idiomANDN
)

// bmiFuse marks the inner values of the BLSR, BLSI and ANDN idioms of f
// (by value ID) when the function may use BMI1.
func (e *fn) bmiFuse(f *ir.Func) {
	if e.cpu&abi.CPUBMI1 == 0 {
		return
	}
	for _, b := range f.Blocks {
		for i, v := range b.Values {
			if v.Op != ir.OpAnd || !isScalarInt(v.Type) || e.fused[v.ID] {
				continue
			}
			// The value before v, skipping constants.
			j := i - 1
			for j >= 0 && b.Values[j].Op == ir.OpConst {
				j--
			}
			if j < 0 {
				continue
			}
			s := b.Values[j]
			if s.Uses != 1 || e.fused[s.ID] || e.folded[s.ID] {
				continue
			}
			var other *ir.Value
			switch s {
			case v.Args[0]:
				other = v.Args[1]
			case v.Args[1]:
				other = v.Args[0]
			default:
				continue
			}
			if idiom(s, other) != idiomNone {
				e.bmi[s.ID] = true
			}
		}
	}
}

// idiom says which fused idiom AND(s, other) is, s being the inner value.
func idiom(s, other *ir.Value) int {
	if !isScalarInt(s.Type) || len(s.Args) != 2 || remat(other) {
		return idiomNone
	}
	x, y := s.Args[0], s.Args[1]
	switch {
	case s.Op == ir.OpSub && x == other && isConst(y, 1), s.Op == ir.OpAdd && x == other && isConst(y, -1),
		s.Op == ir.OpAdd && y == other && isConst(x, -1):
		return idiomBLSR
	case s.Op == ir.OpSub && y == other && isConst(x, 0):
		return idiomBLSI
	case s.Op == ir.OpXor && isConst(y, -1) && !remat(x), s.Op == ir.OpXor && isConst(x, -1) && !remat(y):
		return idiomANDN
	}
	return idiomNone
}

func isScalarInt(t ir.Type) bool { return t == ir.I32 || t == ir.I64 }

// isConst reports whether v is the constant c (at its width).
func isConst(v *ir.Value, c int64) bool {
	if v.Op != ir.OpConst {
		return false
	}
	if v.Type == ir.I32 {
		return int32(v.Aux) == int32(c)
	}
	return v.Aux == c
}

// remat reports whether v is rematerialised instead of living somewhere.
func remat(v *ir.Value) bool { return v.Op == ir.OpConst || isAddrRemat(v) }

// bmiShift reports whether v is a shift by a variable count that BMI2's
// SHLX/SHRX/SARX lower (not rotates: RORX takes an immediate only).
func (e *fn) bmiShift(v *ir.Value) bool {
	if e.cpu&abi.CPUBMI2 == 0 || !isScalarInt(v.Type) {
		return false
	}
	switch v.Op {
	case ir.OpShl, ir.OpShrS, ir.OpShrU:
		return v.Args[1].Op != ir.OpConst && !isAddrRemat(v.Args[0]) && !isAddrRemat(v.Args[1])
	}
	return false
}

// bmiClobbers is the allocator's clobbers: a BMI2 shift leaves CX alone.
func (e *fn) bmiClobbers(v *ir.Value) lower.RegSet {
	if e.bmiShift(v) {
		return 0
	}
	return clobbers(v)
}

// bmiValue lowers v with BMI1, BMI2 or LZCNT when its op has such a
// lowering, and reports whether it did.
func (e *fn) bmiValue(v *ir.Value) (bool, error) {
	if e.bmi[v.ID] {
		return true, nil // lowered inside its AND
	}
	switch v.Op {
	case ir.OpCtz:
		if e.cpu&abi.CPUBMI1 != 0 {
			e.countZeros(v, x86.ATZCNTL, x86.ATZCNTQ)
			return true, nil
		}
	case ir.OpClz:
		if e.cpu&abi.CPULZCNT != 0 {
			e.countZeros(v, x86.ALZCNTL, x86.ALZCNTQ)
			return true, nil
		}
	case ir.OpAnd:
		for k, s := range v.Args {
			if e.bmi[s.ID] {
				e.bmiAnd(v, s, v.Args[1-k])
				return true, nil
			}
		}
	case ir.OpShl, ir.OpShrS, ir.OpShrU:
		if e.bmiShift(v) {
			e.shiftX(v)
			return true, nil
		}
	}
	return false, nil
}

// countZeros lowers ctz (TZCNT) and clz (LZCNT): both give the width for
// zero, as wasm wants.
func (e *fn) countZeros(v *ir.Value, as32, as64 obj.As) {
	src := e.rm(v.Args[0], sc0, false)
	d := e.dst(v, sc1)
	e.a.op(pick(v.Type, as32, as64), src, regAddr(d))
	e.commit(v, d)
}

// bmiAnd lowers AND(s, other) with s lowered inside it (bmiFuse). It uses
// sc1 only (keepsBase holds: no operand is a constant).
func (e *fn) bmiAnd(v, s, other *ir.Value) {
	a := e.a
	d := e.dst(v, sc1)
	switch idiom(s, other) {
	case idiomBLSR:
		a.op(pick(v.Type, x86.ABLSRL, x86.ABLSRQ), e.rm(other, sc1, false), regAddr(d))
	case idiomBLSI:
		a.op(pick(v.Type, x86.ABLSIL, x86.ABLSIQ), e.rm(other, sc1, false), regAddr(d))
	case idiomANDN:
		n := s.Args[0]
		if isConst(n, -1) {
			n = s.Args[1]
		}
		// ANDN d, n, other: d = ~n & other (Go order: other, n, d).
		a.op3(pick(v.Type, x86.AANDNL, x86.AANDNQ), e.rm(other, sc0, false), regAddr(e.intReg(n, sc1)), regAddr(d))
	}
	e.commit(v, d)
}

// shiftX lowers a shift by a variable count with SHLX/SHRX/SARX: d = x
// shifted by count, the count masked to the width as wasm's is. It uses
// sc1 only; a constant x is read from the literal pool unless it can be
// materialised in d.
func (e *fn) shiftX(v *ir.Value) {
	a := e.a
	x, y := v.Args[0], v.Args[1]
	var as obj.As
	switch v.Op {
	case ir.OpShl:
		as = pick(v.Type, x86.ASHLXL, x86.ASHLXQ)
	case ir.OpShrS:
		as = pick(v.Type, x86.ASARXL, x86.ASARXQ)
	default:
		as = pick(v.Type, x86.ASHRXL, x86.ASHRXQ)
	}
	d := e.dst(v, sc1)
	n := e.intReg(y, sc1)
	var src obj.Addr
	switch {
	case x.Op != ir.OpConst:
		src = e.rm(x, sc1, false) // a register or a slot: n is in sc1 only if x is not
	case d != n && d != sc1:
		e.materialize(x, d)
		src = regAddr(d)
	default:
		src = a.ConstAddr(uint64(constBits(x)), 0, int(v.Type.Size()))
	}
	a.op3(as, regAddr(n), src, regAddr(d))
	e.commit(v, d)
}
