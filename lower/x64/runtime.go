package x64

// Runtime routines, array-call wrappers and host-call stubs: the code at
// the boundary between Go and generated code (rt/abi/abi.go).
//
// Host-side save layout, shared by enter, resume and exit (from the host
// SP saved in ectx.HostSP upwards): R15, R14, R13, R12, RBX, RBP, return
// address into the Go caller. The native-side layout saved by exit is the
// exit save area of x86-64's row in rt/abi contract.go (nativeSaved pushed
// in order, under the return address into the generated code after its
// `call exit`; TestContract_matchesRuntime keeps the two in step).

import (
	"github.com/twitchyliquid64/golang-asm/obj"
	"github.com/twitchyliquid64/golang-asm/obj/x86"
	"sync"

	"wfxc/ir"
	"wfxc/lower"
	"wfxc/objfile"
	"wfxc/rt/abi"
)

var (
	hostSaved   = []int16{x86.REG_BX, x86.REG_R12, x86.REG_R13, x86.REG_R14, x86.REG_R15} // pushed after RBP
	nativeSaved = []int16{x86.REG_BP, x86.REG_BX, x86.REG_R12, x86.REG_R13, x86.REG_R14}
)

func mustAssemble(a *asm, name string) *lower.Compiled {
	c, err := a.Assemble(name)
	if err != nil {
		// The routines are fixed code: an error here is a bug in this file.
		panic(err)
	}
	return c
}

// frameRecord emits push rbp; mov rbp, rsp with its CFI rows.
func frameRecord(a *asm) {
	a.CFIAfter(nil, lower.CFIRow{CFAReg: lower.CFARegSP, CFAOffset: 8})
	p := a.push(regAddr(x86.REG_BP))
	a.CFIAfter(p, lower.CFIRow{CFAReg: lower.CFARegSP, CFAOffset: 16, FPSaved: true})
	p = a.op(x86.AMOVQ, regAddr(x86.REG_SP), regAddr(x86.REG_BP))
	a.CFIAfter(p, lower.CFIRow{CFAReg: lower.CFARegFP, CFAOffset: 16, FPSaved: true})
}

// hostFrame is the size of the host save area with the return address
// into the host: ectx.HostSP + hostFrame is the CFA of the host's call of
// enter or resume.
var hostFrame = 8 * (int32(len(hostSaved)) + 2)

// dwarfR15 is R15's DWARF register number (the pinned ectx).
const dwarfR15 = 15

// hostCFA is the CFI row of code that runs on the native stack (or with
// RBP no longer the host's) while R15 = ectx: the CFA is that of the
// host's call, found through the host SP saved in ectx, so debuggers and
// perf --call-graph dwarf unwind from generated code into the host.
// Our own frame-pointer walks stop at the cleared RBP as before.
var hostCFA = lower.CFIRow{CFAExpr: objfile.CFAExprDerefReg(dwarfR15, abi.EctxHostSP, uint32(hostFrame)), FPSaved: true}

// dwarfRAX is RAX's DWARF register number (backend.go has the others).
const dwarfRAX = 0

// trapCFI is the CFI row of the trap routine: the CFA is the trapping
// function's RSP (the routine is jumped to), the caller's PC is the
// trapping PC in RAX and RBP is the trapping frame's, unchanged, so
// unwinders show the trapping frame itself, at its trapping instruction.
var trapCFI = lower.CFIRow{CFAReg: lower.CFARegSP, CFAOffset: 0, Rules: objfile.RuleInReg(dwarfRA, dwarfRAX)}

// fibreRootCFI is the CFI row of fibre_root (rt/abi cont.go). A fibre's
// entry function returns to fibre_root+1, so at fibre_root RSP is the
// fibre's top - FibreRootCFA, just under its control context {SP, FP,
// IP}, which holds the resumer's stack pointer (the parent link), frame
// pointer and resume point while the fibre runs. The CFA is the
// resumer's RSP, read from the parent link (the technique corosensei
// documents: a DW_CFA_def_cfa_expression that dereferences it), and the
// resumer's RIP and RBP are in the context, so DWARF unwinders continue
// in the resumer with its true registers, as frame-pointer walks do
// through the same context's {FP, IP} frame record.
var fibreRootCFI = func() lower.CFIRow {
	ctx := int32(abi.FibreRootCFA - abi.ContCtxSize) // the context, from RSP
	return lower.CFIRow{
		CFAExpr: objfile.CFAExprDerefReg(dwarfRSP, ctx+abi.StackCtxSP, 0),
		Rules: objfile.RuleSavedAt(dwarfRA, objfile.ExprRegOffset(dwarfRSP, ctx+abi.StackCtxIP)) +
			objfile.RuleSavedAt(dwarfRBP, objfile.ExprRegOffset(dwarfRSP, ctx+abi.StackCtxFP)),
	}
}()

