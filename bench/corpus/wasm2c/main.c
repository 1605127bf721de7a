/* main.c: the host of the wasm2c builds. wasm2c -n prog P.wasm -o prog.c
 * makes prog.c and prog.h; this file gives them the WASI preview 1
 * functions the corpus's programs import (what wasi-libc's start-up,
 * stdio and SQLite's speedtest1 call, and no more: no preopened
 * directories, so path_open and path_unlink_file fail with EBADF) and
 * runs _start. Built by gcc -O2 with wabt's wasm-rt-impl.c (Debian's
 * wabt: /usr/share/wabt/wasm2c, wasm-rt.h in /usr/include). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "prog.h"
#include "wasm-rt-impl.h"

struct Z_wasi_snapshot_preview1_instance_t {
	wasm_rt_memory_t *mem;
	int argc;
	char **argv;
};

enum { WASI_ESUCCESS = 0, WASI_EBADF = 8, WASI_EFAULT = 21, WASI_EINVAL = 28, WASI_EIO = 29, WASI_ESPIPE = 70 };

static u8 *ptr(struct Z_wasi_snapshot_preview1_instance_t *w, u32 p, u32 n) {
	if ((u64)p + n > w->mem->size) {
		fprintf(stderr, "wasi: pointer %u+%u out of memory (%llu bytes)\n", p, n, (unsigned long long)w->mem->size);
		exit(134);
	}
	return w->mem->data + p;
}
static void put32(struct Z_wasi_snapshot_preview1_instance_t *w, u32 p, u32 v) { memcpy(ptr(w, p, 4), &v, 4); }
static void put64(struct Z_wasi_snapshot_preview1_instance_t *w, u32 p, u64 v) { memcpy(ptr(w, p, 8), &v, 8); }
static u32 get32(struct Z_wasi_snapshot_preview1_instance_t *w, u32 p) {
	u32 v;
	memcpy(&v, ptr(w, p, 4), 4);
	return v;
}

u32 Z_wasi_snapshot_preview1Z_args_sizes_get(struct Z_wasi_snapshot_preview1_instance_t *w, u32 argc, u32 size) {
	u32 n = 0;
	for (int i = 0; i < w->argc; i++)
		n += strlen(w->argv[i]) + 1;
	put32(w, argc, w->argc);
	put32(w, size, n);
	return WASI_ESUCCESS;
}

u32 Z_wasi_snapshot_preview1Z_args_get(struct Z_wasi_snapshot_preview1_instance_t *w, u32 argv, u32 buf) {
	for (int i = 0; i < w->argc; i++) {
		u32 n = strlen(w->argv[i]) + 1;
		memcpy(ptr(w, buf, n), w->argv[i], n);
		put32(w, argv + 4 * i, buf);
		buf += n;
	}
	return WASI_ESUCCESS;
}

static int stdfd(u32 fd) { return fd <= 2; }

u32 Z_wasi_snapshot_preview1Z_fd_close(struct Z_wasi_snapshot_preview1_instance_t *w, u32 fd) {
	(void)w;
	return stdfd(fd) ? WASI_ESUCCESS : WASI_EBADF;
}

/* fd_fdstat_get: stdin, stdout and stderr are regular files with every
 * right (what a runtime reports when they are redirected to files, as
 * the bench does: so wasi-libc's stdio buffers fully, on every engine). */
u32 Z_wasi_snapshot_preview1Z_fd_fdstat_get(struct Z_wasi_snapshot_preview1_instance_t *w, u32 fd, u32 out) {
	if (!stdfd(fd))
		return WASI_EBADF;
	u8 *p = ptr(w, out, 24);
	memset(p, 0, 24);
	p[0] = 4;                  /* filetype: regular_file */
	put64(w, out + 8, ~0ULL);  /* rights_base */
	put64(w, out + 16, ~0ULL); /* rights_inheriting */
	return WASI_ESUCCESS;
}

u32 Z_wasi_snapshot_preview1Z_fd_fdstat_set_flags(struct Z_wasi_snapshot_preview1_instance_t *w, u32 fd, u32 flags) {
	(void)w, (void)flags;
	return stdfd(fd) ? WASI_EINVAL : WASI_EBADF;
}

