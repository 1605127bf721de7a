/* native_main.c: the driver of the native SIMD kernels, the protocol of
 * ../kernelsrc/main.c: `simdkernels NAME N REPS` runs k_NAME(N) REPS times
 * and prints per run "result wall_ns cpu_ns". */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "simd.h"

#define K(name) uint64_t k_##name(uint32_t);
#include "kernels.def"
#undef K

static const struct {
	const char *name;
	uint64_t (*run)(uint32_t);
} kernels[] = {
#define K(name) {#name, k_##name},
#include "kernels.def"
#undef K
};

static long long ns(struct timespec a, struct timespec b) {
	return (b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec);
}

int main(int argc, char **argv) {
	if (argc != 4)
		return 2;
	uint64_t (*run)(uint32_t) = NULL;
	for (size_t i = 0; i < sizeof kernels / sizeof kernels[0]; i++)
		if (strcmp(argv[1], kernels[i].name) == 0)
			run = kernels[i].run;
	if (run == NULL) {
		fprintf(stderr, "no kernel %s\n", argv[1]);
		return 2;
	}
	uint32_t n = (uint32_t)strtoul(argv[2], NULL, 10);
	long reps = strtol(argv[3], NULL, 10);
	for (long i = 0; i < reps; i++) {
		struct timespec a, b, ca, cb;
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ca);
		clock_gettime(CLOCK_MONOTONIC, &a);
		uint64_t r = run(n);
		clock_gettime(CLOCK_MONOTONIC, &b);
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cb);
		printf("%llu %lld %lld\n", (unsigned long long)r, ns(a, b), ns(ca, cb));
	}
	return 0;
}
