package aarch64

// Per-op lowerings, the mirror of x64/ops.go. The lowering table has one
// row per IR op: the function that emits it and the instructions it
// selects, or why the op is not supported (TestOpTableComplete checks every
// op has a row). Each lowering reads its operands before writing its result
// register (which the allocator may have made equal to an operand that dies
// here), staging in the scratch registers when an operand is read after
// the result is first written.
//
// aarch64 is a three-address machine, so most lowerings are "load the
// operands (into scratch if they are not in registers), one instruction
// into the destination (or scratch), commit".

import (
	"fmt"
	"math"

	"github.com/twitchyliquid64/golang-asm/obj"
	"github.com/twitchyliquid64/golang-asm/obj/arm64"

	"wfxc/ir"
	"wfxc/lower"
	"wfxc/rt/abi"
)

// lowering is the aarch64 row of an IR op.
type lowering struct {
	emit        func(e *fn, v *ir.Value, l *lowering) error
	as32, as64  obj.As // the instruction for 32-bit (f32) and for 64-bit (f64) values
	unsupported string // why there is no emit

	// SIMD rows (simd.go): the hand-encoded instruction words, flags, and
	// whether the lowering uses the SIMD temporaries (simdRegs).
	insn, insn2 uint32
	flags       uint8
	temps       bool
}

// lowerings is the lowering table.
var lowerings = [ir.NumOps]lowering{
	ir.OpInvalid: {unsupported: "not an op"},

	ir.OpParam:  {emit: (*fn).placed}, // moved into place in the prologue
	ir.OpVMCtx:  {emit: (*fn).placed}, // moved into place in the prologue
	ir.OpConst:  {emit: (*fn).placed}, // rematerialised at each use
	ir.OpPhi:    {emit: (*fn).placed}, // moved on the edges into its block
	ir.OpCopy:   {emit: (*fn).copyValue},
	ir.OpSelect: {emit: (*fn).selectOp},

	ir.OpAdd:    {emit: (*fn).intBinop, as32: arm64.AADDW, as64: arm64.AADD},
	ir.OpSub:    {emit: (*fn).intBinop, as32: arm64.ASUBW, as64: arm64.ASUB},
	ir.OpMul:    {emit: (*fn).intBinop, as32: arm64.AMULW, as64: arm64.AMUL},
	ir.OpDivS:   {emit: (*fn).divide, as32: arm64.ASDIVW, as64: arm64.ASDIV},
	ir.OpDivU:   {emit: (*fn).divide, as32: arm64.AUDIVW, as64: arm64.AUDIV},
	ir.OpRemS:   {emit: (*fn).divide, as32: arm64.AREMW, as64: arm64.AREM},
	ir.OpRemU:   {emit: (*fn).divide, as32: arm64.AUREMW, as64: arm64.AUREM},
	ir.OpAnd:    {emit: (*fn).intBinop, as32: arm64.AANDW, as64: arm64.AAND},
	ir.OpOr:     {emit: (*fn).intBinop, as32: arm64.AORRW, as64: arm64.AORR},
	ir.OpXor:    {emit: (*fn).intBinop, as32: arm64.AEORW, as64: arm64.AEOR},
	ir.OpShl:    {emit: (*fn).shift, as32: arm64.ALSLW, as64: arm64.ALSL},
	ir.OpShrS:   {emit: (*fn).shift, as32: arm64.AASRW, as64: arm64.AASR},
	ir.OpShrU:   {emit: (*fn).shift, as32: arm64.ALSRW, as64: arm64.ALSR},
	ir.OpRotl:   {emit: (*fn).shift, as32: arm64.ARORW, as64: arm64.AROR}, // ror by -count
	ir.OpRotr:   {emit: (*fn).shift, as32: arm64.ARORW, as64: arm64.AROR},
	ir.OpClz:    {emit: (*fn).intUnop, as32: arm64.ACLZW, as64: arm64.ACLZ},
	ir.OpCtz:    {emit: (*fn).ctz, as32: arm64.ARBITW, as64: arm64.ARBIT},
	ir.OpPopcnt: {emit: (*fn).popcnt},
	ir.OpEqz:    {emit: (*fn).compareOp},
	ir.OpICmp:   {emit: (*fn).compareOp},

	ir.OpWrap:      {emit: (*fn).intUnop, as32: arm64.AMOVD, as64: arm64.AMOVD}, // the upper half of an i32 is undefined
	ir.OpExtendS:   {emit: (*fn).intUnop, as32: arm64.ASXTW, as64: arm64.ASXTW},
	ir.OpExtendU:   {emit: (*fn).intUnop, as32: arm64.AMOVWU, as64: arm64.AMOVWU},
	ir.OpSignExt8:  {emit: (*fn).intUnop, as32: arm64.ASXTBW, as64: arm64.ASXTB},
	ir.OpSignExt16: {emit: (*fn).intUnop, as32: arm64.ASXTHW, as64: arm64.ASXTH},
	ir.OpSignExt32: {emit: (*fn).intUnop, as32: arm64.ASXTW, as64: arm64.ASXTW},

	ir.OpFAdd:      {emit: (*fn).floatBinop, as32: arm64.AFADDS, as64: arm64.AFADDD},
	ir.OpFSub:      {emit: (*fn).floatBinop, as32: arm64.AFSUBS, as64: arm64.AFSUBD},
	ir.OpFMul:      {emit: (*fn).floatBinop, as32: arm64.AFMULS, as64: arm64.AFMULD},
	ir.OpFDiv:      {emit: (*fn).floatBinop, as32: arm64.AFDIVS, as64: arm64.AFDIVD},
	ir.OpFMin:      {emit: (*fn).minMax, as32: arm64.AFMINS, as64: arm64.AFMIND},
	ir.OpFMax:      {emit: (*fn).minMax, as32: arm64.AFMAXS, as64: arm64.AFMAXD},
	ir.OpFCopysign: {emit: (*fn).copysign},
	ir.OpFAbs:      {emit: (*fn).floatUnop, as32: arm64.AFABSS, as64: arm64.AFABSD},
	ir.OpFNeg:      {emit: (*fn).floatUnop, as32: arm64.AFNEGS, as64: arm64.AFNEGD},
	ir.OpFSqrt:     {emit: (*fn).floatUnop, as32: arm64.AFSQRTS, as64: arm64.AFSQRTD},
	ir.OpFCeil:     {emit: (*fn).floatUnop, as32: arm64.AFRINTPS, as64: arm64.AFRINTPD},
	ir.OpFFloor:    {emit: (*fn).floatUnop, as32: arm64.AFRINTMS, as64: arm64.AFRINTMD},
	ir.OpFTrunc:    {emit: (*fn).floatUnop, as32: arm64.AFRINTZS, as64: arm64.AFRINTZD},
	ir.OpFNearest:  {emit: (*fn).floatUnop, as32: arm64.AFRINTNS, as64: arm64.AFRINTND},
	ir.OpFCmp:      {emit: (*fn).compareOp},

	ir.OpTruncS:      {emit: (*fn).truncate},
	ir.OpTruncU:      {emit: (*fn).truncate},
	ir.OpTruncSatS:   {emit: (*fn).truncate},
	ir.OpTruncSatU:   {emit: (*fn).truncate},
	ir.OpConvertS:    {emit: (*fn).convert},
	ir.OpConvertU:    {emit: (*fn).convert},
	ir.OpPromote:     {emit: (*fn).floatUnop, as32: arm64.AFCVTSD, as64: arm64.AFCVTSD},
	ir.OpDemote:      {emit: (*fn).floatUnop, as32: arm64.AFCVTDS, as64: arm64.AFCVTDS},
	ir.OpReinterpret: {emit: (*fn).reinterpret},

	// Full-width loads and stores take their MOV from the type (fullMov).
	// Sign-extending loads extend to 64 bits, which also serves i32.
	ir.OpLoad:       {emit: (*fn).memory},
	ir.OpLoad8S:     {emit: (*fn).memory, as32: arm64.AMOVB, as64: arm64.AMOVB},
	ir.OpLoad8U:     {emit: (*fn).memory, as32: arm64.AMOVBU, as64: arm64.AMOVBU},
	ir.OpLoad16S:    {emit: (*fn).memory, as32: arm64.AMOVH, as64: arm64.AMOVH},
	ir.OpLoad16U:    {emit: (*fn).memory, as32: arm64.AMOVHU, as64: arm64.AMOVHU},
	ir.OpLoad32S:    {emit: (*fn).memory, as32: arm64.AMOVW, as64: arm64.AMOVW},
	ir.OpLoad32U:    {emit: (*fn).memory, as32: arm64.AMOVWU, as64: arm64.AMOVWU},
	ir.OpStore:      {emit: (*fn).memory},
	ir.OpStore8:     {emit: (*fn).memory, as32: arm64.AMOVB, as64: arm64.AMOVB},
	ir.OpStore16:    {emit: (*fn).memory, as32: arm64.AMOVH, as64: arm64.AMOVH},
	ir.OpStore32:    {emit: (*fn).memory, as32: arm64.AMOVW, as64: arm64.AMOVW},
	ir.OpMemorySize: {emit: (*fn).memorySize},

	ir.OpGlobalGet: {emit: (*fn).globalGet},
	ir.OpGlobalSet: {emit: (*fn).globalSet},

	ir.OpCall:       {emit: (*fn).call},
	ir.OpCallImport: {emit: (*fn).call},
	ir.OpResult:     {emit: (*fn).placed}, // moved out of the ABI locations after its call

	ir.OpRefFunc:       {emit: (*fn).refFunc},
	ir.OpRefAsNonNull:  {emit: (*fn).refAsNonNull},
	ir.OpTableGet:      {emit: (*fn).table},
	ir.OpTableGetFunc:  {emit: (*fn).table},
	ir.OpTableSet:      {emit: (*fn).table},
	ir.OpTableSetFunc:  {emit: (*fn).table},
	ir.OpTableSize:     {emit: (*fn).tableSize},
	ir.OpFuncTypeCheck: {emit: (*fn).funcTypeCheck},
	ir.OpCallRef:       {emit: (*fn).call},

	ir.OpPoll:    {emit: (*fn).poll},
	ir.OpLibcall: {emit: (*fn).libcallOp},
	ir.OpTrapNZ:  {emit: (*fn).trapNZ},

	ir.OpFuelCheck: {emit: (*fn).fuelCheck},

	ir.OpStackSwitch: {emit: (*fn).stackSwitch}, // cont.go

	ir.OpThrow:      {emit: (*fn).throwOp},    // exn.go
	ir.OpLandingArg: {emit: (*fn).landingArg}, // exn.go

	ir.OpECtx:      {emit: (*fn).rematAddr}, // cont.go
	ir.OpLoadRaw:   {emit: (*fn).loadRaw},
	ir.OpStoreRaw:  {emit: (*fn).storeRaw},
	ir.OpFrameArea: {emit: (*fn).rematAddr},
	ir.OpFuncAddr:  {emit: (*fn).rematAddr},
	ir.OpFibreRoot: {emit: (*fn).rematAddr},
	ir.OpContMake:  {emit: (*fn).contMake},
	ir.OpContPtr:   {emit: (*fn).contPart},
	ir.OpContRev:   {emit: (*fn).contPart},
}

