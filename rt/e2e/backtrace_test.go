package e2e

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"wfxc/rt"
)

const backtraceWat = `(module
  (func $inner (param i32) (result i32)
    (i32.div_u (i32.const 1) (local.get 0)))
  (func $middle (param i32) (result i32) (call $inner (local.get 0)))
  (func $deep (export "deep") (param i32) (result i32)
    (if (result i32) (local.get 0)
      (then (call $deep (i32.sub (local.get 0) (i32.const 1))))
      (else (call $middle (i32.const 0)))))
  (func (export "unnamed") (result i32) (call $middle (i32.const 0)))
  (func $rec (export "rec") (param i32) (result i32)
    (i32.add (call $rec (local.get 0)) (i32.const 1))))`

// TestBacktrace_namesOffsetsElision: frames carry the text format's $names
// (through the name section wat writes) or, without one, the export's name;
// the frame that overflows the stack reports its function's offset, not
// 0xffffffff; a backtrace too deep to keep whole keeps its innermost and
// outermost frames and says how many it left out.
func TestBacktrace_namesOffsetsElision(t *testing.T) {
	inst, err := rt.NewStore().Instantiate(loadWat(t, "bt", backtraceWat), nil)
	if err != nil {
		t.Fatal(err)
	}
	trapOf := func(export string, args ...uint64) *rt.Trap {
		t.Helper()
		_, err := inst.Func(export).Call(args...)
		var tr *rt.Trap
		if !errors.As(err, &tr) {
			t.Fatalf("%s: err = %v, want a trap", export, err)
		}
		return tr
	}
	names := func(tr *rt.Trap) string {
		var s []string
		for _, f := range tr.Frames {
			s = append(s, f.Name)
		}
		return strings.Join(s, ",")
	}

	if tr := trapOf("deep", 2); names(tr) != "inner,middle,deep,deep,deep" || tr.Elided != 0 {
		t.Errorf("deep(2): frames %s, elided %d\n%s", names(tr), tr.Elided, tr.Backtrace())
	}
	if tr := trapOf("unnamed"); names(tr) != "inner,middle,unnamed" {
		t.Errorf("unnamed: frames %s", names(tr))
	}

	// deep(1000): 1,001 deep frames, middle and inner; 256 kept.
	tr := trapOf("deep", 1000)
	if len(tr.Frames) != 256 || tr.Elided != 1003-256 || tr.ElidedAt != 192 {
		t.Fatalf("deep(1000): %d frames kept, %d elided at %d; want 256, 747 at 192", len(tr.Frames), tr.Elided, tr.ElidedAt)
	}
	if f := tr.Frames; f[0].Name != "inner" || f[1].Name != "middle" || f[255].Name != "deep" {
		t.Errorf("deep(1000): innermost %s, %s; outermost %s", f[0].Name, f[1].Name, f[255].Name)
	}
	bt := tr.Backtrace()
	for _, want := range []string{"  191: ", "  ... 747 frames elided ...\n", "  939: ", "  1002: "} {
		if !strings.Contains(bt, want) {
			t.Errorf("deep(1000) backtrace lacks %q:\n%s", want, bt)
		}
	}
	if strings.Contains(bt, "  192: ") || strings.Contains(bt, "  938: ") {
		t.Errorf("deep(1000) backtrace shows an elided index:\n%s", bt)
	}

	tr = trapOf("rec", 0)
	if tr.Message != "call stack exhausted" {
		t.Fatalf("rec: %v", tr)
	}
	top, next := tr.Frames[0], tr.Frames[1]
	if top.Name != "rec" || top.WasmOff == 0xffffffff || top.WasmOff == 0 || top.WasmOff >= next.WasmOff {
		t.Errorf("rec: overflowing frame %+v (caller's call site %+v): want rec's offset, before the call", top, next)
	}
	if tr.Elided == 0 {
		t.Errorf("rec: %d frames and none elided", len(tr.Frames))
	}
	if !strings.Contains(tr.Backtrace(), fmt.Sprintf("... %d frames elided ...", tr.Elided)) {
		t.Errorf("rec: backtrace does not say how many frames were elided")
	}
}
