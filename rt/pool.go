package rt

// The pooling allocator (DESIGN.md §5). A Pool reserves, once, one region
// per kind — instance records (vmctx and funcref records), linear
// memories, tables, fibre stacks — cut into slots of a fixed maximum size. Stores that
// use the pool (Store.SetPool) take their instances' slots from it, so
// instantiation makes no mapping and no system call in the common case,
// and give them back when the instance is freed (Close, Store.Close, or
// collection), decommitting what was used with madvise(MADV_DONTNEED).
//
//   - Memory slots are mapped read-write (MAP_NORESERVE: only touched pages
//     cost memory); a pooled memory grows in place, up to the slot size,
//     by changing its length (the generated code checks bounds against
//     it). On linux/amd64 they are guard-page slots instead
//     (newGuardSlotPool): each starts an abi.GuardReserve reservation of
//     which only the memory's pages are accessible, and growing makes
//     more of it so, which serves code compiled with guard pages and with
//     explicit checks alike. A module's initial data image (its constant data segments) is
//     built once, in a memfd, and mapped copy-on-write over the part of a
//     slot it covers; a released slot keeps the mapping, and madvise
//     resets exactly the dirty pages, so the next instance of the same
//     module finds its data in place without copying. Free slots remember
//     which image they hold, and an instantiation prefers one with its own.
//     With MemoryKeepResident, a slot without an image is reset by
//     clearing its first bytes instead (Wasmtime's keep-resident option):
//     no page faults for the next instance, at the price of that much
//     memory per slot staying resident.
//   - Table slots are sized for continuation elements (16 bytes), whatever
//     the table's own element size; only the elements used are touched.
//   - Instance slots hold the vmctx and the funcref records; small ones
//     are cleared by the CPU, large ones by madvise.
//
//   - Fibre stack slots hold the stacks of a pooled store's continuation
//     records (fibre.go): the lowest page of a slot becomes its guard when
//     the slot is first taken, and the stack goes back, decommitted, when
//     its store is freed (records live as long as their store).
//
// Exhaustion (every slot of a kind in use, or a module whose memory or
// table does not fit a slot) is an error wrapping ErrPoolExhausted.

import (
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"unsafe"
	"weak"

	"golang.org/x/sys/unix"

	"wfxc/rt/abi"
)

// PoolConfig sizes a Pool; a zero field takes the default in brackets.
type PoolConfig struct {
	Instances     int    // instance slots [1000]
	InstanceBytes uint64 // bytes per instance slot: vmctx and funcref records [1 MiB]
	Memories      int    // memory slots [1000]
	MemoryBytes   uint64 // bytes per memory slot: the most a pooled memory grows to [64 MiB]
	// MemoryKeepResident is how many bytes at the start of a released
	// memory slot without a data image are cleared (and stay resident)
	// rather than decommitted [0].
	MemoryKeepResident uint64
	Tables             int    // table slots [1000]
	TableElements      uint64 // elements per table slot (16 bytes each) [65536]
	FibreStacks        int    // fibre stack slots [1000]
	// FibreStackBytes is the size of a fibre stack slot, a multiple of the
	// page size between MinFibreStackSize and MaxFibreStackSize, guard
	// page included [1 MiB, abi.FibreStackSize].
	FibreStackBytes uint64
}

// ErrPoolExhausted is the error of an instantiation the pool has no slot
// for (errors.Is).
var ErrPoolExhausted = errors.New("rt: pool exhausted")

// A Pool is a pooling allocator, shared by any number of stores.
type Pool struct {
	cfg                      PoolConfig
	insts, mems, tab, fibres *slotPool

	// owners names, per instance slot, the store holding the instance in
	// its registry (pooledInstanceAt), weakly: a store dropped without
	// Close must stay collectable, its cleanup returns the slots.
	ownMu  sync.Mutex
	owners []slotOwner
}

// slotOwner is the registry entry of the instance in a slot.
type slotOwner struct {
	store weak.Pointer[Store]
	ridx  int32
}

// pools lists the pools that are not closed, for pooledInstanceAt.
var pools struct {
	mu   sync.Mutex
	list atomic.Pointer[[]*Pool]
}

func addPool(p *Pool) {
	pools.mu.Lock()
	defer pools.mu.Unlock()
	var l []*Pool
	if old := pools.list.Load(); old != nil {
		l = append(l, *old...)
	}
	l = append(l, p)
	pools.list.Store(&l)
}

