package aarch64

// Runtime routines, array-call wrappers and host-call stubs: the code at
// the boundary between Go (or C) and generated code (rt/abi/abi.go), the
// mirror of x64/runtime.go.
//
// Host-side save layout, shared by enter, resume and exit (from the host
// SP saved in ectx.HostSP upwards): the AAPCS64 callee-saved registers
// hostSaved in pairs (X19/X20 first), then D8–D15, then the frame record
// {X29, X30} of the routine, whose X30 returns into the Go (or C) caller.
// The native-side layout saved by exit is the exit save area of aarch64's
// row in rt/abi contract.go (TestContract_matchesRuntime keeps the two in
// step).

import (
	"sync"

	"github.com/twitchyliquid64/golang-asm/obj"
	"github.com/twitchyliquid64/golang-asm/obj/arm64"

	"wfxc/ir"
	"wfxc/lower"
	"wfxc/objfile"
	"wfxc/rt/abi"
)

// hostSaved are the host's general registers enter and resume save, in
// pairs, lowest address first; X27 and X28 too, since a C caller expects
// them preserved (generated code never writes X28, golang-asm writes X27).
var hostSaved = [][2]int16{
	{arm64.REG_R19, arm64.REG_R20}, {arm64.REG_R21, arm64.REG_R22}, {arm64.REG_R23, arm64.REG_R24},
	{arm64.REG_R25, arm64.REG_R26}, {arm64.REG_R27, arm64.REG_R28},
}

// hostSavedF are the host's FP registers enter and resume save (D8–D15).
var hostSavedF = [][2]int16{
	{arm64.REG_F8, arm64.REG_F9}, {arm64.REG_F10, arm64.REG_F11}, {arm64.REG_F12, arm64.REG_F13}, {arm64.REG_F14, arm64.REG_F15},
}

// exitSave is the exit save area (rt/abi contract.go, aarch64's row): the
// register pairs stored at each offset from ectx.NativeSP.
var exitSave = []struct {
	off    int64
	r1, r2 int16
	as     obj.As // STP or FSTPD (0: a single MOVD of r1)
}{
	{0, arm64.REG_R19, arm64.REG_R20, arm64.ASTP},
	{16, arm64.REG_R22, arm64.REG_R23, arm64.ASTP},
	{32, arm64.REG_R24, arm64.REG_R25, arm64.ASTP},
	{48, arm64.REG_R26, 0, 0},
	{56, arm64.REG_F8, arm64.REG_F9, arm64.AFSTPD},
	{72, arm64.REG_F10, arm64.REG_F11, arm64.AFSTPD},
	{88, arm64.REG_F12, arm64.REG_F13, arm64.AFSTPD},
	{104, arm64.REG_F14, arm64.REG_F15, arm64.AFSTPD},
	{120, rFP, rLR, arm64.ASTP}, // the frame record {FP, return address}
}

// exitSaveSize is the size of the exit save area (abi ExitSave.Size).
const exitSaveSize = 144

func mustAssemble(a *asm, name string) *lower.Compiled {
	c, err := a.Assemble(name)
	if err != nil {
		// The routines are fixed code: an error here is a bug in this file.
		panic(err)
	}
	return c
}

// hostFrame is the size of the host save area with the frame record on
// top: ectx.HostSP + hostFrame is the CFA of the host's call of enter or
// resume (its SP), the frame record at CFA-16.
var hostFrame = 16 * int32(len(hostSaved)+len(hostSavedF)+1)

// dwarfX0 and dwarfX21 are the DWARF register numbers of X0 (the trapping
// PC in the trap routine) and X21 (the pinned ectx).
const (
	dwarfX0  = 0
	dwarfX21 = 21
)

// hostCFA is the CFI row of code that runs on the native stack (or with
// X29 no longer the host's) while X21 = ectx: the CFA is that of the
// host's call, found through the host SP saved in ectx, so debuggers and
// DWARF unwinders go from generated code into the host, as on x86-64.
var hostCFA = lower.CFIRow{CFAExpr: objfile.CFAExprDerefReg(dwarfX21, abi.EctxHostSP, uint32(hostFrame)), FPSaved: true}

// trapCFI is the CFI row of the trap routine: it is branched to with the
// trapping function's SP, which is the CFA; the caller's PC is the
// trapping PC in X0 and X29 is the trapping frame's, unchanged, so
// unwinders show the trapping frame itself at its trapping instruction.
var trapCFI = lower.CFIRow{CFAReg: lower.CFARegSP, CFAOffset: 0, Rules: objfile.RuleInReg(dwarfLR, dwarfX0)}

