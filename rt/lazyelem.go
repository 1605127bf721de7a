package rt

// Lazy element segments (DESIGN.md §5: instantiation independent of module
// size). Most modules fill their function table with active element
// segments of constant offsets and ref.func items. For a table the module
// defines, their effect is the same in every instance, so it is computed
// once per module (Module.elemInit: per element the function index + 1, −1
// for an explicit null, 0 for "the table's initial value"), and
// instantiation writes nothing: the table's elements stay 0 ("not
// initialised yet", abi funcref.go), and the first read of one — the
// generated code's slow path exits with LibcallTableElem, which calls
// Table.Get — creates the funcref record and stores the element.
//
// A segment qualifies when it is active, targets a function table the
// module defines (not a continuation table), has an i32.const/i64.const
// offset, lies inside the table's initial size (so it cannot trap) and
// every item is ref.func or ref.null. Other segments are applied at
// instantiation as before, in order; a lazy segment's elements are
// written only by lazy segments of the same table (ordering is kept
// because the precomputation applies them in order, and an eager segment
// targeting the same table disqualifies the table).

import "wfxc/rt/abi"

// elemImage is a module's precomputed table contents.
type elemImage struct {
	tables [][]int32 // per table index: the initial elements (nil: none lazy)
	lazy   []bool    // per element segment: applied through tables
}

// buildElemImage precomputes the lazy element segments of d (typeIDs are
// the module's canonical type ids).
func buildElemImage(d *abi.Descriptor, typeIDs []uint32) elemImage {
	img := elemImage{tables: make([][]int32, len(d.Tables)), lazy: make([]bool, len(d.Elems))}
	ok := make([]bool, len(d.Tables))
	for i, tt := range d.Tables {
		ok[i] = !tt.Imported && isFuncTable(tt.Elem, typeIDs) && !isContTable(tt.Elem, typeIDs) && tt.Min <= 1<<20
	}
	type seg struct {
		off   uint64
		items []int32
	}
	segs := make([]*seg, len(d.Elems))
	for i, e := range d.Elems {
		if e.Mode != abi.SegActive || int(e.Table) >= len(d.Tables) {
			continue
		}
		s := constElemSeg(e, d.Tables[e.Table], len(d.Funcs))
		if s == nil {
			ok[e.Table] = false // an eager segment writes it: keep the order simple
			continue
		}
		segs[i] = &seg{s.off, s.items}
	}
	for i, s := range segs {
		if s == nil || !ok[d.Elems[i].Table] {
			continue
		}
		ti := d.Elems[i].Table
		if img.tables[ti] == nil {
			img.tables[ti] = make([]int32, d.Tables[ti].Min)
		}
		copy(img.tables[ti][s.off:], s.items)
		img.lazy[i] = true
	}
	return img
}

// constSeg is an element segment whose offset and items are constants.
type constSeg struct {
	off   uint64
	items []int32 // function index + 1, or −1 for null
}

// constElemSeg decodes e when it qualifies (see the file comment), or
// returns nil.
func constElemSeg(e abi.Elem, tt abi.Table, nfuncs int) *constSeg {
	r := &exprReader{b: e.Offset}
	if len(r.b) == 0 || (r.b[0] != 0x41 && r.b[0] != 0x42) {
		return nil
	}
	op := r.b[0]
	r.pos++
	bits := uint(32)
	if op == 0x42 {
		bits = 64
	}
	v, err := r.sleb(bits)
	if err != nil || r.pos != len(r.b)-1 || r.b[r.pos] != 0x0B {
		return nil
	}
	off := uint64(v)
	if bits == 32 {
		off = uint64(uint32(v))
	}
	n := uint64(len(e.Items))
	if off > tt.Min || n > tt.Min-off {
		return nil // traps at instantiation: the eager path reports it
	}
	s := &constSeg{off: off, items: make([]int32, n)}
	for j, item := range e.Items {
		r := &exprReader{b: item}
		if len(item) < 2 {
			return nil
		}
		r.pos++
		switch item[0] {
		case 0xD2: // ref.func
			f, err := r.uleb()
			if err != nil || f >= uint64(nfuncs) {
				return nil
			}
			s.items[j] = int32(f) + 1
		case 0xD0: // ref.null
			if _, err := r.sleb(33); err != nil {
				return nil
			}
			s.items[j] = -1
		default:
			return nil
		}
		if r.pos != len(item)-1 || item[r.pos] != 0x0B {
			return nil
		}
	}
	return s
}

// lazyElem returns element i of a table with a precomputed image, whose
// raw element is still 0, and whether the image has it.
func (t *Table) lazyElem(i uint64) (uint64, bool) {
	if i >= uint64(len(t.image)) || t.image[i] == 0 {
		return 0, false
	}
	if f := t.image[i]; f > 0 {
		return t.imageInst.funcRef(int(f - 1)), true
	}
	return 0, true // an explicit null
}
