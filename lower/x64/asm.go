package x64

// The encoder: a thin layer over golang-asm (DESIGN.md §10). Code is built
// as a list of obj.Progs in a lower.Emitter and assembled with amd64's
// Assemble (span6) directly; the Emitter resolves sites, fixups, CFI rows,
// line rows, the literal pool and jump tables from the final PCs
// (lower/emit.go). This file holds the x86-64 parts: the arch and its
// context, the rel32 relocations golang-asm emits, the int3 padding
// before the pool, and the instruction and operand constructors.
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

// amd64Emit is the x86-64 side of lower.Emitter.
var amd64Emit = &lower.EmitArch{
	NewCtxt: func() *obj.Link {
		initArch()
		ctxt := obj.Linknew(amd64.LinkArch)
		ctxt.Headtype = objabi.Hlinux
		ctxt.IsAsm = true // no JCC-erratum padding
		return ctxt
	},
	Assemble: func(ctxt *obj.Link, s *obj.LSym) {
		amd64.Assemble(ctxt, s, func() *obj.Prog { return new(obj.Prog) })
	},
	Pad:   0xCC, // int3
	Field: rel32Field,
	Patch: patchRel32,
}

// rel32Field accepts the relocations golang-asm emits for this back end:
// rel32 fields of calls, jumps and RIP-relative operands, and the
// field-less markers of indirect calls.
func rel32Field(r *obj.Reloc) (bool, error) {
	if r.Type == objabi.R_CALLIND && r.Siz == 0 {
		return false, nil // marker of an indirect call, nothing to patch
	}
	if r.Siz != 4 {
		return false, fmt.Errorf("unexpected relocation %v at %#x", r.Type, r.Off)
	}
	return true, nil
}

// patchRel32 stores target - (end of the field) in r's rel32 field.
func patchRel32(code []byte, r *obj.Reloc, target int64) {
	v := target + r.Add - int64(r.Off+4)
	binary.LittleEndian.PutUint32(code[r.Off:], uint32(int32(v)))
}

// asm collects Progs for one function: lower.Emitter with the x86-64
// instruction forms.
type asm struct {
	*lower.Emitter
}

func newAsm() *asm { return &asm{lower.NewEmitter(amd64Emit)} }

// op appends "as from, to" (Go operand order: source first).
func (a *asm) op(as obj.As, from, to obj.Addr) *obj.Prog {
	p := a.NewProg()
	p.As, p.From, p.To = as, from, to
	return a.Add(p)
}

// op3 appends an instruction with a middle operand (IMUL3Q $c, src, dst;
// ROUNDSD $mode, src, dst).
func (a *asm) op3(as obj.As, from, mid, to obj.Addr) *obj.Prog {
	p := a.NewProg()
	p.As, p.From, p.To = as, from, to
	p.SetFrom3(mid)
	return a.Add(p)
}

// op0 appends an instruction without operands.
func (a *asm) op0(as obj.As) *obj.Prog {
	p := a.NewProg()
	p.As = as
	return a.Add(p)
}

// op1 appends an instruction with only a destination operand.
func (a *asm) op1(as obj.As, to obj.Addr) *obj.Prog {
	p := a.NewProg()
	p.As, p.To = as, to
	return a.Add(p)
}

// push appends PUSHQ (golang-asm takes its operand in From).
func (a *asm) push(from obj.Addr) *obj.Prog {
	p := a.NewProg()
	p.As, p.From = x86.APUSHQ, from
	return a.Add(p)
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