// fibreRootCFI is the CFI row of fibre_root (rt/abi cont.go, x64's
// fibreRootCFI): at fibre_root SP is the fibre's top - FibreRootCFA, just
// under the control context {SP, FP, IP}. The context's SP word (the
// parent link) holds the resumer's SP - 8 (cont.go), so the CFA, the
// resumer's SP, is that word + 8; its X30 and X29 are the IP and FP words.
var fibreRootCFI = func() lower.CFIRow {
	ctx := int32(abi.FibreRootCFA - abi.ContCtxSize) // the context, from SP
	return lower.CFIRow{
		CFAExpr: objfile.CFAExprDerefReg(dwarfSP, ctx+abi.StackCtxSP, 8),
		Rules: objfile.RuleSavedAt(dwarfLR, objfile.ExprRegOffset(dwarfSP, ctx+abi.StackCtxIP)) +
			objfile.RuleSavedAt(dwarfFP, objfile.ExprRegOffset(dwarfSP, ctx+abi.StackCtxFP)),
	}
}()

// hostSave stores the host's callee-saved registers below the frame
// record and SP in ectx.HostSP (ectx in X0), then sets X21; from there on
// the CFA is found through ectx (hostCFA).
func hostSave(a *asm) {
	for i := len(hostSavedF) - 1; i >= 0; i-- {
		a.stp(arm64.AFSTPD, hostSavedF[i][0], hostSavedF[i][1], rSP, -16, arm64.C_XPRE)
	}
	for i := len(hostSaved) - 1; i >= 0; i-- {
		a.stp(arm64.ASTP, hostSaved[i][0], hostSaved[i][1], rSP, -16, arm64.C_XPRE)
	}
	a.op(arm64.AMOVD, regAddr(rSP), regAddr(sc0))
	a.op(arm64.AMOVD, regAddr(sc0), memAddr(arm64.REG_R0, abi.EctxHostSP))
	p := a.op(arm64.AMOVD, regAddr(arm64.REG_R0), regAddr(rEctx))
	a.CFIAfter(p, hostCFA)
}

// hostStack switches to the host stack: SP = ectx.HostSP.
func hostStack(a *asm) {
	p := setSP(a, rEctx, abi.EctxHostSP)
	a.CFIAfter(p, lower.CFIRow{CFAReg: lower.CFARegSP, CFAOffset: hostFrame, FPSaved: true})
}

// hostReturn restores the host's registers (SP = ectx.HostSP) and returns
// X0 to the caller.
func hostReturn(a *asm) {
	cfa := hostFrame
	for _, p := range hostSaved {
		cfa -= 16
		a.CFIAfter(a.ldp(arm64.ALDP, rSP, 16, p[0], p[1], arm64.C_XPOST), lower.CFIRow{CFAReg: lower.CFARegSP, CFAOffset: cfa, FPSaved: true})
	}
	for _, p := range hostSavedF {
		cfa -= 16
		a.CFIAfter(a.ldp(arm64.AFLDPD, rSP, 16, p[0], p[1], arm64.C_XPOST), lower.CFIRow{CFAReg: lower.CFARegSP, CFAOffset: cfa, FPSaved: true})
	}
	popped := a.ldp(arm64.ALDP, rSP, 16, rFP, rLR, arm64.C_XPOST)
	a.CFIAfter(popped, lower.CFIRow{CFAReg: lower.CFARegSP, CFAOffset: 0})
	a.ret()
}

// setSP sets SP from memory at off(base), through X16, and returns the
// instruction that writes SP.
func setSP(a *asm, base int16, off int64) *obj.Prog {
	a.op(arm64.AMOVD, memAddr(base, off), regAddr(sc0))
	return a.op(arm64.AMOVD, regAddr(sc0), regAddr(rSP))
}

// storeConst stores constant c into the ectx word at off, through X16.
func storeConst(a *asm, c, off int64) {
	a.op(arm64.AMOVD, immAddr(c), regAddr(sc0))
	a.op(arm64.AMOVD, regAddr(sc0), memAddr(rEctx, off))
}

// udf appends UDF #0, which traps if run.
func udf(a *asm) { a.Add(&obj.Prog{As: arm64.AWORD, To: immAddr(0)}) }

