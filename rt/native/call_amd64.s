#include "textflag.h"

// func Call4(fn, a0, a1, a2, a3 uintptr) uintptr
TEXT ·Call4(SB), NOSPLIT, $0-48
	MOVQ fn+0(FP), AX
	MOVQ a0+8(FP), DI
	MOVQ a1+16(FP), SI
	MOVQ a2+24(FP), DX
	MOVQ a3+32(FP), CX
	MOVQ SP, R12      // R12 is callee-saved in SysV: survives the call
	ANDQ $~15, SP     // SysV wants a 16-byte aligned SP at the call
	CALL AX
	MOVQ R12, SP
	MOVQ AX, ret+40(FP)
	RET

// func G() uintptr
TEXT ·G(SB), NOSPLIT, $0-8
	MOVQ (TLS), AX
	MOVQ AX, ret+0(FP)
	RET
