package ir

// The verifier checks the invariants listed in func.go's package comment
// and the typing rules implied by the op table. It checks, in this order:
//
//  1. Structure: the function has an entry block with no predecessors;
//     block and value IDs are unique and below NumBlocks/NumValues; every
//     block belongs to f and every value to the block that lists it.
//  2. Edges: Succs and Preds agree (each edge b → c appears as often in
//     b.Succs as in c.Preds); every successor belongs to f; the block kind
//     fixes the successor count (Plain 1, If 2, Switch ≥ 1, Return and Trap
//     0) and the controls (If, Switch: one i32; Return: the function's
//     results; Plain, Trap: none; Trap: a valid trap code in Aux).
//  3. Values: the op is in the table; the arg count matches Ops[op].Args;
//     phis come first and have one arg per predecessor; params and the
//     vmctx live in the entry block; Aux and Aux2 hold what the op's row
//     says (AuxKind, see checkAux); memory and global ops take the vmctx
//     value as arg0; the types of the value and its args follow the op's
//     rule (see checkTypes); tuple values are only read by OpResult and
//     void values are never read.
//  4. Uses: every Uses count equals the number of args and controls that
//     refer to the value.
//  5. Dominance: in reachable blocks, every arg dominates its use: a
//     same-block arg comes earlier; a phi arg dominates the end of the
//     matching predecessor. Uses in unreachable blocks are not checked.
//     A block that is the target of a back edge (from a block it
//     dominates) has Loop set; Loop on other blocks is allowed.
//
// The first violation is returned as an error that names the object and
// says what was wanted and what was found.

import (
	"fmt"
	"slices"

	"wfxc/rt/abi"
)

// Verify checks that f satisfies the IR invariants and returns the first
// violation found, or nil.
func Verify(f *Func) error {
	if f == nil {
		return fmt.Errorf("func is nil")
	}
	if len(f.Blocks) == 0 {
		return fmt.Errorf("func %s: has no blocks, want an entry block", f.Name)
	}
	if err := verifyStructure(f); err != nil {
		return err
	}
	for _, b := range f.Blocks {
		if err := verifyBlock(f, b); err != nil {
			return err
		}
		for i, v := range b.Values {
			if err := verifyValue(f, b, i, v); err != nil {
				return err
			}
		}
	}
	if err := verifyUses(f); err != nil {
		return err
	}
	return verifyDominance(f)
}

func verifyStructure(f *Func) error {
	blockSeen := make(map[int32]*Block)
	valueSeen := make(map[int32]*Value)
	for _, b := range f.Blocks {
		if b == nil {
			return fmt.Errorf("func %s: nil block in Blocks", f.Name)
		}
		if b.Func != f {
			return fmt.Errorf("block b%d: belongs to another func, want %s", b.ID, f.Name)
		}
		if b.ID < 0 || b.ID >= f.nextBlock {
			return fmt.Errorf("block b%d: ID out of range, want < %d", b.ID, f.nextBlock)
		}
		if blockSeen[b.ID] != nil {
			return fmt.Errorf("block b%d: ID used by two blocks", b.ID)
		}
		blockSeen[b.ID] = b
		for _, v := range b.Values {
			if v == nil {
				return fmt.Errorf("block b%d: nil value in Values", b.ID)
			}
			if v.Block != b {
				where := "no block"
				if v.Block != nil {
					where = fmt.Sprintf("b%d", v.Block.ID)
				}
				return fmt.Errorf("value v%d: listed in b%d but its Block is %s", v.ID, b.ID, where)
			}
			if v.ID < 0 || v.ID >= f.nextValue {
				return fmt.Errorf("value v%d: ID out of range, want < %d", v.ID, f.nextValue)
			}
			if valueSeen[v.ID] != nil {
				return fmt.Errorf("value v%d: ID used by two values (or listed twice)", v.ID)
			}
			valueSeen[v.ID] = v
		}
	}
	entry := f.Entry()
	if len(entry.Preds) != 0 {
		return fmt.Errorf("block b%d: entry block has %d predecessors, want 0", entry.ID, len(entry.Preds))
	}
	for _, b := range f.Blocks {
		for _, s := range b.Succs {
			if s == nil || blockSeen[s.ID] != s {
				return fmt.Errorf("block b%d: successor %s is not a block of %s", b.ID, blockName(s), f.Name)
			}
		}
		for _, p := range b.Preds {
			if p == nil || blockSeen[p.ID] != p {
				return fmt.Errorf("block b%d: predecessor %s is not a block of %s", b.ID, blockName(p), f.Name)
			}
		}
		for _, v := range b.Values {
			for i, a := range v.Args {
				if a == nil || valueSeen[a.ID] != a {
					return fmt.Errorf("value v%d (%s): arg %d is not a value of %s", v.ID, v.Op, i, f.Name)
				}
			}
		}
		for i, c := range b.Controls {
			if c == nil || valueSeen[c.ID] != c {
				return fmt.Errorf("block b%d: control %d is not a value of %s", b.ID, i, f.Name)
			}
		}
	}
	// Each edge must be recorded as often on both ends.
	type edge struct{ from, to *Block }
	count := make(map[edge]int)
	for _, b := range f.Blocks {
		for _, s := range b.Succs {
			count[edge{b, s}]++
		}
	}
	for _, b := range f.Blocks {
		for _, p := range b.Preds {
			count[edge{p, b}]--
		}
	}
	for _, b := range f.Blocks { // in block order, for a deterministic message
		for _, s := range b.Succs {
			if n := count[edge{b, s}]; n > 0 {
				return fmt.Errorf("block b%d: edge to b%d is missing from b%d's predecessors (%d more)", b.ID, s.ID, s.ID, n)
			}
		}
		for _, p := range b.Preds {
			if n := count[edge{p, b}]; n < 0 {
				return fmt.Errorf("block b%d: predecessor b%d has no matching successor edge (%d more)", b.ID, p.ID, -n)
			}
		}
	}
	return nil
}

