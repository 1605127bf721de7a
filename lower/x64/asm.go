package x64

// The encoder: a thin layer over golang-asm (DESIGN.md §10). Code is built
// as a list of obj.Progs and assembled with the arch's Assemble (span6)
// directly. After assembly every Prog.Pc is final; sites, fixups, CFI rows,
// RIP-relative references to the literal pool and jump tables are resolved
// from those PCs. References that leave the function (calls to other
// functions and runtime routines) become lower.Fixups; references inside
// it (trap-site addresses, the literal pool) are patched here, so the
// output carries no relocations.
//
// JCC-erratum padding is off (ctxt.IsAsm = true): the fixed layout keeps
// PCs predictable and the padding would need re-measurement to be worth it.
// Loop-header alignment is off in golang-asm (maxLoopPad = 0).

import (
	"encoding/binary"
	"fmt"
	"sync"

	"github.com/twitchyliquid64/golang-asm/asm/arch"
	"github.com/twitchyliquid64/golang-asm/obj"
	"github.com/twitchyliquid64/golang-asm/obj/x86"
	"github.com/twitchyliquid64/golang-asm/objabi"

	"wfxc/lower"
)

var (
	archOnce sync.Once
	amd64    *arch.Arch
)

func initArch() {
	archOnce.Do(func() {
		amd64 = arch.Set("amd64")
		ctxt := obj.Linknew(amd64.LinkArch)
		ctxt.Headtype = objabi.Hlinux
		ctxt.DiagFunc = func(string, ...interface{}) {}
		amd64.Init(ctxt)
	})
}

// refKind says how a symbol reference is resolved after assembly.
type refKind uint8

const (
	refFixup refKind = iota + 1 // leaves the function: becomes a lower.Fixup
	refProg                     // the address of a Prog in this function
	refPool                     // an offset in the literal pool
)

type ref struct {
	kind   refKind
	fixup  lower.Fixup // Kind and Index for refFixup
	target *obj.Prog   // refProg
}

type site struct {
	p     *obj.Prog
	after bool // the return address (PC after p) rather than p's PC
	pos   int32
}

type cfiMark struct {
	p     *obj.Prog
	after bool
	row   lower.CFIRow
}

type tableEntry struct {
	off    int // pool offset of the int32 entry
	base   int // pool offset the entry is relative to
	target *obj.Prog
}

// asm collects Progs for one function.
type asm struct {
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
}

func newAsm() *asm {
	initArch()
	ctxt := obj.Linknew(amd64.LinkArch)
	ctxt.Headtype = objabi.Hlinux
	ctxt.IsAsm = true // no JCC-erratum padding
	a := &asm{ctxt: ctxt, refs: map[*obj.LSym]*ref{}, poolConst: map[[2]uint64]int{}}
	ctxt.DiagFunc = func(format string, args ...interface{}) {
		a.errs = append(a.errs, fmt.Sprintf(format, args...))
	}
	a.poolSym = a.newSym(&ref{kind: refPool})
	return a
}

func (a *asm) newSym(r *ref) *obj.LSym {
	a.nsym++
	s := &obj.LSym{Name: fmt.Sprintf("wfxc.ref%d", a.nsym)}
	a.refs[s] = r
	return s
}

// add appends a prepared Prog.
func (a *asm) add(p *obj.Prog) *obj.Prog {
	p.Ctxt = a.ctxt
	if a.first == nil {
		a.first = p
	} else {
		a.last.Link = p
	}
	a.last = p
	return p
}

// op appends "as from, to" (Go operand order: source first).
func (a *asm) op(as obj.As, from, to obj.Addr) *obj.Prog {
	return a.add(&obj.Prog{As: as, From: from, To: to})
}

// op3 appends an instruction with a middle operand (IMUL3Q $c, src, dst;
// ROUNDSD $mode, src, dst).
func (a *asm) op3(as obj.As, from, mid, to obj.Addr) *obj.Prog {
	p := &obj.Prog{As: as, From: from, To: to}
	p.SetFrom3(mid)
	return a.add(p)
}

