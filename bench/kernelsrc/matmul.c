/* matmul.c: matmul.wat in C. */
#include <string.h>

#include "kernels.h"

static double A[128 * 128], B[128 * 128], C[128 * 128];

uint64_t k_matmul(uint32_t n) {
	if (n > 128)
		n = 128;
	for (uint32_t i = 0; i < n; i++)
		for (uint32_t j = 0; j < n; j++) {
			A[i * n + j] = (double)(int32_t)((i * 7 + j * 3) % 11 - 5);
			B[i * n + j] = (double)((i + 2 * j) % 13) * 0.25;
		}
	for (uint32_t i = 0; i < n; i++)
		for (uint32_t j = 0; j < n; j++) {
			double acc = 0;
			const double *a = &A[i * n], *b = &B[j];
			for (uint32_t k = 0; k < n; k++, a++, b += n)
				acc = acc + *a * *b;
			C[i * n + j] = acc;
		}
	double sum = 0;
	for (uint32_t i = 0; i < n * n; i++)
		sum = sum + C[i] * (double)(1 + i % 17);
	uint64_t r;
	memcpy(&r, &sum, 8);
	return r;
}
