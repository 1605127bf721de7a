package x64

// Per-op lowerings. The lowering table has one row per IR op: the function
// that emits it and the instructions it selects, or why the op is not
// supported (TestOpTableComplete checks every op has a row). Each lowering
// reads its operands before writing its result register (which the
// allocator may have made equal to an operand that dies here), staging in
// the scratch registers when an operand is read after the result is first
// written.

import (
	"fmt"
	"math"
	"slices"

	"github.com/twitchyliquid64/golang-asm/obj"
	"github.com/twitchyliquid64/golang-asm/obj/x86"

	"wfxc/ir"
	"wfxc/lower"
	"wfxc/rt/abi"
)

// lowering is the x64 row of an IR op.
type lowering struct {
	emit        func(e *fn, v *ir.Value, l *lowering) error
	as32, as64  obj.As // the instruction for 32-bit (f32) and for 64-bit (f64) values
	comm        bool   // its operands commute
	imm         int64  // an immediate it takes (ROUNDSD's rounding mode)
	unsupported string // why there is no emit
	temps       bool   // a SIMD sequence: uses and clobbers X10–X13 (simd.go)
	xmm         bool   // a vector op whose lowering writes XMM registers only (keepsBase)
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

	ir.OpAdd:    {emit: (*fn).intBinop, as32: x86.AADDL, as64: x86.AADDQ, comm: true},
	ir.OpSub:    {emit: (*fn).intBinop, as32: x86.ASUBL, as64: x86.ASUBQ},
	ir.OpMul:    {emit: (*fn).intBinop, as32: x86.AIMULL, as64: x86.AIMULQ, comm: true},
	ir.OpDivS:   {emit: (*fn).divide},
	ir.OpDivU:   {emit: (*fn).divide},
	ir.OpRemS:   {emit: (*fn).divide},
	ir.OpRemU:   {emit: (*fn).divide},
	ir.OpAnd:    {emit: (*fn).intBinop, as32: x86.AANDL, as64: x86.AANDQ, comm: true},
	ir.OpOr:     {emit: (*fn).intBinop, as32: x86.AORL, as64: x86.AORQ, comm: true},
	ir.OpXor:    {emit: (*fn).intBinop, as32: x86.AXORL, as64: x86.AXORQ, comm: true},
	ir.OpShl:    {emit: (*fn).shift, as32: x86.ASHLL, as64: x86.ASHLQ},
	ir.OpShrS:   {emit: (*fn).shift, as32: x86.ASARL, as64: x86.ASARQ},
	ir.OpShrU:   {emit: (*fn).shift, as32: x86.ASHRL, as64: x86.ASHRQ},
	ir.OpRotl:   {emit: (*fn).shift, as32: x86.AROLL, as64: x86.AROLQ},
	ir.OpRotr:   {emit: (*fn).shift, as32: x86.ARORL, as64: x86.ARORQ},
	ir.OpClz:    {emit: (*fn).clz, as32: x86.ABSRL, as64: x86.ABSRQ},
	ir.OpCtz:    {emit: (*fn).ctz, as32: x86.ABSFL, as64: x86.ABSFQ},
	ir.OpPopcnt: {emit: (*fn).intUnop, as32: x86.APOPCNTL, as64: x86.APOPCNTQ},
	ir.OpEqz:    {emit: (*fn).compareOp},
	ir.OpICmp:   {emit: (*fn).compareOp},

	ir.OpWrap:      {emit: (*fn).intUnop, as32: x86.AMOVL, as64: x86.AMOVL},
	ir.OpExtendS:   {emit: (*fn).intUnop, as32: x86.AMOVLQSX, as64: x86.AMOVLQSX},
	ir.OpExtendU:   {emit: (*fn).extendU, as32: x86.AMOVL, as64: x86.AMOVL}, // MOVL zero-extends
	ir.OpSignExt8:  {emit: (*fn).signExtend, as32: x86.AMOVBLSX, as64: x86.AMOVBQSX},
	ir.OpSignExt16: {emit: (*fn).signExtend, as32: x86.AMOVWLSX, as64: x86.AMOVWQSX},
	ir.OpSignExt32: {emit: (*fn).intUnop, as32: x86.AMOVLQSX, as64: x86.AMOVLQSX},

	ir.OpFAdd:      {emit: (*fn).floatBinop, as32: x86.AADDSS, as64: x86.AADDSD, comm: true},
	ir.OpFSub:      {emit: (*fn).floatBinop, as32: x86.ASUBSS, as64: x86.ASUBSD},
	ir.OpFMul:      {emit: (*fn).floatBinop, as32: x86.AMULSS, as64: x86.AMULSD, comm: true},
	ir.OpFDiv:      {emit: (*fn).floatBinop, as32: x86.ADIVSS, as64: x86.ADIVSD},
	ir.OpFMin:      {emit: (*fn).minMax, as32: x86.AMINSS, as64: x86.AMINSD},
	ir.OpFMax:      {emit: (*fn).minMax, as32: x86.AMAXSS, as64: x86.AMAXSD},
	ir.OpFCopysign: {emit: (*fn).copysign},
	ir.OpFAbs:      {emit: (*fn).signBit, as32: x86.ABTRL, as64: x86.ABTRQ},
	ir.OpFNeg:      {emit: (*fn).signBit, as32: x86.ABTCL, as64: x86.ABTCQ},
	ir.OpFSqrt:     {emit: (*fn).floatUnop, as32: x86.ASQRTSS, as64: x86.ASQRTSD},
	ir.OpFCeil:     {emit: (*fn).round, as32: x86.AROUNDSS, as64: x86.AROUNDSD, imm: 2},
	ir.OpFFloor:    {emit: (*fn).round, as32: x86.AROUNDSS, as64: x86.AROUNDSD, imm: 1},
	ir.OpFTrunc:    {emit: (*fn).round, as32: x86.AROUNDSS, as64: x86.AROUNDSD, imm: 3},
	ir.OpFNearest:  {emit: (*fn).round, as32: x86.AROUNDSS, as64: x86.AROUNDSD, imm: 0},
	ir.OpFCmp:      {emit: (*fn).compareOp},

	ir.OpTruncS:      {emit: (*fn).truncate},
	ir.OpTruncU:      {emit: (*fn).truncate},
	ir.OpTruncSatS:   {emit: (*fn).truncate},
	ir.OpTruncSatU:   {emit: (*fn).truncate},
	ir.OpConvertS:    {emit: (*fn).convert},
	ir.OpConvertU:    {emit: (*fn).convert},
	ir.OpPromote:     {emit: (*fn).floatUnop, as32: x86.ACVTSS2SD, as64: x86.ACVTSS2SD},
	ir.OpDemote:      {emit: (*fn).floatUnop, as32: x86.ACVTSD2SS, as64: x86.ACVTSD2SS},
	ir.OpReinterpret: {emit: (*fn).reinterpret},

	// Full-width loads and stores take their MOV from the type (fullMov).
	ir.OpLoad:       {emit: (*fn).memory},
	ir.OpLoad8S:     {emit: (*fn).memory, as32: x86.AMOVBLSX, as64: x86.AMOVBQSX},
	ir.OpLoad8U:     {emit: (*fn).memory, as32: x86.AMOVBLZX, as64: x86.AMOVBLZX},
	ir.OpLoad16S:    {emit: (*fn).memory, as32: x86.AMOVWLSX, as64: x86.AMOVWQSX},
	ir.OpLoad16U:    {emit: (*fn).memory, as32: x86.AMOVWLZX, as64: x86.AMOVWLZX},
	ir.OpLoad32S:    {emit: (*fn).memory, as32: x86.AMOVLQSX, as64: x86.AMOVLQSX},
	ir.OpLoad32U:    {emit: (*fn).memory, as32: x86.AMOVL, as64: x86.AMOVL},
	ir.OpStore:      {emit: (*fn).memory},
	ir.OpStore8:     {emit: (*fn).memory, as32: x86.AMOVB, as64: x86.AMOVB},
	ir.OpStore16:    {emit: (*fn).memory, as32: x86.AMOVW, as64: x86.AMOVW},
	ir.OpStore32:    {emit: (*fn).memory, as32: x86.AMOVL, as64: x86.AMOVL},
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

	ir.OpStackSwitch: {emit: (*fn).stackSwitch},

	ir.OpThrow:      {emit: (*fn).throwOp},    // exn.go
	ir.OpLandingArg: {emit: (*fn).landingArg}, // exn.go

	ir.OpECtx:      {emit: (*fn).rematAddr},
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
var fullMov = map[ir.Type]obj.As{ir.I32: x86.AMOVL, ir.I64: x86.AMOVQ, ir.F32: x86.AMOVSS, ir.F64: x86.AMOVSD, ir.Ref: x86.AMOVQ, ir.V128: x86.AMOVUPS}

// value lowers v through its row.
func (e *fn) value(v *ir.Value) error {
	l := &lowerings[v.Op]
	if l.emit == nil {
		return fmt.Errorf("op %v not supported by the x64 back end: %s", v.Op, l.unsupported)
	}
	if v.Op == ir.OpAnd && e.fused[v.ID] {
		return nil // tested by its branch (testMask)
	}
	if v.Op == ir.OpI64x2Splat && e.folded[v.ID] {
		return nil // of a load, into the extend after it (foldLoads)
	}
	if e.xfold != nil && e.xfold[v.ID] {
		return nil // into the extend after it (foldExtends)
	}
	if e.lea != nil && e.lea[v.ID] {
		e.leaValue(v) // after an early compare (flagsink.go)
		return nil
	}
	if e.cpu != 0 {
		if done, err := e.bmiValue(v); done { // bmi.go
			return err
		}
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

// clz counts leading zeros with BSR: width-1 - index of the top bit, and
// width when there is none (BSR sets ZF and leaves its result undefined).
func (e *fn) clz(v *ir.Value, l *lowering) error {
	a := e.a
	w := int64(32)
	if wide(v.Type) {
		w = 64
	}
	src := e.rm(v.Args[0], sc0, false)
	a.op(pick(v.Type, l.as32, l.as64), src, regAddr(sc1))
	a.op(x86.AMOVQ, immAddr(-1), regAddr(sc0))
	a.op(x86.ACMOVQEQ, regAddr(sc0), regAddr(sc1))
	a.op(x86.AMOVQ, immAddr(w-1), regAddr(sc0))
	a.op(x86.ASUBQ, regAddr(sc1), regAddr(sc0))
	e.commit(v, sc0)
	return nil
}

// ctz counts trailing zeros with BSF, and width when there is no one bit.
func (e *fn) ctz(v *ir.Value, l *lowering) error {
	if e.nzCtz != nil && e.nzCtz[v.ID] {
		e.countZeros(v, x86.ATZCNTL, x86.ATZCNTQ) // ctz.go
		return nil
	}
	a := e.a
	w := int64(32)
	if wide(v.Type) {
		w = 64
	}
	src := e.rm(v.Args[0], sc0, false)
	d := e.dst(v, sc1) // straight into its register: BSF reads src first
	a.op(pick(v.Type, l.as32, l.as64), src, regAddr(d))
	a.op(x86.AMOVQ, immAddr(w), regAddr(sc0))
	a.op(x86.ACMOVQEQ, regAddr(sc0), regAddr(d))
	e.commit(v, d)
	return nil
}

// extendU zero-extends an i32 to i64 by MOVL, or by nothing when the i32's
// register is zero-extended already (zeroExtended: a 32-bit operation
// wrote it) and the result takes the same register.
func (e *fn) extendU(v *ir.Value, l *lowering) error {
	x := v.Args[0]
	if xl := e.loc(x); x.Type == ir.I32 && xl.Kind == lower.LocReg && e.zext[x.ID] && e.inReg(v, asmReg(xl.Reg)) {
		return nil
	}
	return e.intUnop(v, l)
}

// intUnop lowers dst = op(x) for one instruction reading a register or
// memory operand.
func (e *fn) intUnop(v *ir.Value, l *lowering) error {
	d := e.dst(v, sc1)
	e.a.op(pick(v.Type, l.as32, l.as64), e.rm(v.Args[0], sc0, false), regAddr(d))
	e.commit(v, d)
	return nil
}

// signExtend sign-extends the low byte or word of a register.
func (e *fn) signExtend(v *ir.Value, l *lowering) error {
	r := e.intReg(v.Args[0], sc0)
	d := e.dst(v, sc1)
	e.a.op(pick(v.Type, l.as32, l.as64), regAddr(r), regAddr(d))
	e.commit(v, d)
	return nil
}

// compareOp materialises a compare, unless it is fused into its branch.
func (e *fn) compareOp(v *ir.Value, _ *lowering) error {
	if !e.fused[v.ID] {
		e.setCond(v)
	} else if e.early != nil && e.early[v.ID] {
		e.earlyCond = e.compare(v) // the branch comes later (flagsink.go)
	}
	return nil
}

// copysign combines the magnitude bits of arg0 with the sign bit of arg1.
func (e *fn) copysign(v *ir.Value, _ *lowering) error {
	a := e.a
	e.loadBits(v.Args[0], sc1)
	e.loadBits(v.Args[1], sc0)
	if v.Type == ir.F64 {
		a.op(x86.ABTRQ, immAddr(63), regAddr(sc1))
		a.op(x86.ASHRQ, immAddr(63), regAddr(sc0))
		a.op(x86.ASHLQ, immAddr(63), regAddr(sc0))
		a.op(x86.AORQ, regAddr(sc0), regAddr(sc1))
	} else {
		a.op(x86.ABTRL, immAddr(31), regAddr(sc1))
		a.op(x86.AANDL, immAddr(math.MinInt32), regAddr(sc0))
		a.op(x86.AORL, regAddr(sc0), regAddr(sc1))
	}
	e.storeBits(sc1, v)
	return nil
}

// signBit clears (abs) or flips (neg) the sign bit in a general register.
func (e *fn) signBit(v *ir.Value, l *lowering) error {
	e.loadBits(v.Args[0], sc1)
	bit := int64(31)
	if v.Type == ir.F64 {
		bit = 63
	}
	e.a.op(pick(v.Type, l.as32, l.as64), immAddr(bit), regAddr(sc1))
	e.storeBits(sc1, v)
	return nil
}

// floatUnop lowers dst = op(x) for one SSE instruction reading a register
// or memory operand.
func (e *fn) floatUnop(v *ir.Value, l *lowering) error {
	d := e.dst(v, fsc1)
	src := e.rm(v.Args[0], fsc0, false)
	e.breakDep(d, src)
	e.a.op(pick(v.Type, l.as32, l.as64), src, regAddr(d))
	e.commit(v, d)
	return nil
}

// breakDep zeroes XMM register d before a scalar SSE instruction that
// writes only d's low lane from src (SQRTSD, CVTSI2SD, CVTSS2SD, ROUNDSD,
// …): those keep d's upper lanes, so without it they wait for whatever
// last wrote d — in a loop often a long-latency DIVSD of the previous
// iteration. XORPS d, d is recognised as dependency-free and touches no
// flags. Not when src is d itself (the dependency is real then).
func (e *fn) breakDep(d int16, src obj.Addr) {
	if src.Type == obj.TYPE_REG && src.Reg == d {
		return
	}
	e.a.op(x86.AXORPS, regAddr(d), regAddr(d))
}

// round lowers ceil, floor, trunc and nearest with ROUNDSS/ROUNDSD.
func (e *fn) round(v *ir.Value, l *lowering) error {
	d := e.dst(v, fsc1)
	r := e.floatReg(v.Args[0], fsc0)
	e.breakDep(d, regAddr(r))
	e.a.op3(pick(v.Type, l.as32, l.as64), immAddr(l.imm), regAddr(r), regAddr(d))
	e.commit(v, d)
	return nil
}

// reinterpret moves bits between a general and an XMM register.
func (e *fn) reinterpret(v *ir.Value, _ *lowering) error {
	if isFloat(v.Type) {
		e.loadInto(v.Args[0], sc1)
		e.storeBits(sc1, v)
	} else {
		e.loadBits(v.Args[0], sc1)
		e.commit(v, sc1)
	}
	return nil
}

// memorySize lowers memory_size: the length in pages.
func (e *fn) memorySize(v *ir.Value, _ *lowering) error {
	a := e.a
	vm := e.intReg(v.Args[0], sc0)
	a.op(x86.AMOVQ, memAddr(vm, v.Aux2+8), regAddr(sc1))
	a.op(x86.ASHRQ, immAddr(16), regAddr(sc1))
	e.commit(v, sc1)
	return nil
}

// globalGet loads a global's slot (through its pointer when indirect).
func (e *fn) globalGet(v *ir.Value, _ *lowering) error {
	a := e.a
	vm := e.intReg(v.Args[0], sc0)
	m := memAddr(vm, v.Aux)
	if v.Aux2 == 1 {
		a.op(x86.AMOVQ, m, regAddr(sc0))
		m = memAddr(sc0, 0)
	}
	if inXMM(v.Type) {
		d := e.dst(v, fsc1)
		mov, _ := rawMov(v.Type)
		a.op(mov, m, regAddr(d))
		e.commit(v, d)
	} else if v.Type.IsInt() || v.Type == ir.Ref {
		d := e.dst(v, sc1)
		a.op(pick(v.Type, x86.AMOVL, x86.AMOVQ), m, regAddr(d))
		e.commit(v, d)
	} else {
		return fmt.Errorf("global of type %v not supported", v.Type)
	}
	return nil
}

// globalSet stores into a global's slot (through its pointer when indirect).
func (e *fn) globalSet(v *ir.Value, _ *lowering) error {
	a := e.a
	x := v.Args[1]
	vm := e.intReg(v.Args[0], sc0)
	m := memAddr(vm, v.Aux)
	if v.Aux2 == 1 {
		a.op(x86.AMOVQ, m, regAddr(sc0))
		m = memAddr(sc0, 0)
	}
	if inXMM(x.Type) {
		mov, _ := rawMov(x.Type)
		a.op(mov, regAddr(e.floatReg(x, fsc1)), m)
	} else if x.Type.IsInt() || x.Type == ir.Ref {
		a.op(pick(x.Type, x86.AMOVL, x86.AMOVQ), regAddr(e.intReg(x, sc1)), m)
	} else {
		return fmt.Errorf("global of type %v not supported", x.Type)
	}
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
		x := v.Args[i+1]
		if wide(x.Type) {
			e.loadInto(x, sc1)
		} else {
			a.op(x86.AMOVL, e.rm(x, sc1, false), regAddr(sc1)) // zero-extended
		}
		a.op(x86.AMOVQ, regAddr(sc1), memAddr(x86.REG_SP, 8*int64(i)))
		return true
	})
	if v.Type != ir.Void {
		d := e.dst(v, sc1)
		a.op(pick(v.Type, x86.AMOVL, x86.AMOVQ), memAddr(x86.REG_SP, 0), regAddr(d))
		e.commit(v, d)
	}
	return nil
}

// trapNZ traps with code arg0 when it is not zero.
func (e *fn) trapNZ(v *ir.Value, _ *lowering) error {
	a := e.a
	x := v.Args[0]
	r := e.intReg(x, sc1)
	a.op(pick(x.Type, x86.ATESTL, x86.ATESTQ), regAddr(r), regAddr(r))
	l := a.NewLabel()
	p := a.Branch(x86.AJNE, l)
	e.traps = append(e.traps, trapStub{label: l, site: p, codeFrom: x, pos: v.Pos})
	return nil
}

// fuelCheck adds the cost Aux to the fuel counter arg0 and traps "all
// fuel consumed" when the sum is above 0: the add sets the flags for the
// branch to the out-of-line trap stub (it cannot overflow: the counter is
// at most 0 before it).
func (e *fn) fuelCheck(v *ir.Value, _ *lowering) error {
	d := e.dst(v, sc1)
	e.loadInto(v.Args[0], d)
	e.a.op(x86.AADDQ, immAddr(v.Aux), regAddr(d))
	e.trapIf(x86.AJGT, abi.TrapOutOfFuel, v.Pos)
	e.commit(v, d)
	return nil
}

// refAsNonNull traps with code Aux on a null reference.
func (e *fn) refAsNonNull(v *ir.Value, _ *lowering) error {
	r := e.intReg(v.Args[0], sc1)
	e.a.op(x86.ATESTQ, regAddr(r), regAddr(r))
	e.trapIf(x86.AJEQ, v.Aux, v.Pos)
	e.commit(v, r)
	return nil
}

// refFunc lowers ref_func: records + Aux*FuncRefSize; a record whose code
// is 0 is created by a libcall.
func (e *fn) refFunc(v *ir.Value, _ *lowering) error {
	a := e.a
	vm := e.intReg(v.Args[0], sc0)
	a.op(x86.AMOVQ, memAddr(vm, v.Aux2), regAddr(sc1))
	a.op(x86.AADDQ, immAddr(v.Aux*abi.FuncRefSize), regAddr(sc1))
	done := a.NewLabel()
	a.op(x86.ACMPQ, memAddr(sc1, abi.FuncRefCode), immAddr(0))
	a.Branch(x86.AJNE, done)
	e.libcall(v, abi.LibcallFuncRef, func(i int) bool {
		if i == 0 {
			a.op(x86.AMOVQ, immAddr(v.Aux), memAddr(x86.REG_SP, 0))
		}
		return i == 0
	})
	a.op(x86.AMOVQ, memAddr(x86.REG_SP, 0), regAddr(sc1))
	a.Place(done)
	e.commit(v, sc1)
	return nil
}

// tableSize loads a table's length.
func (e *fn) tableSize(v *ir.Value, _ *lowering) error {
	vm := e.intReg(v.Args[0], sc0)
	d := e.dst(v, sc1)
	e.a.op(pick(v.Type, x86.AMOVL, x86.AMOVQ), memAddr(vm, v.Aux2+8), regAddr(d))
	e.commit(v, d)
	return nil
}

// funcTypeCheck compares the type id of record arg1 with the expected one
// and traps on a mismatch (asking rt about subtyping for non-final types).
func (e *fn) funcTypeCheck(v *ir.Value, _ *lowering) error {
	a := e.a
	rec := e.intReg(v.Args[1], sc1)
	vm := e.intReg(v.Args[0], sc0)
	a.op(x86.AMOVL, memAddr(vm, v.Aux), regAddr(sc0)) // the u32 type id, zero-extended
	a.op(x86.ACMPQ, regAddr(sc0), memAddr(rec, abi.FuncRefTypeID))
	if v.Aux2 == 0 {
		e.trapIf(x86.AJNE, abi.TrapIndirectCallType, v.Pos)
		return nil
	}
	// A non-final expected type: a different id may still be a
	// declared subtype; rt answers (actual <: expected).
	done := a.NewLabel()
	a.Branch(x86.AJEQ, done)
	e.libcall(v, abi.LibcallSubtype, func(i int) bool {
		if i == 0 {
			a.op(x86.AMOVQ, regAddr(sc0), memAddr(x86.REG_SP, 8))
			a.op(x86.AMOVQ, memAddr(rec, abi.FuncRefTypeID), regAddr(sc0))
			a.op(x86.AMOVQ, regAddr(sc0), memAddr(x86.REG_SP, 0))
		}
		return i == 0
	})
	a.op(x86.ACMPQ, memAddr(x86.REG_SP, 0), immAddr(0))
	e.trapIf(x86.AJEQ, abi.TrapIndirectCallType, v.Pos)
	a.Place(done)
	return nil
}

// poll lowers the preemption / interrupt poll. Fast path inline, using
// only R11 (emitter scratch): the slow path calls the poll-exit routine,
// which preserves every register. One compare serves Go's preemption
// requests and interrupts: rt interrupts by pointing ectx.G at words whose
// stackguard0 is StackPreempt (abi.EctxG).
//
// A loop header's poll with an induction variable (lower.IVPolls) tests that
// instead and makes the full check out of line.
func (e *fn) poll(v *ir.Value, _ *lowering) error {
	a := e.a
	slow, back := a.NewLabel(), a.NewLabel()
	if p, ok := e.ivPolls[v.ID]; ok {
		if l := e.loc(p.IV); l.Kind == lower.LocReg || l.Kind == lower.LocStack {
			a.op(pick(p.IV.Type, x86.ATESTL, x86.ATESTQ), immAddr(p.Mask), e.rm(p.IV, sc1, false))
			a.Branch(x86.AJEQ, slow)
			a.Place(back)
			e.polls = append(e.polls, pollStub{label: slow, back: back, pos: v.Pos, check: true})
			return nil
		}
	}
	e.pollCheck()
	a.Branch(x86.AJEQ, slow)
	a.Place(back)
	e.polls = append(e.polls, pollStub{label: slow, back: back, pos: v.Pos})
	return nil
}

// pollCheck sets ZF when the poll must exit: ectx.G's stackguard0 is
// StackPreempt. It uses R11 only.
func (e *fn) pollCheck() {
	e.a.op(x86.AMOVQ, memAddr(x86.REG_R15, abi.EctxG), regAddr(sc1))
	e.a.op(x86.ACMPQ, memAddr(sc1, abi.GStackguard0), immAddr(int64(int32(-1314))))
}

// intBinop lowers dst = x op y for two-address ALU ops.
func (e *fn) intBinop(v *ir.Value, l *lowering) error {
	if !v.Type.IsInt() && v.Type != ir.Ref {
		return fmt.Errorf("%v of type %v not supported", v.Op, v.Type)
	}
	a := e.a
	as, comm := pick(v.Type, l.as32, l.as64), l.comm
	x, y := v.Args[0], v.Args[1]
	d := e.dst(v, sc1)
	imm := func(z *ir.Value) bool { return z.Op == ir.OpConst && int64(int32(constBits(z))) == constBits(z) }
	if comm && imm(x) && !imm(y) {
		x, y = y, x // the constant as the immediate
	}
	// An add into a register that holds neither operand: one LEA instead
	// of a move and the add (it wraps the same way and sets no flags,
	// which no consumer of an add reads).
	if v.Op == ir.OpAdd && e.loc(x).Kind == lower.LocReg && !e.inReg(x, d) {
		lea := pick(v.Type, x86.ALEAL, x86.ALEAQ)
		switch {
		case imm(y):
			a.op(lea, memAddr(asmReg(e.loc(x).Reg), constBits(y)), regAddr(d))
			e.commit(v, d)
			return nil
		case e.loc(y).Kind == lower.LocReg && !e.inReg(y, d):
			a.op(lea, memIndex(asmReg(e.loc(x).Reg), asmReg(e.loc(y).Reg), 1, 0), regAddr(d))
			e.commit(v, d)
			return nil
		}
	}
	if e.inReg(y, d) && !e.inReg(x, d) {
		if comm {
			x, y = y, x
		} else {
			d = sc1
		}
	}
	e.loadInto(x, d)
	a.op(as, e.rm(y, sc0, true), regAddr(d))
	e.commit(v, d)
	return nil
}

// shift lowers shifts and rotates; a variable count goes through CL.
func (e *fn) shift(v *ir.Value, l *lowering) error {
	a := e.a
	as := pick(v.Type, l.as32, l.as64)
	x, y := v.Args[0], v.Args[1]
	if y.Op == ir.OpConst {
		d := e.dst(v, sc1)
		e.loadInto(x, d)
		mask := int64(31)
		if wide(v.Type) {
			mask = 63
		}
		a.op(as, immAddr(y.Aux&mask), regAddr(d))
		e.commit(v, d)
		return nil
	}
	e.loadInto(x, sc1)
	e.loadInto(y, x86.REG_CX)
	a.op(as, regAddr(x86.REG_CX), regAddr(sc1))
	e.commit(v, sc1)
	return nil
}

// divide lowers the four divisions with their traps.
func (e *fn) divide(v *ir.Value, _ *lowering) error {
	a := e.a
	x, y := v.Args[0], v.Args[1]
	q := wide(v.Type)
	e.loadInto(y, sc1)
	// A constant divisor needs no zero test, and no -1 path unless it is -1.
	known, c := y.Op == ir.OpConst, constBits(y)
	if !q {
		c = int64(int32(c))
	}
	if !known || c == 0 {
		a.op(pick(v.Type, x86.ATESTL, x86.ATESTQ), regAddr(sc1), regAddr(sc1))
		e.trapIf(x86.AJEQ, abi.TrapIntDivByZero, v.Pos)
	}
	e.loadInto(x, x86.REG_AX)
	signed := v.Op == ir.OpDivS || v.Op == ir.OpRemS
	done := a.NewLabel()
	if signed && known && c != -1 {
		a.op0(pick(v.Type, x86.ACDQ, x86.ACQO))
		a.op(pick(v.Type, x86.AIDIVL, x86.AIDIVQ), regAddr(sc1), obj.Addr{})
	} else if signed {
		normal := a.NewLabel()
		a.op(pick(v.Type, x86.ACMPL, x86.ACMPQ), regAddr(sc1), immAddr(-1))
		a.Branch(x86.AJNE, normal)
		if v.Op == ir.OpDivS {
			if q {
				a.op(x86.AMOVQ, immAddr(math.MinInt64), regAddr(sc0))
				a.op(x86.ACMPQ, regAddr(x86.REG_AX), regAddr(sc0))
			} else {
				a.op(x86.ACMPL, regAddr(x86.REG_AX), immAddr(math.MinInt32))
			}
			e.trapIf(x86.AJEQ, abi.TrapIntOverflow, v.Pos)
		} else {
			// x % -1 = 0, and idiv would fault on MIN % -1.
			a.op(x86.AMOVL, immAddr(0), regAddr(x86.REG_DX))
			a.Branch(obj.AJMP, done)
		}
		a.Place(normal)
		a.op0(pick(v.Type, x86.ACDQ, x86.ACQO))
		a.op(pick(v.Type, x86.AIDIVL, x86.AIDIVQ), regAddr(sc1), obj.Addr{})
	} else {
		a.op(x86.AMOVL, immAddr(0), regAddr(x86.REG_DX))
		a.op(pick(v.Type, x86.ADIVL, x86.ADIVQ), regAddr(sc1), obj.Addr{})
	}
	a.Place(done)
	if v.Op == ir.OpDivS || v.Op == ir.OpDivU {
		e.commit(v, x86.REG_AX)
	} else {
		e.commit(v, x86.REG_DX)
	}
	return nil
}

// setCond materialises a compare as 0 or 1.
func (e *fn) setCond(v *ir.Value) {
	a := e.a
	if v.Op == ir.OpFCmp && (ir.Cond(v.Aux) == ir.CondEq || ir.Cond(v.Aux) == ir.CondNe) {
		e.ucomi(v.Args[0], v.Args[1])
		if ir.Cond(v.Aux) == ir.CondEq {
			a.op1(x86.ASETEQ, regAddr(x86.REG_R11B))
			a.op1(x86.ASETPC, regAddr(x86.REG_R10B))
			a.op(x86.AANDL, regAddr(sc0), regAddr(sc1))
		} else {
			a.op1(x86.ASETNE, regAddr(x86.REG_R11B))
			a.op1(x86.ASETPS, regAddr(x86.REG_R10B))
			a.op(x86.AORL, regAddr(sc0), regAddr(sc1))
		}
	} else {
		cond := e.compare(v)
		a.op1(setcc[cond], regAddr(x86.REG_R11B))
	}
	d := e.dst(v, sc1)
	a.op(x86.AMOVBLZX, regAddr(x86.REG_R11B), regAddr(d))
	e.commit(v, d)
}

// selectOp lowers select with CMOV (ints) or a short branch (floats).
func (e *fn) selectOp(v *ir.Value, _ *lowering) error {
	a := e.a
	c, x, y := v.Args[0], v.Args[1], v.Args[2]
	if inXMM(v.Type) {
		e.loadInto(y, fsc1)
		e.testInt(c)
		skip := a.NewLabel()
		a.Branch(x86.AJEQ, skip)
		e.loadInto(x, fsc1)
		a.Place(skip)
		e.commit(v, fsc1)
		return nil
	}
	e.loadInto(y, sc1)
	e.testInt(c)
	src := e.rm(x, sc0, false) // MOV leaves the flags alone
	// CMOVL zero-extends, taken or not (zeroExtended).
	a.op(pick(v.Type, x86.ACMOVLNE, x86.ACMOVQNE), src, regAddr(sc1))
	e.commit(v, sc1)
	return nil
}

// floatBinop lowers dst = x op y for scalar SSE arithmetic.
func (e *fn) floatBinop(v *ir.Value, l *lowering) error {
	a := e.a
	as, comm := pick(v.Type, l.as32, l.as64), l.comm
	x, y := v.Args[0], v.Args[1]
	d := e.dst(v, fsc1)
	if e.inReg(y, d) && !e.inReg(x, d) {
		if comm {
			x, y = y, x
		} else {
			d = fsc1
		}
	}
	e.loadInto(x, d)
	if e.folded[y.ID] {
		e.guardSite(y, a.op(as, e.foldAt, regAddr(d))) // the load just before (foldLoads)
	} else {
		a.op(as, e.rm(y, fsc0, false), regAddr(d))
	}
	e.commit(v, d)
	return nil
}

// minMax lowers wasm fmin/fmax: NaN if either is NaN, and -0 < +0.
func (e *fn) minMax(v *ir.Value, l *lowering) error {
	a := e.a
	y := e.floatReg(v.Args[1], fsc0)
	e.loadInto(v.Args[0], fsc1)
	nan, normal, done := a.NewLabel(), a.NewLabel(), a.NewLabel()
	a.op(pick(v.Type, x86.AUCOMISS, x86.AUCOMISD), regAddr(fsc1), regAddr(y))
	a.Branch(x86.AJPS, nan)
	a.Branch(x86.AJNE, normal)
	// Equal: ±0 need the sign bits combined (OR for min, AND for max).
	if v.Op == ir.OpFMin {
		a.op(x86.AORPS, regAddr(y), regAddr(fsc1))
	} else {
		a.op(x86.AANDPS, regAddr(y), regAddr(fsc1))
	}
	a.Branch(obj.AJMP, done)
	a.Place(nan)
	// The canonical NaN: a valid result whatever the NaN operands were.
	if v.Type == ir.F32 {
		a.op(x86.AMOVSS, a.ConstAddr(0x7fc00000, 0, 4), regAddr(fsc1))
	} else {
		a.op(x86.AMOVSD, a.ConstAddr(0x7ff8000000000000, 0, 8), regAddr(fsc1))
	}
	a.Branch(obj.AJMP, done)
	a.Place(normal)
	a.op(pick(v.Type, l.as32, l.as64), regAddr(y), regAddr(fsc1))
	a.Place(done)
	e.commit(v, fsc1)
	return nil
}

// loadBits loads the bits of a float (or int) value into general register r.
func (e *fn) loadBits(v *ir.Value, r int16) {
	l := e.loc(v)
	switch {
	case l.Kind == lower.LocRemat:
		e.a.op(x86.AMOVQ, immAddr(constBits(v)), regAddr(r))
	case l.Kind != lower.LocReg:
		e.a.op(x86.AMOVQ, e.slotAddr(l), regAddr(r))
	case l.Reg >= x0:
		e.a.op(pick(v.Type, x86.AMOVL, x86.AMOVQ), regAddr(asmReg(l.Reg)), regAddr(r))
	default:
		e.a.op(x86.AMOVQ, regAddr(asmReg(l.Reg)), regAddr(r))
	}
}

// storeBits stores general register r as the bits of float value v.
func (e *fn) storeBits(r int16, v *ir.Value) {
	l := e.loc(v)
	switch l.Kind {
	case lower.LocReg:
		e.a.op(pick(v.Type, x86.AMOVL, x86.AMOVQ), regAddr(r), regAddr(asmReg(l.Reg)))
	case lower.LocStack:
		e.a.op(x86.AMOVQ, regAddr(r), e.slotAddr(l))
	}
}

// convert lowers int → float conversions.
func (e *fn) convert(v *ir.Value, _ *lowering) error {
	a := e.a
	x := v.Args[0]
	d := e.dst(v, fsc1)
	e.breakDep(d, obj.Addr{})
	f64 := v.Type == ir.F64
	cvtQ, cvtL := x86.ACVTSQ2SS, x86.ACVTSL2SS
	if f64 {
		cvtQ, cvtL = x86.ACVTSQ2SD, x86.ACVTSL2SD
	}
	switch {
	case v.Op == ir.OpConvertS && !wide(x.Type):
		a.op(cvtL, e.rm(x, sc1, false), regAddr(d))
	case v.Op == ir.OpConvertS:
		a.op(cvtQ, e.rm(x, sc1, false), regAddr(d))
	case !wide(x.Type):
		a.op(x86.AMOVL, e.rm(x, sc1, false), regAddr(sc1)) // zero-extend
		a.op(cvtQ, regAddr(sc1), regAddr(d))
	default:
		// Unsigned 64-bit: halve (keeping the low bit for rounding),
		// convert, double.
		big, done := a.NewLabel(), a.NewLabel()
		e.loadInto(x, sc1)
		a.op(x86.ATESTQ, regAddr(sc1), regAddr(sc1))
		a.Branch(x86.AJMI, big)
		a.op(cvtQ, regAddr(sc1), regAddr(d))
		a.Branch(obj.AJMP, done)
		a.Place(big)
		a.op(x86.AMOVQ, regAddr(sc1), regAddr(sc0))
		a.op(x86.ASHRQ, immAddr(1), regAddr(sc0))
		a.op(x86.AANDL, immAddr(1), regAddr(sc1))
		a.op(x86.AORQ, regAddr(sc1), regAddr(sc0))
		a.op(cvtQ, regAddr(sc0), regAddr(d))
		a.op(pick(v.Type, x86.AADDSS, x86.AADDSD), regAddr(d), regAddr(d))
		a.Place(done)
	}
	e.commit(v, d)
	return nil
}

// truncBounds returns the exclusive bounds (lo, hi) of the floats whose
// truncation fits the integer type, as bits of the source float type.
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

func (e *fn) floatConst(t ir.Type, f float64) obj.Addr {
	if t == ir.F32 {
		return e.a.ConstAddr(uint64(math.Float32bits(float32(f))), 0, 4)
	}
	return e.a.ConstAddr(math.Float64bits(f), 0, 8)
}

// truncate lowers float → int conversions, trapping or saturating.
func (e *fn) truncate(v *ir.Value, _ *lowering) error {
	a := e.a
	x := v.Args[0]
	st := x.Type
	signed := v.Op == ir.OpTruncS || v.Op == ir.OpTruncSatS
	sat := v.Op == ir.OpTruncSatS || v.Op == ir.OpTruncSatU
	lo, hi := truncBounds(st, v.Type, signed)
	ucom := pick(st, x86.AUCOMISS, x86.AUCOMISD)
	e.loadInto(x, fsc1)
	done := a.NewLabel()
	var nanL, hiL, loL *obj.Prog
	if sat {
		nanL, hiL, loL = a.NewLabel(), a.NewLabel(), a.NewLabel()
	}
	// NaN.
	a.op(ucom, regAddr(fsc1), regAddr(fsc1))
	if sat {
		a.Branch(x86.AJPS, nanL)
	} else {
		e.trapIf(x86.AJPS, abi.TrapInvalidConversion, v.Pos)
	}
	// Too large.
	a.op(ucom, e.floatConst(st, hi), regAddr(fsc1))
	if sat {
		a.Branch(x86.AJCC, hiL)
	} else {
		e.trapIf(x86.AJCC, abi.TrapIntOverflow, v.Pos)
	}
	// Too small.
	a.op(ucom, e.floatConst(st, lo), regAddr(fsc1))
	if sat {
		a.Branch(x86.AJLS, loL)
	} else {
		e.trapIf(x86.AJLS, abi.TrapIntOverflow, v.Pos)
	}
	cvtQ, cvtL := x86.ACVTTSS2SQ, x86.ACVTTSS2SL
	if st == ir.F64 {
		cvtQ, cvtL = x86.ACVTTSD2SQ, x86.ACVTTSD2SL
	}
	switch {
	case signed && !wide(v.Type):
		a.op(cvtL, regAddr(fsc1), regAddr(sc1))
	case signed || !wide(v.Type):
		a.op(cvtQ, regAddr(fsc1), regAddr(sc1))
	default:
		// Unsigned 64-bit: values ≥ 2^63 are converted after subtracting
		// 2^63, whose bit is then put back.
		big := a.NewLabel()
		two63 := e.floatConst(st, 9223372036854775808)
		a.op(ucom, two63, regAddr(fsc1))
		a.Branch(x86.AJCC, big)
		a.op(cvtQ, regAddr(fsc1), regAddr(sc1))
		a.Branch(obj.AJMP, done)
		a.Place(big)
		a.op(pick(st, x86.ASUBSS, x86.ASUBSD), e.floatConst(st, 9223372036854775808), regAddr(fsc1))
		a.op(cvtQ, regAddr(fsc1), regAddr(sc1))
		a.op(x86.ABTCQ, immAddr(63), regAddr(sc1))
	}
	if sat {
		a.Branch(obj.AJMP, done)
		var minV, maxV int64
		switch {
		case signed && wide(v.Type):
			minV, maxV = math.MinInt64, math.MaxInt64
		case signed:
			minV, maxV = math.MinInt32, math.MaxInt32
		case wide(v.Type):
			minV, maxV = 0, -1
		default:
			minV, maxV = 0, math.MaxUint32
		}
		a.Place(nanL)
		a.op(x86.AMOVL, immAddr(0), regAddr(sc1))
		a.Branch(obj.AJMP, done)
		a.Place(hiL)
		a.op(x86.AMOVQ, immAddr(maxV), regAddr(sc1))
		a.Branch(obj.AJMP, done)
		a.Place(loL)
		a.op(x86.AMOVQ, immAddr(minV), regAddr(sc1))
	}
	a.Place(done)
	e.commit(v, sc1)
	return nil
}

// guardChecks drops the bounds checks that guard pages make redundant
// (ir.Func.GuardPages): those of the accesses with a 32-bit address whose
// offset plus size is within abi.GuardBytes. Such an access faults on its
// own instruction, or on the one it is folded into (foldLoads), which gets
// a trap site (guardSite) so the fault reports its wasm offset.
func (e *fn) guardChecks(f *ir.Func) {
	e.guard = make([]bool, f.NumValues())
	for _, b := range f.Blocks {
		for _, v := range b.Values {
			size := v.AccessSize()
			if size == 0 {
				continue
			}
			if !guardable(v) {
				// Checked explicitly, and by its own check: the one
				// it may have shared (lower.BoundsChecks) is gone.
				delete(e.checks, v.ID)
				continue
			}
			e.guard[v.ID] = true
			e.checks[v.ID] = 0
		}
	}
}

// guardable reports whether guard pages bound access v: a plain access
// (guardOps) at a 32-bit address whose offset plus size is within
// abi.GuardBytes.
func guardable(v *ir.Value) bool {
	size := v.AccessSize()
	return size > 0 && guardOps[v.Op] && !wide(v.Args[1].Type) && v.Aux >= 0 && v.Aux+size <= abi.GuardBytes
}

// guardOps are the accesses lowered by memory (one instruction at base +
// address + offset).
var guardOps = map[ir.Op]bool{
	ir.OpLoad: true, ir.OpLoad8S: true, ir.OpLoad8U: true, ir.OpLoad16S: true, ir.OpLoad16U: true,
	ir.OpLoad32S: true, ir.OpLoad32U: true,
	ir.OpStore: true, ir.OpStore8: true, ir.OpStore16: true, ir.OpStore32: true,
}

// guardSite records the access p of v as the site of its fault.
func (e *fn) guardSite(v *ir.Value, p *obj.Prog) {
	if e.guard != nil && e.guard[v.ID] {
		e.a.Site(p, false, v.Pos)
	}
}

// memory lowers loads and stores with their bounds check:
//
//	r11 = zext(addr) + off + size
//	cmp r11, [vm+len]; ja trap
//	add r11, [vm+base]
//	access [r11 - size]
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
	case val != nil:
		as = fullMov[val.Type]
	default:
		as = fullMov[v.Type]
	}
	if as == 0 {
		return fmt.Errorf("memory access of type %v not supported", v.Type)
	}
	if v.Aux < 0 {
		return fmt.Errorf("negative memory offset %d", v.Aux)
	}
	if hoistedBase(v) {
		return e.memoryAtBase(v, addr, val, as)
	}
	if e.memoryIndexed(v, addr, vmv, val, size, as) {
		return nil
	}
	e.base = baseCache{} // the general sequence uses sc0
	// Effective end address.
	if wide(addr.Type) {
		e.loadInto(addr, sc1)
	} else {
		a.op(x86.AMOVL, e.rm(addr, sc1, false), regAddr(sc1))
	}
	// sc1 = address + k, where k is the end to check (the access's own,
	// or widened); the access is then at [sc1 - (k - Aux)].
	k, check := v.Aux+size, true
	if w, ok := e.checks[v.ID]; ok {
		if w == 0 {
			check = false // covered by an earlier check
		} else {
			k = w
		}
	}
	if int64(int32(k)) == k {
		a.op(x86.AADDQ, immAddr(k), regAddr(sc1))
	} else {
		a.op(x86.AMOVQ, immAddr(k), regAddr(sc0))
		a.op(x86.AADDQ, regAddr(sc0), regAddr(sc1))
	}
	if wide(addr.Type) && check {
		e.trapIf(x86.AJCS, abi.TrapMemoryOutOfBounds, v.Pos)
	}
	vm := e.intReg(vmv, sc0)
	if check {
		a.op(x86.ACMPQ, regAddr(sc1), memAddr(vm, v.Aux2+8))
		e.trapIf(x86.AJHI, abi.TrapMemoryOutOfBounds, v.Pos)
	}
	a.op(x86.AADDQ, memAddr(vm, v.Aux2), regAddr(sc1))
	m := memAddr(sc1, v.Aux-k)
	if d := k - v.Aux; int64(int32(-d)) != -d {
		// A check widened far beyond this access (to a later one with a
		// large offset on the same address): no displacement reaches back.
		a.op(x86.AMOVQ, immAddr(d), regAddr(sc0))
		a.op(x86.ASUBQ, regAddr(sc0), regAddr(sc1))
		m = memAddr(sc1, 0)
	}
	if val == nil {
		if e.folded[v.ID] {
			e.foldAt = m
			return nil
		}
		if inXMM(v.Type) {
			d := e.dst(v, fsc1)
			e.guardSite(v, a.op(as, m, regAddr(d)))
			e.commit(v, d)
		} else {
			d := e.dst(v, sc0)
			e.guardSite(v, a.op(as, m, regAddr(d)))
			e.commit(v, d)
		}
		return nil
	}
	if inXMM(val.Type) && v.Op == ir.OpStore {
		e.guardSite(v, a.op(as, regAddr(e.floatReg(val, fsc1)), m))
		return nil
	}
	if inXMM(val.Type) {
		return fmt.Errorf("partial store of a float")
	}
	r := e.intReg(val, sc0)
	if as == x86.AMOVB {
		r = byteReg(r)
	}
	e.guardSite(v, a.op(as, regAddr(r), m))
	return nil
}

