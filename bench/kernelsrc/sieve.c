/* sieve.c: sieve.wat in C. */
#include <string.h>

#include "kernels.h"

static uint8_t composite[4194304];

uint64_t k_sieve(uint32_t n) {
	if (n > 4194304)
		n = 4194304;
	memset(composite, 0, (n + 7) & ~7u);
	uint32_t count = 0;
	uint64_t sum = 0;
	for (uint32_t i = 2; i < n; i++) {
		if (composite[i])
			continue;
		count++;
		sum = sum * 31 + i;
		if (i <= 65535)
			for (uint32_t j = i * i; j < n; j += i)
				composite[j] = 1;
	}
	return ((uint64_t)count << 40) + sum;
}
