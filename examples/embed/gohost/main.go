// Command embedhost links examples/embed/embed.wat, compiled by wfxc into
// the Go package ./embed (`wfxc embed.wat --go-package embed`), into a
// static Go program: typed host functions (rt.HostFunc, checked against
// the module's imports when it is instantiated), a context that reaches
// the host functions, cancellation that stops an endless loop, and what a
// trivial export call costs. `make example-embed-go` builds and runs it.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"gohost/embed"

	"wfxc/rt"
)

type tagKey struct{}

func main() {
	var inst *embed.Instance
	imports := rt.Imports{"env": {
		"log": rt.HostFunc(func(ctx context.Context, tag int32, v int64) {
			fmt.Printf("  [%v] log(%d, %d)\n", ctx.Value(tagKey{}), tag, v)
		}),
		"scale": rt.HostFunc(func(x float64) float64 { return 3 * x }),
		// callback calls the export check back in; its trap fails the
		// outer call.
		"callback": rt.HostFunc(func(x int32) (int32, error) { return inst.Check(x) }),
	}}
	var err error
	inst, err = embed.New(nil, imports)
	check(err)
	defer inst.Close()

	sum, err := inst.Add(2, 3)
	check(err)
	ctx := context.WithValue(context.Background(), tagKey{}, "go")
	a, err := inst.AreaContext(ctx, 2)
	check(err)
	fmt.Printf("go: add(2, 3) = %d, area(2) = %g\n", sum, a)

	_, err = inst.Outer(0)
	var trap *rt.Trap
	if !errors.As(err, &trap) {
		fail("outer(0) did not trap:", err)
	}
	fmt.Println("go: outer(0) trapped in the nested call:", trap.Message)

	// A mistyped host function fails instantiation, naming the import.
	bad := rt.Imports{"env": {"log": imports["env"]["log"], "scale": rt.HostFunc(func(x float32) float32 { return x }), "callback": imports["env"]["callback"]}}
	_, err = embed.New(nil, bad)
	fmt.Println("go: a mistyped import:", err)

	// Cancellation stops an endless loop.
	tctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = inst.SpinContext(tctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		fail("spin was not stopped by its context:", err)
	}
	fmt.Printf("go: spin stopped after %v: %v\n", time.Since(start).Round(time.Millisecond), err)

	// The cost of a trivial export call.
	const n = 1000000
	t0 := time.Now()
	for i := range int32(n) {
		if _, err := inst.Add(i, 1); err != nil {
			fail("add:", err)
		}
	}
	fmt.Printf("go: add costs %.1f ns per call (%d calls)\n", float64(time.Since(t0).Nanoseconds())/n, n)
}

func check(err error) {
	if err != nil {
		fail(err)
	}
}

func fail(a ...any) {
	fmt.Fprintln(os.Stderr, a...)
	os.Exit(1)
}
