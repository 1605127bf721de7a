#!/bin/sh
# sqlite.sh: fetches SQLite's source from Debian (apt-get source sqlite3),
# makes the amalgamation and builds the corpus's SQLite program: SQLite's
# own speed workload, test/speedtest1.c, with os_corpus.c (no files, a
# fixed clock: every engine prints the same bytes).
#
#   sqlite.sh           fetch the sources into build/ (gitignored) if absent
#   sqlite.sh -wasm     also build build/sqlite.wasm and copy it to the
#                       checked-in ../wasm/sqlite.wasm
#
# Needs: dpkg-dev (dpkg-source), deb-src lines for Debian bookworm in
# /etc/apt/sources.list.d (Types: deb-src), tclsh and a C compiler for
# the amalgamation, clang-19 lld-19 wasi-libc libclang-rt-19-dev-wasm32 for
# the wasm build. The bench (corpus.go) builds the native program (gcc
# -O2) from build/sqlite3.c itself and skips SQLite, saying so, when
# build/ is absent.
#
# The wasm build, as ../build.sh builds the other programs (a PATH with
# only clang-19 and wasm-ld-19, so no wasm-opt runs):
#   clang-19 --target=wasm32-wasi -O2 --sysroot=/usr -Wl,--strip-debug $DEFS \
#       -Ibuild build/sqlite3.c build/speedtest1.c os_corpus.c -o sqlite.wasm
# and the native one (corpus.go): gcc -O2 $DEFS the same files -lm.
set -eu
cd "$(dirname "$0")"
DEFS="-DSQLITE_OS_OTHER=1 -DSQLITE_THREADSAFE=0 -DSQLITE_TEMP_STORE=3 -DSQLITE_OMIT_LOAD_EXTENSION=1"
VERSION=3.40.1-2+deb12u2 # Debian bookworm's; apt-get source takes the newest the sources list has
mkdir -p build
if [ ! -f build/sqlite3.c ] || [ ! -f build/speedtest1.c ]; then
	src=$(mktemp -d)
	trap 'rm -rf "$src"' EXIT
	(cd "$src" && apt-get source sqlite3) || {
		echo "sqlite.sh: apt-get source sqlite3 failed: it needs dpkg-dev and deb-src lines in /etc/apt/sources.list.d" >&2
		exit 1
	}
	dir=$(ls -d "$src"/sqlite3-*/)
	echo "sqlite.sh: $(ls "$src"/*.dsc) (this script was written for $VERSION)"
	mkdir "$src/bld"
	(cd "$src/bld" && "$dir/configure" --quiet >/dev/null && make sqlite3.c >/dev/null)
	cp "$src/bld/sqlite3.c" "$src/bld/sqlite3.h" "$dir/test/speedtest1.c" build/
	basename "$(ls "$src"/*.dsc)" >build/VERSION
fi
if [ "${1:-}" = -wasm ]; then
	bin=$(mktemp -d)
	ln -s "$(command -v clang-19)" "$bin/clang-19"
	ln -s "$(command -v wasm-ld-19)" "$bin/wasm-ld-19"
	env PATH="$bin" clang-19 --target=wasm32-wasi -O2 --sysroot=/usr -Wl,--strip-debug $DEFS \
		-Ibuild build/sqlite3.c build/speedtest1.c os_corpus.c -o build/sqlite.wasm
	rm -rf "$bin"
	echo "build/sqlite.wasm: $(wc -c <build/sqlite.wasm) bytes"
	cp build/sqlite.wasm ../wasm/sqlite.wasm
	echo "wrote ../wasm/sqlite.wasm"
fi
