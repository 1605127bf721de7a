// Package lower is the machine-independent back end (DESIGN.md §2, "the
// seam"): the Backend interface a target implements, and everything a
// target reuses instead of writing it again.
//
//	backend.go     Backend: what compile asks a target for (code, runtime routines,
//	               wrappers, stubs, fixup patching, padding, register file, ELF/DWARF numbering)
//	backends/      the registry: For(abi.Arch) → Backend; the only importer of lower/<arch>
//	lower.go       Compiled code with its Fixups, Sites, CFI and line rows; Runtime* indices
//	emit.go        Emitter over golang-asm Progs: refs, fixups, sites, lines, CFI marks,
//	               literal pool, jump tables, PC resolution (EmitArch is the ISA hook)
//	frame.go       frame layout from a FrameSpec (saved registers, spill area, outgoing args)
//	boundscheck.go bounds-check merging within a block
//	edgemoves.go   the parallel moves of a CFG edge (phis), via ir.Block.PredIndex
//	moves.go       sequencing of parallel moves (cycles through a scratch register)
//	regalloc.go    the register allocator's essay and driver, by phase:
//	               linearize.go, intervals.go (numbering, intervals, weights),
//	               liveness.go (ComputeLiveness, exported for stack maps and landing
//	               pads), linearscan.go, slots.go
//	lowertest/     the back-end test harness: program builders with reference
//	               semantics, the random-program generator, the IR-file runner, the
//	               op-table check; every back end runs it (lowertest.Run)
//
// # Adding a back end (lower/aarch64 next)
//
//  1. Package lower/<arch> mirroring lower/x64's files (doc.go lists them):
//     abi.go (registers, calling convention), asm.go (the lower.EmitArch hook:
//     arch init, relocations, padding, instruction forms), isel.go
//     (CompileFunc: frame via lower.LayoutFrame, prologue, lower.Allocate,
//     blocks and branches, lower.EdgeMoves, lower.BoundsChecks), ops.go (the
//     lowering table: one row per ir.Op, a lowering or an unsupported
//     reason), runtime.go (enter, resume, exit, poll-exit, trap, wrappers,
//     host-call stubs).
//  2. backend.go: a type implementing lower.Backend (PatchFixup for the
//     arch's branch/call forms, CodeAlign and Pad, Registers, Machine with
//     e_machine and the DWARF register numbers).
//  3. Register it in lower/backends/backends.go; compile, cmd/wfxc
//     (--target) and the descriptor then take the arch as they are.
//  4. rt/abi contract.go: the arch's Contract row (ectx and frame-pointer
//     registers, exit save area, landing-pad entry, switch payload register),
//     checked by a test like x64's TestContract_matchesRuntime; rt/native: the Go-side shims for
//     GOARCH; rt refuses objects of another arch by itself (checkDescriptor).
//  5. Tests: a lowertest_test.go like x64's (lowertest.Run, RunFiles,
//     OpTableComplete), the conformance test in lower/backends runs for the new
//     entry, encoding rows cross-checked with golang.org/x/arch, and the
//     link-and-run tests under qemu-<arch>.
//
// # Adding an op
//
//  1. ir/op.go: the Op constant with a one-line comment, and its row: Name,
//     Args, Effect, Aux and Aux2 kinds, Access (memory ops). TestOpTableComplete
//     fails until the row is whole; the verifier checks Aux from the row.
//  2. ir/eval.go (pure ops, shared by constant folding and the interpreter)
//     or ir/interp/interp.go (the rest); a ; run: case in ir/testdata/*.ir.
//  3. The producer: frontend/translate*.go emits it (add a frontend/testdata
//     golden case), or an ir pass creates it.
//  4. Each back end's ops.go lowering table: a row with its lowering, or an
//     explicit unsupported reason. lowertest.OpTableComplete fails without it;
//     extend lowertest.OpSample if the op needs particular operands.
//  5. If it calls into rt: a row in the rt/abi libcall table (the verifier
//     checks the site against it, rt dispatches from it).
package lower
