package x64

import (
	"wfxc/ir"
	"wfxc/rt/abi"
)

// A ctz whose argument is known nonzero (ir.NonzeroAt: it runs only after
// a branch on that argument being nonzero, as in `if (m) return
// ctz(m)`) is one BSF at x86-64-v2, without the MOV and CMOV that give
// the width for zero: BSF's result, the index of the lowest one bit, is
// the count for every nonzero input. (TZCNT, F3 0F BC, would run as BSF
// on a CPU without BMI1 too, as gcc emits it for __builtin_ctz, but the
// v2 code keeps to v2's mnemonics: rt/e2e TestCPU_v3.) aarch64 needs no
// such fact (RBIT and CLZ give the width for zero).

// nonzeroCtz marks, by value ID, the ctz values whose argument is nonzero
// wherever they run; nil when the CPU has TZCNT (bmi.go) or f has none.
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
