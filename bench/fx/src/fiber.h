/* fiber.h: the tiny fibre API the four benchmark programs are written
 * against. Three implementations: fiber_wasmfx.c + fiber_wasmfx.wat (WasmFX
 * continuations), fiber_asyncify.c (Binaryen Asyncify) and fiber_native.c +
 * switch_x86_64.S (a hand-written x86-64 context switch).
 *
 * A fibre runs fn(arg) on its own stack. fiber_resume(f, v) runs f until it
 * yields or returns and gives back the yielded or returned value;
 * fiber_yield(v) (inside a fibre) goes back to the resumer with v and
 * returns the value of the next fiber_resume of this fibre (the v of the
 * very first resume is dropped). After a resume, fiber_done(f) tells
 * whether f has returned; every fibre is freed with fiber_free once done.
 * Handles are small integers, reused after fiber_free. */
#ifndef FX_FIBER_H
#define FX_FIBER_H

#include <stdint.h>

typedef int32_t fiber_t;
typedef int64_t (*fiber_fn)(int64_t arg);

fiber_t fiber_new(fiber_fn fn, int64_t arg);
int64_t fiber_resume(fiber_t f, int64_t v);
int64_t fiber_yield(int64_t v);
int fiber_done(fiber_t f);
void fiber_free(fiber_t f);

/* The most fibres alive at once (handles are below this). */
#define FIBER_MAX (1 << 17)

/* EXPORT marks the entry points of a program: wasm exports, plain
 * functions in the native build. */
#ifdef __wasm__
#define EXPORT(name) __attribute__((export_name(#name))) name
#else
#define EXPORT(name) name
#endif

#endif
