/* c10m: a round-robin scheduler over many live fibres, each a "connection"
 * that does a little work and yields, round after round.
 * spawn(w) starts w workers (each runs to its first yield), step(r) runs r
 * rounds over all of them, finish() stops them; run(r) is spawn(10000),
 * step(r), finish() and returns the checksum of every value yielded. */
#include "fiber.h"

static fiber_t workers[FIBER_MAX];
static int32_t nworkers;

/* A worker's state is a 64-bit LCG seeded by its id; it yields the state
 * each round and stops, returning it, when resumed with 1. */
static int64_t worker(int64_t id) {
	uint64_t x = (uint64_t)id;
	while (fiber_yield((int64_t)(x >> 16)) == 0)
		x = x * 6364136223846793005u + 1442695040888963407u;
	return (int64_t)x;
}

void EXPORT(spawn)(int32_t w) {
	for (int32_t i = 0; i < w; i++) {
		workers[i] = fiber_new(worker, i);
		fiber_resume(workers[i], 0);
	}
	nworkers = w;
}

int64_t EXPORT(step)(int32_t rounds) {
	int64_t sum = 0;
	for (int32_t r = 0; r < rounds; r++)
		for (int32_t i = 0; i < nworkers; i++)
			sum += fiber_resume(workers[i], 0);
	return sum;
}

int64_t EXPORT(finish)(void) {
	int64_t sum = 0;
	for (int32_t i = 0; i < nworkers; i++) {
		sum ^= fiber_resume(workers[i], 1);
		fiber_free(workers[i]);
	}
	nworkers = 0;
	return sum;
}

int64_t EXPORT(run)(int64_t rounds) {
	spawn(10000);
	int64_t sum = step((int32_t)rounds);
	return sum + finish();
}
