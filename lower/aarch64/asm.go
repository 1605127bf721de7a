package aarch64

// The encoder: a thin layer over golang-asm (DESIGN.md §10). Code is built
// as a list of obj.Progs in a lower.Emitter and assembled with arm64's
// Assemble (span7) directly; the Emitter resolves sites, fixups, CFI rows,
// line rows, the literal pool and jump tables from the final PCs
// (lower/emit.go). This file holds the aarch64 parts: the arch and its
// context, the relocations, the UDF padding and the instruction and
// operand constructors.
//
// golang-asm's arm64 traps, and what this file does about them:
//   - span7 skips the first Prog of a list (it expects TEXT there):
//     Assemble puts a NOP in front. It sets no Prog's Isize, which the
//     Emitter needs for sites and CFI rows: setSizes derives them.
//   - An immediate 0 in ALU, compare and shift instructions is encoded as
//     register X0: op3 and cmp give the zero register instead (zeroReg).
//   - RET needs its register (X30) explicitly: obj7's preprocess, which
//     would fill it in, does not run.
//   - ADR to a label encodes 0 and emits no relocation: adr gives the
//     instruction a symbol, and Assemble adds a relocation of type
//     relADR for it, which the Emitter resolves like any other (patchADR).
//   - It writes X27 (REGTMP) implicitly for large constants and offsets:
//     X27 is never allocated and never holds a value across instructions.
//   - Large constants it cannot build in one instruction it loads from its
//     own literal pool, placed inside the function after an unconditional
//     branch; such loads are PC-relative (LDR literal) and need nothing.

import (
	"encoding/binary"
	"fmt"
	"sync"

	"github.com/twitchyliquid64/golang-asm/asm/arch"
	"github.com/twitchyliquid64/golang-asm/obj"
	"github.com/twitchyliquid64/golang-asm/obj/arm64"
	"github.com/twitchyliquid64/golang-asm/objabi"

	"wfxc/lower"
)

var (
	archOnce sync.Once
	arm64a   *arch.Arch
)

func initArch() {
	archOnce.Do(func() {
		arm64a = arch.Set("arm64")
		ctxt := obj.Linknew(arm64a.LinkArch)
		ctxt.Headtype = objabi.Hlinux
		ctxt.DiagFunc = func(string, ...interface{}) {}
		arm64a.Init(ctxt)
	})
}

// relADR marks the 21-bit PC-relative field of an ADR that Assemble adds
// (golang-asm emits none); its value is outside objabi's range.
const relADR objabi.RelocType = 0x7f00

// arm64Emit is the aarch64 side of lower.Emitter.
var arm64Emit = &lower.EmitArch{
	NewCtxt: func() *obj.Link {
		initArch()
		ctxt := obj.Linknew(arm64a.LinkArch)
		ctxt.Headtype = objabi.Hlinux
		return ctxt
	},
	Assemble: func(ctxt *obj.Link, s *obj.LSym) {
		s.Func.Text = &obj.Prog{As: obj.ANOP, Link: s.Func.Text, Ctxt: ctxt} // span7 skips it
		arm64a.Assemble(ctxt, s, func() *obj.Prog { return new(obj.Prog) })
		setSizes(s)
		for p := s.Func.Text; p != nil; p = p.Link {
			if p.As == arm64.AADR && p.From.Sym != nil {
				s.R = append(s.R, obj.Reloc{Off: int32(p.Pc), Siz: 4, Sym: p.From.Sym, Add: p.From.Offset, Type: relADR})
			}
		}
	},
	Pad:   0x00, // 0x00000000 is UDF #0
	Field: relocField,
	Patch: patchReloc,
}

// setSizes sets every Prog's Isize, which span7 leaves 0, from the PCs:
// the distance to the next Prog (golang-asm's pool words are Progs of
// their own, placed after unconditional branches). span7 pads the code
// with zero words to 16 bytes; setSizes cuts them off, so the last Prog
// ends at the last non-zero word (or its own first word, a UDF #0). The
// PCDATA marks span7 inserts around sequences that use X27 become NOPs.
func setSizes(s *obj.LSym) {
	var last *obj.Prog
	for p := s.Func.Text; p != nil; p = p.Link {
		if p.As == obj.APCDATA || p.As == obj.AFUNCDATA {
			p.As = obj.ANOP
		}
		if p.Link != nil {
			p.Isize = uint8(p.Link.Pc - p.Pc)
		}
		last = p
	}
	if last == nil {
		return
	}
	end := len(s.P)
	for end > int(last.Pc)+4 && binary.LittleEndian.Uint32(s.P[end-4:]) == 0 {
		end -= 4
	}
	if last.As == obj.ANOP {
		end = int(last.Pc)
	}
	last.Isize = uint8(end - int(last.Pc))
	s.P = s.P[:end]
	s.Size = int64(end)
}

// relocField accepts the relocations this back end emits: the imm26 of
// B and BL, the imm21 of ADR, and the field-less markers of indirect
// calls.
func relocField(r *obj.Reloc) (bool, error) {
	if r.Type == objabi.R_CALLIND && r.Siz == 0 {
		return false, nil
	}
	if (r.Type == objabi.R_CALLARM64 || r.Type == relADR) && r.Siz == 4 {
		return true, nil
	}
	return false, fmt.Errorf("unexpected relocation %v at %#x", r.Type, r.Off)
}

// patchReloc stores target - (the instruction's address) in r's field.
func patchReloc(code []byte, r *obj.Reloc, target int64) {
	if err := patchInsn(code, uint32(r.Off), target+r.Add-int64(r.Off)); err != nil {
		panic(err) // within one function every distance fits
	}
}