func blockName(b *Block) string {
	if b == nil {
		return "nil"
	}
	return fmt.Sprintf("b%d", b.ID)
}

func verifyBlock(f *Func, b *Block) error {
	nsucc := len(b.Succs)
	switch b.Kind {
	case BlockPlain:
		if nsucc != 1 {
			return fmt.Errorf("block b%d: plain block has %d successors, want 1", b.ID, nsucc)
		}
	case BlockIf:
		if nsucc != 2 {
			return fmt.Errorf("block b%d: if-block has %d successors, want 2", b.ID, nsucc)
		}
	case BlockSwitch:
		if nsucc < 1 {
			return fmt.Errorf("block b%d: switch block has 0 successors, want at least 1 (the default)", b.ID)
		}
	case BlockInvoke:
		if err := checkInvoke(b); err != nil {
			return err
		}
	case BlockReturn, BlockTrap, BlockTailCall, BlockTailCallImport, BlockTailCallRef:
		if nsucc != 0 {
			return fmt.Errorf("block b%d: %s block has %d successors, want 0", b.ID, b.Kind, nsucc)
		}
	default:
		return fmt.Errorf("block b%d: invalid kind %d", b.ID, b.Kind)
	}
	switch b.Kind {
	case BlockPlain, BlockTrap, BlockInvoke:
		if len(b.Controls) != 0 {
			return fmt.Errorf("block b%d: %s block has %d controls, want 0", b.ID, b.Kind, len(b.Controls))
		}
	case BlockIf, BlockSwitch:
		if len(b.Controls) != 1 {
			return fmt.Errorf("block b%d: %s block has %d controls, want 1", b.ID, b.Kind, len(b.Controls))
		}
		if t := b.Controls[0].Type; t != I32 {
			return fmt.Errorf("block b%d: %s control v%d has type %s, want i32", b.ID, b.Kind, b.Controls[0].ID, t)
		}
	case BlockTailCall, BlockTailCallImport, BlockTailCallRef:
		if len(b.Controls) == 0 {
			return fmt.Errorf("block b%d: %s block has no controls, want the callee's vmctx or record first", b.ID, b.Kind)
		}
		want := I64
		if b.Kind == BlockTailCallRef {
			want = Ref
		}
		if t := b.Controls[0].Type; t != want && !(want == I64 && t == Ref) {
			return fmt.Errorf("block b%d: %s control 0 (v%d) has type %s, want %s", b.ID, b.Kind, b.Controls[0].ID, t, want)
		}
	case BlockReturn:
		if len(b.Controls) != len(f.Results) {
			return fmt.Errorf("block b%d: return block has %d controls, want %d (the function's results)", b.ID, len(b.Controls), len(f.Results))
		}
		for i, c := range b.Controls {
			if c.Type != f.Results[i] {
				return fmt.Errorf("block b%d: return value %d (v%d) has type %s, want %s", b.ID, i, c.ID, c.Type, f.Results[i])
			}
		}
	}
	if b.Kind == BlockTrap && (b.Aux <= 0 || b.Aux >= abi.TrapCount) {
		return fmt.Errorf("block b%d: trap code %d, want one of abi.Trap* (1..%d)", b.ID, b.Aux, abi.TrapCount-1)
	}
	for _, c := range b.Controls {
		if c.Type == Void || c.Type == Tuple {
			return fmt.Errorf("block b%d: control v%d has type %s, want a value type", b.ID, c.ID, c.Type)
		}
	}
	return nil
}