u32 Z_wasi_snapshot_preview1Z_fd_prestat_get(struct Z_wasi_snapshot_preview1_instance_t *w, u32 fd, u32 out) {
	(void)w, (void)fd, (void)out;
	return WASI_EBADF; /* no preopened directories */
}

u32 Z_wasi_snapshot_preview1Z_fd_prestat_dir_name(struct Z_wasi_snapshot_preview1_instance_t *w, u32 fd, u32 p, u32 n) {
	(void)w, (void)fd, (void)p, (void)n;
	return WASI_EBADF;
}

u32 Z_wasi_snapshot_preview1Z_fd_seek(struct Z_wasi_snapshot_preview1_instance_t *w, u32 fd, u64 off, u32 whence, u32 out) {
	(void)off, (void)whence, (void)out, (void)w;
	return stdfd(fd) ? WASI_ESPIPE : WASI_EBADF;
}

static u32 rw(struct Z_wasi_snapshot_preview1_instance_t *w, u32 fd, u32 iovs, u32 n, u32 out, int writing) {
	if (!stdfd(fd))
		return WASI_EBADF;
	u32 total = 0;
	for (u32 i = 0; i < n; i++) {
		u32 buf = get32(w, iovs + 8 * i), len = get32(w, iovs + 8 * i + 4);
		u8 *p = ptr(w, buf, len);
		while (len > 0) {
			ssize_t k = writing ? write(fd, p, len) : read(fd, p, len);
			if (k < 0 && errno == EINTR)
				continue;
			if (k < 0)
				return WASI_EIO;
			if (k == 0)
				goto done;
			total += k, p += k, len -= k;
			if (!writing)
				goto done;
		}
	}
done:
	put32(w, out, total);
	return WASI_ESUCCESS;
}

u32 Z_wasi_snapshot_preview1Z_fd_write(struct Z_wasi_snapshot_preview1_instance_t *w, u32 fd, u32 iovs, u32 n, u32 out) {
	return rw(w, fd, iovs, n, out, 1);
}

u32 Z_wasi_snapshot_preview1Z_fd_read(struct Z_wasi_snapshot_preview1_instance_t *w, u32 fd, u32 iovs, u32 n, u32 out) {
	return rw(w, fd, iovs, n, out, 0);
}

u32 Z_wasi_snapshot_preview1Z_path_open(struct Z_wasi_snapshot_preview1_instance_t *w, u32 dirfd, u32 lookup, u32 path,
                                        u32 pathlen, u32 oflags, u64 base, u64 inh, u32 fdflags, u32 out) {
	(void)w, (void)dirfd, (void)lookup, (void)path, (void)pathlen, (void)oflags, (void)base, (void)inh, (void)fdflags, (void)out;
	return WASI_EBADF;
}

u32 Z_wasi_snapshot_preview1Z_path_unlink_file(struct Z_wasi_snapshot_preview1_instance_t *w, u32 dirfd, u32 path, u32 n) {
	(void)w, (void)dirfd, (void)path, (void)n;
	return WASI_EBADF;
}

void Z_wasi_snapshot_preview1Z_proc_exit(struct Z_wasi_snapshot_preview1_instance_t *w, u32 code) {
	(void)w;
	exit((int)code); /* stdio of the guest wrote through fd_write already */
}

int main(int argc, char **argv) {
	static struct Z_wasi_snapshot_preview1_instance_t wasi;
	static Z_prog_instance_t inst;
	wasi.argc = argc, wasi.argv = argv;
	wasm_rt_init();
	Z_prog_init_module();
	Z_prog_instantiate(&inst, &wasi);
	wasi.mem = Z_progZ_memory(&inst);
	wasm_rt_trap_t trap = wasm_rt_impl_try();
	if (trap != WASM_RT_TRAP_NONE) {
		fprintf(stderr, "wasm trap: %s\n", wasm_rt_strerror(trap));
		return 134;
	}
	Z_progZ__start(&inst);
	Z_prog_free(&inst);
	wasm_rt_free();
	return 0;
}
