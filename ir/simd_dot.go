package ir

// SIMDDot turns autovectorised i16 dot products into i32x4.dot_i16x8_s
// (PMADDWD on x86, SMULL/SMLAL pairs on arm64). clang vectorises
// "d += (int32_t)a[i] * b[i]" as v128.load16x4_s of a and of b,
// i32x4.mul, and i32x4.add into an accumulator whose lanes it sums after
// the loop; the sum of a pair of such products
//
//	P = i32x4.mul (extend_low_s (i64x2.splat A)) (extend_low_s (i64x2.splat B))
//	Q = i32x4.mul (extend_low_s (i64x2.splat C)) (extend_low_s (i64x2.splat D))
//	X = i32x4.add P Q
//
// has lanes A_j·B_j + C_j·D_j (j < 4; A…D four i16 each, loaded as i64),
// and i32x4.dot_i16x8_s of [A | C] and [B | D] (i64x2.replace_lane 1 of
// the splat of A, by C) has lanes A_2j·B_2j + A_2j+1·B_2j+1 (j < 2) and
// the same of C: other lanes, the same sum of all lanes, modulo 2^32 both.
//
// Exactly, lane by lane. Lanes are little-endian: lane j of an i64 loaded
// as four i16 is its bits 16j..16j+15, and extend_low_i16x8_s of the splat
// reads lanes 0–3, the i64 itself (the splat's high copy is never read);
// lanes 0–3 of [A | C] are A's and 4–7 C's. extend_low_..._s
// sign-extends, and dot_i16x8_s multiplies signed: the pass matches only
// the _s extends on all four operands (a _u one, as v128.load16x4_u, is
// left alone: testdata/simddot.ir "unsigned"). Each product of two i16 is
// in [−2^30 + 2^15, 2^30] (the top: −32768·−32768), exact in i32, so
// i32x4.mul's low 32 bits are the product itself. The sums then wrap:
// i32x4.add and dot_i16x8_s's pairwise add are both modulo 2^32 (the spec
// defines dot's lane as the wrapped sum of the two products; PMADDWD
// wraps the one pair that overflows, −32768·−32768 twice = 2^31, to
// −2^31, the same), and addition modulo 2^32 is associative and
// commutative, so both sides' lane sums equal Σ A_j·B_j + Σ C_j·D_j mod
// 2^32 for every input. X's lanes themselves differ, so X becomes the dot
// product only when nothing but the sum of its lanes is observed: X is
// sum-only (below). The loads stay where they are, each its own 8-byte
// access (the x64 back end reads them into the vector by MOVDDUP and
// MOVHPS), so bounds checks and traps, and their order, are those of the
// original.
//
// A v128 value is sum-only when every use of it is an i32x4.add or a phi
// that is sum-only itself, or the horizontal sum clang ends the loop with:
//
//	s1 = i8x16.shuffle R R (32-bit lanes p)    a1 = i32x4.add R s1
//	s2 = i8x16.shuffle a1 a1 (lanes q)         a2 = i32x4.add a1 s2
//	i32x4.extract_lane 0 of a2, a2's only use
//
// when lane 0 of a2 adds up lanes 0–3 of R once each. Both add and phi
// pass the sum of lanes through (the sum of an add's result is the sum of
// its args' sums, modulo 2^32), so a sum-only value may be replaced by
// any value with the same sum, several at once too: by induction over the
// execution (a phi's value is an earlier iteration's add), every
// sum-only value keeps its sum at every point, and what is observed of
// them, lane 0 of a horizontal sum, a2's only use, is R's sum (block
// controls, calls, stores, extracts and every other op observe lanes:
// they end sum-only-ness). Found as a greatest fixpoint: every i32x4.add, v128 phi
// and horizontal-sum root, until one has a use that is none of those.

// SIMDDot runs the rewrite on f (the "simddot" pass).
func SIMDDot(f *Func) error {
	var adds []*Value
	for _, b := range f.Blocks {
		for _, v := range b.Values {
			if v.Op == OpI32x4Add && len(v.Args) == 2 && isDotPair(v) {
				adds = append(adds, v)
			}
		}
	}
	if len(adds) == 0 {
		return nil
	}
	users := make([][]*Value, f.NumValues())
	escapes := make([]bool, f.NumValues()) // used by a block control
	for _, b := range f.Blocks {
		for _, v := range b.Values {
			for _, a := range v.Args {
				users[a.ID] = append(users[a.ID], v)
			}
		}
		for _, c := range b.Controls {
			escapes[c.ID] = true
		}
	}
	sum := make([]bool, f.NumValues())
	hsum := map[*Value][2]*Value{} // a horizontal sum's root: its s1 and a1
	for _, b := range f.Blocks {
		for _, v := range b.Values {
			if v.Op == OpI32x4Add || v.Op == OpPhi && v.Type == V128 {
				sum[v.ID] = true
			}
			if s1, a1, ok := horizontalSum(v, users); ok {
				sum[v.ID] = true
				hsum[v] = [2]*Value{s1, a1}
			}
		}
	}
	for changed := true; changed; {
		changed = false
		for _, b := range f.Blocks {
			for _, v := range b.Values {
				if !sum[v.ID] {
					continue
				}
				ok := !escapes[v.ID]
				h, root := hsum[v]
				for _, u := range users[v.ID] {
					switch {
					case root && (u == h[0] || u == h[1]):
					case u.Op == OpI32x4Add || u.Op == OpPhi:
						ok = ok && sum[u.ID]
					default:
						ok = false
					}
				}
				if !ok {
					sum[v.ID] = false
					changed = true
				}
			}
		}
	}
	for _, x := range adds {
		if sum[x.ID] {
			rewriteDot(x)
		}
	}
	return nil
}

