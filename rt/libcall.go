package rt

// Libcalls: runtime services generated code asks for with ExitLibcall
// (the table in rt/abi/libcall.go). Each reads its arguments
// from the u64 slots at ExitArgs, acts on the instance whose vmctx is
// ExitVMCtx, and writes its results from slot 0. Bulk operations check
// bounds before writing anything and report a trap code as their status.

import (
	"fmt"

	"wfxc/rt/abi"
)

// inRange reports whether [off, off+n) lies within [0, size).
func inRange(off, n, size uint64) bool { return off <= size && n <= size-off }

// libcallCall is one libcall being serviced: the store, the calling
// instance and the argument/result slots.
type libcallCall struct {
	s    *Store
	inst *Instance
	n    uint64  // the libcall index
	argp uintptr // the u64 slots at ExitArgs
}

func (c *libcallCall) arg(i int) uint64 { return load64(c.argp + 8*uintptr(i)) }
func (c *libcallCall) ret(v uint64)     { store64(c.argp, v) }

func (c *libcallCall) mem(i uint64) (*Memory, error) {
	if i >= uint64(len(c.inst.memories)) {
		return nil, fmt.Errorf("rt: libcall %s: memory %d out of range", abi.Libcalls[c.n].Name, i)
	}
	return c.inst.memories[i], nil
}

func (c *libcallCall) table(i uint64) (*Table, error) {
	if i >= uint64(len(c.inst.tables)) {
		return nil, fmt.Errorf("rt: libcall %s: table %d out of range", abi.Libcalls[c.n].Name, i)
	}
	return c.inst.tables[i], nil
}

// libcallHandlers services each row of abi.Libcalls (TestLibcalls_table
// checks that every row has one and every handler a row).
var libcallHandlers = [abi.NumLibcalls]func(*libcallCall) error{
	abi.LibcallMemoryGrow: lcMemoryGrow,
	abi.LibcallTableGrow:  lcTableGrow,
	abi.LibcallMemoryInit: lcMemoryInit,
	abi.LibcallDataDrop:   lcDataDrop,
	abi.LibcallTableInit:  lcTableInit,
	abi.LibcallElemDrop:   lcElemDrop,
	abi.LibcallTableCopy:  lcTableCopy,
	abi.LibcallTableFill:  lcTableFill,
	abi.LibcallMemoryCopy: lcMemoryCopy,
	abi.LibcallMemoryFill: lcMemoryFill,
	abi.LibcallContNew:    lcContNew,
	abi.LibcallContFree:   lcContFree,
	abi.LibcallThrow:      lcThrow,
	abi.LibcallThrowRef:   lcThrowRef,
	abi.LibcallSubtype:    lcSubtype,
	abi.LibcallTableElem:  lcTableElem,
	abi.LibcallFuncRef:    lcFuncRef,
}

// libcall services ExitLibcall.
func (s *Store) libcall() error {
	n := s.field(abi.EctxExitArg)
	vm := uintptr(s.field(abi.EctxExitVMCtx))
	inst := s.instanceAt(vm)
	if inst == nil {
		return fmt.Errorf("rt: libcall %d from unknown vmctx %#x", n, vm)
	}
	if n >= abi.NumLibcalls || libcallHandlers[n] == nil {
		return fmt.Errorf("rt: unknown libcall %d", n)
	}
	return libcallHandlers[n](&libcallCall{s: s, inst: inst, n: n, argp: uintptr(s.field(abi.EctxExitArgs))})
}

// lcMemoryGrow services abi.LibcallMemoryGrow.
func lcMemoryGrow(c *libcallCall) error {
	arg, ret := c.arg, c.ret
	m, err := c.mem(arg(0))
	if err != nil {
		return err
	}
	old, ok := m.Grow(arg(1))
	if !ok {
		old = ^uint64(0)
	}
	ret(old)
	return nil
}

// lcTableGrow services abi.LibcallTableGrow.
func lcTableGrow(c *libcallCall) error {
	arg, ret := c.arg, c.ret
	t, err := c.table(arg(0))
	if err != nil {
		return err
	}
	old, ok := t.Grow(arg(1), arg(2))
	if !ok {
		old = ^uint64(0)
	}
	ret(old)
	return nil
}

