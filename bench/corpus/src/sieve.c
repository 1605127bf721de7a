/* sieve: the sieve of Eratosthenes over bytes, repeated. Indices are
 * int64_t: i*i passes 2^31 (long is 32 bits on wasm32). */
#include "corpus.h"

int main(int argc, char **argv) {
	int64_t n = corpus_arg(argc, argv, 16000000);
	uint8_t *comp = malloc(n + 1);
	int64_t count = 0, last = 0;
	for (int rep = 0; rep < 3; rep++) {
		memset(comp, 0, n + 1);
		count = 0;
		for (int64_t i = 2; i <= n; i++) {
			if (comp[i])
				continue;
			count++, last = i;
			for (int64_t j = i * i; j <= n; j += i)
				comp[j] = 1;
		}
	}
	printf("sieve %lld %lld %lld\n", (long long)n, (long long)count, (long long)last);
	return 0;
}