// memoryIndexed lowers a load or store with base+index addressing when the
// vmctx is in a register and a stored value needs no int scratch:
//
//	r11 = zext(addr)                   ; the index: the access's critical path
//	                                   ; (none if addr's register is zero-extended)
//	r10 = r11 + off + size             ; the check, off the critical path
//	cmp r10, [vm+len]; ja trap         ; (64-bit addresses: jc trap on the add)
//	r10 = [vm+base]
//	access [r10 + r11 + off]
//
// The address feeds the access directly instead of through two adds, which
// shortens dependent-load chains (table lookups, pointer chasing). It reports
// false, emitting nothing, when the general sequence must be used.
func (e *fn) memoryIndexed(v, addr, vmv, val *ir.Value, size int64, as obj.As) bool {
	a := e.a
	end := v.Aux + size
	if w, ok := e.checks[v.ID]; ok {
		end = w // 0: covered by an earlier check
	}
	vl := e.loc(vmv)
	// A vmctx in a frame slot serves an access without a check: the base
	// comes through sc0 (loadBase).
	if (vl.Kind != lower.LocReg && (vl.Kind != lower.LocStack || end != 0)) || int64(int32(end)) != end || int64(int32(v.Aux)) != v.Aux {
		return false
	}
	if val != nil && inXMM(val.Type) && v.Op != ir.OpStore {
		return false // a partial float store: the general path reports it
	}
	var src obj.Addr
	if val != nil && !inXMM(val.Type) {
		var ok bool
		if src, ok = e.storeOperand(val, size, as); !ok {
			return false
		}
	}
	vm := int16(-1) // in its slot
	if vl.Kind == lower.LocReg {
		vm = asmReg(vl.Reg)
	}
	if m, ok := e.constAddr(v, addr, vm, end); ok {
		e.access(v, val, m, src, as, vm)
		return true
	}
	idx := e.index(addr)
	// The check's scratch: sc1 when the index is the address's own
	// register, which keeps a base cached in sc0 (e.base) alive.
	chk := int16(sc0)
	if idx != sc1 {
		chk = sc1
	}
	if end != 0 {
		if wide(addr.Type) {
			a.op(x86.AMOVQ, regAddr(sc1), regAddr(sc0))
			a.op(x86.AADDQ, immAddr(end), regAddr(sc0))
			e.trapIf(x86.AJCS, abi.TrapMemoryOutOfBounds, v.Pos)
		} else {
			a.op(x86.ALEAQ, memAddr(idx, end), regAddr(chk))
		}
		a.op(x86.ACMPQ, regAddr(chk), memAddr(vm, v.Aux2+8))
		e.trapIf(x86.AJHI, abi.TrapMemoryOutOfBounds, v.Pos)
	}
	if end != 0 && chk == sc0 {
		e.base = baseCache{}
	}
	e.loadBase(vmv, vm, v.Aux2)
	e.access(v, val, memIndex(sc0, idx, 1, v.Aux), src, as, vm)
	return true
}

