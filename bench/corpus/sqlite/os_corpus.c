/* os_corpus.c: the operating-system layer of the corpus's SQLite build
 * (compiled with -DSQLITE_OS_OTHER=1, for wasm32-wasi and natively alike,
 * so both builds run the same code). The workload (speedtest1 --memdb)
 * keeps every database and temporary file in memory
 * (-DSQLITE_TEMP_STORE=3), so the VFS opens no files: xOpen fails.
 * Its clock is fixed and its randomness a constant sequence, so every
 * engine prints the same bytes (speedtest1's per-test times all read
 * 0.000s: the bench times the whole process instead). */
#include <string.h>
#include "sqlite3.h"

static int xOpen(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out) {
	(void)vfs, (void)name, (void)flags, (void)out;
	f->pMethods = 0;
	return SQLITE_CANTOPEN;
}

static int xDelete(sqlite3_vfs *vfs, const char *name, int sync) {
	(void)vfs, (void)name, (void)sync;
	return SQLITE_IOERR_DELETE_NOENT;
}

static int xAccess(sqlite3_vfs *vfs, const char *name, int flags, int *res) {
	(void)vfs, (void)name, (void)flags;
	*res = 0;
	return SQLITE_OK;
}

static int xFullPathname(sqlite3_vfs *vfs, const char *name, int n, char *out) {
	(void)vfs;
	sqlite3_snprintf(n, out, "%s", name);
	return SQLITE_OK;
}

static int xRandomness(sqlite3_vfs *vfs, int n, char *out) {
	(void)vfs;
	for (int i = 0; i < n; i++)
		out[i] = (char)(i * 37 + 11);
	return n;
}

static int xSleep(sqlite3_vfs *vfs, int us) {
	(void)vfs;
	return us;
}

/* 2000-01-01 00:00:00 UTC as a Julian day number in milliseconds. */
static int xCurrentTimeInt64(sqlite3_vfs *vfs, sqlite3_int64 *t) {
	(void)vfs;
	*t = (sqlite3_int64)2451544.5 * 86400000 + 43200000;
	return SQLITE_OK;
}

static int xCurrentTime(sqlite3_vfs *vfs, double *t) {
	sqlite3_int64 ms;
	xCurrentTimeInt64(vfs, &ms);
	*t = ms / 86400000.0;
	return SQLITE_OK;
}

static int xGetLastError(sqlite3_vfs *vfs, int n, char *buf) {
	(void)vfs;
	if (n > 0)
		buf[0] = 0;
	return 0;
}

static sqlite3_vfs corpus_vfs = {
	.iVersion = 2,
	.szOsFile = sizeof(sqlite3_file),
	.mxPathname = 512,
	.zName = "corpus",
	.xOpen = xOpen,
	.xDelete = xDelete,
	.xAccess = xAccess,
	.xFullPathname = xFullPathname,
	.xRandomness = xRandomness,
	.xSleep = xSleep,
	.xCurrentTime = xCurrentTime,
	.xGetLastError = xGetLastError,
	.xCurrentTimeInt64 = xCurrentTimeInt64,
};

int sqlite3_os_init(void) { return sqlite3_vfs_register(&corpus_vfs, 1); }

int sqlite3_os_end(void) { return SQLITE_OK; }
