// Package compile is the driver: it turns a wasm module into an ELF object.
//
//	Decode → Validate → per function in parallel: Translate → IR passes →
//	Backend.CompileFunc; then wrappers, host-call stubs and runtime
//	routines; layout of .text, fixups, the descriptor, and objfile.Write.
//
// Everything that depends on the machine comes from the target's
// lower.Backend (lower/backends): code, padding, fixup patching and the
// object's ELF and DWARF numbering.
//
// The same input and options always give a byte-identical object: functions
// are compiled in parallel but placed in index order, and nothing depends on
// map iteration order or time.
package compile

import (
	"encoding/binary"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"

	"wfxc/frontend"
	"wfxc/ir"
	"wfxc/lower"
	"wfxc/lower/backends"
	"wfxc/objfile"
	"wfxc/rt/abi"
)

// Options control a compilation.
type Options struct {
	Target abi.Arch // the architecture to generate code for; zero means the host's (x86_64 on other hosts)
	Name   string   // module name, a C identifier used in symbol names; default "module"
	// DumpIR, when set, receives the IR of every function after the passes.
	DumpIR func(f *ir.Func)
	// DumpAfter names passes after which each function's IR is written to
	// DumpTo ("translate" names the IR before the first pass).
	DumpAfter map[string]bool
	DumpTo    io.Writer
	// CheckIR verifies the IR after translation and after every pass.
	CheckIR bool
	// Fuel meters fuel (frontend/fuel.go): the code traps "all fuel
	// consumed" when the store's budget is used up. Off by default.
	Fuel bool
	// Bounds selects how accesses to 32-bit memories are bounds checked:
	// by default with guard pages on x86_64 and explicitly on aarch64.
	Bounds Bounds
	// CPU names the CPU level the code may assume (abi.CPULevel): "" or
	// "x86-64-v2" is x86_64's baseline, "x86-64-v3" also lets it use
	// BMI1, BMI2, LZCNT and AVX, which the descriptor then records and rt
	// requires of the host. aarch64 has no levels (an x86-64 one is an
	// error).
	CPU string
}

// Bounds is how the code bounds checks accesses to 32-bit memories.
type Bounds uint8

const (
	// BoundsDefault is BoundsGuard for x86_64 and BoundsExplicit for
	// aarch64.
	BoundsDefault Bounds = iota
	// BoundsExplicit compares every access with the memory's length.
	BoundsExplicit
	// BoundsGuard leaves the accesses whose static offset is within
	// abi.GuardBytes unchecked, for guard-page memories
	// (abi.Descriptor.GuardPages): an access out of bounds faults and the
	// fault traps. x86_64 only.
	BoundsGuard
)

// ParseBounds reads a Bounds by name: "explicit" or "guard" ("" is the
// default).
func ParseBounds(s string) (Bounds, error) {
	switch s {
	case "":
		return BoundsDefault, nil
	case "explicit":
		return BoundsExplicit, nil
	case "guard":
		return BoundsGuard, nil
	}
	return 0, fmt.Errorf("bounds checks %q: want explicit or guard", s)
}

func (b Bounds) String() string {
	switch b {
	case BoundsDefault:
		return "default"
	case BoundsExplicit:
		return "explicit"
	case BoundsGuard:
		return "guard"
	}
	return fmt.Sprintf("Bounds(%d)", uint8(b))
}

// guardPages resolves opts.Bounds for the target and the module's
// memories: whether the code relies on guard pages.
func guardPages(opts Options, ms []abi.Memory) (bool, error) {
	switch opts.Bounds {
	case BoundsDefault:
		if opts.Target != abi.X86_64 {
			return false, nil
		}
	case BoundsExplicit:
		return false, nil
	case BoundsGuard:
		if opts.Target != abi.X86_64 {
			return false, fmt.Errorf("guard-page bounds checks are implemented for x86_64 only, not %s (use explicit checks)", opts.Target)
		}
	default:
		return false, fmt.Errorf("bounds checks: unknown mode %v", opts.Bounds)
	}
	has32 := false
	for _, mt := range ms {
		has32 = has32 || !mt.Is64
	}
	// Without a 32-bit memory there is nothing to guard (and no code
	// range to register); with one guard pages cannot bound, every access
	// is checked (the descriptor says so).
	return has32 && guardable(ms), nil
}

// guardable reports whether guard pages can bound every 32-bit memory of
// ms: unshared, with pages no smaller than the host's (4 KiB), so that an
// access past the size lands in an inaccessible page.
func guardable(ms []abi.Memory) bool {
	for _, mt := range ms {
		if !mt.Is64 && (mt.Shared || mt.PageLog2 < 12) { // PageLog2 is 16 unless custom (describe)
			return false
		}
	}
	return true
}

