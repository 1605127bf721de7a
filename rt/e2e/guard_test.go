//go:build linux && amd64

package e2e

import (
	"bytes"
	"errors"
	"os/exec"
	"strconv"
	"testing"

	"wfxc/compile"
	"wfxc/rt"
)

const guardWat = `(module
  (type $f (func (param i32) (result i32)))
  (type $k (cont $f))
  (memory (export "memory") 1 4)
  (elem declare func $inner)
  (func (export "load") (param $p i32) (result i32)
    (i32.load offset=4 (local.get $p)))
  (func (export "store") (param $p i32) (result i32)
    (i64.store16 offset=1 (local.get $p) (i64.const 0x1234))
    (i32.const 1))
  (func (export "far") (param $p i32) (result i32)
    (i32.load8_u offset=2000000000 (local.get $p)))
  (func (export "grow") (param $n i32) (result i32)
    (memory.grow (local.get $n)))
  (func $inner (param $p i32) (result i32)
    (i32.add (i32.const 1) (i32.load (local.get $p))))
  (func (export "incont") (param $p i32) (result i32)
    (resume $k (local.get $p) (cont.new $k (ref.func $inner)))))`

func guardInstance(t *testing.T, guard bool) (*rt.Store, *rt.Instance, []byte) {
	t.Helper()
	res := compileWat(t, guardWat, compile.Options{Name: "guard", GuardPages: guard})
	if res.Descriptor.GuardPages != guard {
		t.Fatalf("descriptor GuardPages = %v, want %v", res.Descriptor.GuardPages, guard)
	}
	mod, err := rt.LoadObject(res.Object)
	if err != nil {
		t.Fatal(err)
	}
	s := rt.NewStore()
	inst, err := s.Instantiate(mod, nil)
	if err != nil {
		s.Close()
		t.Fatal(err)
	}
	return s, inst, res.Text
}

// TestGuardPages: code compiled with guard pages has fewer instructions and
// behaves as the explicitly checked code: the same results, the same traps
// with the same backtrace offsets (also inside a continuation), in-place
// growth; and a Go nil dereference still panics recoverably.
func TestGuardPages(t *testing.T) {
	es, explicit, etext := guardInstance(t, false)
	defer es.Close()
	gs, guard, gtext := guardInstance(t, true)
	defer gs.Close()
	if len(gtext) >= len(etext) || bytes.Equal(gtext, etext) {
		t.Errorf("guard code %d bytes, explicit %d: no checks were dropped", len(gtext), len(etext))
	}
	if !guard.Memory("memory").Guarded() || explicit.Memory("memory").Guarded() {
		t.Fatal("memory kinds do not follow the descriptor")
	}
	base := guard.Memory("memory").Base()
	type call struct {
		fn  string
		arg uint64
	}
	calls := []call{
		{"load", 0}, {"load", 65532 - 4}, {"load", 65533 - 4}, {"load", 65536}, {"load", 0xFFFFFFFF},
		{"store", 65533}, {"store", 65534}, {"store", 0xFFFFFFFF},
		{"far", 0}, {"far", 0xFFFFFFFF},
		{"incont", 8}, {"incont", 65533}, {"incont", 1 << 31},
		{"grow", 1},
		{"load", 65536}, {"store", 65536 + 65534}, {"store", 2 * 65536}, {"incont", 65536 + 100},
		{"grow", 2}, {"grow", 1}, {"load", 4*65536 - 8}, {"load", 4 * 65536},
	}
	traps := 0
	for _, c := range calls {
		want, werr := explicit.Func(c.fn).Call(c.arg)
		got, gerr := guard.Func(c.fn).Call(c.arg)
		var wt, gt *rt.Trap
		switch {
		case errors.As(werr, &wt):
			if !errors.As(gerr, &gt) {
				t.Errorf("%s(%#x): %v, %v; want the trap %v", c.fn, c.arg, got, gerr, wt)
				continue
			}
			traps++
			if gt.Message != wt.Message || gt.Backtrace() != wt.Backtrace() {
				t.Errorf("%s(%#x): trap %q\n%s\nwant %q\n%s", c.fn, c.arg, gt.Message, gt.Backtrace(), wt.Message, wt.Backtrace())
			}
			if len(gt.Frames) == 0 || gt.Frames[0].WasmOff == 0 {
				t.Errorf("%s(%#x): trap without the access's offset\n%s", c.fn, c.arg, gt.Backtrace())
			}
		case werr != nil || gerr != nil:
			t.Errorf("%s(%#x): %v, %v; want %v, %v", c.fn, c.arg, got, gerr, want, werr)
		case len(got) != len(want) || len(got) > 0 && got[0] != want[0]:
			t.Errorf("%s(%#x) = %v, want %v", c.fn, c.arg, got, want)
		}
		if !nilDerefRecovers() {
			t.Fatalf("after %s(%#x): a Go nil dereference no longer panics recoverably", c.fn, c.arg)
		}
	}
	if traps < 10 {
		t.Errorf("only %d calls trapped", traps)
	}
	if guard.Memory("memory").Base() != base {
		t.Error("the guard-page memory moved when it grew")
	}
	if !bytes.Equal(guard.Memory("memory").Bytes(), explicit.Memory("memory").Bytes()) {
		t.Error("memories differ")
	}
}

