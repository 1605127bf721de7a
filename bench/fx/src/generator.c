/* generator: one fibre yields 0, 1, ..., n-1; the caller sums them.
 * run(10000000) = 49999995000000. One resume/yield round trip per value. */
#include "fiber.h"

static int64_t count(int64_t n) {
	for (int64_t i = 0; i < n; i++)
		fiber_yield(i);
	return 0;
}

int64_t EXPORT(run)(int64_t n) {
	fiber_t g = fiber_new(count, n);
	int64_t sum = 0;
	for (;;) {
		int64_t v = fiber_resume(g, 0);
		if (fiber_done(g))
			break;
		sum += v;
	}
	fiber_free(g);
	return sum;
}
