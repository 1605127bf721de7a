package x64

import (
	"os"
	"path/filepath"
	"testing"

	"wfxc/ir"
	"wfxc/rt/abi"
)

// TestRunFiles runs every "; run:" line of ir/testdata/*.ir natively, as
// built and again after the ir pass pipeline: the same lines the IR
// interpreter runs, so the back end is checked against it.
func TestRunFiles(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "ir", "testdata", "*.ir"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no ir/testdata/*.ir files")
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
				if n := runFile(t, string(src), passes); n == 0 {
					t.Errorf("%s has no run lines", file)
				}
			})
		}
	}
}

func runFile(t *testing.T, src string, passes bool) int {
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
	machines := map[*ir.Func]*machine{}
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
			m = build(t, list, nil)
			machines[rt.Func] = m
		}
		clear(m.mem)
		clear(m.vmctx[testGlobalsOff:testImportsOff])
		ec, out := m.run(rt.Func.Index, rt.Args...)
		code := int64(0)
		switch ec {
		case abi.ExitDone:
		case abi.ExitTrap:
			code = int64(m.trapCode())
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
