/* kernels.h: the C versions of the kernels in ../../examples/kernels, each the same
 * algorithm with the same operations in the same order (so checksums,
 * f64 ones included, match bit for bit), built natively by gcc -O2 for the
 * "native" column of cmd/compare. Each returns run(n)'s result bits. */
#include <stdint.h>

uint64_t k_matmul(uint32_t n);
uint64_t k_sieve(uint32_t n);
uint64_t k_hash(uint32_t n);
uint64_t k_fib(uint32_t n);
uint64_t k_crc32(uint32_t n);
uint64_t k_nbody(uint32_t n);
uint64_t k_interp(uint32_t n);
