#include "textflag.h"

// func Call4(fn, a0, a1, a2, a3 uintptr) uintptr
TEXT ·Call4(SB), NOSPLIT, $0-48
	MOVQ fn+0(FP), AX
	MOVQ a0+8(FP), DI
	MOVQ a1+16(FP), SI
	MOVQ a2+24(FP), DX
	MOVQ a3+32(FP), CX
	// SP stays as it is (no 16-byte alignment): fn is the enter or resume
	// trampoline, which switches to the native stack before it calls
	// anything, and debuggers find this frame's CFA at SP+8.
	CALL AX
	MOVQ AX, ret+40(FP)
	RET

// func G() uintptr
TEXT ·G(SB), NOSPLIT, $0-8
	MOVQ (TLS), AX
	MOVQ AX, ret+0(FP)
	RET
