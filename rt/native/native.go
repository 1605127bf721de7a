// Package native holds the few assembly shims through which Go calls
// generated code, and helpers to map executable memory. It never calls back
// into Go from native code (DESIGN.md §3).
package native

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// Call4 calls the native function at fn with the platform C convention
// (SysV on amd64, AAPCS64 on arm64), passing up to four integer arguments,
// and returns its integer result. It runs on the goroutine stack, so fn must
// switch to a stack of its own before using more than a few hundred bytes
// (the enter trampoline does).
func Call4(fn, a0, a1, a2, a3 uintptr) uintptr

// G returns the current goroutine's g pointer (for the preemption poll).
func G() uintptr

// Exec is a mapping of executable code.
type Exec struct {
	Mem []byte
}

// MapExec copies code into a fresh read+execute mapping.
func MapExec(code []byte) (*Exec, error) {
	n := len(code)
	if n == 0 {
		n = 1
	}
	pg := unix.Getpagesize()
	size := (n + pg - 1) &^ (pg - 1)
	mem, err := unix.Mmap(-1, 0, size, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANON)
	if err != nil {
		return nil, fmt.Errorf("map code: %w", err)
	}
	copy(mem, code)
	if err := unix.Mprotect(mem, unix.PROT_READ|unix.PROT_EXEC); err != nil {
		unix.Munmap(mem)
		return nil, fmt.Errorf("protect code: %w", err)
	}
	return &Exec{Mem: mem}, nil
}

// Addr returns the address of byte off of the mapping.
func (e *Exec) Addr(off int) uintptr { return uintptrOf(e.Mem, off) }

// Free unmaps the code.
func (e *Exec) Free() error { return unix.Munmap(e.Mem) }