// horizontalSum matches the horizontal sum of R (see SIMDDot; R may have
// other users) and returns its first shuffle and add.
func horizontalSum(r *Value, users [][]*Value) (s1, a1 *Value, ok bool) {
	if r.Type != V128 {
		return
	}
	// step finds among x's users s = shuffle x x by whole lanes p and
	// a = i32x4.add x s, s used only by a.
	step := func(x *Value) (s, a *Value, p [4]byte, ok bool) {
		for _, u := range users[x.ID] {
			if u.Op != OpI8x16Shuffle || len(u.Args) != 2 || u.Args[0] != x || u.Args[1] != x || u.Uses != 1 || len(users[u.ID]) != 1 {
				continue
			}
			w := users[u.ID][0]
			if w.Op != OpI32x4Add || len(w.Args) != 2 || !(w.Args[0] == x && w.Args[1] == u || w.Args[0] == u && w.Args[1] == x) {
				continue
			}
			idx := shuffleLanes(u)
			good := true
			for k := range 4 {
				b := idx[4*k] & 15
				good = good && b%4 == 0
				for j := 1; j < 4; j++ {
					good = good && idx[4*k+j]&15 == b+byte(j)
				}
				p[k] = b / 4
			}
			if good {
				return u, w, p, true
			}
		}
		return
	}
	s1, a1, p, ok1 := step(r)
	if !ok1 {
		return
	}
	s2, a2, q, ok2 := step(a1)
	if !ok2 || a2.Uses != 1 || len(users[a2.ID]) != 1 {
		return
	}
	for _, u := range users[a1.ID] { // s2 (as both args) and a2 only
		if u != s2 && u != a2 {
			return
		}
	}
	if e := users[a2.ID][0]; e.Op != OpI32x4ExtractLane || e.Aux != 0 {
		return
	}
	// a2[0] = a1[0] + a1[q0]; a1[k] = R[k] + R[p_k].
	var n [4]int
	n[0]++
	n[p[0]]++
	n[q[0]]++
	n[p[q[0]]]++
	if n != [4]int{1, 1, 1, 1} {
		return
	}
	return s1, a1, true
}

// shuffleLanes returns the byte indexes of an i8x16.shuffle.
func shuffleLanes(v *Value) (idx [16]byte) {
	for i := range 8 {
		idx[i] = byte(uint64(v.Aux) >> (8 * i))
		idx[8+i] = byte(uint64(v.Aux2) >> (8 * i))
	}
	return idx
}

// dotTerm matches P = i32x4.mul (extend_low_s (splat A)) (extend_low_s
// (splat B)), each value used only by the next, A and B i64 loads used
// only by their splats, and returns the splats and the loads.
func dotTerm(p *Value) (sa, sb, la, lb *Value, ok bool) {
	if p.Op != OpI32x4Mul || p.Uses != 1 || len(p.Args) != 2 {
		return
	}
	half := func(e *Value) (s, l *Value, ok bool) {
		if e.Op != OpI32x4ExtendLowI16x8S || e.Uses != 1 || len(e.Args) != 1 {
			return
		}
		s = e.Args[0]
		if s.Op != OpI64x2Splat || s.Uses != 1 || len(s.Args) != 1 || s.Block != p.Block {
			return
		}
		l = s.Args[0]
		if l.Op != OpLoad || l.Type != I64 || l.Uses != 1 {
			return
		}
		return s, l, true
	}
	sa, la, oka := half(p.Args[0])
	sb, lb, okb := half(p.Args[1])
	return sa, sb, la, lb, oka && okb && p.Args[0] != p.Args[1]
}

// isDotPair reports whether add x has two dot terms for its args, in its
// block, with each first splat before the other term's loads.
func isDotPair(x *Value) bool {
	return dotPair(x, x.Args[0], x.Args[1]) || dotPair(x, x.Args[1], x.Args[0])
}

// dotPair is isDotPair with P and Q given.
func dotPair(x, p, q *Value) bool {
	if p == q || p.Block != x.Block || q.Block != x.Block {
		return false
	}
	sa, sb, _, _, ok1 := dotTerm(p)
	_, _, lc, ld, ok2 := dotTerm(q)
	if !ok1 || !ok2 || lc.Block != x.Block || ld.Block != x.Block {
		return false
	}
	pos := func(v *Value) int {
		for i, w := range x.Block.Values {
			if w == v {
				return i
			}
		}
		return -1
	}
	return pos(sa) >= 0 && pos(sa) < pos(lc) && pos(sb) >= 0 && pos(sb) < pos(ld)
}

// rewriteDot rewrites sum-only x = P + Q (isDotPair) as the dot product
// of [A | C] and [B | D]: a replace_lane right after each of the loads of
// C and D (of the splats of A and B, which only P used), x in place.
func rewriteDot(x *Value) {
	p, q := x.Args[0], x.Args[1]
	if !dotPair(x, p, q) {
		p, q = q, p
	}
	sa, sb, _, _, _ := dotTerm(p)
	_, _, lc, ld, _ := dotTerm(q)
	b := x.Block
	after := func(l, base *Value) *Value {
		r := b.NewValueAux(OpI64x2ReplaceLane, V128, 1, base, l)
		r.Pos = l.Pos
		b.Values = b.Values[:len(b.Values)-1]
		for i, w := range b.Values {
			if w == l {
				b.Values = append(b.Values, nil)
				copy(b.Values[i+2:], b.Values[i+1:])
				b.Values[i+1] = r
				break
			}
		}
		return r
	}
	ac := after(lc, sa)
	bd := after(ld, sb)
	x.Op = OpI32x4DotI16x8S
	x.SetArg(0, ac)
	x.SetArg(1, bd)
}