// memoryAtBase lowers an access whose first arg is its memory's base
// (hoistBases), bounded by guard pages: no check, no base load.
//
//	access [base + zext(addr) + off]   ; or [base + c+off], a constant address
func (e *fn) memoryAtBase(v, addr, val *ir.Value, as obj.As) error {
	a := e.a
	if val != nil && inXMM(val.Type) && v.Op != ir.OpStore {
		return fmt.Errorf("partial store of a float")
	}
	e.base = baseCache{}
	b := e.intReg(v.Args[0], sc0) // its register, or sc0 from its slot
	var m obj.Addr
	if disp, ok := e.constDisp(v, addr, 0); ok {
		m = memAddr(b, disp)
	} else {
		m = memIndex(b, e.index(addr), 1, v.Aux)
	}
	var src obj.Addr
	if val != nil && !inXMM(val.Type) {
		var ok bool
		if src, ok = e.storeOperand(val, v.AccessSize(), as); !ok {
			if b == sc0 { // the base spilled: the address into sc1, the value into sc0
				a.op(x86.ALEAQ, m, regAddr(sc1))
				m = memAddr(sc1, 0)
			}
			r := e.intReg(val, sc0)
			if as == x86.AMOVB {
				r = byteReg(r)
			}
			src = regAddr(r)
		}
	}
	e.access(v, val, m, src, as, b)
	return nil
}

