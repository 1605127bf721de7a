// Package interp runs IR functions directly, with exact Wasm semantics, so
// that IR tests (`; run:` lines in ir/testdata/*.ir) and passes can be
// checked without a back end, and native code can be compared against it.
//
// The interpreter walks blocks: on entering a block it assigns its phis
// (all at once, from the arg of the edge taken), then executes the values in
// order, then follows the terminator. Arithmetic goes through ir.Eval, so
// the interpreter and constant folding share one definition of every op;
// this file handles the ops that touch state: params, memory, globals,
// calls and tuple results.
//
// Model. A value is a uint64 holding its bits (i32/f32 in the low 32 bits).
// There is one linear memory (a byte slice; the memory ops' Aux2 is
// ignored) and globals live in a map keyed by their vmctx offset (the Aux of
// global_get/global_set; the indirect flag Aux2 is ignored). The vmctx value
// itself is an opaque 0. Defined functions are found by Func.Index (the Aux
// of call); imports by the vmctx offset in call_import's Aux. A v128 value
// takes two uint64 slots (low half first) in args, results and globals
// (the high half at vmctx offset +8); the SIMD ops are simd.go's.
// stack_switch is not supported. Exceptions: exn.go.
package interp

import (
	"encoding/binary"
	"errors"
	"fmt"

	"wfxc/ir"
	"wfxc/rt/abi"
)

// Trap is the error returned when the code traps.
type Trap struct {
	Code int64  // abi.Trap* code
	Func string // name of the function that trapped
	Pos  int32  // wasm byte offset of the trapping instruction; -1 = unknown
}

// Error names the trap code and its spec message, the function and the
// wasm offset.
func (t *Trap) Error() string {
	msg := "unknown trap"
	if t.Code >= 0 && t.Code < abi.TrapCount {
		msg = abi.TrapMessages[t.Code]
	}
	s := fmt.Sprintf("trap %s (code %d): %s in %s", ir.TrapName(t.Code), t.Code, msg, t.Func)
	if t.Pos >= 0 {
		s += fmt.Sprintf(" @%d", t.Pos)
	}
	return s
}

// ErrUnsupported is wrapped by the error returned for ops or types the
// interpreter does not model (stack_switch, runtime records).
var ErrUnsupported = errors.New("not supported by the interpreter")

// ErrNoFunc is wrapped by the error returned for a call to a function or
// import the machine does not have.
var ErrNoFunc = errors.New("function not found")

// ErrStepLimit is returned when a run executes more than MaxSteps values.
var ErrStepLimit = errors.New("step limit exceeded")

// Import is a host function: it gets the call's params (without the vmctx)
// and returns its results.
type Import func(args []uint64) ([]uint64, error)

// Machine is the state functions run against. It verifies each function
// the first time it runs it, so functions must not change between calls.
type Machine struct {
	Funcs    map[int]*ir.Func // defined functions by Index (call's Aux)
	Imports  map[int64]Import // imported functions by vmctx offset (call_import's Aux)
	Memory   []byte           // the linear memory
	Globals  map[int64]uint64 // global slots by vmctx offset
	MaxDepth int              // call depth beyond which calls trap with stack_overflow; 0 = 1000
	MaxSteps int64            // values executed before ErrStepLimit; 0 = no limit

	steps    int64
	depth    int
	verified map[*ir.Func]bool
	exns     []*Exception          // exceptions with an exnref, handle = index+1 (exn.go)
	exnIDs   map[*Exception]uint64 // their handles
}

// Run runs f with args on a fresh machine with the given functions, memory
// and globals, and returns f's results.
func Run(f *ir.Func, funcs map[int]*ir.Func, args []uint64, mem []byte, globals map[int64]uint64) ([]uint64, error) {
	m := &Machine{Funcs: funcs, Memory: mem, Globals: globals}
	return m.Call(f, args)
}

