/* strlen: the lengths of 4096 NUL-terminated strings (0 to 63 letters)
 * packed in one buffer, strlen-style: 16 bytes at a time from the start of
 * each string, the first zero lane by bitmask. Each pass changes one
 * string's terminator. */
#include "simd.h"

#define STRLEN_BUF (4096 * 64 + 16)
static uint8_t buf[STRLEN_BUF];
static uint32_t start[4096];
static int ready;

static uint32_t vstrlen(const uint8_t *s) {
	vi z = vi_zero();
	for (uint32_t i = 0;; i += 16) {
		uint32_t m = vi_bitmask8(vi_eq8(vi_load(s + i), z));
		if (m)
			return i + (uint32_t)__builtin_ctz(m);
	}
}

uint64_t k_strlen(uint32_t n) {
	if (!ready) {
		uint32_t s = 777, at = 0;
		for (int k = 0; k < 4096; k++) {
			uint32_t len = rnd(&s) % 64;
			start[k] = at;
			for (uint32_t j = 0; j < len; j++)
				buf[at++] = (uint8_t)('a' + rnd(&s) % 26);
			buf[at++] = 0;
		}
		ready = 1;
	}
	uint64_t h = 0;
	for (uint32_t p = 0; p < n; p++) {
		uint32_t k = p % 4096, at = start[k];
		uint8_t old = buf[at];
		buf[at] = 0; /* string k is empty in this pass */
		uint64_t sum = 0;
		for (int j = 0; j < 4096; j++)
			sum = sum * 31 + vstrlen(buf + start[j]);
		buf[at] = old;
		h = mix(h, sum);
	}
	return h;
}
KERNEL(strlen)
