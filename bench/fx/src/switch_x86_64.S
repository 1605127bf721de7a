/* The native context switch for fiber_native.c (x86-64 System V, GNU as).
 *
 * int64_t fx_switch(void **save_sp, void *load_sp, int64_t v)
 * Saves the callee-saved registers on the current stack and the stack
 * pointer in *save_sp, switches to load_sp, restores the registers saved
 * there and returns v on that stack. Caller-saved registers need no
 * saving: fx_switch is an ordinary call for both sides. The frame layout
 * (low to high: r15 r14 r13 r12 rbx rbp, return address) must match
 * fibre_init in fiber_native.c. */
	.text
	.globl	fx_switch
	.type	fx_switch, @function
fx_switch:
	pushq	%rbp		/* the six callee-saved registers */
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, (%rdi)	/* where to come back to */
	movq	%rsi, %rsp	/* the other stack */
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	movq	%rdx, %rax	/* v: the other side's fx_switch result */
	popq	%rcx		/* the other side's return address (or fx_start) */
	jmpq	*%rcx		/* not ret: the return-stack predictor would
				   miss every time (measured 43 vs 21 ns per
				   generator round trip) */
	.size	fx_switch, .-fx_switch

/* fx_start is where a fresh fibre's first fx_switch returns to, with
 * r12 = the C entry (fibre_main), r13 = its argument (the handle). It
 * never returns: fibre_main switches away for good. */
	.globl	fx_start
	.type	fx_start, @function
fx_start:
	xorl	%ebp, %ebp	/* end of the frame-pointer chain */
	movq	%r13, %rdi
	callq	*%r12		/* rsp is 16-byte aligned here (fibre_init) */
	ud2
	.size	fx_start, .-fx_start

	.section .note.GNU-stack,"",@progbits
