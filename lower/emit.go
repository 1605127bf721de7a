package lower

// The machine-independent half of code emission, shared by the back ends
// (DESIGN.md §10). A back end builds one function as a list of golang-asm
// obj.Progs through an Emitter, assembles it with its architecture's
// Assemble, and the Emitter resolves everything that depends on the final
// PCs: after assembly every Prog.Pc is final, so trap and call sites, line
// rows, CFI rows, references to Progs (labels taken as addresses), the
// literal pool and jump tables are computed from them. References that
// leave the function (calls to other functions and runtime routines)
// become Fixups; references inside it are patched here, so the output
// carries no relocations.
//
// The ISA-specific parts come in an EmitArch: the golang-asm context and
// Assemble, the filler byte before the pool, which relocations golang-asm
// emits and how a PC-relative field is stored.
//
//	e := lower.NewEmitter(arch)
//	l := e.NewLabel()
//	p := e.Branch(jcc, l)            // a branch to a label placed later
//	e.Site(p, false, pos)            // p's PC maps to wasm offset pos
//	e.Place(l)
//	c, err := e.Assemble("f")        // code with the pool, sites, CFI, fixups

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"sync"

	"github.com/twitchyliquid64/golang-asm/obj"
)

// EmitArch is what an Emitter needs from the back end's architecture.
type EmitArch struct {
	// NewCtxt returns a fresh golang-asm context for one function.
	NewCtxt func() *obj.Link
	// Assemble encodes the Progs of s (golang-asm's Assemble of the arch).
	Assemble func(ctxt *obj.Link, s *obj.LSym)
	// Pad fills the gap between the code and the literal pool.
	Pad byte
	// Field reports whether relocation r has a field to resolve (false for
	// markers that need nothing) and fails for forms the back end does not
	// emit.
	Field func(r *obj.Reloc) (bool, error)
	// Patch stores in code the PC-relative field of r referring to the
	// code offset target.
	Patch func(code []byte, r *obj.Reloc, target int64)

	// ctxts holds contexts that Release gave back: NewCtxt's
	// obj.Linknew asks the OS for the working directory and makes three
	// maps, per function otherwise. Assembling leaves nothing in a
	// context but its error count (reset on reuse).
	ctxts sync.Pool
}

// refKind says how a symbol reference is resolved after assembly.
type refKind uint8

const (
	refFixup refKind = iota + 1 // leaves the function: becomes a Fixup
	refProg                     // the address of a Prog in this function
	refPool                     // an offset in the literal pool
)

type ref struct {
	kind   refKind
	fixup  Fixup     // Kind and Index for refFixup
	target *obj.Prog // refProg
}

type site struct {
	p     *obj.Prog
	after bool // the return address (PC after p) rather than p's PC
	pos   int32
}

type cfiMark struct {
	p     *obj.Prog
	after bool
	row   CFIRow
}

type tableEntry struct {
	off    int // pool offset of the int32 entry
	base   int // pool offset the entry is relative to
	target *obj.Prog
}

// Emitter collects the Progs of one function with the references, sites,
// line rows and CFI marks to resolve after assembly.
type Emitter struct {
	arch        *EmitArch
	ctxt        *obj.Link
	first, last *obj.Prog
	refs        map[*obj.LSym]*ref
	poolSym     *obj.LSym
	pool        []byte
	poolConst   map[[2]uint64]int
	tables      []tableEntry
	sites       []site
	lines       []site
	cfi         []cfiMark
	errs        []string
	nsym        int
	progs       []obj.Prog // the unused rest of the current chunk of Progs
	chunks      []*[progChunk]obj.Prog
}

// progChunk is how many Progs NewProg takes at a time.
const progChunk = 256

// progChunks holds zeroed chunks of Progs that Release gave back.
var progChunks = sync.Pool{New: func() any { return new([progChunk]obj.Prog) }}

// NewProg returns a zero Prog, from the Emitter's current chunk: one
// allocation for many instructions, or none when Release gave back the
// chunks of an earlier function.
func (e *Emitter) NewProg() *obj.Prog {
	if len(e.progs) == 0 {
		c := progChunks.Get().(*[progChunk]obj.Prog)
		e.chunks = append(e.chunks, c)
		e.progs = c[:]
	}
	p := &e.progs[0]
	e.progs = e.progs[1:]
	return p
}

// Release gives the Progs back for other Emitters to reuse; nothing may
// use the Emitter, or any Prog from it, afterwards (the Compiled result
// of Assemble refers to none).
func (e *Emitter) Release() {
	for _, c := range e.chunks {
		clear(c[:])
		progChunks.Put(c)
	}
	e.chunks, e.progs, e.first, e.last = nil, nil, nil, nil
	if e.ctxt != nil {
		e.ctxt.DiagFunc = nil
		e.arch.ctxts.Put(e.ctxt)
		e.ctxt = nil
	}
}

