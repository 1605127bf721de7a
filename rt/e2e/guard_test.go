//go:build linux && amd64

package e2e

import (
	"bytes"
	"errors"
	"os/exec"
	"strconv"
	"strings"
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
    (resume $k (local.get $p) (cont.new $k (ref.func $inner))))
  (func (export "vload") (param $p i32) (result i32)
    (i32x4.extract_lane 3 (v128.load (local.get $p))))
  (func (export "vfar") (param $p i32) (result i32)
    (i32x4.extract_lane 0 (v128.load offset=2147483632 (local.get $p))))
  (func (export "vstore") (param $p i32) (result i32)
    (v128.store offset=16 (local.get $p) (v128.const i32x4 1 2 3 4))
    (v128.store16_lane offset=3 5 (local.get $p) (v128.const i16x8 0 1 2 3 4 5 6 7))
    (i32.const 1))
  (func (export "splat") (param $p i32) (result i32)
    (i32x4.extract_lane 3 (v128.load32_splat offset=8 (local.get $p))))
  (func (export "extend") (param $p i32) (result i32)
    (i32x4.extract_lane 1 (v128.load16x4_u offset=3 (local.get $p))))
  (func (export "lane") (param $p i32) (result i32)
    (i32x4.extract_lane 2 (v128.load32_lane offset=1 2 (local.get $p) (v128.const i64x2 0 0))))
  (func (export "fadd") (param $p i32) (result i32)
    (i32.trunc_sat_f64_s
      (f64.add (f64.convert_i32_s (local.get $p)) (f64.load offset=5 (local.get $p)))))
  (func (export "loop") (param $p i32) (result i32)
    (local $i i32) (local $s i32)
    (loop $l
      (i32.store8 offset=1 (i32.add (local.get $p) (local.get $i)) (local.get $i))
      (local.set $s (i32.add (local.get $s)
        (i32.load16_u (i32.add (local.get $p) (local.get $i)))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 100))))
    (local.get $s))
  (func (export "zero") (param $p i32) (result i32)
    (i32x4.extract_lane 1 (v128.load64_zero (local.get $p))))
  (func $deep (param $p i32) (result i32)
    (i32.add (i32.const 1) (call $deep (local.get $p))))
  (elem declare func $deep)
  (func (export "deepcont") (param $p i32) (result i32)
    (resume $k (local.get $p) (cont.new $k (ref.func $deep)))))`

// guardInstance instantiates guardWat compiled with bounds in a new store,
// pooled when pool is not nil; guard is what the descriptor must say.
func guardInstance(t *testing.T, bounds compile.Bounds, guard bool, pool *rt.Pool) (*rt.Store, *rt.Instance, []byte) {
	t.Helper()
	res := compileWat(t, guardWat, compile.Options{Name: "guard", Bounds: bounds})
	if res.Descriptor.GuardPages != guard {
		t.Fatalf("bounds %v: descriptor GuardPages = %v, want %v", bounds, res.Descriptor.GuardPages, guard)
	}
	mod, err := rt.LoadObject(res.Object)
	if err != nil {
		t.Fatal(err)
	}
	s := rt.NewStore()
	if pool != nil {
		s.SetPool(pool)
	}
	inst, err := s.Instantiate(mod, nil)
	if err != nil {
		s.Close()
		t.Fatal(err)
	}
	return s, inst, res.Text
}

// TestGuardPages: code compiled with guard pages (the default on x86-64)
// has fewer instructions and behaves as the explicitly checked code: the
// same results, the same traps with the same backtrace offsets (also
// inside a continuation, and "call stack exhausted" on a fibre stack), for
// scalar and SIMD accesses (lane, splat, zero, extend, and a v128 access
// at the largest unchecked offset; loads folded into the instruction that
// uses them: the f64 add, the extend; a loop's accesses through the base
// kept in a register), in-place growth, in a plain store and
// in a pooled one (guard-page slots, the committed bytes counted the
// same); and a Go nil dereference still panics recoverably.
func TestGuardPages(t *testing.T) {
	for _, pooled := range []bool{false, true} {
		name := "plain"
		if pooled {
			name = "pooled"
		}
		t.Run(name, func(t *testing.T) { testGuardPages(t, pooled) })
	}
}

func testGuardPages(t *testing.T, pooled bool) {
	var pool *rt.Pool
	if pooled {
		p, err := rt.NewPool(rt.PoolConfig{Instances: 2, Memories: 2, Tables: 2, FibreStacks: 8, MemoryBytes: 8 << 16})
		if err != nil {
			t.Fatal(err)
		}
		defer p.Close()
		pool = p
	}
	es, explicit, etext := guardInstance(t, compile.BoundsExplicit, false, pool)
	defer es.Close()
	gs, guard, gtext := guardInstance(t, compile.BoundsDefault, true, pool)
	defer gs.Close()
	if len(gtext) >= len(etext) || bytes.Equal(gtext, etext) {
		t.Errorf("guard code %d bytes, explicit %d: no checks were dropped", len(gtext), len(etext))
	}
	if !guard.Memory("memory").Guarded() || explicit.Memory("memory").Guarded() != pooled {
		t.Fatal("memory kinds do not follow the descriptor (and the pool's slots)")
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
		{"vstore", 0}, {"vload", 16}, {"vload", 4*65536 - 16}, {"vload", 4*65536 - 15}, {"vload", 0xFFFFFFFF},
		{"vstore", 4*65536 - 32}, {"vstore", 4*65536 - 31}, {"vstore", 0xFFFFFFF0},
		{"vfar", 0}, {"vfar", 0xFFFFFFFF},
		{"splat", 4*65536 - 12}, {"splat", 4*65536 - 11}, {"extend", 0}, {"extend", 4*65536 - 11}, {"extend", 4*65536 - 10},
		{"lane", 16}, {"lane", 4*65536 - 5}, {"lane", 4*65536 - 4}, {"zero", 16}, {"zero", 4*65536 - 8}, {"zero", 4*65536 - 7},
		{"fadd", 16}, {"fadd", 4*65536 - 13}, {"fadd", 4*65536 - 12}, {"fadd", 0xFFFFFFFF},
		{"loop", 16}, {"loop", 4*65536 - 101}, {"loop", 4*65536 - 90}, {"load", 4*65536 - 8}, {"loop", 0xFFFFFF00},
		{"deepcont", 0}, {"load", 96},
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
	if traps < 20 {
		t.Errorf("only %d calls trapped", traps)
	}
	if got, want := gs.Committed(), es.Committed(); got != want {
		t.Errorf("committed bytes: guard-page store %d, explicit %d", got, want)
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
// memory without them (one defined by explicitly checked code), with a
// link error, and accepts host memories (NewMemory and NewGuardMemory
// are guard-page memories on linux/amd64) and a pooled one, which
// explicitly checked code accepts too.
func TestGuardPages_mismatch(t *testing.T) {
	const importer = `(module (import "env" "mem" (memory 1))
	  (func (export "load") (param i32) (result i32) (i32.load (local.get 0))))`
	load := func(src string, bounds compile.Bounds) *rt.Module {
		mod, err := rt.LoadObject(compileWat(t, src, compile.Options{Name: "gm", Bounds: bounds}).Object)
		if err != nil {
			t.Fatal(err)
		}
		return mod
	}
	guardMod, explicitMod := load(importer, compile.BoundsGuard), load(importer, compile.BoundsExplicit)
	s := rt.NewStore()
	defer s.Close()
	exporter, err := s.Instantiate(load(`(module (memory (export "mem") 1))`, compile.BoundsExplicit), nil)
	if err != nil {
		t.Fatal(err)
	}
	plain := exporter.Memory("mem")
	var le *rt.LinkError
	if _, err := s.Instantiate(guardMod, rt.Imports{"env": {"mem": plain}}); !errors.As(err, &le) || !strings.Contains(err.Error(), "guard-page memory") {
		t.Errorf("a plain memory imported by guard-page code: %v, want a link error", err)
	}
	if _, err := s.Instantiate(explicitMod, rt.Imports{"env": {"mem": plain}}); err != nil {
		t.Errorf("a plain memory imported by explicitly checked code: %v", err)
	}
	pool, err := rt.NewPool(rt.PoolConfig{Instances: 1, Memories: 1, Tables: 1, MemoryBytes: 1 << 16})
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	ps := rt.NewStore()
	ps.SetPool(pool)
	pooled, err := ps.Instantiate(load(`(module (memory (export "mem") 1))`, compile.BoundsExplicit), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ps.Close()
	hostMem, err := rt.NewMemory(1, 0, false)
	if err != nil {
		t.Fatal(err)
	}
	guardMem, err := rt.NewGuardMemory(1, 0, false)
	if err != nil {
		t.Fatal(err)
	}
	for name, m := range map[string]*rt.Memory{"NewMemory": hostMem, "NewGuardMemory": guardMem, "pooled": pooled.Memory("mem")} {
		for _, mod := range []*rt.Module{guardMod, explicitMod} {
			inst, err := s.Instantiate(mod, rt.Imports{"env": {"mem": m}})
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			var trap *rt.Trap
			if _, err := inst.Func("load").Call(65533); !errors.As(err, &trap) || trap.Message != "out of bounds memory access" {
				t.Errorf("%s: load(65533): %v, want an out-of-bounds trap", name, err)
			}
		}
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
	res := compileWat(t, guardWat, compile.Options{Name: "guard"}) // guard pages: the default
	if !res.Descriptor.GuardPages {
		t.Fatal("guard pages are not the default")
	}
	es, explicit, _ := guardInstance(t, compile.BoundsExplicit, false, nil)
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

// TestGuardPages_poolReuse: a guard-page pool slot given back by a memory
// that grew is made inaccessible again beyond the next memory's size, with
// or without a data image: the next instance traps where its memory ends
// and reads zeros (or its data) inside it.
func TestGuardPages_poolReuse(t *testing.T) {
	pool, err := rt.NewPool(rt.PoolConfig{Instances: 1, Memories: 1, Tables: 1, MemoryBytes: 16 << 16})
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	const src = `(module (memory (export "memory") 1 16) %s
	  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
	  (func (export "store") (param i32) (i32.store (local.get 0) (i32.const -1)))
	  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))`
	load := func(data string) *rt.Module {
		res := compileWat(t, strings.Replace(src, "%s", data, 1), compile.Options{Name: "reuse"})
		if !res.Descriptor.GuardPages {
			t.Fatal("guard pages are not the default")
		}
		mod, err := rt.LoadObject(res.Object)
		if err != nil {
			t.Fatal(err)
		}
		return mod
	}
	plain, imaged := load(""), load(`(data (i32.const 8) "\2a")`)
	for i, mod := range []*rt.Module{plain, imaged, plain, imaged, imaged, plain} {
		s := rt.NewStore()
		s.SetPool(pool)
		inst, err := s.Instantiate(mod, nil)
		if err != nil {
			t.Fatalf("instance %d: %v", i, err)
		}
		want := uint64(0)
		if mod == imaged {
			want = 42
		}
		var trap *rt.Trap
		if got, err := inst.Func("load").Call(8); err != nil || got[0] != want {
			t.Errorf("instance %d: load(8) = %v, %v; want %d", i, got, err, want)
		}
		for _, p := range []uint64{65536, 4 << 16, 15 << 16} {
			if _, err := inst.Func("load").Call(p); !errors.As(err, &trap) {
				t.Errorf("instance %d: load(%#x) past one page: %v, want a trap", i, p, err)
			}
		}
		if got, err := inst.Func("grow").Call(7); err != nil || got[0] != 1 {
			t.Fatalf("instance %d: grow(7) = %v, %v", i, got, err)
		}
		for _, p := range []uint64{8, 65536, 8<<16 - 4} {
			if _, err := inst.Func("store").Call(p); err != nil {
				t.Errorf("instance %d: store(%#x) after growing: %v", i, p, err)
			}
		}
		if _, err := inst.Func("load").Call(8 << 16); !errors.As(err, &trap) {
			t.Errorf("instance %d: load past 8 pages: %v, want a trap", i, err)
		}
		s.Close()
	}
}
