// Types shared by the cgo preambles of rt/capi (the generated headers
// declare the same ones for the host).
#ifndef WFX_CAPI_H
#define WFX_CAPI_H
#include <stdint.h>
#include <stdlib.h>

typedef int (*wfx_host_fn)(void *user, uint64_t *slots);
typedef struct { const char *module, *name; wfx_host_fn fn; void *user; } wfx_import;

static inline int wfx_call_host(wfx_host_fn fn, void *user, uint64_t *slots) { return fn(user, slots); }
#endif
