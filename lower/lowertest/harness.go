// Package lowertest is the shared test harness of the back ends: it links
// a back end's functions, wrappers, host-call stubs and runtime routines
// into executable memory with an ectx, a native stack and a vmctx, runs
// them through the enter/resume loop (servicing host calls, libcalls and
// yields like rt does), and carries the tests every back end must pass:
// programs built op by op with reference semantics, random programs run
// against ir/interp, and the "; run:" lines of ir/testdata. A back end's
// tests describe it in a Backend and call Run, RunFiles and
// OpTableComplete; code runs on the host, so a back end for another ISA
// runs these tests in a test binary for that ISA (under qemu).
//
// Files:
//
//	harness.go  Backend, Machine: build, link, run, check
//	funcs.go    small IR programs and the reference semantics they are checked against
//	gen.go      the random program generator of the differential test
//	suite.go    the tests of Run
//	optable.go  OpTableComplete: every op has a lowering or an explicit unsupported row
//	irfiles.go  RunFiles: ir/testdata "; run:" lines, natively
package lowertest

import (
	"encoding/binary"
	"fmt"
	"runtime"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"

	"wfxc/ir"
	"wfxc/lower"
	"wfxc/rt/abi"
	"wfxc/rt/native"
)

// Backend is what the harness needs from a back end.
type Backend struct {
	// Name names the back end in messages; the four functions are its
	// entry points (as lower/x64 exports them).
	Name         string
	CompileFunc  func(f *ir.Func) (*lower.Compiled, error)
	Runtime      func() [lower.NumRuntime]*lower.Compiled
	Wrapper      func(name string, params, results []ir.Type, fn int) *lower.Compiled
	HostCallStub func(name string, params, results []ir.Type, importIndex int) *lower.Compiled
	// Pad fills the gaps between pieces of linked code.
	Pad byte
	// Patch resolves the fixup field at code[off:] to refer to code
	// offset target.
	Patch func(code []byte, off, target int)
	// Ops returns the row of op in the back end's lowering table.
	Ops func(op ir.Op) OpRow
	// Spilled reports whether code spills registers, for the statistics
	// of the differential test; nil means unknown.
	Spilled func(code []byte) bool
	// LoopPollPeriod says how often the poll of a loop whose induction
	// variable i starts at 0 and steps by 1 checks: when i is a multiple
	// of it (0 or 1: on every iteration).
	LoopPollPeriod uint64
}

// Import is a host import of a test program: its function index is its
// position among the functions, and Fn services it on the argument slots
// (as many as max(params, results, 1)), writing the results into them.
type Import struct {
	Params, Results []ir.Type
	Fn              func(slots []uint64)
}

// The vmctx layout of test programs.
const (
	MemOff     = 16  // vmctx offset of memory 0 {base, len} (as in ir/testdata)
	GlobalsOff = 64  // globals at 64 + 16 i
	ImportsOff = 512 // imported function i {code, vmctx} at 512 + 16 i
	MemSize    = 65536
)

// Machine is a linked test program with an ectx, a native stack and a
// vmctx (with one memory and room for globals and imports).
type Machine struct {
	t        *testing.T
	Exec     *native.Exec
	Ectx     []byte
	Stack    []byte // the native stack, above a guard page
	VMCtx    []byte
	Mem      []byte      // memory 0, MemSize bytes
	Buf      []byte      // the wrappers' argument and result buffer
	FuncOff  map[int]int // code offset of each function and host-call stub, by function index
	WrapOff  map[int]int // code offset of each function's wrapper
	RTOff    [lower.NumRuntime]int
	Imports  map[int]Import
	Compiled map[int]*lower.Compiled // by function index
	// StopOnYield makes Run return ExitYield instead of resuming (a
	// yield also happens when Go asks the goroutine to stop).
	StopOnYield bool
	Interrupt   bool // run with ectx.G redirected, as rt interrupts an execution
	// Libcalls services ExitLibcall by index: it gets the argument slots
	// (8 of them, on the native stack) and writes results into them.
	Libcalls map[int64]func(slots []uint64)
}

func mmap(t *testing.T, n int) []byte {
	b, err := unix.Mmap(-1, 0, n, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANON)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Munmap(b) })
	return b
}

