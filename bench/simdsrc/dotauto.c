/* dotauto: autovectorised. The int16 → int32 dot product as a plain C
 * loop (clang and gcc vectorise it: extend and multiply or extmul/PMADDWD,
 * as each sees fit). Each pass bumps one element of a (and restores it). */
#include "simd.h"

#define DOTA_N 32768
static int16_t a[DOTA_N], b[DOTA_N];
static int ready;

uint64_t k_dotauto(uint32_t n) {
	if (!ready) {
		uint32_t s = 4243;
		for (int i = 0; i < DOTA_N; i++) {
			a[i] = (int16_t)(rnd(&s) % 4096 - 2048);
			b[i] = (int16_t)(rnd(&s) % 4096 - 2048);
		}
		ready = 1;
	}
	uint64_t h = 0;
	for (uint32_t p = 0; p < n; p++) {
		int16_t old = a[p % DOTA_N];
		a[p % DOTA_N]++;
		int32_t d = 0;
		for (int i = 0; i < DOTA_N; i++)
			d += (int32_t)a[i] * b[i];
		h = mix(h, (uint32_t)d);
		a[p % DOTA_N] = old;
	}
	return h;
}
KERNEL(dotauto)
