#include "textflag.h"

// func Call4(fn, a0, a1, a2, a3 uintptr) uintptr
TEXT ·Call4(SB), NOSPLIT, $0-48
	MOVD fn+0(FP), R9
	MOVD a0+8(FP), R0
	MOVD a1+16(FP), R1
	MOVD a2+24(FP), R2
	MOVD a3+32(FP), R3
	MOVD RSP, R19     // R19 is callee-saved in AAPCS64
	MOVD R19, R10
	AND  $~15, R10
	MOVD R10, RSP
	CALL (R9)
	MOVD R19, RSP
	MOVD R0, ret+40(FP)
	RET

// func G() uintptr
TEXT ·G(SB), NOSPLIT, $0-8
	MOVD g, R0
	MOVD R0, ret+0(FP)
	RET
