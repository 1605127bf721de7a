// Package lower is the machine-independent back end: the interface between
// the back ends and the compile driver (Compiled code with its fixups, PC
// sites and CFI rows, in lower.go), the register allocator (regalloc.go,
// with its algorithm essay) and parallel-move sequencing (moves.go). The
// ISA-specific parts live in lower/x64 and lower/aarch64.
package lower