// Addr returns the address of b's first byte.
func Addr(b []byte) uintptr { return uintptr(unsafe.Pointer(unsafe.SliceData(b))) }

// Put64 stores v little-endian at b[off:].
func Put64(b []byte, off int, v uint64) { binary.LittleEndian.PutUint64(b[off:], v) }

// Get64 loads the little-endian word at b[off:].
func Get64(b []byte, off int) uint64 { return binary.LittleEndian.Uint64(b[off:]) }

// Build compiles and links functions (by their Index; nil entries are
// skipped) and host-call stubs for imports (by function index) with the
// runtime routines.
func Build(t *testing.T, be *Backend, funcs []*ir.Func, imports map[int]Import) *Machine {
	t.Helper()
	m := &Machine{t: t, FuncOff: map[int]int{}, WrapOff: map[int]int{}, Imports: imports, Compiled: map[int]*lower.Compiled{}}
	var code []byte
	type placed struct {
		c   *lower.Compiled
		off int
	}
	var all []placed
	place := func(c *lower.Compiled) int {
		for len(code)%16 != 0 {
			code = append(code, be.Pad)
		}
		off := len(code)
		code = append(code, c.Code...)
		all = append(all, placed{c, off})
		return off
	}
	rt := be.Runtime()
	for i, c := range rt {
		m.RTOff[i] = place(c)
	}
	for i, im := range imports {
		m.FuncOff[i] = place(be.HostCallStub("import", im.Params, im.Results, i))
	}
	for _, f := range funcs {
		if f == nil {
			continue
		}
		c, err := be.CompileFunc(f)
		if err != nil {
			t.Fatalf("CompileFunc(%s): %v", f.Name, err)
		}
		m.Compiled[f.Index] = c
		m.FuncOff[f.Index] = place(c)
	}
	for _, f := range funcs {
		if f != nil {
			m.WrapOff[f.Index] = place(be.Wrapper("wrap", f.Params, f.Results, f.Index))
		}
	}
	for _, p := range all {
		for _, fx := range p.c.Fixups {
			var target int
			switch fx.Kind {
			case lower.TargetFunc:
				target = m.FuncOff[fx.Index]
			case lower.TargetRuntime:
				target = m.RTOff[fx.Index]
			default:
				t.Fatalf("bad fixup %+v", fx)
			}
			be.Patch(code, p.off+int(fx.Off), target)
		}
	}
	e, err := native.MapExec(code)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Free() })
	m.Exec = e
	m.Ectx = mmap(t, 4096)
	const stackSize = 1 << 20
	pg := unix.Getpagesize()
	m.Stack = mmap(t, stackSize+pg)
	if err := unix.Mprotect(m.Stack[:pg], unix.PROT_NONE); err != nil {
		t.Fatal(err)
	}
	base := Addr(m.Stack) + uintptr(pg)
	Put64(m.Ectx, abi.EctxStackTop, uint64((base+stackSize)&^15))
	Put64(m.Ectx, abi.EctxStackLimit, uint64(base+64<<10))
	m.VMCtx = mmap(t, 4096)
	m.Mem = mmap(t, MemSize)
	Put64(m.VMCtx, MemOff, uint64(Addr(m.Mem)))
	Put64(m.VMCtx, MemOff+8, MemSize)
	for i := range imports {
		Put64(m.VMCtx, ImportsOff+16*i, uint64(e.Addr(m.FuncOff[i])))
		Put64(m.VMCtx, ImportsOff+16*i+8, uint64(Addr(m.VMCtx)))
	}
	m.Buf = mmap(t, 4096)
	return m
}

