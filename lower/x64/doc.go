// Package x64 is the x86-64 back end: instruction selection, the wasm
// calling convention, emission through golang-asm, and the runtime
// routines at the boundary with Go (DESIGN.md §3, §4, §10).
//
// Files (package aarch64 mirrors them when it is written):
//
//	abi.go      registers, the wasm calling convention, signatures
//	asm.go      the x86-64 side of lower.Emitter: arch, rel32 relocations, instruction forms
//	backend.go  Backend (lower.Backend): fixups, padding, register file, ELF/DWARF numbering
//	isel.go     CompileFunc: frame, prologue, register allocation, blocks, branches
//	ops.go      the lowering table (one row per IR op) and the lowerings
//	runtime.go  enter/resume/exit/poll-exit/trap routines, wrappers, host-call stubs
//	simd.go     the SIMD rows of the lowering table and their lowerings
//
// Generated code assumes x86-64-v2 (SSE4.1 ROUNDSD, POPCNT; SIMD also
// SSSE3 PSHUFB and SSE4.2 PCMPGTQ); LZCNT and TZCNT are not used (BSR/BSF
// with a zero check instead), nor AVX.
//
// Scratch registers: R10, R11, XMM14 and XMM15 are never allocated; every
// lowering may use them, and no value lives in them between instructions.
// The poll's inline fast path uses R11 only; its slow path (out of line)
// calls the poll-exit routine, which saves and restores every other
// register, so a poll clobbers nothing the allocator knows about.
package x64
