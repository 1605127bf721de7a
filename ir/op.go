package ir

// Effect says what an op does besides computing its result. The zero value
// is EffectUnknown, so a row that forgets it is caught by TestOpTableComplete.
type Effect uint8

const (
	EffectUnknown Effect = iota
	Pure                 // result depends only on the args; removable when unused
	MayTrap              // pure but may trap: never removed, never speculated
	Read                 // reads memory or instance state; may trap
	Write                // writes memory or instance state; may trap
	Call                 // calls code: clobbers caller-saved registers, may do anything
	Control              // placement matters (phi, params, poll, trap)
)

// AuxKind says what an op keeps in Aux (or Aux2). The zero value is
// AuxUnknown, so a row that forgets it is caught by TestOpTableComplete;
// the verifier checks each kind (checkAux).
type AuxKind uint8

const (
	AuxUnknown     AuxKind = iota
	AuxNone                // unused: 0
	AuxConst               // the constant's bits (f32/f64 as their IEEE bits), fitting the type
	AuxIntCond             // an integer Cond, CondEq…CondGeU (eq and ne for refs)
	AuxFloatCond           // a float Cond: eq, ne, lt, gt, le or ge
	AuxParam               // index of a function param (0-based, vmctx not counted)
	AuxResult              // index of a result of the tuple-typed call arg0
	AuxOffset              // static byte offset added to a linear-memory address (u64 bits)
	AuxVMCtxOffset         // byte offset in the vmctx (abi.VMCtxLayout)
	AuxFunc                // index of a wasm function
	AuxLibcall             // a runtime service (abi.Libcall*)
	AuxTrap                // a trap code (abi.Trap*)
	AuxFlag                // 0 or 1; the op's comment says what 1 means
	AuxTag                 // index of a tag in the module's tag index space
	AuxSlot                // index of a slot of a buffer (≥ 0)
	AuxFieldOffset         // byte offset of a field of a runtime record (rt/abi), added to arg0
	AuxBytes               // a size in bytes (≥ 0)
	AuxLane                // a lane index of a v128, below its lane count
	AuxV128                // 8 bytes of a 16-byte immediate: Aux the low, Aux2 the high (little-endian)
	AuxSwitchTops          // stack_switch: which context args are stack tops (SwitchStoreTop | SwitchLoadTop)
	NumAuxKinds
)

var auxKindNames = [NumAuxKinds]string{"unknown", "none", "const", "intcond", "floatcond", "param", "result",
	"offset", "vmctx_offset", "func", "libcall", "trap", "flag", "tag", "slot", "field_offset", "bytes", "lane", "v128",
	"switch_tops"}

func (k AuxKind) String() string {
	if k < NumAuxKinds {
		return auxKindNames[k]
	}
	return "auxkind?"
}

// Aux2 bits of OpStackSwitch (AuxSwitchTops): the store_ctx (arg0) or
// load_ctx (arg1) pointer is a fibre's stack top (abi.ContStackTop), whose
// control context is the abi.ContCtxSize bytes below it; the back ends
// fold that offset into the accesses.
const (
	SwitchStoreTop = 1
	SwitchLoadTop  = 2
)

// SwitchUp is the tuple a stack_switch to a resume point receives (its
// Results), and the two args after the payload that a switch to one
// sends: a message going up to a resume (a suspension to one of its
// clauses, or a return) carries the record it names (who: the root of the
// suspended chain, or the record that returned) and its kind
// (abi.MsgReturn, or 1+i for suspend clause i) in registers of their own
// (rt/abi Contract.SwitchWho, SwitchKind), not in memory: the resume
// continues with the record in a register instead of loading what the
// other stack stored just before it switched, which would chain every
// round trip's switch to the previous one's through store-to-load
// forwarding. A switch going down (to a suspension point) sends and
// receives the payload alone.
var SwitchUp = []Type{I64, Ref, I32}

// AccessTypeSize is the Access of ops that access as many bytes as the
// accessed value's type is wide (a load's result, a store's arg2).
const AccessTypeSize = -1

// OpInfo is the single definition of an op.
type OpInfo struct {
	Name        string
	Args        int // number of args, -1 = variadic
	Effect      Effect
	Commutative bool
	Aux, Aux2   AuxKind // what Aux and Aux2 hold
	// Access is the number of bytes of linear memory the op reads
	// (Effect Read) or writes (Effect Write) at arg1+Aux of the memory at
	// vmctx+Aux2: 1, 2, 4, 8 or AccessTypeSize; 0 for ops that access none.
	Access int8
}