func verifyValue(f *Func, b *Block, idx int, v *Value) error {
	if v.Op == OpInvalid || v.Op >= NumOps {
		return fmt.Errorf("value v%d: invalid op %d", v.ID, v.Op)
	}
	info := &Ops[v.Op]
	if info.Args >= 0 && len(v.Args) != info.Args {
		return fmt.Errorf("value v%d (%s): has %d args, want %d", v.ID, v.Op, len(v.Args), info.Args)
	}
	if v.Op == OpPhi {
		if idx > 0 && b.Values[idx-1].Op != OpPhi {
			return fmt.Errorf("value v%d (phi): follows a non-phi in b%d, want phis first", v.ID, b.ID)
		}
		if len(v.Args) != len(b.Preds) {
			return fmt.Errorf("value v%d (phi): has %d args, want %d (one per predecessor of b%d)", v.ID, len(v.Args), len(b.Preds), b.ID)
		}
	}
	if (v.Op == OpParam || v.Op == OpVMCtx) && b != f.Entry() {
		return fmt.Errorf("value v%d (%s): in b%d, want the entry block b%d", v.ID, v.Op, b.ID, f.Entry().ID)
	}
	for i, a := range v.Args {
		if a.Type == Void {
			return fmt.Errorf("value v%d (%s): arg %d (v%d) is void, want a value", v.ID, v.Op, i, a.ID)
		}
		if a.Type == Tuple && v.Op != OpResult {
			return fmt.Errorf("value v%d (%s): arg %d (v%d) is a tuple, want only result to read tuples", v.ID, v.Op, i, a.ID)
		}
	}
	if v.Results != nil && v.Op != OpCall && v.Op != OpCallImport && v.Op != OpCallRef && v.Op != OpStackSwitch {
		return fmt.Errorf("value v%d (%s): has Results, want them only on calls and stack switches", v.ID, v.Op)
	}
	if err := checkAux(f, v, "Aux", info.Aux, v.Aux); err != nil {
		return err
	}
	if err := checkAux(f, v, "Aux2", info.Aux2, v.Aux2); err != nil {
		return err
	}
	return checkTypes(f, v)
}

