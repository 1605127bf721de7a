package rt

// Instantiation (DESIGN.md §5), in the order the spec prescribes:
//
//  1. resolve and type-check every import (a failure is a *LinkError and
//     nothing has changed anywhere);
//  2. allocate the vmctx (zeroed non-Go memory, abi.Layout), write the
//     canonical type ids, the imported-function slots, memories, tables and
//     globals (evaluating constant expressions);
//  3. apply active element segments, then active data segments, in order,
//     bounds-checking each: the first failure is a *Trap and the writes of
//     the segments before it stay visible (through imported memories and
//     tables);
//  4. call the start function.
//
// No step depends on the number of functions: funcref records are created
// on first use (by rt for constant expressions, by LibcallFuncRef for the
// generated code); their array is zeroed memory.

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"unsafe"

	"wfxc/rt/abi"
)

// An Instance is an instantiated module.
type Instance struct {
	store    *Store
	mod      *Module
	vmctx    uintptr
	refs     uintptr       // funcref records, one per function
	imports  []*Func       // resolved imported functions, by function index
	funcMu   sync.Mutex    // guards funcs: lookups may race
	funcs    map[int]*Func // lazily created Funcs of defined functions
	memories []*Memory     // by memory index
	tables   []*Table
	globals  []*Global // imported globals; defined ones are created on export
	tags     []*Tag    // imported tags; defined ones are created on export

	droppedData []bool // data.drop (and active segments after instantiation)
	droppedElem []bool // elem.drop (and active/declarative segments)

	res     *instanceRes    // the non-Go memory, freed by Close or the cleanup (lifetime.go)
	links   []*group        // lifetime groups of the imports, merged into res.grp
	closed  bool            // Close (or Store.Close) was called: calls fail
	imaged  uint64          // bit i: memory i is mapped with its module's data image (pool.go)
	cleanup runtime.Cleanup // the safety net of an unpooled instance: closes it when it is collected
	ridx    int32           // a pooled instance's index in its store's registry (store.go)

	// Backing arrays of the slices above for instances with few imports,
	// memories, tables, globals, tags and segments: instantiation
	// allocates nothing more for them.
	arena [12]unsafe.Pointer
	flags [16]bool
}

// hasImage reports whether data segment seg of memory mi is in the data
// image mapped into the memory.
func (inst *Instance) hasImage(mi, seg int) bool {
	return mi < 64 && inst.imaged&(1<<mi) != 0 && inst.mod.imgs[mi].segs[seg]
}

// carve returns n pointer slots from *a as a slice of *T (nil for none).
func carve[T any](a *[]unsafe.Pointer, n int) []*T {
	if n == 0 {
		return nil
	}
	s := unsafe.Slice((**T)(unsafe.Pointer(&(*a)[0])), n)
	*a = (*a)[n:]
	return s
}

// makeSlices makes the instance's per-index slices, from its inline
// arrays when they fit.
func (inst *Instance) makeSlices(m *Module) {
	d := m.desc
	n := m.nimp + len(d.Memories) + len(d.Tables) + len(d.Globals) + m.ntags
	var a []unsafe.Pointer
	if n <= len(inst.arena) {
		a = inst.arena[:n:n]
	} else {
		a = make([]unsafe.Pointer, n)
	}
	inst.imports = carve[Func](&a, m.nimp)
	inst.memories = carve[Memory](&a, len(d.Memories))
	inst.tables = carve[Table](&a, len(d.Tables))
	inst.globals = carve[Global](&a, len(d.Globals))
	inst.tags = carve[Tag](&a, m.ntags)
	nd, ne := len(d.Data), len(d.Elems)
	var f []bool
	if nd+ne <= len(inst.flags) {
		f = inst.flags[: nd+ne : nd+ne]
	} else {
		f = make([]bool, nd+ne)
	}
	inst.droppedData, inst.droppedElem = f[:nd:nd], f[nd:]
}