func removePool(p *Pool) {
	pools.mu.Lock()
	defer pools.mu.Unlock()
	if old := pools.list.Load(); old != nil {
		l := slices.DeleteFunc(slices.Clone(*old), func(q *Pool) bool { return q == p })
		pools.list.Store(&l)
	}
}

// pooledInstanceAt returns the pooled instance whose vmctx is vm, or nil:
// an O(1) look-up through the slot's owner.
func pooledInstanceAt(vm uintptr) *Instance {
	l := pools.list.Load()
	if l == nil {
		return nil
	}
	for _, p := range *l {
		sp := p.insts
		if vm < sp.base || vm-sp.base >= uintptr(sp.n)*sp.size {
			continue
		}
		i := int((vm - sp.base) / sp.size)
		p.ownMu.Lock()
		o := p.owners[i]
		p.ownMu.Unlock()
		if s := o.store.Value(); s != nil {
			return s.registered(o.ridx, vm)
		}
		return nil
	}
	return nil
}

// setOwner records the registry entry of the instance in slot i.
func (p *Pool) setOwner(i int, o slotOwner) {
	p.ownMu.Lock()
	p.owners[i] = o
	p.ownMu.Unlock()
}

// unregister removes the instance in slot i from its store's registry.
func (p *Pool) unregister(i int) {
	p.ownMu.Lock()
	o := p.owners[i]
	p.owners[i] = slotOwner{}
	p.ownMu.Unlock()
	if s := o.store.Value(); s != nil {
		s.unregister(o.ridx)
	}
}

// NewPool reserves the pool's address space (nothing is committed yet).
func NewPool(cfg PoolConfig) (*Pool, error) {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def64 := func(v *uint64, d uint64) {
		if *v == 0 {
			*v = d
		}
	}
	def(&cfg.Instances, 1000)
	def64(&cfg.InstanceBytes, 1<<20)
	def(&cfg.Memories, 1000)
	def64(&cfg.MemoryBytes, 64<<20)
	def(&cfg.Tables, 1000)
	def64(&cfg.TableElements, 65536)
	def(&cfg.FibreStacks, 1000)
	def64(&cfg.FibreStackBytes, abi.FibreStackSize)
	if n := cfg.FibreStackBytes; n < MinFibreStackSize || n > MaxFibreStackSize || n%uint64(pageSize) != 0 {
		return nil, fmt.Errorf("rt: pool fibre stack size %d: want a multiple of %d between %d and %d", n, pageSize, MinFibreStackSize, MaxFibreStackSize)
	}
	p := &Pool{cfg: cfg}
	for _, k := range []struct {
		sp   **slotPool
		kind string
		n    int
		size uintptr
	}{
		{&p.insts, "instance", cfg.Instances, uintptr(cfg.InstanceBytes)},
		{&p.mems, "memory", cfg.Memories, uintptr(cfg.MemoryBytes)},
		{&p.tab, "table", cfg.Tables, uintptr(cfg.TableElements) * 2 * abi.TableElemSize},
		{&p.fibres, "fibre stack", cfg.FibreStacks, uintptr(cfg.FibreStackBytes)},
	} {
		newSP := newSlotPool
		if k.sp == &p.mems && guardMemories {
			newSP = newGuardSlotPool
		}
		sp, err := newSP(k.kind, k.n, k.size)
		if err != nil {
			p.unmap()
			return nil, err
		}
		*k.sp = sp
	}
	p.fibres.guarded = make([]bool, cfg.FibreStacks)
	p.mems.keep = roundPage(uintptr(min(cfg.MemoryKeepResident, cfg.MemoryBytes)))
	p.owners = make([]slotOwner, cfg.Instances)
	addPool(p)
	return p, nil
}

// unmap unmaps the reservations made.
func (p *Pool) unmap() {
	for _, sp := range []*slotPool{p.insts, p.mems, p.tab, p.fibres} {
		if sp != nil {
			sp.unmap()
		}
	}
}

// Close unmaps the pool's reservations. Every instance that uses it must
// have been freed.
func (p *Pool) Close() error {
	for _, sp := range []*slotPool{p.insts, p.mems, p.tab, p.fibres} {
		if n := sp.inUse(); n > 0 {
			return fmt.Errorf("rt: Pool.Close with %d %s slots in use", n, sp.kind)
		}
	}
	removePool(p)
	p.unmap()
	return nil
}