// Result is a compiled module.
type Result struct {
	Object     []byte
	Descriptor *abi.Descriptor
	Module     *frontend.Module
	Text       []byte // the laid-out, patched code (also inside Object)
}

// Compile decodes, validates and compiles a module.
func Compile(wasm []byte, opts Options) (*Result, error) {
	m, err := frontend.DecodeAndValidate(wasm)
	if err != nil {
		return nil, err
	}
	return CompileModule(m, opts)
}

// SanitizeName turns s into a C identifier usable as a module name.
func SanitizeName(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z':
			b.WriteRune(r)
		case r >= '0' && r <= '9':
			if i == 0 {
				b.WriteByte('_')
			}
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	if b.Len() == 0 {
		return "module"
	}
	return b.String()
}

// CompileModule compiles an already validated module.
func CompileModule(m *frontend.Module, opts Options) (*Result, error) {
	if opts.Target == "" {
		opts.Target = abi.HostArch()
		if opts.Target == "" {
			opts.Target = abi.X86_64
		}
	}
	cpu, err := abi.CPULevel(opts.Target, opts.CPU)
	if err != nil {
		return nil, err
	}
	be, err := backends.ForCPU(opts.Target, cpu)
	if err != nil {
		return nil, err
	}
	if opts.Name == "" {
		opts.Name = "module"
	}
	opts.Name = SanitizeName(opts.Name)

	layout := abi.Layout(abi.VMCtxCounts{
		Memories:      m.NumMemories(),
		Tables:        m.NumTables(),
		Globals:       m.NumGlobals(),
		ImportedFuncs: m.NumImportedFuncs,
		Types:         len(m.Types),
		Tags:          switchingTags(m),
	})

	d := describe(m, layout, opts)
	d.CPU, d.Version = cpu, abi.VersionFor(cpu)
	guard, err := guardPages(opts, d.Memories)
	if err != nil {
		return nil, err
	}
	opts.Bounds = BoundsExplicit
	if guard {
		opts.Bounds = BoundsGuard
	}
	funcs, err := compileFuncs(be, m, layout, opts)
	if err != nil {
		return nil, err
	}

	l := newLinker(be)
	rts := be.Runtime()
	// The text's size without the stubs and wrappers (placed later), so
	// that placing the functions does not keep copying it.
	size, n := 0, len(rts)+len(funcs)
	for _, c := range rts {
		size += len(c.Code) + be.CodeAlign()
	}
	for _, c := range funcs {
		size += len(c.Code) + be.CodeAlign()
	}
	l.text = make([]byte, 0, size+size/8)
	l.placed = make([]placedCode, 0, n+n/4)
	for i, c := range rts {
		l.place(c, symKindRuntime, i)
	}
	for i, c := range funcs {
		fn := m.NumImportedFuncs + i
		off := l.place(c, symKindFunc, fn)
		d.Funcs[fn].Code = off
		d.Funcs[fn].Size = uint32(len(c.Code))
		for _, s := range c.Sites {
			pos := s.Pos
			if pos < 0 {
				// A site of no instruction (the prologue's stack check)
				// reports the function's code entry, as Wasmtime does.
				pos = int32(m.Codes[i].Offset)
			}
			d.Sites = append(d.Sites, abi.Site{CodeOff: off + s.Off, Func: uint32(fn), WasmOff: uint32(pos)})
		}
		d.Handlers = appendHandlers(d.Handlers, c.Handlers, off)
	}
	// Host-call stubs for imported functions.
	for fn := 0; fn < m.NumImportedFuncs; fn++ {
		ft := m.FuncType(uint32(fn))
		ps, ok1 := frontend.IRTypes(m, ft.Params)
		rs, ok2 := frontend.IRTypes(m, ft.Results)
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("unsupported feature: imported function %d with reference or vector types", fn)
		}
		c := be.HostCallStub(d.Funcs[fn].Name+".hostcall", ps, rs, fn)
		d.Funcs[fn].Code = l.place(c, symKindStub, fn)
		d.Funcs[fn].Size = uint32(len(c.Code))
	}
	// Array-call wrappers for every defined function that the host may call.
	callable := hostCallable(m)
	for fn := m.NumImportedFuncs; fn < m.NumFuncs(); fn++ {
		if !callable[fn] {
			continue
		}
		ft := m.FuncType(uint32(fn))
		ps, _ := frontend.IRTypes(m, ft.Params)
		rs, _ := frontend.IRTypes(m, ft.Results)
		c := be.Wrapper(d.Funcs[fn].Name+".wrapper", ps, rs, fn)
		d.Funcs[fn].Wrapper = l.place(c, symKindWrapper, fn)
	}
	if err := placeContEntries(be, m, l, opts); err != nil {
		return nil, err
	}
	if err := l.patch(); err != nil {
		return nil, err
	}
	d.EnterOff = l.runtimeOff[lower.RuntimeEnter]
	d.Resume = l.runtimeOff[lower.RuntimeResume]
	d.GuardPages, d.TrapOff = guard, l.runtimeOff[lower.RuntimeTrap]
	sortSites(d.Sites)

	desc, err := d.Encode()
	if err != nil {
		return nil, err
	}
	rodata := make([]byte, 8, 8+len(desc))
	binary.LittleEndian.PutUint64(rodata, uint64(len(desc)))
	rodata = append(rodata, desc...)

	obj := &objfile.Object{Machine: be.Machine(), Text: l.text, TextAlign: be.CodeAlign(), Rodata: rodata}
	name := opts.Name
	obj.Symbols = append(obj.Symbols,
		objfile.Symbol{Name: abi.SymText(name), Section: objfile.SecText, Off: 0, Global: true},
		objfile.Symbol{Name: abi.SymDescriptorSize(name), Section: objfile.SecRodata, Off: 0, Size: 8, Global: true},
		objfile.Symbol{Name: abi.SymDescriptor(name), Section: objfile.SecRodata, Off: 8, Size: uint64(len(desc)), Global: true},
	)
	used := map[string]int{}
	for _, p := range l.placed {
		sym := objfile.Symbol{Section: objfile.SecText, Off: uint64(p.off), Size: uint64(len(p.c.Code)), Func: true}
		switch {
		case p.kind == symKindRuntime && p.index == lower.RuntimeEnter:
			sym.Name, sym.Global = abi.SymEnter(name), true
		case p.kind == symKindRuntime && p.index == lower.RuntimeResume:
			sym.Name, sym.Global = abi.SymResume(name), true
		default:
			sym.Name = "wfx_" + name + "." + p.c.Name
			if n := used[sym.Name]; n > 0 {
				sym.Name = fmt.Sprintf("%s.%d", sym.Name, n)
			}
			used[sym.Name]++
		}
		obj.Symbols = append(obj.Symbols, sym)
		if len(p.c.CFI) > 0 {
			fde := objfile.FDE{Off: p.off, Size: uint32(len(p.c.Code)), Signal: p.c.SignalFrame}
			for _, r := range p.c.CFI {
				fde.Rows = append(fde.Rows, objfile.CFIRow{Off: r.Off, CFAReg: r.CFAReg, CFAOffset: r.CFAOffset, FPSaved: r.FPSaved, CFAExpr: r.CFAExpr, Rules: r.Rules})
			}
			obj.FDEs = append(obj.FDEs, fde)
		}
	}
	debugInfo(obj, m, d, funcs, name)
	bytes, err := objfile.Write(obj)
	if err != nil {
		return nil, err
	}
	return &Result{Object: bytes, Descriptor: d, Module: m, Text: l.text}, nil
}