// fullMov is the MOV of a full-width load or store of each type.
var fullMov = map[ir.Type]obj.As{ir.I32: arm64.AMOVWU, ir.I64: arm64.AMOVD, ir.F32: arm64.AFMOVS, ir.F64: arm64.AFMOVD, ir.Ref: arm64.AMOVD}

// fullStore is the MOV of a full-width store of each type.
var fullStore = map[ir.Type]obj.As{ir.I32: arm64.AMOVW, ir.I64: arm64.AMOVD, ir.F32: arm64.AFMOVS, ir.F64: arm64.AFMOVD, ir.Ref: arm64.AMOVD}

// value lowers v through its row.
func (e *fn) value(v *ir.Value) error {
	l := &lowerings[v.Op]
	if l.emit == nil {
		return fmt.Errorf("op %v not supported by the aarch64 back end: %s", v.Op, l.unsupported)
	}
	return l.emit(e, v, l)
}

// placed emits nothing for values that other code puts in place.
func (e *fn) placed(*ir.Value, *lowering) error { return nil }

// copyValue lowers copy as a move.
func (e *fn) copyValue(v *ir.Value, _ *lowering) error {
	e.moves([]lower.Move{e.move(e.loc(v), e.loc(v.Args[0]), v.Args[0])})
	return nil
}

// intUnop lowers dst = op(x) for one instruction on registers.
func (e *fn) intUnop(v *ir.Value, l *lowering) error {
	r := e.intReg(v.Args[0], sc0)
	d := e.dst(v, sc1)
	e.a.op(pick(v.Type, l.as32, l.as64), regAddr(r), regAddr(d))
	e.commit(v, d)
	return nil
}

// ctz counts trailing zeros as the leading zeros of the bit-reversed value.
func (e *fn) ctz(v *ir.Value, l *lowering) error {
	r := e.intReg(v.Args[0], sc0)
	d := e.dst(v, sc1)
	e.a.op(pick(v.Type, l.as32, l.as64), regAddr(r), regAddr(sc1))
	e.a.op(pick(v.Type, arm64.ACLZW, arm64.ACLZ), regAddr(sc1), regAddr(d))
	e.commit(v, d)
	return nil
}