// Runtime returns the enter, resume, exit, poll-exit, trap and fibre-root
// routines. They do not depend on the module, so they are assembled once
// per process; callers must not modify the results.
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

	// enter(X0=ectx, X1=fn, X2=vmctx, X3=args) → X0 exit code.
	a := newAsm()
	frameRecord(a)
	hostSave(a)
	setSP(a, rEctx, abi.EctxStackTop)                      // native stack
	a.op(arm64.AMOVD, regAddr(rZR), regAddr(rFP))          // frame-pointer walks end here
	a.op(arm64.AMOVD, regAddr(arm64.REG_R1), regAddr(sc0)) // wrapper(vmctx, args)
	a.op(arm64.AMOVD, regAddr(arm64.REG_R2), regAddr(arm64.REG_R0))
	a.op(arm64.AMOVD, regAddr(arm64.REG_R3), regAddr(arm64.REG_R1))
	a.Add(&obj.Prog{As: arm64.ABL, To: obj.Addr{Type: obj.TYPE_MEM, Reg: sc0}})
	hostStack(a) // back to the host stack
	a.op(arm64.AMOVD, immAddr(abi.ExitDone), regAddr(arm64.REG_R0))
	hostReturn(a)
	rs[lower.RuntimeEnter] = mustAssemble(a, "enter")
	rs[lower.RuntimeEnter].SignalFrame = true // its caller is on the host stack

	// resume(X0=ectx) → X0 exit code: back into the code after `bl exit`.
	a = newAsm()
	frameRecord(a)
	hostSave(a)
	setSP(a, rEctx, abi.EctxNativeSP)
	for _, s := range exitSave {
		switch s.as {
		case 0:
			a.op(arm64.AMOVD, memAddr(rSP, s.off), regAddr(s.r1))
		case arm64.AFSTPD:
			a.ldp(arm64.AFLDPD, rSP, s.off, s.r1, s.r2, 0)
		default:
			a.ldp(arm64.ALDP, rSP, s.off, s.r1, s.r2, 0)
		}
	}
	a.op3(arm64.AADD, immAddr(exitSaveSize), rSP, regAddr(rSP))
	a.ret()
	rs[lower.RuntimeResume] = mustAssemble(a, "resume")

	// exit (X21 = ectx, ectx.ExitCode set, X30 = the return address): save
	// native state, return to the host with the exit code. The CFA of the
	// last row is 8 bytes below the caller's SP, where the frame record
	// of the save area puts it.
	a = newAsm()
	a.CFIAfter(nil, lower.CFIRow{CFAReg: lower.CFARegSP, CFAOffset: 0})
	p := a.op3(arm64.ASUB, immAddr(exitSaveSize), rSP, regAddr(rSP))
	a.CFIAfter(p, lower.CFIRow{CFAReg: lower.CFARegSP, CFAOffset: exitSaveSize})
	for _, s := range exitSave {
		if s.as == 0 {
			a.op(arm64.AMOVD, regAddr(s.r1), memAddr(rSP, s.off))
			continue
		}
		p = a.stp(s.as, s.r1, s.r2, rSP, s.off, 0)
	}
	a.CFIAfter(p, lower.CFIRow{CFAReg: lower.CFARegSP, CFAOffset: exitSaveSize - 8, FPSaved: true})
	a.op(arm64.AMOVD, regAddr(rSP), regAddr(sc0))
	a.op(arm64.AMOVD, regAddr(sc0), memAddr(rEctx, abi.EctxNativeSP))
	hostStack(a)
	a.op(arm64.AMOVD, memAddr(rEctx, abi.EctxExitCode), regAddr(arm64.REG_R0))
	hostReturn(a)
	rs[lower.RuntimeExit] = mustAssemble(a, "exit")

	// poll-exit: exit with ExitYield, preserving every register but X30
	// (the poll's BL writes it; every function keeps its own in its frame
	// record) and the flags.
	a = newAsm()
	frameRecord(a)
	for r := int16(0); r < 18; r += 2 {
		a.stp(arm64.ASTP, arm64.REG_R0+r, arm64.REG_R0+r+1, rSP, -16, arm64.C_XPRE)
	}
	// The V registers as their 128 bits: a continuation reference lives
	// in both halves, and Go may write the upper ones.
	a.op3(arm64.ASUB, immAddr(32*16), rSP, regAddr(rSP))
	for r := int16(0); r < 32; r++ {
		a.qmove(false, arm64.REG_F0+r, rSP, 16*int64(r))
	}
	storeConst(a, abi.ExitYield, abi.EctxExitCode)
	a.CallOut(arm64.ABL, lower.TargetRuntime, lower.RuntimeExit)
	for r := int16(0); r < 32; r++ {
		a.qmove(true, arm64.REG_F0+r, rSP, 16*int64(r))
	}
	a.op3(arm64.AADD, immAddr(32*16), rSP, regAddr(rSP))
	for r := int16(16); r >= 0; r -= 2 {
		a.ldp(arm64.ALDP, rSP, 16, arm64.REG_R0+r, arm64.REG_R0+r+1, arm64.C_XPOST)
	}
	popFrame(a)
	a.ret()
	rs[lower.RuntimePollExit] = mustAssemble(a, "poll_exit")

	// trap (X0 = trapping PC, X1 = trap code, X29 = trapping frame),
	// branched to with the trapping function's SP: its caller, for
	// unwinders, is the trapping frame at X0 (trapCFI).
	a = newAsm()
	a.CFIAfter(nil, trapCFI)
	a.op(arm64.AMOVD, regAddr(arm64.REG_R0), memAddr(rEctx, abi.EctxTrapPC))
	a.op(arm64.AMOVD, regAddr(arm64.REG_R1), memAddr(rEctx, abi.EctxExitArg))
	a.op(arm64.AMOVD, regAddr(rFP), memAddr(rEctx, abi.EctxTrapFP))
	storeConst(a, abi.ExitTrap, abi.EctxExitCode)
	a.CallOut(arm64.ABL, lower.TargetRuntime, lower.RuntimeExit)
	udf(a) // rt never resumes a trap
	rs[lower.RuntimeTrap] = mustAssemble(a, "trap")
	rs[lower.RuntimeTrap].SignalFrame = true // its "return address" is the trapping instruction

	// fibre_root: never runs (a fibre's entry function never returns);
	// frames that return into it are continued by the resumer. Entered
	// through stack_switch, the entry function starts with SP 8 above the
	// word holding its return address, as on x86-64 (cont.go), so the CFA
	// is found the same way (fibreRootCFI).
	a = newAsm()
	a.CFIAfter(nil, fibreRootCFI)
	udf(a)
	udf(a)
	rs[lower.RuntimeFibreRoot] = mustAssemble(a, "fibre_root")
	rs[lower.RuntimeFibreRoot].SignalFrame = true // its caller is on the resumer's stack
	return rs
}

