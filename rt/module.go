// Package rt is the runtime of wfxc: it loads compiled modules, instantiates
// them (memories, tables, globals, imports, data and element segments),
// enters generated code and services its exits (host calls, memory.grow,
// preemption, traps with backtraces). See DESIGN.md §3–§5 and package
// rt/abi for the contract with the generated code.
package rt

import (
	"fmt"
	"runtime"
	"slices"
	"sort"
	"sync"
	"weak"

	"wfxc/rt/abi"
	"wfxc/rt/native"
)

// A Module is compiled code plus its descriptor, ready to be instantiated
// any number of times.
type Module struct {
	desc     *abi.Descriptor
	text     uintptr // address of the code (SymText)
	textSize uintptr
	exec     *native.Exec // the mapping, when rt mapped the code itself
	typeIDs  []uint32     // canonical id of each module type
	byCode   []int        // indices of defined functions sorted by code offset
	exports  map[string]int
	elemImg  elemImage // element segments applied lazily (lazyelem.go)
	nimp     int       // imported functions
	ntags    int       // size of the tag index space (numTags)

	// Data images for pooled memories, built on first use (pool.go).
	imgOnce sync.Once
	imgs    []*memImage
	imgErr  error
}

// LoadModule maps text executable and returns a module described by desc.
func LoadModule(text []byte, desc *abi.Descriptor) (*Module, error) {
	if err := checkDescriptor(desc, uintptr(len(text))); err != nil {
		return nil, err
	}
	e, err := native.MapExec(text)
	if err != nil {
		return nil, err
	}
	m := newModule(desc, e.Addr(0), uintptr(len(text)))
	m.exec = e
	if err := registerCode(m); err != nil {
		e.Free()
		return nil, err
	}
	return m, nil
}

// NewLinkedModule returns a module whose code is already mapped at text
// (textSize bytes; 0 means "derive a bound from the descriptor"), for
// objects linked into the executable (hostgen's Go packages, C hosts). The
// code is never unmapped.
func NewLinkedModule(text, textSize uintptr, desc *abi.Descriptor) (*Module, error) {
	if desc != nil && textSize == 0 {
		textSize = textBound(desc)
	}
	if err := checkDescriptor(desc, textSize); err != nil {
		return nil, err
	}
	m := newModule(desc, text, textSize)
	if err := registerCode(m); err != nil {
		return nil, err
	}
	return m, nil
}

// LinkedModuleAt is NewLinkedModule for a descriptor that is itself linked
// into the executable: descSize encoded bytes at desc (the object's
// wfx_<m>_descriptor and the value of wfx_<m>_descriptor_size).
func LinkedModuleAt(text, textSize, desc uintptr, descSize uint64) (*Module, error) {
	if text == 0 || desc == 0 || descSize == 0 || descSize > 1<<32 {
		return nil, fmt.Errorf("module: bad linked module (text %#x, descriptor %#x, %d bytes)", text, desc, descSize)
	}
	b := make([]byte, descSize)
	copy(b, bytesAt(desc, uintptr(descSize)))
	d, err := abi.DecodeDescriptor(b)
	if err != nil {
		return nil, fmt.Errorf("module: %w", err)
	}
	return NewLinkedModule(text, textSize, d)
}

// hostName names the runtime's architecture in errors.
func hostName(host abi.Arch) string {
	if host.Valid() {
		return host.String()
	}
	return runtime.GOARCH
}

// textBound is one past the largest code offset the descriptor mentions.
func textBound(d *abi.Descriptor) uintptr {
	end := uint64(max(d.EnterOff, d.Resume)) + 1
	for _, f := range d.Funcs {
		if f.Code != abi.NoCode {
			end = max(end, uint64(f.Code)+uint64(max(f.Size, 1)))
		}
		if f.Wrapper != abi.NoCode {
			end = max(end, uint64(f.Wrapper)+1)
		}
	}
	return uintptr(end)
}

