package rt

// Libcalls: runtime services generated code asks for with ExitLibcall, one
// handler per row of the table in rt/abi/libcall.go. libcall decodes the
// row's argument slots from the u64 buffer at ExitArgs, runs the handler
// on the instance whose vmctx is ExitVMCtx, and writes the handler's
// result to slot 0 exactly when the row's result is a value (never for
// SlotNone or SlotNoReturn: a throw has already pointed ExitArgs at the
// landing pad's values). Bulk operations check bounds before writing
// anything and report a trap code as their status.

import (
	"fmt"

	"wfxc/rt/abi"
)

// inRange reports whether [off, off+n) lies within [0, size).
func inRange(off, n, size uint64) bool { return off <= size && n <= size-off }

// libcallCall is one libcall being serviced: the store, the calling
// instance and the libcall's row.
type libcallCall struct {
	s    *Store
	inst *Instance
	row  *abi.LibcallSig
}

func (c *libcallCall) mem(i uint64) (*Memory, error) {
	if i >= uint64(len(c.inst.memories)) {
		return nil, fmt.Errorf("rt: libcall %s: memory %d out of range", c.row.Name, i)
	}
	return c.inst.memories[i], nil
}

func (c *libcallCall) table(i uint64) (*Table, error) {
	if i >= uint64(len(c.inst.tables)) {
		return nil, fmt.Errorf("rt: libcall %s: table %d out of range", c.row.Name, i)
	}
	return c.inst.tables[i], nil
}

// A libcallHandler services one row of abi.Libcalls: arg holds the row's
// argument slots (len(row.Args) of them); the result is written to slot 0
// when the row's Result has a value and is ignored otherwise.
type libcallHandler func(c *libcallCall, arg []uint64) (uint64, error)

// libcallHandlers services each row of abi.Libcalls (TestLibcalls_table
// checks that every row has one and every handler a row).
var libcallHandlers = [abi.NumLibcalls]libcallHandler{
	abi.LibcallMemoryGrow:    lcMemoryGrow,
	abi.LibcallTableGrow:     lcTableGrow,
	abi.LibcallMemoryInit:    lcMemoryInit,
	abi.LibcallDataDrop:      lcDataDrop,
	abi.LibcallTableInit:     lcTableInit,
	abi.LibcallElemDrop:      lcElemDrop,
	abi.LibcallTableCopy:     lcTableCopy,
	abi.LibcallTableFill:     lcTableFill,
	abi.LibcallMemoryCopy:    lcMemoryCopy,
	abi.LibcallMemoryFill:    lcMemoryFill,
	abi.LibcallSubtype:       lcSubtype,
	abi.LibcallTableElem:     lcTableElem,
	abi.LibcallFuncRef:       lcFuncRef,
	abi.LibcallContNew:       lcContNew,
	abi.LibcallContArgs:      lcContArgs,
	abi.LibcallTableGrowCont: lcTableGrowCont,
	abi.LibcallTableFillCont: lcTableFillCont,
	abi.LibcallThrow:         lcThrow,
	abi.LibcallThrowRef:      lcThrowRef,
	abi.LibcallExnNew:        lcExnNew,
}

// libcall services ExitLibcall.
func (s *Store) libcall() error {
	n := s.field(abi.EctxExitArg)
	vm := uintptr(s.field(abi.EctxExitVMCtx))
	inst := s.instanceAt(vm)
	if inst == nil {
		return fmt.Errorf("rt: libcall %d from unknown vmctx %#x", n, vm)
	}
	row := abi.Libcall(int64(n))
	if row == nil || libcallHandlers[n] == nil {
		return fmt.Errorf("rt: unknown libcall %d", n)
	}
	argp := uintptr(s.field(abi.EctxExitArgs))
	var buf [abi.MaxLibcallArgs]uint64
	arg := buf[:len(row.Args)]
	for i := range arg {
		arg[i] = load64(argp + 8*uintptr(i))
	}
	r, err := libcallHandlers[n](&libcallCall{s: s, inst: inst, row: row}, arg)
	if err != nil {
		return err
	}
	if row.Result.HasValue() {
		store64(argp, r)
	}
	return nil
}

