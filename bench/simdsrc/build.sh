#!/bin/sh
# build.sh: regenerates the checked-in .wasm of the SIMD kernels
# (wasm/NAME.wasm from NAME.c and simd.h). Needs (not for tests or
# `make bench`, which use the checked-in files):
#   Debian bookworm: clang-19, lld-19 (1:19.1.7-3~deb12u1), wasi-libc
#       apt-get install clang-19 lld-19 wasi-libc
# Each module: clang --target=wasm32-wasi -O3 -msimd128 (fixed-width SIMD
# only, no relaxed SIMD), linked without a libc or an entry point; it
# exports run(i32) -> i64 and memory, and imports nothing (checked).
# The native build of the same sources (gcc -O3 -msse4.1) is made at run
# time by bench.BuildNativeSIMD.
set -eu

cd "$(dirname "$0")"
CC=clang-19
CFLAGS="--target=wasm32-wasi -O3 -msimd128 -nostdlib -std=c11 -Wall -Wextra -Werror"
LDFLAGS="-Wl,--no-entry -Wl,--export=run -Wl,--export-memory -Wl,--strip-all -Wl,-z,stack-size=65536"

$CC --version | head -1
mkdir -p wasm
for k in $(sed -n 's/^K(\(.*\))$/\1/p' kernels.def); do
	$CC $CFLAGS $LDFLAGS $k.c -o wasm/$k.wasm
	if wasm-objdump -x wasm/$k.wasm | grep -q '^Import\['; then
		echo "wasm/$k.wasm: has imports" >&2
		exit 1
	fi
	echo "wasm/$k.wasm: $(wc -c <wasm/$k.wasm) bytes"
done
