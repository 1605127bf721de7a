/* blur: autovectorised. A 3x3 box blur of a 512x256 8-bit image (the sum
 * of nine pixels in 16 bits, divided by 9 as a multiply and a shift),
 * then the sum of the output, as plain C loops. Each pass changes one
 * pixel. (s / 9 itself clang scalarises for wasm, lane by lane, as wasm
 * has no high-half multiply; gcc uses PMULHUW.) */
#include "simd.h"

#define BW 512
#define BH 256
static uint8_t img[BH][BW], out[BH][BW];
static int ready;

static void blur(void) {
	for (int y = 1; y < BH - 1; y++)
		for (int x = 1; x < BW - 1; x++) {
			uint16_t s = (uint16_t)(img[y - 1][x - 1] + img[y - 1][x] + img[y - 1][x + 1] +
			                        img[y][x - 1] + img[y][x] + img[y][x + 1] + img[y + 1][x - 1] +
			                        img[y + 1][x] + img[y + 1][x + 1]);
			out[y][x] = (uint8_t)((s * 7282u) >> 16); /* s / 9, exact for s <= 2295 */
		}
}

uint64_t k_blur(uint32_t n) {
	if (!ready) {
		uint32_t s = 31337;
		for (int y = 0; y < BH; y++)
			for (int x = 0; x < BW; x++)
				img[y][x] = (uint8_t)((x * 3 + y * 5) ^ (rnd(&s) & 63));
		ready = 1;
	}
	uint64_t h = 0;
	for (uint32_t p = 0; p < n; p++) {
		uint8_t *px = &img[p % BH][(p * 7) % BW], old = *px;
		*px += 1;
		blur();
		uint32_t sum = 0;
		for (int y = 0; y < BH; y++)
			for (int x = 0; x < BW; x++)
				sum += out[y][x];
		h = mix(h, sum);
		*px = old;
	}
	return h;
}
KERNEL(blur)
