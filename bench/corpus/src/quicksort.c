/* quicksort: sorts random u32 arrays with a hand-written quicksort
 * (median of three, insertion sort below 16), checks the order. */
#include "corpus.h"

static void isort(uint32_t *a, long n) {
	for (long i = 1; i < n; i++) {
		uint32_t x = a[i];
		long j = i;
		for (; j > 0 && a[j - 1] > x; j--)
			a[j] = a[j - 1];
		a[j] = x;
	}
}

static void qsort_u32(uint32_t *a, long n) {
	while (n > 16) {
		uint32_t x = a[0], y = a[n / 2], z = a[n - 1];
		uint32_t p = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
		long i = 0, j = n - 1;
		for (;;) {
			while (a[i] < p)
				i++;
			while (a[j] > p)
				j--;
			if (i >= j)
				break;
			uint32_t t = a[i];
			a[i] = a[j], a[j] = t;
			i++, j--;
		}
		/* recurse into the smaller half, loop on the larger */
		if (j + 1 < n - j - 1) {
			qsort_u32(a, j + 1);
			a += j + 1, n -= j + 1;
		} else {
			qsort_u32(a + j + 1, n - j - 1);
			n = j + 1;
		}
	}
	isort(a, n);
}

int main(int argc, char **argv) {
	long n = corpus_arg(argc, argv, 2000000);
	uint32_t *a = malloc(n * sizeof *a);
	uint64_t s = 5, sum = 0;
	for (int round = 0; round < 3; round++) {
		for (long i = 0; i < n; i++)
			a[i] = (uint32_t)(corpus_rand(&s) >> 32) % (round == 2 ? 1000 : 0xffffffffu);
		qsort_u32(a, n);
		for (long i = 1; i < n; i++)
			if (a[i - 1] > a[i]) {
				printf("quicksort: not sorted at %ld\n", i);
				return 1;
			}
		for (long i = 0; i < n; i += n / 100 + 1)
			sum = sum * 31 + a[i];
	}
	printf("quicksort %ld %llu\n", n, (unsigned long long)sum);
	return 0;
}
