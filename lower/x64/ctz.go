package x64

import (
	"wfxc/ir"
	"wfxc/rt/abi"
)

// A ctz whose argument is known nonzero (ir.NonzeroAt: it runs only after
// a branch on that argument being nonzero, as in `if (m) return
// ctz(m)`) is one TZCNT at x86-64-v2 too, without BSF's CMOV fix-up for
// zero: TZCNT is F3 0F BC, which a CPU without BMI1 runs as BSF (the F3
// prefix is ignored), and BSF and TZCNT agree on every nonzero input
// (gcc emits it the same way for __builtin_ctz); on AMD it is faster
// than BSF. So the v2 code holds TZCNT, only there (rt/e2e TestCPU_v3
// checks v2 code whose ctz may see zero has none). aarch64 needs no such
// fact (RBIT and CLZ give the width for zero).

// nonzeroCtz marks, by value ID, the ctz values whose argument is nonzero
// wherever they run; nil when the CPU has TZCNT anyway or f has none.
func (e *fn) nonzeroCtz(f *ir.Func) []bool {
	if e.cpu&abi.CPUBMI1 != 0 {
		return nil
	}
	var nz []bool
	var d *ir.DomTree
	for _, b := range f.Blocks {
		for _, v := range b.Values {
			if v.Op != ir.OpCtz {
				continue
			}
			if d == nil {
				d = ir.Dominators(f)
			}
			if ir.NonzeroAt(d, v.Args[0], b) {
				if nz == nil {
					nz = make([]bool, f.NumValues())
				}
				nz[v.ID] = true
			}
		}
	}
	return nz
}
