package x64

// AVX's VEX forms (abi.CPUAVX, part of x86-64-v3; doc.go): three operands,
// so a SIMD binop whose first operand lives on needs no copy of it into the
// destination first (VPADDD y, x, d instead of MOVAPS x, d; PADDD y, d),
// and neither do the single-input shuffles by PSHUFB or PALIGNR. Only
// 128-bit forms, which zero the upper halves of the YMM registers: no
// SSE/AVX transition costs, no VZEROUPPER.

import (
	"reflect"

	"github.com/twitchyliquid64/golang-asm/obj"
	"github.com/twitchyliquid64/golang-asm/obj/x86"

	"wfxc/ir"
	"wfxc/rt/abi"
)

// vexOf maps the SSE instructions binop emits to their VEX forms, which
// compute "src1 op src2" as the SSE ones compute "dst op src".
var vexOf = map[obj.As]obj.As{
	x86.AADDPD: x86.AVADDPD, x86.AADDPS: x86.AVADDPS, x86.ASUBPD: x86.AVSUBPD, x86.ASUBPS: x86.AVSUBPS,
	x86.AMULPD: x86.AVMULPD, x86.AMULPS: x86.AVMULPS, x86.ADIVPD: x86.AVDIVPD, x86.ADIVPS: x86.AVDIVPS,
	x86.AMAXPD: x86.AVMAXPD, x86.AMAXPS: x86.AVMAXPS, x86.AMINPD: x86.AVMINPD, x86.AMINPS: x86.AVMINPS,
	x86.APACKSSLW: x86.AVPACKSSDW, x86.APACKSSWB: x86.AVPACKSSWB, x86.APACKUSDW: x86.AVPACKUSDW, x86.APACKUSWB: x86.AVPACKUSWB,
	x86.APADDB: x86.AVPADDB, x86.APADDW: x86.AVPADDW, x86.APADDL: x86.AVPADDD, x86.APADDQ: x86.AVPADDQ,
	x86.APADDSB: x86.AVPADDSB, x86.APADDSW: x86.AVPADDSW, x86.APADDUSB: x86.AVPADDUSB, x86.APADDUSW: x86.AVPADDUSW,
	x86.APSUBB: x86.AVPSUBB, x86.APSUBW: x86.AVPSUBW, x86.APSUBL: x86.AVPSUBD, x86.APSUBQ: x86.AVPSUBQ,
	x86.APSUBSB: x86.AVPSUBSB, x86.APSUBSW: x86.AVPSUBSW, x86.APSUBUSB: x86.AVPSUBUSB, x86.APSUBUSW: x86.AVPSUBUSW,
	x86.APAND: x86.AVPAND, x86.APANDN: x86.AVPANDN, x86.APOR: x86.AVPOR, x86.APXOR: x86.AVPXOR,
	x86.APAVGB: x86.AVPAVGB, x86.APAVGW: x86.AVPAVGW,
	x86.APCMPEQB: x86.AVPCMPEQB, x86.APCMPEQW: x86.AVPCMPEQW, x86.APCMPEQL: x86.AVPCMPEQD, x86.APCMPEQQ: x86.AVPCMPEQQ,
	x86.APCMPGTB: x86.AVPCMPGTB, x86.APCMPGTW: x86.AVPCMPGTW, x86.APCMPGTL: x86.AVPCMPGTD, x86.APCMPGTQ: x86.AVPCMPGTQ,
	x86.APMADDWL: x86.AVPMADDWD, x86.APMULLW: x86.AVPMULLW, x86.APMULLD: x86.AVPMULLD,
	x86.APMAXSB: x86.AVPMAXSB, x86.APMAXSW: x86.AVPMAXSW, x86.APMAXSD: x86.AVPMAXSD,
	x86.APMAXUB: x86.AVPMAXUB, x86.APMAXUW: x86.AVPMAXUW, x86.APMAXUD: x86.AVPMAXUD,
	x86.APMINSB: x86.AVPMINSB, x86.APMINSW: x86.AVPMINSW, x86.APMINSD: x86.AVPMINSD,
	x86.APMINUB: x86.AVPMINUB, x86.APMINUW: x86.AVPMINUW, x86.APMINUD: x86.AVPMINUD,
	x86.APUNPCKLBW: x86.AVPUNPCKLBW, x86.APUNPCKHBW: x86.AVPUNPCKHBW, x86.APUNPCKLWL: x86.AVPUNPCKLWD, x86.APUNPCKHWL: x86.AVPUNPCKHWD,
	x86.APUNPCKLLQ: x86.AVPUNPCKLDQ, x86.APUNPCKHLQ: x86.AVPUNPCKHDQ, x86.APUNPCKLQDQ: x86.AVPUNPCKLQDQ, x86.APUNPCKHQDQ: x86.AVPUNPCKHQDQ,
}