// Call runs f with args (one uint64 per param, two per v128) and returns
// its results (likewise).
// Each function is verified (ir.Verify) the first time the machine runs it.
func (m *Machine) Call(f *ir.Func, args []uint64) ([]uint64, error) {
	if !m.verified[f] {
		if err := ir.Verify(f); err != nil {
			return nil, fmt.Errorf("interp: %w", err)
		}
		if m.verified == nil {
			m.verified = make(map[*ir.Func]bool)
		}
		m.verified[f] = true
	}
	if n := slotCount(f.Params); len(args) != n {
		return nil, fmt.Errorf("interp: %s takes %d args, got %d", f.Name, n, len(args)) // slots: a v128 counts twice
	}
	limit := m.MaxDepth
	if limit == 0 {
		limit = 1000
	}
	if m.depth >= limit {
		return nil, &Trap{Code: abi.TrapStackOverflow, Func: f.Name, Pos: -1}
	}
	m.depth++
	defer func() { m.depth-- }()
	fr := &frame{m: m, f: f, args: args, vals: make([]uint64, f.NumValues())}
	return fr.run()
}

// frame is one activation of a function.
type frame struct {
	m      *Machine
	f      *ir.Func
	args   []uint64
	vals   []uint64           // by value ID
	tuples map[int32][]uint64 // results of tuple-typed calls, by value ID
	buf    []uint64           // scratch for Eval's args
	hi     []uint64           // high halves of v128 values, by value ID (nil until one is set)
	landed []uint64           // the values delivered to the landing block being entered
}

func (fr *frame) run() ([]uint64, error) {
	b := fr.f.Entry()
	predIdx := -1
	var phiVals []uint64
blocks:
	for {
		// Phis read their args all at once, on the edge just taken.
		phiVals = phiVals[:0]
		for _, v := range b.Values {
			if v.Op != ir.OpPhi {
				break
			}
			if predIdx < 0 || predIdx >= len(v.Args) {
				return nil, fmt.Errorf("interp: %s: phi %v in b%d has no arg for the edge taken", fr.f.Name, v, b.ID)
			}
			phiVals = append(phiVals, fr.vals[v.Args[predIdx].ID])
			if v.Type == ir.V128 {
				phiVals = append(phiVals, fr.vec(v.Args[predIdx])[1])
			}
		}
		for i, k := 0, 0; k < len(phiVals); i, k = i+1, k+1 {
			v := b.Values[i]
			fr.vals[v.ID] = phiVals[k]
			if v.Type == ir.V128 {
				k++
				fr.setVec(v, ir.Vec{phiVals[k-1], phiVals[k]})
			}
		}
		for _, v := range b.Values[numPhis(b):] {
			if fr.m.MaxSteps > 0 {
				fr.m.steps++
				if fr.m.steps > fr.m.MaxSteps {
					return nil, ErrStepLimit
				}
			}
			if err := fr.exec(v); err != nil {
				j, ok := fr.unwind(b, v, err) // exn.go
				if !ok {
					return nil, err
				}
				predIdx, b = b.PredIndex(j), b.Succs[j]
				continue blocks
			}
		}
		j := 0
		switch b.Kind {
		case ir.BlockPlain:
		case ir.BlockInvoke: // the call returned
		case ir.BlockIf:
			if uint32(fr.vals[b.Controls[0].ID]) == 0 {
				j = 1
			}
		case ir.BlockSwitch:
			j = len(b.Succs) - 1
			if k := uint64(uint32(fr.vals[b.Controls[0].ID])); k < uint64(j) {
				j = int(k)
			}
		case ir.BlockReturn:
			return fr.slots(b.Controls), nil
		case ir.BlockTrap:
			return nil, &Trap{Code: b.Aux, Func: fr.f.Name, Pos: b.Pos}
		case ir.BlockTailCall, ir.BlockTailCallImport:
			// The interpreter's Go stack grows here; constant stack space is
			// the back ends' business.
			args := fr.slots(b.Controls[1:])
			if b.Kind == ir.BlockTailCallImport {
				imp := fr.m.Imports[b.Aux]
				if imp == nil {
					return nil, fmt.Errorf("interp: %s: tail call of import at vmctx offset %d: %w", fr.f.Name, b.Aux, ErrNoFunc)
				}
				return imp(args)
			}
			callee := fr.m.Funcs[int(b.Aux)]
			if callee == nil {
				return nil, fmt.Errorf("interp: %s: tail call of function %d: %w", fr.f.Name, b.Aux, ErrNoFunc)
			}
			return fr.m.Call(callee, args)
		case ir.BlockTailCallRef:
			return nil, fmt.Errorf("interp: %s: b%d: tailcall_ref: %w", fr.f.Name, b.ID, ErrUnsupported)
		default:
			return nil, fmt.Errorf("interp: %s: b%d has invalid kind %v", fr.f.Name, b.ID, b.Kind)
		}
		if j >= len(b.Succs) {
			return nil, fmt.Errorf("interp: %s: b%d has no successor %d", fr.f.Name, b.ID, j)
		}
		predIdx = b.PredIndex(j)
		b = b.Succs[j]
	}
}

