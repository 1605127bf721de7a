/* crc32.c: crc32.wat in C. */
#include "kernels.h"

static uint32_t table[256];
static uint8_t data[1048576];

uint64_t k_crc32(uint32_t n) {
	if (n > 1048576)
		n = 1048576;
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? c >> 1 ^ 0xEDB88320u : c >> 1;
		table[i] = c;
	}
	uint32_t x = n;
	for (uint32_t i = 0; i < n; i++) {
		x = x * 1103515245u + 12345;
		data[i] = (uint8_t)(x >> 16);
	}
	uint32_t crc = 0xFFFFFFFFu;
	for (uint32_t i = 0; i < n; i++)
		crc = table[(crc ^ data[i]) & 255] ^ crc >> 8;
	return crc ^ 0xFFFFFFFFu;
}
