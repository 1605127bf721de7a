/* strstr: count the occurrences of a word in 64 KiB of text made of words
 * of a small vocabulary, with the "generic SIMD" substring search
 * (W. Muła): compare the first and the last byte of the needle at 16
 * positions at once, AND, then check the candidates of the bitmask byte
 * by byte. Each pass looks for another word. */
#include "simd.h"

#define STR_N 65536
static uint8_t text[STR_N + 64];
static const char *const words[] = {
	"vector", "lane",    "shuffle", "swizzle", "bitmask", "splat",   "narrow", "widen",
	"extend", "saturate", "dot",    "product", "memory",  "compile", "wasm",   "native",
};
#define NWORDS (sizeof words / sizeof words[0])
static int ready;

static uint32_t wlen(const char *w) {
	uint32_t k = 0;
	while (w[k])
		k++;
	return k;
}

uint64_t k_strstr(uint32_t n) {
	if (!ready) {
		uint32_t s = 2024, at = 0;
		while (at < STR_N - 16) {
			const char *w = words[rnd(&s) % NWORDS];
			for (uint32_t j = 0; w[j]; j++)
				text[at++] = (uint8_t)w[j];
			text[at++] = ' ';
		}
		ready = 1;
	}
	uint64_t h = 0;
	for (uint32_t p = 0; p < n; p++) {
		const uint8_t *w = (const uint8_t *)words[p % NWORDS];
		uint32_t k = wlen((const char *)w), count = 0;
		vi first = vi_splat8(w[0]), last = vi_splat8(w[k - 1]);
		for (uint32_t i = 0; i + k + 16 <= STR_N; i += 16) {
			vi f = vi_eq8(vi_load(text + i), first);
			vi l = vi_eq8(vi_load(text + i + k - 1), last);
			uint32_t m = vi_bitmask8(vi_and(f, l));
			while (m) {
				uint32_t at = i + (uint32_t)__builtin_ctz(m), j = 1;
				while (j < k - 1 && text[at + j] == w[j])
					j++;
				count += j >= k - 1;
				m &= m - 1;
			}
		}
		h = mix(h, count);
	}
	return h;
}
KERNEL(strstr)