// An execFn executes a value whose op needs state.
type execFn func(fr *frame, v *ir.Value) error

// stateful holds the ops ir.Eval does not compute. Every op is in exactly
// one of the two (TestHandles checks).
var stateful [ir.NumOps]execFn

func init() {
	stateful = [ir.NumOps]execFn{
		ir.OpParam:       execParam,
		ir.OpVMCtx:       func(fr *frame, v *ir.Value) error { fr.vals[v.ID] = 0; return nil },
		ir.OpPhi:         func(fr *frame, v *ir.Value) error { return nil }, // assigned on block entry
		ir.OpLoad:        execLoad,
		ir.OpLoad8S:      execLoad,
		ir.OpLoad8U:      execLoad,
		ir.OpLoad16S:     execLoad,
		ir.OpLoad16U:     execLoad,
		ir.OpLoad32S:     execLoad,
		ir.OpLoad32U:     execLoad,
		ir.OpStore:       execStore,
		ir.OpStore8:      execStore,
		ir.OpStore16:     execStore,
		ir.OpStore32:     execStore,
		ir.OpMemorySize:  execMemorySize,
		ir.OpGlobalGet:   execGlobalGet,
		ir.OpGlobalSet:   execGlobalSet,
		ir.OpCall:        execCall,
		ir.OpCallImport:  execCall,
		ir.OpResult:      execResult,
		ir.OpPoll:        func(fr *frame, v *ir.Value) error { return nil }, // never asked to stop
		ir.OpStackSwitch: unsupported,
		ir.OpThrow:       execThrow,      // exn.go
		ir.OpLandingArg:  execLandingArg, // exn.go
		// Stack switching works on runtime records and 16-byte values.
		ir.OpECtx:      unsupported,
		ir.OpLoadRaw:   unsupported,
		ir.OpStoreRaw:  unsupported,
		ir.OpFrameArea: unsupported,
		ir.OpFuncAddr:  unsupported,
		ir.OpFibreRoot: unsupported,
		ir.OpContMake:  unsupported,
		ir.OpContPtr:   unsupported,
		ir.OpContRev:   unsupported,
		// References, tables and libcalls need a runtime: not interpreted.
		ir.OpRefFunc:       unsupported,
		ir.OpTableGet:      unsupported,
		ir.OpTableGetFunc:  unsupported,
		ir.OpTableSet:      unsupported,
		ir.OpTableSetFunc:  unsupported,
		ir.OpTableSize:     unsupported,
		ir.OpFuncTypeCheck: unsupported,
		ir.OpCallRef:       unsupported,
		ir.OpLibcall:       execLibcall, // exn.go: throw_ref; the others are not interpreted
		ir.OpRefAsNonNull:  execRefAsNonNull,
		ir.OpTrapNZ:        execTrapNZ,
		ir.OpFuelCheck:     execFuelCheck,
	}
}

