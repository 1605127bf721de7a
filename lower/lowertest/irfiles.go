package lowertest

import (
	"os"
	"path/filepath"
	"testing"

	"wfxc/ir"
	"wfxc/rt/abi"
)

// RunFiles runs every "; run:" line of dir/*.ir (ir/testdata) natively,
// as built and again after the ir pass pipeline: the same lines the IR
// interpreter runs, so the back end is checked against it.
func RunFiles(t *testing.T, be *Backend, dir string) {
	files, err := filepath.Glob(filepath.Join(dir, "*.ir"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no %s/*.ir files", dir)
	}
	for _, file := range files {
		for _, passes := range []bool{false, true} {
			name := filepath.Base(file)
			if passes {
				name += "/passes"
			}
			t.Run(name, func(t *testing.T) {
				src, err := os.ReadFile(file)
				if err != nil {
					t.Fatal(err)
				}
				if n := runFile(t, be, string(src), passes); n == 0 {
					t.Errorf("%s has no run lines", file)
				}
			})
		}
	}
}

func runFile(t *testing.T, be *Backend, src string, passes bool) int {
	t.Helper()
	funcs, err := ir.ParseFuncs(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range funcs {
		if passes {
			if err := ir.Run(f, ir.PassOptions{Check: true}); err != nil {
				t.Fatalf("func %s: %v", f.Name, err)
			}
		}
	}
	tests, err := ir.ParseRunTests(src, funcs)
	if err != nil {
		t.Fatal(err)
	}
	// Functions without an "index" clause all have index 0, so link one
	// program per function under test: it at its index, plus every other
	// function whose index is free (callees carry explicit indices).
	machines := map[*ir.Func]*Machine{}
	for _, rt := range tests {
		m := machines[rt.Func]
		if m == nil {
			byIndex := map[int]*ir.Func{rt.Func.Index: rt.Func}
			for _, f := range funcs {
				if byIndex[f.Index] == nil {
					byIndex[f.Index] = f
				}
			}
			var list []*ir.Func
			for _, f := range byIndex {
				list = append(list, f)
			}
			m = Build(t, be, list, nil)
			machines[rt.Func] = m
		}
		clear(m.Mem)
		clear(m.VMCtx[GlobalsOff:ImportsOff])
		ec, out := m.Run(rt.Func.Index, rt.Args...)
		code := int64(0)
		switch ec {
		case abi.ExitDone:
		case abi.ExitTrap:
			code = int64(m.TrapCode())
		default:
			t.Errorf("line %d: %s: exit code %d", rt.Line, rt.Text, ec)
			continue
		}
		if err := rt.CheckResult(out[:len(rt.Func.Results)], code); err != nil {
			t.Errorf("native: %v", err)
		}
	}
	return len(tests)
}