// A Resolver supplies imports by module and field name.
type Resolver interface {
	Resolve(module, name string) (Extern, bool)
}

// ResolverFunc adapts a function to a Resolver.
type ResolverFunc func(module, name string) (Extern, bool)

// Resolve calls f.
func (f ResolverFunc) Resolve(module, name string) (Extern, bool) { return f(module, name) }

// Imports is a Resolver backed by a map: module → name → extern.
type Imports map[string]map[string]Extern

// Resolve looks the import up.
func (m Imports) Resolve(module, name string) (Extern, bool) {
	e, ok := m[module][name]
	return e, ok
}

// instanceRes is an instance's non-Go memory: what Close, Store.Close or
// its cleanup release (lifetime.go). It must not reach the instance.
type instanceRes struct {
	vmctx, vmctxSize uintptr
	refs, refsSize   uintptr
	memSlots         []memSlot
	tabSlots         []tabSlot

	grp      *group    // lifetime group; lifeMu guards it and the fields below
	store    *storeMem // the store's instance list holds r until it is closed
	sidx     int       // r's index in store.insts
	ownMems  []*Memory // memories the instance defines
	ownTabs  []*tabMap // tables it defines
	closed   bool
	explicit bool    // closed by Close (not collected): own memories and tables are freed too
	pool     *Pool   // the pool whose instance slot holds vmctx and records (pool.go), or nil
	slot     int     // that slot
	refsUsed uintptr // bytes at the start of refs that records were written to

	// Inline storage for the group and the slices above (most instances
	// define at most one memory and one table).
	grp0      group
	members0  [1]*instanceRes
	memSlots0 [1]memSlot
	tabSlots0 [1]tabSlot
	ownMems0  [1]*Memory
	ownTabs0  [1]*tabMap
}

// newInstanceRes returns the resources record of an instance, its slices
// and its group backed by the record's inline storage.
func newInstanceRes() *instanceRes {
	r := &instanceRes{}
	r.memSlots, r.tabSlots = r.memSlots0[:0], r.tabSlots0[:0]
	r.ownMems, r.ownTabs = r.ownMems0[:0], r.ownTabs0[:0]
	r.members0[0] = r
	r.grp0 = group{open: 1, members: r.members0[:]}
	r.grp = &r.grp0
	return r
}

type memSlot struct {
	m *Memory
	p uintptr
}

// tabSlot names a vmctx slot mirroring a table. It holds the table's slot
// set, not the table: a table may keep its instance alive (Table.keep), and
// a cleanup's argument must not reach the object it cleans up.
type tabSlot struct {
	users *slotSet
	p     uintptr
}

func (r *instanceRes) release() {
	if r.pool == nil {
		unregisterInstance(r.vmctx)
	}
	for _, s := range r.memSlots {
		s.m.users.remove(s.p)
	}
	for _, s := range r.tabSlots {
		s.users.remove(s.p)
	}
	if p := r.pool; p != nil {
		p.unregister(r.slot)
		// The vmctx is written by every instantiation: clearing it keeps
		// its pages; the records are decommitted if many were made.
		clear(bytesAt(r.vmctx, r.vmctxSize))
		if r.refsUsed <= 16<<10 {
			clear(bytesAt(r.refs, r.refsUsed))
		} else {
			decommit(r.refs, r.refsUsed)
		}
		p.insts.release(r.slot, 0)
		return
	}
	blocks.release(r.vmctx, r.vmctxSize)
	blocks.release(r.refs, r.refsSize)
}

