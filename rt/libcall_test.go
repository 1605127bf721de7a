package rt

import (
	"testing"

	"wfxc/rt/abi"
)

// libcallInstance instantiates the test module's code with a descriptor
// that adds a funcref table of 4 elements, a passive data segment, a
// passive element segment and a second memory.
func libcallInstance(t *testing.T) *Instance {
	t.Helper()
	o := buildTestObj(t)
	d := *o.Desc
	funcref := abi.MakeRefType(true, -0x10)
	d.Memories = append(append([]abi.Memory(nil), d.Memories...), abi.Memory{Min: 1, PageLog2: 16})
	d.Tables = []abi.Table{{Elem: funcref, Min: 4, Max: 8, HasMax: true}}
	d.Data = append(append([]abi.Data(nil), d.Data...), abi.Data{Mode: abi.SegPassive, Bytes: []byte{10, 20, 30}})
	d.Elems = []abi.Elem{{Mode: abi.SegPassive, Type: funcref, Items: [][]byte{{0xD2, 1, 0x0B}, {0xD0, 0x70, 0x0B}, {0xD2, 2, 0x0B}}}}
	d.Layout = abi.Layout(layoutCounts(&d))
	m, err := LoadModule(o.Text, &d)
	if err != nil {
		t.Fatal(err)
	}
	return instantiate(t, NewStore(), m, hostTimes10())
}

// doLibcall runs libcall n with args as if inst's code had exited.
func doLibcall(t *testing.T, inst *Instance, n uint64, args ...uint64) (uint64, error) {
	t.Helper()
	s := inst.store
	buf := make([]uint64, max(len(args), 1))
	copy(buf, args)
	s.setField(abi.EctxExitArgs, uint64(uintptrOf(buf)))
	s.setField(abi.EctxExitArg, n)
	s.setField(abi.EctxExitVMCtx, uint64(inst.vmctx))
	err := s.libcall()
	return buf[0], err
}

