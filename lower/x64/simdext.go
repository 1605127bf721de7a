package x64

// Widening chains (autovectorised u8 → u32 code: clang's blur widens
// every pixel by a shuffle and two extend_low): an extend whose arg is an
// extend or a shuffle used only by it, right before it in the block, is
// lowered together with it, and the inner values emit nothing:
//
//	v1 = i8x16.shuffle x y [3 4 5 6 …]          movaps x, d
//	v2 = i16x8.extend_low_i8x16_u v1      →     pshufb [3 80 80 80 4 80 80 80 …], d
//	v3 = i32x4.extend_low_i16x8_u v2
//
// An unsigned chain is a byte shuffle with zero bytes: one PSHUFB of each
// source it reads (a mask byte 0x80 zeroes its lane), or a single
// PMOVZX when it is one (two extend_low: PMOVZXBD, PMOVZXWQ). Two
// extend_low without a shuffle, the inner one signed or both signed, are
// PMOVSXBD or PMOVSXWQ (or PMOVZX: a zero-extended value is the same
// sign-extended). Chains that mix a shuffle with a signed extend are left
// alone. The inner values must be right before their user, so that no
// value is defined between them and the user reads the inner args where
// they were (the allocator frees their registers no earlier than that,
// and nothing takes them in between: the folded values have no location).

import (
	"github.com/twitchyliquid64/golang-asm/obj"
	"github.com/twitchyliquid64/golang-asm/obj/x86"

	"wfxc/ir"
)

// zb is a byte map's "zero this byte" (a PSHUFB mask byte with bit 7).
const zb = 0x80

// An extShape describes an extend op: the source lane size in bytes, and
// whether it sign-extends and reads the high half.
type extShape struct {
	size         int
	signed, high bool
}

var extShapes = map[ir.Op]extShape{
	ir.OpI16x8ExtendLowI8x16S: {1, true, false}, ir.OpI16x8ExtendHighI8x16S: {1, true, true},
	ir.OpI16x8ExtendLowI8x16U: {1, false, false}, ir.OpI16x8ExtendHighI8x16U: {1, false, true},
	ir.OpI32x4ExtendLowI16x8S: {2, true, false}, ir.OpI32x4ExtendHighI16x8S: {2, true, true},
	ir.OpI32x4ExtendLowI16x8U: {2, false, false}, ir.OpI32x4ExtendHighI16x8U: {2, false, true},
	ir.OpI64x2ExtendLowI32x4S: {4, true, false}, ir.OpI64x2ExtendHighI32x4S: {4, true, true},
	ir.OpI64x2ExtendLowI32x4U: {4, false, false}, ir.OpI64x2ExtendHighI32x4U: {4, false, true},
}

// byteMap is, for an unsigned extend, where each result byte comes from:
// a byte of the arg, or zb.
func (s extShape) byteMap() (m [16]byte) {
	base := 0
	if s.high {
		base = 8 / s.size
	}
	for j := range 8 / s.size {
		for b := range 2 * s.size {
			m[2*s.size*j+b] = zb
			if b < s.size {
				m[2*s.size*j+b] = byte((base+j)*s.size + b)
			}
		}
	}
	return m
}

// compose returns the byte map of outer applied to the result of inner.
func compose(inner, outer [16]byte) (m [16]byte) {
	for i, b := range outer {
		m[i] = zb
		if b != zb {
			m[i] = inner[b]
		}
	}
	return m
}

// shuffleIdx returns the lane indexes of an i8x16.shuffle.
func shuffleIdx(v *ir.Value) (idx [16]byte) {
	for i := range 8 {
		idx[i] = byte(uint64(v.Aux) >> (8 * i))
		idx[8+i] = byte(uint64(v.Aux2) >> (8 * i))
	}
	return idx
}