// storeOperand is the source operand of an int store of size bytes of val
// that needs no scratch register: val's register (its byte register for
// MOVB), or an immediate for a constant whose stored bytes one holds. It
// reports false otherwise.
func (e *fn) storeOperand(val *ir.Value, size int64, as obj.As) (obj.Addr, bool) {
	switch l := e.loc(val); l.Kind {
	case lower.LocReg:
		r := asmReg(l.Reg)
		if as == x86.AMOVB {
			r = byteReg(r)
		}
		return regAddr(r), true
	case lower.LocRemat:
		b := constBits(val)
		switch size {
		case 1:
			b = int64(int8(b))
		case 2:
			b = int64(int16(b))
		case 4:
			b = int64(int32(b))
		}
		if int64(int32(b)) == b {
			return immAddr(b), true
		}
	}
	return obj.Addr{}, false
}

// index is the register holding the zero-extended 32-bit (or the 64-bit)
// address of an access: the address's own register when it is
// zero-extended already (zeroExtended), else sc1, loaded.
func (e *fn) index(addr *ir.Value) int16 {
	switch al := e.loc(addr); {
	case wide(addr.Type):
		e.loadInto(addr, sc1)
	case al.Kind == lower.LocReg && e.zext[addr.ID]:
		return asmReg(al.Reg)
	default:
		e.a.op(x86.AMOVL, e.rm(addr, sc1, false), regAddr(sc1)) // zero-extends
	}
	return sc1
}

