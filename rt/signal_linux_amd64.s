#include "textflag.h"

// Offsets into the Linux x86-64 ucontext: uc_mcontext starts at 40, and its
// gregs are R8..R15, RDI, RSI, RBP, RBX, RDX, RAX, RCX, RSP, RIP.
#define UC_RAX 144
#define UC_RCX 152
#define UC_RIP 168

// guardSigtramp is the SIGSEGV/SIGBUS handler (SysV convention: DI = signal,
// SI = siginfo, DX = ucontext), installed by rt_sigaction with the flags and
// restorer of Go's handler, running on whatever stack Go's sigaltstack gives.
// It takes no locks and touches no Go state: if the faulting PC lies in a
// registered range it rewrites the context so that execution resumes at the
// range's trap routine with CX = the trap code and AX = the faulting PC (as
// an explicit check's out-of-line stub would), and returns through the
// restorer (rt_sigreturn). Anything else goes to the previous handler (Go's)
// with the registers and stack it was given, as if it had been called
// directly.
TEXT ·guardSigtramp(SB), NOSPLIT|NOFRAME, $0
	MOVQ UC_RIP(DX), R8
	MOVL ·guardCount(SB), R9
	LEAQ ·guardRanges(SB), R10
loop:
	TESTL R9, R9
	JZ chain
	MOVQ 0(R10), R11        // start
	CMPQ R8, R11
	JCS next
	MOVQ 8(R10), R11        // end
	CMPQ R8, R11
	JCC next
	MOVQ 16(R10), R11       // trap routine
	TESTQ R11, R11
	JZ next
	MOVQ R8, UC_RAX(DX)
	MOVQ 24(R10), R8        // trap code
	MOVQ R8, UC_RCX(DX)
	MOVQ R11, UC_RIP(DX)
	RET
next:
	ADDQ $32, R10
	DECL R9
	JMP loop
chain:
	LEAQ ·guardPrev(SB), R10
	MOVL DI, R9
	ANDL $31, R9
	MOVQ (R10)(R9*8), R11
	JMP R11

// func guardSigtrampPC() uintptr
TEXT ·guardSigtrampPC(SB), NOSPLIT, $0-8
	LEAQ ·guardSigtramp(SB), AX
	MOVQ AX, ret+0(FP)
	RET

// func guardProbe(p uintptr) (code, pc uintptr)
//
// guardProbe loads a byte from p: the self-test of the handler. A fault at
// the load (guardProbeLoad's first instruction, the registered range)
// resumes at guardProbeTrap with the code and PC the handler set; a load
// that succeeds returns (0, 0).
TEXT ·guardProbe(SB), NOSPLIT, $0-24
	MOVQ p+0(FP), DX
	XORL CX, CX
	XORL AX, AX
	JMP ·guardProbeLoad(SB)

// guardProbeLoad and guardProbeTrap run in guardProbe's frame (reached by
// JMP): the results are at 16(SP) and 24(SP) of the hardware SP.
TEXT ·guardProbeLoad(SB), NOSPLIT|NOFRAME, $0-0
	MOVBLZX (DX), DX
	JMP ·guardProbeTrap(SB)

TEXT ·guardProbeTrap(SB), NOSPLIT|NOFRAME, $0-0
	MOVQ CX, 16(SP)
	MOVQ AX, 24(SP)
	RET

// func guardProbePCs() (load, trap uintptr)
TEXT ·guardProbePCs(SB), NOSPLIT, $0-16
	LEAQ ·guardProbeLoad(SB), AX
	MOVQ AX, load+0(FP)
	LEAQ ·guardProbeTrap(SB), AX
	MOVQ AX, trap+8(FP)
	RET
