package e2e

import (
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"wfxc/compile"
	"wfxc/frontend/wat"
)

const cChurnMain = `#include <stdio.h>
#include <string.h>
#define WFX_HANDLE_API // the handle API (global imports, exports by name)
#include "churn.h"

static long rss_kb(void) {
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = -1;
	while (f && fgets(line, sizeof line, f))
		if (strncmp(line, "VmRSS:", 6) == 0)
			sscanf(line + 6, "%ld", &kb);
	if (f)
		fclose(f);
	return kb;
}

int main(void) {
	long base = rss_kb(), peak = base;
	for (int i = 0; i < 1000; i++) {
		uint64_t inst = churn_instantiate();
		if (!inst) {
			printf("instantiate: %s\n", wfx_rt_error());
			return 1;
		}
		if (churn_touch(inst) != WFX_OK) {
			printf("touch: %s\n", wfx_rt_error());
			return 1;
		}
		wfx_rt_free(inst);
		if (churn_touch(inst) == WFX_OK) {
			printf("call after wfx_rt_free succeeded\n");
			return 1;
		}
		long r = rss_kb();
		if (r > peak)
			peak = r;
	}
	printf("%ld %ld\n", base, peak);
	return 0;
}
`

// TestE2E_cHostFree: a C host that instantiates, touches 4 MiB and frees
// in a loop keeps its RSS bounded (wfx_rt_free frees at once), and a call
// through a freed handle fails.
func TestE2E_cHostFree(t *testing.T) {
	if _, err := exec.LookPath(cCompiler()); err != nil {
		t.Fatalf("%s is needed for the C host test", cCompiler())
	}
	wasm, err := wat.ParseModule([]byte(`(module (memory (export "memory") 64)
	  (func (export "touch") (local $p i32)
	    (loop $l
	      (i32.store (local.get $p) (i32.const 1))
	      (local.set $p (i32.add (local.get $p) (i32.const 4096)))
	      (br_if $l (i32.lt_u (local.get $p) (i32.const 0x400000))))))`))
	if err != nil {
		t.Fatal(err)
	}
	res, err := compile.Compile(wasm, compile.Options{Name: "churn"})
	if err != nil {
		t.Fatal(err)
	}
	out := strings.Fields(string(runCProgram(t, res, "churn", cChurnMain)))
	if len(out) != 2 {
		t.Fatalf("output %q, want two numbers", out)
	}
	base, _ := strconv.ParseInt(out[0], 10, 64)
	peak, _ := strconv.ParseInt(out[1], 10, 64)
	t.Logf("RSS %d MiB before, peak %d MiB over 1000 instances", base>>10, peak>>10)
	if peak-base > 256<<10 {
		t.Fatalf("RSS grew by %d MiB over 1000 instances of 4 MiB", (peak-base)>>10)
	}
}

const cLimitsMain = `#include <stdio.h>
#define WFX_HANDLE_API // the handle API (global imports, exports by name)
#include <string.h>
#include "lim.h"

int main(void) {
	wfx_rt_set_limits(2 * 65536, 0);
	uint64_t inst = lim_instantiate();
	if (!inst) {
		printf("instantiate: %s\n", wfx_rt_error());
		return 1;
	}
	int32_t r = 0;
	int rc = lim_grow(inst, 1, &r);
	printf("grow1 %d %d\n", rc, r);
	rc = lim_grow(inst, 1, &r);
	printf("grow2 %d %d\n", rc, r);
	int64_t n = 0;
	printf("unlimited %d\n", wfx_rt_fuel(inst) == UINT64_MAX);
	wfx_rt_set_fuel(inst, 1000);
	rc = lim_count(inst, 10, &n);
	printf("count10 %d %lld used>0 %d\n", rc, (long long)n, wfx_rt_fuel(inst) < 1000);
	rc = lim_count(inst, 100000, &n);
	printf("count1e5 %d %s\n", rc, wfx_rt_error());
	wfx_rt_set_fuel(inst, 1ULL << 62);
	wfx_rt_set_timeout(inst, 50);
	rc = lim_spin(inst);
	printf("spin %d %s\n", rc, wfx_rt_error());
	wfx_rt_free(inst);
	wfx_rt_set_limits(65536 / 2, 0);
	printf("over %d\n", lim_instantiate() == 0);
	wfx_rt_set_limits(0, 0);
	wfx_rt_set_store_limits(0, 65536);
	inst = lim_instantiate();
	rc = lim_grow(inst, 1, &r);
	printf("committed %d %d %d\n", inst != 0, rc, r);
	wfx_rt_free(inst);
	wfx_rt_set_store_limits(0, 65536 / 2);
	inst = lim_instantiate();
	printf("committed-over %d %d\n", inst == 0, strstr(wfx_rt_error(), "committed memory limit") != NULL);
	return 0;
}
`

// TestE2E_cHostLimits: a C host bounds memory, fuel and time through the
// C API.
func TestE2E_cHostLimits(t *testing.T) {
	if _, err := exec.LookPath(cCompiler()); err != nil {
		t.Fatalf("%s is needed for the C host test", cCompiler())
	}
	wasm, err := wat.ParseModule([]byte(`(module (memory 1)
	  (func (export "spin") (loop $l (br $l)))
	  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
	  (func (export "count") (param i64) (result i64) (local $i i64)
	    (loop $l (local.set $i (i64.add (local.get $i) (i64.const 1))) (br_if $l (i64.lt_u (local.get $i) (local.get 0))))
	    (local.get $i)))`))
	if err != nil {
		t.Fatal(err)
	}
	res, err := compile.Compile(wasm, compile.Options{Name: "lim", Fuel: true})
	if err != nil {
		t.Fatal(err)
	}
	out := string(runCProgram(t, res, "lim", cLimitsMain))
	want := "grow1 0 1\ngrow2 0 -1\nunlimited 1\ncount10 0 10 used>0 1\ncount1e5 1 all fuel consumed\nspin 1 interrupted\nover 1\ncommitted 1 0 -1\ncommitted-over 1 1\n"
	if out != want {
		t.Fatalf("output:\n%s\nwant:\n%s", out, want)
	}
}
