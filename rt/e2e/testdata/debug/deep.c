// deep.c: three calls deep from the export run, for the gdb test in
// rt/e2e/debug_test.go (TestDebug_gdbSourceLines). Built by:
//
//	clang-19 --target=wasm32-wasi -g -O0 -mexec-model=reactor \
//	    -Wl,--export=run -o deep.wasm deep.c
//
// (Debian packages clang-19, lld-19, wasi-libc, libclang-rt-19-dev-wasm32.)
// deep.wasm is checked in, so the test needs no clang.

static volatile int sink;

__attribute__((noinline)) int leaf(int x) {
	sink += x; // the breakpoint's line
	return sink * 2;
}

__attribute__((noinline)) int middle(int x) {
	int r = leaf(x + 1);
	return r + 1;
}

__attribute__((noinline)) int outer(int x) {
	int r = middle(x * 2);
	return r + 2;
}

int run(int x) {
	return outer(x) + 3;
}
