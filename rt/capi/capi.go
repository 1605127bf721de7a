// Command capi is rt's C API, built as a C archive:
//
//	go build -buildmode=c-archive -o librt.a wfxc/rt/capi
//
// A C program links its wfxc object(s) and librt.a and uses the typed
// inline wrappers of the header hostgen.CHeader writes: an instance type
// <m>_instance, an import struct <m>_imports of typed C functions, and one
// typed function per export that calls it by its index (no name lookup).
// They call the instance API:
//
//	uint64_t wfx_rt_new_instance(void *text, void *desc, uint64_t desc_size, const wfx_import *imports, int nimports, char **error);
//	int      wfx_rt_call_export(uint64_t inst, int export_index, int nargs, int nres, uint64_t *slots);
//	char    *wfx_rt_last_error(uint64_t inst);
//	char    *wfx_rt_last_backtrace(uint64_t inst);
//	char    *wfx_rt_last_exception_tag(uint64_t inst);
//	int      wfx_rt_last_exception_payload(uint64_t inst, uint64_t *slots, int n);
//	void     wfx_rt_interrupt(uint64_t inst);
//
// Errors are per instance: the last call of an instance that failed
// leaves its message, backtrace and (WFX_EXCEPTION) exception there, and
// the next call that succeeds clears them; an instantiation failure is
// reported through error (a malloc'd string the caller frees). Each
// instance, with its store, is for one thread at a time; different
// instances may run on different threads, and wfx_rt_interrupt may be
// called from any thread. A C host function that fails after a call back
// into its instance failed makes the outer call fail with that failure
// (a trap's message and backtrace, or the exception).
//
// The handle API of earlier headers (global host functions and errors,
// exports called by name) stays:
//
//	uint64_t wfx_rt_instantiate(void *text, uint64_t text_size, void *desc, uint64_t desc_size);
//	int      wfx_rt_call(uint64_t inst, char *name, uint64_t *slots, int nargs, int nres);
//	void     wfx_rt_define_func(char *module, char *name, wfx_host_fn fn, void *user);
//	uint8_t *wfx_rt_memory(uint64_t inst, char *name, uint64_t *len);
//	char    *wfx_rt_error(void);
//	char    *wfx_rt_backtrace(void);
//	char    *wfx_rt_exception_tag(void);
//	int      wfx_rt_exception_payload(uint64_t *slots, int n);
//	void     wfx_rt_free(uint64_t inst);
//	void     wfx_rt_set_limits(uint64_t max_memory, uint64_t max_table_elements);
//	void     wfx_rt_set_store_limits(uint64_t max_fibre_stacks, uint64_t max_committed);
//	int      wfx_rt_set_fibre_stack_size(uint64_t bytes);
//	int      wfx_rt_set_fuel(uint64_t inst, uint64_t fuel);
//	uint64_t wfx_rt_fuel(uint64_t inst);
//	int      wfx_rt_set_timeout(uint64_t inst, uint64_t ms);
//
// Instances are handles (nonzero uint64). Each instance gets a store of its
// own. Calls return WFX_OK (0), WFX_TRAP (1, the trap message and
// backtrace are then available), WFX_ERROR (2) or WFX_EXCEPTION (3: a wasm
// exception nothing caught; its tag's name and its payload are then
// available). Host functions are C
// functions int fn(void *user, uint64_t *slots): parameters in slots,
// results written from slot 0, nonzero return = failure.
package main