// foldExtends marks, by value ID, the shuffles and extends that the
// extend after them lowers (see the file comment). folded are the loads
// and splats foldLoads already gave to an instruction; it adds the i64
// loads that an i64x2.splat or replace_lane right after reads from memory.
func foldExtends(f *ir.Func, folded []bool) []bool {
	var x []bool
	mark := func(vs ...*ir.Value) {
		if x == nil {
			x = make([]bool, f.NumValues())
		}
		for _, v := range vs {
			x[v.ID] = true
		}
	}
	marked := func(v *ir.Value) bool { return x != nil && x[v.ID] }
	plain := func(v *ir.Value) bool { // args in locations of their own
		for _, a := range v.Args {
			if folded[a.ID] || marked(a) {
				return false
			}
		}
		return true
	}
	for _, b := range f.Blocks {
		// An i64 load right before the i64x2.splat or the replace_lane
		// (the dot products of ir.SIMDDot) that is its only use: the
		// load's operand in MOVDDUP (splat) or MOVHPS / MOVLPS (lane 1
		// / 0), its own 8-byte access.
		for i, l := range b.Values[:max(len(b.Values)-1, 0)] {
			if l.Op != ir.OpLoad || l.Type != ir.I64 || l.Uses != 1 || folded[l.ID] {
				continue
			}
			switch u := b.Values[i+1]; {
			case u.Op == ir.OpI64x2Splat && len(u.Args) == 1 && u.Args[0] == l && !folded[u.ID],
				u.Op == ir.OpI64x2ReplaceLane && len(u.Args) == 2 && u.Args[1] == l && u.Args[0] != l:
				folded[l.ID] = true
			}
		}
		for i := len(b.Values) - 1; i >= 1; i-- {
			v := b.Values[i]
			s, ok := extShapes[v.Op]
			if !ok || marked(v) || len(v.Args) != 1 {
				continue
			}
			a := v.Args[0]
			if a != b.Values[i-1] || a.Uses != 1 || folded[a.ID] || !plain(a) {
				continue
			}
			if as, ok := extShapes[a.Op]; ok {
				if len(a.Args) != 1 {
					continue
				}
				if i >= 2 {
					if sh := a.Args[0]; sh.Op == ir.OpI8x16Shuffle && sh == b.Values[i-2] && sh.Uses == 1 &&
						!folded[sh.ID] && plain(sh) && !s.signed && !as.signed && len(sh.Args) == 2 {
						mark(a, sh)
						continue
					}
				}
				if pmovChain(as, s) != 0 || !s.signed && !as.signed {
					mark(a)
				}
				continue
			}
			if a.Op == ir.OpI8x16Shuffle && !s.signed && len(a.Args) == 2 {
				mark(a)
			}
		}
	}
	return x
}

// pmovChain returns the one instruction that does inner then outer, two
// extend_low of sizes 1 → 2 → 4 or 2 → 4 → 8 bytes, or 0.
func pmovChain(inner, outer extShape) obj.As {
	if inner.high || outer.high || outer.size != 2*inner.size || inner.signed && !outer.signed {
		return 0
	}
	switch {
	case inner.size == 1 && inner.signed:
		return x86.APMOVSXBD
	case inner.size == 1:
		return x86.APMOVZXBD
	case inner.size == 2 && inner.signed:
		return x86.APMOVSXWQ
	case inner.size == 2:
		return x86.APMOVZXWQ
	}
	return 0
}

// pmovzxOf returns the PMOVZX that computes byte map m from its source's
// low bytes, or 0.
func pmovzxOf(m [16]byte) obj.As {
	for _, c := range []struct {
		s, t int
		as   obj.As
	}{{1, 2, x86.APMOVZXBW}, {1, 4, x86.APMOVZXBD}, {1, 8, x86.APMOVZXBQ}, {2, 4, x86.APMOVZXWD}, {2, 8, x86.APMOVZXWQ}, {4, 8, x86.APMOVZXDQ}} {
		ok := true
		for i, b := range m {
			j, k := i/c.t, i%c.t
			want := byte(zb)
			if k < c.s {
				want = byte(j*c.s + k)
			}
			ok = ok && b == want
		}
		if ok {
			return c.as
		}
	}
	return 0
}

