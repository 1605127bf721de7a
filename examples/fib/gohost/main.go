// Command fibhost links examples/fib/fib.wasm, compiled by wfxc into the Go
// package ./fib (`wfxc fib.wasm --go-package fib`), into a static Go program
// and calls its exports. `make example-go` builds and runs it.
package main

import (
	"errors"
	"fmt"
	"os"

	"gohost/fib"

	"wfxc/rt"
	"wfxc/rt/abi"
)

func main() {
	// The module imports env.log_i64; the host prints what it is given.
	logI64 := rt.NewHostFunc(abi.FuncType{Params: []abi.ValType{0x7E}}, func(args []uint64) ([]uint64, error) {
		fmt.Printf("  log_i64(%d)\n", int64(args[0]))
		return nil, nil
	})
	inst, err := fib.New(nil, rt.Imports{"env": {"log_i64": logI64}})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	f, err := inst.Fib(30)
	check(err)
	fmt.Println("go: fib(30) =", f)
	n, err := inst.Fac(20)
	check(err)
	fmt.Println("go: fac(20) =", n)
	fmt.Println("go: sieve(1000) logs every hundredth prime:")
	p, err := inst.Sieve(1000)
	check(err)
	fmt.Println("go: sieve(1000) =", p)
	_, err = inst.Divide(7, 0)
	var trap *rt.Trap
	if !errors.As(err, &trap) {
		fmt.Fprintln(os.Stderr, "divide(7, 0) did not trap:", err)
		os.Exit(1)
	}
	fmt.Printf("go: divide(7, 0) trapped: %s\n%s", trap.Message, trap.Backtrace())
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