// op0 appends an instruction without operands.
func (a *asm) op0(as obj.As) *obj.Prog { return a.add(&obj.Prog{As: as}) }

// op1 appends an instruction with only a destination operand.
func (a *asm) op1(as obj.As, to obj.Addr) *obj.Prog { return a.add(&obj.Prog{As: as, To: to}) }

// push appends PUSHQ (golang-asm takes its operand in From).
func (a *asm) push(from obj.Addr) *obj.Prog { return a.add(&obj.Prog{As: x86.APUSHQ, From: from}) }

// newLabel returns a label to be placed later with place.
func (a *asm) newLabel() *obj.Prog { return &obj.Prog{As: obj.ANOP} }

// place appends a label.
func (a *asm) place(l *obj.Prog) { a.add(l) }

// jmp appends a branch (JMP or Jcc) to label l.
func (a *asm) jmp(as obj.As, l *obj.Prog) *obj.Prog {
	p := &obj.Prog{As: as, To: obj.Addr{Type: obj.TYPE_BRANCH}}
	p.To.SetTarget(l)
	return a.add(p)
}

// callOut appends CALL or JMP rel32 to a target outside the function.
func (a *asm) callOut(as obj.As, kind lower.TargetKind, index int) *obj.Prog {
	s := a.newSym(&ref{kind: refFixup, fixup: lower.Fixup{Kind: kind, Index: index}})
	return a.add(&obj.Prog{As: as, To: obj.Addr{Type: obj.TYPE_BRANCH, Name: obj.NAME_EXTERN, Sym: s}})
}

// progAddr returns a RIP-relative memory operand addressing label l.
func (a *asm) progAddr(l *obj.Prog) obj.Addr {
	return obj.Addr{Type: obj.TYPE_MEM, Name: obj.NAME_EXTERN, Sym: a.newSym(&ref{kind: refProg, target: l})}
}

// poolAddr returns a RIP-relative memory operand for pool offset off.
func (a *asm) poolAddr(off int) obj.Addr {
	return obj.Addr{Type: obj.TYPE_MEM, Name: obj.NAME_EXTERN, Sym: a.poolSym, Offset: int64(off)}
}

// constAddr returns the pool address of a size-byte constant (4, 8 or 16).
func (a *asm) constAddr(lo, hi uint64, size int) obj.Addr {
	key := [2]uint64{lo, hi | uint64(size)<<56}
	if off, ok := a.poolConst[key]; ok {
		return a.poolAddr(off)
	}
	for len(a.pool)%size != 0 {
		a.pool = append(a.pool, 0)
	}
	off := len(a.pool)
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:], lo)
	binary.LittleEndian.PutUint64(b[8:], hi)
	a.pool = append(a.pool, b[:size]...)
	a.poolConst[key] = off
	return a.poolAddr(off)
}

// jumpTable reserves a table of int32 entries, each relative to the table
// start, and returns its pool offset.
func (a *asm) jumpTable(targets []*obj.Prog) int {
	for len(a.pool)%4 != 0 {
		a.pool = append(a.pool, 0)
	}
	base := len(a.pool)
	for _, t := range targets {
		a.tables = append(a.tables, tableEntry{off: len(a.pool), base: base, target: t})
		a.pool = append(a.pool, 0, 0, 0, 0)
	}
	return base
}

// site records p (or the PC after p) as mapping to wasm offset pos.
func (a *asm) site(p *obj.Prog, after bool, pos int32) {
	a.sites = append(a.sites, site{p: p, after: after, pos: pos})
}

// line records that the code from label l on comes from wasm offset pos.
func (a *asm) line(l *obj.Prog, pos int32) {
	a.lines = append(a.lines, site{p: l, pos: pos})
}

// cfiAfter records a CFI row that holds from the end of p (from 0 if p is nil).
func (a *asm) cfiAfter(p *obj.Prog, row lower.CFIRow) {
	a.cfi = append(a.cfi, cfiMark{p: p, after: true, row: row})
}