func newModule(desc *abi.Descriptor, text, size uintptr) *Module {
	m := &Module{desc: desc, text: text, textSize: size, exports: map[string]int{}}
	m.typeIDs = canonicalTypes(desc.Types)
	for i, f := range desc.Funcs {
		if !f.Imported && f.Code != abi.NoCode {
			m.byCode = append(m.byCode, i)
		}
	}
	sort.Slice(m.byCode, func(a, b int) bool {
		return desc.Funcs[m.byCode[a]].Code < desc.Funcs[m.byCode[b]].Code
	})
	for i, e := range desc.Exports {
		m.exports[e.Name] = i
	}
	m.elemImg = buildElemImage(desc, m.typeIDs)
	for _, imp := range desc.Imports {
		if imp.Kind == abi.ExternFunc {
			m.nimp++
		}
	}
	m.ntags = numTags(desc)
	return m
}

// checkDescriptor rejects descriptors that would make rt index out of
// range or jump outside the code.
func checkDescriptor(d *abi.Descriptor, textSize uintptr) error {
	if d == nil {
		return fmt.Errorf("module: nil descriptor")
	}
	if d.Version != abi.VersionFor(d.CPU) {
		return fmt.Errorf("module: descriptor version %d, want %d", d.Version, abi.VersionFor(d.CPU))
	}
	if host := abi.HostArch(); d.Arch != host || !host.Valid() {
		return fmt.Errorf("module: module compiled for %v; this runtime is %s", d.Arch, hostName(host))
	}
	if err := checkCPU(d.Arch, d.CPU); err != nil {
		return err
	}
	inText := func(what string, off uint32) error {
		if uintptr(off) >= textSize {
			return fmt.Errorf("module: %s offset %#x outside the code (%#x bytes)", what, off, textSize)
		}
		return nil
	}
	if err := inText("enter trampoline", d.EnterOff); err != nil {
		return err
	}
	if err := inText("resume trampoline", d.Resume); err != nil {
		return err
	}
	for i, f := range d.Funcs {
		if int(f.Type) >= len(d.Types) {
			return fmt.Errorf("module: function %d has type %d, only %d types", i, f.Type, len(d.Types))
		}
		if f.Code != abi.NoCode {
			if err := inText(fmt.Sprintf("function %d code", i), f.Code); err != nil {
				return err
			}
		}
		if f.Wrapper != abi.NoCode {
			if err := inText(fmt.Sprintf("function %d wrapper", i), f.Wrapper); err != nil {
				return err
			}
		}
	}
	// Every imported item has exactly one import, and imported functions
	// come first in the function index space.
	nimp := 0
	for _, f := range d.Funcs {
		if f.Imported {
			nimp++
		}
	}
	for i, f := range d.Funcs {
		if f.Imported != (i < nimp) {
			return fmt.Errorf("module: imported functions are not first (function %d)", i)
		}
	}
	seen := map[[2]uint32]bool{}
	imported := func(kind byte, idx uint32) bool {
		switch kind {
		case abi.ExternFunc:
			return d.Funcs[idx].Imported
		case abi.ExternTable:
			return d.Tables[idx].Imported
		case abi.ExternMemory:
			return d.Memories[idx].Imported
		case abi.ExternGlobal:
			return d.Globals[idx].Imported
		}
		return true
	}
	for i, imp := range d.Imports {
		n, ok := spaceLen(d, imp.Kind)
		if !ok {
			return fmt.Errorf("module: import %d has unknown kind %d", i, imp.Kind)
		}
		if int(imp.Index) >= n {
			return fmt.Errorf("module: import %d index %d out of range", i, imp.Index)
		}
		key := [2]uint32{uint32(imp.Kind), imp.Index}
		if imp.Kind != abi.ExternTag && (seen[key] || !imported(imp.Kind, imp.Index)) {
			return fmt.Errorf("module: import %d (kind %d index %d) does not match an imported item", i, imp.Kind, imp.Index)
		}
		seen[key] = true
	}
	count := func(kind byte, n int, isImp func(int) bool) error {
		for i := 0; i < n; i++ {
			if isImp(i) && !seen[[2]uint32{uint32(kind), uint32(i)}] {
				return fmt.Errorf("module: imported item (kind %d index %d) has no import", kind, i)
			}
		}
		return nil
	}
	for _, c := range []struct {
		kind  byte
		n     int
		isImp func(int) bool
	}{
		{abi.ExternFunc, len(d.Funcs), func(i int) bool { return d.Funcs[i].Imported }},
		{abi.ExternTable, len(d.Tables), func(i int) bool { return d.Tables[i].Imported }},
		{abi.ExternMemory, len(d.Memories), func(i int) bool { return d.Memories[i].Imported }},
		{abi.ExternGlobal, len(d.Globals), func(i int) bool { return d.Globals[i].Imported }},
	} {
		if err := count(c.kind, c.n, c.isImp); err != nil {
			return err
		}
	}
	for i, e := range d.Exports {
		n, ok := spaceLen(d, e.Kind)
		if !ok {
			return fmt.Errorf("module: export %d has unknown kind %d", i, e.Kind)
		}
		if int(e.Index) >= n {
			return fmt.Errorf("module: export %q index %d out of range", e.Name, e.Index)
		}
	}
	for i, t := range d.Tags {
		if int(t.Type) >= len(d.Types) {
			return fmt.Errorf("module: tag %d has type %d, only %d types", i, t.Type, len(d.Types))
		}
	}
	for i, f := range d.Funcs {
		if f.Code == abi.NoCode {
			return fmt.Errorf("module: function %d has no code (or host-call stub)", i)
		}
	}
	if d.Start >= int64(len(d.Funcs)) {
		return fmt.Errorf("module: start function %d out of range", d.Start)
	}
	for i, s := range d.Data {
		if s.Mode == abi.SegActive && int(s.Memory) >= len(d.Memories) {
			return fmt.Errorf("module: data segment %d uses memory %d, only %d memories", i, s.Memory, len(d.Memories))
		}
	}
	for i, s := range d.Elems {
		if s.Mode == abi.SegActive && int(s.Table) >= len(d.Tables) {
			return fmt.Errorf("module: element segment %d uses table %d, only %d tables", i, s.Table, len(d.Tables))
		}
	}
	want := abi.Layout(layoutCounts(d))
	if d.Layout != want {
		return fmt.Errorf("module: vmctx layout %+v, want %+v", d.Layout, want)
	}
	return nil
}