// Handles reports whether the interpreter has a case for op (for
// stack_switch that case is an explicit ErrUnsupported).
func Handles(op ir.Op) bool {
	return op > ir.OpInvalid && op < ir.NumOps && (ir.Evaluable(op) || stateful[op] != nil)
}

func unsupported(fr *frame, v *ir.Value) error {
	return fmt.Errorf("interp: %s: %v (%s): %w", fr.f.Name, v, v.Op, ErrUnsupported)
}

func (fr *frame) exec(v *ir.Value) error {
	if v.Op < ir.NumOps && stateful[v.Op] != nil {
		return stateful[v.Op](fr, v)
	}
	if v.Op.IsSIMD() {
		return execSIMD(fr, v) // simd.go
	}
	if v.Type == ir.V128 {
		return execVecMove(fr, v) // simd.go
	}
	fr.buf = fr.buf[:0]
	argT := v.Type
	for i, a := range v.Args {
		if i == 0 {
			argT = a.Type
		}
		fr.buf = append(fr.buf, fr.vals[a.ID])
	}
	if v.Op == ir.OpSelect {
		argT = v.Type
	}
	r, trap, ok := ir.Eval(v.Op, v.Type, argT, v.Aux, fr.buf)
	if !ok {
		return fmt.Errorf("interp: %s: cannot evaluate %s", fr.f.Name, v.LongString())
	}
	if trap != 0 {
		return &Trap{Code: trap, Func: fr.f.Name, Pos: v.Pos}
	}
	fr.vals[v.ID] = r
	return nil
}

func typeMask(t ir.Type) uint64 {
	if t == ir.I32 || t == ir.F32 {
		return 1<<32 - 1
	}
	return ^uint64(0)
}

func execParam(fr *frame, v *ir.Value) error {
	if v.Aux < 0 || v.Aux >= int64(len(fr.args)) {
		return fmt.Errorf("interp: %s: param index %d out of range", fr.f.Name, v.Aux)
	}
	k := slotCount(fr.f.Params[:v.Aux])
	if v.Type == ir.V128 {
		fr.setVec(v, ir.Vec{fr.args[k], fr.args[k+1]})
		return nil
	}
	fr.vals[v.ID] = fr.args[k] & typeMask(v.Type)
	return nil
}

// access returns the memory bytes [addr+offset, +size) or a bounds trap.
func (fr *frame) access(v *ir.Value, size uint64) ([]byte, error) {
	addr := fr.vals[v.Args[1].ID] & typeMask(v.Args[1].Type)
	ea := addr + uint64(v.Aux)
	mem := fr.m.Memory
	if ea < addr || ea > uint64(len(mem)) || size > uint64(len(mem))-ea {
		return nil, &Trap{Code: abi.TrapMemoryOutOfBounds, Func: fr.f.Name, Pos: v.Pos}
	}
	return mem[ea : ea+size], nil
}

func readLE(p []byte) uint64 {
	var b [8]byte
	copy(b[:], p)
	return binary.LittleEndian.Uint64(b[:])
}

func execLoad(fr *frame, v *ir.Value) error {
	if v.Type == ir.V128 {
		p, err := fr.access(v, 16)
		if err != nil {
			return err
		}
		fr.setVec(v, ir.Vec{readLE(p), readLE(p[8:])})
		return nil
	}
	size := uint64(v.AccessSize())
	signed := v.Op == ir.OpLoad8S || v.Op == ir.OpLoad16S || v.Op == ir.OpLoad32S
	p, err := fr.access(v, size)
	if err != nil {
		return err
	}
	x := readLE(p)
	if signed {
		shift := 64 - 8*size
		x = uint64(int64(x<<shift) >> shift)
	}
	fr.vals[v.ID] = x & typeMask(v.Type)
	return nil
}

func execStore(fr *frame, v *ir.Value) error {
	if x := v.Args[2]; x.Type == ir.V128 {
		p, err := fr.access(v, 16)
		if err != nil {
			return err
		}
		xv := fr.vec(x)
		binary.LittleEndian.PutUint64(p, xv[0])
		binary.LittleEndian.PutUint64(p[8:], xv[1])
		return nil
	}
	size := uint64(v.AccessSize())
	p, err := fr.access(v, size)
	if err != nil {
		return err
	}
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], fr.vals[v.Args[2].ID])
	copy(p, b[:size])
	return nil
}

