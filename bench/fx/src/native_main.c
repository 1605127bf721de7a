/* native_main.c: the driver of a native build (gcc, with one program and
 * fiber_native.c). fxbench builds and runs it:
 *   prog time N REPS   REPS runs of run(N); per run a line "checksum ns
 *                      resumes cpu_ns" (wall-clock and thread CPU time)
 *   prog mem W ROUNDS  (c10m only) spawn(10), finish() (the first stacks);
 *                      then spawn(W) suspended workers, step(ROUNDS),
 *                      finish(); prints "rss pte rss_spawned pte_spawned
 *                      rss_stepped hwm checksum" (KiB from
 *                      /proc/self/status; before spawn(W), after it,
 *                      after step; the peak RSS at the end)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fiber.h"

int64_t run(int64_t n);
extern int64_t fiber_resumes;
__attribute__((weak)) void spawn(int32_t w);
__attribute__((weak)) int64_t step(int32_t rounds);
__attribute__((weak)) int64_t finish(void);

/* kb reads a "Name: N kB" line of a /proc file. */
static long kb(const char *file, const char *name) {
	FILE *f = fopen(file, "r");
	char line[256];
	long v = -1;
	size_t n = strlen(name);
	while (f && fgets(line, sizeof line, f))
		if (strncmp(line, name, n) == 0 && line[n] == ':')
			v = strtol(line + n + 1, NULL, 10);
	if (f)
		fclose(f);
	return v;
}

static long long ns(struct timespec a, struct timespec b) {
	return (b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec);
}

static long status(const char *name) { return kb("/proc/self/status", name); }

int main(int argc, char **argv) {
	if (argc != 3 && argc != 4)
		return 2;
	long n = strtol(argv[2], NULL, 10);
	if (strcmp(argv[1], "time") == 0 && argc == 4) {
		long reps = strtol(argv[3], NULL, 10);
		for (long i = 0; i < reps; i++) {
			struct timespec a, b, ca, cb;
			fiber_resumes = 0;
			clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ca);
			clock_gettime(CLOCK_MONOTONIC, &a);
			int64_t sum = run(n);
			clock_gettime(CLOCK_MONOTONIC, &b);
			clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cb);
			printf("%lld %lld %lld %lld\n", (long long)sum, ns(a, b), (long long)fiber_resumes, ns(ca, cb));
		}
		return 0;
	}
	if (strcmp(argv[1], "mem") == 0 && argc == 4 && spawn) {
		long rounds = strtol(argv[3], NULL, 10);
		spawn(10);
		finish();
		long r0 = status("VmRSS"), p0 = status("VmPTE");
		spawn((int32_t)n);
		long r1 = status("VmRSS"), p1 = status("VmPTE");
		int64_t sum = step((int32_t)rounds);
		long r2 = status("VmRSS");
		sum += finish();
		printf("%ld %ld %ld %ld %ld %ld %lld\n", r0, p0, r1, p1, r2, status("VmHWM"), (long long)sum);
		return 0;
	}
	return 2;
}
