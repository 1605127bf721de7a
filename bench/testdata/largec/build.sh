#!/bin/sh
# Builds largec.wasm from largec.c (go run gen.go > largec.c) with clang 19
# and wasi-libc (Debian: apt-get install clang-19 lld-19 wasi-libc
# libclang-rt-19-dev-wasm32). A reactor: no _start, run is exported.
# Compiled with -O2 and linked without it: clang's driver would otherwise
# run wasm-opt when it is installed, which inlines most functions away.
set -e
cd "$(dirname "$0")"
clang-19 --target=wasm32-wasi --sysroot=/usr -O2 -c -o /tmp/largec.o largec.c
clang-19 --target=wasm32-wasi --sysroot=/usr -mexec-model=reactor -Wl,--strip-debug -o largec.wasm /tmp/largec.o
rm -f /tmp/largec.o