// checkAux checks x, v's Aux or Aux2 (named field), against the kind the
// op's row gives it.
func checkAux(f *Func, v *Value, field string, kind AuxKind, x int64) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("value v%d (%s): %s", v.ID, v.Op, fmt.Sprintf(format, args...))
	}
	switch kind {
	case AuxNone:
		if x != 0 {
			return bad("%s = %d, want 0", field, x)
		}
	case AuxConst:
		if (v.Type == I32 || v.Type == F32) && (x < -1<<31 || x >= 1<<32) {
			return bad("constant %#x does not fit in 32 bits", x)
		}
	case AuxIntCond:
		t := v.Args[0].Type
		if c := Cond(x); c < CondEq || c > CondGeU || (t == Ref && c != CondEq && c != CondNe) {
			return bad("condition %s is not an integer condition for %s", c, t)
		}
	case AuxFloatCond:
		switch Cond(x) {
		case CondEq, CondNe, CondLt, CondGt, CondLe, CondGe:
		default:
			return bad("condition %s is not a float condition", Cond(x))
		}
	case AuxParam:
		if x < 0 || x >= int64(len(f.Params)) {
			return bad("index %d out of range, want < %d", x, len(f.Params))
		}
	case AuxResult:
		c := v.Args[0]
		if c.Type != Tuple || (c.Op != OpCall && c.Op != OpCallImport && c.Op != OpCallRef && c.Op != OpStackSwitch) {
			return bad("arg 0 (v%d) is a %s %s, want a tuple-typed call or stack switch", c.ID, c.Type, c.Op)
		}
		if x < 0 || x >= int64(len(c.Results)) {
			return bad("index %d out of range, want < %d", x, len(c.Results))
		}
	case AuxVMCtxOffset:
		if x < 0 {
			return bad("%s = %d, want a vmctx offset (≥ 0)", field, x)
		}
	case AuxFunc:
		if x < 0 {
			return bad("%s = %d, want a function index (≥ 0)", field, x)
		}
	case AuxTrap:
		if x <= 0 || x >= abi.TrapCount {
			return bad("trap code %d, want one of abi.Trap* (1..%d)", x, abi.TrapCount-1)
		}
	case AuxFlag:
		if x != 0 && x != 1 {
			return bad("%s = %d, want 0 or 1", field, x)
		}
	case AuxSwitchTops:
		if x&^(SwitchStoreTop|SwitchLoadTop) != 0 {
			return bad("%s = %d, want SwitchStoreTop|SwitchLoadTop bits", field, x)
		}
	case AuxTag, AuxSlot:
		if x < 0 {
			return bad("%s = %d, want an index (≥ 0)", field, x)
		}
	case AuxLane:
		if x < 0 || x >= int64(v.Op.Lanes()) {
			return bad("lane %d out of range, want < %d", x, v.Op.Lanes())
		}
	case AuxBytes:
		if x < 0 {
			return bad("%s = %d, want a size (≥ 0)", field, x)
		}
	case AuxOffset, AuxLibcall, AuxFieldOffset, AuxV128:
		// Any offset (u64 bits); libcall sites are checked against the
		// libcall table.
	default:
		return bad("%s has kind %v, want a known kind", field, kind)
	}
	return nil
}

