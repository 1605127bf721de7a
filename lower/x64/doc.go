// Package x64 is the x86-64 back end: instruction selection, the wasm
// calling convention, emission through golang-asm, and the runtime
// routines at the boundary with Go (DESIGN.md §3, §4, §10).
//
// Files (package aarch64 mirrors them when it is written):
//
//	abi.go      registers, the wasm calling convention, signatures
//	asm.go      the x86-64 side of lower.Emitter: arch, rel32 relocations, instruction forms
//	backend.go  Backend (lower.Backend): fixups, padding, register file, ELF/DWARF numbering
//	bmi.go      the x86-64-v3 lowerings: TZCNT, LZCNT, BLSR, BLSI, ANDN, SHLX/SHRX/SARX
//	flagsink.go compares fused into their branch across flag-free code (LEA)
//	vex.go      the x86-64-v3 SIMD lowerings: VEX (AVX) three-operand forms
//	isel.go     CompileFunc: frame, prologue, register allocation, blocks, branches
//	ops.go      the lowering table (one row per IR op) and the lowerings
//	runtime.go  enter/resume/exit/poll-exit/trap routines, wrappers, host-call stubs
//	simd.go     the SIMD rows of the lowering table and their lowerings
//
// CPU levels. By default generated code assumes x86-64-v2 (SSE4.1
// ROUNDSD, POPCNT; SIMD also SSSE3 PSHUFB and SSE4.2 PCMPGTQ): ctz and clz
// are BSF/BSR with a CMOV for zero, the bit idioms plain ALU sequences,
// and a shift by a variable count goes through CL. Backend.CPU (from
// compile.Options.CPU, wfxc --cpu; abi.CPULevel) may add extensions, and
// x86-64-v3 adds those bmi.go uses:
//
//	BMI1   ctz → TZCNT; x & (x-1) → BLSR, x & -x → BLSI, ~a & b → ANDN
//	       (the inner value lowered inside the AND, bmiFuse)
//	LZCNT  clz → LZCNT
//	BMI2   shl, shr_s, shr_u by a variable count → SHLX, SARX, SHRX
//	       (any count register, a separate destination, CX not clobbered)
//	AVX    SIMD binops → their 128-bit VEX forms (VPADDD y, x, d: no copy
//	       of x into d), single-input shuffles → VPSHUFB, VPALIGNR (vex.go)
//
// Nothing else changes, and code for x86-64-v2 is the same with or without
// this option. The object's descriptor records the extensions
// (abi.Descriptor.CPU, descriptor version 2), and rt refuses to load the
// code on a CPU without one of them, naming it (rt/cpu.go). AVX2, FMA,
// MOVBE and 256-bit registers are not used, so not required.
//
// Scratch registers: R10, R11, XMM14 and XMM15 are never allocated; every
// lowering may use them, and no value lives in them between instructions.
// The poll's inline fast path uses R11 only; its slow path (out of line)
// calls the poll-exit routine, which saves and restores every other
// register, so a poll clobbers nothing the allocator knows about.
package x64