// avx reports whether the function may use AVX.
func (e *fn) avx() bool { return e.cpu&abi.CPUAVX != 0 }

// vexBinop emits d = x op y in v's location with op's VEX form, when the
// function may use AVX and op has one, and reports whether it did.
func (e *fn) vexBinop(v, x, y *ir.Value, as obj.As) bool {
	vas, ok := vexOf[as]
	if !ok || !e.avx() {
		return false
	}
	if e.folded[x.ID] {
		x, y = y, x // a folded load is the second source (foldVexLoads: commutative)
	}
	d := e.dst(v, fsc1)
	rx := e.vreg(x, fsc1) // VEX reads both sources before it writes d
	if e.folded[y.ID] {
		e.guardSite(y, e.a.op3(vas, e.foldAt, regAddr(rx), regAddr(d)))
		e.commit(v, d)
		return true
	}
	ry := e.vsrc(y, fsc0) // simd.go
	e.a.op3(vas, ry, regAddr(rx), regAddr(d))
	e.commit(v, d)
	return true
}

// foldVexLoads marks, by value ID in folded, the v128.loads that a VEX
// binop right after them reads as its memory operand (VPCMPEQB m, x, d
// instead of MOVUPS m, t; VPCMPEQB t, x, d): a load used once, as the
// second source of the next value in its block, a row of simdBinop (or
// its first source when the op commutes; simdBinopRev's first arg is its
// instruction's source) with a VEX form. Unlike SSE's, VEX memory
// operands need no alignment, so this is for AVX only. The load's own
// lowering does the bounds check and leaves the operand in foldAt, the
// binop is the trap site (guardSite); in between only the binop's vector
// operand can be loaded into an XMM register, which takes no general one.
func foldVexLoads(f *ir.Func, folded []bool) {
	for _, b := range f.Blocks {
		for i, l := range b.Values[:max(len(b.Values)-1, 0)] {
			if l.Op != ir.OpLoad || l.Type != ir.V128 || l.Uses != 1 || folded[l.ID] {
				continue
			}
			u := b.Values[i+1]
			row := &lowerings[u.Op]
			if len(u.Args) != 2 || u.Args[0] == u.Args[1] || vexOf[row.as64] == 0 {
				continue
			}
			switch emitOf(row) {
			case binopEmit:
				folded[l.ID] = u.Args[1] == l || row.comm && u.Args[0] == l
			case binopRevEmit:
				folded[l.ID] = u.Args[0] == l
			}
		}
	}
}

// binopEmit and binopRevEmit identify the lowering rows of simdBinop and
// simdBinopRev (emitOf).
var (
	binopEmit    = reflect.ValueOf((*fn).simdBinop).Pointer()
	binopRevEmit = reflect.ValueOf((*fn).simdBinopRev).Pointer()
)

// emitOf returns the code address of row's emit function (0: none).
func emitOf(row *lowering) uintptr {
	if row.emit == nil {
		return 0
	}
	return reflect.ValueOf(row.emit).Pointer()
}

// vex3Of maps the two-source shuffles with an immediate that binop3 emits
// (SHUFPS, PALIGNR, PBLENDW: "d = x op y", x in the destination) to
// their VEX forms, whose first source takes x's part.
var vex3Of = map[obj.As]obj.As{x86.ASHUFPS: x86.AVSHUFPS, x86.APALIGNR: x86.AVPALIGNR, x86.APBLENDW: x86.AVPBLENDW}

// vexBinop3 emits d = x op y (binop3) in v's location with op's VEX form,
// VOP imm, y, x, d, when the function may use AVX, and reports whether it
// did: no copy of x into the destination, nor through a scratch register
// when v's register is y's.
func (e *fn) vexBinop3(v, x, y *ir.Value, as obj.As, imm int64) bool {
	vas, ok := vex3Of[as]
	if !ok || !e.avx() {
		return false
	}
	d := e.dst(v, fsc1)
	rx := e.vreg(x, fsc1) // VEX reads both sources before it writes d
	ry := e.vreg(y, fsc0)
	p := &obj.Prog{As: vas, From: immAddr(imm), To: regAddr(d)}
	p.RestArgs = []obj.Addr{regAddr(ry), regAddr(rx)}
	e.a.Add(p)
	e.commit(v, d)
	return true
}

// vexShuffle emits d = PSHUFB(r, m), or d = PALIGNR(r:r, k) when m is
// nil (shuffle1), in their VEX forms.
func (e *fn) vexShuffle(r, d int16, m *obj.Addr, k byte) {
	if m != nil {
		e.a.op3(x86.AVPSHUFB, *m, regAddr(r), regAddr(d))
		return
	}
	p := &obj.Prog{As: x86.AVPALIGNR, From: immAddr(int64(k)), To: regAddr(d)}
	p.RestArgs = []obj.Addr{regAddr(r), regAddr(r)}
	e.a.Add(p)
}
