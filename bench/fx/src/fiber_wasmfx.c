/* The WasmFX implementation of fiber.h, C half: handle allocation. The
 * continuations themselves live in fiber_wasmfx.wat (module "fx"), in a
 * table indexed by the handle; build.sh merges the two modules. */
#include "fiber.h"

#define FX(name) __attribute__((import_module("fx"), import_name(#name)))

FX(cont_new) void fx_cont_new(int32_t slot, fiber_fn fn, int64_t arg);
FX(resume) int64_t fx_resume(int32_t slot, int64_t v);
FX(suspend) int64_t fx_suspend(int64_t v);
FX(done) int32_t fx_done(int32_t slot);
FX(drop) void fx_drop(int32_t slot);

static int32_t next_free[FIBER_MAX]; /* free list of handles, through next_free */
static int32_t free_head = -1;
static int32_t used; /* handles below this have been handed out */

fiber_t fiber_new(fiber_fn fn, int64_t arg) {
	fiber_t f = free_head;
	if (f >= 0)
		free_head = next_free[f];
	else if (used < FIBER_MAX)
		f = used++;
	else
		__builtin_trap();
	fx_cont_new(f, fn, arg);
	return f;
}

int64_t fiber_resume(fiber_t f, int64_t v) { return fx_resume(f, v); }

int64_t fiber_yield(int64_t v) { return fx_suspend(v); }

int fiber_done(fiber_t f) { return fx_done(f); }

void fiber_free(fiber_t f) {
	fx_drop(f);
	next_free[f] = free_head;
	free_head = f;
}