// Op is an IR operation.
type Op uint16

// Ops. Integer and float ops take their width from the value's Type (for
// comparisons: from the args' type). Memory ops: Aux = static offset, Aux2 =
// vmctx offset of the memory's {base u64, length u64} pair (abi.VMCtxLayout);
// arg0 is always the vmctx; the row's Access is the access size. Calls:
// arg0 is the callee vmctx. What Aux and Aux2 hold is in each row (AuxKind);
// an op that does not mention them keeps 0 there.
const (
	OpInvalid Op = iota

	// Function inputs and plumbing.
	OpParam  // wasm parameter Aux (0-based, not counting vmctx); entry block only
	OpVMCtx  // the function's own vmctx (arg0 of the native convention); entry block only
	OpConst  // constant; Aux holds the bits (f32/f64 as their IEEE bits)
	OpPhi    // SSA phi; Args[i] flows in from Block.Preds[i]
	OpCopy   // arg0
	OpSelect // arg1 if arg0 (i32) != 0, else arg2

	// Integer arithmetic (i32 or i64).
	OpAdd    // arg0 + arg1, wrapping
	OpSub    // arg0 - arg1, wrapping
	OpMul    // arg0 * arg1, wrapping
	OpDivS   // arg0 / arg1 signed; traps on /0 and MIN/-1
	OpDivU   // arg0 / arg1 unsigned; traps on /0
	OpRemS   // arg0 % arg1 signed; traps on /0 (MIN % -1 = 0)
	OpRemU   // arg0 % arg1 unsigned; traps on /0
	OpAnd    // arg0 & arg1
	OpOr     // arg0 | arg1
	OpXor    // arg0 ^ arg1
	OpShl    // arg0 << (arg1 mod width)
	OpShrS   // arg0 >> (arg1 mod width), arithmetic
	OpShrU   // arg0 >> (arg1 mod width), logical
	OpRotl   // rotate arg0 left by arg1 mod width
	OpRotr   // rotate arg0 right by arg1 mod width
	OpClz    // count leading zeros of arg0
	OpCtz    // count trailing zeros of arg0
	OpPopcnt // count one bits of arg0
	OpEqz    // i32: arg0 == 0
	OpICmp   // i32: arg0 <Aux: Cond> arg1

	// Integer conversions.
	OpWrap      // i64 → i32, low bits
	OpExtendS   // i32 → i64, sign-extended
	OpExtendU   // i32 → i64, zero-extended
	OpSignExt8  // sign-extend the low 8 bits within the type
	OpSignExt16 // sign-extend the low 16 bits within the type
	OpSignExt32 // i64: sign-extend the low 32 bits

	// Floating point (f32 or f64), IEEE 754 with wasm NaN rules.
	OpFAdd      // arg0 + arg1
	OpFSub      // arg0 - arg1
	OpFMul      // arg0 * arg1
	OpFDiv      // arg0 / arg1
	OpFMin      // wasm min: NaN if either is NaN, -0 < +0
	OpFMax      // wasm max: NaN if either is NaN, -0 < +0
	OpFCopysign // magnitude of arg0, sign of arg1
	OpFAbs      // |arg0| (clears the sign bit)
	OpFNeg      // -arg0 (flips the sign bit)
	OpFSqrt     // square root
	OpFCeil     // round up
	OpFFloor    // round down
	OpFTrunc    // round toward zero
	OpFNearest  // round to nearest, ties to even
	OpFCmp      // i32: arg0 <Aux: Cond> arg1 (ordered; ne is unordered-or-not-equal)

	// Float ↔ int conversions. The result type is the value's Type.
	OpTruncS      // float → signed int; traps on NaN and overflow
	OpTruncU      // float → unsigned int; traps on NaN and overflow
	OpTruncSatS   // float → signed int, saturating, NaN → 0
	OpTruncSatU   // float → unsigned int, saturating, NaN → 0
	OpConvertS    // signed int → float
	OpConvertU    // unsigned int → float
	OpPromote     // f32 → f64
	OpDemote      // f64 → f32
	OpReinterpret // same bits, other type of the same width

	// Linear memory. args: vmctx, address (i32, or i64 for memory64)[, value].
	OpLoad       // Type-wide load from arg1+Aux of memory Aux2; bounds-checked
	OpLoad8S     // 8-bit load, sign-extended to Type
	OpLoad8U     // 8-bit load, zero-extended to Type
	OpLoad16S    // 16-bit load, sign-extended to Type
	OpLoad16U    // 16-bit load, zero-extended to Type
	OpLoad32S    // 32-bit load, sign-extended to i64
	OpLoad32U    // 32-bit load, zero-extended to i64
	OpStore      // store arg2 (its full width) at arg1+Aux of memory Aux2
	OpStore8     // store the low 8 bits of arg2
	OpStore16    // store the low 16 bits of arg2
	OpStore32    // store the low 32 bits of arg2 (i64)
	OpMemorySize // pages (length >> 16) of the memory at vmctx+Aux2 (arg0 = vmctx)

	// Instance state.
	OpGlobalGet // value of the global slot at vmctx+Aux; through the pointer stored there if Aux2 == 1
	OpGlobalSet // store arg1 into the global slot at vmctx+Aux (indirect if Aux2 == 1)

	// Calls. Results: Type is Void (none), the one result type, or Tuple
	// (Results lists them; OpResult extracts).
	OpCall       // call defined function Aux with args (callee vmctx, params…)
	OpCallImport // call imported function: code at vmctx+Aux, callee vmctx at vmctx+Aux+8; args (vmctx, params…)
	OpResult     // result Aux of the tuple-typed call arg0

	// References and tables. A funcref value is the address of a funcref
	// record (abi.FuncRef*), 0 for null. Elements of function tables are
	// stored tagged (abi.TableElemInit): 0 = not yet initialised (filled on
	// first use by a libcall), otherwise record|1.
	OpRefFunc       // funcref record of function Aux; Aux2 = vmctx offset of the records pointer; may exit to create it
	OpRefAsNonNull  // arg0, trapping with code Aux if it is null
	OpTableGet      // element arg1 of the plain (externref) table at vmctx+Aux2; out of bounds → trap Aux
	OpTableGetFunc  // element arg1 of the function table at vmctx+Aux2, untagged; initialises it on first use; out of bounds → trap Aux
	OpTableSet      // element arg1 of the plain table at vmctx+Aux2 := arg2; out of bounds → trap Aux
	OpTableSetFunc  // element arg1 of the function table at vmctx+Aux2 := arg2, tagged; out of bounds → trap Aux
	OpTableSize     // length of the table at vmctx+Aux2
	OpFuncTypeCheck // trap "indirect call type mismatch" unless the type id of record arg1 equals the u32 at vmctx+Aux, or (Aux2 == 1: a non-final type) is a declared subtype of it
	OpCallRef       // call the function of funcref record arg0 with args (params…); results as OpCall

	// Runtime interaction.
	OpPoll    // preemption / interrupt poll; exits to the host when asked; preserves all registers
	OpLibcall // runtime service Aux (abi.Libcall*) with args (vmctx, operands…); Type is its result or Void
	OpTrapNZ  // trap with code arg0 if arg0 != 0 (the status of a libcall)
	// OpFuelCheck is the i64 fuel counter arg0 (minus the fuel left,
	// frontend/fuel.go) plus the cost Aux, trapping "all fuel consumed"
	// (abi.TrapOutOfFuel) if that is above 0.
	OpFuelCheck

	// Stack switching (DESIGN.md §6). The translator expands the WasmFX
	// instructions into these and plain control flow (frontend
	// translate_cont.go); runtime records are accessed with the raw loads
	// and stores, whose addresses are trusted (no bounds check).
	OpStackSwitch // stack_switch store_ctx, load_ctx, payload [, who, kind] → payload, or the tuple (payload i64, who ref, kind i32) (SwitchUp); clobbers every register; the two contexts never alias; Aux 1: one way (the current stack is never resumed: nothing is stored); Aux2 SwitchStoreTop/SwitchLoadTop: that arg is a fibre's stack top, its control context the abi.ContCtxSize bytes below
	OpECtx        // the execution context (abi Ectx*) of the running code
	OpLoadRaw     // Type-wide load from arg0 + Aux (a runtime record field); never traps
	OpStoreRaw    // store arg1 (its full width) at arg0 + Aux (a runtime record field)
	OpFrameArea   // address Aux2 bytes into the function's outgoing area of at least Aux bytes; any call, libcall or exit overwrites it
	OpFuncAddr    // code address of function Aux (defined functions, then the module's continuation entries)
	OpContMake    // continuation reference {arg0 (VMContRef, never 0: a null reference is the constant), arg1 (revision)}
	OpContPtr     // the VMContRef address of continuation reference arg0 (0 for null)
	OpContRev     // the revision of continuation reference arg0

	// Exceptions (DESIGN.md §7). A call that a try_table's clauses may
	// catch ends a BlockInvoke; its landing blocks start with OpLandingArg.
	OpThrow      // throw an exception of tag Aux with payload args (vmctx, payload…); never returns
	OpLandingArg // value Aux (payload slots, then the exnref) delivered to a landing block; first in it

	// OpFibreRoot is the return address of a fibre's root frame: the
	// back end's fibre-root stub, whose unwind information makes the
	// fibre's resumer its caller (debuggers and profilers cross from a
	// continuation into whoever resumed it).
	OpFibreRoot

	// SIMD: the block of ops of ir/simd.go, OpV128Const first.
	OpSIMDFirst
	NumOps = opSIMDEnd
)

