package e2e

import (
	"runtime"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"wfxc/compile"
	"wfxc/frontend/wat"
	"wfxc/rt"
)

// switchBenchWat has the shape of benchfx/micro/suspend_resume.wat (a
// handler label that is a loop taking the continuation) with the count as
// a parameter, and its baseline: the same loop around an empty wasm→wasm
// call.
const switchBenchWat = `(module
  (type $f (func))
  (type $k (cont $f))
  (tag $t)
  (global $n (mut i32) (i32.const 0))
  (func $suspender
    (local $i i32)
    (local.set $i (global.get $n))
    (loop $loop
      (suspend $t)
      (br_if $loop (local.tee $i (i32.sub (local.get $i) (i32.const 1))))))
  (elem declare func $suspender)
  (func (export "roundtrips") (param i32)
    (global.set $n (local.get 0))
    (cont.new $k (ref.func $suspender))
    (loop $loop (param (ref $k))
      (resume $k (on $t $loop))
      (return)))
  (func $ret)
  (elem declare func $ret)
  (func (export "contnews") (param $i i32)
    (loop $loop
      (resume $k (cont.new $k (ref.func $ret)))
      (br_if $loop (local.tee $i (i32.sub (local.get $i) (i32.const 1))))))
  (func $empty)
  (func (export "calls") (param $i i32)
    (loop $loop
      (call $empty)
      (br_if $loop (local.tee $i (i32.sub (local.get $i) (i32.const 1))))))
)`

// BenchmarkStackSwitch measures a suspend/resume round trip (two stack
// switches, the handler search and the revision checks) next to an empty
// wasm→wasm call and a cont.new of a continuation resumed once to its
// return (its record taken from and given back to the store's free list),
// 20M of each per iteration, in ns per round trip / call / continuation
// by the wall clock and in the CPU time of the thread that ran them
// (cpu-…: on a loaded machine the wall clock also counts waits for a
// core); pooled/… are the same in a store with a Pool (fibre stacks from
// its slots).
func BenchmarkStackSwitch(b *testing.B) {
	bin, err := wat.ParseModule([]byte(switchBenchWat))
	if err != nil {
		b.Fatal(err)
	}
	res, err := compile.Compile(bin, compile.Options{Name: "switchbench"})
	if err != nil {
		b.Fatal(err)
	}
	mod, err := rt.LoadObject(res.Object)
	if err != nil {
		b.Fatal(err)
	}
	pool, err := rt.NewPool(rt.PoolConfig{Instances: 4, Memories: 4, Tables: 4, FibreStacks: 16})
	if err != nil {
		b.Fatal(err)
	}
	defer pool.Close()
	plain, pooled := rt.NewStore(), rt.NewStore()
	defer plain.Close()
	defer pooled.Close()
	pooled.SetPool(pool)
	const n = 20_000_000
	for _, bm := range []struct{ name, export, unit string }{
		{"suspend_resume", "roundtrips", "ns/roundtrip"},
		{"call", "calls", "ns/call"},
		{"cont_new", "contnews", "ns/cont"},
		{"pooled/suspend_resume", "roundtrips", "ns/roundtrip"},
		{"pooled/cont_new", "contnews", "ns/cont"},
	} {
		s := plain
		if strings.HasPrefix(bm.name, "pooled/") {
			s = pooled
		}
		inst, err := s.Instantiate(mod, nil)
		if err != nil {
			b.Fatal(err)
		}
		defer inst.Close()
		b.Run(bm.name, func(b *testing.B) {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			f := inst.Func(bm.export)
			var total, cpu time.Duration
			for b.Loop() {
				start, c0 := time.Now(), threadCPU(b)
				if _, err := f.Call(n); err != nil {
					b.Fatal(err)
				}
				total += time.Since(start)
				cpu += threadCPU(b) - c0
			}
			b.ReportMetric(float64(total.Nanoseconds())/float64(n)/float64(b.N), bm.unit)
			b.ReportMetric(float64(cpu.Nanoseconds())/float64(n)/float64(b.N), "cpu-"+bm.unit)
		})
	}
}

// threadCPU is the CPU time the calling thread has used.
func threadCPU(b *testing.B) time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ts.Nano())
}