// tagLimit bounds tag indices: the descriptor's Tags, or (older
// descriptors without them) a generous limit.
func tagLimit(d *abi.Descriptor) int {
	if len(d.Tags) > 0 {
		return len(d.Tags)
	}
	return 1 << 16
}

// spaceLen is the size of the index space of an extern kind.
func spaceLen(d *abi.Descriptor, kind byte) (int, bool) {
	switch kind {
	case abi.ExternFunc:
		return len(d.Funcs), true
	case abi.ExternTable:
		return len(d.Tables), true
	case abi.ExternMemory:
		return len(d.Memories), true
	case abi.ExternGlobal:
		return len(d.Globals), true
	case abi.ExternTag:
		return tagLimit(d), true
	}
	return 0, false
}

func layoutCounts(d *abi.Descriptor) abi.VMCtxCounts {
	nimp := 0
	for _, f := range d.Funcs {
		if f.Imported {
			nimp++
		}
	}
	c := abi.VMCtxCounts{
		Memories: len(d.Memories), Tables: len(d.Tables), Globals: len(d.Globals),
		ImportedFuncs: nimp, Types: len(d.Types),
	}
	if d.Layout != abi.Layout(c) { // maybe a module that switches stacks: tag identities
		c.Tags = len(d.Tags)
	}
	return c
}

