/* sieve: the sieve of Eratosthenes over bytes, repeated. */
#include "corpus.h"

int main(int argc, char **argv) {
	long n = corpus_arg(argc, argv, 16000000);
	uint8_t *comp = malloc(n + 1);
	long count = 0, last = 0;
	for (int rep = 0; rep < 3; rep++) {
		memset(comp, 0, n + 1);
		count = 0;
		for (long i = 2; i <= n; i++) {
			if (comp[i])
				continue;
			count++, last = i;
			for (long j = i * i; j <= n; j += i)
				comp[j] = 1;
		}
	}
	printf("sieve %ld %ld %ld\n", n, count, last);
	return 0;
}
