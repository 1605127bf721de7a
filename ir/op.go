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

// OpInfo is the single definition of an op.
type OpInfo struct {
	Name        string
	Args        int // number of args, -1 = variadic
	Effect      Effect
	Commutative bool
}

// Op is an IR operation.
type Op uint16

// Ops. Integer and float ops take their width from the value's Type (for
// comparisons: from the args' type). Memory ops: Aux = static offset, Aux2 =
// vmctx offset of the memory's {base u64, length u64} pair (abi.VMCtxLayout);
// arg0 is always the vmctx. Calls: arg0 is the callee vmctx.
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

	// Reserved for stack switching (lowered later; DESIGN.md §6).
	OpStackSwitch // stack_switch store_ctx, load_ctx, payload → payload; clobbers every register

	NumOps
)

// Ops is the op table; every other component reads it.
var Ops = [NumOps]OpInfo{
	OpParam:  {Name: "param", Args: 0, Effect: Control},
	OpVMCtx:  {Name: "vmctx", Args: 0, Effect: Control},
	OpConst:  {Name: "const", Args: 0, Effect: Pure},
	OpPhi:    {Name: "phi", Args: -1, Effect: Control},
	OpCopy:   {Name: "copy", Args: 1, Effect: Pure},
	OpSelect: {Name: "select", Args: 3, Effect: Pure},

	OpAdd:    {Name: "iadd", Args: 2, Effect: Pure, Commutative: true},
	OpSub:    {Name: "isub", Args: 2, Effect: Pure},
	OpMul:    {Name: "imul", Args: 2, Effect: Pure, Commutative: true},
	OpDivS:   {Name: "sdiv", Args: 2, Effect: MayTrap},
	OpDivU:   {Name: "udiv", Args: 2, Effect: MayTrap},
	OpRemS:   {Name: "srem", Args: 2, Effect: MayTrap},
	OpRemU:   {Name: "urem", Args: 2, Effect: MayTrap},
	OpAnd:    {Name: "band", Args: 2, Effect: Pure, Commutative: true},
	OpOr:     {Name: "bor", Args: 2, Effect: Pure, Commutative: true},
	OpXor:    {Name: "bxor", Args: 2, Effect: Pure, Commutative: true},
	OpShl:    {Name: "ishl", Args: 2, Effect: Pure},
	OpShrS:   {Name: "sshr", Args: 2, Effect: Pure},
	OpShrU:   {Name: "ushr", Args: 2, Effect: Pure},
	OpRotl:   {Name: "rotl", Args: 2, Effect: Pure},
	OpRotr:   {Name: "rotr", Args: 2, Effect: Pure},
	OpClz:    {Name: "clz", Args: 1, Effect: Pure},
	OpCtz:    {Name: "ctz", Args: 1, Effect: Pure},
	OpPopcnt: {Name: "popcnt", Args: 1, Effect: Pure},
	OpEqz:    {Name: "eqz", Args: 1, Effect: Pure},
	OpICmp:   {Name: "icmp", Args: 2, Effect: Pure},

	OpWrap:      {Name: "wrap", Args: 1, Effect: Pure},
	OpExtendS:   {Name: "sextend", Args: 1, Effect: Pure},
	OpExtendU:   {Name: "uextend", Args: 1, Effect: Pure},
	OpSignExt8:  {Name: "sext8", Args: 1, Effect: Pure},
	OpSignExt16: {Name: "sext16", Args: 1, Effect: Pure},
	OpSignExt32: {Name: "sext32", Args: 1, Effect: Pure},

	OpFAdd:      {Name: "fadd", Args: 2, Effect: Pure, Commutative: true},
	OpFSub:      {Name: "fsub", Args: 2, Effect: Pure},
	OpFMul:      {Name: "fmul", Args: 2, Effect: Pure, Commutative: true},
	OpFDiv:      {Name: "fdiv", Args: 2, Effect: Pure},
	OpFMin:      {Name: "fmin", Args: 2, Effect: Pure, Commutative: true},
	OpFMax:      {Name: "fmax", Args: 2, Effect: Pure, Commutative: true},
	OpFCopysign: {Name: "fcopysign", Args: 2, Effect: Pure},
	OpFAbs:      {Name: "fabs", Args: 1, Effect: Pure},
	OpFNeg:      {Name: "fneg", Args: 1, Effect: Pure},
	OpFSqrt:     {Name: "sqrt", Args: 1, Effect: Pure},
	OpFCeil:     {Name: "ceil", Args: 1, Effect: Pure},
	OpFFloor:    {Name: "floor", Args: 1, Effect: Pure},
	OpFTrunc:    {Name: "trunc", Args: 1, Effect: Pure},
	OpFNearest:  {Name: "nearest", Args: 1, Effect: Pure},
	OpFCmp:      {Name: "fcmp", Args: 2, Effect: Pure},

	OpTruncS:      {Name: "fcvt_to_sint", Args: 1, Effect: MayTrap},
	OpTruncU:      {Name: "fcvt_to_uint", Args: 1, Effect: MayTrap},
	OpTruncSatS:   {Name: "fcvt_to_sint_sat", Args: 1, Effect: Pure},
	OpTruncSatU:   {Name: "fcvt_to_uint_sat", Args: 1, Effect: Pure},
	OpConvertS:    {Name: "fcvt_from_sint", Args: 1, Effect: Pure},
	OpConvertU:    {Name: "fcvt_from_uint", Args: 1, Effect: Pure},
	OpPromote:     {Name: "fpromote", Args: 1, Effect: Pure},
	OpDemote:      {Name: "fdemote", Args: 1, Effect: Pure},
	OpReinterpret: {Name: "bitcast", Args: 1, Effect: Pure},

	OpLoad:       {Name: "load", Args: 2, Effect: Read},
	OpLoad8S:     {Name: "sload8", Args: 2, Effect: Read},
	OpLoad8U:     {Name: "uload8", Args: 2, Effect: Read},
	OpLoad16S:    {Name: "sload16", Args: 2, Effect: Read},
	OpLoad16U:    {Name: "uload16", Args: 2, Effect: Read},
	OpLoad32S:    {Name: "sload32", Args: 2, Effect: Read},
	OpLoad32U:    {Name: "uload32", Args: 2, Effect: Read},
	OpStore:      {Name: "store", Args: 3, Effect: Write},
	OpStore8:     {Name: "istore8", Args: 3, Effect: Write},
	OpStore16:    {Name: "istore16", Args: 3, Effect: Write},
	OpStore32:    {Name: "istore32", Args: 3, Effect: Write},
	OpMemorySize: {Name: "memory_size", Args: 1, Effect: Read},

	OpGlobalGet: {Name: "global_get", Args: 1, Effect: Read},
	OpGlobalSet: {Name: "global_set", Args: 2, Effect: Write},

	OpCall:       {Name: "call", Args: -1, Effect: Call},
	OpCallImport: {Name: "call_import", Args: -1, Effect: Call},
	OpResult:     {Name: "result", Args: 1, Effect: Pure},

	OpRefFunc:       {Name: "ref_func", Args: 1, Effect: Call},
	OpRefAsNonNull:  {Name: "ref_as_non_null", Args: 1, Effect: MayTrap},
	OpTableGet:      {Name: "table_get", Args: 2, Effect: Read},
	OpTableGetFunc:  {Name: "table_get_func", Args: 2, Effect: Call},
	OpTableSet:      {Name: "table_set", Args: 3, Effect: Write},
	OpTableSetFunc:  {Name: "table_set_func", Args: 3, Effect: Write},
	OpTableSize:     {Name: "table_size", Args: 1, Effect: Read},
	OpFuncTypeCheck: {Name: "functype_check", Args: 2, Effect: MayTrap},
	OpCallRef:       {Name: "call_ref", Args: -1, Effect: Call},

	OpPoll:    {Name: "poll", Args: 0, Effect: Control},
	OpLibcall: {Name: "libcall", Args: -1, Effect: Call},
	OpTrapNZ:  {Name: "trapnz", Args: 1, Effect: MayTrap},

	OpStackSwitch: {Name: "stack_switch", Args: 3, Effect: Call},
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
