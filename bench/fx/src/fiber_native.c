/* The native implementation of fiber.h: one mmap'd stack per fibre (kept
 * with its handle for reuse, a guard page below) and fx_switch from
 * switch_x86_64.S, which saves only the callee-saved registers. The
 * physical limit for the wasm variants. */
#include <stddef.h>
#include <sys/mman.h>

#include "fiber.h"

int64_t fx_switch(void **save_sp, void *load_sp, int64_t v);
void fx_start(void);

#define STACK_SIZE (256 << 10)
#define PAGE 4096

struct fibre {
	void *sp;      /* while suspended: its saved stack pointer */
	void *back;    /* while running: the resumer's saved stack pointer */
	char *stack;   /* the mapping, STACK_SIZE bytes, guard page first */
	fiber_fn fn;
	int64_t arg;
	int32_t done;
	int32_t next_free;
};

static struct fibre fibres[FIBER_MAX];
static int32_t free_head = -1;
static int32_t used;
static int32_t current = -1;

/* fiber_resumes counts the resumes, so fxbench can check its model of
 * each program's number of round trips. */
int64_t fiber_resumes;

/* fibre_main runs a fibre's entry and switches back for good. */
static void fibre_main(int64_t f) {
	struct fibre *F = &fibres[f];
	int64_t r = F->fn(F->arg);
	F->done = 1;
	void *dead;
	fx_switch(&dead, F->back, r);
	__builtin_unreachable();
}

/* colour is how far below the top of its mapping fibre f's stack starts:
 * the tops of many stacks a mapping size apart would fall into the same
 * cache sets (as rt/fibre.go's stackColour). A multiple of 64 below
 * 64 KiB. */
static uintptr_t colour(fiber_t f) { return ((uintptr_t)f * 1088) % (64 << 10) & ~(uintptr_t)63; }

/* fibre_init lays out the frame fx_switch pops on the first resume: after
 * its ret, rsp is top-16, 16-byte aligned for fx_start's call. */
static void fibre_init(fiber_t f) {
	struct fibre *F = &fibres[f];
	uint64_t *top = (uint64_t *)(F->stack + STACK_SIZE - colour(f));
	top[-3] = (uint64_t)(uintptr_t)fx_start;   /* return address */
	top[-4] = 0;                               /* rbp */
	top[-5] = 0;                               /* rbx */
	top[-6] = (uint64_t)(uintptr_t)fibre_main; /* r12 */
	top[-7] = (uint64_t)f;                     /* r13 */
	top[-8] = 0;                               /* r14 */
	top[-9] = 0;                               /* r15 */
	F->sp = &top[-9];
}

fiber_t fiber_new(fiber_fn fn, int64_t arg) {
	fiber_t f = free_head;
	if (f >= 0)
		free_head = fibres[f].next_free;
	else if (used < FIBER_MAX) {
		f = used++;
		char *s = mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (s == MAP_FAILED || mprotect(s, PAGE, PROT_NONE) != 0)
			__builtin_trap();
		fibres[f].stack = s;
	} else
		__builtin_trap();
	struct fibre *F = &fibres[f];
	F->fn = fn;
	F->arg = arg;
	F->done = 0;
	fibre_init(f);
	return f;
}

int64_t fiber_resume(fiber_t f, int64_t v) {
	struct fibre *F = &fibres[f];
	int32_t prev = current;
	current = f;
	fiber_resumes++;
	v = fx_switch(&F->back, F->sp, v);
	current = prev;
	return v;
}

int64_t fiber_yield(int64_t v) {
	struct fibre *F = &fibres[current];
	return fx_switch(&F->sp, F->back, v);
}

int fiber_done(fiber_t f) { return fibres[f].done; }

void fiber_free(fiber_t f) {
	fibres[f].next_free = free_head;
	free_head = f;
}
