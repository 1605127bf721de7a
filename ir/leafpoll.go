package ir

// Leaf poll removal. The translator puts a preemption poll at the entry of
// every function and at every loop header, so that no code runs for long
// without one (DESIGN §3). A function that makes no call and has no loop
// runs a bounded number of instructions, at most its own size: its caller
// polls before calling it again (in a loop header, or at its own entry), so
// its entry poll only costs time — two loads and a compare on every call,
// which in a handler-per-instruction interpreter is a third of the work.
//
//	b0:                             b0:
//	  v1 = param [0] : i32            v1 = param [0] : i32
//	  v2 = poll               →       v3 = const 1 : i32
//	  v3 = const 1 : i32              v4 = iadd v1 v3 : i32
//	  v4 = iadd v1 v3 : i32           return v4
//	  return v4
//
// "No call" counts every op that can run wasm code — calls of every kind,
// stack switches (a resume may start a fresh continuation of any
// function), throws — and the tail-call and invoke block kinds. The exits
// to the runtime that run no wasm code do not count: libcalls (memory and
// table services, cont.new's pool refill; a throw libcall unwinds to an
// existing activation, like a return), and the lazy funcref creation of
// ref.func and table.get (OpRefFunc, OpTableGetFunc). "No loop" means no
// edge whose target dominates its source.
//
// A function that makes no call but loops keeps the polls of its loop
// headers (the targets of those edges) and loses the others, its entry
// poll: every cycle of its (reducible) control flow goes through a header,
// so between its entry and the first header, or between two headers, it
// runs straight-line code, bounded by its size, as a loop-free leaf does.
// memcmp, memcpy, strlen and the like, called over and over, then pay
// their loops' polls only.

// Leafpoll removes the polls of functions that make no call, but those of
// their loop headers.
func Leafpoll(f *Func) error {
	d := Dominators(f)
	var header []bool // by block ID: the target of a back edge
	for _, b := range f.Blocks {
		switch b.Kind {
		case BlockTailCall, BlockTailCallImport, BlockTailCallRef, BlockInvoke:
			return nil
		}
		for _, s := range b.Succs {
			if d.Dominates(s, b) {
				if header == nil {
					header = make([]bool, f.NumBlocks())
				}
				header[s.ID] = true
			}
		}
		for _, v := range b.Values {
			if runsWasm(v.Op) {
				return nil
			}
		}
	}
	for _, b := range f.Blocks {
		if header != nil && header[b.ID] {
			continue
		}
		kept := b.Values[:0]
		for _, v := range b.Values {
			if v.Op == OpPoll {
				v.Block = nil
				continue
			}
			kept = append(kept, v)
		}
		for i := len(kept); i < len(b.Values); i++ {
			b.Values[i] = nil
		}
		b.Values = kept
	}
	return nil
}

// runsWasm reports whether op, an op with Effect Call, may run wasm code
// before it returns (a new activation): not the runtime's exits.
func runsWasm(op Op) bool {
	switch op {
	case OpLibcall, OpRefFunc, OpTableGetFunc:
		return false
	}
	return Ops[op].Effect == Call
}