// hostSave pushes the host's callee-saved registers after the frame
// record and stores RSP in ectx.HostSP (ectx in RDI), then sets R15;
// from there on the CFA is found through ectx (hostCFA).
func hostSave(a *asm) {
	for _, r := range hostSaved {
		a.push(regAddr(r))
	}
	a.op(x86.AMOVQ, regAddr(x86.REG_SP), memAddr(x86.REG_DI, abi.EctxHostSP))
	p := a.op(x86.AMOVQ, regAddr(x86.REG_DI), regAddr(x86.REG_R15))
	a.CFIAfter(p, hostCFA)
}

// hostReturn switches to the host stack (RSP = ectx.HostSP), moves (with
// mov) the exit code from src to RAX, pops the host's registers and
// returns to the Go caller.
func hostReturn(a *asm, mov obj.As, src obj.Addr) {
	p := a.op(x86.AMOVQ, memAddr(x86.REG_R15, abi.EctxHostSP), regAddr(x86.REG_SP))
	a.CFIAfter(p, lower.CFIRow{CFAReg: lower.CFARegSP, CFAOffset: hostFrame, FPSaved: true})
	a.op(mov, src, regAddr(x86.REG_AX))
	for i := len(hostSaved) - 1; i >= 0; i-- {
		p = a.op1(x86.APOPQ, regAddr(hostSaved[i]))
		a.CFIAfter(p, lower.CFIRow{CFAReg: lower.CFARegSP, CFAOffset: hostFrame - 8*int32(len(hostSaved)-i), FPSaved: true})
	}
	p = a.op1(x86.APOPQ, regAddr(x86.REG_BP))
	a.CFIAfter(p, lower.CFIRow{CFAReg: lower.CFARegSP, CFAOffset: 8})
	a.op0(obj.ARET)
}

// Runtime returns the enter, resume, exit, poll-exit and trap routines.
// They do not depend on the module, so they are assembled once per process;
// callers must not modify the results.
func Runtime() [lower.NumRuntime]*lower.Compiled {
	runtimeOnce.Do(func() { runtimeRoutines = assembleRuntime() })
	return runtimeRoutines
}

var (
	runtimeOnce     sync.Once
	runtimeRoutines [lower.NumRuntime]*lower.Compiled
)