// lcMemoryGrow services abi.LibcallMemoryGrow: memory, delta pages → old
// size in pages or -1.
func lcMemoryGrow(c *libcallCall, arg []uint64) (uint64, error) {
	m, err := c.mem(arg[0])
	if err != nil {
		return 0, err
	}
	old, ok := m.Grow(arg[1])
	if !ok {
		return ^uint64(0), nil
	}
	return old, nil
}

// lcTableGrow services abi.LibcallTableGrow: table, delta, init value → old
// length or -1.
func lcTableGrow(c *libcallCall, arg []uint64) (uint64, error) { return tableGrow(c, arg, 0) }

// lcTableGrowCont services abi.LibcallTableGrowCont: table, delta, init
// VMContRef, its revision → old length or -1.
func lcTableGrowCont(c *libcallCall, arg []uint64) (uint64, error) { return tableGrow(c, arg, arg[3]) }

// tableGrow grows table arg[0] by arg[1] elements of value {arg[2], hi}.
func tableGrow(c *libcallCall, arg []uint64, hi uint64) (uint64, error) {
	t, err := c.table(arg[0])
	if err != nil {
		return 0, err
	}
	old, ok := t.grow(arg[1], arg[2], hi)
	if !ok {
		return ^uint64(0), nil
	}
	return old, nil
}

// lcMemoryInit services abi.LibcallMemoryInit: memory, data segment, dst,
// src, n → status.
func lcMemoryInit(c *libcallCall, arg []uint64) (uint64, error) {
	inst, d := c.inst, c.inst.mod.desc
	m, err := c.mem(arg[0])
	if err != nil {
		return 0, err
	}
	seg := arg[1]
	if seg >= uint64(len(d.Data)) {
		return 0, fmt.Errorf("rt: memory.init: data segment %d out of range", seg)
	}
	var data []byte
	if !inst.droppedData[seg] {
		data = d.Data[seg].Bytes
	}
	dst, src, cnt := arg[2], arg[3], arg[4]
	if !inRange(src, cnt, uint64(len(data))) || !inRange(dst, cnt, uint64(m.size)) {
		return abi.TrapMemoryOutOfBounds, nil
	}
	copy(m.Bytes()[dst:dst+cnt], data[src:])
	return 0, nil
}

// lcDataDrop services abi.LibcallDataDrop: data segment → nothing.
func lcDataDrop(c *libcallCall, arg []uint64) (uint64, error) {
	if seg := arg[0]; seg < uint64(len(c.inst.droppedData)) {
		c.inst.droppedData[seg] = true
	}
	return 0, nil
}

// lcTableInit services abi.LibcallTableInit: table, element segment, dst,
// src, n → status.
func lcTableInit(c *libcallCall, arg []uint64) (uint64, error) {
	inst, d := c.inst, c.inst.mod.desc
	t, err := c.table(arg[0])
	if err != nil {
		return 0, err
	}
	seg := arg[1]
	if seg >= uint64(len(d.Elems)) {
		return 0, fmt.Errorf("rt: table.init: element segment %d out of range", seg)
	}
	var items [][]byte
	if !inst.droppedElem[seg] {
		items = d.Elems[seg].Items
	}
	dst, src, cnt := arg[2], arg[3], arg[4]
	if !inRange(src, cnt, uint64(len(items))) || !inRange(dst, cnt, t.len) {
		return abi.TrapTableOutOfBounds, nil
	}
	for j := uint64(0); j < cnt; j++ {
		v, err := inst.eval(items[src+j])
		if err != nil {
			return 0, fmt.Errorf("rt: table.init: element segment %d item %d: %w", seg, src+j, err)
		}
		t.Set2(dst+j, v[0], v[1])
	}
	return 0, nil
}