// popcnt counts the bits per byte in a vector register (CNT) and adds the
// bytes up (UADDLV); an i32 is zero-extended first.
func (e *fn) popcnt(v *ir.Value, _ *lowering) error {
	a := e.a
	r := e.zext32(v.Args[0], sc0)
	vsc := int16(fsc0 - arm64.REG_F0)
	a.op(arm64.AFMOVD, regAddr(r), regAddr(fsc0))
	a.op(arm64.AVCNT, regAddr(arng(vsc, arm64.ARNG_8B)), regAddr(arng(vsc, arm64.ARNG_8B)))
	a.op(arm64.AVUADDLV, regAddr(arng(vsc, arm64.ARNG_8B)), regAddr(arm64.REG_V0+vsc))
	d := e.dst(v, sc1)
	a.op(arm64.AFMOVD, regAddr(fsc0), regAddr(d))
	e.commit(v, d)
	return nil
}

// arng is vector register Vn with arrangement arr (golang-asm's V0.B8
// operand).
func arng(n int16, arr int16) int16 { return arm64.REG_ARNG + (n & 31) + (arr&15)<<5 }

// compareOp materialises a compare, unless it is fused into its branch.
func (e *fn) compareOp(v *ir.Value, _ *lowering) error {
	if !e.fused[v.ID] {
		cond := e.compare(v)
		d := e.dst(v, sc1)
		e.a.op(arm64.ACSET, condAddr(condCode[cond]), regAddr(d))
		e.commit(v, d)
	}
	return nil
}

// copysign combines the magnitude bits of arg0 with the sign bit of arg1
// in general registers.
func (e *fn) copysign(v *ir.Value, _ *lowering) error {
	a := e.a
	x := e.floatReg(v.Args[0], fsc0)
	y := e.floatReg(v.Args[1], fsc1)
	a.op(arm64.AFMOVD, regAddr(x), regAddr(sc0))
	a.op(arm64.AFMOVD, regAddr(y), regAddr(sc1))
	bit := int64(31)
	if v.Type == ir.F64 {
		bit = 63
	}
	// sc1 = the sign bit of y; sc0 = x without its sign bit, or sc1.
	a.op3(arm64.ALSR, immAddr(bit), sc1, regAddr(sc1))
	a.op3(arm64.ALSL, immAddr(bit), sc1, regAddr(sc1))
	a.op3(arm64.AAND, immAddr(int64(1)<<bit-1), sc0, regAddr(sc0))
	a.op3(arm64.AORR, regAddr(sc1), sc0, regAddr(sc0))
	d := e.dst(v, fsc1)
	a.op(arm64.AFMOVD, regAddr(sc0), regAddr(d))
	e.commit(v, d)
	return nil
}

// floatUnop lowers dst = op(x) for one FP instruction.
func (e *fn) floatUnop(v *ir.Value, l *lowering) error {
	r := e.floatReg(v.Args[0], fsc0)
	d := e.dst(v, fsc1)
	e.a.op(pick(v.Type, l.as32, l.as64), regAddr(r), regAddr(d))
	e.commit(v, d)
	return nil
}

// floatBinop lowers dst = x op y for FP arithmetic.
func (e *fn) floatBinop(v *ir.Value, l *lowering) error {
	x := e.floatReg(v.Args[0], fsc0)
	y := e.floatReg(v.Args[1], fsc1)
	d := e.dst(v, fsc1)
	e.a.op3(pick(v.Type, l.as32, l.as64), regAddr(y), x, regAddr(d))
	e.commit(v, d)
	return nil
}

// minMax lowers wasm fmin/fmax: FMIN/FMAX order -0 < +0 as wasm does,
// and a NaN operand gives the canonical NaN (as on x86-64) rather than
// the quieted operand.
func (e *fn) minMax(v *ir.Value, l *lowering) error {
	a := e.a
	x := e.floatReg(v.Args[0], fsc0)
	y := e.floatReg(v.Args[1], fsc1)
	a.cmp(pick(v.Type, arm64.AFCMPS, arm64.AFCMPD), regAddr(y), x)
	d := e.dst(v, fsc1)
	a.op3(pick(v.Type, l.as32, l.as64), regAddr(y), x, regAddr(d))
	done := a.NewLabel()
	a.Branch(arm64.ABVC, done)
	if v.Type == ir.F32 {
		e.fconst(v.Type, 0x7fc00000, d)
	} else {
		e.fconst(v.Type, 0x7ff8000000000000, d)
	}
	a.Place(done)
	e.commit(v, d)
	return nil
}

// reinterpret moves bits between a general and an FP register (64 bits:
// the upper half of an f32 or i32 is undefined either way).
func (e *fn) reinterpret(v *ir.Value, _ *lowering) error {
	if isFloat(v.Type) {
		r := e.intReg(v.Args[0], sc0)
		d := e.dst(v, fsc1)
		if v.Type == ir.F32 {
			e.a.op(arm64.AFMOVS, regAddr(r), regAddr(d))
		} else {
			e.a.op(arm64.AFMOVD, regAddr(r), regAddr(d))
		}
		e.commit(v, d)
		return nil
	}
	r := e.floatReg(v.Args[0], fsc0)
	d := e.dst(v, sc1)
	if v.Type == ir.I32 {
		e.a.op(arm64.AFMOVS, regAddr(r), regAddr(d))
	} else {
		e.a.op(arm64.AFMOVD, regAddr(r), regAddr(d))
	}
	e.commit(v, d)
	return nil
}

// memorySize lowers memory_size: the length in pages.
func (e *fn) memorySize(v *ir.Value, _ *lowering) error {
	a := e.a
	vm := e.intReg(v.Args[0], sc0)
	a.op(arm64.AMOVD, memAddr(vm, v.Aux2+8), regAddr(sc1))
	d := e.dst(v, sc1)
	a.op3(arm64.ALSR, immAddr(16), sc1, regAddr(d))
	e.commit(v, d)
	return nil
}

// globalGet loads a global's slot (through its pointer when indirect).
func (e *fn) globalGet(v *ir.Value, _ *lowering) error {
	a := e.a
	vm := e.intReg(v.Args[0], sc0)
	m := memAddr(vm, v.Aux)
	if v.Aux2 == 1 {
		a.op(arm64.AMOVD, m, regAddr(sc0))
		m = memAddr(sc0, 0)
	}
	mov, ok := fullMov[v.Type]
	if !ok && v.Type.Size() != 16 {
		return fmt.Errorf("global of type %v not supported", v.Type)
	}
	d := e.dst(v, sc1)
	if inVReg(v.Type) {
		d = e.dst(v, fsc1)
	}
	if !ok {
		a.qmove(true, d, m.Reg, m.Offset)
	} else {
		a.op(mov, m, regAddr(d))
	}
	e.commit(v, d)
	return nil
}

