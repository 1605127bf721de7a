package lower

import (
	"encoding/binary"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/twitchyliquid64/golang-asm/obj"
)

// toyArch is a made-up ISA for the Emitter's tests: every instruction but
// NOP is 4 bytes (its opcode, then 0xEE filler); an operand naming a symbol
// becomes a 4-byte relocation at the instruction's offset, PC-relative to
// the instruction's end. Opcode toyBad makes the assembler complain.
var toyArch = &EmitArch{
	NewCtxt: func() *obj.Link { return &obj.Link{} },
	Assemble: func(ctxt *obj.Link, s *obj.LSym) {
		pc := int64(0)
		for p := s.Func.Text; p != nil; p = p.Link {
			p.Pc = pc
			if p.As == obj.ANOP {
				continue
			}
			if p.As == toyBad {
				ctxt.Diag("bad instruction")
			}
			p.Isize = 4
			s.P = append(s.P, byte(p.As), 0xEE, 0xEE, 0xEE)
			for _, a := range []obj.Addr{p.From, p.To} {
				if a.Sym != nil {
					s.R = append(s.R, obj.Reloc{Off: int32(pc), Siz: 4, Add: a.Offset, Sym: a.Sym})
				}
			}
			pc += 4
		}
	},
	Pad: 0x99,
	Field: func(r *obj.Reloc) (bool, error) {
		if r.Siz != 4 {
			return false, fmt.Errorf("size %d", r.Siz)
		}
		return true, nil
	},
	Patch: func(code []byte, r *obj.Reloc, target int64) {
		binary.LittleEndian.PutUint32(code[r.Off:], uint32(int32(target+r.Add-int64(r.Off+4))))
	},
}

const (
	toyOp  obj.As = obj.A_ARCHSPECIFIC + 1
	toyBad obj.As = obj.A_ARCHSPECIFIC + 2
)

func le32(code []byte, off int) int32 { return int32(binary.LittleEndian.Uint32(code[off:])) }