// InUse reports how many instance, memory and table slots are taken.
func (p *Pool) InUse() (instances, memories, tables int) {
	return p.insts.inUse(), p.mems.inUse(), p.tab.inUse()
}

// FibresInUse reports how many fibre stack slots are taken.
func (p *Pool) FibresInUse() int { return p.fibres.inUse() }

// SetPool makes the store take the slots of instances created from now
// on from p (nil: the default allocator), and those of its fibre stacks
// if it has made no continuation yet; its stacks then have the pool's
// FibreStackBytes, whatever SetFibreStackSize said.
func (s *Store) SetPool(p *Pool) {
	s.pool = p
	if f := &s.mem.fibres; len(f.conts) == 0 {
		f.pool = nil
		if p != nil {
			f.pool = p.fibres
		}
	}
}

// slotPool is one reservation of n slots of size bytes.
type slotPool struct {
	kind string
	base uintptr
	size uintptr // bytes per slot (page multiple)
	max  uintptr // usable bytes per slot: size, or less for guard slots
	n    int
	keep uintptr // bytes at the start of an imageless slot cleared, not decommitted, on release
	// acc, for guard slots (memories: newGuardSlotPool), is per slot how
	// many bytes from its start are accessible; the rest is PROT_NONE.
	acc []uintptr

	mu      sync.Mutex
	clean   []int               // free slots without an image
	byImg   map[*memImage][]int // free slots holding an image
	img     []*memImage         // per slot: the image mapped in it
	used    []bool              // per slot: taken
	guarded []bool              // per slot: its lowest page is a guard (fibre stacks; nil for other kinds)
	count   int                 // slots taken
}

func newSlotPool(kind string, n int, size uintptr) (*slotPool, error) {
	size = roundPage(size)
	total := uintptr(n) * size
	if n <= 0 || size == 0 || total/size != uintptr(n) {
		return nil, fmt.Errorf("rt: pool of %d %s slots of %d bytes", n, kind, size)
	}
	base, err := mmap(total, unix.PROT_READ|unix.PROT_WRITE)
	if err != nil {
		return nil, fmt.Errorf("rt: reserving the %s pool: %w", kind, err)
	}
	return initSlotPool(kind, n, base, size, size), nil
}

func initSlotPool(kind string, n int, base, size, max uintptr) *slotPool {
	sp := &slotPool{kind: kind, base: base, size: size, max: max, n: n, byImg: map[*memImage][]int{},
		img: make([]*memImage, n), used: make([]bool, n)}
	for i := n - 1; i >= 0; i-- {
		sp.clean = append(sp.clean, i)
	}
	return sp
}

// newGuardSlotPool is newSlotPool for memories that guard pages bound
// (abi.Descriptor.GuardPages): each slot of max bytes starts an
// abi.GuardReserve reservation, PROT_NONE but for the pages its memory
// uses (slotPool.acc), so that a 32-bit address plus an offset of up to
// abi.GuardBytes faults instead of reaching the next slot. The
// reservation costs address space only (MAP_NORESERVE, nothing committed
// until touched). Memories of other kinds (memory64, pages below 4 KiB)
// use the slots with explicit checks.
func newGuardSlotPool(kind string, n int, max uintptr) (*slotPool, error) {
	max = roundPage(max)
	size := roundPage(uintptr(abi.GuardReserve))
	if max > size {
		size = max // a memory64 may use it all; 32-bit ones stop at 4 GiB
	}
	total := uintptr(n) * size
	if n <= 0 || max == 0 || total/size != uintptr(n) {
		return nil, fmt.Errorf("rt: pool of %d %s slots of %d bytes", n, kind, max)
	}
	base, err := mmap(total, unix.PROT_NONE)
	if err != nil {
		return nil, fmt.Errorf("rt: reserving the %s pool (%d guard-page slots of %d bytes of address space): %w", kind, n, size, err)
	}
	sp := initSlotPool(kind, n, base, size, max)
	sp.acc = make([]uintptr, n)
	return sp, nil
}

