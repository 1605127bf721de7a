// Package ir is wfxc's machine-independent SSA intermediate representation:
// the op table (op.go), Func/Block/Value, a builder, a verifier, a printer
// and parser of the text form, and passes.
//
// Invariants (checked by Verify):
//   - Blocks[0] is the entry block; it has no predecessors.
//   - Every value belongs to exactly one block; phis come first in a block.
//   - A phi has one arg per predecessor edge, in Preds order. An edge that
//     occurs twice (both arms of an if, a br_table naming a block twice)
//     appears twice in Preds.
//   - Every arg dominates its use (for phis: the end of the matching pred).
//   - Params and the vmctx value live in the entry block.
//   - Block kinds fix the successor count: Plain 1, If 2, Switch n+1 (last is
//     the default), Return, Trap and the tail calls 0.
//   - Side-effecting values (Effect != Pure) execute in the order of the
//     block's Values slice.
package ir

import "sync"

// Type is the type of a value.
type Type uint8

const (
	TypeInvalid Type = iota
	Void             // no value (stores, calls without results)
	I32
	I64
	F32
	F64
	V128
	Ref   // a pointer-sized reference (funcref, externref)
	Tuple // several results of a call; see Value.Results
	Cont  // a continuation reference: the 16-byte fat pointer {VMContRef address, revision} (DESIGN.md §6)
)

var typeNames = [...]string{"invalid", "void", "i32", "i64", "f32", "f64", "v128", "ref", "tuple", "cont"}

func (t Type) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return "type?"
}

// IsInt reports whether t is i32 or i64.
func (t Type) IsInt() bool { return t == I32 || t == I64 }

// IsFloat reports whether t is f32 or f64.
func (t Type) IsFloat() bool { return t == F32 || t == F64 }

// Size is the size of a value of this type in bytes.
func (t Type) Size() int {
	switch t {
	case I32, F32:
		return 4
	case I64, F64, Ref:
		return 8
	case V128, Cont:
		return 16
	}
	return 0
}

// Value is one SSA value: an op applied to args.
type Value struct {
	ID      int32
	Op      Op
	Type    Type
	Aux     int64
	Aux2    int64
	Args    []*Value
	Block   *Block
	Results []Type // result types of a call (any count); nil otherwise
	Pos     int32  // wasm byte offset in the module, for trap sites and backtraces; -1 = none
	Uses    int32  // number of args and controls referring to this value
}

// BlockKind says how a block ends.
type BlockKind uint8

const (
	BlockInvalid BlockKind = iota
	BlockPlain             // jump to Succs[0]
	BlockIf                // Succs[0] if Controls[0] (i32) != 0, else Succs[1]
	BlockSwitch            // Succs[Controls[0]] if in range, else the last succ
	BlockReturn            // return Controls as the function's results
	BlockTrap              // trap with code Aux (an abi.Trap* code)
	// Tail calls: the block ends the function by calling another with
	// Controls as args, whose results become this function's results.
	BlockTailCall       // defined function Aux; Controls = (callee vmctx, params…)
	BlockTailCallImport // imported function: code at vmctx+Aux, callee vmctx at vmctx+Aux+8; Controls = (vmctx, params…)
	BlockTailCallRef    // the function of funcref record Controls[0]; Controls = (record, params…)
	// BlockInvoke ends with a call (or throw) whose exceptions the clauses
	// Catches may catch: Succs[0] is where the call returns to, Succs[1+i]
	// the landing block of Catches[i] (innermost try_table first). Values
	// live into a landing block are live across the call.
	BlockInvoke
)

// Catch is a clause of a BlockInvoke: its kind (abi.CatchTag, CatchTagRef,
// CatchAll, CatchAllRef) and, for the tag kinds, the tag index.
type Catch struct {
	Kind uint8
	Tag  uint32
}

var blockKindNames = [...]string{"invalid", "plain", "if", "switch", "return", "trap", "tailcall", "tailcall_import", "tailcall_ref", "invoke"}

func (k BlockKind) String() string {
	if int(k) < len(blockKindNames) {
		return blockKindNames[k]
	}
	return "kind?"
}

// Block is a basic block.
type Block struct {
	ID       int32
	Kind     BlockKind
	Values   []*Value
	Controls []*Value
	Succs    []*Block
	Preds    []*Block
	Aux      int64   // trap code for BlockTrap; callee for BlockTailCall(Import)
	Pos      int32   // wasm byte offset of the instruction that ends the block; -1 = none
	Loop     bool    // a loop header (target of a back edge)
	Cold     bool    // rarely runs: the back ends place it after the others (a hint; no effect on meaning)
	Catches  []Catch // BlockInvoke: the clause of each landing block Succs[1:]
	Func     *Func
}

