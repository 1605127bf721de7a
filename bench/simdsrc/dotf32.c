/* dotf32: the dot product of two 16384-float vectors with four f32x4
 * accumulators (16 products per step), summed lane by lane at the end.
 * Each pass bumps one element of a (and restores it). */
#include "simd.h"

#define DOTF_N 16384
static float a[DOTF_N], b[DOTF_N];
static int ready;

uint64_t k_dotf32(uint32_t n) {
	if (!ready) {
		uint32_t s = 99;
		for (int i = 0; i < DOTF_N; i++) {
			a[i] = (float)(rnd(&s) % 2001) / 1000.0f - 1.0f;
			b[i] = (float)(rnd(&s) % 2001) / 1000.0f - 1.0f;
		}
		ready = 1;
	}
	double total = 0;
	for (uint32_t p = 0; p < n; p++) {
		float old = a[p % DOTF_N];
		a[p % DOTF_N] += 0.5f;
		vf s0 = vf_zero(), s1 = vf_zero(), s2 = vf_zero(), s3 = vf_zero();
		for (int i = 0; i < DOTF_N; i += 16) {
			s0 = vf_add(s0, vf_mul(vf_load(a + i), vf_load(b + i)));
			s1 = vf_add(s1, vf_mul(vf_load(a + i + 4), vf_load(b + i + 4)));
			s2 = vf_add(s2, vf_mul(vf_load(a + i + 8), vf_load(b + i + 8)));
			s3 = vf_add(s3, vf_mul(vf_load(a + i + 12), vf_load(b + i + 12)));
		}
		vf s = vf_add(vf_add(s0, s1), vf_add(s2, s3));
		float d = (vf_lane(s, 0) + vf_lane(s, 1)) + (vf_lane(s, 2) + vf_lane(s, 3));
		total += d;
		a[p % DOTF_N] = old;
	}
	return f64bits(total);
}
KERNEL(dotf32)