// access makes the first n bytes of guard slot i (taken) accessible and
// the rest of it not; it reports false, with the first min(n, acc) bytes
// accessible as before and the rest not (or the slot's accessibility
// unknown: acc = max), if mprotect fails.
func (sp *slotPool) access(i int, n uintptr) bool {
	n = roundPage(n)
	p, acc := sp.addr(i), sp.acc[i]
	var err error
	switch {
	case n > acc:
		if err = mprotect(p+acc, n-acc, unix.PROT_READ|unix.PROT_WRITE); err != nil {
			// A partial change must not leave pages past the size
			// accessible to code that relies on them faulting.
			if mprotect(p+acc, sp.max-acc, unix.PROT_NONE) != nil {
				sp.acc[i] = sp.max
			}
		}
	case n < acc:
		if err = mprotect(p+n, acc-n, unix.PROT_NONE); err != nil {
			sp.acc[i] = sp.max
		}
	}
	if err != nil {
		return false
	}
	sp.acc[i] = n
	return true
}

func (sp *slotPool) unmap() { munmap(sp.base, uintptr(sp.n)*sp.size) }

func (sp *slotPool) inUse() int {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	return sp.count
}

func (sp *slotPool) addr(i int) uintptr { return sp.base + uintptr(i)*sp.size }

// alloc takes a free slot, preferably one that holds image img (nil:
// any), and maps img into it unless it is there already.
func (sp *slotPool) alloc(img *memImage) (int, error) {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	i := -1
	if l := sp.byImg[img]; img != nil && len(l) > 0 {
		i, sp.byImg[img] = l[len(l)-1], l[:len(l)-1]
	} else if len(sp.clean) > 0 {
		i, sp.clean = sp.clean[len(sp.clean)-1], sp.clean[:len(sp.clean)-1]
	} else {
		for k, l := range sp.byImg {
			if len(l) > 0 {
				i, sp.byImg[k] = l[len(l)-1], l[:len(l)-1]
				break
			}
		}
	}
	if i < 0 {
		return 0, fmt.Errorf("%w: all %d %s slots in use", ErrPoolExhausted, sp.n, sp.kind)
	}
	if sp.img[i] != img {
		if err := sp.mapImage(i, img); err != nil {
			sp.clean = append(sp.clean, i)
			return 0, err
		}
	}
	if sp.guarded != nil && !sp.guarded[i] {
		if err := mprotect(sp.addr(i), pageSize, unix.PROT_NONE); err != nil {
			sp.clean = append(sp.clean, i)
			return 0, fmt.Errorf("rt: guard page of a %s slot: %w", sp.kind, err)
		}
		sp.guarded[i] = true
	}
	sp.used[i] = true
	sp.count++
	return i, nil
}

// mapImage replaces the image in slot i by img (nil: plain zero pages).
func (sp *slotPool) mapImage(i int, img *memImage) error {
	p := sp.addr(i)
	if old := sp.img[i]; old != nil {
		if _, err := unix.MmapPtr(-1, 0, ptr(p+old.off), old.len, unix.PROT_READ|unix.PROT_WRITE,
			unix.MAP_PRIVATE|unix.MAP_ANON|unix.MAP_NORESERVE|unix.MAP_FIXED); err != nil {
			return fmt.Errorf("rt: unmapping a data image: %w", err)
		}
		sp.img[i] = nil
		sp.mapped(i, old.off+old.len)
	}
	if img != nil {
		if _, err := unix.MmapPtr(img.fd, 0, ptr(p+img.off), img.len, unix.PROT_READ|unix.PROT_WRITE,
			unix.MAP_PRIVATE|unix.MAP_FIXED); err != nil {
			return fmt.Errorf("rt: mapping a data image: %w", err)
		}
		sp.img[i] = img
		sp.mapped(i, img.off+img.len)
	}
	return nil
}

// mapped notes that a read-write mapping now reaches end bytes into guard
// slot i, which keeps its accessible bytes a prefix: the gap between the
// old prefix and the mapping becomes read-write too (an image lies inside
// its module's initial size, so access, which follows, keeps it or trims
// it for the memory taking the slot).
func (sp *slotPool) mapped(i int, end uintptr) {
	if sp.acc == nil || end <= sp.acc[i] {
		return
	}
	if mprotect(sp.addr(i)+sp.acc[i], end-sp.acc[i], unix.PROT_READ|unix.PROT_WRITE) == nil {
		sp.acc[i] = end
	} else {
		sp.acc[i] = sp.max // unknown: access makes all of it PROT_NONE but the memory
	}
}