// constDisp is the displacement c+Aux of access v at constant 32-bit
// address addr = c, when it and the checked end c+end fit an int32.
func (e *fn) constDisp(v, addr *ir.Value, end int64) (int64, bool) {
	if addr.Op != ir.OpConst || wide(addr.Type) || e.loc(addr).Kind != lower.LocRemat {
		return 0, false
	}
	c := int64(uint32(addr.Aux))
	return c + v.Aux, int64(int32(c+v.Aux)) == c+v.Aux && int64(int32(c+end)) == c+end
}

// constAddr is the operand of an access at a constant 32-bit address (a C
// program's static data), with its check against the constant end when
// end is not 0, and the base in sc0:
//
//	cmp [vm+len], c+end; jb trap
//	r10 = [vm+base]
//	access [r10 + c+off]
//
// It reports false, emitting nothing, when the address is no such
// constant or the displacement does not fit.
func (e *fn) constAddr(v, addr *ir.Value, vm int16, end int64) (obj.Addr, bool) {
	disp, ok := e.constDisp(v, addr, end)
	if !ok {
		return obj.Addr{}, false
	}
	if end != 0 {
		e.a.op(x86.ACMPQ, memAddr(vm, v.Aux2+8), immAddr(disp-v.Aux+end))
		e.trapIf(x86.AJCS, abi.TrapMemoryOutOfBounds, v.Pos)
	}
	e.loadBase(v.Args[0], vm, v.Aux2)
	return memAddr(sc0, disp), true
}

