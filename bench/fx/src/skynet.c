/* skynet: a tree of fibres, branching 10, whose leaves are the numbers
 * 0 .. size-1; every node returns the sum of its subtree. Each fibre first
 * yields once ("spawned"), so a node spawns all ten children, leaving them
 * suspended, before it collects their sums one by one.
 * run(1000000) = 499999500000 through 1,111,111 fibres (6 levels below
 * the root). */
#include "fiber.h"

/* children[d]: the children of the node at depth d being collected now. */
static fiber_t children[16][10];

/* arg: the first leaf number from bit 28 up, the node's depth in bits
 * 24..27, the subtree size in the low 24 bits. */
static int64_t node(int64_t arg);

static int64_t subtree(int64_t num, int64_t size, int depth) {
	if (size == 1)
		return num;
	int64_t step = size / 10;
	fiber_t *kids = children[depth];
	for (int i = 0; i < 10; i++) {
		kids[i] = fiber_new(node, (num + i * step) << 28 | (int64_t)(depth + 1) << 24 | step);
		fiber_resume(kids[i], 0); /* runs until its "spawned" yield */
	}
	int64_t sum = 0;
	for (int i = 0; i < 10; i++) {
		sum += fiber_resume(kids[i], 0);
		fiber_free(kids[i]);
	}
	return sum;
}

static int64_t node(int64_t arg) {
	fiber_yield(0);
	return subtree(arg >> 28, arg & 0xffffff, (int)(arg >> 24 & 15));
}

int64_t EXPORT(run)(int64_t size) {
	return subtree(0, size, 0);
}