// assemble encodes the Progs and resolves every reference.
func (a *asm) assemble(name string) (*lower.Compiled, error) {
	if a.first == nil {
		a.op0(obj.ANOP)
	}
	s := &obj.LSym{Name: name, Func: &obj.FuncInfo{Text: a.first}}
	amd64.Assemble(a.ctxt, s, func() *obj.Prog { return new(obj.Prog) })
	if len(a.errs) > 0 {
		return nil, fmt.Errorf("%s: assembler: %s%s", name, a.errs[0], a.culprit())
	}
	for p := a.first; p != nil; p = p.Link {
		if p.As != obj.ANOP && p.Isize == 0 {
			return nil, fmt.Errorf("%s: assembler produced no code for %v", name, p)
		}
	}
	code := s.P
	poolBase := 0
	if len(a.pool) > 0 {
		for len(code)%16 != 0 {
			code = append(code, 0xCC) // int3 padding before the pool
		}
		poolBase = len(code)
		code = append(code, a.pool...)
	}
	c := &lower.Compiled{Name: name}
	for _, r := range s.R {
		if r.Type == objabi.R_CALLIND && r.Siz == 0 {
			continue // marker of an indirect call, nothing to patch
		}
		rf := a.refs[r.Sym]
		if rf == nil || r.Siz != 4 {
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
		v := target + r.Add - int64(r.Off+4)
		binary.LittleEndian.PutUint32(code[r.Off:], uint32(int32(v)))
	}
	for _, t := range a.tables {
		binary.LittleEndian.PutUint32(code[poolBase+t.off:], uint32(int32(t.target.Pc-int64(poolBase+t.base))))
	}
	for _, st := range a.sites {
		off := st.p.Pc
		if st.after {
			off += int64(st.p.Isize)
		}
		c.Sites = append(c.Sites, lower.Site{Off: uint32(off), Pos: st.pos})
	}
	for _, l := range a.lines {
		off := uint32(l.p.Pc)
		if n := len(c.Lines); n > 0 && c.Lines[n-1].Off == off {
			c.Lines[n-1].Pos = l.pos // the earlier value emitted no code
			continue
		}
		if n := len(c.Lines); n > 0 && c.Lines[n-1].Pos == l.pos {
			continue
		}
		c.Lines = append(c.Lines, lower.Site{Off: off, Pos: l.pos})
	}
	for _, m := range a.cfi {
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

// Operand constructors.

func regAddr(r int16) obj.Addr { return obj.Addr{Type: obj.TYPE_REG, Reg: r} }
func immAddr(v int64) obj.Addr { return obj.Addr{Type: obj.TYPE_CONST, Offset: v} }
func memAddr(base int16, off int64) obj.Addr {
	return obj.Addr{Type: obj.TYPE_MEM, Reg: base, Offset: off}
}
func memIndex(base, index int16, scale int16, off int64) obj.Addr {
	return obj.Addr{Type: obj.TYPE_MEM, Reg: base, Index: index, Scale: scale, Offset: off}
}

// culprit finds the first Prog that fails to assemble on its own, for
// error messages.
func (a *asm) culprit() string {
	for p := a.first; p != nil; p = p.Link {
		if p.To.Type == obj.TYPE_BRANCH || p.As == obj.ANOP {
			continue
		}
		b := newAsm()
		q := *p
		q.Link = nil
		q.From.Sym, q.To.Sym = nil, nil
		if q.From.Name == obj.NAME_EXTERN {
			q.From.Name = obj.NAME_NONE
		}
		if q.To.Name == obj.NAME_EXTERN {
			q.To.Name = obj.NAME_NONE
		}
		b.add(&q)
		s := &obj.LSym{Func: &obj.FuncInfo{Text: b.first}}
		amd64.Assemble(b.ctxt, s, func() *obj.Prog { return new(obj.Prog) })
		if len(b.errs) > 0 {
			return fmt.Sprintf(" (in %v)", p)
		}
	}
	return ""
}
