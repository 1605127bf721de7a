package interp

// TestSpec runs the core spec scripts' assert_return / assert_trap /
// assert_exhaustion commands (and the assert_exception commands of the
// exception scripts that link no modules) through frontend.Translate and the
// interpreter. It checks the interpreter's semantics (and the translator's)
// against the spec's expected results. Modules the interpreter cannot host
// are skipped: imports other than spectest's, more than one memory, segments or global
// initialisers that are not plain constants, and functions the translator
// does not support yet; so are commands with v128 or reference values, and
// scripts that link modules together (register).

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"wfxc/frontend"
	"wfxc/internal/leb128"
	"wfxc/ir"
	"wfxc/rt/abi"
)

type specValue struct {
	Type     string `json:"type"`
	LaneType string `json:"lane_type"`
	Value    any    `json:"value"`
}

type specCommand struct {
	Type     string `json:"type"`
	Line     int    `json:"line"`
	Name     string `json:"name"`
	Filename string `json:"filename"`
	Text     string `json:"text"`
	Action   struct {
		Type   string      `json:"type"`
		Module string      `json:"module"`
		Field  string      `json:"field"`
		Args   []specValue `json:"args"`
	} `json:"action"`
	Expected []specValue `json:"expected"`
	Either   []specValue `json:"either"` // alternatives for a single result
}

// instance is a module hosted by the interpreter.
type instance struct {
	m       *frontend.Module
	layout  abi.VMCtxLayout
	machine *Machine
	tainted bool // a command was skipped: its effects are missing from the state
}

func TestSpec(t *testing.T) { testSpec(t, false) }

// TestSpec_afterPasses runs the same commands on the IR after the pass
// pipeline, verified after every pass.
func TestSpec_afterPasses(t *testing.T) { testSpec(t, true) }

func testSpec(t *testing.T, passes bool) {
	root := filepath.Join("..", "..", "..", "shared", "testdata", "core")
	files, err := filepath.Glob(filepath.Join(root, "*", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	// The SIMD scripts (simd.go's values).
	simd, _ := filepath.Glob(filepath.Join(root, "..", "simd", "*", "*", "*.json"))
	files = append(files, simd...)
	// The exception scripts that link no modules (exn.go).
	for _, name := range []string{"throw", "throw_ref"} {
		exn, _ := filepath.Glob(filepath.Join(root, "..", "wasm3", name, "*.json"))
		files = append(files, exn...)
	}
	if len(files) == 0 {
		t.Skip("no spec test data at " + root)
	}
	var total struct{ pass, skip, modules, skippedModules int }
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".json")
		t.Run(name, func(t *testing.T) {
			pass, skip, mods, skipMods := runSpecFile(t, file, passes)
			t.Logf("%d passed, %d skipped; %d modules hosted, %d skipped", pass, skip, mods, skipMods)
			total.pass += pass
			total.skip += skip
			total.modules += mods
			total.skippedModules += skipMods
		})
	}
	t.Logf("spec: %d commands passed, %d skipped; %d modules hosted, %d skipped", total.pass, total.skip, total.modules, total.skippedModules)
	if total.pass < 1000 {
		t.Errorf("only %d spec commands passed, want many more", total.pass)
	}
}

func runSpecFile(t *testing.T, file string, passes bool) (pass, skip, modules, skippedModules int) {
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var script struct{ Commands []specCommand }
	if err := json.Unmarshal(data, &script); err != nil {
		t.Fatal(err)
	}
	for _, c := range script.Commands {
		if c.Type == "register" {
			// Other modules may import and change this one's state,
			// which the interpreter does not model.
			return 0, len(script.Commands), 0, 0
		}
	}
	var current *instance
	named := make(map[string]*instance)
	for _, c := range script.Commands {
		switch c.Type {
		case "module":
			current = nil
			wasm, err := os.ReadFile(filepath.Join(filepath.Dir(file), c.Filename))
			if err != nil {
				t.Fatal(err)
			}
			inst, err := hostModule(wasm, passes)
			var perr *passError
			if errors.As(err, &perr) {
				t.Errorf("%s:%d: %v", filepath.Base(file), c.Line, err)
			}
			if err != nil {
				skippedModules++
			} else {
				modules++
				current = inst
			}
			if c.Name != "" {
				named[c.Name] = current
			}
			continue
		case "assert_return", "assert_trap", "assert_exhaustion", "assert_exception", "action":
		default:
			continue
		}
		inst := current
		if c.Action.Module != "" {
			inst = named[c.Action.Module]
		}
		if inst == nil || c.Action.Type != "invoke" || inst.tainted {
			skip++
			continue
		}
		ok, err := inst.check(c)
		if !ok && inst.hasState() {
			inst.tainted = true
		}
		if err != nil {
			t.Errorf("%s:%d: %s %s: %v", filepath.Base(file), c.Line, c.Type, c.Action.Field, err)
			continue
		}
		if ok {
			pass++
		} else {
			skip++
		}
	}
	return
}

