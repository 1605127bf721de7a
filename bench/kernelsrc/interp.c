/* interp.c: interp.wat in C: one indirect call per bytecode instruction
 * through a table of handlers; the machine state lives in globals. */
#include "kernels.h"

static const uint8_t prog[8] = {1, 2, 3, 4, 5, 6, 1, 0};
static uint32_t gn, cnt;
static uint64_t acc, x;

static int32_t op_halt(int32_t pc) { return -1; }
static int32_t op_loadn(int32_t pc) { cnt = gn; return pc + 1; }
static int32_t op_muladd(int32_t pc) { acc = acc * 6364136223846793005ull + x; return pc + 1; }
static int32_t op_xorshift(int32_t pc) { acc ^= acc >> 29; return pc + 1; }
static int32_t op_incx(int32_t pc) { x += cnt; return pc + 1; }
static int32_t op_rot(int32_t pc) {
	unsigned k = x & 63;
	acc = acc << k | acc >> ((64 - k) & 63);
	return pc + 1;
}
static int32_t op_decjnz(int32_t pc) {
	cnt--;
	return cnt ? prog[pc + 1] : pc + 2;
}

static int32_t (*const handlers[7])(int32_t) = {op_halt, op_loadn, op_muladd, op_xorshift, op_incx, op_rot, op_decjnz};

/* dispatch is not inlined into a loop gcc could unroll into direct calls:
 * the handler table is read through a volatile pointer. */
static int32_t (*const *volatile table)(int32_t) = handlers;

uint64_t k_interp(uint32_t n) {
	if (n == 0)
		return 0;
	gn = n, acc = 1, x = 0;
	int32_t pc = 0;
	int32_t (*const *t)(int32_t) = table;
	do
		pc = t[prog[pc]](pc);
	while (pc >= 0);
	return acc;
}
