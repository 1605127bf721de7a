package lower

// Parallel moves. A set of moves that conceptually happen at once (phi
// resolution on an edge, arguments into ABI registers, results out of them)
// is sequenced so that no move overwrites a location another move still has
// to read. Locations are written at most once, so the moves form a graph in
// which every location has at most one source: trees hanging off cycles.
// Moves whose destination nobody reads are emitted first; when only cycles
// remain, one destination is copied into the class's scratch register and
// its readers are redirected there, which turns the cycle into a path.
// Rematerialised constants read nothing and are emitted last.
//
//	{RAX←RCX, RCX←RAX, RDX←slot0}  →  RDX←slot0; R11←RCX; RCX←RAX; RAX←R11

import "wfxc/ir"

// Move copies the value V (whose class is Class) from Src to Dst.
type Move struct {
	Dst, Src Loc
	V        *ir.Value // source value; its Type gives the width, and it is the constant for LocRemat
	Class    RegClass
}

// Sequence orders parallel moves for sequential execution, breaking
// cycles with scratch[class], a register no move uses.
func Sequence(moves []Move, scratch [NumClasses]Loc) []Move {
	var pending, remat, out []Move
	for _, m := range moves {
		switch {
		case m.Dst.Kind == LocNone || m.Dst == m.Src:
		case m.Src.Kind == LocRemat:
			remat = append(remat, m)
		default:
			pending = append(pending, m)
		}
	}
	for len(pending) > 0 {
		progress := false
		for i := 0; i < len(pending); i++ {
			m := pending[i]
			read := false
			for j, o := range pending {
				if j != i && o.Src == m.Dst {
					read = true
					break
				}
			}
			if !read {
				out = append(out, m)
				pending = append(pending[:i], pending[i+1:]...)
				i--
				progress = true
			}
		}
		if progress {
			continue
		}
		// Only cycles remain: save the first move's destination in the
		// scratch register of the class of the value saved — the value the
		// other moves read from there, which may differ from m's class when
		// the location is a spill slot (slots are shared by both classes).
		m := pending[0]
		var s Loc
		for _, o := range pending {
			if o.Src == m.Dst {
				s = scratch[o.Class]
				out = append(out, Move{Dst: s, Src: m.Dst, V: o.V, Class: o.Class})
				break
			}
		}
		for j := range pending {
			if pending[j].Src == m.Dst {
				pending[j].Src = s
			}
		}
	}
	return append(out, remat...)
}