// globalSet stores into a global's slot (through its pointer when indirect).
func (e *fn) globalSet(v *ir.Value, _ *lowering) error {
	a := e.a
	x := v.Args[1]
	mov, ok := fullStore[x.Type]
	if !ok && x.Type.Size() != 16 {
		return fmt.Errorf("global of type %v not supported", x.Type)
	}
	vm := e.intReg(v.Args[0], sc0)
	m := memAddr(vm, v.Aux)
	if v.Aux2 == 1 {
		a.op(arm64.AMOVD, m, regAddr(sc0))
		m = memAddr(sc0, 0)
	}
	var r int16
	if inVReg(x.Type) {
		r = e.floatReg(x, fsc1)
	} else {
		r = e.intReg(x, sc1)
	}
	if !ok {
		a.qmove(false, r, m.Reg, m.Offset)
		return nil
	}
	a.op(mov, regAddr(r), m)
	return nil
}

// libcallOp lowers libcall: the operands into the argument buffer, the
// exit, the result out of slot 0.
func (e *fn) libcallOp(v *ir.Value, _ *lowering) error {
	a := e.a
	for _, x := range v.Args[1:] {
		if isFloat(x.Type) {
			return fmt.Errorf("libcall operand of type %v", x.Type)
		}
	}
	e.libcall(v, v.Aux, func(i int) bool {
		if i+1 >= len(v.Args) {
			return false
		}
		r := e.zext32(v.Args[i+1], sc1)
		a.op(arm64.AMOVD, regAddr(r), memAddr(rSP, 8*int64(i)))
		return true
	})
	if v.Type != ir.Void {
		d := e.dst(v, sc1)
		a.op(arm64.AMOVD, memAddr(rSP, 0), regAddr(d))
		e.commit(v, d)
	}
	return nil
}

// trapNZ traps with code arg0 when it is not zero.
func (e *fn) trapNZ(v *ir.Value, _ *lowering) error {
	a := e.a
	x := v.Args[0]
	r := e.intReg(x, sc1)
	a.cmp(pick(x.Type, arm64.ACMPW, arm64.ACMP), immAddr(0), r)
	l := a.NewLabel()
	p := a.Branch(arm64.ABNE, l)
	e.traps = append(e.traps, trapStub{label: l, site: p, codeFrom: x, pos: v.Pos})
	return nil
}

// fuelCheck adds the cost Aux to the fuel counter arg0 and traps "all
// fuel consumed" when the sum is above 0: ADDS sets the flags for the
// branch to the out-of-line trap stub (it cannot overflow: the counter is
// at most 0 before it).
func (e *fn) fuelCheck(v *ir.Value, _ *lowering) error {
	a := e.a
	x := e.intReg(v.Args[0], sc0)
	d := e.dst(v, sc1)
	if c := v.Aux; c >= 0 && c < 1<<12 {
		a.op3(arm64.AADDS, immAddr(c), x, regAddr(d))
	} else {
		a.op(arm64.AMOVD, immAddr(c), regAddr(arm64.REGTMP))
		a.op3(arm64.AADDS, regAddr(arm64.REGTMP), x, regAddr(d))
	}
	e.trapIf(arm64.ABGT, abi.TrapOutOfFuel, v.Pos)
	e.commit(v, d)
	return nil
}

// refAsNonNull traps with code Aux on a null reference.
func (e *fn) refAsNonNull(v *ir.Value, _ *lowering) error {
	r := e.intReg(v.Args[0], sc1)
	e.a.cmp(arm64.ACMP, immAddr(0), r)
	e.trapIf(arm64.ABEQ, v.Aux, v.Pos)
	e.commit(v, r)
	return nil
}

// refFunc lowers ref_func: records + Aux*FuncRefSize; a record whose code
// is 0 is created by a libcall.
func (e *fn) refFunc(v *ir.Value, _ *lowering) error {
	a := e.a
	vm := e.intReg(v.Args[0], sc0)
	a.op(arm64.AMOVD, memAddr(vm, v.Aux2), regAddr(sc1))
	a.op3(arm64.AADD, immAddr(v.Aux*abi.FuncRefSize), sc1, regAddr(sc1))
	done := a.NewLabel()
	a.op(arm64.AMOVD, memAddr(sc1, abi.FuncRefCode), regAddr(sc0))
	a.cbz(arm64.ACBNZ, sc0, done)
	e.libcall(v, abi.LibcallFuncRef, func(i int) bool {
		if i == 0 {
			a.op(arm64.AMOVD, immAddr(v.Aux), regAddr(sc0))
			a.op(arm64.AMOVD, regAddr(sc0), memAddr(rSP, 0))
		}
		return i == 0
	})
	a.op(arm64.AMOVD, memAddr(rSP, 0), regAddr(sc1))
	a.Place(done)
	e.commit(v, sc1)
	return nil
}

// tableSize loads a table's length.
func (e *fn) tableSize(v *ir.Value, _ *lowering) error {
	vm := e.intReg(v.Args[0], sc0)
	d := e.dst(v, sc1)
	e.a.op(arm64.AMOVD, memAddr(vm, v.Aux2+8), regAddr(d))
	e.commit(v, d)
	return nil
}

// funcTypeCheck compares the type id of record arg1 with the expected one
// and traps on a mismatch (asking rt about subtyping for non-final types).
func (e *fn) funcTypeCheck(v *ir.Value, _ *lowering) error {
	a := e.a
	rec := e.intReg(v.Args[1], sc1)
	if rec != sc1 {
		a.op(arm64.AMOVD, regAddr(rec), regAddr(sc1))
	}
	vm := e.intReg(v.Args[0], sc0)
	a.op(arm64.AMOVWU, memAddr(vm, v.Aux), regAddr(sc0)) // the u32 type id
	a.op(arm64.AMOVD, memAddr(sc1, abi.FuncRefTypeID), regAddr(sc2))
	a.cmp(arm64.ACMP, regAddr(sc0), sc2)
	if v.Aux2 == 0 {
		e.trapIf(arm64.ABNE, abi.TrapIndirectCallType, v.Pos)
		return nil
	}
	// A non-final expected type: a different id may still be a declared
	// subtype; rt answers (actual <: expected).
	done := a.NewLabel()
	a.Branch(arm64.ABEQ, done)
	e.libcall(v, abi.LibcallSubtype, func(i int) bool {
		if i == 0 {
			a.stp(arm64.ASTP, sc2, sc0, rSP, 0, 0) // [SP] = actual, [SP+8] = expected
		}
		return i == 0
	})
	a.op(arm64.AMOVD, memAddr(rSP, 0), regAddr(sc0))
	a.cmp(arm64.ACMP, immAddr(0), sc0)
	e.trapIf(arm64.ABEQ, abi.TrapIndirectCallType, v.Pos)
	a.Place(done)
	return nil
}

