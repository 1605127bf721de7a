#!/bin/sh
# build.sh: regenerates the checked-in wasm/*.wasm of bench/corpus from
# src/*.c. Run from anywhere; needs (none of it for tests or `make bench`):
#   Debian trixie/bookworm: clang-19 lld-19 wasi-libc libclang-rt-19-dev-wasm32
#       apt-get install clang-19 lld-19 wasi-libc libclang-rt-19-dev-wasm32
# Each program is one C file (plus corpus.h), built as a WASI command:
#   clang-19 --target=wasm32-wasi -O2 --sysroot=/usr -Wl,--strip-debug P.c -lm -o wasm/P.wasm
# with a PATH that holds only clang-19 and wasm-ld-19: clang runs
# `wasm-opt -O2` on its output whenever a wasm-opt is on the PATH (and
# that strips the name section), so the output would depend on whether
# and which binaryen is installed. The name section stays (function names
# for profiles); wasi-libc's DWARF is stripped.
# The native builds (gcc -O2 P.c -lm) and the wasm2c builds are made at
# run time by the bench (corpus.go); SQLite by sqlite.sh.
set -eu
cd "$(dirname "$0")/src"
CFLAGS="--target=wasm32-wasi -O2 --sysroot=/usr -Wall -Wextra -Werror -Wl,--strip-debug"
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
ln -s "$(command -v clang-19)" "$bin/clang-19"
ln -s "$(command -v wasm-ld-19)" "$bin/wasm-ld-19"
CC="env PATH=$bin clang-19"
$CC --version | head -1
for c in *.c; do
	p=${c%.c}
	$CC $CFLAGS $c -lm -o ../wasm/$p.wasm
	echo "wasm/$p.wasm: $(wc -c <../wasm/$p.wasm) bytes"
done