// release gives slot i back after decommitting its first dirty bytes
// (resetting an image to its contents).
func (sp *slotPool) release(i int, dirty uintptr) {
	if dirty = roundPage(min(dirty, sp.size)); dirty > 0 {
		p := sp.addr(i)
		switch keep := max(sp.keep, 16<<10); {
		case sp.img[i] != nil:
			decommit(p, dirty)
		case dirty <= keep:
			clear(bytesAt(p, dirty)) // cheaper than the system call, or asked for
		default:
			clear(bytesAt(p, sp.keep))
			decommit(p+sp.keep, dirty-sp.keep)
		}
	}
	sp.mu.Lock()
	defer sp.mu.Unlock()
	if !sp.used[i] {
		return
	}
	sp.used[i] = false
	sp.count--
	if img := sp.img[i]; img != nil {
		sp.byImg[img] = append(sp.byImg[img], i)
	} else {
		sp.clean = append(sp.clean, i)
	}
}

// decommit gives the pages of [p, p+n) back to the system: they read as
// zeros (or as their file's contents) afterwards. p is page aligned.
func decommit(p, n uintptr) {
	if n = roundPage(n); n > 0 {
		unix.Madvise(unsafe.Slice((*byte)(ptr(p)), n), unix.MADV_DONTNEED)
	}
}

// poolSlot is the slot of a pooled memory or table, released once (by
// the group free of its instance: lifetime.go).
type poolSlot struct {
	sp   *slotPool
	i    int
	done atomic.Bool
}

func (s *poolSlot) release(dirty uintptr) {
	if s.done.CompareAndSwap(false, true) {
		s.sp.release(s.i, dirty)
	}
}

// A memImage is a module's data image for one memory: the pages
// [off, off+len) of the memory's initial contents, in memfd fd.
type memImage struct {
	fd       int
	off, len uintptr
	segs     []bool // per data segment: its bytes are in the image
}

// memImages returns the module's data images, one per memory (nil
// entries: the memory has none), building them on first use.
func (m *Module) memImages() ([]*memImage, error) {
	m.imgOnce.Do(func() { m.imgs, m.imgErr = buildMemImages(m) })
	return m.imgs, m.imgErr
}

// buildMemImages makes the data image of every memory the module
// defines whose active data segments all have constant offsets inside its
// initial size.
func buildMemImages(m *Module) ([]*memImage, error) {
	d := m.desc
	imgs := make([]*memImage, len(d.Memories))
	for mi, mt := range d.Memories {
		if mt.Imported || mt.Shared {
			continue
		}
		minBytes := uint64(mt.Min) << pageLog2(mt)
		lo, hi, ok, any := ^uint64(0), uint64(0), true, false
		offs := make([]uint64, len(d.Data))
		for i, ds := range d.Data {
			if ds.Mode != abi.SegActive || int(ds.Memory) != mi {
				continue
			}
			off, isConst := constOffset(ds.Offset)
			if !mt.Is64 {
				off = uint64(uint32(off))
			}
			n := uint64(len(ds.Bytes))
			if !isConst || off > minBytes || n > minBytes-off {
				ok = false
				break
			}
			offs[i] = off
			if n > 0 {
				lo, hi, any = min(lo, off), max(hi, off+n), true
			}
		}
		if !ok || !any {
			continue
		}
		lo &^= uint64(pageSize - 1)
		hi = uint64(roundPage(uintptr(hi)))
		img := &memImage{off: uintptr(lo), len: uintptr(hi - lo), segs: make([]bool, len(d.Data))}
		buf := make([]byte, img.len)
		for i, ds := range d.Data {
			if ds.Mode == abi.SegActive && int(ds.Memory) == mi {
				copy(buf[offs[i]-lo:], ds.Bytes)
				img.segs[i] = true
			}
		}
		fd, err := unix.MemfdCreate("wfxc-data-image", unix.MFD_CLOEXEC)
		if err != nil {
			return nil, fmt.Errorf("rt: data image: %w", err)
		}
		if _, err := unix.Pwrite(fd, buf, 0); err != nil {
			unix.Close(fd)
			return nil, fmt.Errorf("rt: data image: %w", err)
		}
		img.fd = fd
		runtime.AddCleanup(m, func(fd int) { unix.Close(fd) }, fd)
		imgs[mi] = img
	}
	return imgs, nil
}

// constOffset decodes an offset expression that is one i32.const or
// i64.const.
func constOffset(b []byte) (uint64, bool) {
	if len(b) < 2 || (b[0] != 0x41 && b[0] != 0x42) {
		return 0, false
	}
	r := &exprReader{b: b, pos: 1}
	bits := uint(32)
	if b[0] == 0x42 {
		bits = 64
	}
	v, err := r.sleb(bits)
	if err != nil || r.pos != len(b)-1 || b[r.pos] != 0x0B {
		return 0, false
	}
	return uint64(v), true
}