// poll lowers the preemption / interrupt poll. Fast path inline, using
// only X17 (emitter scratch): the slow path calls the poll-exit routine,
// which preserves every register. One compare serves Go's preemption
// requests and interrupts: rt interrupts by pointing ectx.G at words whose
// stackguard0 is StackPreempt (abi.EctxG).
//
// A loop header's poll with an induction variable (lower.IVPolls) tests
// that (TST of the mask, a logical immediate) and makes the full check
// out of line.
func (e *fn) poll(v *ir.Value, _ *lowering) error {
	a := e.a
	slow, back := a.NewLabel(), a.NewLabel()
	if p, ok := e.ivPolls[v.ID]; ok {
		if l := e.loc(p.IV); l.Kind == lower.LocReg || l.Kind == lower.LocStack {
			a.cmp(pick(p.IV.Type, arm64.ATSTW, arm64.ATST), immAddr(p.Mask), e.intReg(p.IV, sc1))
			a.Branch(arm64.ABEQ, slow)
			a.Place(back)
			e.polls = append(e.polls, pollStub{label: slow, back: back, pos: v.Pos, check: true})
			return nil
		}
	}
	e.pollCheck()
	a.Branch(arm64.ABEQ, slow)
	a.Place(back)
	e.polls = append(e.polls, pollStub{label: slow, back: back, pos: v.Pos})
	return nil
}

// pollCheck sets Z when the poll must exit: ectx.G's stackguard0 is
// StackPreempt. It uses sc1 only.
func (e *fn) pollCheck() {
	a := e.a
	a.op(arm64.AMOVD, memAddr(rEctx, abi.EctxG), regAddr(sc1))
	a.op(arm64.AMOVD, memAddr(sc1, abi.GStackguard0), regAddr(sc1))
	a.cmp(arm64.ACMN, immAddr(1314), sc1) // sc1 == -1314
}

// intBinop lowers dst = x op y; a constant y that fits becomes an
// immediate (golang-asm builds the others in X27).
func (e *fn) intBinop(v *ir.Value, l *lowering) error {
	if !v.Type.IsInt() && v.Type != ir.Ref {
		return fmt.Errorf("%v of type %v not supported", v.Op, v.Type)
	}
	x := e.intReg(v.Args[0], sc0)
	y := e.operand(v.Args[1], sc1, v.Op != ir.OpMul)
	d := e.dst(v, sc1)
	e.a.op3(pick(v.Type, l.as32, l.as64), y, x, regAddr(d))
	e.commit(v, d)
	return nil
}

// shift lowers shifts and rotates: the register forms take the count
// modulo the width, as wasm does; rotl is ror by the negated count.
func (e *fn) shift(v *ir.Value, l *lowering) error {
	a := e.a
	as := pick(v.Type, l.as32, l.as64)
	x, y := v.Args[0], v.Args[1]
	mask := int64(31)
	if wide(v.Type) {
		mask = 63
	}
	r := e.intReg(x, sc0)
	d := e.dst(v, sc1)
	if y.Op == ir.OpConst {
		c := y.Aux & mask
		if v.Op == ir.OpRotl {
			c = -c & mask
		}
		a.op3(as, immAddr(c), r, regAddr(d))
		e.commit(v, d)
		return nil
	}
	n := e.intReg(y, sc1)
	if v.Op == ir.OpRotl {
		a.op(arm64.ANEG, regAddr(n), regAddr(sc1))
		n = sc1
	}
	a.op3(as, regAddr(n), r, regAddr(d))
	e.commit(v, d)
	return nil
}

// divide lowers the four divisions with their traps: SDIV/UDIV give 0 on
// a zero divisor and MIN on MIN / -1 instead of trapping; REM (golang-asm's
// SDIV into X27, then MSUB) is x - (x / y) * y, which is 0 for MIN % -1.
func (e *fn) divide(v *ir.Value, l *lowering) error {
	a := e.a
	x := e.intReg(v.Args[0], sc0)
	y := e.intReg(v.Args[1], sc1)
	cmp := pick(v.Type, arm64.ACMPW, arm64.ACMP)
	a.cmp(cmp, immAddr(0), y)
	e.trapIf(arm64.ABEQ, abi.TrapIntDivByZero, v.Pos)
	if v.Op == ir.OpDivS {
		// MIN / -1 overflows.
		normal := a.NewLabel()
		a.cmp(pick(v.Type, arm64.ACMNW, arm64.ACMN), immAddr(1), y)
		a.Branch(arm64.ABNE, normal)
		if wide(v.Type) {
			a.op(arm64.AMOVD, immAddr(math.MinInt64), regAddr(sc2))
		} else {
			a.op(arm64.AMOVD, immAddr(0x80000000), regAddr(sc2))
		}
		a.cmp(cmp, regAddr(sc2), x)
		e.trapIf(arm64.ABEQ, abi.TrapIntOverflow, v.Pos)
		a.Place(normal)
	}
	as := pick(v.Type, l.as32, l.as64)
	d := e.dst(v, sc2)
	a.op3(as, regAddr(y), x, regAddr(d))
	e.commit(v, d)
	return nil
}

// selectOp lowers select with CSEL (ints), FCSEL (floats) or a branch
// (continuation references).
func (e *fn) selectOp(v *ir.Value, _ *lowering) error {
	a := e.a
	c, x, y := v.Args[0], v.Args[1], v.Args[2]
	if v.Type.Size() == 16 { // no 128-bit conditional select: a short branch
		e.loadInto(y, fsc1)
		e.testInt(c)
		skip := a.NewLabel()
		a.Branch(arm64.ABEQ, skip)
		e.loadInto(x, fsc1)
		a.Place(skip)
		e.commit(v, fsc1)
		return nil
	}
	if isFloat(v.Type) {
		xr := e.floatReg(x, fsc0)
		yr := e.floatReg(y, fsc1)
		e.testInt(c)
		d := e.dst(v, fsc1)
		a.op4(arm64.AFCSELD, condAddr(arm64.COND_NE), xr, regAddr(yr), regAddr(d))
		e.commit(v, d)
		return nil
	}
	xr := e.intReg(x, sc1)
	yr := e.intReg(y, sc2)
	r := e.intReg(c, sc0)
	a.cmp(arm64.ACMPW, immAddr(0), r)
	d := e.dst(v, sc1)
	a.op4(arm64.ACSEL, condAddr(arm64.COND_NE), xr, regAddr(yr), regAddr(d))
	e.commit(v, d)
	return nil
}

