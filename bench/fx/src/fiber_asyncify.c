/* The Asyncify implementation of fiber.h, for `wasm-opt --asyncify`.
 * fiber_yield unwinds the fibre's wasm stack into the fibre's Asyncify
 * buffer (asyncify.start_unwind); the unwinding stops in fiber_resume,
 * which called the fibre's entry function. Resuming calls the entry again
 * in rewinding state, which rebuilds the stack down to fiber_yield.
 * fiber_resume calls stop_unwind and start_rewind, so Asyncify leaves it
 * uninstrumented ("bottom-most"): nested fibres (a fibre resuming
 * another) work, each unwinding only down to its own resumer. */
#include "fiber.h"

#define ASYNCIFY(name) __attribute__((import_module("asyncify"), import_name(#name)))

ASYNCIFY(start_unwind) void asyncify_start_unwind(void *buf);
ASYNCIFY(stop_unwind) void asyncify_stop_unwind(void);
ASYNCIFY(start_rewind) void asyncify_start_rewind(void *buf);
ASYNCIFY(stop_rewind) void asyncify_stop_rewind(void);

/* The size of a fibre's Asyncify buffer: the saved locals and call
 * indices of its frames (Asyncify traps if it overflows). */
#define BUF_SIZE 1024

/* The buffer's header, as Asyncify reads it: the next free byte, the end. */
struct abuf {
	uint8_t *top;
	uint8_t *end;
};

struct fibre {
	struct abuf *buf; /* BUF_SIZE bytes, kept with the handle for reuse */
	fiber_fn fn;
	int64_t arg;
	int64_t val;   /* the value passed by the last yield or resume */
	int32_t state; /* FRESH, RUNNING, SUSPENDED or DONE */
	int32_t next_free;
};

enum { FRESH, RUNNING, SUSPENDED, DONE };

static struct fibre fibres[FIBER_MAX];
static int32_t free_head = -1;
static int32_t used;
static int32_t current = -1; /* the running fibre, -1 outside any */

extern uint8_t __heap_base;
static uint8_t *brk = &__heap_base;

/* sbrk: n bytes (a multiple of 16) of fresh memory, growing the memory. */
static void *sbrk(uint32_t n) {
	uint8_t *p = brk;
	brk += n;
	uint32_t need = (uint32_t)(uintptr_t)brk;
	uint32_t have = (uint32_t)__builtin_wasm_memory_size(0) << 16;
	if (need > have && __builtin_wasm_memory_grow(0, (need - have + 0xffff) >> 16) < 0)
		__builtin_trap();
	return p;
}

fiber_t fiber_new(fiber_fn fn, int64_t arg) {
	fiber_t f = free_head;
	if (f >= 0)
		free_head = fibres[f].next_free;
	else if (used < FIBER_MAX) {
		f = used++;
		struct abuf *b = sbrk(BUF_SIZE);
		b->top = (uint8_t *)(b + 1);
		b->end = (uint8_t *)b + BUF_SIZE;
		fibres[f].buf = b;
	} else
		__builtin_trap();
	struct fibre *F = &fibres[f];
	F->fn = fn;
	F->arg = arg;
	F->state = FRESH;
	F->buf->top = (uint8_t *)(F->buf + 1); /* a fibre freed while suspended */
	return f;
}

__attribute__((noinline)) int64_t fiber_resume(fiber_t f, int64_t v) {
	struct fibre *F = &fibres[f];
	int32_t prev = current;
	current = f;
	if (F->state == SUSPENDED) {
		/* Rewind: the buffer holds the frames unwound at the last yield,
		 * which Asyncify pops again; fiber_yield ends the rewind. */
		F->val = v;
		asyncify_start_rewind(F->buf);
	} else if (F->state == FRESH)
		F->state = RUNNING;
	else
		__builtin_trap();
	int64_t r = F->fn(F->arg);
	current = prev;
	if (F->state == SUSPENDED) {
		asyncify_stop_unwind();
		return F->val;
	}
	F->state = DONE;
	return r;
}

/* fiber_yield is called twice per suspension: once to start the unwind,
 * and again by the rewinding caller (still SUSPENDED), which ends the
 * rewind. Asyncify does not instrument it (it calls start_unwind). */
__attribute__((noinline)) int64_t fiber_yield(int64_t v) {
	struct fibre *F = &fibres[current];
	if (F->state == SUSPENDED) {
		asyncify_stop_rewind();
		F->state = RUNNING;
		return F->val;
	}
	F->val = v;
	F->state = SUSPENDED;
	asyncify_start_unwind(F->buf);
	return 0; /* ignored: the caller unwinds */
}

int fiber_done(fiber_t f) { return fibres[f].state == DONE; }

void fiber_free(fiber_t f) {
	fibres[f].next_free = free_head;
	free_head = f;
}