// checkTypes applies the typing rule of v's op.
func checkTypes(f *Func, v *Value) error {
	if v.Op.IsSIMD() {
		return checkSIMDTypes(v) // simd.go
	}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("value v%d (%s): %s", v.ID, v.Op, fmt.Sprintf(format, args...))
	}
	wantType := func(ok bool, want string) error {
		if !ok {
			return bad("type %s, want %s", v.Type, want)
		}
		return nil
	}
	argType := func(i int, ok bool, want string) error {
		if !ok {
			return bad("arg %d (v%d) has type %s, want %s", i, v.Args[i].ID, v.Args[i].Type, want)
		}
		return nil
	}
	sameArgs := func() error { // every arg has v's type
		for i, a := range v.Args {
			if err := argType(i, a.Type == v.Type, v.Type.String()); err != nil {
				return err
			}
		}
		return nil
	}
	vmctxArg0 := func() error {
		if len(v.Args) == 0 || v.Args[0].Op != OpVMCtx {
			return bad("arg 0 is not the vmctx value")
		}
		return nil
	}
	isValue := func(t Type) bool { return t >= I32 && t <= Ref || t == Cont }
	isAddr := func(t Type) bool { return t == I64 || t == Ref } // a native address
	first := func(errs ...error) error {
		for _, err := range errs {
			if err != nil {
				return err
			}
		}
		return nil
	}

	switch v.Op {
	case OpParam:
		if v.Aux < 0 || v.Aux >= int64(len(f.Params)) {
			return nil // checkAux reports the index
		}
		return wantType(v.Type == f.Params[v.Aux], f.Params[v.Aux].String())
	case OpVMCtx:
		return wantType(v.Type == I64 || v.Type == Ref, "i64 or ref")
	case OpConst:
		if v.Type == Cont {
			if v.Aux != 0 {
				return bad("cont constant %#x, want 0 (null)", v.Aux)
			}
			return nil
		}
		return wantType(v.Type.IsInt() || v.Type.IsFloat() || v.Type == Ref, "i32, i64, f32, f64, ref or cont")
	case OpPhi, OpCopy:
		return first(wantType(isValue(v.Type), "a value type"), sameArgs())
	case OpSelect:
		return first(wantType(isValue(v.Type), "a value type"), argType(0, v.Args[0].Type == I32, "i32"),
			argType(1, v.Args[1].Type == v.Type, v.Type.String()), argType(2, v.Args[2].Type == v.Type, v.Type.String()))
	case OpAdd, OpSub, OpMul, OpDivS, OpDivU, OpRemS, OpRemU, OpAnd, OpOr, OpXor,
		OpShl, OpShrS, OpShrU, OpRotl, OpRotr, OpClz, OpCtz, OpPopcnt, OpSignExt8, OpSignExt16:
		return first(wantType(v.Type.IsInt(), "i32 or i64"), sameArgs())
	case OpEqz:
		return first(wantType(v.Type == I32, "i32"), argType(0, v.Args[0].Type.IsInt(), "i32 or i64"))
	case OpICmp:
		t := v.Args[0].Type
		return first(wantType(v.Type == I32, "i32"), argType(0, t.IsInt() || t == Ref, "i32, i64 or ref"),
			argType(1, v.Args[1].Type == t, t.String()))
	case OpWrap:
		return first(wantType(v.Type == I32, "i32"), argType(0, v.Args[0].Type == I64, "i64"))
	case OpExtendS, OpExtendU:
		return first(wantType(v.Type == I64, "i64"), argType(0, v.Args[0].Type == I32, "i32"))
	case OpSignExt32:
		return first(wantType(v.Type == I64, "i64"), sameArgs())
	case OpFAdd, OpFSub, OpFMul, OpFDiv, OpFMin, OpFMax, OpFCopysign, OpFAbs, OpFNeg,
		OpFSqrt, OpFCeil, OpFFloor, OpFTrunc, OpFNearest:
		return first(wantType(v.Type.IsFloat(), "f32 or f64"), sameArgs())
	case OpFCmp:
		t := v.Args[0].Type
		return first(wantType(v.Type == I32, "i32"), argType(0, t.IsFloat(), "f32 or f64"),
			argType(1, v.Args[1].Type == t, t.String()))
	case OpTruncS, OpTruncU, OpTruncSatS, OpTruncSatU:
		return first(wantType(v.Type.IsInt(), "i32 or i64"), argType(0, v.Args[0].Type.IsFloat(), "f32 or f64"))
	case OpConvertS, OpConvertU:
		return first(wantType(v.Type.IsFloat(), "f32 or f64"), argType(0, v.Args[0].Type.IsInt(), "i32 or i64"))
	case OpPromote:
		return first(wantType(v.Type == F64, "f64"), argType(0, v.Args[0].Type == F32, "f32"))
	case OpDemote:
		return first(wantType(v.Type == F32, "f32"), argType(0, v.Args[0].Type == F64, "f64"))
	case OpReinterpret:
		t := v.Args[0].Type
		ok := (t.IsInt() || t.IsFloat()) && (v.Type.IsInt() || v.Type.IsFloat()) && t.Size() == v.Type.Size() && t != v.Type
		if !ok {
			return bad("reinterprets %s as %s, want int ↔ float of the same width", t, v.Type)
		}
		return nil
	case OpLoad, OpLoad8S, OpLoad8U, OpLoad16S, OpLoad16U, OpLoad32S, OpLoad32U:
		var typeOK bool
		switch v.Op {
		case OpLoad:
			typeOK = v.Type.IsInt() || v.Type.IsFloat() || v.Type == V128
		case OpLoad32S, OpLoad32U:
			typeOK = v.Type == I64
		default:
			typeOK = v.Type.IsInt()
		}
		return first(vmctxArg0(), wantType(typeOK, "a type the load can produce"), argType(1, v.Args[1].Type.IsInt(), "i32 or i64 (an address)"))
	case OpStore, OpStore8, OpStore16, OpStore32:
		var ok bool
		t := v.Args[2].Type
		switch v.Op {
		case OpStore:
			ok = t.IsInt() || t.IsFloat() || t == V128
		case OpStore32:
			ok = t == I64
		default:
			ok = t.IsInt()
		}
		return first(vmctxArg0(), wantType(v.Type == Void, "void"), argType(1, v.Args[1].Type.IsInt(), "i32 or i64 (an address)"), argType(2, ok, "a type the store can write"))
	case OpMemorySize:
		return first(vmctxArg0(), wantType(v.Type.IsInt(), "i32 or i64"))
	case OpGlobalGet:
		return first(vmctxArg0(), wantType(isValue(v.Type), "a value type"))
	case OpGlobalSet:
		return first(vmctxArg0(), wantType(v.Type == Void, "void"))
	case OpCall, OpCallImport:
		if len(v.Args) == 0 {
			return bad("has no args, want the callee vmctx first")
		}
		if err := argType(0, v.Args[0].Type == I64 || v.Args[0].Type == Ref, "i64 or ref (a vmctx)"); err != nil {
			return err
		}
		if v.Op == OpCallImport {
			if err := vmctxArg0(); err != nil {
				return err
			}
		}
		return callResults(v)
	case OpResult:
		c := v.Args[0]
		if v.Aux < 0 || v.Aux >= int64(len(c.Results)) {
			return nil // checkAux reports arg 0 or the index
		}
		return wantType(v.Type == c.Results[v.Aux], c.Results[v.Aux].String())
	case OpPoll:
		return wantType(v.Type == Void, "void")
	case OpRefFunc:
		return first(vmctxArg0(), wantType(v.Type == Ref, "ref"))
	case OpRefAsNonNull:
		return first(wantType(v.Type == Ref, "ref"), argType(0, v.Args[0].Type == Ref, "ref"))
	case OpTableGet:
		return first(vmctxArg0(), wantType(v.Type == Ref || v.Type == Cont, "ref or cont"), argType(1, v.Args[1].Type.IsInt(), "i32 or i64 (an index)"))
	case OpTableGetFunc:
		return first(vmctxArg0(), wantType(v.Type == Ref, "ref"), argType(1, v.Args[1].Type.IsInt(), "i32 or i64 (an index)"))
	case OpTableSet:
		return first(vmctxArg0(), wantType(v.Type == Void, "void"), argType(1, v.Args[1].Type.IsInt(), "i32 or i64 (an index)"),
			argType(2, v.Args[2].Type == Ref || v.Args[2].Type == Cont, "ref or cont"))
	case OpTableSetFunc:
		return first(vmctxArg0(), wantType(v.Type == Void, "void"), argType(1, v.Args[1].Type.IsInt(), "i32 or i64 (an index)"),
			argType(2, v.Args[2].Type == Ref, "ref"))
	case OpTableSize:
		return first(vmctxArg0(), wantType(v.Type.IsInt(), "i32 or i64"))
	case OpFuncTypeCheck:
		return first(vmctxArg0(), wantType(v.Type == Void, "void"), argType(1, v.Args[1].Type == Ref, "ref"))
	case OpCallRef:
		if len(v.Args) == 0 {
			return bad("has no args, want the funcref record first")
		}
		if err := argType(0, v.Args[0].Type == Ref, "ref (a funcref record)"); err != nil {
			return err
		}
		return callResults(v)
	case OpLibcall:
		return checkLibcall(v)
	case OpTrapNZ:
		return first(wantType(v.Type == Void, "void"), argType(0, v.Args[0].Type.IsInt(), "i32 or i64"))
	case OpFuelCheck:
		return first(wantType(v.Type == I64, "i64"), argType(0, v.Args[0].Type == I64, "i64"))
	case OpStackSwitch:
		if len(v.Args) != 3 && len(v.Args) != 5 {
			return bad("%d args, want 3 (store_ctx, load_ctx, payload) or 5 (and who, kind)", len(v.Args))
		}
		up := v.Type == Tuple && slices.Equal(v.Results, SwitchUp)
		err := first(wantType(v.Type == I64 || up, "i64 or (i64, ref, i32)"), argType(0, isAddr(v.Args[0].Type), "i64 or ref (an address)"),
			argType(1, isAddr(v.Args[1].Type), "i64 or ref (an address)"), argType(2, v.Args[2].Type == I64, "i64"))
		if err == nil && len(v.Args) == 5 {
			err = first(argType(3, v.Args[3].Type == Ref, "ref"), argType(4, v.Args[4].Type == I32, "i32"))
		}
		return err
	case OpECtx, OpFrameArea, OpFuncAddr, OpFibreRoot:
		return wantType(v.Type == I64, "i64")
	case OpLoadRaw:
		return first(wantType(isValue(v.Type), "a value type"), argType(0, isAddr(v.Args[0].Type), "i64 or ref (an address)"))
	case OpStoreRaw:
		return first(wantType(v.Type == Void, "void"), argType(0, isAddr(v.Args[0].Type), "i64 or ref (an address)"),
			argType(1, isValue(v.Args[1].Type), "a value type"))
	case OpContMake:
		return first(wantType(v.Type == Cont, "cont"), argType(0, v.Args[0].Type == Ref, "ref"), argType(1, v.Args[1].Type == I64, "i64"))
	case OpContPtr:
		return first(wantType(v.Type == Ref, "ref"), argType(0, v.Args[0].Type == Cont, "cont"))
	case OpContRev:
		return first(wantType(v.Type == I64, "i64"), argType(0, v.Args[0].Type == Cont, "cont"))
	case OpThrow:
		return first(vmctxArg0(), wantType(v.Type == Void, "void"), checkThrow(v))
	case OpLandingArg:
		return first(wantType(isValue(v.Type), "a value type"), checkLandingArg(v))
	}
	return bad("no typing rule for this op")
}