// Instantiate instantiates m in s, taking imports from imports (which may
// be nil when m imports nothing). Errors: *LinkError for unresolvable or
// mistyped imports, *Trap for a trap in a segment or the start function.
func (s *Store) Instantiate(m *Module, imports Resolver) (*Instance, error) {
	nested, err := s.enter()
	if err != nil {
		return nil, err
	}
	defer s.leave(nested)
	if s.closed {
		return nil, fmt.Errorf("rt: instantiate in a closed store")
	}
	if err := s.checkLimits(m); err != nil {
		return nil, err
	}
	inst := &Instance{store: s, mod: m}
	inst.makeSlices(m)
	if err := inst.linkImports(imports); err != nil {
		return nil, err
	}
	if err := inst.alloc(); err != nil {
		return nil, err
	}
	if err := inst.init(); err != nil {
		if inst.res.pool != nil {
			// A pooled instance has no cleanup: its slots go back now.
			// What it wrote into imported memories and tables stays, and
			// so do its records while they are linked to it.
			inst.closed = true
			inst.dropTableKeeps()
			inst.res.close(true, s.mem)
		}
		return nil, err
	}
	return inst, nil
}

// linkImports resolves and type-checks every import (step 1).
func (inst *Instance) linkImports(imports Resolver) error {
	for _, imp := range inst.mod.desc.Imports {
		var ext Extern
		ok := false
		if imports != nil {
			ext, ok = imports.Resolve(imp.Module, imp.Name)
		}
		if !ok || ext == nil {
			return &LinkError{Module: imp.Module, Name: imp.Name, Message: "unknown import"}
		}
		if err := inst.link(imp, ext); err != nil {
			return err
		}
		lifeMu.Lock()
		g, err := linkGroup(ext)
		lifeMu.Unlock()
		if err != nil {
			return &LinkError{Module: imp.Module, Name: imp.Name, Message: "import of a closed instance's export"}
		}
		if g != nil {
			inst.links = append(inst.links, g)
		}
	}
	return nil
}

// alloc takes the instance's vmctx and funcref records — from an
// instance slot of the store's pool, if it has one — makes its lifetime
// group and registers it with its store.
func (inst *Instance) alloc() error {
	s, l := inst.store, inst.mod.desc.Layout
	res := newInstanceRes()
	res.vmctxSize = uintptr(l.Size)
	res.refsSize = uintptr(len(inst.mod.desc.Funcs)) * abi.FuncRefSize
	if p := s.pool; p != nil {
		refsOff := (uintptr(l.Size) + 15) &^ 15
		i, base, err := p.allocInstance(refsOff + res.refsSize)
		if err != nil {
			return err
		}
		res.pool, res.slot, res.vmctx, res.refs = p, i, base, base+refsOff
	} else {
		vm, err := blocks.alloc(uintptr(l.Size))
		if err != nil {
			return err
		}
		res.vmctx = vm
		if res.refs, err = blocks.alloc(res.refsSize); err != nil {
			blocks.release(vm, res.vmctxSize)
			return err
		}
	}
	inst.vmctx, inst.refs, inst.res = res.vmctx, res.refs, res
	res.store = s.mem
	lifeMu.Lock()
	for _, g := range inst.links {
		if g = live(g); g != nil {
			merge(res.grp, g)
		}
	}
	inst.links = nil
	res.sidx = len(s.mem.insts)
	s.mem.insts = append(s.mem.insts, res)
	lifeMu.Unlock()
	if res.pool != nil {
		// The pool owns the slots: Close, Store.Close or the store's
		// cleanup gives them back (no cleanup per instance).
		s.register(inst)
	} else {
		inst.cleanup = runtime.AddCleanup(inst, func(r *instanceRes) { r.close(false, nil) }, res)
		registerInstance(inst)
	}
	s.trackInstance(inst) // its exnref globals and tables are roots (exnref.go)
	return nil
}

