// embedhost links examples/embed/embed.wat, compiled by wfxc to embed.o
// with the header embed.h (`wfxc embed.wat -o embed.o --header embed.h`),
// statically into a C program with the runtime archive librt.a (rt/capi).
// It shows the instance API of the header: typed imports in a struct,
// typed export functions, errors per instance, a trap in a call back in
// from a host function, a trap and an exception told apart, an interrupt
// from another thread, and what a trivial export call costs.
// `make example-embed-c` builds and runs it.
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "embed.h"

static int logv(void *user, embed_instance *inst, int32_t tag, int64_t v) {
	(void)inst;
	printf("  [%s] log(%d, %" PRId64 ")\n", (const char *)user, tag, v);
	return 0;
}

static int scale(void *user, embed_instance *inst, double x, double *r) {
	(void)user;
	(void)inst;
	*r = 3.0 * x;
	return 0;
}

// callback calls the export check back in; a failure there fails it.
static int callback(void *user, embed_instance *inst, int32_t x, int32_t *r) {
	(void)user;
	return embed_check(inst, x, r) == WFX_OK ? 0 : 1;
}

static void *interrupter(void *arg) {
	usleep(20 * 1000);
	embed_interrupt(arg);
	return NULL;
}

static double now(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int fail(const char *what, embed_instance *inst) {
	fprintf(stderr, "%s: %s\n", what, embed_error(inst));
	return 1;
}

int main(void) {
	embed_imports imports = {.user = "c", .env_log = logv, .env_scale = scale, .env_callback = callback};
	embed_instance inst;
	char *err = NULL;
	if (embed_instantiate(&inst, &imports, &err) != WFX_OK) {
		fprintf(stderr, "instantiate: %s\n", err);
		free(err);
		return 1;
	}
	int32_t sum, q;
	double a;
	if (embed_add(&inst, 2, 3, &sum) != WFX_OK || embed_area(&inst, 2.0, &a) != WFX_OK)
		return fail("add/area", &inst);
	printf("c: add(2, 3) = %d, area(2) = %g\n", sum, a);

	// A trap, then a call that succeeds: the error is the instance's and
	// does not outlive the next successful call.
	if (embed_check(&inst, 0, &q) != WFX_TRAP)
		return fail("check(0) did not trap", &inst);
	printf("c: check(0) trapped: %s\n", embed_error(&inst));
	if (embed_check(&inst, 4, &q) != WFX_OK || strcmp(embed_error(&inst), "") != 0)
		return fail("check(4)", &inst);
	printf("c: check(4) = %d, error after it: \"%s\"\n", q, embed_error(&inst));

	// A trap in a call back in from a host function is the outer call's.
	if (embed_outer(&inst, 5, &q) != WFX_OK)
		return fail("outer(5)", &inst);
	if (embed_outer(&inst, 0, &q) != WFX_TRAP || strstr(embed_error(&inst), "unreachable") == NULL)
		return fail("outer(0) did not report the nested trap", &inst);
	printf("c: outer(5) = %d; outer(0) trapped in the nested call: %s\n", q, embed_error(&inst));

	// An exception is not a trap.
	if (embed_raise(&inst, 42) != WFX_EXCEPTION)
		return fail("raise(42) did not throw", &inst);
	uint64_t payload[1];
	int n = embed_exception_payload(&inst, payload, 1);
	printf("c: raise(42) threw %s with %d payload slot(s): %" PRIu64 "\n", embed_exception_tag(&inst), n, payload[0]);

	// An interrupt from another thread stops an endless loop.
	pthread_t t;
	pthread_create(&t, NULL, interrupter, &inst);
	int rc = embed_spin(&inst);
	pthread_join(t, NULL);
	if (rc != WFX_TRAP)
		return fail("spin was not interrupted", &inst);
	printf("c: spin stopped by embed_interrupt: %s\n", embed_error(&inst));

	// The cost of a trivial export call.
	enum { N = 1000000 };
	double t0 = now();
	for (int i = 0; i < N; i++)
		if (embed_add(&inst, i, 1, &sum) != WFX_OK)
			return fail("add", &inst);
	printf("c: add costs %.1f ns per call (%d calls)\n", (now() - t0) / N, N);
	embed_free(&inst);
	return 0;
}