// slotsOf returns the buffer slot index of each value (a 16-byte value
// takes two) and the number of slots.
func slotsOf(ts []ir.Type) (idx []int64, n int64) {
	for _, t := range ts {
		idx = append(idx, n)
		n++
		if t.Size() == 16 {
			n++
		}
	}
	return idx, n
}

// trapStubBody makes a wrapper or stub of an unsupported signature trap
// with TrapUnreachable (no wasm site: the PC is 0).
func trapStubBody(a *asm) {
	a.op(arm64.AMOVD, immAddr(abi.TrapUnreachable), regAddr(arm64.REG_R1))
	a.op(arm64.AMOVD, regAddr(rZR), regAddr(arm64.REG_R0))
	a.CallOut(arm64.AB, lower.TargetRuntime, lower.RuntimeTrap)
}

// storeSlot stores register r holding a value of type t into the 8-byte
// slot dst, zero-extending an i32 or f32 (as the x86-64 code does).
func storeSlot(a *asm, t ir.Type, r int16, dst obj.Addr) {
	switch {
	case t == ir.F32:
		a.op(arm64.AFMOVS, regAddr(r), regAddr(sc1)) // zero-extended bits
		a.op(arm64.AMOVD, regAddr(sc1), dst)
	case isFReg(r):
		a.op(arm64.AFMOVD, regAddr(r), dst)
	case t == ir.I32:
		a.op(arm64.AMOVWU, regAddr(r), regAddr(sc1))
		a.op(arm64.AMOVD, regAddr(sc1), dst)
	default:
		a.op(arm64.AMOVD, regAddr(r), dst)
	}
}

// copySlot copies an 8-byte slot from src to dst through X17,
// zero-extending an i32 or f32.
func copySlot(a *asm, t ir.Type, src, dst obj.Addr) {
	if t == ir.I32 || t == ir.F32 {
		a.op(arm64.AMOVWU, src, regAddr(sc1))
	} else {
		a.op(arm64.AMOVD, src, regAddr(sc1))
	}
	a.op(arm64.AMOVD, regAddr(sc1), dst)
}

