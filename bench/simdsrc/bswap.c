/* bswap: byte-swap 16384 32-bit words (a constant byte shuffle: PSHUFB
 * natively, i8x16.shuffle in wasm) into a second array, then xor-fold it.
 * Each pass changes one input word (and restores it). */
#include "simd.h"

#define BS_N 16384
static uint32_t in[BS_N], outw[BS_N];
static int ready;

uint64_t k_bswap(uint32_t n) {
	if (!ready) {
		uint32_t s = 8;
		for (int i = 0; i < BS_N; i++)
			in[i] = rnd(&s);
		ready = 1;
	}
	uint64_t h = 0;
	for (uint32_t p = 0; p < n; p++) {
		uint32_t old = in[p % BS_N];
		in[p % BS_N] += p;
		for (int i = 0; i < BS_N; i += 4)
			vi_store(outw + i, vi_bswap32(vi_load(in + i)));
		vi x = vi_zero();
		for (int i = 0; i < BS_N; i += 4)
			x = vi_add32(x, vi_load(outw + i));
		in[p % BS_N] = old;
		h = mix(h, (uint64_t)vi_lane32(x, 0) << 32 ^ vi_lane32(x, 1) ^ (uint64_t)vi_lane32(x, 2) << 16 ^ vi_lane32(x, 3));
	}
	return h;
}
KERNEL(bswap)