// init writes the vmctx, makes the memories and tables the instance
// defines, applies the active segments and calls the start function
// (steps 2 to 4).
func (inst *Instance) init() error {
	s, m := inst.store, inst.mod
	d := m.desc
	l := d.Layout
	vm, res := inst.vmctx, inst.res
	for i, id := range m.typeIDs {
		store32(vm+uintptr(l.TypeID(i)), id)
	}
	store64(vm+uintptr(l.FuncRefs), uint64(inst.refs))
	if l.HasTags(len(inst.tags)) { // tag identities for handler searches (or padding)
		for i := range inst.tags {
			store64(vm+uintptr(l.Tag(i)), inst.tagObj(i).id)
		}
	}
	for i, f := range inst.imports {
		code, callee := inst.importTarget(i, f)
		store64(vm+uintptr(l.ImportedFuncCode(i)), uint64(code))
		store64(vm+uintptr(l.ImportedFuncVMCtx(i)), uint64(callee))
	}
	for i, mt := range d.Memories {
		if !mt.Imported {
			var mem *Memory
			var err error
			switch {
			case s.pool != nil:
				var imaged bool
				if mem, imaged, err = s.pool.newMemory(m, i, mt); imaged && i < 64 {
					inst.imaged |= 1 << i
				}
				if err == nil && d.GuardPages && !mt.Is64 && !mem.Guarded() {
					mem.pooled.release(0)
					return fmt.Errorf("memory %d: a module compiled with guard pages needs guard-page pool slots (linux/amd64), or explicit bounds checks", i)
				}
			case d.GuardPages && !mt.Is64:
				mem, err = newGuardMemory(mt)
			default:
				mem, err = newMemory(mt)
			}
			if err != nil {
				return err
			}
			mem.life, mem.limit = res.grp, s.limits.MemoryBytes
			res.ownMems = append(res.ownMems, mem)
			inst.memories[i] = mem
			if mem.chg.acct = s.mem.acct; !mem.chg.take(uint64(mem.size)) {
				return s.mem.acct.err(fmt.Sprintf("memory %d", i), uint64(mem.size))
			}
		}
		mem := inst.memories[i]
		p := vm + uintptr(l.MemoryBase(i))
		store64(p, uint64(mem.base))
		store64(p+8, uint64(mem.size))
		mem.users.add(p)
		res.memSlots = append(res.memSlots, memSlot{mem, p})
	}
	for i, gt := range d.Globals {
		p := vm + uintptr(l.Global(i))
		if gt.Imported {
			store64(p, uint64(inst.globals[i].addr))
			continue
		}
		v, err := inst.eval(gt.Init)
		if err != nil {
			return fmt.Errorf("global %d initialiser: %w", i, err)
		}
		store64(p, v[0])
		store64(p+8, v[1])
	}
	for i, tt := range d.Tables {
		if !tt.Imported {
			var init uint64
			if tt.Init != nil {
				v, err := inst.eval(tt.Init)
				if err != nil {
					return fmt.Errorf("table %d initialiser: %w", i, err)
				}
				init = v[0]
			}
			var t *Table
			var err error
			if s.pool != nil {
				t, err = s.pool.newTable(tt, m.typeIDs, init)
			} else {
				t, err = newTable(tt, m.typeIDs, init)
			}
			if err != nil {
				return err
			}
			t.owner, t.life = true, res.grp
			if l := s.limits.TableElements; l != 0 && (t.limit == 0 || l < t.limit) {
				t.limit = l
			}
			if img := m.elemImg.tables[i]; img != nil {
				t.image, t.imageInst = img, inst
			}
			res.ownTabs = append(res.ownTabs, t.tabMap)
			inst.tables[i] = t
			n := t.len * uint64(t.elemSize())
			if t.chg.acct = s.mem.acct; !t.chg.take(n) {
				return s.mem.acct.err(fmt.Sprintf("table %d", i), n)
			}
		}
		t := inst.tables[i]
		t.keepAlive(inst)
		p := vm + uintptr(l.TableBase(i))
		store64(p, uint64(t.base))
		store64(p+8, t.len)
		t.users.add(p)
		res.tabSlots = append(res.tabSlots, tabSlot{t.users, p})
	}

	// 3. Segments.
	for i, e := range d.Elems {
		if e.Mode != abi.SegPassive {
			inst.droppedElem[i] = true
		}
		if e.Mode != abi.SegActive || m.elemImg.lazy[i] {
			continue
		}
		if err := inst.initElem(e); err != nil {
			var t *Trap
			if errors.As(err, &t) {
				return t
			}
			return fmt.Errorf("element segment %d: %w", i, err)
		}
	}
	for i, dseg := range d.Data {
		if dseg.Mode != abi.SegActive {
			continue
		}
		inst.droppedData[i] = true
		if inst.hasImage(int(dseg.Memory), i) {
			continue // in the memory's data image already (pool.go)
		}
		off, err := inst.eval(dseg.Offset)
		if err != nil {
			return fmt.Errorf("data segment %d offset: %w", i, err)
		}
		mem := inst.memories[dseg.Memory]
		o := off[0]
		if !mem.typ.Is64 {
			o = uint64(uint32(o))
		}
		n := uint64(len(dseg.Bytes))
		if o > uint64(mem.size) || n > uint64(mem.size)-o {
			return newTrap(abi.TrapMemoryOutOfBounds)
		}
		copy(mem.Bytes()[o:], dseg.Bytes)
	}

	// 4. Start.
	if d.Start >= 0 {
		if _, err := inst.funcObj(int(d.Start)).Call(); err != nil {
			return err
		}
	}
	return nil
}

