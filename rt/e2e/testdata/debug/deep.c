// deep.c: three calls deep from the export run, for the gdb tests in
// rt/e2e/debug_test.go (TestDebug_gdbSourceLines, TestDebug_gdbWfxcBuild).
// Built in this directory by
//
//	clang-19 --target=wasm32-wasi -g -O0 -fdebug-prefix-map=$PWD=. \
//	    -mexec-model=reactor -Wl,--export=run -o deep.wasm deep.c
//	clang-19 --target=wasm32-wasi -g -O0 -fdebug-prefix-map=$PWD=. \
//	    -o deep_cmd.wasm deep.c
//
// (a reactor for the Go host and a WASI command for wfxc build; -O0
// because clang runs wasm-opt at -O1 and above when it is installed, which
// drops the DWARF). Debian packages: clang-19 lld-19 wasi-libc
// libclang-rt-19-dev-wasm32. The .wasm files are checked in, so the tests
// need no clang.

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

int main(void) {
	return run(5) == 28 ? 0 : 1;
}