//go:noinline
func derefInt(p *int) int { return *p }

func nilDerefRecovers() (ok bool) {
	defer func() { ok = recover() != nil }()
	derefInt(nil)
	return false
}

// TestGuardPages_mismatch: a module compiled with guard pages refuses a
// memory without them, and accepts a host guard-page memory.
func TestGuardPages_mismatch(t *testing.T) {
	res := compileWat(t, `(module (import "env" "mem" (memory 1))
	  (func (export "load") (param i32) (result i32) (i32.load (local.get 0))))`, compile.Options{Name: "gm", GuardPages: true})
	mod, err := rt.LoadObject(res.Object)
	if err != nil {
		t.Fatal(err)
	}
	s := rt.NewStore()
	defer s.Close()
	plain, err := rt.NewMemory(1, 0, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Instantiate(mod, rt.Imports{"env": {"mem": plain}}); err == nil {
		t.Error("a plain memory was accepted by guard-page code")
	}
	gm, err := rt.NewGuardMemory(1, 0, false)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := s.Instantiate(mod, rt.Imports{"env": {"mem": gm}})
	if err != nil {
		t.Fatal(err)
	}
	var trap *rt.Trap
	if _, err := inst.Func("load").Call(65533); !errors.As(err, &trap) || trap.Message != "out of bounds memory access" {
		t.Errorf("load(65533): %v, want an out-of-bounds trap", err)
	}
}

const cGuardMain = `#include <stdio.h>
#define WFX_HANDLE_API
#include "guard.h"

int main(void) {
	uint64_t inst = guard_instantiate();
	if (!inst) {
		printf("instantiate: %s\n", wfx_rt_error());
		return 1;
	}
	int32_t r = -1;
	int rc = guard_store(inst, 100, &r);
	printf("store %d %d\n", rc, r);
	rc = guard_load(inst, 96, &r);
	printf("load %d %d\n", rc, r);
	rc = guard_load(inst, 65536, &r);
	printf("oob %d %s\n%s", rc, wfx_rt_error(), wfx_rt_backtrace());
	rc = guard_incont(inst, 65534, &r);
	printf("incont %d %s\n%s", rc, wfx_rt_error(), wfx_rt_backtrace());
	rc = guard_load(inst, 96, &r);
	printf("again %d %d\n", rc, r);
	return 0;
}
`

// TestGuardPages_cHost: in a C host (rt as a c-archive) guard-page code
// traps as the explicitly checked code does: same messages and backtraces,
// on the main stack and in a continuation, and runs on afterwards.
func TestGuardPages_cHost(t *testing.T) {
	if _, err := exec.LookPath(cCompiler()); err != nil {
		t.Fatalf("%s is needed for the C host test", cCompiler())
	}
	res := compileWat(t, guardWat, compile.Options{Name: "guard", GuardPages: true})
	es, explicit, _ := guardInstance(t, false)
	defer es.Close()
	bt := func(fn string, arg uint64) string {
		var tr *rt.Trap
		if _, err := explicit.Func(fn).Call(arg); !errors.As(err, &tr) {
			t.Fatalf("%s(%d): %v, want a trap", fn, arg, err)
		}
		return tr.Message + "\n" + tr.Backtrace()
	}
	want := "store 0 1\nload 0 " + strconv.Itoa(0x123400) + "\noob 1 " + bt("load", 65536) + "incont 1 " + bt("incont", 65534) + "again 0 " + strconv.Itoa(0x123400) + "\n"
	if got := string(runCProgram(t, res, "guard", cGuardMain)); got != want {
		t.Errorf("output:\n%s\nwant:\n%s", got, want)
	}
}