// link type-checks one import and records it.
func (inst *Instance) link(imp abi.Import, ext Extern) error {
	d := inst.mod.desc
	bad := func() error {
		return &LinkError{Module: imp.Module, Name: imp.Name, Message: "incompatible import type"}
	}
	if ext.externKind() != imp.Kind {
		return bad()
	}
	switch imp.Kind {
	case abi.ExternFunc:
		f := ext.(*Func)
		if !subTypeID(f.typeID(), inst.mod.typeIDs[d.Funcs[imp.Index].Type]) {
			return funcLinkError(imp, f, d.Types[d.Funcs[imp.Index].Type])
		}
		inst.imports[imp.Index] = f
	case abi.ExternGlobal:
		g := ext.(*Global)
		gt := d.Globals[imp.Index]
		// Immutable globals are covariant; mutable ones must match exactly.
		if g.mutable != gt.Mutable || !valSub(g.typ, g.typeCtx(), gt.Type, inst.mod.typeIDs) ||
			gt.Mutable && !valSub(gt.Type, inst.mod.typeIDs, g.typ, g.typeCtx()) {
			return bad()
		}
		inst.globals[imp.Index] = g
	case abi.ExternMemory:
		m := ext.(*Memory)
		mt := d.Memories[imp.Index]
		if m.typ.Is64 != mt.Is64 || pageLog2(m.typ) != pageLog2(mt) || m.typ.Shared != mt.Shared ||
			!limitsMatch(m.Pages(), m.typ.Max, m.typ.HasMax, mt.Min, mt.Max, mt.HasMax) {
			return bad()
		}
		if d.GuardPages && !mt.Is64 && !m.Guarded() {
			return &LinkError{Module: imp.Module, Name: imp.Name, Message: "a module compiled with guard pages needs a guard-page memory (rt.NewMemory on linux/amd64, a pool slot, or one defined by a module compiled with guard pages; the memory of a module compiled with explicit bounds checks is not one: compile both the same way)"}
		}
		inst.memories[imp.Index] = m
	case abi.ExternTable:
		t := ext.(*Table)
		tt := d.Tables[imp.Index]
		if t.typ.Is64 != tt.Is64 || !valEq(t.typ.Elem, t.types, tt.Elem, inst.mod.typeIDs) ||
			!limitsMatch(t.len, t.typ.Max, t.typ.HasMax, tt.Min, tt.Max, tt.HasMax) {
			return bad()
		}
		inst.tables[imp.Index] = t
	case abi.ExternTag:
		tg := ext.(*Tag)
		if int(imp.Index) < len(d.Tags) && tg.tid != 0 && tg.tid != inst.mod.typeIDs[d.Tags[imp.Index].Type] {
			return bad()
		}
		inst.tags[imp.Index] = tg
	default:
		return &LinkError{Module: imp.Module, Name: imp.Name, Message: "unsupported import kind"}
	}
	return nil
}