// convert lowers int → float conversions: one instruction each.
func (e *fn) convert(v *ir.Value, _ *lowering) error {
	x := v.Args[0]
	r := e.intReg(x, sc0)
	var as obj.As
	signed := v.Op == ir.OpConvertS
	switch {
	case v.Type == ir.F32 && !wide(x.Type):
		as = pickSign(signed, arm64.ASCVTFWS, arm64.AUCVTFWS)
	case v.Type == ir.F32:
		as = pickSign(signed, arm64.ASCVTFS, arm64.AUCVTFS)
	case !wide(x.Type):
		as = pickSign(signed, arm64.ASCVTFWD, arm64.AUCVTFWD)
	default:
		as = pickSign(signed, arm64.ASCVTFD, arm64.AUCVTFD)
	}
	d := e.dst(v, fsc1)
	e.a.op(as, regAddr(r), regAddr(d))
	e.commit(v, d)
	return nil
}

func pickSign(signed bool, s, u obj.As) obj.As {
	if signed {
		return s
	}
	return u
}

// truncBounds returns the exclusive bounds (lo, hi) of the floats whose
// truncation fits the integer type.
func truncBounds(src, dst ir.Type, signed bool) (lo, hi float64) {
	w := 32
	if wide(dst) {
		w = 64
	}
	switch {
	case !signed:
		return -1, math.Ldexp(1, w)
	case w == 32 && src == ir.F64:
		return -2147483649, 2147483648
	case w == 32:
		return -2147483904, 2147483648 // next f32 below -2^31
	case src == ir.F64:
		return -9223372036854777856, 9223372036854775808 // next f64 below -2^63
	default:
		return -9223373136366403584, 9223372036854775808 // next f32 below -2^63
	}
}

// fconst loads the float constant of type t with bits into FP register r
// (through X27, which no instruction between the two uses).
func (e *fn) fconst(t ir.Type, bits uint64, r int16) {
	e.a.op(arm64.AMOVD, immAddr(int64(bits)), regAddr(arm64.REGTMP))
	if t == ir.F32 {
		e.a.op(arm64.AFMOVS, regAddr(arm64.REGTMP), regAddr(r))
	} else {
		e.a.op(arm64.AFMOVD, regAddr(arm64.REGTMP), regAddr(r))
	}
}

// floatBits returns the bits of f as a value of type t.
func floatBits(t ir.Type, f float64) uint64 {
	if t == ir.F32 {
		return uint64(math.Float32bits(float32(f)))
	}
	return math.Float64bits(f)
}

// truncate lowers float → int conversions. FCVTZS/FCVTZU saturate and give
// 0 for NaN, which is the _sat semantics; the trapping forms check NaN and
// the range first.
func (e *fn) truncate(v *ir.Value, _ *lowering) error {
	a := e.a
	x := v.Args[0]
	st := x.Type
	signed := v.Op == ir.OpTruncS || v.Op == ir.OpTruncSatS
	sat := v.Op == ir.OpTruncSatS || v.Op == ir.OpTruncSatU
	r := e.floatReg(x, fsc0)
	if !sat {
		fcmp := pick(st, arm64.AFCMPS, arm64.AFCMPD)
		lo, hi := truncBounds(st, v.Type, signed)
		a.cmp(fcmp, regAddr(r), r)
		e.trapIf(arm64.ABVS, abi.TrapInvalidConversion, v.Pos) // NaN
		e.fconst(st, floatBits(st, hi), fsc1)
		a.cmp(fcmp, regAddr(fsc1), r)
		e.trapIf(arm64.ABGE, abi.TrapIntOverflow, v.Pos) // x >= hi
		e.fconst(st, floatBits(st, lo), fsc1)
		a.cmp(fcmp, regAddr(fsc1), r)
		e.trapIf(arm64.ABLS, abi.TrapIntOverflow, v.Pos) // x <= lo
	}
	var as obj.As
	w := wide(v.Type)
	switch {
	case st == ir.F32 && !w:
		as = pickSign(signed, arm64.AFCVTZSSW, arm64.AFCVTZUSW)
	case st == ir.F32:
		as = pickSign(signed, arm64.AFCVTZSS, arm64.AFCVTZUS)
	case !w:
		as = pickSign(signed, arm64.AFCVTZSDW, arm64.AFCVTZUDW)
	default:
		as = pickSign(signed, arm64.AFCVTZSD, arm64.AFCVTZUD)
	}
	d := e.dst(v, sc1)
	a.op(as, regAddr(r), regAddr(d))
	e.commit(v, d)
	return nil
}