// lcMemoryInit services abi.LibcallMemoryInit.
func lcMemoryInit(c *libcallCall) error {
	inst, d := c.inst, c.inst.mod.desc
	arg, ret := c.arg, c.ret
	m, err := c.mem(arg(0))
	if err != nil {
		return err
	}
	seg := arg(1)
	if seg >= uint64(len(d.Data)) {
		return fmt.Errorf("rt: memory.init: data segment %d out of range", seg)
	}
	var data []byte
	if !inst.droppedData[seg] {
		data = d.Data[seg].Bytes
	}
	dst, src, cnt := arg(2), arg(3), arg(4)
	if !inRange(src, cnt, uint64(len(data))) || !inRange(dst, cnt, uint64(m.size)) {
		ret(abi.TrapMemoryOutOfBounds)
		return nil
	}
	copy(m.Bytes()[dst:dst+cnt], data[src:])
	ret(0)
	return nil
}

// lcDataDrop services abi.LibcallDataDrop.
func lcDataDrop(c *libcallCall) error {
	inst := c.inst
	arg := c.arg
	if seg := arg(0); seg < uint64(len(inst.droppedData)) {
		inst.droppedData[seg] = true
	}
	return nil
}

// lcTableInit services abi.LibcallTableInit.
func lcTableInit(c *libcallCall) error {
	inst, d := c.inst, c.inst.mod.desc
	arg, ret := c.arg, c.ret
	t, err := c.table(arg(0))
	if err != nil {
		return err
	}
	seg := arg(1)
	if seg >= uint64(len(d.Elems)) {
		return fmt.Errorf("rt: table.init: element segment %d out of range", seg)
	}
	var items [][]byte
	if !inst.droppedElem[seg] {
		items = d.Elems[seg].Items
	}
	dst, src, cnt := arg(2), arg(3), arg(4)
	if !inRange(src, cnt, uint64(len(items))) || !inRange(dst, cnt, t.len) {
		ret(abi.TrapTableOutOfBounds)
		return nil
	}
	for j := uint64(0); j < cnt; j++ {
		v, err := inst.eval(items[src+j])
		if err != nil {
			return fmt.Errorf("rt: table.init: element segment %d item %d: %w", seg, src+j, err)
		}
		t.Set(dst+j, v[0])
	}
	ret(0)
	return nil
}

// lcElemDrop services abi.LibcallElemDrop.
func lcElemDrop(c *libcallCall) error {
	inst := c.inst
	arg := c.arg
	if seg := arg(0); seg < uint64(len(inst.droppedElem)) {
		inst.droppedElem[seg] = true
	}
	return nil
}

// lcTableCopy services abi.LibcallTableCopy.
func lcTableCopy(c *libcallCall) error {
	arg, ret := c.arg, c.ret
	td, err := c.table(arg(0))
	if err != nil {
		return err
	}
	ts, err := c.table(arg(1))
	if err != nil {
		return err
	}
	dst, src, cnt := arg(2), arg(3), arg(4)
	if !inRange(src, cnt, ts.len) || !inRange(dst, cnt, td.len) {
		ret(abi.TrapTableOutOfBounds)
		return nil
	}
	// Element by element through Get/Set: the tables may store
	// their elements differently (lazy initial values, tags).
	if td == ts && dst > src {
		for j := cnt; j > 0; j-- {
			v, _ := ts.Get(src + j - 1)
			td.Set(dst+j-1, v)
		}
	} else {
		for j := uint64(0); j < cnt; j++ {
			v, _ := ts.Get(src + j)
			td.Set(dst+j, v)
		}
	}
	ret(0)
	return nil
}

// lcTableFill services abi.LibcallTableFill.
func lcTableFill(c *libcallCall) error {
	arg, ret := c.arg, c.ret
	t, err := c.table(arg(0))
	if err != nil {
		return err
	}
	dst, v, cnt := arg(1), arg(2), arg(3)
	if !inRange(dst, cnt, t.len) {
		ret(abi.TrapTableOutOfBounds)
		return nil
	}
	for j := uint64(0); j < cnt; j++ {
		t.Set(dst+j, v)
	}
	ret(0)
	return nil
}

