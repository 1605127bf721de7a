package refexec_test

import (
	"errors"
	"fmt"

	"wfxc/frontend"
	"wfxc/frontend/wat"
	"wfxc/testsuite/refexec"
)

// A differential harness instantiates a module with host imports, calls
// its exports and reads the outcome and the exported state.
func Example() {
	wasm, _ := wat.ParseModule([]byte(`(module
		(import "env" "h" (func $h (param i32) (result i32)))
		(memory (export "mem") 1)
		(global (export "calls") (mut i32) (i32.const 0))
		(tag $t (param i32))
		(func (export "run") (param i32) (result i32)
			(global.set 0 (i32.add (global.get 0) (i32.const 1)))
			(i32.store8 (i32.const 0) (local.get 0))
			(if (i32.eqz (local.get 0)) (then (throw $t (i32.const 7))))
			(call $h (local.get 0))))`))
	mod, err := refexec.Compile(wasm)
	if err != nil {
		panic(err)
	}
	s := refexec.NewStore(refexec.Config{})
	h, _ := s.NewHostFunc([]frontend.ValType{frontend.I32}, []frontend.ValType{frontend.I32},
		func(args []refexec.Value) ([]refexec.Value, error) {
			return []refexec.Value{refexec.I32(100 / int32(args[0].Bits))}, nil
		})
	in, err := s.Instantiate(mod, refexec.Imports{"env": {"h": h}})
	if err != nil {
		panic(err)
	}
	for _, arg := range []int32{4, 0} {
		res, err := s.Call(in.ExportedFunc("run"), refexec.I32(arg))
		var exn *refexec.Exception
		switch {
		case errors.As(err, &exn):
			fmt.Println("uncaught exception, payload", exn.Payload[0].Bits)
		case err != nil:
			fmt.Println(err)
		default:
			fmt.Println("result", res[0].Bits)
		}
	}
	fmt.Println("calls", in.ExportedGlobal("calls").Get().Bits, "mem[0]", in.ExportedMemory("mem").Bytes()[0])
	// Output:
	// result 25
	// uncaught exception, payload 7
	// calls 2 mem[0] 0
}