// newPooledMemory makes memory mt of module m (memory index mi) in a
// slot of pool p, with its data image when it has one (imaged reports
// that the image's segments need no copying).
func (p *Pool) newMemory(m *Module, mi int, mt abi.Memory) (mem *Memory, imaged bool, err error) {
	n := uint64(mt.Min) << pageLog2(mt)
	if mt.Min > limitPages(mt) || n > uint64(p.mems.max) || mt.Shared {
		return nil, false, fmt.Errorf("%w: memory %d of %d bytes does not fit a slot of %d bytes", ErrPoolExhausted, mi, n, p.mems.max)
	}
	imgs, err := m.memImages()
	if err != nil {
		return nil, false, err
	}
	img := imgs[mi]
	i, err := p.mems.alloc(img)
	if err != nil {
		return nil, false, err
	}
	if p.mems.acc != nil && !p.mems.access(i, uintptr(n)) {
		p.mems.release(i, 0)
		return nil, false, fmt.Errorf("rt: memory %d: making %d bytes of a guard-page slot accessible failed", mi, n)
	}
	// One allocation, and no cleanup: the slot goes back when the
	// instance's group is freed (Close, Store.Close or the store's
	// cleanup), and the memory is dead afterwards.
	pm := &pooledMemory{slot: poolSlot{sp: p.mems, i: i}}
	pm.mm = memMap{base: p.mems.addr(i), size: uintptr(n)}
	pm.mem = Memory{typ: mt, memMap: &pm.mm, pooled: &pm.slot}
	return &pm.mem, img != nil, nil
}

// pooledMemory is a pooled memory with its mapping and slot.
type pooledMemory struct {
	mem  Memory
	mm   memMap
	slot poolSlot
}

// growPooled grows a pooled memory in place.
func (m *Memory) growPooled(old, delta uint64) (uint64, bool) {
	n := uintptr(old+delta) << pageLog2(m.typ)
	sp := m.pooled.sp
	if uint64(n)>>pageLog2(m.typ) != old+delta || n > sp.max {
		return old, false
	}
	if sp.acc != nil && !sp.access(m.pooled.i, n) {
		return old, false
	}
	m.size = n
	m.users.update(uint64(m.base), uint64(m.size))
	return old, true
}

// newTable makes table tt in a slot of pool p.
func (p *Pool) newTable(tt abi.Table, types []uint32, init uint64) (*Table, error) {
	if tt.Min > p.cfg.TableElements {
		return nil, fmt.Errorf("%w: table of %d elements does not fit a slot of %d", ErrPoolExhausted, tt.Min, p.cfg.TableElements)
	}
	i, err := p.tab.alloc(nil)
	if err != nil {
		return nil, err
	}
	// No cleanup (see newMemory). The mapping, slot set and slot are one
	// allocation apart from the table: the instance's record holds them
	// and must not reach the table (which keeps its instances alive).
	pt := &pooledTabMap{slot: poolSlot{sp: p.tab, i: i}}
	pt.tm = tabMap{base: p.tab.addr(i), cap: p.tab.size, len: tt.Min, pooled: &pt.slot}
	t := &Table{typ: tt, tabMap: &pt.tm, users: &pt.users,
		types: types, fn: isFuncTable(tt.Elem, types), wide: isContTable(tt.Elem, types), limit: p.cfg.TableElements}
	if t.fn {
		t.init = init
	} else if init != 0 {
		for j := uint64(0); j < t.len; j++ {
			t.Set(j, init)
		}
	}
	return t, nil
}

// pooledTabMap is a pooled table's mapping, slot set and slot.
type pooledTabMap struct {
	tm    tabMap
	users slotSet
	slot  poolSlot
}

// allocInstance takes an instance slot for size bytes of vmctx and
// funcref records.
func (p *Pool) allocInstance(size uintptr) (int, uintptr, error) {
	if size > p.insts.size {
		return 0, 0, fmt.Errorf("%w: an instance of %d bytes does not fit a slot of %d", ErrPoolExhausted, size, p.insts.size)
	}
	i, err := p.insts.alloc(nil)
	if err != nil {
		return 0, 0, err
	}
	return i, p.insts.addr(i), nil
}
