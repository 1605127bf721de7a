package e2e

import (
	"os/exec"
	"testing"

	"wfxc/compile"
	"wfxc/frontend/wat"
)

const cFibreMain = `#include <stdio.h>
#define WFX_HANDLE_API // the handle API (global imports, exports by name)
#include <string.h>
#include "deep.h"

int main(void) {
	int rc = wfx_rt_set_fibre_stack_size(1000);
	printf("bad %d %d\n", rc, strstr(wfx_rt_error(), "want a multiple of") != NULL);
	uint64_t inst = deep_instantiate();
	int64_t n = 0;
	rc = deep_deep(inst, 100000, &n);
	printf("default %d %s\n", rc, wfx_rt_error());
	wfx_rt_free(inst);
	rc = wfx_rt_set_fibre_stack_size(16 << 20);
	inst = deep_instantiate();
	printf("set %d\n", rc);
	rc = deep_deep(inst, 100000, &n);
	printf("large %d %lld\n", rc, (long long)n);
	wfx_rt_free(inst);
	wfx_rt_set_fibre_stack_size(65536);
	inst = deep_instantiate();
	rc = deep_deep(inst, 10000, &n);
	printf("small %d %s\n", rc, wfx_rt_error());
	wfx_rt_free(inst);
	return 0;
}
`

// TestE2E_cHostFibreStackSize: wfx_rt_set_fibre_stack_size sets the stack
// of the continuations of new instances (a recursion 100,000 deep fails at
// the default 1 MiB and passes at 16 MiB, 10,000 deep fails at 64 KiB),
// and refuses a size rt does not take with a message.
func TestE2E_cHostFibreStackSize(t *testing.T) {
	if _, err := exec.LookPath(cCompiler()); err != nil {
		t.Fatalf("%s is needed for the C host test", cCompiler())
	}
	wasm, err := wat.ParseModule([]byte(deepContWat))
	if err != nil {
		t.Fatal(err)
	}
	res, err := compile.Compile(wasm, compile.Options{Name: "deep"})
	if err != nil {
		t.Fatal(err)
	}
	out := string(runCProgram(t, res, "deep", cFibreMain))
	want := "bad 2 1\ndefault 1 call stack exhausted\nset 0\nlarge 0 100000\nsmall 1 call stack exhausted\n"
	if out != want {
		t.Fatalf("output:\n%s\nwant:\n%s", out, want)
	}
}