func execMemorySize(fr *frame, v *ir.Value) error {
	fr.vals[v.ID] = uint64(len(fr.m.Memory) >> 16)
	return nil
}

func execGlobalGet(fr *frame, v *ir.Value) error {
	if v.Type == ir.V128 {
		fr.setVec(v, ir.Vec{fr.m.Globals[v.Aux], fr.m.Globals[v.Aux+8]})
		return nil
	}
	fr.vals[v.ID] = fr.m.Globals[v.Aux] & typeMask(v.Type)
	return nil
}

func execGlobalSet(fr *frame, v *ir.Value) error {
	if fr.m.Globals == nil {
		fr.m.Globals = make(map[int64]uint64)
	}
	fr.m.Globals[v.Aux] = fr.vals[v.Args[1].ID]
	if x := v.Args[1]; x.Type == ir.V128 {
		fr.m.Globals[v.Aux+8] = fr.vec(x)[1]
	}
	return nil
}

func execCall(fr *frame, v *ir.Value) error {
	args := fr.slots(v.Args[1:])
	var res []uint64
	var err error
	if v.Op == ir.OpCall {
		callee := fr.m.Funcs[int(v.Aux)]
		if callee == nil {
			return fmt.Errorf("interp: %s: call to function %d: %w", fr.f.Name, v.Aux, ErrNoFunc)
		}
		res, err = fr.m.Call(callee, args)
	} else {
		imp := fr.m.Imports[v.Aux]
		if imp == nil {
			return fmt.Errorf("interp: %s: call_import at vmctx offset %d: %w", fr.f.Name, v.Aux, ErrNoFunc)
		}
		res, err = imp(args)
	}
	if err != nil {
		return err
	}
	switch {
	case v.Type == ir.Tuple:
		if fr.tuples == nil {
			fr.tuples = make(map[int32][]uint64)
		}
		fr.tuples[v.ID] = res
	case v.Type == ir.Void:
		if len(res) != 0 {
			return fmt.Errorf("interp: %s: %v returned %d results, want 0", fr.f.Name, v, len(res))
		}
	default:
		if len(res) != slotCount([]ir.Type{v.Type}) {
			return fmt.Errorf("interp: %s: %v returned %d result slots, want 1 value", fr.f.Name, v, len(res))
		}
		fr.setSlots(v, res)
	}
	return nil
}

func execResult(fr *frame, v *ir.Value) error {
	c := v.Args[0]
	res := fr.tuples[c.ID]
	if v.Aux < 0 || v.Aux >= int64(len(c.Results)) || slotCount(c.Results) != len(res) {
		return fmt.Errorf("interp: %s: %v reads result %d of %d slots", fr.f.Name, v, v.Aux, len(res))
	}
	fr.setSlots(v, res[slotCount(c.Results[:v.Aux]):])
	return nil
}

func execRefAsNonNull(fr *frame, v *ir.Value) error {
	x := fr.vals[v.Args[0].ID]
	if x == 0 {
		return &Trap{Code: v.Aux, Func: fr.f.Name, Pos: v.Pos}
	}
	fr.vals[v.ID] = x
	return nil
}

func execTrapNZ(fr *frame, v *ir.Value) error {
	if code := fr.vals[v.Args[0].ID]; code != 0 {
		return &Trap{Code: int64(code), Func: fr.f.Name, Pos: v.Pos}
	}
	return nil
}

func execFuelCheck(fr *frame, v *ir.Value) error {
	x := fr.vals[v.Args[0].ID] + uint64(v.Aux)
	if int64(x) > 0 {
		return &Trap{Code: abi.TrapOutOfFuel, Func: fr.f.Name, Pos: v.Pos}
	}
	fr.vals[v.ID] = x
	return nil
}
