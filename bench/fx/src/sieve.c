/* sieve: the first n primes through a chain of filter coroutines. A
 * "naturals" fibre yields 2, 3, 4, ...; each prime p found adds a filter
 * fibre that pulls from the previous end of the chain and yields only the
 * numbers p does not divide. Returns the sum of the primes:
 * run(1000) = 3682913. Every fibre stops when it is resumed with 1 (which
 * it passes down the chain), so all are freed at the end. */
#include "fiber.h"

static int64_t naturals(int64_t start) {
	int64_t i = start;
	while (fiber_yield(i) == 0)
		i++;
	return 0;
}

/* arg: the prime in the high 32 bits, the source fibre in the low. */
static int64_t filter(int64_t arg) {
	int64_t p = arg >> 32;
	fiber_t src = (fiber_t)(arg & 0xffffffff);
	for (;;) {
		int64_t v = fiber_resume(src, 0);
		if (v % p == 0)
			continue;
		if (fiber_yield(v) != 0)
			break;
	}
	fiber_resume(src, 1);
	fiber_free(src);
	return 0;
}

int64_t EXPORT(run)(int64_t n) {
	fiber_t src = fiber_new(naturals, 2);
	int64_t sum = 0;
	for (int64_t i = 0; i < n; i++) {
		int64_t p = fiber_resume(src, 0);
		sum += p;
		src = fiber_new(filter, p << 32 | (int64_t)src);
	}
	fiber_resume(src, 0); /* start the last filter, so it can be stopped */
	fiber_resume(src, 1);
	fiber_free(src);
	return sum;
}