// hostCallable lists the functions the host may call directly: exported
// functions and the start function.
func hostCallable(m *frontend.Module) map[int]bool {
	c := map[int]bool{}
	if m.Start >= 0 {
		c[int(m.Start)] = true
	}
	for _, e := range m.Exports {
		if e.Kind == frontend.ExternFunc {
			c[int(e.Index)] = true
		}
	}
	return c
}

// compileFuncs translates and compiles every defined function, in parallel.
func compileFuncs(be lower.Backend, m *frontend.Module, layout abi.VMCtxLayout, opts Options) ([]*lower.Compiled, error) {
	n := len(m.Funcs)
	out := make([]*lower.Compiled, n)
	errs := make([]error, n)
	workers := runtime.GOMAXPROCS(0)
	if workers > n {
		workers = n
	}
	name := funcDisplayNames(m)
	var next int
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= n {
					return
				}
				fn := m.NumImportedFuncs + i
				out[i], errs[i] = compileFunc(be, m, layout, fn, name(fn), opts)
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// compileFunc compiles function fn, named name (its symbol).
func compileFunc(be lower.Backend, m *frontend.Module, layout abi.VMCtxLayout, fn int, name string, opts Options) (*lower.Compiled, error) {
	f, err := frontend.TranslateWith(m, layout, fn, frontend.TranslateOptions{Fuel: opts.Fuel})
	if err != nil {
		return nil, err
	}
	f.Name = name
	f.GuardPages = opts.Bounds == BoundsGuard
	f.Private = opts.DumpIR == nil // nothing looks at f after CompileFunc
	if err := runPasses(f, opts); err != nil {
		return nil, fmt.Errorf("function %d (%s): %w", fn, f.Name, err)
	}
	if opts.DumpIR != nil {
		opts.DumpIR(f)
	}
	c, err := be.CompileFunc(f) // its errors name the function
	if f.Private {
		f.Release() // the result refers to none of f
	}
	return c, err
}