func assembleRuntime() [lower.NumRuntime]*lower.Compiled {
	var rs [lower.NumRuntime]*lower.Compiled

	// enter(RDI=ectx, RSI=fn, RDX=vmctx, RCX=args) → RAX exit code.
	a := newAsm()
	frameRecord(a)
	hostSave(a)
	a.op(x86.AMOVQ, memAddr(x86.REG_R15, abi.EctxStackTop), regAddr(x86.REG_SP)) // native stack
	a.op(x86.AXORL, regAddr(x86.REG_BP), regAddr(x86.REG_BP))                    // frame-pointer walks end here
	a.op(x86.AMOVQ, regAddr(x86.REG_SI), regAddr(x86.REG_AX))
	a.op(x86.AMOVQ, regAddr(x86.REG_DX), regAddr(x86.REG_DI)) // wrapper(vmctx, args)
	a.op(x86.AMOVQ, regAddr(x86.REG_CX), regAddr(x86.REG_SI))
	a.op1(obj.ACALL, regAddr(x86.REG_AX))
	hostReturn(a, x86.AMOVL, immAddr(abi.ExitDone)) // back to the host stack
	rs[lower.RuntimeEnter] = mustAssemble(a, "enter")
	rs[lower.RuntimeEnter].SignalFrame = true // its caller is on the host stack

	// resume(RDI=ectx) → RAX exit code: back into the code after `call exit`.
	a = newAsm()
	frameRecord(a)
	hostSave(a)
	a.op(x86.AMOVQ, memAddr(x86.REG_R15, abi.EctxNativeSP), regAddr(x86.REG_SP))
	for i := len(nativeSaved) - 1; i >= 0; i-- {
		a.op1(x86.APOPQ, regAddr(nativeSaved[i]))
	}
	a.op0(obj.ARET)
	rs[lower.RuntimeResume] = mustAssemble(a, "resume")

	// exit (R15 = ectx, ectx.ExitCode set): save native state, return to
	// the host with the exit code.
	a = newAsm()
	a.CFIAfter(nil, lower.CFIRow{CFAReg: lower.CFARegSP, CFAOffset: 8})
	for i, r := range nativeSaved {
		p := a.push(regAddr(r))
		a.CFIAfter(p, lower.CFIRow{CFAReg: lower.CFARegSP, CFAOffset: 16 + 8*int32(i), FPSaved: true})
	}
	a.op(x86.AMOVQ, regAddr(x86.REG_SP), memAddr(x86.REG_R15, abi.EctxNativeSP))
	hostReturn(a, x86.AMOVQ, memAddr(x86.REG_R15, abi.EctxExitCode))
	rs[lower.RuntimeExit] = mustAssemble(a, "exit")

	// poll-exit: exit with ExitYield, preserving every register.
	a = newAsm()
	frameRecord(a)
	gprs := []int16{x86.REG_AX, x86.REG_CX, x86.REG_DX, x86.REG_SI, x86.REG_DI, x86.REG_R8, x86.REG_R9, x86.REG_R10, x86.REG_R11}
	for _, r := range gprs {
		a.push(regAddr(r))
	}
	const xmmArea = 16*16 + 8 // keeps RSP 16-byte aligned (9 pushes + RBP)
	a.op(x86.ASUBQ, immAddr(xmmArea), regAddr(x86.REG_SP))
	for i := int16(0); i < 16; i++ {
		a.op(x86.AMOVUPS, regAddr(x86.REG_X0+i), memAddr(x86.REG_SP, 16*int64(i)))
	}
	a.op(x86.AMOVQ, immAddr(abi.ExitYield), memAddr(x86.REG_R15, abi.EctxExitCode))
	a.CallOut(obj.ACALL, lower.TargetRuntime, lower.RuntimeExit)
	for i := int16(0); i < 16; i++ {
		a.op(x86.AMOVUPS, memAddr(x86.REG_SP, 16*int64(i)), regAddr(x86.REG_X0+i))
	}
	a.op(x86.AADDQ, immAddr(xmmArea), regAddr(x86.REG_SP))
	for i := len(gprs) - 1; i >= 0; i-- {
		a.op1(x86.APOPQ, regAddr(gprs[i]))
	}
	a.op1(x86.APOPQ, regAddr(x86.REG_BP))
	a.op0(obj.ARET)
	rs[lower.RuntimePollExit] = mustAssemble(a, "poll_exit")

	// trap (RAX = trapping PC, ECX = trap code, RBP = trapping frame),
	// jumped to with the trapping function's RSP: its caller, for
	// unwinders, is the trapping frame at RAX (trapCFI).
	a = newAsm()
	a.CFIAfter(nil, trapCFI)
	a.op(x86.AMOVQ, regAddr(x86.REG_AX), memAddr(x86.REG_R15, abi.EctxTrapPC))
	a.op(x86.AMOVQ, regAddr(x86.REG_CX), memAddr(x86.REG_R15, abi.EctxExitArg))
	a.op(x86.AMOVQ, regAddr(x86.REG_BP), memAddr(x86.REG_R15, abi.EctxTrapFP))
	a.op(x86.AMOVQ, immAddr(abi.ExitTrap), memAddr(x86.REG_R15, abi.EctxExitCode))
	a.CallOut(obj.ACALL, lower.TargetRuntime, lower.RuntimeExit)
	a.op0(x86.AUD2) // rt never resumes a trap
	rs[lower.RuntimeTrap] = mustAssemble(a, "trap")
	rs[lower.RuntimeTrap].SignalFrame = true // its "return address" is the trapping instruction

	// fibre_root: never runs (a fibre's entry function never returns);
	// frames that return to fibre_root+1 are continued by the resumer.
	a = newAsm()
	a.CFIAfter(nil, fibreRootCFI)
	a.op0(x86.AUD2) // two bytes: the return address (+1) points into them
	rs[lower.RuntimeFibreRoot] = mustAssemble(a, "fibre_root")
	rs[lower.RuntimeFibreRoot].SignalFrame = true // its caller is on the resumer's stack
	return rs
}