// NewEmitter returns an empty Emitter for arch. Any diagnostic of the
// assembler becomes an error of Assemble (golang-asm mis-encodes silently
// otherwise).
func NewEmitter(arch *EmitArch) *Emitter {
	ctxt, _ := arch.ctxts.Get().(*obj.Link)
	if ctxt == nil {
		ctxt = arch.NewCtxt()
	}
	ctxt.Errors = 0
	e := &Emitter{arch: arch, ctxt: ctxt, refs: map[*obj.LSym]*ref{}, poolConst: map[[2]uint64]int{}}
	e.ctxt.DiagFunc = func(format string, args ...interface{}) {
		e.errs = append(e.errs, fmt.Sprintf(format, args...))
	}
	e.poolSym = e.newSym(&ref{kind: refPool})
	return e
}

func (e *Emitter) newSym(r *ref) *obj.LSym {
	e.nsym++
	s := &obj.LSym{Name: "wfxc.ref" + strconv.Itoa(e.nsym)}
	e.refs[s] = r
	return s
}

// Add appends a prepared Prog.
func (e *Emitter) Add(p *obj.Prog) *obj.Prog {
	p.Ctxt = e.ctxt
	if e.first == nil {
		e.first = p
	} else {
		e.last.Link = p
	}
	e.last = p
	return p
}

// Last returns the last Prog added (a placed label is one), or nil.
func (e *Emitter) Last() *obj.Prog { return e.last }

// First returns the first Prog, or nil if none was added.
func (e *Emitter) First() *obj.Prog { return e.first }

// NewLabel returns a label to be placed later with Place.
func (e *Emitter) NewLabel() *obj.Prog {
	p := e.NewProg()
	p.As = obj.ANOP
	return p
}

// Place appends a label.
func (e *Emitter) Place(l *obj.Prog) { e.Add(l) }

// Branch appends a branch instruction as (unconditional or conditional)
// to label l.
func (e *Emitter) Branch(as obj.As, l *obj.Prog) *obj.Prog {
	p := e.NewProg()
	p.As, p.To = as, obj.Addr{Type: obj.TYPE_BRANCH}
	p.To.SetTarget(l)
	return e.Add(p)
}

// CallOut appends a call or jump as to a target outside the function; its
// field becomes a Fixup.
func (e *Emitter) CallOut(as obj.As, kind TargetKind, index int) *obj.Prog {
	s := e.newSym(&ref{kind: refFixup, fixup: Fixup{Kind: kind, Index: index}})
	p := e.NewProg()
	p.As, p.To = as, obj.Addr{Type: obj.TYPE_BRANCH, Name: obj.NAME_EXTERN, Sym: s}
	return e.Add(p)
}

// ExternAddr returns a PC-relative memory operand addressing a target
// outside the function (the source of a LEA); its field becomes a Fixup.
func (e *Emitter) ExternAddr(kind TargetKind, index int) obj.Addr {
	s := e.newSym(&ref{kind: refFixup, fixup: Fixup{Kind: kind, Index: index}})
	return obj.Addr{Type: obj.TYPE_MEM, Name: obj.NAME_EXTERN, Sym: s}
}

// ProgAddr returns a PC-relative memory operand addressing label l.
func (e *Emitter) ProgAddr(l *obj.Prog) obj.Addr {
	return obj.Addr{Type: obj.TYPE_MEM, Name: obj.NAME_EXTERN, Sym: e.newSym(&ref{kind: refProg, target: l})}
}

// PoolAddr returns a PC-relative memory operand for literal-pool offset off.
func (e *Emitter) PoolAddr(off int) obj.Addr {
	return obj.Addr{Type: obj.TYPE_MEM, Name: obj.NAME_EXTERN, Sym: e.poolSym, Offset: int64(off)}
}

// ConstAddr returns the pool address of a size-byte constant (4, 8 or 16
// bytes: lo, then hi), aligned to its size; equal constants share a slot.
func (e *Emitter) ConstAddr(lo, hi uint64, size int) obj.Addr {
	key := [2]uint64{lo, hi | uint64(size)<<56}
	if off, ok := e.poolConst[key]; ok {
		return e.PoolAddr(off)
	}
	for len(e.pool)%size != 0 {
		e.pool = append(e.pool, 0)
	}
	off := len(e.pool)
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:], lo)
	binary.LittleEndian.PutUint64(b[8:], hi)
	e.pool = append(e.pool, b[:size]...)
	e.poolConst[key] = off
	return e.PoolAddr(off)
}

// JumpTable reserves a table of int32 entries in the pool, entry i holding
// the offset of targets[i] from the table start, and returns the table's
// pool offset.
func (e *Emitter) JumpTable(targets []*obj.Prog) int {
	for len(e.pool)%4 != 0 {
		e.pool = append(e.pool, 0)
	}
	base := len(e.pool)
	for _, t := range targets {
		e.tables = append(e.tables, tableEntry{off: len(e.pool), base: base, target: t})
		e.pool = append(e.pool, 0, 0, 0, 0)
	}
	return base
}