// Run calls function fn with args through its wrapper, servicing host
// calls, libcalls and yields, and returns the exit code and the buffer's
// first 16 slots.
func (m *Machine) Run(fn int, args ...uint64) (uint64, []uint64) {
	m.t.Helper()
	for i, a := range args {
		Put64(m.Buf, 8*i, a)
	}
	Put64(m.Ectx, abi.EctxG, uint64(native.G()))
	if m.Interrupt {
		// rt's interrupt: ectx.G points at words asking for preemption.
		Put64(m.Ectx, abi.EctxG, uint64(uintptr(unsafe.Pointer(&preemptWords))))
	}
	ec := uint64(native.Call4(m.Exec.Addr(m.RTOff[lower.RuntimeEnter]), Addr(m.Ectx), m.Exec.Addr(m.WrapOff[fn]), Addr(m.VMCtx), Addr(m.Buf)))
	for ec == abi.ExitHostCall || ec == abi.ExitLibcall || ec == abi.ExitYield && !m.StopOnYield {
		if ec == abi.ExitYield {
			runtime.Gosched()
			ec = m.Resume()
			continue
		}
		if ec == abi.ExitLibcall {
			idx := int64(Get64(m.Ectx, abi.EctxExitArg))
			fn := m.Libcalls[idx]
			if fn == nil {
				m.t.Fatalf("libcall %d not expected", idx)
			}
			if got := Get64(m.Ectx, abi.EctxExitVMCtx); got != uint64(Addr(m.VMCtx)) {
				m.t.Fatalf("libcall ExitVMCtx = %#x, want %#x", got, Addr(m.VMCtx))
			}
			off := int(Get64(m.Ectx, abi.EctxExitArgs) - uint64(Addr(m.Stack)))
			slots := make([]uint64, 8)
			for i := range slots {
				slots[i] = Get64(m.Stack, off+8*i)
			}
			fn(slots)
			for i := range slots {
				Put64(m.Stack, off+8*i, slots[i])
			}
			ec = m.Resume()
			continue
		}
		idx := int(Get64(m.Ectx, abi.EctxExitArg))
		im, ok := m.Imports[idx]
		if !ok {
			m.t.Fatalf("host call to unknown import %d", idx)
		}
		if got := Get64(m.Ectx, abi.EctxExitVMCtx); got != uint64(Addr(m.VMCtx)) {
			m.t.Fatalf("ExitVMCtx = %#x, want %#x", got, Addr(m.VMCtx))
		}
		// The buffer is on the native stack.
		off := int(Get64(m.Ectx, abi.EctxExitArgs) - uint64(Addr(m.Stack)))
		n := max(len(im.Params), len(im.Results), 1)
		slots := make([]uint64, n)
		for i := range slots {
			slots[i] = Get64(m.Stack, off+8*i)
		}
		im.Fn(slots)
		for i := range slots {
			Put64(m.Stack, off+8*i, slots[i])
		}
		ec = m.Resume()
	}
	out := make([]uint64, 16)
	for i := range out {
		out[i] = Get64(m.Buf, 8*i)
	}
	return ec, out
}

// preemptWords looks like a g whose stackguard0 asks for preemption.
var preemptWords = [abi.GStackguard0/8 + 1]uint64{abi.GStackguard0 / 8: abi.StackPreempt}

// Resume resumes after a yield or a serviced exit.
func (m *Machine) Resume() uint64 {
	return uint64(native.Call4(m.Exec.Addr(m.RTOff[lower.RuntimeResume]), Addr(m.Ectx), 0, 0, 0))
}

// TrapCode returns ectx.ExitArg, the trap code after ExitTrap.
func (m *Machine) TrapCode() uint64 { return Get64(m.Ectx, abi.EctxExitArg) }

// Outcome is a result or a trap.
type Outcome struct {
	val  uint64
	trap uint64 // 0 = none
}

func (o Outcome) String() string {
	if o.trap != 0 {
		return "trap " + abi.TrapMessages[o.trap]
	}
	return fmt.Sprintf("%#x", o.val)
}

// Val is the outcome "returns v".
func Val(v uint64) Outcome { return Outcome{val: v} }

// Trap is the outcome "traps with code c".
func Trap(c uint64) Outcome { return Outcome{trap: c} }

// Check runs function fn on args and compares its first result (or its
// trap) with want.
func (m *Machine) Check(name string, fn int, want Outcome, args ...uint64) {
	m.t.Helper()
	ec, out := m.Run(fn, args...)
	var got Outcome
	switch ec {
	case abi.ExitDone:
		got = Val(out[0])
	case abi.ExitTrap:
		got = Trap(m.TrapCode())
	default:
		m.t.Errorf("%s%#x: exit code %d", name, args, ec)
		return
	}
	if got != want {
		m.t.Errorf("%s%#x = %v, want %v", name, args, got, want)
	}
}