// lcElemDrop services abi.LibcallElemDrop: element segment → nothing.
func lcElemDrop(c *libcallCall, arg []uint64) (uint64, error) {
	if seg := arg[0]; seg < uint64(len(c.inst.droppedElem)) {
		c.inst.droppedElem[seg] = true
	}
	return 0, nil
}

// lcTableCopy services abi.LibcallTableCopy: dst table, src table, dst,
// src, n → status.
func lcTableCopy(c *libcallCall, arg []uint64) (uint64, error) {
	td, err := c.table(arg[0])
	if err != nil {
		return 0, err
	}
	ts, err := c.table(arg[1])
	if err != nil {
		return 0, err
	}
	dst, src, cnt := arg[2], arg[3], arg[4]
	if !inRange(src, cnt, ts.len) || !inRange(dst, cnt, td.len) {
		return abi.TrapTableOutOfBounds, nil
	}
	// Element by element through Get/Set: the tables may store
	// their elements differently (lazy initial values, tags).
	if td == ts && dst > src {
		for j := cnt; j > 0; j-- {
			lo, hi, _ := ts.Get2(src + j - 1)
			td.Set2(dst+j-1, lo, hi)
		}
	} else {
		for j := uint64(0); j < cnt; j++ {
			lo, hi, _ := ts.Get2(src + j)
			td.Set2(dst+j, lo, hi)
		}
	}
	return 0, nil
}

// lcTableFill services abi.LibcallTableFill: table, dst, value, n → status.
func lcTableFill(c *libcallCall, arg []uint64) (uint64, error) { return tableFill(c, arg, 0) }

// lcTableFillCont services abi.LibcallTableFillCont: table, dst,
// VMContRef, n, its revision → status.
func lcTableFillCont(c *libcallCall, arg []uint64) (uint64, error) { return tableFill(c, arg, arg[4]) }

// tableFill fills arg[3] elements of table arg[0] from arg[1] with {arg[2], hi}.
func tableFill(c *libcallCall, arg []uint64, hi uint64) (uint64, error) {
	t, err := c.table(arg[0])
	if err != nil {
		return 0, err
	}
	dst, v, cnt := arg[1], arg[2], arg[3]
	if !inRange(dst, cnt, t.len) {
		return abi.TrapTableOutOfBounds, nil
	}
	for j := uint64(0); j < cnt; j++ {
		t.Set2(dst+j, v, hi)
	}
	return 0, nil
}

// lcMemoryCopy services abi.LibcallMemoryCopy: dst memory, src memory, dst,
// src, n → status.
func lcMemoryCopy(c *libcallCall, arg []uint64) (uint64, error) {
	md, err := c.mem(arg[0])
	if err != nil {
		return 0, err
	}
	ms, err := c.mem(arg[1])
	if err != nil {
		return 0, err
	}
	dst, src, cnt := arg[2], arg[3], arg[4]
	if !inRange(src, cnt, uint64(ms.size)) || !inRange(dst, cnt, uint64(md.size)) {
		return abi.TrapMemoryOutOfBounds, nil
	}
	if cnt > 0 {
		copy(md.Bytes()[dst:dst+cnt], ms.Bytes()[src:src+cnt])
	}
	return 0, nil
}

// lcMemoryFill services abi.LibcallMemoryFill: memory, dst, byte value, n →
// status.
func lcMemoryFill(c *libcallCall, arg []uint64) (uint64, error) {
	m, err := c.mem(arg[0])
	if err != nil {
		return 0, err
	}
	dst, v, cnt := arg[1], byte(arg[2]), arg[3]
	if !inRange(dst, cnt, uint64(m.size)) {
		return abi.TrapMemoryOutOfBounds, nil
	}
	b := m.Bytes()[dst : dst+cnt]
	for i := range b {
		b[i] = v
	}
	return 0, nil
}