/*
#include "capi.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"maps"
	"sync"
	"time"
	"unsafe"

	"wfxc/rt"
	"wfxc/rt/abi"
)

// Status codes of wfx_rt_call and friends.
const (
	statusOK        = 0
	statusTrap      = 1
	statusError     = 2
	statusException = 3
)

type hostDef struct {
	fn   C.wfx_host_fn
	user unsafe.Pointer
}

// mu guards the tables below: C threads may call in at the same time.
var mu sync.Mutex

var (
	instances = map[uint64]*rt.Instance{}
	records   = map[uint64]*record{}     // of instances made by wfx_rt_new_instance
	modules   = map[uintptr]*rt.Module{} // by text address
	nextInst  = uint64(1)
	hostDefs  = map[[2]string]hostDef{}
	lastErr   *C.char
	lastBT    *C.char
	lastTag   *C.char   // the tag's name of the last uncaught exception
	lastExn   []uint64  // its payload
	limits    rt.Limits // for the stores of instances created from now on
	fibreSize int       // their fibre stack size (0: rt's default)
)

func setError(msg, bt string) {
	errMu.Lock()
	defer errMu.Unlock()
	C.free(unsafe.Pointer(lastErr))
	C.free(unsafe.Pointer(lastBT))
	lastErr, lastBT = C.CString(msg), C.CString(bt)
}

// errMu guards the global error of the handle API.
var errMu sync.Mutex

// clearError empties the global error after a call that succeeded (a
// message of an earlier failure is not left behind).
func clearError() {
	errMu.Lock()
	stale := lastErr != nil && *lastErr != 0
	errMu.Unlock()
	if stale {
		setError("", "")
	}
}

// fail records err, which a call of instance in (nil: none yet) returned,
// and returns its status.
func fail(in *rt.Instance, err error) C.int {
	var t *rt.Trap
	var e *rt.Exception
	switch {
	case errors.As(err, &t):
		setError(t.Error(), t.Backtrace())
		return statusTrap
	case errors.As(err, &e):
		name := ""
		if in != nil {
			name = in.TagName(e.Tag)
		}
		errMu.Lock()
		C.free(unsafe.Pointer(lastTag))
		lastTag, lastExn = C.CString(name), append(lastExn[:0], e.Payload...)
		errMu.Unlock()
		setError(fmt.Sprintf("uncaught exception (tag %q)", name), "")
		return statusException
	}
	setError(err.Error(), "")
	return statusError
}

// wfx_rt_define_func registers a C host function for imports module.name.
//
//export wfx_rt_define_func
func wfx_rt_define_func(module, name *C.char, fn C.wfx_host_fn, user unsafe.Pointer) {
	mu.Lock()
	defer mu.Unlock()
	hostDefs[[2]string{C.GoString(module), C.GoString(name)}] = hostDef{fn, user}
}

// wfx_rt_instantiate loads the linked module (text_size 0: derived from
// the descriptor) and instantiates it; 0 means failure (see wfx_rt_error).
//
//export wfx_rt_instantiate
func wfx_rt_instantiate(text unsafe.Pointer, textSize C.uint64_t, desc unsafe.Pointer, descSize C.uint64_t) C.uint64_t {
	mu.Lock()
	defer mu.Unlock()
	m, err := linkedModule(text, textSize, desc, descSize)
	if err != nil {
		fail(nil, err)
		return 0
	}
	d := m.Descriptor()
	types := map[[2]string]abi.FuncType{}
	for _, imp := range d.Imports {
		if imp.Kind == abi.ExternFunc {
			types[[2]string{imp.Module, imp.Name}] = d.Types[d.Funcs[imp.Index].Type]
		}
	}
	defs := maps.Clone(hostDefs) // read while mu is released
	resolve := rt.ResolverFunc(func(module, name string) (rt.Extern, bool) {
		key := [2]string{module, name}
		h, ok := defs[key]
		ft, isFunc := types[key]
		if !ok || !isFunc {
			return nil, false
		}
		np, nr := slotsIn(d, ft.Params), slotsIn(d, ft.Results)
		return rt.NewHostFunc(ft, func(args []uint64) ([]uint64, error) {
			buf := (*[1 << 20]C.uint64_t)(C.calloc(C.size_t(max(np, nr, 1)), 8))[:max(np, nr, 1):max(np, nr, 1)]
			defer C.free(unsafe.Pointer(&buf[0]))
			for i, a := range args {
				buf[i] = C.uint64_t(a)
			}
			if rc := C.wfx_call_host(h.fn, h.user, &buf[0]); rc != 0 {
				return nil, fmt.Errorf("host function %s.%s failed with status %d", module, name, int(rc))
			}
			res := make([]uint64, nr)
			for i := range res {
				res[i] = uint64(buf[i])
			}
			return res, nil
		}), true
	})
	store := newStore()
	mu.Unlock() // the start function may call host functions, which may call in
	inst, err := store.Instantiate(m, resolve)
	mu.Lock()
	if err != nil {
		fail(nil, err)
		return 0
	}
	h := nextInst
	nextInst++
	instances[h] = inst
	return C.uint64_t(h)
}

// linkedModule returns the module linked at text (loaded once).
func linkedModule(text unsafe.Pointer, textSize C.uint64_t, desc unsafe.Pointer, descSize C.uint64_t) (*rt.Module, error) {
	modMu.Lock()
	defer modMu.Unlock()
	if m := modules[uintptr(text)]; m != nil {
		return m, nil
	}
	m, err := rt.LinkedModuleAt(uintptr(text), uintptr(textSize), uintptr(desc), uint64(descSize))
	if err != nil {
		return nil, err
	}
	modules[uintptr(text)] = m
	return m, nil
}

// modMu guards modules (apart from mu: wfx_rt_instantiate holds mu).
var modMu sync.Mutex

// wfx_rt_call calls export name of instance inst with nargs argument slots
// and stores nres result slots into slots (which must hold both).
//
//export wfx_rt_call
func wfx_rt_call(inst C.uint64_t, name *C.char, slotp *C.uint64_t, nargs, nres C.int) C.int {
	mu.Lock()
	in := instances[uint64(inst)]
	mu.Unlock()
	if in == nil {
		setError(fmt.Sprintf("no instance %d", uint64(inst)), "")
		return statusError
	}
	n := C.GoString(name)
	f := in.Func(n)
	if f == nil {
		setError(fmt.Sprintf("no exported function %q", n), "")
		return statusError
	}
	if want := slotsIn(in.Module().Descriptor(), f.Type().Results); int(nres) != want {
		setError(fmt.Sprintf("%s returns %d slots, caller expects %d", n, want, int(nres)), "")
		return statusError
	}
	buf := unsafe.Slice(slotp, max(int(nargs), int(nres)))
	args := make([]uint64, nargs)
	for i := range args {
		args[i] = uint64(buf[i])
	}
	res, err := f.Call(args...)
	if err != nil {
		return fail(in, err)
	}
	for i, v := range res {
		buf[i] = C.uint64_t(v)
	}
	clearError()
	return statusOK
}

// wfx_rt_memory returns the base of exported memory name and its length in
// bytes (valid until the memory grows), or NULL.
//
//export wfx_rt_memory
func wfx_rt_memory(inst C.uint64_t, name *C.char, length *C.uint64_t) unsafe.Pointer {
	in := instanceOf(inst)
	if in == nil {
		return nil
	}
	m := in.Memory(C.GoString(name))
	if m == nil {
		return nil
	}
	b := m.Bytes()
	if length != nil {
		*length = C.uint64_t(len(b))
	}
	if len(b) == 0 {
		return nil
	}
	return unsafe.Pointer(&b[0])
}

// wfx_rt_free releases an instance handle and frees the instance's memory
// (its store, memories and tables) at once.
//
//export wfx_rt_free
func wfx_rt_free(inst C.uint64_t) {
	mu.Lock()
	in, rec := instances[uint64(inst)], records[uint64(inst)]
	delete(instances, uint64(inst))
	delete(records, uint64(inst))
	mu.Unlock()
	if in != nil {
		in.Store().Close() // each instance has a store of its own
	}
	if rec != nil {
		rec.clear()
	}
}

// instanceOf returns the instance of handle h, or nil.
func instanceOf(h C.uint64_t) *rt.Instance {
	mu.Lock()
	defer mu.Unlock()
	return instances[uint64(h)]
}

// wfx_rt_set_limits bounds the instances created from now on: a linear
// memory to max_memory bytes, a table to max_table_elements (0: no
// limit). memory.grow/table.grow past a limit return -1; a larger initial
// size makes wfx_rt_instantiate fail.
//
//export wfx_rt_set_limits
func wfx_rt_set_limits(maxMemory, maxTableElements C.uint64_t) {
	mu.Lock()
	defer mu.Unlock()
	limits.MemoryBytes, limits.TableElements = uint64(maxMemory), uint64(maxTableElements)
}

// wfx_rt_set_store_limits bounds the store of each instance created from
// now on: its fibre stacks (one per continuation record) to
// max_fibre_stacks and its committed memory (linear memories, tables and
// fibre stacks at their current sizes) to max_committed bytes (0: no
// limit). memory.grow/table.grow past the committed limit return -1,
// cont.new past either traps, and an instance over it makes
// wfx_rt_instantiate fail.
//
//export wfx_rt_set_store_limits
func wfx_rt_set_store_limits(maxFibreStacks, maxCommitted C.uint64_t) {
	mu.Lock()
	defer mu.Unlock()
	limits.FibreStacks, limits.CommittedBytes = int(min(uint64(maxFibreStacks), 1<<31)), uint64(maxCommitted)
}

// wfx_rt_set_fibre_stack_size sets the stack size of every continuation
// of the instances created from now on: a multiple of the page size from
// 64 KiB to 256 MiB (0: the default, 1 MiB). Recursion deeper than it
// inside a continuation traps "call stack exhausted". WFX_OK, or
// WFX_ERROR for another size (the message is then wfx_rt_error()).
//
//export wfx_rt_set_fibre_stack_size
func wfx_rt_set_fibre_stack_size(bytes C.uint64_t) C.int {
	n := uint64(bytes)
	if n != 0 {
		if err := rt.CheckFibreStackSize(int(min(n, 1<<40))); err != nil {
			setError(err.Error(), "")
			return statusError
		}
	}
	mu.Lock()
	fibreSize = int(n)
	mu.Unlock()
	clearError()
	return statusOK
}

// newStore returns a store with the limits and fibre stack size set for
// new instances; mu is held.
func newStore() *rt.Store {
	s := rt.NewStore()
	s.SetLimits(limits)
	if fibreSize != 0 {
		s.SetFibreStackSize(fibreSize) // checked by wfx_rt_set_fibre_stack_size; a new store takes it
	}
	return s
}

// wfx_rt_set_fuel gives instance inst a budget of fuel (for objects
// compiled with fuel metering): its calls trap "all fuel consumed" when it
// is used up. 0 on success.
//
//export wfx_rt_set_fuel
func wfx_rt_set_fuel(inst, fuel C.uint64_t) C.int {
	in := instanceOf(inst)
	if in == nil {
		setError(fmt.Sprintf("no instance %d", uint64(inst)), "")
		return statusError
	}
	in.Store().SetFuel(uint64(fuel))
	return statusOK
}

// wfx_rt_fuel returns the fuel instance inst has left (UINT64_MAX: no
// budget was set).
//
//export wfx_rt_fuel
func wfx_rt_fuel(inst C.uint64_t) C.uint64_t {
	in := instanceOf(inst)
	if in == nil {
		return 0
	}
	return C.uint64_t(in.Store().Fuel())
}

// wfx_rt_set_timeout makes every call into instance inst trap
// "interrupted" when it runs longer than ms milliseconds (0: no timeout).
// 0 on success.
//
//export wfx_rt_set_timeout
func wfx_rt_set_timeout(inst, ms C.uint64_t) C.int {
	in := instanceOf(inst)
	if in == nil {
		setError(fmt.Sprintf("no instance %d", uint64(inst)), "")
		return statusError
	}
	in.Store().SetTimeout(time.Duration(ms) * time.Millisecond)
	return statusOK
}

// wfx_rt_error returns the message of the last failure ("" if none).
//
//export wfx_rt_error
func wfx_rt_error() *C.char {
	if lastErr == nil {
		setError("", "")
	}
	return lastErr
}

// wfx_rt_backtrace returns the wasm backtrace of the last trap.
//
//export wfx_rt_backtrace
func wfx_rt_backtrace() *C.char {
	if lastBT == nil {
		setError("", "")
	}
	return lastBT
}

// wfx_rt_exception_tag returns the name of the tag of the last uncaught
// exception (WFX_EXCEPTION): the name the called instance exports it
// under, or "module.name" of its import; "" for a tag it does not name.
//
//export wfx_rt_exception_tag
func wfx_rt_exception_tag() *C.char {
	if lastTag == nil {
		lastTag = C.CString("")
	}
	return lastTag
}

// wfx_rt_exception_payload copies up to n payload slots of the last
// uncaught exception into slots and returns how many it has.
//
//export wfx_rt_exception_payload
func wfx_rt_exception_payload(slotp *C.uint64_t, n C.int) C.int {
	if n > 0 {
		out := unsafe.Slice(slotp, int(n))
		for i := 0; i < len(lastExn) && i < int(n); i++ {
			out[i] = C.uint64_t(lastExn[i])
		}
	}
	return C.int(len(lastExn))
}

func main() {}
