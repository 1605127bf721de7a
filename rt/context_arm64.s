//go:build !race

#include "textflag.h"

// func storeRelease(p *uintptr, v uintptr)
TEXT ·storeRelease(SB), NOSPLIT, $0-16
	MOVD p+0(FP), R0
	MOVD v+8(FP), R1
	STLR R1, (R0)
	RET