// lcSubtype services abi.LibcallSubtype: type id a, type id b → 1 if a <: b.
func lcSubtype(c *libcallCall, arg []uint64) (uint64, error) {
	if subTypeID(uint32(arg[0]), uint32(arg[1])) {
		return 1, nil
	}
	return 0, nil
}

// lcTableElem services abi.LibcallTableElem: vmctx offset of a function
// table's {base,len}, index → the element's funcref, after storing it.
func lcTableElem(c *libcallCall, arg []uint64) (uint64, error) {
	inst, l := c.inst, c.inst.mod.desc.Layout
	off := arg[0]
	if off < uint64(l.Tables) || (off-uint64(l.Tables))%16 != 0 || (off-uint64(l.Tables))/16 >= uint64(len(inst.tables)) {
		return 0, fmt.Errorf("rt: table element libcall: vmctx offset %#x is no table", off)
	}
	t := inst.tables[(off-uint64(l.Tables))/16]
	v, ok := t.Get(arg[1])
	if !ok {
		return 0, fmt.Errorf("rt: table element libcall: index %d out of bounds", arg[1])
	}
	t.Set(arg[1], v)
	return v, nil
}

// lcFuncRef services abi.LibcallFuncRef: function index → address of its
// funcref record.
func lcFuncRef(c *libcallCall, arg []uint64) (uint64, error) {
	fi := arg[0]
	if fi >= uint64(len(c.inst.mod.desc.Funcs)) {
		return 0, fmt.Errorf("rt: funcref libcall: function %d out of range", fi)
	}
	return c.inst.funcRef(int(fi)), nil
}

// lcContNew services abi.LibcallContNew: → a new VMContRef with a stack.
func lcContNew(c *libcallCall, _ []uint64) (uint64, error) {
	k, err := c.s.mem.fibres.contNew()
	if err != nil {
		return 0, err
	}
	return uint64(k), nil
}

// lcContArgs services abi.LibcallContArgs: VMContRef, slots → nothing.
func lcContArgs(c *libcallCall, arg []uint64) (uint64, error) {
	return 0, c.s.mem.fibres.contArgs(uintptr(arg[0]), arg[1])
}

// lcThrow services abi.LibcallThrow: tag, payload address, payload slots →
// does not return (a handler receives the exception, or the call fails).
func lcThrow(c *libcallCall, arg []uint64) (uint64, error) {
	ti, p, n := arg[0], uintptr(arg[1]), arg[2]
	if ti >= uint64(len(c.inst.tags)) || n > 1<<16 {
		return 0, fmt.Errorf("rt: throw of tag %d with %d slots", ti, n)
	}
	e := c.s.newThrown(c.inst.tagObj(int(ti)), int(n))
	for i := range e.Payload {
		e.Payload[i] = load64(p + 8*uintptr(i))
	}
	return 0, c.s.throw(e)
}

// lcExnNew services abi.LibcallExnNew: tag, payload address, payload slots
// → the exnref of a new exception (resume_throw throws it at the
// continuation's suspension point).
func lcExnNew(c *libcallCall, arg []uint64) (uint64, error) {
	ti, p, n := arg[0], uintptr(arg[1]), arg[2]
	if ti >= uint64(len(c.inst.tags)) || n > 1<<16 {
		return 0, fmt.Errorf("rt: exception of tag %d with %d slots", ti, n)
	}
	payload := make([]uint64, n)
	for i := range payload {
		payload[i] = load64(p + 8*uintptr(i))
	}
	return c.s.exnref(&Exception{Tag: c.inst.tagObj(int(ti)), Payload: payload}, uintptr(c.s.field(abi.EctxNativeSP))), nil
}

// lcThrowRef services abi.LibcallThrowRef: exnref → does not return.
func lcThrowRef(c *libcallCall, arg []uint64) (uint64, error) {
	e, err := c.s.exnAt(arg[0])
	if err != nil {
		return 0, err
	}
	return 0, c.s.throw(e)
}
