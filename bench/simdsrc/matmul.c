/* matmul: C = A×B of 96x96 f32 matrices, a row of C four columns at a
 * time: C[i][j..j+3] += A[i][k] * B[k][j..j+3] for k in order (a splat
 * and an f32x4 multiply-add), the sum of C's entries in f64 at the end.
 * Each pass bumps one entry of A (and restores it). */
#include "simd.h"

#define MN 96
static float A[MN][MN], B[MN][MN], C[MN][MN];
static int ready;

uint64_t k_matmul(uint32_t n) {
	if (!ready) {
		uint32_t s = 5;
		for (int i = 0; i < MN; i++)
			for (int j = 0; j < MN; j++) {
				A[i][j] = (float)(rnd(&s) % 201) / 100.0f - 1.0f;
				B[i][j] = (float)(rnd(&s) % 201) / 100.0f - 1.0f;
			}
		ready = 1;
	}
	double total = 0;
	for (uint32_t p = 0; p < n; p++) {
		float *ap = &A[p % MN][(p / MN) % MN], old = *ap;
		*ap += 0.25f;
		for (int i = 0; i < MN; i++)
			for (int j = 0; j < MN; j += 8) {
				vf c0 = vf_zero(), c1 = vf_zero();
				for (int k = 0; k < MN; k++) {
					vf a = vf_splat(A[i][k]);
					c0 = vf_add(c0, vf_mul(a, vf_load(&B[k][j])));
					c1 = vf_add(c1, vf_mul(a, vf_load(&B[k][j + 4])));
				}
				vf_store(&C[i][j], c0);
				vf_store(&C[i][j + 4], c1);
			}
		double s = 0;
		for (int i = 0; i < MN; i++)
			for (int j = 0; j < MN; j++)
				s += C[i][j];
		total += s;
		*ap = old;
	}
	return f64bits(total);
}
KERNEL(matmul)
