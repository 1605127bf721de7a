/* fib.c: fib.wat in C. */
#include "kernels.h"

__attribute__((noinline)) static uint64_t fib(uint32_t n) {
	if (n < 2)
		return n;
	return fib(n - 1) + fib(n - 2);
}

uint64_t k_fib(uint32_t n) { return fib(n); }
