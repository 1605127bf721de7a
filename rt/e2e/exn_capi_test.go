package e2e

import (
	"os/exec"
	"testing"

	"wfxc/compile"
	"wfxc/frontend/wat"
)

const cExnMain = `#include <stdio.h>
#define WFX_HANDLE_API // the handle API (global imports, exports by name)
#include "exn.h"

int main(void) {
	uint64_t inst = exn_instantiate();
	if (!inst) {
		printf("instantiate: %s\n", wfx_rt_error());
		return 1;
	}
	int32_t r = 0;
	int rc = exn_caught(inst, 5, &r);
	printf("caught %d %d\n", rc, r);
	rc = exn_uncaught(inst, 7);
	uint64_t payload[4] = {0};
	int n = wfx_rt_exception_payload(payload, 4);
	printf("uncaught %d %s tag=%s n=%d payload=%llu,%llu\n", rc, rc == WFX_EXCEPTION ? "exception" : "?",
		wfx_rt_exception_tag(), n, (unsigned long long)payload[0], (unsigned long long)payload[1]);
	printf("error %s\n", wfx_rt_error());
	rc = exn_trap(inst);
	printf("trap %d\n", rc);
	return 0;
}
`

// TestE2E_cHostException: a C host gets WFX_EXCEPTION, distinct from a
// trap, for an exception nothing catches, and reads its tag's name and
// payload through the C API.
func TestE2E_cHostException(t *testing.T) {
	if _, err := exec.LookPath(cCompiler()); err != nil {
		t.Fatalf("%s is needed for the C host test", cCompiler())
	}
	wasm, err := wat.ParseModule([]byte(`(module
	  (tag $oops (export "oops") (param i32 i64))
	  (func $thrower (param i32) (throw $oops (local.get 0) (i64.const 99)))
	  (func (export "caught") (param i32) (result i32)
	    (block $h (result i32 i64)
	      (try_table (catch $oops $h) (call $thrower (local.get 0)))
	      (unreachable))
	    (drop))
	  (func (export "uncaught") (param i32) (call $thrower (local.get 0)))
	  (func (export "trap") (unreachable)))`))
	if err != nil {
		t.Fatal(err)
	}
	res, err := compile.Compile(wasm, compile.Options{Name: "exn"})
	if err != nil {
		t.Fatal(err)
	}
	out := runCProgram(t, res, "exn", cExnMain)
	want := "caught 0 5\nuncaught 3 exception tag=oops n=2 payload=7,99\nerror uncaught exception (tag \"oops\")\ntrap 1\n"
	if string(out) != want {
		t.Fatalf("output:\n%s\nwant:\n%s", out, want)
	}
}