// callResults checks the result type of a call against its Results.
func callResults(v *Value) error {
	wantType := func(ok bool, want string) error {
		if !ok {
			return fmt.Errorf("value v%d (%s): type %s, want %s", v.ID, v.Op, v.Type, want)
		}
		return nil
	}
	switch {
	case v.Results == nil:
		return wantType(v.Type == Void || (v.Type >= I32 && v.Type <= Ref) || v.Type == Cont, "void or a value type (Results is nil)")
	case len(v.Results) == 0:
		return wantType(v.Type == Void, "void (no Results)")
	case len(v.Results) == 1:
		return wantType(v.Type == v.Results[0], v.Results[0].String()+" (its one Result)")
	default:
		return wantType(v.Type == Tuple, "tuple (several Results)")
	}
}

func verifyUses(f *Func) error {
	uses := make([]int32, f.nextValue) // IDs are checked to be below nextValue
	for _, b := range f.Blocks {
		for _, v := range b.Values {
			for _, a := range v.Args {
				uses[a.ID]++
			}
		}
		for _, c := range b.Controls {
			uses[c.ID]++
		}
	}
	for _, b := range f.Blocks {
		for _, v := range b.Values {
			if v.Uses != uses[v.ID] {
				return fmt.Errorf("value v%d (%s): Uses is %d, want %d", v.ID, v.Op, v.Uses, uses[v.ID])
			}
		}
	}
	return nil
}

