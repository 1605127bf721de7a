//go:build !race

#include "textflag.h"

// func storeRelease(p *uintptr, v uintptr): x86-64 orders a plain store
// after every earlier load and store (TSO), so it is a store-release.
TEXT ·storeRelease(SB), NOSPLIT, $0-16
	MOVQ p+0(FP), AX
	MOVQ v+8(FP), BX
	MOVQ BX, (AX)
	RET