// Func is a function in SSA form.
type Func struct {
	Name    string
	Index   int // function index in the module
	Params  []Type
	Results []Type
	Blocks  []*Block // Blocks[0] is the entry
	// GuardPages: 32-bit memory accesses whose offset plus size is at most
	// abi.GuardBytes need no bounds check (guard-page memories); the back
	// ends that support it omit the check (lower/x64).
	GuardPages bool
	// Root: a continuation's entry (frontend.ContEntry), entered at the
	// base of a fresh fibre stack and never returning, so it preserves no
	// register for a caller: the back ends save no callee-saved register.
	Root bool
	// Private: whoever compiles f owns it (the compile driver's own
	// translation, used once), so a back end may rewrite it in place
	// instead of rewriting a Clone.
	Private bool

	// values and args are the unused rests of the chunks newValue takes
	// Values and arg lists from (a function's values live and die
	// together), valueChunks and argChunks all the chunks, for Release;
	// a Clone starts chunks of its own.
	values      []Value
	args        []*Value
	valueChunks []*[valueChunk]Value
	argChunks   []*[argsChunk]*Value

	nextValue int32
	nextBlock int32
}

// NewFunc returns a function with an empty entry block.
func NewFunc(name string, index int, params, results []Type) *Func {
	f := &Func{Name: name, Index: index, Params: params, Results: results}
	f.NewBlock(BlockPlain)
	return f
}

// Entry is the entry block.
func (f *Func) Entry() *Block { return f.Blocks[0] }

// NumValues is an upper bound on value IDs (for dense tables).
func (f *Func) NumValues() int { return int(f.nextValue) }

// NumBlocks is an upper bound on block IDs.
func (f *Func) NumBlocks() int { return int(f.nextBlock) }

// NewBlock appends a new block of the given kind.
func (f *Func) NewBlock(kind BlockKind) *Block {
	b := &Block{ID: f.nextBlock, Kind: kind, Func: f, Pos: -1}
	f.nextBlock++
	f.Blocks = append(f.Blocks, b)
	return b
}

// NewValue appends a value to b.
func (b *Block) NewValue(op Op, t Type, args ...*Value) *Value {
	v := b.Func.newValue(op, t, args)
	v.Block = b
	b.Values = append(b.Values, v)
	return v
}

// NewValueAux appends a value with an Aux to b.
func (b *Block) NewValueAux(op Op, t Type, aux int64, args ...*Value) *Value {
	v := b.NewValue(op, t, args...)
	v.Aux = aux
	return v
}

// InsertPhi adds a phi at the start of b with no args yet.
func (b *Block) InsertPhi(t Type) *Value {
	v := b.Func.newValue(OpPhi, t, nil)
	v.Block = b
	i := 0
	for i < len(b.Values) && b.Values[i].Op == OpPhi {
		i++
	}
	b.Values = append(b.Values, nil)
	copy(b.Values[i+1:], b.Values[i:])
	b.Values[i] = v
	return v
}

// Chunk sizes of Func.values and Func.args.
const (
	valueChunk = 128
	argsChunk  = 512
)

// Cleared chunks of Values and args that Release gave back.
var (
	valuePool = sync.Pool{New: func() any { return new([valueChunk]Value) }}
	argsPool  = sync.Pool{New: func() any { return new([argsChunk]*Value) }}
)

// Release gives f's values back for other functions to reuse: nothing
// may use f, its blocks or its values afterwards. The compile driver
// releases its Private functions once compiled.
func (f *Func) Release() {
	for _, c := range f.valueChunks {
		clear(c[:])
		valuePool.Put(c)
	}
	for _, c := range f.argChunks {
		clear(c[:])
		argsPool.Put(c)
	}
	f.values, f.args, f.valueChunks, f.argChunks = nil, nil, nil, nil
	f.Blocks = nil
}

func (f *Func) newValue(op Op, t Type, args []*Value) *Value {
	if len(f.values) == 0 {
		c := valuePool.Get().(*[valueChunk]Value)
		f.valueChunks = append(f.valueChunks, c)
		f.values = c[:]
	}
	v := &f.values[0]
	f.values = f.values[1:]
	*v = Value{ID: f.nextValue, Op: op, Type: t, Pos: -1}
	f.nextValue++
	if n := len(args); n > 0 {
		switch {
		case n > argsChunk:
			f.args = make([]*Value, n)
		case n > len(f.args):
			c := argsPool.Get().(*[argsChunk]*Value)
			f.argChunks = append(f.argChunks, c)
			f.args = c[:]
		}
		// Capped at n: AddArg and other appends reallocate rather than
		// run into the next value's args.
		v.Args = f.args[:n:n]
		f.args = f.args[n:]
		copy(v.Args, args)
		for _, a := range args {
			a.Uses++
		}
	}
	return v
}

// AddArg appends an arg to v.
func (v *Value) AddArg(a *Value) {
	v.Args = append(v.Args, a)
	a.Uses++
}

// SetArg replaces arg i of v.
func (v *Value) SetArg(i int, a *Value) {
	v.Args[i].Uses--
	v.Args[i] = a
	a.Uses++
}

// AddEdgeTo adds the edge b → c.
func (b *Block) AddEdgeTo(c *Block) {
	b.Succs = append(b.Succs, c)
	c.Preds = append(c.Preds, b)
}

// SetControls sets the block's control values.
func (b *Block) SetControls(vs ...*Value) {
	for _, v := range b.Controls {
		v.Uses--
	}
	b.Controls = append(b.Controls[:0], vs...)
	for _, v := range vs {
		v.Uses++
	}
}