// numTags is the size of a module's tag index space: from the descriptor's
// Tags, or (older descriptors) the largest tag index it imports or exports.
func numTags(d *abi.Descriptor) int {
	n := len(d.Tags)
	for _, imp := range d.Imports {
		if imp.Kind == abi.ExternTag {
			n = max(n, int(imp.Index)+1)
		}
	}
	for _, e := range d.Exports {
		if e.Kind == abi.ExternTag {
			n = max(n, int(e.Index)+1)
		}
	}
	return n
}

// tagObj returns the Tag for tag index i.
func (inst *Instance) tagObj(i int) *Tag {
	if t := inst.tags[i]; t != nil {
		return t
	}
	t := newTag(abi.FuncType{}, 0, nil)
	if d := inst.mod.desc; i < len(d.Tags) {
		t = newTag(d.Types[d.Tags[i].Type], inst.mod.typeIDs[d.Tags[i].Type], d.Types)
	}
	inst.tags[i] = t
	return t
}

// limitsMatch is the import subtyping of limits: the actual minimum is at
// least the declared one, and a declared maximum bounds the actual one.
func limitsMatch(min, max uint64, hasMax bool, wmin, wmax uint64, whasMax bool) bool {
	if min < wmin {
		return false
	}
	if whasMax && (!hasMax || max > wmax) {
		return false
	}
	return true
}

// importTarget returns the {code, vmctx} to store for imported function i.
func (inst *Instance) importTarget(i int, f *Func) (code, vmctx uintptr) {
	if f.host != nil {
		// This module's host-call stub, with our own vmctx: the stub exits
		// with ExitArg = i and ExitVMCtx = our vmctx.
		return inst.mod.text + uintptr(inst.mod.desc.Funcs[i].Code), inst.vmctx
	}
	return f.inst.mod.text + uintptr(f.inst.mod.desc.Funcs[f.idx].Code), f.inst.vmctx
}

// fillFuncRef writes the funcref record of function i.
func (inst *Instance) fillFuncRef(i int) {
	d := inst.mod.desc
	p := inst.refs + uintptr(i)*abi.FuncRefSize
	if r := inst.res; r != nil {
		r.refsUsed = max(r.refsUsed, uintptr(i+1)*abi.FuncRefSize)
	}
	var code, vm uintptr
	tid := inst.mod.typeIDs[d.Funcs[i].Type]
	if d.Funcs[i].Imported {
		f := inst.imports[i]
		code, vm = inst.importTarget(i, f)
		tid = f.typeID() // the function's own type: maybe a subtype of the import's
	} else {
		code, vm = inst.mod.text+uintptr(d.Funcs[i].Code), inst.vmctx
	}
	store64(p+abi.FuncRefCode, uint64(code))
	store64(p+abi.FuncRefTypeID, uint64(tid))
	store64(p+abi.FuncRefVMCtx, uint64(vm))
}

// funcRef returns the funcref value of function i, creating its record
// on first use.
func (inst *Instance) funcRef(i int) uint64 {
	p := inst.refs + uintptr(i)*abi.FuncRefSize
	if load64(p+abi.FuncRefCode) == 0 {
		inst.fillFuncRef(i)
	}
	return uint64(p)
}