// memory lowers loads and stores with their bounds check:
//
//	x17 = zext(addr)
//	x16 = x17 + off + size              ; adds, b.cs trap for 64-bit addresses
//	x14 = [vm+len]; cmp x16, x14; b.hi trap
//	x16 = [vm+base]
//	access [x16 + x17] or, with an offset, [x17 + off] after x17 += x16
func (e *fn) memory(v *ir.Value, l *lowering) error {
	a := e.a
	vmv, addr := v.Args[0], v.Args[1]
	size := v.AccessSize()
	var val *ir.Value // the stored value
	if ir.Ops[v.Op].Effect == ir.Write {
		val = v.Args[2]
	}
	as := pick(v.Type, l.as32, l.as64)
	switch {
	case as != 0:
	case val != nil && val.Type == ir.V128, val == nil && v.Type == ir.V128:
		as = arm64.AFMOVQ // qaccess
	case val != nil:
		as = fullStore[val.Type]
	default:
		as = fullMov[v.Type]
	}
	if as == 0 {
		return fmt.Errorf("memory access of type %v not supported", v.Type)
	}
	if v.Aux < 0 {
		return fmt.Errorf("negative memory offset %d", v.Aux)
	}
	if val != nil && isFloat(val.Type) && v.Op != ir.OpStore {
		return fmt.Errorf("partial store of a float")
	}
	vm := e.intReg(vmv, sc2)
	idx := e.zext32(addr, sc1)
	if idx != sc1 {
		a.op(arm64.AMOVD, regAddr(idx), regAddr(sc1))
	}
	k, check := v.Aux+size, true
	if w, ok := e.checks[v.ID]; ok {
		if w == 0 {
			check = false // covered by an earlier check
		} else {
			k = w
		}
	}
	if check {
		if wide(addr.Type) {
			a.op3(arm64.AADDS, immAddr(k), sc1, regAddr(sc0))
			e.trapIf(arm64.ABCS, abi.TrapMemoryOutOfBounds, v.Pos)
		} else {
			a.op3(arm64.AADD, immAddr(k), sc1, regAddr(sc0))
		}
		a.op(arm64.AMOVD, memAddr(vm, v.Aux2+8), regAddr(sc3))
		a.cmp(arm64.ACMP, regAddr(sc3), sc0)
		e.trapIf(arm64.ABHI, abi.TrapMemoryOutOfBounds, v.Pos)
	}
	a.op(arm64.AMOVD, memAddr(vm, v.Aux2), regAddr(sc0))
	var m obj.Addr
	if v.Aux == 0 {
		m = obj.Addr{Type: obj.TYPE_MEM, Reg: sc0, Index: sc1}
	} else {
		a.op3(arm64.AADD, regAddr(sc0), sc1, regAddr(sc1))
		m = memAddr(sc1, v.Aux)
	}
	if val == nil {
		d := e.dst(v, sc0)
		if inVReg(v.Type) {
			d = e.dst(v, fsc1)
		}
		if as == arm64.AFMOVQ {
			e.qaccess(true, d, m)
		} else {
			a.op(as, m, regAddr(d))
		}
		e.commit(v, d)
		return nil
	}
	var r int16
	switch {
	case as == arm64.AFMOVQ:
		e.qaccess(false, e.floatReg(val, fsc1), m)
		return nil
	case isFloat(val.Type):
		r = e.floatReg(val, fsc1)
	case val.Op == ir.OpConst && constBits(val) == 0:
		r = rZR
	default:
		r = e.intReg(val, sc2)
	}
	a.op(as, regAddr(r), m)
	return nil
}

// qaccess loads (load) or stores Q register r at memory operand m of
// memory: [Xn, Xm] (LDR/STR Q, register offset) or off(Xn) (qmove).
func (e *fn) qaccess(load bool, r int16, m obj.Addr) {
	if m.Index == 0 {
		e.a.qmove(load, r, m.Reg, m.Offset)
		return
	}
	insn := insnSTRQx
	if load {
		insn = insnLDRQx
	}
	e.a.word(enc3(insn, r, m.Reg, m.Index))
}

// call lowers call, call_import and call_ref: arguments into place with
// one parallel move, the call, then results out of the ABI locations.
func (e *fn) call(v *ir.Value, _ *lowering) error {
	a := e.a
	sig, err := e.callSig(v)
	if err != nil {
		return err
	}
	e.callSetup(v.Op, v.Aux, v.Args, sig, xSP, 0)
	var p *obj.Prog
	if v.Op != ir.OpCall {
		a.op(arm64.AMOVD, memAddr(rFP, e.frame.CallWordOff(0)), regAddr(sc0))
		p = a.Add(&obj.Prog{As: arm64.ABL, To: obj.Addr{Type: obj.TYPE_MEM, Reg: sc0}})
	} else {
		p = a.CallOut(arm64.ABL, lower.TargetFunc, int(v.Aux))
	}
	a.Site(p, true, v.Pos)
	e.lastCall, e.lastCallValue = p, v
	var ms []lower.Move
	switch v.Type {
	case ir.Void:
	case ir.Tuple:
		for _, r := range e.ra.Results[v] {
			if r.Aux < 0 || int(r.Aux) >= len(sig.results) {
				return fmt.Errorf("result v%d: index %d out of range", r.ID, r.Aux)
			}
			ms = append(ms, e.move(e.loc(r), sig.results[r.Aux].loc(xSP, 0), r))
		}
	default:
		ms = append(ms, e.move(e.loc(v), sig.results[0].loc(xSP, 0), v))
	}
	e.moves(ms)
	return nil
}

// callSetup moves the args of a call of kind op (call, call_import or
// call_ref: args are the callee vmctx, the caller's vmctx or the funcref
// record, then the params) into the ABI locations of sig; stack params go
// to [base+off+8k]. For call_import and call_ref the code address is left
// in call word 0 of the frame.
func (e *fn) callSetup(op ir.Op, aux int64, args []*ir.Value, sig signature, base lower.Reg, off int32) {
	a := e.a
	var ms []lower.Move
	vmWord := lower.Loc{Kind: lower.LocMem, Reg: xFP, Slot: int32(e.frame.CallWordOff(1))}
	switch op {
	case ir.OpCallRef:
		// Code and callee vmctx of the funcref record into the frame words,
		// so the argument moves may use every register.
		rec := e.intReg(args[0], sc0)
		a.op(arm64.AMOVD, memAddr(rec, abi.FuncRefCode), regAddr(sc1))
		a.op(arm64.AMOVD, regAddr(sc1), memAddr(rFP, e.frame.CallWordOff(0)))
		a.op(arm64.AMOVD, memAddr(rec, abi.FuncRefVMCtx), regAddr(sc1))
		a.op(arm64.AMOVD, regAddr(sc1), memAddr(rFP, e.frame.CallWordOff(1)))
		ms = append(ms, e.move(lower.RegLoc(x0), vmWord, args[0]))
	case ir.OpCallImport:
		vm := e.intReg(args[0], sc0)
		a.op(arm64.AMOVD, memAddr(vm, aux), regAddr(sc1))
		a.op(arm64.AMOVD, regAddr(sc1), memAddr(rFP, e.frame.CallWordOff(0)))
		a.op(arm64.AMOVD, memAddr(vm, aux+8), regAddr(sc1))
		a.op(arm64.AMOVD, regAddr(sc1), memAddr(rFP, e.frame.CallWordOff(1)))
		ms = append(ms, e.move(lower.RegLoc(x0), vmWord, args[0]))
	default:
		ms = append(ms, e.move(lower.RegLoc(x0), e.loc(args[0]), args[0]))
	}
	for i, x := range args[1:] {
		ms = append(ms, e.move(sig.params[i].loc(base, off), e.loc(x), x))
	}
	e.moves(ms)
}

// tailKinds maps tail-call block kinds to the call they make.
var tailKinds = map[ir.BlockKind]ir.Op{
	ir.BlockTailCall:       ir.OpCall,
	ir.BlockTailCallImport: ir.OpCallImport,
	ir.BlockTailCallRef:    ir.OpCallRef,
}

// tailSig is the signature of a tail-call block's callee: the params are
// the controls after the first, the results this function's.
func (e *fn) tailSig(b *ir.Block) (signature, error) {
	var params []ir.Type
	for _, x := range b.Controls[1:] {
		params = append(params, x.Type)
	}
	return makeSignature(params, e.f.Results)
}