// Site records p (or the PC after p) as mapping to wasm offset pos.
func (e *Emitter) Site(p *obj.Prog, after bool, pos int32) {
	e.sites = append(e.sites, site{p: p, after: after, pos: pos})
}

// Line records that the code from label l on comes from wasm offset pos.
func (e *Emitter) Line(l *obj.Prog, pos int32) {
	e.lines = append(e.lines, site{p: l, pos: pos})
}

// CFIAfter records a CFI row that holds from the end of p (from 0 if p is nil).
func (e *Emitter) CFIAfter(p *obj.Prog, row CFIRow) {
	e.cfi = append(e.cfi, cfiMark{p: p, after: true, row: row})
}

// Assemble encodes the Progs and resolves every reference, site, line and
// CFI row. name names the result and the errors.
func (e *Emitter) Assemble(name string) (*Compiled, error) {
	if e.first == nil {
		e.Add(&obj.Prog{As: obj.ANOP})
	}
	s := &obj.LSym{Name: name, Func: &obj.FuncInfo{Text: e.first}}
	e.arch.Assemble(e.ctxt, s)
	if len(e.errs) > 0 {
		return nil, fmt.Errorf("%s: assembler: %s%s", name, e.errs[0], e.culprit())
	}
	for p := e.first; p != nil; p = p.Link {
		if p.As != obj.ANOP && p.Isize == 0 {
			return nil, fmt.Errorf("%s: assembler produced no code for %v", name, p)
		}
	}
	code := s.P
	poolBase := 0
	if len(e.pool) > 0 {
		for len(code)%16 != 0 {
			code = append(code, e.arch.Pad)
		}
		poolBase = len(code)
		code = append(code, e.pool...)
	}
	c := &Compiled{Name: name}
	for i := range s.R {
		r := &s.R[i]
		field, err := e.arch.Field(r)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", name, err)
		}
		if !field {
			continue
		}
		rf := e.refs[r.Sym]
		if rf == nil {
			return nil, fmt.Errorf("%s: unexpected relocation %v at %#x", name, r.Type, r.Off)
		}
		var target int64
		switch rf.kind {
		case refFixup:
			if r.Add != 0 {
				return nil, fmt.Errorf("%s: fixup with addend %d at %#x", name, r.Add, r.Off)
			}
			f := rf.fixup
			f.Off = uint32(r.Off)
			c.Fixups = append(c.Fixups, f)
			continue
		case refProg:
			target = rf.target.Pc
		case refPool:
			target = int64(poolBase)
		}
		e.arch.Patch(code, r, target)
	}
	for _, t := range e.tables {
		binary.LittleEndian.PutUint32(code[poolBase+t.off:], uint32(int32(t.target.Pc-int64(poolBase+t.base))))
	}
	for _, st := range e.sites {
		off := st.p.Pc
		if st.after {
			off += int64(st.p.Isize)
		}
		c.Sites = append(c.Sites, Site{Off: uint32(off), Pos: st.pos})
	}
	for _, l := range e.lines {
		off := uint32(l.p.Pc)
		if n := len(c.Lines); n > 0 && c.Lines[n-1].Off == off {
			c.Lines[n-1].Pos = l.pos // the earlier value emitted no code
			continue
		}
		if n := len(c.Lines); n > 0 && c.Lines[n-1].Pos == l.pos {
			continue
		}
		c.Lines = append(c.Lines, Site{Off: off, Pos: l.pos})
	}
	for _, m := range e.cfi {
		row := m.row
		if m.p != nil {
			row.Off = uint32(m.p.Pc + int64(m.p.Isize))
		}
		if n := len(c.CFI); n > 0 && c.CFI[n-1].Off == row.Off {
			c.CFI[n-1] = row
			continue
		}
		c.CFI = append(c.CFI, row)
	}
	c.Code = code
	return c, nil
}

// culprit finds the first Prog that fails to assemble on its own, for
// error messages.
func (e *Emitter) culprit() string {
	for p := e.first; p != nil; p = p.Link {
		if p.To.Type == obj.TYPE_BRANCH || p.As == obj.ANOP {
			continue
		}
		b := NewEmitter(e.arch)
		q := *p
		q.Link = nil
		q.From.Sym, q.To.Sym = nil, nil
		if q.From.Name == obj.NAME_EXTERN {
			q.From.Name = obj.NAME_NONE
		}
		if q.To.Name == obj.NAME_EXTERN {
			q.To.Name = obj.NAME_NONE
		}
		b.Add(&q)
		s := &obj.LSym{Func: &obj.FuncInfo{Text: b.first}}
		e.arch.Assemble(b.ctxt, s)
		if len(b.errs) > 0 {
			return fmt.Sprintf(" (in %v)", p)
		}
	}
	return ""
}