// loadBase leaves in sc0 the base of the memory at vmctx+off, vmctx vmv
// being in register vm, or in its frame slot when vm is -1 (loaded into
// sc0 first), unless sc0 holds it already (e.base).
func (e *fn) loadBase(vmv *ir.Value, vm int16, off int64) {
	if c := e.base; c.ok && c.vm == vmv.ID && c.reg == vm && c.off == off {
		return
	}
	r := vm
	if vm < 0 {
		e.loadInto(vmv, sc0)
		r = sc0
	}
	e.a.op(x86.AMOVQ, memAddr(r, off), regAddr(sc0))
	e.base = baseCache{ok: true, vm: vmv.ID, reg: vm, off: off}
}

// access emits the load or store of memoryIndexed at m (the base in sc0):
// val is the stored value, src its operand when it is an int.
func (e *fn) access(v, val *ir.Value, m, src obj.Addr, as obj.As, vm int16) {
	a := e.a
	switch {
	case e.folded[v.ID]:
		e.foldAt = m
	case val == nil && inXMM(v.Type):
		d := e.dst(v, fsc1)
		e.guardSite(v, a.op(as, m, regAddr(d)))
		e.commit(v, d)
	case val == nil:
		// A result for a frame slot goes through sc1 (the load reads the
		// index first), so that sc0 keeps the base for the next access.
		d := e.dst(v, sc1)
		e.guardSite(v, a.op(as, m, regAddr(d)))
		e.commit(v, d)
		if d == vm {
			e.base = baseCache{}
		}
	case inXMM(val.Type):
		e.guardSite(v, a.op(as, regAddr(e.floatReg(val, fsc1)), m))
	default:
		e.guardSite(v, a.op(as, src, m))
	}
}