// hostModule decodes, translates and instantiates a module, or says why it
// cannot.
func hostModule(wasm []byte, passes bool) (*instance, error) {
	m, err := frontend.DecodeAndValidate(wasm)
	if err != nil {
		return nil, err
	}
	if m.NumMemories() > 1 {
		return nil, errors.New("several memories")
	}
	layout := abi.Layout(abi.VMCtxCounts{Memories: m.NumMemories(), Tables: m.NumTables(),
		Globals: m.NumGlobals(), ImportedFuncs: m.NumImportedFuncs, Types: len(m.Types)})
	inst := &instance{m: m, layout: layout, machine: &Machine{Funcs: map[int]*ir.Func{}, Globals: map[int64]uint64{}, Imports: map[int64]Import{}}}
	var memPages uint64
	nf, ng := 0, 0
	for _, imp := range m.Imports {
		if imp.Module != "spectest" {
			return nil, errors.New("imports from modules other than spectest")
		}
		switch imp.Kind {
		case frontend.ExternFunc:
			// The print functions: no results, nothing observable.
			if len(m.Types[imp.Type].Comp.Results) != 0 {
				return nil, errors.New("imported function with results")
			}
			inst.machine.Imports[int64(layout.ImportedFuncCode(nf))] = func([]uint64) ([]uint64, error) { return nil, nil }
			nf++
		case frontend.ExternGlobal:
			x, ok := spectestGlobals[imp.Name]
			if !ok {
				return nil, errors.New("unknown spectest global")
			}
			inst.machine.Globals[int64(layout.Global(ng))] = x
			ng++
		case frontend.ExternMemory:
			memPages = 1
		case frontend.ExternTable:
		default:
			return nil, errors.New("unsupported import kind")
		}
	}
	for fn := m.NumImportedFuncs; fn < m.NumFuncs(); fn++ {
		f, err := frontend.Translate(m, layout, fn)
		var u *frontend.UnsupportedError
		if errors.As(err, &u) {
			continue // commands that reach it are skipped
		}
		if err != nil {
			return nil, err
		}
		if passes {
			if err := ir.Run(f, ir.PassOptions{Check: true}); err != nil {
				return nil, &passError{err}
			}
		}
		inst.machine.Funcs[fn] = f
	}
	if len(m.Memories) == 1 {
		lim := m.Memories[0]
		if lim.Is64 || lim.PageLog2 != 16 || lim.Min > 256 {
			return nil, errors.New("memory64, custom pages or a big memory")
		}
		memPages = lim.Min
	}
	inst.machine.Memory = make([]byte, memPages<<16)
	for i, g := range m.Globals {
		x, ok := constValue(g.Init.Code)
		if !ok {
			return nil, errors.New("global initialiser is not a constant")
		}
		inst.machine.Globals[int64(layout.Global(m.NumImportedGlobals+i))] = x
	}
	for _, d := range m.Datas {
		if d.Mode != frontend.SegActive {
			continue
		}
		off, ok := constValue(d.Offset.Code)
		if !ok || uint64(uint32(off))+uint64(len(d.Init)) > uint64(len(inst.machine.Memory)) {
			return nil, errors.New("data segment offset is not a constant in range")
		}
		copy(inst.machine.Memory[uint32(off):], d.Init)
	}
	if m.Start >= 0 {
		if inst.machine.Funcs[int(m.Start)] == nil {
			return nil, errors.New("start function not translated")
		}
		if _, err := inst.machine.Call(inst.machine.Funcs[int(m.Start)], nil); err != nil {
			return nil, err
		}
	}
	return inst, nil
}

// passError is a failure of the pass pipeline (a test failure, not a
// reason to skip the module).
type passError struct{ err error }

func (e *passError) Error() string { return e.err.Error() }

// hasState reports whether the module has state a skipped command could
// have changed: a memory or a mutable global.
func (inst *instance) hasState() bool {
	if inst.m.NumMemories() > 0 {
		return true
	}
	for _, g := range inst.m.Globals {
		if g.Type.Mutable {
			return true
		}
	}
	for _, imp := range inst.m.Imports {
		if imp.Kind == frontend.ExternGlobal && imp.Global.Mutable {
			return true
		}
	}
	return false
}

// spectestGlobals are the values of the spectest module's globals.
var spectestGlobals = map[string]uint64{
	"global_i32": 666,
	"global_i64": 666,
	"global_f32": uint64(math.Float32bits(666.6)),
	"global_f64": math.Float64bits(666.6),
}

