// fibhost links examples/fib/fib.wasm, compiled by wfxc to fib.o with the
// header fib.h (`wfxc fib.wasm -o fib.o --header fib.h`), into a C program
// together with the runtime archive librt.a (rt/capi). `make example-c`
// builds and runs it.
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define WFX_HANDLE_API // the handle API: imports by wfx_rt_define_func, exports by handle (examples/embed shows the instance API)
#include "fib.h"

// log_i64 implements the import env.log_i64: slot 0 holds the argument.
static int log_i64(void *user, uint64_t *slots) {
	(void)user;
	printf("  log_i64(%" PRId64 ")\n", (int64_t)slots[0]);
	return 0;
}

int main(void) {
	wfx_rt_define_func("env", "log_i64", log_i64, NULL);
	uint64_t inst = fib_instantiate();
	if (inst == 0) {
		fprintf(stderr, "instantiate: %s\n", wfx_rt_error());
		return 1;
	}
	int64_t f, n;
	int32_t p, q;
	if (fib_fib(inst, 30, &f) != WFX_OK || fib_fac(inst, 20, &n) != WFX_OK) {
		fprintf(stderr, "call failed: %s\n", wfx_rt_error());
		return 1;
	}
	printf("c: fib(30) = %" PRId64 "\nc: fac(20) = %" PRId64 "\n", f, n);
	printf("c: sieve(1000) logs every hundredth prime:\n");
	if (fib_sieve(inst, 1000, &p) != WFX_OK) {
		fprintf(stderr, "sieve failed: %s\n", wfx_rt_error());
		return 1;
	}
	printf("c: sieve(1000) = %d\n", p);
	if (fib_divide(inst, 7, 0, &q) != WFX_TRAP) {
		fprintf(stderr, "divide(7, 0) did not trap\n");
		return 1;
	}
	printf("c: divide(7, 0) trapped: %s\n%s", wfx_rt_error(), wfx_rt_backtrace());
	wfx_rt_free(inst);
	return 0;
}
