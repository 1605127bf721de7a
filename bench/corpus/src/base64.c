/* base64: RFC 4648 encoding and decoding of a generated buffer, round
 * trips checked: table lookups and byte shuffling. */
#include "corpus.h"

static const char enc_tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static int8_t dec_tab[256];

static size_t encode(const uint8_t *in, size_t n, char *out) {
	char *o = out;
	size_t i = 0;
	for (; i + 3 <= n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
		o[0] = enc_tab[v >> 18], o[1] = enc_tab[v >> 12 & 63], o[2] = enc_tab[v >> 6 & 63], o[3] = enc_tab[v & 63];
		o += 4;
	}
	if (n - i == 1) {
		uint32_t v = (uint32_t)in[i] << 16;
		o[0] = enc_tab[v >> 18], o[1] = enc_tab[v >> 12 & 63], o[2] = '=', o[3] = '=';
		o += 4;
	} else if (n - i == 2) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
		o[0] = enc_tab[v >> 18], o[1] = enc_tab[v >> 12 & 63], o[2] = enc_tab[v >> 6 & 63], o[3] = '=';
		o += 4;
	}
	return o - out;
}

/* decode returns the decoded length, or -1 on a bad character. */
static long decode(const char *in, size_t n, uint8_t *out) {
	uint8_t *o = out;
	for (size_t i = 0; i + 4 <= n; i += 4) {
		int pad = (in[i + 3] == '=') + (in[i + 2] == '=');
		int8_t a = dec_tab[(uint8_t)in[i]], b = dec_tab[(uint8_t)in[i + 1]];
		int8_t c = pad > 1 ? 0 : dec_tab[(uint8_t)in[i + 2]], d = pad > 0 ? 0 : dec_tab[(uint8_t)in[i + 3]];
		if ((a | b | c | d) < 0)
			return -1;
		uint32_t v = (uint32_t)a << 18 | (uint32_t)b << 12 | (uint32_t)c << 6 | (uint32_t)d;
		*o++ = v >> 16;
		if (pad < 2)
			*o++ = v >> 8;
		if (pad < 1)
			*o++ = v;
	}
	return o - out;
}

int main(int argc, char **argv) {
	long n = corpus_arg(argc, argv, 120); /* rounds over 1 MiB */
	enum { LEN = 1 << 20 };
	memset(dec_tab, -1, sizeof dec_tab);
	for (int i = 0; i < 64; i++)
		dec_tab[(uint8_t)enc_tab[i]] = i;
	uint8_t *buf = malloc(LEN), *back = malloc(LEN);
	char *text = malloc(LEN / 3 * 4 + 8);
	uint64_t s = 3, sum = 0;
	for (int i = 0; i < LEN; i++)
		buf[i] = (uint8_t)(corpus_rand(&s) >> 56);
	for (long r = 0; r < n; r++) {
		size_t len = LEN - (r % 3);
		size_t tn = encode(buf, len, text);
		long bn = decode(text, tn, back);
		if (bn != (long)len || memcmp(buf, back, len) != 0) {
			printf("base64: round trip %ld failed\n", r);
			return 1;
		}
		for (size_t i = 0; i < tn; i += 997)
			sum = sum * 131 + (uint8_t)text[i];
		buf[r % LEN] ^= (uint8_t)sum;
	}
	printf("base64 %ld %llu\n", n, (unsigned long long)sum);
	return 0;
}
