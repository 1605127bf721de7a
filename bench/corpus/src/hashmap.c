/* hashmap: an open-addressing hash table (linear probing, u64 keys)
 * with inserts, lookups and deletions (backward-shift) in a random mix. */
#include "corpus.h"

typedef struct {
	uint64_t *keys; /* 0: empty */
	uint64_t *vals;
	uint32_t mask, count;
} map;

static uint32_t slot(const map *m, uint64_t k) {
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	return (uint32_t)k & m->mask;
}

static uint64_t *get(map *m, uint64_t k) {
	for (uint32_t i = slot(m, k);; i = (i + 1) & m->mask) {
		if (m->keys[i] == k)
			return &m->vals[i];
		if (m->keys[i] == 0)
			return 0;
	}
}

static void put(map *m, uint64_t k, uint64_t v) {
	uint32_t i = slot(m, k);
	while (m->keys[i] != 0 && m->keys[i] != k)
		i = (i + 1) & m->mask;
	if (m->keys[i] == 0)
		m->count++;
	m->keys[i] = k;
	m->vals[i] = v;
}

static int del(map *m, uint64_t k) {
	uint32_t i = slot(m, k);
	while (m->keys[i] != k) {
		if (m->keys[i] == 0)
			return 0;
		i = (i + 1) & m->mask;
	}
	for (uint32_t j = i;;) {
		m->keys[i] = 0;
		for (;;) {
			j = (j + 1) & m->mask;
			if (m->keys[j] == 0) {
				m->count--;
				return 1;
			}
			uint32_t h = slot(m, m->keys[j]);
			/* move j back to i unless its home h lies cyclically in (i, j] */
			if (i <= j ? (i < h && h <= j) : (i < h || h <= j))
				continue;
			break;
		}
		m->keys[i] = m->keys[j];
		m->vals[i] = m->vals[j];
		i = j;
	}
}

int main(int argc, char **argv) {
	long n = corpus_arg(argc, argv, 4000000);
	map m = {.mask = (1u << 20) - 1};
	m.keys = calloc(m.mask + 1, sizeof(uint64_t));
	m.vals = calloc(m.mask + 1, sizeof(uint64_t));
	uint64_t s = 99, sum = 0, found = 0;
	for (long i = 0; i < n; i++) {
		uint64_t r = corpus_rand(&s);
		uint64_t k = (r >> 8) % 600000 + 1; /* ≤ 600k live keys in 1M slots */
		switch (r & 3) {
		case 0:
		case 1:
			put(&m, k, r);
			break;
		case 2: {
			uint64_t *v = get(&m, k);
			if (v)
				sum += *v, found++;
			break;
		}
		default:
			found += del(&m, k);
		}
	}
	printf("hashmap %ld %u %llu %llu\n", n, m.count, (unsigned long long)found, (unsigned long long)sum);
	return 0;
}
