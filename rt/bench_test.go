package rt

import "testing"

func BenchmarkCall_add(b *testing.B) {
	inst := instantiate(b, NewStore(), newTestModule(b), hostTimes10())
	f := inst.Func("add")
	for b.Loop() {
		f.Call(1, 2)
	}
}

func BenchmarkCall_hostImport(b *testing.B) {
	inst := instantiate(b, NewStore(), newTestModule(b), hostTimes10())
	f := inst.Func("callimp")
	for b.Loop() {
		f.Call(1)
	}
}

func BenchmarkInstantiate(b *testing.B) {
	m := newTestModule(b)
	s := NewStore()
	host := hostTimes10()
	for b.Loop() {
		instantiate(b, s, m, host)
	}
}

func BenchmarkCallInto_add(b *testing.B) {
	inst := instantiate(b, NewStore(), newTestModule(b), hostTimes10())
	f := inst.Func("add")
	args, res := []uint64{1, 2}, make([]uint64, 1)
	for b.Loop() {
		f.CallInto(args, res)
	}
}