// extendChain lowers extend v whose arg foldExtends folded into it.
func (e *fn) extendChain(v *ir.Value) {
	s := extShapes[v.Op]
	a := v.Args[0]
	m := s.byteMap()
	if as, ok := extShapes[a.Op]; ok {
		if op := pmovChain(as, s); op != 0 && !e.xfold[a.Args[0].ID] {
			r := e.vreg(a.Args[0], fsc0)
			d := e.dst(v, fsc1)
			e.a.op(op, regAddr(r), regAddr(d))
			e.commit(v, d)
			return
		}
		m = compose(as.byteMap(), m)
		a = a.Args[0]
	}
	if a.Op != ir.OpI8x16Shuffle {
		e.zeroShuffle(v, a, a, m)
		return
	}
	idx := shuffleIdx(a)
	for i, b := range m {
		if b != zb {
			m[i] = idx[b]
		}
	}
	e.zeroShuffle(v, a.Args[0], a.Args[1], m)
}

// zeroShuffle lowers v = the bytes m (0–15 of x, 16–31 of y, zb: zero).
func (e *fn) zeroShuffle(v, x, y *ir.Value, m [16]byte) {
	lo, hi := true, true // every byte from x; from y
	for i, b := range m {
		if b == zb {
			continue
		}
		if x == y {
			m[i] &= 15
		}
		lo = lo && m[i] < 16
		hi = hi && m[i] >= 16
	}
	if hi && !lo {
		for i, b := range m {
			if b != zb {
				m[i] = b - 16
			}
		}
		x, lo = y, true
	}
	if lo {
		if op := pmovzxOf(m); op != 0 {
			r := e.vreg(x, fsc0)
			d := e.dst(v, fsc1)
			e.a.op(op, regAddr(r), regAddr(d))
			e.commit(v, d)
			return
		}
		e.shuffle1(v, x, m) // PSHUFB
		return
	}
	var m0, m1 [16]byte
	for i, b := range m {
		m0[i], m1[i] = zb, zb
		switch {
		case b == zb:
		case b < 16:
			m0[i] = b
		default:
			m1[i] = b - 16
		}
	}
	a := e.a
	d := e.dst(v, fsc1)
	if e.avx() {
		c0, c1 := a.ConstAddr(leHalves(m0)), a.ConstAddr(leHalves(m1))
		a.op3(x86.AVPSHUFB, c0, regAddr(e.vreg(x, fsc0)), regAddr(fsc0))
		a.op3(x86.AVPSHUFB, c1, regAddr(e.vreg(y, fsc1)), regAddr(d))
		a.op3(x86.AVPOR, regAddr(fsc0), regAddr(d), regAddr(d))
		e.commit(v, d)
		return
	}
	e.loadInto(x, fsc0)
	a.op(x86.APSHUFB, a.ConstAddr(leHalves(m0)), regAddr(fsc0))
	e.loadInto(y, d) // d may be x's register: x is in fsc0 by now
	a.op(x86.APSHUFB, a.ConstAddr(leHalves(m1)), regAddr(d))
	a.op(x86.APOR, regAddr(fsc0), regAddr(d))
	e.commit(v, d)
}

// splatLoad lowers i64x2.splat of a load folded into it: MOVDDUP.
func (e *fn) splatLoad(v *ir.Value) {
	d := e.dst(v, fsc1)
	as := x86.AMOVDDUP
	if e.avx() {
		as = x86.AVMOVDDUP
	}
	e.guardSite(v.Args[0], e.a.op(as, e.foldAt, regAddr(d)))
	e.commit(v, d)
}

// replaceLoad lowers i64x2.replace_lane of a load folded into it: MOVLPS
// (lane 0) or MOVHPS (lane 1) into a copy of the vector.
func (e *fn) replaceLoad(v *ir.Value) {
	x := v.Args[0]
	d := e.dst(v, fsc1)
	if e.avx() {
		as := x86.AVMOVHPS
		if v.Aux == 0 {
			as = x86.AVMOVLPS
		}
		p := &obj.Prog{As: as, From: e.foldAt, To: regAddr(d)}
		p.RestArgs = []obj.Addr{regAddr(e.vreg(x, fsc0))}
		e.a.Add(p)
		e.guardSite(v.Args[1], p)
		e.commit(v, d)
		return
	}
	as := x86.AMOVHPS
	if v.Aux == 0 {
		as = x86.AMOVLPS
	}
	e.loadInto(x, d)
	e.guardSite(v.Args[1], e.a.op(as, e.foldAt, regAddr(d)))
	e.commit(v, d)
}
