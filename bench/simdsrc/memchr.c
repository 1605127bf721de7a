/* memchr: every occurrence of a byte in 64 KiB of text (letters, spaces,
 * newlines), memchr-style: 16 bytes compared at a time, the hits taken
 * from the bitmask lowest first. Each pass looks for another letter. */
#include "simd.h"

#define MEMCHR_N 65536
static uint8_t text[MEMCHR_N + 16];
static int ready;

uint64_t k_memchr(uint32_t n) {
	if (!ready) {
		uint32_t s = 12345;
		for (int i = 0; i < MEMCHR_N; i++) {
			uint32_t r = rnd(&s) % 32;
			text[i] = r < 26 ? (uint8_t)('a' + r) : r < 31 ? ' ' : '\n';
		}
		ready = 1;
	}
	uint64_t h = 0;
	for (uint32_t p = 0; p < n; p++) {
		vi c = vi_splat8((uint8_t)('a' + p % 26));
		uint32_t count = 0, sum = 0;
		for (uint32_t i = 0; i < MEMCHR_N; i += 16) {
			uint32_t m = vi_bitmask8(vi_eq8(vi_load(text + i), c));
			while (m) {
				sum += i + (uint32_t)__builtin_ctz(m);
				count++;
				m &= m - 1;
			}
		}
		h = mix(h, (uint64_t)count << 32 | sum);
	}
	return h;
}
KERNEL(memchr)
