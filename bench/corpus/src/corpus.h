/* corpus.h: shared helpers of the corpus programs. Each program reads its
 * size from argv[1] (a default otherwise) and prints one checksum line;
 * every engine must print the same bytes. Nothing here depends on the
 * host: a deterministic generator, no clocks, no files. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline long corpus_arg(int argc, char **argv, long def) {
	if (argc < 2)
		return def;
	char *end;
	long v = strtol(argv[1], &end, 10);
	if (*end != 0 || v <= 0) {
		fprintf(stderr, "%s: size %s: want a positive integer\n", argv[0], argv[1]);
		exit(2);
	}
	return v;
}

/* xorshift64*: the corpus's deterministic input generator. */
static inline uint64_t corpus_rand(uint64_t *s) {
	uint64_t x = *s;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545F4914F6CDD1DULL;
}