// funcObj returns the Func for function index i.
func (inst *Instance) funcObj(i int) *Func {
	if i < len(inst.imports) {
		return inst.imports[i]
	}
	inst.funcMu.Lock()
	defer inst.funcMu.Unlock()
	if f := inst.funcs[i]; f != nil {
		return f
	}
	d := inst.mod.desc
	f := (&Func{typ: d.Types[d.Funcs[i].Type], inst: inst, idx: i}).withSig()
	if inst.funcs == nil {
		inst.funcs = map[int]*Func{}
	}
	inst.funcs[i] = f
	return f
}

// globalObj returns the Global for global index i.
func (inst *Instance) globalObj(i int) *Global {
	if g := inst.globals[i]; g != nil {
		return g
	}
	gt := inst.mod.desc.Globals[i]
	g := &Global{typ: gt.Type, mutable: gt.Mutable, addr: inst.vmctx + uintptr(inst.mod.desc.Layout.Global(i)), owner: inst}
	inst.globals[i] = g
	return g
}

// globalAddr returns the address of global i's value.
func (inst *Instance) globalAddr(i int) uintptr {
	if g := inst.globals[i]; g != nil {
		return g.addr
	}
	return inst.vmctx + uintptr(inst.mod.desc.Layout.Global(i))
}

// initElem applies an active element segment.
func (inst *Instance) initElem(e abi.Elem) error {
	off, err := inst.eval(e.Offset)
	if err != nil {
		return fmt.Errorf("offset: %w", err)
	}
	t := inst.tables[e.Table]
	o := off[0]
	if !t.typ.Is64 {
		o = uint64(uint32(o))
	}
	n := uint64(len(e.Items))
	if o > t.len || n > t.len-o {
		return newTrap(abi.TrapTableOutOfBounds)
	}
	for j, item := range e.Items {
		v, err := inst.eval(item)
		if err != nil {
			return fmt.Errorf("item %d: %w", j, err)
		}
		t.Set(o+uint64(j), v[0])
	}
	return nil
}

// Export returns the export called name (nothing for a nil instance).
func (inst *Instance) Export(name string) (Extern, bool) {
	if inst == nil {
		return nil, false
	}
	i, ok := inst.mod.exports[name]
	if !ok {
		return nil, false
	}
	e := inst.mod.desc.Exports[i]
	switch e.Kind {
	case abi.ExternFunc:
		return inst.funcObj(int(e.Index)), true
	case abi.ExternGlobal:
		return inst.globalObj(int(e.Index)), true
	case abi.ExternMemory:
		return inst.memories[e.Index], true
	case abi.ExternTable:
		return inst.tables[e.Index], true
	case abi.ExternTag:
		return inst.tagObj(int(e.Index)), true
	}
	return nil, false
}

// Exports returns the export names in module order.
func (inst *Instance) Exports() []string {
	names := make([]string, len(inst.mod.desc.Exports))
	for i, e := range inst.mod.desc.Exports {
		names[i] = e.Name
	}
	return names
}

// Func returns the exported function called name, or nil.
func (inst *Instance) Func(name string) *Func {
	e, _ := inst.Export(name)
	f, _ := e.(*Func)
	return f
}

// Memory returns the exported memory called name, or nil.
func (inst *Instance) Memory(name string) *Memory {
	e, _ := inst.Export(name)
	m, _ := e.(*Memory)
	return m
}

// Global returns the exported global called name, or nil.
func (inst *Instance) Global(name string) *Global {
	e, _ := inst.Export(name)
	g, _ := e.(*Global)
	return g
}

// Table returns the exported table called name, or nil.
func (inst *Instance) Table(name string) *Table {
	e, _ := inst.Export(name)
	t, _ := e.(*Table)
	return t
}

// Module returns the instance's module.
func (inst *Instance) Module() *Module { return inst.mod }

// Store returns the store the instance belongs to.
func (inst *Instance) Store() *Store { return inst.store }

// VMCtx returns the address of the instance's vmctx.
func (inst *Instance) VMCtx() uintptr { return inst.vmctx }