// Wrapper returns the array-call wrapper of function fn: AAPCS64
// wrapper(X0=vmctx, X1=args *[N]u64) loading the params from the buffer,
// calling fn and storing its results into the buffer from slot 0.
// Signatures the back end does not support get a wrapper that traps.
func Wrapper(name string, params, results []ir.Type, fn int) *lower.Compiled {
	a := newAsm()
	frameRecord(a)
	sig, err := makeSignature(params, results)
	if err != nil {
		trapStubBody(a)
		return mustAssemble(a, name)
	}
	a.stp(arm64.ASTP, arm64.REG_R19, arm64.REG_R20, rSP, -16, arm64.C_XPRE)
	out := (sig.outBytes() + 15) &^ 15
	if out > 0 {
		a.op3(arm64.ASUB, immAddr(out), rSP, regAddr(rSP))
	}
	a.op(arm64.AMOVD, regAddr(arm64.REG_R1), regAddr(arm64.REG_R19))
	pidx, _ := slotsOf(params)
	for i, l := range sig.params {
		src := memAddr(arm64.REG_R19, 8*pidx[i])
		switch {
		case l.Reg >= v0 && params[i].Size() == 16:
			a.qmove(true, asmReg(l.Reg), arm64.REG_R19, 8*pidx[i])
		case l.Reg >= v0:
			a.op(arm64.AFMOVD, src, regAddr(asmReg(l.Reg)))
		case l.Reg >= 0:
			a.op(arm64.AMOVD, src, regAddr(asmReg(l.Reg)))
		default:
			for w := 0; w < stackWords(params[i]); w++ {
				copySlot(a, ir.I64, memAddr(arm64.REG_R19, 8*(pidx[i]+int64(w))), memAddr(rSP, 8*int64(int(l.Slot)+w)))
			}
		}
	}
	a.CallOut(arm64.ABL, lower.TargetFunc, fn)
	ridx, _ := slotsOf(results)
	for i, l := range sig.results {
		dst := memAddr(arm64.REG_R19, 8*ridx[i])
		switch {
		case l.Reg >= 0 && results[i].Size() == 16:
			a.qmove(false, asmReg(l.Reg), arm64.REG_R19, 8*ridx[i])
		case l.Reg >= 0:
			storeSlot(a, results[i], asmReg(l.Reg), dst)
		default:
			for w := 0; w < stackWords(results[i]); w++ {
				copySlot(a, results[i], memAddr(rSP, 8*(int64(l.Slot)+int64(w))), memAddr(arm64.REG_R19, 8*(ridx[i]+int64(w))))
			}
		}
	}
	a.ldp(arm64.ALDP, rFP, -16, arm64.REG_R19, arm64.REG_R20, 0)
	popFrame(a)
	a.ret()
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
		trapStubBody(a)
		return mustAssemble(a, name)
	}
	pidx, np := slotsOf(params)
	ridx, nr := slotsOf(results)
	n := max(np, nr, 1)
	a.op3(arm64.ASUB, immAddr((8*n+15)&^15), rSP, regAddr(rSP))
	for i, l := range sig.params {
		dst := memAddr(rSP, 8*pidx[i])
		switch {
		case l.Reg >= 0 && params[i].Size() == 16:
			a.qmove(false, asmReg(l.Reg), rSP, 8*pidx[i])
		case l.Reg >= 0:
			storeSlot(a, params[i], asmReg(l.Reg), dst)
		default:
			for w := 0; w < stackWords(params[i]); w++ {
				copySlot(a, params[i], memAddr(rFP, 16+8*(int64(l.Slot)+int64(w))), memAddr(rSP, 8*(pidx[i]+int64(w))))
			}
		}
	}
	a.op(arm64.AMOVD, regAddr(rSP), regAddr(sc0))
	a.op(arm64.AMOVD, regAddr(sc0), memAddr(rEctx, abi.EctxExitArgs))
	storeConst(a, int64(importIndex), abi.EctxExitArg)
	a.op(arm64.AMOVD, regAddr(arm64.REG_R0), memAddr(rEctx, abi.EctxExitVMCtx))
	storeConst(a, abi.ExitHostCall, abi.EctxExitCode)
	a.CallOut(arm64.ABL, lower.TargetRuntime, lower.RuntimeExit)
	for i, l := range sig.results {
		src := memAddr(rSP, 8*ridx[i])
		switch {
		case l.Reg >= v0 && results[i].Size() == 16:
			a.qmove(true, asmReg(l.Reg), rSP, 8*ridx[i])
		case l.Reg >= v0:
			a.op(arm64.AFMOVD, src, regAddr(asmReg(l.Reg)))
		case l.Reg >= 0:
			a.op(arm64.AMOVD, src, regAddr(asmReg(l.Reg)))
		default:
			for w := 0; w < stackWords(results[i]); w++ {
				copySlot(a, ir.I64, memAddr(rSP, 8*(ridx[i]+int64(w))), memAddr(rFP, 16+8*(int64(l.Slot)+int64(w))))
			}
		}
	}
	popFrame(a)
	a.ret()
	return mustAssemble(a, name)
}