// call lowers call and call_import: arguments into place with one
// parallel move, the call, then results out of the ABI locations.
func (e *fn) call(v *ir.Value, _ *lowering) error {
	a := e.a
	sig, err := e.callSig(v)
	if err != nil {
		return err
	}
	e.callSetup(v.Op, v.Aux, v.Args, sig, rSP, 0)
	var p *obj.Prog
	if v.Op != ir.OpCall {
		p = a.op1(obj.ACALL, regAddr(sc1))
	} else {
		p = a.CallOut(obj.ACALL, lower.TargetFunc, int(v.Aux))
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
			if e.zext[r.ID] {
				e.zeroExtend(sig.results[r.Aux].Reg)
			}
			ms = append(ms, e.move(e.loc(r), sig.results[r.Aux].loc(rSP, 0), r))
		}
	default:
		if e.zext[v.ID] {
			e.zeroExtend(sig.results[0].Reg)
		}
		ms = append(ms, e.move(e.loc(v), sig.results[0].loc(rSP, 0), v))
	}
	e.moves(ms)
	return nil
}

// callSetup moves the args of a call of kind op (call, call_import or
// call_ref: args are the callee vmctx, the caller's vmctx or the funcref
// record, then the params) into the ABI locations of sig; stack params go
// to [base+off+8k]. For call_import and call_ref the callee's vmctx and
// code are loaded after the argument moves, from the record (or the
// caller's vmctx) where it is or, when a move overwrites it, from RAX,
// which the moves fill too; the code address is left in sc1.
func (e *fn) callSetup(op ir.Op, aux int64, args []*ir.Value, sig signature, base lower.Reg, off int32) {
	a := e.a
	var ms []lower.Move
	params := func() {
		for i, x := range args[1:] {
			ms = append(ms, e.move(sig.params[i].loc(base, off), e.loc(x), x))
		}
	}
	if op == ir.OpCall {
		ms = append(ms, e.move(lower.RegLoc(rDI), e.loc(args[0]), args[0]))
		params()
		e.moves(ms)
		return
	}
	params()
	codeOff, vmOff := int64(abi.FuncRefCode), int64(abi.FuncRefVMCtx)
	if op == ir.OpCallImport {
		codeOff, vmOff = aux, aux+8
	}
	src := e.loc(args[0])
	survives := src.Kind == lower.LocStack || src.Kind == lower.LocReg
	for _, m := range ms {
		if src.Kind == lower.LocReg && m.Dst.Kind == lower.LocReg && m.Dst.Reg == src.Reg {
			survives = false
		}
	}
	var rec int16
	if survives {
		e.moves(ms)
		rec = e.intReg(args[0], sc0)
	} else { // into RAX, which carries no argument, with the others
		e.moves(append(ms, e.move(lower.RegLoc(rAX), src, args[0])))
		rec = x86.REG_AX
	}
	a.op(x86.AMOVQ, memAddr(rec, codeOff), regAddr(sc1)) // before RDI, which rec may be
	a.op(x86.AMOVQ, memAddr(rec, vmOff), regAddr(x86.REG_DI))
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
// and the call is a jump: the stack does not grow. Otherwise (the caller's
// area cannot be reused) it is a call followed by a return.
func (e *fn) tailCall(b *ir.Block) error {
	a := e.a
	op := tailKinds[b.Kind]
	sig, err := e.tailSig(b)
	if err != nil {
		return err
	}
	if sig.stackArgs != e.sig.stackArgs {
		e.callSetup(op, b.Aux, b.Controls, sig, rSP, 0)
		var p *obj.Prog
		if op != ir.OpCall {
			p = a.op1(obj.ACALL, regAddr(sc1))
		} else {
			p = a.CallOut(obj.ACALL, lower.TargetFunc, int(b.Aux))
		}
		a.Site(p, true, b.Pos)
		var ms []lower.Move
		for i, l := range sig.results {
			t := e.f.Results[i]
			c, _ := regClass(t)
			ms = append(ms, lower.Move{Dst: e.sig.results[i].loc(rBP, 16), Src: l.loc(rSP, 0), V: &ir.Value{Type: t}, Class: c})
		}
		e.moves(ms)
		e.epilogue()
		return nil
	}
	e.callSetup(op, b.Aux, b.Controls, sig, rBP, 16)
	e.teardown()
	var p *obj.Prog
	if op != ir.OpCall {
		p = a.op1(obj.AJMP, regAddr(sc1))
	} else {
		p = a.CallOut(obj.AJMP, lower.TargetFunc, int(b.Aux))
	}
	a.CFIAfter(p, lower.CFIRow{CFAReg: lower.CFARegFP, CFAOffset: 16, FPSaved: true})
	return nil
}

// libcall exits to rt for runtime service idx: arg(i) stores argument i
// into slot i of the buffer at [RSP] and reports false past the last one;
// the results are in the buffer from slot 0 afterwards. Every caller-saved
// register is clobbered (Clobbers says so for the ops that use it).
func (e *fn) libcall(v *ir.Value, idx int64, arg func(i int) bool) {
	a := e.a
	for i := 0; arg(i); i++ {
	}
	vm := e.intReg(v.Args[0], sc1)
	a.op(x86.AMOVQ, regAddr(vm), memAddr(x86.REG_R15, abi.EctxExitVMCtx))
	a.op(x86.AMOVQ, regAddr(x86.REG_SP), memAddr(x86.REG_R15, abi.EctxExitArgs))
	a.op(x86.AMOVQ, immAddr(idx), memAddr(x86.REG_R15, abi.EctxExitArg))
	a.op(x86.AMOVQ, immAddr(abi.ExitLibcall), memAddr(x86.REG_R15, abi.EctxExitCode))
	saves := e.ra.Saves[v] // live across an exit that Clobbers does not report (slowClobbers)
	for k, r := range saves {
		a.op(x86.AMOVQ, regAddr(asmReg(r)), memAddr(x86.REG_BP, e.frame.SlotOff(e.ra.SaveSlot+int32(k))))
	}
	p := a.CallOut(obj.ACALL, lower.TargetRuntime, lower.RuntimeExit)
	a.Site(p, true, v.Pos)
	e.lastCall, e.lastCallValue = p, v
	for k, r := range saves {
		a.op(x86.AMOVQ, memAddr(x86.REG_BP, e.frame.SlotOff(e.ra.SaveSlot+int32(k))), regAddr(asmReg(r)))
	}
}

// table lowers table_get(_func) and table_set(_func): a bounds check of
// the index against the length (trap Aux), then the 8-byte element at
// base + 8*index; function tables hold record|1 (0 = not initialised yet,
// materialised by a libcall on first read).
func (e *fn) table(v *ir.Value, _ *lowering) error {
	a := e.a
	idx := v.Args[1]
	if wide(idx.Type) {
		e.loadInto(idx, sc1)
	} else {
		a.op(x86.AMOVL, e.rm(idx, sc1, false), regAddr(sc1)) // zero-extended
	}
	vm := e.intReg(v.Args[0], sc0)
	a.op(x86.ACMPQ, regAddr(sc1), memAddr(vm, v.Aux2+8))
	e.trapIf(x86.AJCC, v.Aux, v.Pos)
	a.op(x86.AMOVQ, memAddr(vm, v.Aux2), regAddr(sc0))
	elem := memIndex(sc0, sc1, abi.TableElemSize, 0)
	if v.Type == ir.Cont || v.Op == ir.OpTableSet && v.Args[2].Type == ir.Cont {
		return e.contTable(v, elem)
	}
	switch v.Op {
	case ir.OpTableGet:
		d := e.dst(v, sc0)
		a.op(x86.AMOVQ, elem, regAddr(d))
		e.commit(v, d)
	case ir.OpTableGetFunc:
		have, done := a.NewLabel(), a.NewLabel()
		a.op(x86.AMOVQ, elem, regAddr(sc0))
		a.op(x86.ATESTQ, regAddr(sc0), regAddr(sc0))
		a.Branch(x86.AJNE, have)
		e.libcall(v, abi.LibcallTableElem, func(i int) bool {
			switch i {
			case 0:
				a.op(x86.AMOVQ, immAddr(v.Aux2), memAddr(x86.REG_SP, 0))
			case 1:
				a.op(x86.AMOVQ, regAddr(sc1), memAddr(x86.REG_SP, 8))
			}
			return i < 2
		})
		a.op(x86.AMOVQ, memAddr(x86.REG_SP, 0), regAddr(sc0))
		a.Branch(obj.AJMP, done)
		a.Place(have)
		a.op(x86.AANDQ, immAddr(^int64(abi.TableElemInit)), regAddr(sc0))
		a.Place(done)
		e.commit(v, sc0)
	default:
		a.op(x86.ALEAQ, elem, regAddr(sc1))
		e.loadInto(v.Args[2], sc0)
		if v.Op == ir.OpTableSetFunc {
			a.op(x86.AORQ, immAddr(abi.TableElemInit), regAddr(sc0))
		}
		a.op(x86.AMOVQ, regAddr(sc0), memAddr(sc1, 0))
	}
	return nil
}

// stackSwitch lowers stack_switch store_ctx, load_ctx, payload [, who,
// kind] (DESIGN.md §6, as Cranelift's x64 StackSwitchBasic): both pointers
// refer to a control context {SP @StackCtxSP, FP @StackCtxFP, IP
// @StackCtxIP}, and they never alias (ir.OpStackSwitch), so the current
// words are stored and the target's loaded straight into RSP and RBP and
// jumped through: seven instructions, three for a one-way switch. The
// pointers stay in the registers they are in (any general register but
// the message's, switchMsg); the payload travels in RDI both ways, and a
// message going up (ir.SwitchUp) also has the record it names in RSI and
// its kind in RDX (rt/abi Contract). The allocator has spilled every
// value live across (the op clobbers every register), and the function
// saves all callee-saved registers in its prologue.
func (e *fn) stackSwitch(v *ir.Value, _ *lowering) error {
	a := e.a
	store, load := v.Args[0], v.Args[1]
	lr := switchReg(e.loc(load), rCX, -1)
	ms := []lower.Move{e.move(lower.RegLoc(lr), e.loc(load), load)}
	for i, x := range v.Args[2:] {
		ms = append(ms, e.move(lower.RegLoc(switchMsg[i]), e.loc(x), x))
	}
	sr := lower.Reg(-1)
	if v.Aux == 0 { // one way (Aux 1): nothing will switch back here
		sr = switchReg(e.loc(store), r8, lr)
		ms = append(ms, e.move(lower.RegLoc(sr), e.loc(store), store))
	}
	e.moves(ms)
	sd, ld := lower.SwitchDisps(v)
	resume := a.NewLabel()
	if v.Aux == 0 {
		s := asmReg(sr)
		a.op(x86.ALEAQ, a.ProgAddr(resume), regAddr(sc1))
		a.op(x86.AMOVQ, regAddr(x86.REG_SP), memAddr(s, sd+abi.StackCtxSP))
		a.op(x86.AMOVQ, regAddr(x86.REG_BP), memAddr(s, sd+abi.StackCtxFP))
		a.op(x86.AMOVQ, regAddr(sc1), memAddr(s, sd+abi.StackCtxIP))
	}
	l := asmReg(lr)
	a.op(x86.AMOVQ, memAddr(l, ld+abi.StackCtxSP), regAddr(x86.REG_SP))
	a.op(x86.AMOVQ, memAddr(l, ld+abi.StackCtxFP), regAddr(x86.REG_BP))
	p := a.op1(obj.AJMP, memAddr(l, ld+abi.StackCtxIP))
	a.Place(resume)
	a.Site(resume, false, v.Pos)
	// Exceptions of the stack switched to come back here (the resume
	// point is the root frame's return address): an invoke's handler is
	// keyed by it.
	e.lastCall, e.lastCallValue = p, v
	switch v.Type {
	case ir.Void:
	case ir.Tuple: // a message going up: payload, who, kind
		e.moves(lower.SwitchMsgMoves(v, e.ra, switchMsg, e.loc, e.move))
	default:
		e.commit(v, asmReg(switchMsg[0]))
	}
	return nil
}

// switchMsg are the registers of a stack_switch message: the payload, and
// going up the record it names and its kind (ir.SwitchUp; rt/abi
// Contract.SwitchPayload, SwitchWho, SwitchKind).
var switchMsg = [3]lower.Reg{rDI, rSI, rDX}

// switchReg is the register a stack_switch context pointer is used from:
// the general register it is in, unless that is one of the message's
// (switchMsg) or other (the other pointer's), else def (or RAX when def is
// other).
func switchReg(l lower.Loc, def, other lower.Reg) lower.Reg {
	if l.Kind == lower.LocReg && l.Reg < x0 && !slices.Contains(switchMsg[:], l.Reg) && l.Reg != other {
		return l.Reg
	}
	if def == other {
		return rAX
	}
	return def
}
