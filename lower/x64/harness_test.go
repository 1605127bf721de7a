package x64

import (
	"encoding/binary"
	"runtime"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"

	"wfxc/ir"
	"wfxc/lower"
	"wfxc/rt/abi"
	"wfxc/rt/native"
)

// testImport is a host import: its function index is its position among
// the functions, and fn services it.
type testImport struct {
	params, results []ir.Type
	fn              func(args []uint64)
}

// machine is a linked test program with an ectx, a native stack and a
// vmctx (with one memory and room for globals and imports).
type machine struct {
	t        *testing.T
	exec     *native.Exec
	ectx     []byte
	stack    []byte
	vmctx    []byte
	mem      []byte
	buf      []byte
	funcOff  map[int]int
	wrapOff  map[int]int
	rtOff    [lower.NumRuntime]int
	imports  map[int]testImport
	compiled map[int]*lower.Compiled
	// stopOnYield makes run return ExitYield instead of resuming (a
	// yield also happens when Go asks the goroutine to stop).
	stopOnYield bool
	interrupt   bool // run with ectx.G redirected, as rt interrupts an execution
	// libcalls services ExitLibcall by index: it gets the argument slots
	// (8 of them, on the native stack) and writes results into them.
	libcalls map[int64]func(slots []uint64)
}

const (
	testMemOff     = 16  // vmctx offset of memory 0 {base, len} (as in ir/testdata)
	testGlobalsOff = 64  // globals at 64 + 16 i
	testImportsOff = 512 // imported function i {code, vmctx} at 512 + 16 i
	testMemSize    = 65536
)

func mmap(t *testing.T, n int) []byte {
	b, err := unix.Mmap(-1, 0, n, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANON)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Munmap(b) })
	return b
}

func addr(b []byte) uintptr { return uintptr(unsafe.Pointer(unsafe.SliceData(b))) }

func put64(b []byte, off int, v uint64) { binary.LittleEndian.PutUint64(b[off:], v) }
func get64(b []byte, off int) uint64    { return binary.LittleEndian.Uint64(b[off:]) }

// build compiles and links functions (by their Index; nil entries are
// skipped) and host-call stubs for imports (by function index) with the
// runtime routines.
func build(t *testing.T, funcs []*ir.Func, imports map[int]testImport) *machine {
	t.Helper()
	m := &machine{t: t, funcOff: map[int]int{}, wrapOff: map[int]int{}, imports: imports, compiled: map[int]*lower.Compiled{}}
	var code []byte
	type placed struct {
		c   *lower.Compiled
		off int
	}
	var all []placed
	place := func(c *lower.Compiled) int {
		for len(code)%16 != 0 {
			code = append(code, 0xCC)
		}
		off := len(code)
		code = append(code, c.Code...)
		all = append(all, placed{c, off})
		return off
	}
	rt := Runtime()
	for i, c := range rt {
		m.rtOff[i] = place(c)
	}
	for i, im := range imports {
		m.funcOff[i] = place(HostCallStub("import", im.params, im.results, i))
	}
	for _, f := range funcs {
		if f == nil {
			continue
		}
		c, err := CompileFunc(f)
		if err != nil {
			t.Fatalf("CompileFunc(%s): %v", f.Name, err)
		}
		m.compiled[f.Index] = c
		m.funcOff[f.Index] = place(c)
	}
	for _, f := range funcs {
		if f != nil {
			m.wrapOff[f.Index] = place(Wrapper("wrap", f.Params, f.Results, f.Index))
		}
	}
	for _, p := range all {
		for _, fx := range p.c.Fixups {
			var target int
			switch fx.Kind {
			case lower.TargetFunc:
				target = m.funcOff[fx.Index]
			case lower.TargetRuntime:
				target = m.rtOff[fx.Index]
			default:
				t.Fatalf("bad fixup %+v", fx)
			}
			at := p.off + int(fx.Off)
			binary.LittleEndian.PutUint32(code[at:], uint32(int32(target-(at+4))))
		}
	}
	e, err := native.MapExec(code)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Free() })
	m.exec = e
	m.ectx = mmap(t, 4096)
	const stackSize = 1 << 20
	pg := unix.Getpagesize()
	m.stack = mmap(t, stackSize+pg)
	if err := unix.Mprotect(m.stack[:pg], unix.PROT_NONE); err != nil {
		t.Fatal(err)
	}
	base := addr(m.stack) + uintptr(pg)
	put64(m.ectx, abi.EctxStackTop, uint64((base+stackSize)&^15))
	put64(m.ectx, abi.EctxStackLimit, uint64(base+64<<10))
	m.vmctx = mmap(t, 4096)
	m.mem = mmap(t, testMemSize)
	put64(m.vmctx, testMemOff, uint64(addr(m.mem)))
	put64(m.vmctx, testMemOff+8, testMemSize)
	for i := range imports {
		put64(m.vmctx, testImportsOff+16*i, uint64(e.Addr(m.funcOff[i])))
		put64(m.vmctx, testImportsOff+16*i+8, uint64(addr(m.vmctx)))
	}
	m.buf = mmap(t, 4096)
	return m
}

