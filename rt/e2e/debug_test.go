package e2e

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"wfxc/compile"
	"wfxc/frontend/wat"
)

// TestDebug_gdbAcrossFibres: gdb, unwinding with the object's .eh_frame,
// goes from a function inside a continuation resumed by a continuation
// through both fibres' root frames (fibre_root) into each resumer, in the
// order of the resume chain — also after the inner chain was suspended to
// the outer handler and resumed from there.
func TestDebug_gdbAcrossFibres(t *testing.T) {
	gdb, err := exec.LookPath("gdb")
	if err != nil {
		t.Skip("gdb is not installed (.ci/run installs it)")
	}
	if r := os.Getenv(testExecEnv); r != "" {
		t.Skipf("the programs run under %s, which gdb does not attach to", r)
	}
	bin, err := wat.ParseModule([]byte(`(module
	  (type $f (func))
	  (type $k (cont $f))
	  (tag $y)
	  (global $n (mut i32) (i32.const 0))
	  (func $leaf (global.set $n (i32.add (global.get $n) (i32.const 1))))
	  (func $mid (call $leaf) (suspend $y) (call $leaf))
	  (func $body (call $mid))
	  (func $inner (resume $k (cont.new $k (ref.func $body))))
	  (func $outer
	    (block $h (result (ref $k))
	      (resume $k (on $y $h) (cont.new $k (ref.func $inner)))
	      (return))
	    (resume $k))
	  (elem declare func $body $inner)
	  (func (export "run") (result i32) (call $outer) (global.get $n)))`))
	if err != nil {
		t.Fatal(err)
	}
	res, err := compile.Compile(bin, compile.Options{Name: "fib2"})
	if err != nil {
		t.Fatal(err)
	}
	exe := buildCProgram(t, res, "fib2", `#include <stdio.h>
#define WFX_HANDLE_API // the handle API (global imports, exports by name)
#include "fib2.h"
int main(void) {
	int32_t r = 0;
	if (fib2_run(fib2_instantiate(), &r) != WFX_OK) return 1;
	printf("run = %d\n", r);
	return 0;
}
`)
	out, err := exec.Command(gdb, "-batch", "-nx",
		"-ex", "set language c", "-ex", "set pagination off", "-ex", "handle SIGURG nostop noprint",
		"-ex", "break *'wfx_fib2.leaf'", "-ex", "run", "-ex", "bt", "-ex", "continue", "-ex", "bt",
		"-ex", "kill", exe).CombinedOutput()
	if err != nil {
		t.Fatalf("gdb: %v\n%s", err, out)
	}
	// Each stop: $leaf $mid $body, the inner fibre's entry and root,
	// $inner, the outer fibre's entry and root, $outer.
	frame := regexp.MustCompile(`(?m)^#\d+\s+(?:0x[0-9a-f]+ in )?(\S+) \(`)
	var names []string
	for _, m := range frame.FindAllStringSubmatch(string(out), -1) {
		names = append(names, strings.TrimPrefix(m[1], "wfx_fib2."))
	}
	chain := "leaf mid body cont_entry[0] fibre_root inner cont_entry[0] fibre_root outer"
	got := strings.Join(names, " ")
	if strings.Count(got, chain) != 2 {
		t.Fatalf("gdb backtraces %q, want each stop to start with %q\n%s", got, chain, out)
	}
}
