package rt

// Libcalls: runtime services generated code asks for with ExitLibcall
// (rt/abi LibcallMemoryGrow and abi/libcall.go). Each reads its arguments
// from the u64 slots at ExitArgs, acts on the instance whose vmctx is
// ExitVMCtx, and writes its results from slot 0. Bulk operations check
// bounds before writing anything and report a trap code as their status.

import (
	"fmt"

	"wfxc/rt/abi"
)

// inRange reports whether [off, off+n) lies within [0, size).
func inRange(off, n, size uint64) bool { return off <= size && n <= size-off }

// libcall services ExitLibcall.
func (s *Store) libcall() error {
	argp := uintptr(s.field(abi.EctxExitArgs))
	arg := func(i int) uint64 { return load64(argp + 8*uintptr(i)) }
	ret := func(v uint64) { store64(argp, v) }
	n := s.field(abi.EctxExitArg)
	vm := uintptr(s.field(abi.EctxExitVMCtx))
	inst := s.instanceAt(vm)
	if inst == nil {
		return fmt.Errorf("rt: libcall %d from unknown vmctx %#x", n, vm)
	}
	d := inst.mod.desc
	mem := func(i uint64) (*Memory, error) {
		if i >= uint64(len(inst.memories)) {
			return nil, fmt.Errorf("rt: libcall %d: memory %d out of range", n, i)
		}
		return inst.memories[i], nil
	}
	table := func(i uint64) (*Table, error) {
		if i >= uint64(len(inst.tables)) {
			return nil, fmt.Errorf("rt: libcall %d: table %d out of range", n, i)
		}
		return inst.tables[i], nil
	}
	switch n {
	case abi.LibcallMemoryGrow:
		m, err := mem(arg(0))
		if err != nil {
			return err
		}
		old, ok := m.Grow(arg(1))
		if !ok {
			old = ^uint64(0)
		}
		ret(old)
	case abi.LibcallTableGrow:
		t, err := table(arg(0))
		if err != nil {
			return err
		}
		old, ok := t.Grow(arg(1), arg(2))
		if !ok {
			old = ^uint64(0)
		}
		ret(old)
	case abi.LibcallMemoryInit:
		m, err := mem(arg(0))
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
	case abi.LibcallDataDrop:
		if seg := arg(0); seg < uint64(len(inst.droppedData)) {
			inst.droppedData[seg] = true
		}
	case abi.LibcallTableInit:
		t, err := table(arg(0))
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
	case abi.LibcallElemDrop:
		if seg := arg(0); seg < uint64(len(inst.droppedElem)) {
			inst.droppedElem[seg] = true
		}
	case abi.LibcallTableCopy:
		td, err := table(arg(0))
		if err != nil {
			return err
		}
		ts, err := table(arg(1))
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
	case abi.LibcallTableFill:
		t, err := table(arg(0))
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
	case abi.LibcallMemoryCopy:
		md, err := mem(arg(0))
		if err != nil {
			return err
		}
		ms, err := mem(arg(1))
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
	case abi.LibcallMemoryFill:
		m, err := mem(arg(0))
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
	case abi.LibcallContNew:
		c, err := s.mem.fibres.contNew(arg(0), arg(1))
		if err != nil {
			return err
		}
		ret(uint64(c))
	case abi.LibcallContFree:
		return s.mem.fibres.contFree(uintptr(arg(0)))
	case abi.LibcallThrow:
		ti, p, n := arg(0), uintptr(arg(1)), arg(2)
		if ti >= uint64(len(inst.tags)) || n > 1<<16 {
			return fmt.Errorf("rt: throw of tag %d with %d slots", ti, n)
		}
		payload := make([]uint64, n)
		for i := range payload {
			payload[i] = load64(p + 8*uintptr(i))
		}
		return s.throw(&Exception{Tag: inst.tagObj(int(ti)), Payload: payload})
	case abi.LibcallThrowRef:
		e, err := s.exnAt(arg(0))
		if err != nil {
			return err
		}
		return s.throw(e)
	case abi.LibcallSubtype:
		if subTypeID(uint32(arg(0)), uint32(arg(1))) {
			ret(1)
		} else {
			ret(0)
		}
	case abi.LibcallTableElem:
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
	case abi.LibcallFuncRef:
		fi := arg(0)
		if fi >= uint64(len(d.Funcs)) {
			return fmt.Errorf("rt: funcref libcall: function %d out of range", fi)
		}
		ret(inst.funcRef(int(fi)))
	default:
		return fmt.Errorf("rt: unknown libcall %d", n)
	}
	return nil
}
