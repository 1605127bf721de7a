package ir

// Copy propagation.
//
// Copyprop makes every arg and control that names a copy name the copy's
// source instead (following chains of copies), then deletes the copies,
// which are then unused. Copies come from the translator (local.tee, block
// params) and from constfold (a select on a constant becomes a copy).
//
//	v2 = copy v1 : i32            (deleted)
//	v3 = iadd v2 v2 : i32    →    v3 = iadd v1 v1 : i32
//
// Dominance is preserved: the source dominates the copy, which dominates
// every use. A cycle of copies (possible only in unreachable code) is left
// alone; deadcode removes it with its blocks.

// Copyprop replaces uses of copies by their sources and removes the copies.
func Copyprop(f *Func) error {
	for _, b := range f.Blocks {
		for _, v := range b.Values {
			for i, a := range v.Args {
				if s := copySource(a); s != a {
					v.SetArg(i, s)
				}
			}
		}
		for i, c := range b.Controls {
			if s := copySource(c); s != c {
				c.Uses--
				s.Uses++
				b.Controls[i] = s
			}
		}
	}
	for _, b := range f.Blocks {
		kept := b.Values[:0]
		for _, v := range b.Values {
			if v.Op == OpCopy && v.Uses == 0 {
				v.resetArgs()
				v.Block = nil
				continue
			}
			kept = append(kept, v)
		}
		for i := len(kept); i < len(b.Values); i++ {
			b.Values[i] = nil
		}
		b.Values = kept
	}
	return nil
}

// copySource follows a chain of copies from v to the first non-copy. If
// the chain is a cycle it returns v.
func copySource(v *Value) *Value {
	s := v
	for n := 0; s.Op == OpCopy && len(s.Args) == 1; n++ {
		s = s.Args[0]
		if s == v || n > 1000 {
			return v
		}
	}
	return s
}
