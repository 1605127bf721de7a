/* simd.h: the small vector layer of the SIMD kernels. Each kernel is
 * written once against these macros; built for wasm (clang -msimd128) they
 * are wasm_simd128.h intrinsics, built natively (gcc -msse4.1) SSE up to
 * SSE4.1 intrinsics, one instruction per macro where SSE has one, so both
 * sides run the same algorithm with the same lane operations in the same
 * order (float results agree bit for bit: no FMA on either side). Kernels
 * marked "autovectorised" use none of this: plain C loops that clang and
 * gcc vectorise by themselves at -O3.
 *
 * vi is a vector of integers, vf of f32 lanes (one type, v128_t, in wasm).
 *
 * Every kernel is uint64_t k_NAME(uint32_t n): n passes over data it
 * initialises on its first call, a checksum of every pass. Each pass
 * depends on the pass number (an element changed for the pass, another needle), so no
 * compiler can compute one pass for all. KERNEL(name) exports k_NAME as
 * run(n) in the wasm build. */
#ifndef SIMD_H
#define SIMD_H

#include <stdint.h>

#if defined(__wasm__)
#include <wasm_simd128.h>
typedef v128_t vi;
typedef v128_t vf;
#define vi_load(p) wasm_v128_load(p)
#define vi_store(p, v) wasm_v128_store((p), (v))
#define vi_splat8(x) wasm_i8x16_splat(x)
#define vi_zero() wasm_i32x4_const_splat(0)
#define vi_eq8(a, b) wasm_i8x16_eq((a), (b))
#define vi_and(a, b) wasm_v128_and((a), (b))
#define vi_or(a, b) wasm_v128_or((a), (b))
#define vi_min8u(a, b) wasm_u8x16_min((a), (b))
#define vi_bitmask8(v) ((uint32_t)wasm_i8x16_bitmask(v))
#define vi_dot16(a, b) wasm_i32x4_dot_i16x8((a), (b))
#define vi_add32(a, b) wasm_i32x4_add((a), (b))
#define vi_lane32(v, i) ((uint32_t)wasm_i32x4_extract_lane((v), (i)))
#define vi_bswap32(v) wasm_i8x16_shuffle((v), (v), 3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12)
#define vf_load(p) wasm_v128_load(p)
#define vf_store(p, v) wasm_v128_store((p), (v))
#define vf_splat(x) wasm_f32x4_splat(x)
#define vf_zero() wasm_f32x4_const_splat(0)
#define vf_add(a, b) wasm_f32x4_add((a), (b))
#define vf_mul(a, b) wasm_f32x4_mul((a), (b))
#define vf_lane(v, i) wasm_f32x4_extract_lane((v), (i))
#define KERNEL(name)                                                                               \
	__attribute__((export_name("run"))) uint64_t run(uint32_t n) { return k_##name(n); }
#else
#include <smmintrin.h>
typedef __m128i vi;
typedef __m128 vf;
#define vi_load(p) _mm_loadu_si128((const __m128i *)(const void *)(p))
#define vi_store(p, v) _mm_storeu_si128((__m128i *)(void *)(p), (v))
#define vi_splat8(x) _mm_set1_epi8((char)(x))
#define vi_zero() _mm_setzero_si128()
#define vi_eq8(a, b) _mm_cmpeq_epi8((a), (b))
#define vi_and(a, b) _mm_and_si128((a), (b))
#define vi_or(a, b) _mm_or_si128((a), (b))
#define vi_min8u(a, b) _mm_min_epu8((a), (b))
#define vi_bitmask8(v) ((uint32_t)_mm_movemask_epi8(v))
#define vi_dot16(a, b) _mm_madd_epi16((a), (b))
#define vi_add32(a, b) _mm_add_epi32((a), (b))
#define vi_lane32(v, i) ((uint32_t)_mm_extract_epi32((v), (i)))
#define vi_bswap32(v) _mm_shuffle_epi8((v), _mm_setr_epi8(3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12))
#define vf_load(p) _mm_loadu_ps(p)
#define vf_store(p, v) _mm_storeu_ps((p), (v))
#define vf_splat(x) _mm_set1_ps(x)
#define vf_zero() _mm_setzero_ps()
#define vf_add(a, b) _mm_add_ps((a), (b))
#define vf_mul(a, b) _mm_mul_ps((a), (b))
static inline float vf_lane_(vf v, int i) {
	float f[4];
	_mm_storeu_ps(f, v);
	return f[i];
}
#define vf_lane(v, i) vf_lane_((v), (i))
#define KERNEL(name)
#endif

/* mix folds one pass's result into the checksum (FNV-1a style). */
static inline uint64_t mix(uint64_t h, uint64_t x) { return (h ^ x) * 0x100000001b3ull; }

/* xorshift32, for the test data. */
static inline uint32_t rnd(uint32_t *s) {
	uint32_t x = *s;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *s = x;
}

static inline uint64_t f64bits(double d) {
	union {
		double d;
		uint64_t u;
	} u = {d};
	return u.u;
}

#endif