func TestLibcall_ops(t *testing.T) {
	inst := libcallInstance(t)
	tab := inst.tables[0]
	mem0, mem1 := inst.memories[0], inst.memories[1]
	oobM, oobT := uint64(abi.TrapMemoryOutOfBounds), uint64(abi.TrapTableOutOfBounds)
	steps := []struct {
		name  string
		call  uint64
		args  []uint64
		want  uint64
		check func() bool
	}{
		{"memoryInit", abi.LibcallMemoryInit, []uint64{0, 1, 100, 1, 2}, 0,
			func() bool { b := mem0.Bytes(); return b[100] == 20 && b[101] == 30 }},
		{"memoryInitOOBSource", abi.LibcallMemoryInit, []uint64{0, 1, 0, 2, 2}, oobM, nil},
		{"memoryInitOOBDest", abi.LibcallMemoryInit, []uint64{0, 1, 65535, 0, 2}, oobM, nil},
		{"activeSegmentIsDropped", abi.LibcallMemoryInit, []uint64{0, 0, 0, 0, 1}, oobM, nil},
		{"dataDrop", abi.LibcallDataDrop, []uint64{1}, 1, nil},
		{"memoryInitDropped", abi.LibcallMemoryInit, []uint64{0, 1, 0, 0, 1}, oobM, nil},
		{"memoryInitDroppedEmpty", abi.LibcallMemoryInit, []uint64{0, 1, 0, 0, 0}, 0, nil},
		{"memoryCopyAcross", abi.LibcallMemoryCopy, []uint64{1, 0, 7, 100, 2}, 0,
			func() bool { b := mem1.Bytes(); return b[7] == 20 && b[8] == 30 }},
		{"memoryCopyOverlap", abi.LibcallMemoryCopy, []uint64{0, 0, 101, 100, 2}, 0,
			func() bool { b := mem0.Bytes(); return b[101] == 20 && b[102] == 30 }},
		{"memoryCopyOOB", abi.LibcallMemoryCopy, []uint64{0, 0, 0, 65535, 2}, oobM, nil},
		{"memoryFill", abi.LibcallMemoryFill, []uint64{1, 65534, 0x1FF, 2}, 0,
			func() bool { b := mem1.Bytes(); return b[65534] == 0xFF && b[65535] == 0xFF && b[65533] == 0 }},
		{"memoryFillOOB", abi.LibcallMemoryFill, []uint64{1, 65535, 1, 2}, oobM, nil},
		{"tableInit", abi.LibcallTableInit, []uint64{0, 0, 1, 0, 3}, 0,
			func() bool {
				a, _ := tab.Get(1)
				b, _ := tab.Get(2)
				c, _ := tab.Get(3)
				return a == inst.funcRef(1) && b == 0 && c == inst.funcRef(2)
			}},
		{"tableElem", abi.LibcallTableElem, []uint64{uint64(inst.mod.desc.Layout.TableBase(0)), 1}, inst.funcRef(1),
			func() bool { return load64(tab.base+8) == inst.funcRef(1)|abi.TableElemInit }},
		{"tableElemLazyNull", abi.LibcallTableElem, []uint64{uint64(inst.mod.desc.Layout.TableBase(0)), 0}, 0,
			func() bool { return load64(tab.base) == abi.TableElemInit }},
		{"funcRef", abi.LibcallFuncRef, []uint64{2}, inst.funcRef(2),
			func() bool { return load64(uintptr(inst.funcRef(2))+abi.FuncRefVMCtx) == uint64(inst.vmctx) }},
		{"subtypeSame", abi.LibcallSubtype, []uint64{uint64(inst.mod.typeIDs[0]), uint64(inst.mod.typeIDs[0])}, 1, nil},
		{"subtypeOther", abi.LibcallSubtype, []uint64{uint64(inst.mod.typeIDs[0]), uint64(inst.mod.typeIDs[1])}, 0, nil},
		{"tableInitOOB", abi.LibcallTableInit, []uint64{0, 0, 2, 0, 3}, oobT, nil},
		{"tableCopy", abi.LibcallTableCopy, []uint64{0, 0, 0, 1, 1}, 0,
			func() bool { a, _ := tab.Get(0); return a == inst.funcRef(1) }},
		{"tableCopyOOB", abi.LibcallTableCopy, []uint64{0, 0, 3, 0, 2}, oobT, nil},
		{"tableFill", abi.LibcallTableFill, []uint64{0, 2, 80, 2}, 0,
			func() bool { a, _ := tab.Get(2); b, _ := tab.Get(3); return a == 80 && b == 80 }},
		{"tableFillOOB", abi.LibcallTableFill, []uint64{0, 3, 80, 2}, oobT, nil},
		{"tableGrow", abi.LibcallTableGrow, []uint64{0, 2, 8}, 4,
			func() bool {
				a, _ := tab.Get(5)
				return tab.Len() == 6 && a == 8 && load64(inst.vmctx+uintptr(inst.mod.desc.Layout.TableLen(0))) == 6
			}},
		{"tableGrowPastMax", abi.LibcallTableGrow, []uint64{0, 3, 0}, ^uint64(0), nil},
		{"elemDrop", abi.LibcallElemDrop, []uint64{0}, 0, nil},
		{"tableInitDropped", abi.LibcallTableInit, []uint64{0, 0, 0, 0, 1}, oobT, nil},
		{"memoryGrowSecond", abi.LibcallMemoryGrow, []uint64{1, 1}, 1,
			func() bool { return mem1.Pages() == 2 && mem1.Bytes()[65535] == 0xFF }},
	}
	for _, st := range steps {
		got, err := doLibcall(t, inst, st.call, st.args...)
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if got != st.want {
			t.Fatalf("%s: result %#x, want %#x", st.name, got, st.want)
		}
		if st.check != nil && !st.check() {
			t.Fatalf("%s: state check failed", st.name)
		}
	}
}

func TestLibcall_badArgs(t *testing.T) {
	inst := libcallInstance(t)
	tests := []struct {
		name string
		call uint64
		args []uint64
	}{
		{"unknown", 999, nil},
		{"memoryIndex", abi.LibcallMemoryGrow, []uint64{5, 1}},
		{"tableIndex", abi.LibcallTableFill, []uint64{3, 0, 0, 0}},
		{"dataIndex", abi.LibcallMemoryInit, []uint64{0, 9, 0, 0, 0}},
		{"elemIndex", abi.LibcallTableInit, []uint64{0, 9, 0, 0, 0}},
		{"tableElemOffset", abi.LibcallTableElem, []uint64{3, 0}},
		{"tableElemIndex", abi.LibcallTableElem, []uint64{uint64(inst.mod.desc.Layout.TableBase(0)), 99}},
		{"funcRefIndex", abi.LibcallFuncRef, []uint64{99}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := doLibcall(t, inst, tt.call, tt.args...); err == nil {
				t.Fatal("libcall succeeded")
			}
		})
	}
}