// tailCall ends the function by calling another whose results are this
// function's. When the callee has as many stack params as this function,
// its args replace this function's incoming ones, the frame is torn down
// and the call is a branch: the stack does not grow. Otherwise it is a
// call followed by a return.
func (e *fn) tailCall(b *ir.Block) error {
	a := e.a
	op := tailKinds[b.Kind]
	sig, err := e.tailSig(b)
	if err != nil {
		return err
	}
	if sig.stackArgs != e.sig.stackArgs {
		e.callSetup(op, b.Aux, b.Controls, sig, xSP, 0)
		var p *obj.Prog
		if op != ir.OpCall {
			a.op(arm64.AMOVD, memAddr(rFP, e.frame.CallWordOff(0)), regAddr(sc0))
			p = a.Add(&obj.Prog{As: arm64.ABL, To: obj.Addr{Type: obj.TYPE_MEM, Reg: sc0}})
		} else {
			p = a.CallOut(arm64.ABL, lower.TargetFunc, int(b.Aux))
		}
		a.Site(p, true, b.Pos)
		var ms []lower.Move
		for i, l := range sig.results {
			t := e.f.Results[i]
			c, _ := regClass(t)
			ms = append(ms, lower.Move{Dst: e.sig.results[i].loc(xFP, 16), Src: l.loc(xSP, 0), V: &ir.Value{Type: t}, Class: c})
		}
		e.moves(ms)
		e.epilogue()
		return nil
	}
	e.callSetup(op, b.Aux, b.Controls, sig, xFP, 16)
	if op != ir.OpCall {
		a.op(arm64.AMOVD, memAddr(rFP, e.frame.CallWordOff(0)), regAddr(sc1))
	}
	e.teardown()
	var p *obj.Prog
	if op != ir.OpCall {
		p = a.Add(&obj.Prog{As: arm64.AB, To: obj.Addr{Type: obj.TYPE_MEM, Reg: sc1}})
	} else {
		p = a.CallOut(arm64.AB, lower.TargetFunc, int(b.Aux))
	}
	a.CFIAfter(p, lower.CFIRow{CFAReg: lower.CFARegFP, CFAOffset: 16, FPSaved: true})
	return nil
}

// libcall exits to rt for runtime service idx: arg(i) stores argument i
// into slot i of the buffer at [SP] and reports false past the last one;
// the results are in the buffer from slot 0 afterwards. Every caller-saved
// register is clobbered (Clobbers says so for the ops that use it).
func (e *fn) libcall(v *ir.Value, idx int64, arg func(i int) bool) {
	a := e.a
	for i := 0; arg(i); i++ {
	}
	vm := e.intReg(v.Args[0], sc1)
	a.op(arm64.AMOVD, regAddr(vm), memAddr(rEctx, abi.EctxExitVMCtx))
	a.op(arm64.AMOVD, regAddr(rSP), regAddr(sc0))
	a.op(arm64.AMOVD, regAddr(sc0), memAddr(rEctx, abi.EctxExitArgs))
	a.op(arm64.AMOVD, immAddr(idx), regAddr(sc0))
	a.op(arm64.AMOVD, regAddr(sc0), memAddr(rEctx, abi.EctxExitArg))
	a.op(arm64.AMOVD, immAddr(abi.ExitLibcall), regAddr(sc0))
	a.op(arm64.AMOVD, regAddr(sc0), memAddr(rEctx, abi.EctxExitCode))
	p := a.CallOut(arm64.ABL, lower.TargetRuntime, lower.RuntimeExit)
	a.Site(p, true, v.Pos)
	e.lastCall, e.lastCallValue = p, v
}

// table lowers table_get(_func) and table_set(_func): a bounds check of
// the index against the length (trap Aux), then the 8-byte element at
// base + 8*index; function tables hold record|1 (0 = not initialised yet,
// materialised by a libcall on first read).
func (e *fn) table(v *ir.Value, _ *lowering) error {
	a := e.a
	idx := e.zext32(v.Args[1], sc1)
	if idx != sc1 {
		a.op(arm64.AMOVD, regAddr(idx), regAddr(sc1))
	}
	vm := e.intReg(v.Args[0], sc0)
	a.op(arm64.AMOVD, memAddr(vm, v.Aux2+8), regAddr(sc2))
	a.cmp(arm64.ACMP, regAddr(sc2), sc1)
	e.trapIf(arm64.ABHS, v.Aux, v.Pos)
	a.op(arm64.AMOVD, memAddr(vm, v.Aux2), regAddr(sc0))
	if v.Type == ir.Cont || v.Op == ir.OpTableSet && v.Args[2].Type == ir.Cont {
		return e.contTable(v)
	}
	// sc2 = the element's address; sc1 keeps the index.
	a.op3(arm64.AADD, shiftedReg(sc1, 3), sc0, regAddr(sc2))
	switch v.Op {
	case ir.OpTableGet:
		d := e.dst(v, sc0)
		a.op(arm64.AMOVD, memAddr(sc2, 0), regAddr(d))
		e.commit(v, d)
	case ir.OpTableGetFunc:
		have, done := a.NewLabel(), a.NewLabel()
		a.op(arm64.AMOVD, memAddr(sc2, 0), regAddr(sc0))
		a.cbz(arm64.ACBNZ, sc0, have)
		e.libcall(v, abi.LibcallTableElem, func(i int) bool {
			if i == 0 {
				a.op(arm64.AMOVD, immAddr(v.Aux2), regAddr(sc0))
				a.stp(arm64.ASTP, sc0, sc1, rSP, 0, 0) // [SP] = table, [SP+8] = index
			}
			return i == 0
		})
		a.op(arm64.AMOVD, memAddr(rSP, 0), regAddr(sc0))
		a.Branch(arm64.AB, done)
		a.Place(have)
		a.op3(arm64.AAND, immAddr(^int64(abi.TableElemInit)), sc0, regAddr(sc0))
		a.Place(done)
		e.commit(v, sc0)
	default:
		x := v.Args[2]
		r := e.intReg(x, sc0)
		if v.Op == ir.OpTableSetFunc {
			a.op3(arm64.AORR, immAddr(abi.TableElemInit), r, regAddr(sc0))
			r = sc0
		}
		a.op(arm64.AMOVD, regAddr(r), memAddr(sc2, 0))
	}
	return nil
}

// shiftedReg is the operand "r << s" of an ALU instruction.
func shiftedReg(r int16, s int64) obj.Addr {
	return obj.Addr{Type: obj.TYPE_SHIFT, Offset: int64(r&31)<<16 | s<<10 | 0<<22}
}
