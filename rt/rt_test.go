package rt

import (
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"

	"wfxc/rt/abi"
	"wfxc/rt/rttest"
)

var (
	i64    = rttest.I64
	tTypes = rttest.Types
	tFuncs = rttest.Funcs
)

func buildTestObj(t testing.TB) *rttest.Obj {
	t.Helper()
	o, err := rttest.Build()
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func assemble(t testing.TB, src string) []byte {
	t.Helper()
	obj, err := rttest.Assemble(src)
	if err != nil {
		t.Fatal(err)
	}
	return obj
}

// hostTimes10 is env.host for most tests: x → 10*x.
func hostTimes10() *Func {
	return NewHostFunc(tTypes[1], func(a []uint64) ([]uint64, error) { return []uint64{a[0] * 10}, nil })
}

func newTestModule(t testing.TB) *Module {
	t.Helper()
	o := buildTestObj(t)
	m, err := LoadModule(o.Text, o.Desc)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func instantiate(t testing.TB, s *Store, m *Module, host *Func) *Instance {
	t.Helper()
	inst, err := s.Instantiate(m, Imports{"env": {"host": host}})
	if err != nil {
		t.Fatal(err)
	}
	return inst
}

func call(t testing.TB, inst *Instance, name string, args ...uint64) []uint64 {
	t.Helper()
	f := inst.Func(name)
	if f == nil {
		t.Fatalf("no export %s", name)
	}
	res, err := f.Call(args...)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return res
}

func TestCall_exports(t *testing.T) {
	m := newTestModule(t)
	inst := instantiate(t, NewStore(), m, hostTimes10())
	tests := []struct {
		name string
		fn   string
		args []uint64
		want uint64
	}{
		{"add", "add", []uint64{40, 2}, 42},
		{"addWraps", "add", []uint64{^uint64(0), 2}, 1},
		{"hostImport", "callimp", []uint64{4}, 100}, // (4+1)*10*2
		{"yield", "yield", nil, 7},
		{"globalInit", "global", nil, 42},
		{"dataSegment", "load", []uint64{16}, 0x04030201},
		{"loadZero", "load", []uint64{0}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := call(t, inst, tt.fn, tt.args...)
			if len(res) != 1 || res[0] != tt.want {
				t.Fatalf("%s%v = %v, want [%d]", tt.fn, tt.args, res, tt.want)
			}
		})
	}
}

func TestCall_argCount(t *testing.T) {
	inst := instantiate(t, NewStore(), newTestModule(t), hostTimes10())
	if _, err := inst.Func("add").Call(1); err == nil {
		t.Fatal("call with 1 of 2 arguments succeeded")
	}
}

func TestCall_trapBacktrace(t *testing.T) {
	inst := instantiate(t, NewStore(), newTestModule(t), hostTimes10())
	_, err := inst.Func("outer").Call()
	var tr *Trap
	if !errors.As(err, &tr) {
		t.Fatalf("err = %v, want a *Trap", err)
	}
	if tr.Code != abi.TrapUnreachable || tr.Error() != "unreachable" {
		t.Fatalf("trap = %d %q, want unreachable", tr.Code, tr.Error())
	}
	want := []Frame{{Func: 4, Name: "wasm[4]", WasmOff: 0x42}, {Func: 3, Name: "outer", WasmOff: 0x30}}
	if len(tr.Frames) != len(want) {
		t.Fatalf("frames = %+v, want %+v", tr.Frames, want)
	}
	for i := range want {
		if tr.Frames[i] != want[i] {
			t.Fatalf("frame %d = %+v, want %+v", i, tr.Frames[i], want[i])
		}
	}
	if bt := tr.Backtrace(); !strings.Contains(bt, "0x42 - wasm[4]") || !strings.Contains(bt, "0x30 - outer") {
		t.Fatalf("backtrace:\n%s", bt)
	}
	// The store is usable after a trap.
	if res := call(t, inst, "add", 1, 2); res[0] != 3 {
		t.Fatalf("add after trap = %d", res[0])
	}
}

func TestCall_memoryOutOfBounds(t *testing.T) {
	inst := instantiate(t, NewStore(), newTestModule(t), hostTimes10())
	for _, addr := range []uint64{65533, 65536, 1 << 40} {
		_, err := inst.Func("load").Call(addr)
		var tr *Trap
		if !errors.As(err, &tr) || tr.Code != abi.TrapMemoryOutOfBounds {
			t.Fatalf("load(%d): err = %v, want out of bounds", addr, err)
		}
		if len(tr.Frames) != 1 || tr.Frames[0].Name != "load" || tr.Frames[0].WasmOff != 0x50 {
			t.Fatalf("load(%d): frames %+v", addr, tr.Frames)
		}
	}
	if res := call(t, inst, "load", 65532); res[0] != 0 {
		t.Fatalf("load(65532) = %d", res[0])
	}
}

func TestCall_memoryGrow(t *testing.T) {
	inst := instantiate(t, NewStore(), newTestModule(t), hostTimes10())
	mem := inst.Memory("mem")
	tests := []struct {
		delta, want uint64
	}{
		{0, 1}, {1, 1}, {2, 2}, {1, ^uint64(0)}, {0, 4},
	}
	for _, tt := range tests {
		if res := call(t, inst, "grow", tt.delta); res[0] != tt.want {
			t.Fatalf("grow(%d) = %#x, want %#x", tt.delta, res[0], tt.want)
		}
	}
	if mem.Pages() != 4 || len(mem.Bytes()) != 4<<16 {
		t.Fatalf("memory has %d pages, %d bytes", mem.Pages(), len(mem.Bytes()))
	}
	// Contents survive the move, the new pages are zero and reachable.
	mem.Bytes()[4<<16-4] = 9
	if res := call(t, inst, "load", 16); res[0] != 0x04030201 {
		t.Fatalf("load(16) after grow = %#x", res[0])
	}
	if res := call(t, inst, "load", 4<<16-4); res[0] != 9 {
		t.Fatalf("load(last) after grow = %d", res[0])
	}
}

func TestCall_reentrant(t *testing.T) {
	m := newTestModule(t)
	s := NewStore()
	var inst *Instance
	depth := 0
	host := NewHostFunc(tTypes[1], func(a []uint64) ([]uint64, error) {
		// host(x) = x < 20 ? callimp(x) + add(x, 1000) : x
		depth++
		defer func() { depth-- }()
		if a[0] >= 20 {
			return []uint64{a[0]}, nil
		}
		r, err := inst.Func("callimp").Call(a[0])
		if err != nil {
			return nil, err
		}
		r2, err := inst.Func("add").Call(a[0], 1000)
		if err != nil {
			return nil, err
		}
		return []uint64{r[0] + r2[0]}, nil
	})
	inst = instantiate(t, s, m, host)
	// Reference: c(x) = 2*h(x+1); h(x) = x >= 20 ? x : c(x) + x + 1000.
	var h func(x uint64) uint64
	c := func(x uint64) uint64 { return 2 * h(x+1) }
	h = func(x uint64) uint64 {
		if x >= 20 {
			return x
		}
		return c(x) + x + 1000
	}
	if res := call(t, inst, "callimp", 3); res[0] != c(3) {
		t.Fatalf("callimp(3) = %d, want %d", res[0], c(3))
	}
	if depth != 0 || s.depth != 0 {
		t.Fatalf("depth after call = %d, store depth %d", depth, s.depth)
	}
}

func TestCall_reentrantTrap(t *testing.T) {
	s := NewStore()
	var inst *Instance
	host := NewHostFunc(tTypes[1], func(a []uint64) ([]uint64, error) {
		if _, err := inst.Func("outer").Call(); err == nil {
			return nil, errors.New("nested call did not trap")
		}
		// The outer execution continues after the nested one trapped.
		r, err := inst.Func("add").Call(a[0], 1)
		return r, err
	})
	inst = instantiate(t, s, newTestModule(t), host)
	if res := call(t, inst, "callimp", 5); res[0] != 14 { // ((5+1)+1)*2
		t.Fatalf("callimp(5) = %d, want 14", res[0])
	}
}

func TestCall_hostError(t *testing.T) {
	boom := errors.New("boom")
	host := NewHostFunc(tTypes[1], func(a []uint64) ([]uint64, error) { return nil, boom })
	inst := instantiate(t, NewStore(), newTestModule(t), host)
	if _, err := inst.Func("callimp").Call(1); !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	if res := call(t, inst, "add", 2, 2); res[0] != 4 {
		t.Fatalf("add after host error = %d", res[0])
	}
}

func TestCall_interrupt(t *testing.T) {
	s := NewStore()
	inst := instantiate(t, s, newTestModule(t), hostTimes10())
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < 1000; i++ {
			runtime.GC() // exercises the stackguard0 poll too
			s.Interrupt()
			time.Sleep(time.Millisecond)
			select {
			case <-done:
				return
			default:
			}
		}
	}()
	_, err := inst.Func("spin").Call()
	var tr *Trap
	if !errors.As(err, &tr) || tr.Code != abi.TrapInterrupted {
		t.Fatalf("err = %v, want interrupted", err)
	}
}

