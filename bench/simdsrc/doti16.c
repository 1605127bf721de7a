/* doti16: the dot product of two 32768-element int16 vectors with
 * i32x4.dot_i16x8_s (PMADDWD natively), two accumulators. Each pass bumps
 * one element of a. */
#include "simd.h"

#define DOTI_N 32768
static int16_t a[DOTI_N], b[DOTI_N];
static int ready;

uint64_t k_doti16(uint32_t n) {
	if (!ready) {
		uint32_t s = 4242;
		for (int i = 0; i < DOTI_N; i++) {
			a[i] = (int16_t)(rnd(&s) % 4096 - 2048);
			b[i] = (int16_t)(rnd(&s) % 4096 - 2048);
		}
		ready = 1;
	}
	uint64_t h = 0;
	for (uint32_t p = 0; p < n; p++) {
		int16_t old = a[p % DOTI_N];
		a[p % DOTI_N]++;
		vi s0 = vi_zero(), s1 = vi_zero();
		for (int i = 0; i < DOTI_N; i += 16) {
			s0 = vi_add32(s0, vi_dot16(vi_load(a + i), vi_load(b + i)));
			s1 = vi_add32(s1, vi_dot16(vi_load(a + i + 8), vi_load(b + i + 8)));
		}
		vi s = vi_add32(s0, s1);
		uint32_t d = vi_lane32(s, 0) + vi_lane32(s, 1) + vi_lane32(s, 2) + vi_lane32(s, 3);
		h = mix(h, d);
		a[p % DOTI_N] = old;
	}
	return h;
}
KERNEL(doti16)
