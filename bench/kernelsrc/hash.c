/* hash.c: hash.wat in C (little-endian words, as in wasm memory). */
#include <string.h>

#include "kernels.h"

static uint8_t data[1048576];

static uint64_t rotl(uint64_t x, int k) { return x << k | x >> (64 - k); }

uint64_t k_hash(uint32_t n) {
	if (n > 1048576)
		n = 1048576;
	n &= ~7u;
	uint64_t x = 0x9E3779B97F4A7C15ull + n;
	for (uint32_t i = 0; i < n; i += 8) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		memcpy(&data[i], &x, 8);
	}
	uint64_t h = 0xcbf29ce484222325ull;
	for (uint32_t i = 0; i < n; i++)
		h = (h ^ data[i]) * 0x100000001b3ull;
	uint64_t m = n;
	for (uint32_t i = 0; i < n; i += 8) {
		uint64_t w;
		memcpy(&w, &data[i], 8);
		m = rotl(m ^ (w * 0xC2B2AE3D27D4EB4Full), 31) * 0x9E3779B185EBCA87ull;
	}
	return h ^ rotl(m, 17);
}
