/* main.c: the driver of the native kernels: `kernels NAME N REPS` runs
 * NAME's run(N) REPS times and prints per run "result wall_ns cpu_ns"
 * (result as unsigned 64-bit bits; wall clock and thread CPU time). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kernels.h"

static const struct {
	const char *name;
	uint64_t (*run)(uint32_t);
} kernels[] = {
	{"matmul", k_matmul}, {"sieve", k_sieve}, {"hash", k_hash},     {"fib", k_fib},
	{"crc32", k_crc32},   {"nbody", k_nbody}, {"interp", k_interp},
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
