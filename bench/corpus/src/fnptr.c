/* fnptr: a bytecode-like loop that dispatches through a table of
 * function pointers (call_indirect in wasm), each a small operation on
 * a state. */
#include "corpus.h"

typedef struct {
	uint32_t a, b, c, d;
} state;
typedef void (*op)(state *, uint32_t);

static void op_add(state *s, uint32_t x) { s->a += x ^ s->b; }
static void op_xor(state *s, uint32_t x) { s->b ^= (s->a << 3) + x; }
static void op_rot(state *s, uint32_t x) { s->c = (s->c << (x & 31)) | (s->c >> ((32 - x) & 31)); s->c += s->a; }
static void op_mul(state *s, uint32_t x) { s->d = s->d * 2654435761u + x; }
static void op_swap(state *s, uint32_t x) { uint32_t t = s->a; s->a = s->d; s->d = t + x; }
static void op_mix(state *s, uint32_t x) { s->a ^= s->c >> 7; s->b += s->d ^ x; }
static void op_sub(state *s, uint32_t x) { s->c -= s->b | x; }
static void op_neg(state *s, uint32_t x) { s->d = ~s->d + (x & 0xff); }

op ops[8] = {op_add, op_xor, op_rot, op_mul, op_swap, op_mix, op_sub, op_neg};

int main(int argc, char **argv) {
	long n = corpus_arg(argc, argv, 40000000);
	enum { PROG = 4096 };
	static uint8_t prog[PROG];
	static uint32_t imm[PROG];
	uint64_t r = 7;
	for (int i = 0; i < PROG; i++) {
		uint64_t x = corpus_rand(&r);
		prog[i] = x & 7;
		imm[i] = (uint32_t)(x >> 32);
	}
	state s = {1, 2, 3, 4};
	for (long i = 0; i < n; i++) {
		int pc = i & (PROG - 1);
		ops[prog[pc]](&s, imm[pc]);
	}
	printf("fnptr %ld %u %u %u %u\n", n, s.a, s.b, s.c, s.d);
	return 0;
}