func TestEmitter_resolve(t *testing.T) {
	e := NewEmitter(toyArch)
	l := e.NewLabel()
	e.CFIAfter(nil, CFIRow{CFAReg: CFARegSP, CFAOffset: 8})
	p0 := e.Add(&obj.Prog{As: toyOp, From: e.ConstAddr(0x1122, 0, 8)}) // 0x0: pool offset 0
	e.CFIAfter(p0, CFIRow{CFAReg: CFARegSP, CFAOffset: 16})
	br := e.Branch(toyOp, l) // 0x4
	e.Site(br, false, 7)
	e.Add(&obj.Prog{As: toyOp, From: e.ConstAddr(0x1122, 0, 8)}) // 0x8: the same constant
	e.Add(&obj.Prog{As: toyOp, From: e.ConstAddr(0x33, 0, 4)})   // 0xc: pool offset 8
	call := e.CallOut(toyOp, TargetFunc, 5)                      // 0x10
	e.Site(call, true, 9)
	m := e.NewLabel()
	e.Place(m)
	e.Line(m, 20)
	e.Line(m, 21)                                      // same PC: replaces @20
	tab := e.JumpTable([]*obj.Prog{l, m})              // pool offset 12
	e.Add(&obj.Prog{As: toyOp, From: e.PoolAddr(tab)}) // 0x14
	e.Place(l)
	e.Line(l, 21)                                    // same wasm offset: no new row
	e.Add(&obj.Prog{As: toyOp, From: e.ProgAddr(m)}) // 0x18
	p := e.Add(&obj.Prog{As: toyOp})                 // 0x1c
	e.CFIAfter(p, CFIRow{CFAReg: CFARegFP, CFAOffset: 16})
	c, err := e.Assemble("f")
	if err != nil {
		t.Fatal(err)
	}
	const poolBase = 0x20 // the code is 32 bytes: already 16-aligned
	if len(c.Code) != poolBase+20 {
		t.Fatalf("code is %d bytes, want %d", len(c.Code), poolBase+20)
	}
	refs := []struct {
		name      string
		at        int
		want, add int64
	}{
		{"const", 0x0, poolBase + 0, 0},
		{"sharedConst", 0x8, poolBase + 0, 0},
		{"const4", 0xc, poolBase + 8, 0},
		{"table", 0x14, poolBase + 12, 0},
		{"label", 0x18, 0x14, 0},
	}
	for _, r := range refs {
		if got := int64(le32(c.Code, r.at)) + int64(r.at+4); got != r.want {
			t.Errorf("%s at %#x refers to %#x, want %#x", r.name, r.at, got, r.want)
		}
	}
	if got := binary.LittleEndian.Uint64(c.Code[poolBase:]); got != 0x1122 {
		t.Errorf("pool[0] = %#x, want 0x1122", got)
	}
	if got := binary.LittleEndian.Uint32(c.Code[poolBase+8:]); got != 0x33 {
		t.Errorf("pool[8] = %#x, want 0x33", got)
	}
	if a, b := le32(c.Code, poolBase+12), le32(c.Code, poolBase+16); a != 0x18-(poolBase+12) || b != 0x14-(poolBase+12) {
		t.Errorf("jump table = %#x, %#x, want offsets of 0x18 and 0x14 from the table", a, b)
	}
	if got := c.Code[0x10:0x14]; got[0] != byte(toyOp) || got[1] != 0xEE {
		t.Errorf("fixup field was patched: % x", got)
	}
	want := &Compiled{
		Name:   "f",
		Code:   c.Code,
		Fixups: []Fixup{{Off: 0x10, Kind: TargetFunc, Index: 5}},
		Sites:  []Site{{Off: 0x4, Pos: 7}, {Off: 0x14, Pos: 9}},
		CFI: []CFIRow{
			{Off: 0, CFAReg: CFARegSP, CFAOffset: 8},
			{Off: 4, CFAReg: CFARegSP, CFAOffset: 16},
			{Off: 0x20, CFAReg: CFARegFP, CFAOffset: 16},
		},
		Lines: []Site{{Off: 0x14, Pos: 21}},
	}
	if diff := cmp.Diff(want, c); diff != "" {
		t.Errorf("Assemble (-want +got):\n%s", diff)
	}
}

func TestEmitter_padding(t *testing.T) {
	e := NewEmitter(toyArch)
	e.Add(&obj.Prog{As: toyOp, From: e.ConstAddr(1, 2, 16)})
	c, err := e.Assemble("f")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Code) != 32 || c.Code[4] != 0x99 || c.Code[15] != 0x99 {
		t.Fatalf("code % x, want 4 bytes, Pad to 16, then the 16-byte constant", c.Code)
	}
	if le32(c.Code, 0)+4 != 16 {
		t.Errorf("constant at %#x, want 0x10", le32(c.Code, 0)+4)
	}
}

func TestEmitter_errors(t *testing.T) {
	tests := []struct {
		name  string
		build func(e *Emitter)
		want  string
	}{
		{"diagnostic", func(e *Emitter) {
			e.Add(&obj.Prog{As: toyOp})
			e.Add(&obj.Prog{As: toyBad})
		}, "f: assembler: bad instruction (in "},
		{"foreignSymbol", func(e *Emitter) {
			e.Add(&obj.Prog{As: toyOp, From: obj.Addr{Type: obj.TYPE_MEM, Name: obj.NAME_EXTERN, Sym: &obj.LSym{Name: "x"}}})
		}, "f: unexpected relocation"},
		{"fixupAddend", func(e *Emitter) {
			p := e.CallOut(toyOp, TargetRuntime, RuntimeTrap)
			p.To.Offset = 8
		}, "f: fixup with addend 8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := NewEmitter(toyArch)
			tt.build(e)
			_, err := e.Assemble("f")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestEmitter_empty(t *testing.T) {
	c, err := NewEmitter(toyArch).Assemble("empty")
	if err != nil || len(c.Code) != 0 || c.Name != "empty" {
		t.Fatalf("got %+v, %v; want empty code", c, err)
	}
}
