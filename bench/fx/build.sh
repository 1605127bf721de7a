#!/bin/sh
# build.sh: regenerates every checked-in .wasm of bench/fx from source.
# Run from anywhere; needs (none of it for tests or `make bench`):
#   Debian bookworm: clang-19, lld-19 (1:19.1.7-3~deb12u1), binaryen (108-1)
#       apt-get install clang-19 lld-19 binaryen
#   npm binaryen 132.0.0 (version_132), for wasm-as/wasm-merge/wasm-opt with
#       stack switching: BINARYEN=/work/npm/node_modules/binaryen/bin by
#       default, installed outside the repo by
#       mkdir -p /work/npm && cd /work/npm && npm install binaryen@132.0.0
#
# Sources are in src/, outputs in wasm/. For each program P in generator
# sieve skynet c10m:
#   P.wasmfx.wasm    clang -O2 (P.c + fiber_wasmfx.c), wasm-merge with
#                    fiber_wasmfx.wat (module "fx"), wasm-opt -O2 -aimfs 4
#                    (npm 132)
#   P.asyncify.wasm  clang -O2 (P.c + fiber_asyncify.c), then Debian's
#                    wasm-opt --asyncify -O2 -aimfs 4
# Both get -aimfs 4 (INLINE): binaryen inlines functions of at most 4
# expressions, so the one-call wrappers of fiber.h (fiber_resume calling
# the "fx" module's resume, fiber_yield its suspend) do not stay frames of
# their own: a suspended fibre returns through each of its frames once
# more after a switch, and a return the return-stack predictor cannot know
# costs ~10 ns (measured; native fibres pay it too, fiber_native.c's
# wrappers call the switch directly).
# Both export run(i64) -> i64 (c10m also spawn, step, finish), import
# nothing, and use no C shadow stack (checked below: the fibres do not
# switch it, so no function may move __stack_pointer).
set -eu

cd "$(dirname "$0")/src"
out=../wasm
BINARYEN=${BINARYEN:-/work/npm/node_modules/binaryen/bin}
CC=clang-19
LD=wasm-ld-19
ASYNCIFY_OPT=/usr/bin/wasm-opt
INLINE="-aimfs 4"
CFLAGS="--target=wasm32 -O2 -nostdlib -std=c11 -Wall -Wextra -Werror"
nb() { tool=$1; shift; node "$BINARYEN/$tool" "$@"; }

$CC --version | head -1
$LD --version
nb wasm-opt --version
$ASYNCIFY_OPT --version

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

nb wasm-as --enable-stack-switching -all fiber_wasmfx.wat -o "$tmp/fx.wasm"
for impl in wasmfx asyncify; do
	$CC $CFLAGS -c fiber_$impl.c -o "$tmp/fiber_$impl.o"
done

for p in generator sieve skynet c10m; do
	$CC $CFLAGS -c $p.c -o "$tmp/$p.o"

	$LD --no-entry --export-table "$tmp/$p.o" "$tmp/fiber_wasmfx.o" -o "$tmp/$p.c.wasm"
	nb wasm-merge -g -all "$tmp/$p.c.wasm" main "$tmp/fx.wasm" fx -o "$tmp/$p.merged.wasm"
	nb wasm-opt -g -all -O2 $INLINE "$tmp/$p.merged.wasm" -o $out/$p.wasmfx.wasm

	$LD --no-entry "$tmp/$p.o" "$tmp/fiber_asyncify.o" -o "$tmp/$p.pre.wasm"
	$ASYNCIFY_OPT -g --asyncify -O2 $INLINE "$tmp/$p.pre.wasm" -o $out/$p.asyncify.wasm

	for w in "$tmp/$p.c.wasm" "$tmp/$p.pre.wasm"; do
		nb wasm-dis -all "$w" | grep -q '(global \$__stack_pointer' ||
			{ echo "$w: no __stack_pointer global (check the check)" >&2; exit 1; }
		if nb wasm-dis -all "$w" | grep -q 'global.set \$__stack_pointer'; then
			echo "$p: uses the C shadow stack, which the fibres do not switch" >&2
			exit 1
		fi
	done
	for w in $out/$p.wasmfx.wasm $out/$p.asyncify.wasm; do
		if nb wasm-dis -all $w | grep '^ (import'; then
			echo "$w: has imports" >&2
			exit 1
		fi
		echo "$w: $(wc -c <$w) bytes"
	done
done