// run calls function fn with args through its wrapper, servicing host
// calls and yields, and returns the exit code and the buffer's slots.
func (m *machine) run(fn int, args ...uint64) (uint64, []uint64) {
	m.t.Helper()
	for i, a := range args {
		put64(m.buf, 8*i, a)
	}
	put64(m.ectx, abi.EctxG, uint64(native.G()))
	if m.interrupt {
		// rt's interrupt: ectx.G points at words asking for preemption.
		put64(m.ectx, abi.EctxG, uint64(uintptr(unsafe.Pointer(&preemptWords))))
	}
	ec := uint64(native.Call4(m.exec.Addr(m.rtOff[lower.RuntimeEnter]), addr(m.ectx), m.exec.Addr(m.wrapOff[fn]), addr(m.vmctx), addr(m.buf)))
	for ec == abi.ExitHostCall || ec == abi.ExitLibcall || ec == abi.ExitYield && !m.stopOnYield {
		if ec == abi.ExitYield {
			runtime.Gosched()
			ec = m.resume()
			continue
		}
		if ec == abi.ExitLibcall {
			idx := int64(get64(m.ectx, abi.EctxExitArg))
			fn := m.libcalls[idx]
			if fn == nil {
				m.t.Fatalf("libcall %d not expected", idx)
			}
			if got := get64(m.ectx, abi.EctxExitVMCtx); got != uint64(addr(m.vmctx)) {
				m.t.Fatalf("libcall ExitVMCtx = %#x, want %#x", got, addr(m.vmctx))
			}
			off := int(get64(m.ectx, abi.EctxExitArgs) - uint64(addr(m.stack)))
			slots := make([]uint64, 8)
			for i := range slots {
				slots[i] = get64(m.stack, off+8*i)
			}
			fn(slots)
			for i := range slots {
				put64(m.stack, off+8*i, slots[i])
			}
			ec = m.resume()
			continue
		}
		idx := int(get64(m.ectx, abi.EctxExitArg))
		im, ok := m.imports[idx]
		if !ok {
			m.t.Fatalf("host call to unknown import %d", idx)
		}
		if got := get64(m.ectx, abi.EctxExitVMCtx); got != uint64(addr(m.vmctx)) {
			m.t.Fatalf("ExitVMCtx = %#x, want %#x", got, addr(m.vmctx))
		}
		// The buffer is on the native stack.
		off := int(get64(m.ectx, abi.EctxExitArgs) - uint64(addr(m.stack)))
		n := max(len(im.params), len(im.results), 1)
		slots := make([]uint64, n)
		for i := range slots {
			slots[i] = get64(m.stack, off+8*i)
		}
		im.fn(slots)
		for i := range slots {
			put64(m.stack, off+8*i, slots[i])
		}
		ec = uint64(native.Call4(m.exec.Addr(m.rtOff[lower.RuntimeResume]), addr(m.ectx), 0, 0, 0))
	}
	out := make([]uint64, 16)
	for i := range out {
		out[i] = get64(m.buf, 8*i)
	}
	return ec, out
}

// preemptWords looks like a g whose stackguard0 asks for preemption.
var preemptWords = [abi.GStackguard0/8 + 1]uint64{abi.GStackguard0 / 8: abi.StackPreempt}

// resume resumes after a yield.
func (m *machine) resume() uint64 {
	return uint64(native.Call4(m.exec.Addr(m.rtOff[lower.RuntimeResume]), addr(m.ectx), 0, 0, 0))
}

// trapCode returns ectx.ExitArg.
func (m *machine) trapCode() uint64 { return get64(m.ectx, abi.EctxExitArg) }
