// Package aarch64 is the arm64 back end: instruction selection, the wasm
// calling convention, emission through golang-asm, and the runtime
// routines at the boundary with Go (DESIGN.md §3, §4, §6, §7, §10),
// mirroring package x64 file by file:
//
//	abi.go      registers, the wasm calling convention, signatures
//	asm.go      the aarch64 side of lower.Emitter: arch, B/BL/ADR fields, golang-asm's traps, instruction forms
//	backend.go  Backend (lower.Backend): fixups, padding, register file, ELF/DWARF numbering
//	isel.go     CompileFunc: frame, prologue, register allocation, blocks, branches
//	ops.go      the lowering table (one row per IR op) and the lowerings
//	exn.go      exceptions: throw, landing pads, handlers
//	cont.go     stack switching: stack_switch, continuation references, raw records
//	runtime.go  enter/resume/exit/poll-exit/trap/fibre-root routines, wrappers, host-call stubs
//	simd.go     the SIMD rows of the lowering table: NEON, hand-encoded words
//
// Scratch registers: X14–X17, V30 and V31 are never allocated; every
// lowering may use them, and no value lives in them between instructions.
// X27 is golang-asm's own scratch: the back end uses it only between two
// adjacent instructions (a float constant's bits, a far Q-register
// address). The poll's inline fast path uses X17 only; its slow path (out
// of line) calls the poll-exit routine, which saves and restores every
// other register, so a poll clobbers nothing the allocator knows about.
//
// The code runs under qemu-aarch64 in the tests (make test runs make
// test-arm64 and example-arm64):
//
//	GOARCH=arm64 go test -exec qemu-aarch64 ./lower/aarch64 ./rt/e2e ./testsuite
//
// The stack-switch path in instructions per iteration, make switch-insns
// (switchinsns.sh: qemu's instruction trace of testdata/switch.wat, the
// same count on both ISAs, per function of the object; loop overhead
// included, the poll exits qemu's slowness causes left out), at 1559a56:
//
//	                                x86-64  aarch64
//	round trip: resume side (caller)   56       64
//	            suspend side           50       52
//	cont.new+resume (caller)           91       96
//	            fibre entry, return    37       45
//	            the empty body         10       13
//	empty call loop (baseline)         19       23
package aarch64
