package main

// The instance API of the generated headers: instances made with their
// imports (an array of C host functions, no global registry), exports
// called by their index in the descriptor, errors kept per instance.

/*
#include "capi.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"unsafe"

	"wfxc/rt"
	"wfxc/rt/abi"
)

// A record is an instance of the instance API with its per-instance state.
// Its fields other than inst and funcs belong to the thread running the
// instance.
type record struct {
	inst  *rt.Instance
	funcs []*rt.Func // by export index; nil for exports of other kinds
	nres  []int      // result slots of funcs[i]

	msg, bt, tag *C.char  // the last failure (nil: the last call succeeded)
	exn          []uint64 // the payload of the last uncaught exception

	depth  int   // calls of the instance running (a host function calls back in: 2)
	nested error // the failure of a call back into the instance from a host function still running
}

// setFailure records err as r's last failure and returns its status.
func (r *record) setFailure(err error) C.int {
	r.clear()
	status := C.int(statusError)
	msg, bt := err.Error(), ""
	var t *rt.Trap
	var e *rt.Exception
	switch {
	case errors.As(err, &t):
		status, msg, bt = statusTrap, t.Error(), t.Backtrace()
	case errors.As(err, &e):
		name := r.inst.TagName(e.Tag)
		status, msg = statusException, fmt.Sprintf("uncaught exception (tag %q)", name)
		r.tag, r.exn = C.CString(name), append(r.exn[:0], e.Payload...)
	}
	r.msg, r.bt = C.CString(msg), C.CString(bt)
	return status
}

// clear forgets r's last failure.
func (r *record) clear() {
	for _, p := range []**C.char{&r.msg, &r.bt, &r.tag} {
		C.free(unsafe.Pointer(*p))
		*p = nil
	}
	r.exn = r.exn[:0]
}

// lookup returns the record of handle h, or nil.
func lookup(h C.uint64_t) *record {
	mu.Lock()
	r := records[uint64(h)]
	mu.Unlock()
	return r
}

// wfx_rt_new_instance loads the linked module (text, desc, desc_size as
// the object's symbols give them) and instantiates it in a store of its
// own, its function imports taken from imports[0..nimports) (module and
// name as the module imports them). It returns the instance's handle, or 0
// with *error set to a malloc'd message (when error is not NULL).
//
//export wfx_rt_new_instance
func wfx_rt_new_instance(text, desc unsafe.Pointer, descSize C.uint64_t, imports *C.wfx_import, nimports C.int, errp **C.char) C.uint64_t {
	fail := func(err error) C.uint64_t {
		if errp != nil {
			*errp = C.CString(err.Error())
		}
		return 0
	}
	m, err := linkedModule(text, 0, desc, descSize)
	if err != nil {
		return fail(err)
	}
	d := m.Descriptor()
	rec := &record{}
	defs := map[[2]string]C.wfx_import{}
	for _, im := range unsafe.Slice(imports, int(nimports)) {
		defs[[2]string{C.GoString(im.module), C.GoString(im.name)}] = im
	}
	resolve := rt.Imports{}
	for _, imp := range d.Imports {
		im, ok := defs[[2]string{imp.Module, imp.Name}]
		if !ok || imp.Kind != abi.ExternFunc || im.fn == nil {
			continue
		}
		if err := crossable(d, imp); err != nil {
			return fail(err)
		}
		if resolve[imp.Module] == nil {
			resolve[imp.Module] = map[string]rt.Extern{}
		}
		resolve[imp.Module][imp.Name] = hostFunc(rec, d, imp, im)
	}
	mu.Lock()
	store := newStore()
	mu.Unlock()
	inst, err := store.Instantiate(m, resolve)
	if err != nil {
		return fail(err)
	}
	rec.inst = inst
	rec.funcs = make([]*rt.Func, len(d.Exports))
	rec.nres = make([]int, len(d.Exports))
	for i, e := range d.Exports {
		if e.Kind == abi.ExternFunc {
			rec.funcs[i] = inst.Func(e.Name)
			rec.nres[i] = slotsIn(d, rec.funcs[i].Type().Results)
		}
	}
	mu.Lock()
	h := nextInst
	nextInst++
	instances[h] = inst
	records[h] = rec
	mu.Unlock()
	return C.uint64_t(h)
}

// hostFunc is the host function of function import imp of module d
// implemented by the C function of im. A failure (nonzero status) that
// follows a failed call back into the instance is that failure.
func hostFunc(rec *record, d *abi.Descriptor, imp abi.Import, im C.wfx_import) *rt.Func {
	ft := d.Types[d.Funcs[imp.Index].Type]
	np, nr := slotsIn(d, ft.Params), slotsIn(d, ft.Results)
	fn, user := im.fn, im.user
	return rt.NewHostFunc(ft, func(args []uint64) ([]uint64, error) {
		buf := make([]uint64, max(np, nr, 1))
		copy(buf, args)
		rec.nested = nil
		rc := C.wfx_call_host(fn, user, (*C.uint64_t)(unsafe.Pointer(&buf[0])))
		nested := rec.nested
		rec.nested = nil
		if rc != 0 {
			if nested != nil {
				return nil, nested
			}
			return nil, fmt.Errorf("host function %s.%s failed with status %d", imp.Module, imp.Name, int(rc))
		}
		return buf[:nr], nil
	})
}

// wfx_rt_call_export calls the function export with index export_index (in
// the module's export section) of instance inst: nargs argument slots in
// slots, which receives its nres result slots. It returns WFX_OK (the
// instance's last failure cleared), WFX_TRAP, WFX_EXCEPTION or WFX_ERROR
// (see wfx_rt_last_error).
//
//export wfx_rt_call_export
func wfx_rt_call_export(inst C.uint64_t, index, nargs, nres C.int, slotp *C.uint64_t) C.int {
	r := lookup(inst)
	if r == nil {
		return statusError
	}
	i := int(index)
	if i < 0 || i >= len(r.funcs) || r.funcs[i] == nil {
		return r.setFailure(fmt.Errorf("export %d of %s is not a function", i, r.inst.Module().Descriptor().Name))
	}
	if r.nres[i] != int(nres) {
		return r.setFailure(fmt.Errorf("export %d returns %d slots, the caller expects %d", i, r.nres[i], int(nres)))
	}
	buf := unsafe.Slice((*uint64)(unsafe.Pointer(slotp)), max(int(nargs), int(nres), 1))
	r.depth++
	err := r.funcs[i].CallInto(buf[:nargs], buf[:nres])
	r.depth--
	if err != nil {
		if r.depth > 0 { // a host function called back in: its failure is this one
			r.nested = err
		}
		return r.setFailure(err)
	}
	if r.msg != nil {
		r.clear()
	}
	return statusOK
}

// wfx_rt_last_error returns the message of the last call of inst that
// failed, "" when its last call succeeded (valid until its next call).
//
//export wfx_rt_last_error
func wfx_rt_last_error(inst C.uint64_t) *C.char {
	if r := lookup(inst); r != nil && r.msg != nil {
		return r.msg
	}
	return empty
}

// wfx_rt_last_backtrace returns the wasm backtrace of inst's last trap.
//
//export wfx_rt_last_backtrace
func wfx_rt_last_backtrace(inst C.uint64_t) *C.char {
	if r := lookup(inst); r != nil && r.bt != nil {
		return r.bt
	}
	return empty
}

// wfx_rt_last_exception_tag returns the name of the tag of the exception
// inst's last call left uncaught (WFX_EXCEPTION), "" otherwise.
//
//export wfx_rt_last_exception_tag
func wfx_rt_last_exception_tag(inst C.uint64_t) *C.char {
	if r := lookup(inst); r != nil && r.tag != nil {
		return r.tag
	}
	return empty
}

// wfx_rt_last_exception_payload copies up to n payload slots of that
// exception into slots and returns how many it has.
//
//export wfx_rt_last_exception_payload
func wfx_rt_last_exception_payload(inst C.uint64_t, slotp *C.uint64_t, n C.int) C.int {
	r := lookup(inst)
	if r == nil {
		return 0
	}
	if n > 0 {
		copy(unsafe.Slice((*uint64)(unsafe.Pointer(slotp)), int(n)), r.exn)
	}
	return C.int(len(r.exn))
}

// wfx_rt_interrupt makes the call running in inst (or, when none runs,
// its next call) trap "interrupted" at its next poll (a loop header or
// function entry). It may be called from any thread.
//
//export wfx_rt_interrupt
func wfx_rt_interrupt(inst C.uint64_t) {
	mu.Lock()
	defer mu.Unlock() // wfx_rt_free cannot close the store meanwhile
	if in := instances[uint64(inst)]; in != nil {
		in.Store().Interrupt()
	}
}

// empty is the "" the error functions return when there is no failure.
var empty = C.CString("")

// crossable is the error of a function import whose type has values a C
// host function cannot take or return: continuation references (rt passes
// host functions one slot per value but a continuation reference takes
// two).
func crossable(d *abi.Descriptor, imp abi.Import) error {
	ft := d.Types[d.Funcs[imp.Index].Type]
	for i, t := range append(append([]abi.ValType(nil), ft.Params...), ft.Results...) {
		if t.Code() != 0x7B && t.SlotsIn(d.Types) == 2 {
			return fmt.Errorf("import %s.%s: value %d is a continuation reference, which a C host function cannot take or return", imp.Module, imp.Name, i)
		}
	}
	return nil
}

// slotsIn counts the slots of values ts of module d (a continuation
// reference takes two).
func slotsIn(d *abi.Descriptor, ts []abi.ValType) int {
	n := 0
	for _, t := range ts {
		n += t.SlotsIn(d.Types)
	}
	return n
}