// slotOf returns the buffer slot index of each value (a v128 takes two).
func slotsOf(ts []ir.Type) (idx []int64, n int64) {
	for _, t := range ts {
		idx = append(idx, n)
		n++
		if t.Size() == 16 { // v128, cont
			n++
		}
	}
	return idx, n
}

// Wrapper returns the array-call wrapper of function fn: SysV
// wrapper(RDI=vmctx, RSI=args *[N]u64) loading the params from the buffer,
// calling fn and storing its results into the buffer from slot 0.
// Signatures with v128 values get a wrapper that traps (unsupported yet).
func Wrapper(name string, params, results []ir.Type, fn int) *lower.Compiled {
	a := newAsm()
	frameRecord(a)
	sig, err := makeSignature(params, results)
	if err != nil {
		a.op(x86.AMOVL, immAddr(abi.TrapUnreachable), regAddr(x86.REG_CX))
		a.op(x86.ALEAQ, memAddr(x86.REG_SP, 0), regAddr(x86.REG_AX)) // no wasm site
		a.CallOut(obj.AJMP, lower.TargetRuntime, lower.RuntimeTrap)
		return mustAssemble(a, name)
	}
	a.push(regAddr(x86.REG_BX))
	out := (sig.outBytes() + 15) &^ 15
	a.op(x86.ASUBQ, immAddr(out+8), regAddr(x86.REG_SP)) // RSP 16-aligned at the call
	a.op(x86.AMOVQ, regAddr(x86.REG_SI), regAddr(x86.REG_BX))
	pidx, _ := slotsOf(params)
	for i, l := range sig.params {
		src := memAddr(x86.REG_BX, 8*pidx[i])
		switch {
		case l.Reg >= x0:
			a.op(xmov(params[i]), src, regAddr(asmReg(l.Reg)))
		case l.Reg >= 0:
			a.op(x86.AMOVQ, src, regAddr(asmReg(l.Reg)))
		default:
			for w := 0; w < stackWords(params[i]); w++ {
				a.op(x86.AMOVQ, memAddr(x86.REG_BX, 8*(pidx[i]+int64(w))), regAddr(sc1))
				a.op(x86.AMOVQ, regAddr(sc1), memAddr(x86.REG_SP, 8*int64(int(l.Slot)+w)))
			}
		}
	}
	a.CallOut(obj.ACALL, lower.TargetFunc, fn)
	ridx, _ := slotsOf(results)
	for i, l := range sig.results {
		dst := memAddr(x86.REG_BX, 8*ridx[i])
		t := results[i]
		switch {
		case l.Reg >= x0 && t == ir.F32:
			a.op(x86.AMOVL, regAddr(asmReg(l.Reg)), regAddr(sc1)) // zero-extended bits
			a.op(x86.AMOVQ, regAddr(sc1), dst)
		case l.Reg >= x0:
			a.op(xmov(t), regAddr(asmReg(l.Reg)), dst)
		case l.Reg >= 0 && t == ir.I32:
			a.op(x86.AMOVL, regAddr(asmReg(l.Reg)), regAddr(sc1)) // zero-extended
			a.op(x86.AMOVQ, regAddr(sc1), dst)
		case l.Reg >= 0:
			a.op(x86.AMOVQ, regAddr(asmReg(l.Reg)), dst)
		case t.Size() == 16:
			a.op(x86.AMOVUPS, memAddr(x86.REG_SP, 8*int64(l.Slot)), regAddr(fsc1))
			a.op(x86.AMOVUPS, regAddr(fsc1), dst)
		default:
			a.op(pick(t, x86.AMOVL, x86.AMOVQ), memAddr(x86.REG_SP, 8*int64(l.Slot)), regAddr(sc1))
			a.op(x86.AMOVQ, regAddr(sc1), dst)
		}
	}
	a.op(x86.AMOVQ, memAddr(x86.REG_BP, -8), regAddr(x86.REG_BX))
	a.op(x86.AMOVQ, regAddr(x86.REG_BP), regAddr(x86.REG_SP))
	p := a.op1(x86.APOPQ, regAddr(x86.REG_BP))
	a.CFIAfter(p, lower.CFIRow{CFAReg: lower.CFARegSP, CFAOffset: 8})
	a.op0(obj.ARET)
	return mustAssemble(a, name)
}