// Descriptor returns the module's descriptor (do not modify it).
func (m *Module) Descriptor() *abi.Descriptor { return m.desc }

// Text returns the address of the module's code.
func (m *Module) Text() uintptr { return m.text }

// funcAt returns the function whose code contains text offset off.
func (m *Module) funcAt(off uint32) (int, bool) {
	fs := m.desc.Funcs
	i := sort.Search(len(m.byCode), func(i int) bool { return fs[m.byCode[i]].Code > off }) - 1
	if i < 0 {
		return 0, false
	}
	f := fs[m.byCode[i]]
	if off >= f.Code+f.Size {
		return 0, false
	}
	return m.byCode[i], true
}

// wasmOff returns the wasm byte offset recorded for text offset off: the
// site at off, else the closest site before it in the same function.
func (m *Module) wasmOff(fn int, off uint32) uint32 {
	ss := m.desc.Sites
	i := sort.Search(len(ss), func(i int) bool { return ss[i].CodeOff > off }) - 1
	if i >= 0 && ss[i].Func == uint32(fn) {
		return ss[i].WasmOff
	}
	return 0
}

// funcName is the display name of function i.
func (m *Module) funcName(i int) string {
	if n := m.desc.Funcs[i].Name; n != "" {
		return n
	}
	return fmt.Sprintf("wasm[%d]", i)
}

// The code registry maps PCs to modules for backtraces that cross modules.
// It refers to modules weakly; a module's cleanup removes its entry.
var code struct {
	sync.Mutex
	mods []codeRange // sorted by start
}

type codeRange struct {
	start, end uintptr
	m          weak.Pointer[Module]
}

// registerCode enters m in the registry and, for code compiled with guard
// pages, in the signal handler's ranges (signal_linux_amd64.go).
func registerCode(m *Module) error {
	guard := -1
	if m.desc.GuardPages {
		if m.desc.TrapOff >= uint32(m.textSize) {
			return fmt.Errorf("module: trap routine offset %#x outside the code (%#x bytes)", m.desc.TrapOff, m.textSize)
		}
		s, err := registerGuardCode(m.text, m.textSize, m.text+uintptr(m.desc.TrapOff))
		if err != nil {
			return fmt.Errorf("module: %w", err)
		}
		guard = s
	}
	code.Lock()
	i := sort.Search(len(code.mods), func(i int) bool { return code.mods[i].start >= m.text })
	code.mods = slices.Insert(code.mods, i, codeRange{m.text, m.text + m.textSize, weak.Make(m)})
	code.Unlock()
	runtime.AddCleanup(m, unregisterCode, ownedCode{m.exec, guard})
	return nil
}

// ownedCode is what a module's cleanup releases: its mapping (nil for
// linked code) and its guard range slot (-1 for none).
type ownedCode struct {
	exec  *native.Exec
	guard int
}

// unregisterCode drops the registry entries of dead modules, then the guard
// range and the mapping of one of them.
func unregisterCode(c ownedCode) {
	e := c.exec
	code.Lock()
	live := code.mods[:0]
	for _, r := range code.mods {
		if r.m.Value() != nil {
			live = append(live, r)
		}
	}
	clear(code.mods[len(live):])
	code.mods = live
	code.Unlock()
	if c.guard >= 0 {
		unregisterGuardRange(c.guard) // before the code is unmapped
	}
	if e != nil {
		e.Free()
	}
}

// moduleAt returns the module whose code contains pc.
func moduleAt(pc uintptr) *Module {
	code.Lock()
	defer code.Unlock()
	i := sort.Search(len(code.mods), func(i int) bool { return code.mods[i].start > pc }) - 1
	// Linked modules may be registered more than once (same code); take a
	// live one.
	for ; i >= 0 && pc < code.mods[i].end; i-- {
		if m := code.mods[i].m.Value(); m != nil {
			return m
		}
	}
	return nil
}