// Ops is the op table; every other component reads it.
var Ops = withSIMD([NumOps]OpInfo{
	OpParam:  {Name: "param", Args: 0, Effect: Control, Aux: AuxParam, Aux2: AuxNone},
	OpVMCtx:  {Name: "vmctx", Args: 0, Effect: Control, Aux: AuxNone, Aux2: AuxNone},
	OpConst:  {Name: "const", Args: 0, Effect: Pure, Aux: AuxConst, Aux2: AuxNone},
	OpPhi:    {Name: "phi", Args: -1, Effect: Control, Aux: AuxNone, Aux2: AuxNone},
	OpCopy:   {Name: "copy", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpSelect: {Name: "select", Args: 3, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},

	OpAdd:    {Name: "iadd", Args: 2, Effect: Pure, Commutative: true, Aux: AuxNone, Aux2: AuxNone},
	OpSub:    {Name: "isub", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpMul:    {Name: "imul", Args: 2, Effect: Pure, Commutative: true, Aux: AuxNone, Aux2: AuxNone},
	OpDivS:   {Name: "sdiv", Args: 2, Effect: MayTrap, Aux: AuxNone, Aux2: AuxNone},
	OpDivU:   {Name: "udiv", Args: 2, Effect: MayTrap, Aux: AuxNone, Aux2: AuxNone},
	OpRemS:   {Name: "srem", Args: 2, Effect: MayTrap, Aux: AuxNone, Aux2: AuxNone},
	OpRemU:   {Name: "urem", Args: 2, Effect: MayTrap, Aux: AuxNone, Aux2: AuxNone},
	OpAnd:    {Name: "band", Args: 2, Effect: Pure, Commutative: true, Aux: AuxNone, Aux2: AuxNone},
	OpOr:     {Name: "bor", Args: 2, Effect: Pure, Commutative: true, Aux: AuxNone, Aux2: AuxNone},
	OpXor:    {Name: "bxor", Args: 2, Effect: Pure, Commutative: true, Aux: AuxNone, Aux2: AuxNone},
	OpShl:    {Name: "ishl", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpShrS:   {Name: "sshr", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpShrU:   {Name: "ushr", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpRotl:   {Name: "rotl", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpRotr:   {Name: "rotr", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpClz:    {Name: "clz", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpCtz:    {Name: "ctz", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpPopcnt: {Name: "popcnt", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpEqz:    {Name: "eqz", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpICmp:   {Name: "icmp", Args: 2, Effect: Pure, Aux: AuxIntCond, Aux2: AuxNone},

	OpWrap:      {Name: "wrap", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpExtendS:   {Name: "sextend", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpExtendU:   {Name: "uextend", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpSignExt8:  {Name: "sext8", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpSignExt16: {Name: "sext16", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpSignExt32: {Name: "sext32", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},

	OpFAdd:      {Name: "fadd", Args: 2, Effect: Pure, Commutative: true, Aux: AuxNone, Aux2: AuxNone},
	OpFSub:      {Name: "fsub", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpFMul:      {Name: "fmul", Args: 2, Effect: Pure, Commutative: true, Aux: AuxNone, Aux2: AuxNone},
	OpFDiv:      {Name: "fdiv", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpFMin:      {Name: "fmin", Args: 2, Effect: Pure, Commutative: true, Aux: AuxNone, Aux2: AuxNone},
	OpFMax:      {Name: "fmax", Args: 2, Effect: Pure, Commutative: true, Aux: AuxNone, Aux2: AuxNone},
	OpFCopysign: {Name: "fcopysign", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpFAbs:      {Name: "fabs", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpFNeg:      {Name: "fneg", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpFSqrt:     {Name: "sqrt", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpFCeil:     {Name: "ceil", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpFFloor:    {Name: "floor", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpFTrunc:    {Name: "trunc", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpFNearest:  {Name: "nearest", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpFCmp:      {Name: "fcmp", Args: 2, Effect: Pure, Aux: AuxFloatCond, Aux2: AuxNone},

	OpTruncS:      {Name: "fcvt_to_sint", Args: 1, Effect: MayTrap, Aux: AuxNone, Aux2: AuxNone},
	OpTruncU:      {Name: "fcvt_to_uint", Args: 1, Effect: MayTrap, Aux: AuxNone, Aux2: AuxNone},
	OpTruncSatS:   {Name: "fcvt_to_sint_sat", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpTruncSatU:   {Name: "fcvt_to_uint_sat", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpConvertS:    {Name: "fcvt_from_sint", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpConvertU:    {Name: "fcvt_from_uint", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpPromote:     {Name: "fpromote", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpDemote:      {Name: "fdemote", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpReinterpret: {Name: "bitcast", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},

	OpLoad:       {Name: "load", Args: 2, Effect: Read, Aux: AuxOffset, Aux2: AuxVMCtxOffset, Access: AccessTypeSize},
	OpLoad8S:     {Name: "sload8", Args: 2, Effect: Read, Aux: AuxOffset, Aux2: AuxVMCtxOffset, Access: 1},
	OpLoad8U:     {Name: "uload8", Args: 2, Effect: Read, Aux: AuxOffset, Aux2: AuxVMCtxOffset, Access: 1},
	OpLoad16S:    {Name: "sload16", Args: 2, Effect: Read, Aux: AuxOffset, Aux2: AuxVMCtxOffset, Access: 2},
	OpLoad16U:    {Name: "uload16", Args: 2, Effect: Read, Aux: AuxOffset, Aux2: AuxVMCtxOffset, Access: 2},
	OpLoad32S:    {Name: "sload32", Args: 2, Effect: Read, Aux: AuxOffset, Aux2: AuxVMCtxOffset, Access: 4},
	OpLoad32U:    {Name: "uload32", Args: 2, Effect: Read, Aux: AuxOffset, Aux2: AuxVMCtxOffset, Access: 4},
	OpStore:      {Name: "store", Args: 3, Effect: Write, Aux: AuxOffset, Aux2: AuxVMCtxOffset, Access: AccessTypeSize},
	OpStore8:     {Name: "istore8", Args: 3, Effect: Write, Aux: AuxOffset, Aux2: AuxVMCtxOffset, Access: 1},
	OpStore16:    {Name: "istore16", Args: 3, Effect: Write, Aux: AuxOffset, Aux2: AuxVMCtxOffset, Access: 2},
	OpStore32:    {Name: "istore32", Args: 3, Effect: Write, Aux: AuxOffset, Aux2: AuxVMCtxOffset, Access: 4},
	OpMemorySize: {Name: "memory_size", Args: 1, Effect: Read, Aux: AuxNone, Aux2: AuxVMCtxOffset},

	OpGlobalGet: {Name: "global_get", Args: 1, Effect: Read, Aux: AuxVMCtxOffset, Aux2: AuxFlag},
	OpGlobalSet: {Name: "global_set", Args: 2, Effect: Write, Aux: AuxVMCtxOffset, Aux2: AuxFlag},

	OpCall:       {Name: "call", Args: -1, Effect: Call, Aux: AuxFunc, Aux2: AuxNone},
	OpCallImport: {Name: "call_import", Args: -1, Effect: Call, Aux: AuxVMCtxOffset, Aux2: AuxNone},
	OpResult:     {Name: "result", Args: 1, Effect: Pure, Aux: AuxResult, Aux2: AuxNone},

	OpRefFunc:       {Name: "ref_func", Args: 1, Effect: Call, Aux: AuxFunc, Aux2: AuxVMCtxOffset},
	OpRefAsNonNull:  {Name: "ref_as_non_null", Args: 1, Effect: MayTrap, Aux: AuxTrap, Aux2: AuxNone},
	OpTableGet:      {Name: "table_get", Args: 2, Effect: Read, Aux: AuxTrap, Aux2: AuxVMCtxOffset},
	OpTableGetFunc:  {Name: "table_get_func", Args: 2, Effect: Call, Aux: AuxTrap, Aux2: AuxVMCtxOffset},
	OpTableSet:      {Name: "table_set", Args: 3, Effect: Write, Aux: AuxTrap, Aux2: AuxVMCtxOffset},
	OpTableSetFunc:  {Name: "table_set_func", Args: 3, Effect: Write, Aux: AuxTrap, Aux2: AuxVMCtxOffset},
	OpTableSize:     {Name: "table_size", Args: 1, Effect: Read, Aux: AuxNone, Aux2: AuxVMCtxOffset},
	OpFuncTypeCheck: {Name: "functype_check", Args: 2, Effect: MayTrap, Aux: AuxVMCtxOffset, Aux2: AuxFlag},
	OpCallRef:       {Name: "call_ref", Args: -1, Effect: Call, Aux: AuxNone, Aux2: AuxNone},

	OpPoll:    {Name: "poll", Args: 0, Effect: Control, Aux: AuxNone, Aux2: AuxNone},
	OpLibcall: {Name: "libcall", Args: -1, Effect: Call, Aux: AuxLibcall, Aux2: AuxNone},
	OpTrapNZ:  {Name: "trapnz", Args: 1, Effect: MayTrap, Aux: AuxNone, Aux2: AuxNone},

	OpFuelCheck: {Name: "fuel_check", Args: 1, Effect: MayTrap, Aux: AuxConst, Aux2: AuxNone},

	OpStackSwitch: {Name: "stack_switch", Args: -1, Effect: Call, Aux: AuxFlag, Aux2: AuxSwitchTops},

	OpThrow:      {Name: "throw", Args: -1, Effect: Call, Aux: AuxTag, Aux2: AuxNone},
	OpLandingArg: {Name: "landing_arg", Args: 0, Effect: Control, Aux: AuxSlot, Aux2: AuxNone},
	OpECtx:       {Name: "ectx", Args: 0, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpLoadRaw:    {Name: "load_raw", Args: 1, Effect: Read, Aux: AuxFieldOffset, Aux2: AuxNone},
	OpStoreRaw:   {Name: "store_raw", Args: 2, Effect: Write, Aux: AuxFieldOffset, Aux2: AuxNone},
	OpFrameArea:  {Name: "frame_area", Args: 0, Effect: Pure, Aux: AuxBytes, Aux2: AuxBytes},
	OpFuncAddr:   {Name: "func_addr", Args: 0, Effect: Pure, Aux: AuxFunc, Aux2: AuxNone},
	OpContMake:   {Name: "cont_make", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpContPtr:    {Name: "cont_ptr", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpContRev:    {Name: "cont_rev", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpFibreRoot:  {Name: "fibre_root", Args: 0, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
}) // SIMD rows: ir/simd.go

// AccessSize returns the byte width of v's linear-memory access (its op's
// Access, with AccessTypeSize resolved), or 0 if v accesses no memory.
func (v *Value) AccessSize() int64 {
	if v.Op >= NumOps {
		return 0
	}
	switch n := Ops[v.Op].Access; n {
	case 0:
		return 0
	case AccessTypeSize:
		if Ops[v.Op].Effect == Write {
			return int64(v.Args[2].Type.Size())
		}
		return int64(v.Type.Size())
	default:
		return int64(n)
	}
}

func (o Op) String() string {
	if int(o) < len(Ops) && Ops[o].Name != "" {
		return Ops[o].Name
	}
	return "op?"
}

// Cond is a comparison condition (Aux of OpICmp and OpFCmp).
type Cond int64

const (
	CondInvalid Cond = iota
	CondEq           // ==
	CondNe           // !=
	CondLtS          // < signed
	CondLtU          // < unsigned
	CondGtS          // > signed
	CondGtU          // > unsigned
	CondLeS          // <= signed
	CondLeU          // <= unsigned
	CondGeS          // >= signed
	CondGeU          // >= unsigned
	CondLt           // float <
	CondGt           // float >
	CondLe           // float <=
	CondGe           // float >=
	NumConds
)

var condNames = [NumConds]string{"?", "eq", "ne", "slt", "ult", "sgt", "ugt", "sle", "ule", "sge", "uge", "lt", "gt", "le", "ge"}

func (c Cond) String() string {
	if c >= 0 && c < NumConds {
		return condNames[c]
	}
	return "cond?"
}