// lcMemoryCopy services abi.LibcallMemoryCopy.
func lcMemoryCopy(c *libcallCall) error {
	arg, ret := c.arg, c.ret
	md, err := c.mem(arg(0))
	if err != nil {
		return err
	}
	ms, err := c.mem(arg(1))
	if err != nil {
		return err
	}
	dst, src, cnt := arg(2), arg(3), arg(4)
	if !inRange(src, cnt, uint64(ms.size)) || !inRange(dst, cnt, uint64(md.size)) {
		ret(abi.TrapMemoryOutOfBounds)
		return nil
	}
	if cnt > 0 {
		copy(md.Bytes()[dst:dst+cnt], ms.Bytes()[src:src+cnt])
	}
	ret(0)
	return nil
}

// lcMemoryFill services abi.LibcallMemoryFill.
func lcMemoryFill(c *libcallCall) error {
	arg, ret := c.arg, c.ret
	m, err := c.mem(arg(0))
	if err != nil {
		return err
	}
	dst, v, cnt := arg(1), byte(arg(2)), arg(3)
	if !inRange(dst, cnt, uint64(m.size)) {
		ret(abi.TrapMemoryOutOfBounds)
		return nil
	}
	b := m.Bytes()[dst : dst+cnt]
	for i := range b {
		b[i] = v
	}
	ret(0)
	return nil
}

// lcContNew services abi.LibcallContNew.
func lcContNew(c *libcallCall) error {
	s := c.s
	arg, ret := c.arg, c.ret
	k, err := s.mem.fibres.contNew(arg(0), arg(1))
	if err != nil {
		return err
	}
	ret(uint64(k))
	return nil
}

// lcContFree services abi.LibcallContFree.
func lcContFree(c *libcallCall) error {
	s := c.s
	arg := c.arg
	return s.mem.fibres.contFree(uintptr(arg(0)))
}

// lcThrow services abi.LibcallThrow.
func lcThrow(c *libcallCall) error {
	s, inst := c.s, c.inst
	arg := c.arg
	ti, p, n := arg(0), uintptr(arg(1)), arg(2)
	if ti >= uint64(len(inst.tags)) || n > 1<<16 {
		return fmt.Errorf("rt: throw of tag %d with %d slots", ti, n)
	}
	payload := make([]uint64, n)
	for i := range payload {
		payload[i] = load64(p + 8*uintptr(i))
	}
	return s.throw(&Exception{Tag: inst.tagObj(int(ti)), Payload: payload})
}

// lcThrowRef services abi.LibcallThrowRef.
func lcThrowRef(c *libcallCall) error {
	s := c.s
	arg := c.arg
	e, err := s.exnAt(arg(0))
	if err != nil {
		return err
	}
	return s.throw(e)
}

// lcSubtype services abi.LibcallSubtype.
func lcSubtype(c *libcallCall) error {
	arg, ret := c.arg, c.ret
	if subTypeID(uint32(arg(0)), uint32(arg(1))) {
		ret(1)
	} else {
		ret(0)
	}
	return nil
}

// lcTableElem services abi.LibcallTableElem.
func lcTableElem(c *libcallCall) error {
	inst, d := c.inst, c.inst.mod.desc
	arg, ret := c.arg, c.ret
	off := arg(0)
	l := d.Layout
	if off < uint64(l.Tables) || (off-uint64(l.Tables))%16 != 0 || (off-uint64(l.Tables))/16 >= uint64(len(inst.tables)) {
		return fmt.Errorf("rt: table element libcall: vmctx offset %#x is no table", off)
	}
	t := inst.tables[(off-uint64(l.Tables))/16]
	v, ok := t.Get(arg(1))
	if !ok {
		return fmt.Errorf("rt: table element libcall: index %d out of bounds", arg(1))
	}
	t.Set(arg(1), v)
	ret(v)
	return nil
}

// lcFuncRef services abi.LibcallFuncRef.
func lcFuncRef(c *libcallCall) error {
	inst, d := c.inst, c.inst.mod.desc
	arg, ret := c.arg, c.ret
	fi := arg(0)
	if fi >= uint64(len(d.Funcs)) {
		return fmt.Errorf("rt: funcref libcall: function %d out of range", fi)
	}
	ret(inst.funcRef(int(fi)))
	return nil
}