func TestInstantiate_crossInstanceImport(t *testing.T) {
	m := newTestModule(t)
	s := NewStore()
	a := instantiate(t, s, m, hostTimes10())
	// b imports a's callimp as env.host: b.callimp(x) = a.callimp(x+1)*2.
	b := instantiate(t, s, m, a.Func("callimp"))
	if res := call(t, b, "callimp", 1); res[0] != 2*((1+1+1)*10*2) {
		t.Fatalf("b.callimp(1) = %d", res[0])
	}
	// Re-exported import is the same function.
	if b.Func("host") != nil {
		t.Fatal("unexpected export host")
	}
}

func TestInstantiate_linkErrors(t *testing.T) {
	m := newTestModule(t)
	tests := []struct {
		name    string
		imports Resolver
		want    string
	}{
		{"missing", Imports{}, "unknown import"},
		{"nilResolver", nil, "unknown import"},
		{"wrongKind", Imports{"env": {"host": NewGlobal(i64, false, 0)}}, "incompatible import type"},
		{"wrongSig", Imports{"env": {"host": NewHostFunc(tTypes[0], nil)}}, "incompatible import type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewStore().Instantiate(m, tt.imports)
			var le *LinkError
			if !errors.As(err, &le) || le.Message != tt.want {
				t.Fatalf("err = %v, want link error %q", err, tt.want)
			}
		})
	}
}