// patchInsn stores the PC-relative distance d into the B, BL or ADR
// instruction at code[at:].
func patchInsn(code []byte, at uint32, d int64) error {
	if uint64(at)+4 > uint64(len(code)) || at%4 != 0 {
		return fmt.Errorf("instruction at %#x outside the code (%#x bytes) or misaligned", at, len(code))
	}
	insn := binary.LittleEndian.Uint32(code[at:])
	switch {
	case insn&0x7c000000 == 0x14000000: // B, BL: imm26 words
		if d%4 != 0 || d < -(1<<27) || d >= 1<<27 {
			return fmt.Errorf("branch at %#x cannot reach %+d", at, d)
		}
		insn = insn&^0x03ffffff | uint32(d>>2)&0x03ffffff
	case insn&0x9f000000 == 0x10000000: // ADR: imm21 bytes
		if d < -(1<<20) || d >= 1<<20 {
			return fmt.Errorf("ADR at %#x cannot reach %+d", at, d)
		}
		insn = insn&^(3<<29|0x7ffff<<5) | uint32(d&3)<<29 | uint32(d>>2&0x7ffff)<<5
	default:
		return fmt.Errorf("no PC-relative field in %#08x at %#x", insn, at)
	}
	binary.LittleEndian.PutUint32(code[at:], insn)
	return nil
}

// asm collects Progs for one function: lower.Emitter with the aarch64
// instruction forms.
type asm struct {
	*lower.Emitter
}

// newAsm returns an empty list.
func newAsm() *asm { return &asm{lower.NewEmitter(arm64Emit)} }

// op appends "as from, to" (Go operand order: source first).
func (a *asm) op(as obj.As, from, to obj.Addr) *obj.Prog {
	return a.Add(&obj.Prog{As: as, From: from, To: to})
}

// op3 appends "as from, reg, to": to = reg op from (SUB R1, R2, R3 is
// R3 = R2 - R1).
func (a *asm) op3(as obj.As, from obj.Addr, reg int16, to obj.Addr) *obj.Prog {
	return a.Add(&obj.Prog{As: as, From: zeroReg(from, reg), Reg: reg, To: to})
}

// zeroReg replaces an immediate 0 by the zero register, unless reg is SP
// (where register 31 would mean ZR, not SP): golang-asm encodes $0 in
// ALU and shift instructions as register X0.
func zeroReg(from obj.Addr, reg int16) obj.Addr {
	if from.Type == obj.TYPE_CONST && from.Offset == 0 && reg != rSP {
		return regAddr(rZR)
	}
	return from
}

// op4 appends "as from, reg, from3, to" (MADD, MSUB, CSEL, FCSEL).
func (a *asm) op4(as obj.As, from obj.Addr, reg int16, from3 obj.Addr, to obj.Addr) *obj.Prog {
	p := &obj.Prog{As: as, From: from, Reg: reg, To: to}
	p.SetFrom3(from3)
	return a.Add(p)
}

// cmp appends CMP/CMN/FCMP: flags of reg - from.
func (a *asm) cmp(as obj.As, from obj.Addr, reg int16) *obj.Prog {
	return a.Add(&obj.Prog{As: as, From: zeroReg(from, reg), Reg: reg})
}

// ret appends RET (to X30: without a TEXT prog golang-asm does not fill
// in the register).
func (a *asm) ret() *obj.Prog { return a.Add(&obj.Prog{As: obj.ARET, To: regAddr(rLR)}) }

// op0 appends an instruction without operands.
func (a *asm) op0(as obj.As) *obj.Prog { return a.Add(&obj.Prog{As: as}) }

// adr appends ADR of a PC-relative address (an Emitter ProgAddr, PoolAddr
// or ExternAddr) into register r.
func (a *asm) adr(m obj.Addr, r int16) *obj.Prog {
	return a.Add(&obj.Prog{As: arm64.AADR, From: obj.Addr{Type: obj.TYPE_BRANCH, Sym: m.Sym, Offset: m.Offset}, To: regAddr(r)})
}

// cbz appends CBZ/CBNZ (as) of register r to label l.
func (a *asm) cbz(as obj.As, r int16, l *obj.Prog) *obj.Prog {
	p := &obj.Prog{As: as, From: regAddr(r), To: obj.Addr{Type: obj.TYPE_BRANCH}}
	p.To.SetTarget(l)
	return a.Add(p)
}

// stp appends STP (r1, r2), off(base) with index mode scond (0, C_XPRE).
func (a *asm) stp(as obj.As, r1, r2, base int16, off int64, scond uint8) *obj.Prog {
	return a.Add(&obj.Prog{As: as, Scond: scond, From: pairAddr(r1, r2), To: memAddr(base, off)})
}

// ldp appends LDP off(base), (r1, r2) with index mode scond (0, C_XPOST).
func (a *asm) ldp(as obj.As, base int16, off int64, r1, r2 int16, scond uint8) *obj.Prog {
	return a.Add(&obj.Prog{As: as, Scond: scond, From: memAddr(base, off), To: pairAddr(r1, r2)})
}

// Operand constructors.

func regAddr(r int16) obj.Addr { return obj.Addr{Type: obj.TYPE_REG, Reg: r} }
func immAddr(v int64) obj.Addr { return obj.Addr{Type: obj.TYPE_CONST, Offset: v} }
func memAddr(base int16, off int64) obj.Addr {
	return obj.Addr{Type: obj.TYPE_MEM, Reg: base, Offset: off}
}
func pairAddr(r1, r2 int16) obj.Addr {
	return obj.Addr{Type: obj.TYPE_REGREG, Reg: r1, Offset: int64(r2)}
}
func condAddr(c int16) obj.Addr { return obj.Addr{Type: obj.TYPE_REG, Reg: c} }