func verifyDominance(f *Func) error {
	d := Dominators(f)
	pos := make([]int32, f.nextValue) // index of each value in its block, by ID
	for _, b := range f.Blocks {
		for i, v := range b.Values {
			pos[v.ID] = int32(i)
		}
	}
	// dominatesAt reports whether def dominates the point just before
	// index i of block b (i = len(b.Values) is the block's end).
	dominatesAt := func(def *Value, b *Block, i int) bool {
		if def.Block == b {
			return int(pos[def.ID]) < i
		}
		return d.Dominates(def.Block, b)
	}
	for _, b := range f.Blocks {
		if !d.Reachable(b) {
			continue
		}
		if !b.Loop {
			for _, p := range b.Preds {
				if d.Dominates(b, p) {
					return fmt.Errorf("block b%d: target of the back edge from b%d, want Loop set", b.ID, p.ID)
				}
			}
		}
		for i, v := range b.Values {
			for j, a := range v.Args {
				if v.Op == OpPhi {
					p := b.Preds[j]
					if d.Reachable(p) && !dominatesAt(a, p, len(p.Values)) {
						return fmt.Errorf("value v%d (phi): arg %d (v%d in b%d) does not dominate the end of predecessor b%d", v.ID, j, a.ID, a.Block.ID, p.ID)
					}
					continue
				}
				if !dominatesAt(a, b, i) {
					return fmt.Errorf("value v%d (%s): arg %d (v%d in b%d) does not dominate its use in b%d", v.ID, v.Op, j, a.ID, a.Block.ID, b.ID)
				}
			}
		}
		for j, c := range b.Controls {
			if !dominatesAt(c, b, len(b.Values)) {
				return fmt.Errorf("block b%d: control %d (v%d in b%d) does not dominate the end of the block", b.ID, j, c.ID, c.Block.ID)
			}
		}
	}
	return nil
}