func TestInstantiate_dataOutOfBounds(t *testing.T) {
	o := buildTestObj(t)
	d := *o.Desc
	d.Data = []abi.Data{
		{Mode: abi.SegActive, Offset: []byte{0x41, 0, 0x0B}, Bytes: []byte{7}},
		{Mode: abi.SegActive, Offset: []byte{0x41, 0xFF, 0xFF, 0x03, 0x0B}, Bytes: []byte{1, 2}}, // 65535
	}
	m, err := LoadModule(o.Text, &d)
	if err != nil {
		t.Fatal(err)
	}
	_, err = NewStore().Instantiate(m, Imports{"env": {"host": hostTimes10()}})
	var tr *Trap
	if !errors.As(err, &tr) || tr.Message != "out of bounds memory access" {
		t.Fatalf("err = %v, want out of bounds memory access trap", err)
	}
}

func TestInstantiate_globalExport(t *testing.T) {
	inst := instantiate(t, NewStore(), newTestModule(t), hostTimes10())
	g := inst.Global("g")
	if g.Get() != 42 {
		t.Fatalf("g = %d", g.Get())
	}
	g.Set(99)
	if res := call(t, inst, "global"); res[0] != 99 {
		t.Fatalf("global() after Set = %d", res[0])
	}
	if got := inst.Exports(); len(got) != 17 || got[0] != "add" || got[13] != "mem" {
		t.Fatalf("exports = %v", got)
	}
}

func TestLoadObject_testModule(t *testing.T) {
	o := buildTestObj(t)
	m, err := LoadObject(o.Obj)
	if err != nil {
		t.Fatal(err)
	}
	if m.Descriptor().Name != "t" || len(m.Descriptor().Funcs) != len(tFuncs) {
		t.Fatalf("descriptor %+v", m.Descriptor())
	}
	inst := instantiate(t, NewStore(), m, hostTimes10())
	if res := call(t, inst, "callimp", 0); res[0] != 20 {
		t.Fatalf("callimp(0) = %d", res[0])
	}
}

func TestLoadObject_bad(t *testing.T) {
	tests := []struct {
		name string
		obj  []byte
	}{
		{"empty", nil},
		{"garbage", []byte("\x7fELF garbage")},
		{"noSymbols", assemble(t, ".text\nnop\n")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := LoadObject(tt.obj); err == nil {
				t.Fatal("LoadObject succeeded")
			}
		})
	}
}

func TestInstantiate_manyInstancesReclaimed(t *testing.T) {
	m := newTestModule(t)
	s := NewStore()
	host := hostTimes10()
	for i := 0; i < 3000; i++ {
		inst := instantiate(t, s, m, host)
		if i%1000 == 0 {
			runtime.GC()
		}
		_ = inst
	}
	runtime.GC()
	runtime.GC()
	time.Sleep(10 * time.Millisecond) // let cleanups run
	vmctxs.RLock()
	n := len(vmctxs.m)
	vmctxs.RUnlock()
	if n > 1000 {
		t.Fatalf("%d instances still registered after GC", n)
	}
}

func TestStore_close(t *testing.T) {
	s := NewStore()
	inst := instantiate(t, s, newTestModule(t), hostTimes10())
	if res := call(t, inst, "add", 1, 2); res[0] != 3 {
		t.Fatalf("add = %d", res[0])
	}
	s.Close()
	if _, err := inst.Func("add").Call(1, 2); err == nil {
		t.Fatal("call after Close succeeded")
	}
	if _, err := s.Instantiate(newTestModule(t), Imports{"env": {"host": hostTimes10()}}); err == nil {
		t.Fatal("instantiate after Close succeeded")
	}
	s.Close() // idempotent
}

// TestCall_resetsStack: an outermost call starts on the main stack even if
// a previous execution (trapped on a fibre) left other limits behind.
func TestCall_resetsStack(t *testing.T) {
	s := NewStore()
	inst := instantiate(t, s, newTestModule(t), hostTimes10())
	s.setField(abi.EctxStackLimit, 12345)
	s.setField(abi.EctxStackTop, 0)
	if res := call(t, inst, "add", 2, 3); res[0] != 5 {
		t.Fatalf("add = %d", res[0])
	}
	if got, want := s.field(abi.EctxStackLimit), uint64(s.stack+pageSize+stackMargin); got != want {
		t.Fatalf("StackLimit = %#x, want %#x", got, want)
	}
}