// constValue evaluates a constant expression made of one t.const.
func constValue(code []byte) (uint64, bool) {
	if len(code) < 2 || code[len(code)-1] != 0x0B {
		return 0, false
	}
	body := code[1 : len(code)-1]
	switch code[0] {
	case 0x41: // i32.const
		n, ok := readSLEB(body)
		return uint64(uint32(n)), ok
	case 0x42: // i64.const
		n, ok := readSLEB(body)
		return uint64(n), ok
	case 0x43:
		if len(body) == 4 {
			return uint64(binary.LittleEndian.Uint32(body)), true
		}
	case 0x44:
		if len(body) == 8 {
			return binary.LittleEndian.Uint64(body), true
		}
	}
	return 0, false
}

// readSLEB reads body as exactly one signed LEB128 number.
func readSLEB(body []byte) (int64, bool) {
	v, n, err := leb128.Int(body, 64)
	return v, err == nil && n == len(body)
}

// check runs one command; ok is false if the command uses values the
// interpreter does not model.
func (inst *instance) check(c specCommand) (ok bool, err error) {
	fn := -1
	for _, e := range inst.m.Exports {
		if e.Name == c.Action.Field && e.Kind == frontend.ExternFunc {
			fn = int(e.Index)
		}
	}
	f := inst.machine.Funcs[fn]
	if f == nil {
		return false, nil
	}
	var args []uint64
	for _, a := range c.Action.Args {
		x, ok := slotsOf(a)
		if !ok {
			return false, nil
		}
		args = append(args, x...)
	}
	inst.machine.steps = 0
	inst.machine.MaxSteps = 50_000_000
	res, err := inst.machine.Call(f, args)
	var exn *Exception
	if errors.As(err, &exn) || c.Type == "assert_exception" {
		if exn == nil || c.Type != "assert_exception" {
			return false, fmt.Errorf("%v (results %v), want %s", err, res, c.Type)
		}
		return true, nil
	}
	var trap *Trap
	isTrap := errors.As(err, &trap)
	if err != nil && !isTrap {
		if errors.Is(err, ErrUnsupported) || errors.Is(err, ErrNoFunc) {
			return false, nil
		}
		return false, err
	}
	switch c.Type {
	case "action":
		return true, nil
	case "assert_trap", "assert_exhaustion":
		if !isTrap {
			return false, fmt.Errorf("returned %v, want trap %q", res, c.Text)
		}
		msg := abi.TrapMessages[trap.Code]
		if !strings.HasPrefix(msg, c.Text) && !strings.HasPrefix(c.Text, msg) {
			return false, fmt.Errorf("%v, want trap %q", trap, c.Text)
		}
		return true, nil
	}
	if isTrap {
		return false, fmt.Errorf("%v, want %v", trap, c.Expected)
	}
	for _, e := range c.Either {
		if len(res) == slotCountOf(e) && matchesSlots(e, res) {
			return true, nil
		}
	}
	if len(c.Either) > 0 {
		return false, fmt.Errorf("results %#x match none of %v (args %v)", res, c.Either, c.Action.Args)
	}
	n := 0
	for _, e := range c.Expected {
		n += slotCountOf(e)
	}
	if len(res) != n {
		return false, fmt.Errorf("got %d result slots, want %d", len(res), n)
	}
	k := 0
	for i, e := range c.Expected {
		if !matchesSlots(e, res[k:k+slotCountOf(e)]) {
			return false, fmt.Errorf("result %d is %#x, want %s %v (args %v)", i, res[k:k+slotCountOf(e)], e.Type, e.Value, c.Action.Args)
		}
		k += slotCountOf(e)
	}
	return true, nil
}

// scalar parses an i32/i64/f32/f64 spec value (unsigned decimal bits).
func scalar(v specValue) (uint64, bool) {
	s, isString := v.Value.(string)
	if !isString {
		return 0, false
	}
	bitSize := 0
	switch v.Type {
	case "i32", "f32":
		bitSize = 32
	case "i64", "f64":
		bitSize = 64
	default:
		return 0, false
	}
	x, err := strconv.ParseUint(s, 10, bitSize)
	return x, err == nil
}

func matches(e specValue, x uint64) bool {
	if s, _ := e.Value.(string); strings.HasPrefix(s, "nan:") {
		t := ir.F64
		if e.Type == "f32" {
			t = ir.F32
		}
		x &= mask(t)
		exp, frac, quiet := uint64(0x7ff)<<52, uint64(1)<<52-1, uint64(1)<<51
		if t == ir.F32 {
			exp, frac, quiet = 0xff<<23, 1<<23-1, 1<<22
		}
		if x&exp != exp || x&frac == 0 {
			return false
		}
		if s == "nan:canonical" {
			return x&frac == quiet
		}
		return x&quiet != 0
	}
	want, ok := scalar(e)
	if !ok {
		return false
	}
	if e.Type == "i32" || e.Type == "f32" {
		x &= math.MaxUint32
	}
	return x == want
}

func mask(t ir.Type) uint64 {
	if t == ir.F32 {
		return math.MaxUint32
	}
	return math.MaxUint64
}