// HostCallStub returns the code of imported function importIndex: a
// wasm-convention function that stores its params into a buffer on its
// frame, exits with ExitHostCall (ExitArg = importIndex, ExitArgs = the
// buffer, ExitVMCtx = its vmctx) and, once resumed, returns the results
// the host wrote into the buffer from slot 0.
func HostCallStub(name string, params, results []ir.Type, importIndex int) *lower.Compiled {
	a := newAsm()
	frameRecord(a)
	sig, err := makeSignature(params, results)
	if err != nil {
		a.op(x86.AMOVL, immAddr(abi.TrapUnreachable), regAddr(x86.REG_CX))
		a.op(x86.ALEAQ, memAddr(x86.REG_SP, 0), regAddr(x86.REG_AX))
		a.CallOut(obj.AJMP, lower.TargetRuntime, lower.RuntimeTrap)
		return mustAssemble(a, name)
	}
	pidx, np := slotsOf(params)
	ridx, nr := slotsOf(results)
	n := max(np, nr, 1)
	a.op(x86.ASUBQ, immAddr((8*n+15)&^15), regAddr(x86.REG_SP))
	for i, l := range sig.params {
		dst := memAddr(x86.REG_SP, 8*pidx[i])
		switch {
		case l.Reg >= x0 && params[i] == ir.F32:
			a.op(x86.AMOVL, regAddr(asmReg(l.Reg)), regAddr(sc1))
			a.op(x86.AMOVQ, regAddr(sc1), dst)
		case l.Reg >= x0:
			a.op(xmov(params[i]), regAddr(asmReg(l.Reg)), dst)
		case l.Reg >= 0 && params[i] == ir.I32:
			a.op(x86.AMOVL, regAddr(asmReg(l.Reg)), regAddr(sc1))
			a.op(x86.AMOVQ, regAddr(sc1), dst)
		case l.Reg >= 0:
			a.op(x86.AMOVQ, regAddr(asmReg(l.Reg)), dst)
		case params[i].Size() == 16:
			a.op(x86.AMOVUPS, memAddr(x86.REG_BP, 16+8*int64(l.Slot)), regAddr(fsc1))
			a.op(x86.AMOVUPS, regAddr(fsc1), dst)
		default:
			a.op(pick(params[i], x86.AMOVL, x86.AMOVQ), memAddr(x86.REG_BP, 16+8*int64(l.Slot)), regAddr(sc1))
			a.op(x86.AMOVQ, regAddr(sc1), dst)
		}
	}
	a.op(x86.AMOVQ, regAddr(x86.REG_SP), memAddr(x86.REG_R15, abi.EctxExitArgs))
	a.op(x86.AMOVQ, immAddr(int64(importIndex)), memAddr(x86.REG_R15, abi.EctxExitArg))
	a.op(x86.AMOVQ, regAddr(x86.REG_DI), memAddr(x86.REG_R15, abi.EctxExitVMCtx))
	a.op(x86.AMOVQ, immAddr(abi.ExitHostCall), memAddr(x86.REG_R15, abi.EctxExitCode))
	a.CallOut(obj.ACALL, lower.TargetRuntime, lower.RuntimeExit)
	for i, l := range sig.results {
		src := memAddr(x86.REG_SP, 8*ridx[i])
		switch {
		case l.Reg >= x0:
			a.op(xmov(results[i]), src, regAddr(asmReg(l.Reg)))
		case l.Reg >= 0:
			a.op(x86.AMOVQ, src, regAddr(asmReg(l.Reg)))
		default:
			for w := 0; w < stackWords(results[i]); w++ {
				a.op(x86.AMOVQ, memAddr(x86.REG_SP, 8*(ridx[i]+int64(w))), regAddr(sc1))
				a.op(x86.AMOVQ, regAddr(sc1), memAddr(x86.REG_BP, 16+8*int64(int(l.Slot)+w)))
			}
		}
	}
	a.op(x86.AMOVQ, regAddr(x86.REG_BP), regAddr(x86.REG_SP))
	p := a.op1(x86.APOPQ, regAddr(x86.REG_BP))
	a.CFIAfter(p, lower.CFIRow{CFAReg: lower.CFARegSP, CFAOffset: 8})
	a.op0(obj.ARET)
	return mustAssemble(a, name)
}
