package backends_test

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/arch/arm64/arm64asm"
	"golang.org/x/arch/x86/x86asm"

	"wfxc/compile"
	"wfxc/ir"
	"wfxc/lower"
	"wfxc/lower/backends"
	"wfxc/objfile"
	"wfxc/rt/abi"
)

func TestFor(t *testing.T) {
	tests := []struct {
		name string
		arch abi.Arch
		want string // error; "" = a back end for arch
	}{
		{"x86_64", abi.X86_64, ""},
		{"aarch64", abi.AArch64, ""},
		{"unknown", "riscv", `unknown target "riscv" (want x86_64 or aarch64)`},
		{"none", "", `unknown target "" (want x86_64 or aarch64)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			be, err := backends.For(tt.arch)
			if tt.want != "" {
				if err == nil || err.Error() != tt.want {
					t.Fatalf("For(%q) = %v, %v; want error %q", string(tt.arch), be, err, tt.want)
				}
				return
			}
			if err != nil || be.Arch() != tt.arch || be.Machine().Arch != tt.arch {
				t.Fatalf("For(%q) = %v, %v", string(tt.arch), be, err)
			}
		})
	}
}

// facts is what the conformance test knows of an architecture
// independently of its back end.
type facts struct {
	machine elf.Machine
	// calls returns the targets of the direct calls in text[from:to].
	calls func(text []byte, from, to uint32) []uint32
	// traps reports whether code is a run of trapping instructions.
	traps func(code []byte) bool
	// ref returns the target a patched fixup at text[at:] refers to.
	ref func(text []byte, at uint32) uint32
	// What readelf shows: the CIE line of frames-interp, the names of the
	// CFA registers (SP, FP), the relocation types and the .eh_frame type.
	cie         string
	sp, fp      string
	relocs      []string
	ehFrameType string
}

var archFacts = map[abi.Arch]facts{
	abi.X86_64: {
		machine: elf.EM_X86_64,
		calls: func(text []byte, from, to uint32) []uint32 {
			var out []uint32
			for off := from; off < to; {
				inst, err := x86asm.Decode(text[off:to], 64)
				if err != nil {
					break
				}
				if rel, ok := inst.Args[0].(x86asm.Rel); inst.Op == x86asm.CALL && ok {
					out = append(out, uint32(int64(off)+int64(inst.Len)+int64(rel)))
				}
				off += uint32(inst.Len)
			}
			return out
		},
		traps: func(code []byte) bool {
			for off := 0; off < len(code); {
				inst, err := x86asm.Decode(code[off:], 64)
				if err != nil || inst.Op != x86asm.INT || inst.Args[0] != x86asm.Imm(3) {
					return false
				}
				off += inst.Len
			}
			return true
		},
		ref: func(text []byte, at uint32) uint32 {
			return uint32(int64(at) + 4 + int64(int32(binary.LittleEndian.Uint32(text[at:]))))
		},
		// x86-64 psABI: DWARF registers 6 rbp, 7 rsp, 16 return address;
		// instructions are bytes, saved registers 8-byte words.
		cie: `CIE "zR" cf=1 df=-8 ra=16`, sp: "rsp", fp: "rbp",
		relocs:      []string{"R_X86_64_PC32", "R_X86_64_32", "R_X86_64_64"},
		ehFrameType: "X86_64_UNWIND",
	},
	abi.AArch64: {
		machine: elf.EM_AARCH64,
		calls: func(text []byte, from, to uint32) []uint32 {
			var out []uint32
			for off := from; off+4 <= to; off += 4 {
				inst, err := arm64asm.Decode(text[off:])
				if err != nil || inst.Op != arm64asm.BL {
					continue
				}
				if rel, ok := inst.Args[0].(arm64asm.PCRel); ok {
					out = append(out, uint32(int64(off)+int64(rel)))
				}
			}
			return out
		},
		traps: func(code []byte) bool {
			for off := 0; off+4 <= len(code); off += 4 {
				if binary.LittleEndian.Uint32(code[off:]) != 0 { // UDF #0
					return false
				}
			}
			return len(code)%4 == 0
		},
		ref: func(text []byte, at uint32) uint32 {
			insn := binary.LittleEndian.Uint32(text[at:])
			if insn&0x9f000000 == 0x10000000 { // ADR: imm21
				imm := int64(insn>>29&3) | int64(insn>>5&0x7ffff)<<2
				return uint32(int64(at) + imm<<43>>43)
			}
			return uint32(int64(at) + int64(int32(insn<<6))>>4) // B, BL: imm26 words
		},
		// DWARF for the Arm 64-bit Architecture: 29 x29, 30 the return
		// address (x30), 31 sp; instructions are 4-byte words.
		cie: `CIE "zR" cf=4 df=-8 ra=30`, sp: "sp", fp: "x29",
		relocs:      []string{"R_AARCH64_PREL32", "R_AARCH64_ABS32", "R_AARCH64_ABS64"},
		ehFrameType: "PROGBITS",
	},
}

// supported returns the back ends For provides, each with its facts.
func supported(t *testing.T) map[abi.Arch]lower.Backend {
	out := map[abi.Arch]lower.Backend{}
	for _, a := range abi.Archs {
		be, err := backends.For(a)
		if err != nil {
			continue // not implemented yet (TestFor checks the error)
		}
		if _, ok := archFacts[a]; !ok {
			t.Fatalf("%v: no facts for the conformance test", a)
		}
		out[a] = be
	}
	if len(out) == 0 {
		t.Fatal("no back end")
	}
	return out
}

// checkCompiled checks the shape every piece of code has: a name, code,
// fixups inside it that refer to something that exists.
func checkCompiled(t *testing.T, what string, c *lower.Compiled) {
	t.Helper()
	if c == nil || c.Name == "" || len(c.Code) == 0 {
		t.Fatalf("%s: %+v", what, c)
	}
	for _, fx := range c.Fixups {
		if fx.Off >= uint32(len(c.Code)) {
			t.Errorf("%s: fixup at %d outside %d bytes", what, fx.Off, len(c.Code))
		}
		switch fx.Kind {
		case lower.TargetFunc:
			if fx.Index < 0 {
				t.Errorf("%s: fixup to function %d", what, fx.Index)
			}
		case lower.TargetRuntime:
			if fx.Index < 0 || fx.Index >= lower.NumRuntime {
				t.Errorf("%s: fixup to runtime routine %d", what, fx.Index)
			}
		default:
			t.Errorf("%s: fixup of kind %d", what, fx.Kind)
		}
	}
	for _, s := range c.Sites {
		if s.Off > uint32(len(c.Code)) {
			t.Errorf("%s: site at %d outside %d bytes", what, s.Off, len(c.Code))
		}
	}
}

const callerSrc = `
func callee(i64) -> (i64) index 1 {
b0:
  v0 = vmctx : i64
  v1 = param [0] : i64
  return v1
}

func caller(i64) -> (i64) index 2 {
b0:
  v0 = vmctx : i64
  v1 = param [0] : i64
  v2 = call v0 v1 [1] : i64
  v3 = call v0 v2 [1] : i64
  return v3
}
`

// TestBackend_code: the runtime routines, wrappers, stubs and functions
// of every back end, and their fixups once patched.
func TestBackend_code(t *testing.T) {
	funcs, err := ir.ParseFuncs(callerSrc)
	if err != nil {
		t.Fatal(err)
	}
	for a, be := range supported(t) {
		t.Run(a.String(), func(t *testing.T) {
			rts := be.Runtime()
			for i, c := range rts {
				checkCompiled(t, fmt.Sprintf("runtime routine %d", i), c)
			}
			sigs := [][2][]ir.Type{{nil, nil}, {{ir.I32, ir.I64, ir.F32, ir.F64}, {ir.F64, ir.I32}}}
			for _, s := range sigs {
				checkCompiled(t, "wrapper", be.Wrapper("w", s[0], s[1], 3))
				checkCompiled(t, "host-call stub", be.HostCallStub("s", s[0], s[1], 0))
			}
			caller, err := be.CompileFunc(funcs[1])
			if err != nil {
				t.Fatal(err)
			}
			checkCompiled(t, "caller", caller)
			calls := 0
			for _, fx := range caller.Fixups {
				if fx.Kind == lower.TargetFunc && fx.Index == 1 {
					calls++
				}
			}
			if calls != 2 {
				t.Errorf("caller has %d fixups to the callee, want 2", calls)
			}
			if _, err := be.CompileFunc(ir.NewFunc("bad", 7, []ir.Type{ir.Tuple}, nil)); err == nil || !strings.Contains(err.Error(), "function 7 (bad)") {
				t.Errorf("CompileFunc of bad IR: %v, want an error naming the function", err)
			}

			// Lay out the caller after a gap and patch its fixups as the
			// driver does; each reference then reaches its target.
			f := archFacts[a]
			align := be.CodeAlign()
			if align <= 0 || align&(align-1) != 0 {
				t.Fatalf("CodeAlign %d, want a power of two", align)
			}
			text := be.Pad(nil, align)
			if len(text) != align || !f.traps(text) {
				t.Fatalf("Pad(%d) = % x, want %d bytes that trap", align, text, align)
			}
			off := uint32(len(text))
			text = append(text, caller.Code...)
			if got := be.Pad(append([]byte(nil), text...), 2*align); !bytes.Equal(got[:len(text)], text) || len(got) != len(text)+2*align || !f.traps(got[len(text):]) {
				t.Fatalf("Pad appends wrongly")
			}
			for i, fx := range caller.Fixups {
				target := uint32(i) * uint32(align) // anywhere in the text
				if err := be.PatchFixup(text, off+fx.Off, target); err != nil {
					t.Fatal(err)
				}
				if got := f.ref(text, off+fx.Off); got != target {
					t.Errorf("fixup %d refers to %d, want %d", i, got, target)
				}
			}
			if err := be.PatchFixup(text, uint32(len(text)-1), 0); err == nil {
				t.Errorf("PatchFixup at the last byte of the text succeeded")
			}
			if err := be.PatchFixup(text, uint32(len(text)+8), 0); err == nil {
				t.Errorf("PatchFixup outside the text succeeded")
			}
		})
	}
}

// TestBackend_registers: the register file the allocator gets.
func TestBackend_registers(t *testing.T) {
	for a, be := range supported(t) {
		t.Run(a.String(), func(t *testing.T) {
			c := be.Registers()
			if c.Class == nil || c.Clobbers == nil || c.NoReg != nil || c.Hint != nil {
				t.Fatalf("Registers: Class %v, Clobbers %v, NoReg %v, Hint %v; want the first two only",
					c.Class != nil, c.Clobbers != nil, c.NoReg != nil, c.Hint != nil)
			}
			var all lower.RegSet
			for cl, rs := range c.Regs {
				if len(rs) == 0 {
					t.Errorf("class %d: no registers", cl)
				}
				for _, r := range rs {
					if r < 0 || r >= 64 || all.Has(r) {
						t.Errorf("class %d: register %d out of range or listed twice", cl, r)
					}
					all |= 1 << uint(r)
				}
			}
			if c.CalleeSaved == 0 || c.CalleeSaved&^all != 0 {
				t.Errorf("callee-saved %#x, want a non-empty subset of the allocatable %#x", c.CalleeSaved, all)
			}
			for _, tc := range []struct {
				t    ir.Type
				want lower.RegClass
			}{{ir.I32, lower.ClassInt}, {ir.I64, lower.ClassInt}, {ir.Ref, lower.ClassInt}, {ir.F32, lower.ClassFloat}, {ir.F64, lower.ClassFloat}} {
				if cl, ok := c.Class(tc.t); !ok || cl != tc.want {
					t.Errorf("Class(%v) = %v, %v; want %v", tc.t, cl, ok, tc.want)
				}
			}
			// A call clobbers every allocatable register that is not
			// callee-saved, and none that is.
			funcs, err := ir.ParseFuncs(callerSrc)
			if err != nil {
				t.Fatal(err)
			}
			var call *ir.Value
			for _, v := range funcs[1].Entry().Values {
				if v.Op == ir.OpCall {
					call = v
				}
			}
			if got := c.Clobbers(call) & all; got != all&^c.CalleeSaved {
				t.Errorf("a call clobbers %#x of the allocatable registers, want %#x", got, all&^c.CalleeSaved)
			}
			// The caller's copy is its own.
			c.Regs[0][0] = -1
			if be.Registers().Regs[0][0] == -1 {
				t.Errorf("Registers returns shared slices")
			}
		})
	}
}

// TestBackend_machine writes the runtime routines with their CFI into an
// object with the back end's Machine and checks with debug/elf and
// readelf what the object says: the ELF machine, the CIE's alignment
// factors and return address column, and the CFA registers.
func TestBackend_machine(t *testing.T) {
	if _, err := exec.LookPath("readelf"); err != nil {
		t.Skip("readelf not installed")
	}
	for a, be := range supported(t) {
		t.Run(a.String(), func(t *testing.T) {
			m, f := be.Machine(), archFacts[a]
			o := &objfile.Object{Machine: m, TextAlign: be.CodeAlign(), Name: "t"}
			var text []byte
			for i, c := range be.Runtime() {
				if gap := -len(text) & (be.CodeAlign() - 1); gap > 0 {
					text = be.Pad(text, gap)
				}
				off := uint32(len(text))
				text = append(text, c.Code...)
				o.Symbols = append(o.Symbols, objfile.Symbol{Name: fmt.Sprintf("rt%d", i), Section: objfile.SecText, Off: uint64(off), Size: uint64(len(c.Code)), Func: true})
				if len(c.CFI) > 0 {
					fde := objfile.FDE{Off: off, Size: uint32(len(c.Code)), Signal: c.SignalFrame}
					for _, r := range c.CFI {
						fde.Rows = append(fde.Rows, objfile.CFIRow{Off: r.Off, CFAReg: r.CFAReg, CFAOffset: r.CFAOffset, FPSaved: r.FPSaved, CFAExpr: r.CFAExpr, Rules: r.Rules})
					}
					o.FDEs = append(o.FDEs, fde)
				}
			}
			o.Text = text
			o.Lines = []objfile.LineRow{{Off: 0, File: "t.wasm", Line: 1}}
			b, err := objfile.Write(o)
			if err != nil {
				t.Fatal(err)
			}
			ef, err := elf.NewFile(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			if ef.Machine != f.machine {
				t.Errorf("ELF machine %v, want %v", ef.Machine, f.machine)
			}
			if _, err := ef.DWARF(); err != nil {
				t.Errorf("debug/dwarf cannot apply the relocations: %v", err)
			}
			p := filepath.Join(t.TempDir(), "t.o")
			if err := os.WriteFile(p, b, 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command("readelf", "--debug-dump=frames-interp", "-S", "-r", p).CombinedOutput()
			if err != nil || strings.Contains(string(out), "Warning") {
				t.Fatalf("readelf: %v\n%s", err, out)
			}
			wants := []string{
				f.cie + "\n",
				" " + f.sp + "+", " " + f.fp + "+", // CFA rules of the routines' frames
				".eh_frame         " + f.ehFrameType,
			}
			for _, r := range f.relocs {
				wants = append(wants, " "+r+" ")
			}
			for _, want := range wants {
				if !strings.Contains(string(out), want) {
					t.Errorf("readelf output lacks %q:\n%s", want, out)
				}
			}
		})
	}
}

// TestBackend_linked compiles fib through the driver and checks, with the
// architecture's own decoding, that fib's two recursive calls reach fib.
func TestBackend_linked(t *testing.T) {
	wasm, err := os.ReadFile("../../examples/fib/fib.wasm")
	if err != nil {
		t.Fatal(err)
	}
	for a := range supported(t) {
		t.Run(a.String(), func(t *testing.T) {
			r, err := compile.Compile(wasm, compile.Options{Name: "fib", Target: a})
			if err != nil {
				t.Fatal(err)
			}
			if r.Descriptor.Arch != a {
				t.Errorf("descriptor arch %v, want %v", r.Descriptor.Arch, a)
			}
			fib := r.Descriptor.Funcs[1]
			self := 0
			for _, target := range archFacts[a].calls(r.Text, fib.Code, fib.Code+fib.Size) {
				if target == fib.Code {
					self++
				}
			}
			if self != 2 {
				t.Errorf("%d calls from fib reach fib, want 2", self)
			}
		})
	}
}
