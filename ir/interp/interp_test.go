package interp

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"wfxc/ir"
	"wfxc/rt/abi"
)

// TestRunFiles runs every "; run:" line of ../testdata/*.ir.
func TestRunFiles(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "testdata", "*.ir"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no ../testdata/*.ir files")
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			n := RunFile(t, string(src), false)
			if n == 0 {
				t.Errorf("%s has no run lines", file)
			}
		})
	}
}

// TestRunFiles_afterPasses runs the same lines after the ir pass pipeline
// (with verification after every pass), so every pass is checked against
// the interpreter on every run file.
func TestRunFiles_afterPasses(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "testdata", "*.ir"))
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			RunFile(t, string(src), true)
		})
	}
}

// RunFile verifies the functions of an IR test file and runs its run lines
// through the interpreter, after the pass pipeline if passes is set; it
// returns the number of lines run.
func RunFile(t *testing.T, src string, passes bool) int {
	t.Helper()
	funcs, err := ir.ParseFuncs(src)
	if err != nil {
		t.Fatal(err)
	}
	byIndex := make(map[int]*ir.Func)
	for _, f := range funcs {
		if err := ir.Verify(f); err != nil {
			t.Errorf("func %s: %v", f.Name, err)
		}
		if passes {
			if err := ir.Run(f, ir.PassOptions{Check: true}); err != nil {
				t.Errorf("func %s: %v", f.Name, err)
			}
		}
		byIndex[f.Index] = f
	}
	tests, err := ir.ParseRunTests(src, funcs)
	if err != nil {
		t.Fatal(err)
	}
	for _, rt := range tests {
		m := &Machine{Funcs: byIndex, Memory: make([]byte, 1<<16), MaxSteps: 1 << 20}
		res, err := m.Call(rt.Func, rt.Args)
		var trap *Trap
		code := int64(0)
		if errors.As(err, &trap) {
			code = trap.Code
		} else if err != nil {
			t.Errorf("line %d: %s: %v", rt.Line, rt.Text, err)
			continue
		}
		if err := rt.CheckResult(res, code); err != nil {
			t.Error(err)
		}
	}
	return len(tests)
}

// TestHandles checks that every op has exactly one interpreter case: in
// ir.Eval or in the stateful table.
func TestHandles(t *testing.T) {
	for op := ir.Op(1); op < ir.NumOps; op++ {
		if ir.Evaluable(op) == (stateful[op] != nil) {
			t.Errorf("op %s: Evaluable = %v and stateful case = %v, want exactly one", op, ir.Evaluable(op), stateful[op] != nil)
		}
		if !Handles(op) {
			t.Errorf("op %s: not handled", op)
		}
	}
	if Handles(ir.OpInvalid) || Handles(ir.NumOps) {
		t.Error("Handles accepts an invalid op")
	}
}

func TestTrap_error(t *testing.T) {
	tests := []struct {
		name string
		trap Trap
		want string
	}{
		{"withPos", Trap{Code: abi.TrapIntOverflow, Func: "f", Pos: 12}, "trap int_overflow (code 3): integer overflow in f @12"},
		{"noPos", Trap{Code: abi.TrapUnreachable, Func: "g", Pos: -1}, "trap unreachable (code 1): unreachable in g"},
		{"unknown", Trap{Code: 99, Func: "h", Pos: -1}, "trap 99 (code 99): unknown trap in h"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.trap.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestRun_errors checks failures that are not traps.
func TestRun_errors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		args []uint64
		want string
	}{
		{"argCount", `func f(i32) {
b0:
  return
}`, nil, "f takes 1 args, got 0"},
		{"missingCallee", `func f() {
b0:
  v0 = vmctx : i64
  v1 = call v0 [9] : i32 (i32)
  return
}`, nil, "call to function 9: function not found"},
		{"missingImport", `func f() {
b0:
  v0 = vmctx : i64
  v1 = call_import v0 [80] ()
  return
}`, nil, "call_import at vmctx offset 80: function not found"},
		{"stackSwitch", `func f() {
b0:
  v0 = vmctx : i64
  v1 = stack_switch v0 v0 v0 : i64
  return
}`, nil, "not supported by the interpreter"},
		{"invalid", `func f() -> (i32) {
b0:
  return
}`, nil, "interp: block b0: return block has 0 controls"},
		{"stepLimit", `func f() {
b0:
  jump b1
b1: loop
  v0 = poll
  jump b1
}`, nil, "step limit exceeded"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := ir.Parse(tt.src)
			if err != nil {
				t.Fatal(err)
			}
			m := &Machine{MaxSteps: 1000}
			_, err = m.Call(f, tt.args)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Call: %v, want error containing %q", err, tt.want)
			}
		})
	}
}

func TestRun_import(t *testing.T) {
	f, err := ir.Parse(`func f(i32) -> (i32) {
b0:
  v0 = vmctx : i64
  v1 = param [0] : i32
  v2 = call_import v0 v1 [80] : i32 (i32)
  return v2
}`)
	if err != nil {
		t.Fatal(err)
	}
	var got []uint64
	m := &Machine{Imports: map[int64]Import{80: func(args []uint64) ([]uint64, error) {
		got = args
		return []uint64{args[0] * 2}, nil
	}}}
	res, err := m.Call(f, []uint64{21})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0] != 21 || len(res) != 1 || res[0] != 42 {
		t.Errorf("import got args %v, returned %v; want [21] and [42]", got, res)
	}
}
