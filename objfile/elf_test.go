package objfile

import (
	"bytes"
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"wfxc/rt/abi"
)

// parse writes o and parses the result with debug/elf.
func parse(t *testing.T, o *Object) (*elf.File, []byte) {
	t.Helper()
	b, err := Write(o)
	if err != nil {
		t.Fatalf("Write: %v", err)
	}
	f, err := elf.NewFile(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("debug/elf: %v", err)
	}
	return f, b
}

// writeTemp writes o to a file in a temporary directory and returns its path.
func writeTemp(t *testing.T, o *Object, name string) string {
	t.Helper()
	b, err := Write(o)
	if err != nil {
		t.Fatalf("Write: %v", err)
	}
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

var archCases = []struct {
	name    string
	mach    Machine
	machine elf.Machine
}{
	{"x86_64", machX86, elf.EM_X86_64},
	{"aarch64", machARM, elf.EM_AARCH64},
}

func TestWrite_sections(t *testing.T) {
	type sec struct {
		typ   elf.SectionType
		flags elf.SectionFlag
	}
	for _, ac := range archCases {
		for _, debug := range []bool{false, true} {
			name := ac.name
			if debug {
				name += "_debug"
			}
			t.Run(name, func(t *testing.T) {
				o := sampleObject(ac.mach, debug)
				f, _ := parse(t, o)
				if f.Class != elf.ELFCLASS64 || f.Data != elf.ELFDATA2LSB || f.Type != elf.ET_REL || f.Machine != ac.machine {
					t.Fatalf("header: class %v data %v type %v machine %v", f.Class, f.Data, f.Type, f.Machine)
				}
				ehType := elf.SHT_PROGBITS
				if ac.mach.Arch == abi.X86_64 {
					ehType = elf.SectionType(0x70000001) // SHT_X86_64_UNWIND
				}
				want := map[string]sec{
					".text":            {elf.SHT_PROGBITS, elf.SHF_ALLOC | elf.SHF_EXECINSTR},
					".rodata":          {elf.SHT_PROGBITS, elf.SHF_ALLOC},
					".eh_frame":        {ehType, elf.SHF_ALLOC},
					".rela.eh_frame":   {elf.SHT_RELA, elf.SHF_INFO_LINK},
					".note.GNU-stack":  {elf.SHT_PROGBITS, 0},
					".symtab":          {elf.SHT_SYMTAB, 0},
					".strtab":          {elf.SHT_STRTAB, 0},
					".shstrtab":        {elf.SHT_STRTAB, 0},
					".debug_abbrev":    {elf.SHT_PROGBITS, 0},
					".debug_info":      {elf.SHT_PROGBITS, 0},
					".rela.debug_info": {elf.SHT_RELA, elf.SHF_INFO_LINK},
					".debug_line":      {elf.SHT_PROGBITS, 0},
					".rela.debug_line": {elf.SHT_RELA, elf.SHF_INFO_LINK},
					".debug_str":       {elf.SHT_PROGBITS, elf.SHF_MERGE | elf.SHF_STRINGS},
				}
				if !debug {
					for n := range want {
						if strings.Contains(n, "debug") {
							delete(want, n)
						}
					}
				}
				got := map[string]sec{}
				for _, s := range f.Sections[1:] {
					got[s.Name] = sec{s.Type, s.Flags}
				}
				for n, w := range want {
					if g, ok := got[n]; !ok {
						t.Errorf("section %s missing", n)
					} else if g != w {
						t.Errorf("section %s: type %v flags %v, want %v %v", n, g.typ, g.flags, w.typ, w.flags)
					}
				}
				for n := range got {
					if _, ok := want[n]; !ok {
						t.Errorf("unexpected section %s", n)
					}
				}
				if s := f.Section(".note.GNU-stack"); s != nil && s.Size != 0 {
					t.Errorf(".note.GNU-stack size %d, want 0", s.Size)
				}
				text, _ := f.Section(".text").Data()
				rodata, _ := f.Section(".rodata").Data()
				if !bytes.Equal(text, o.Text) || !bytes.Equal(rodata, o.Rodata) {
					t.Errorf(".text/.rodata contents differ from the input")
				}
				if a := f.Section(".text").Addralign; a != 16 {
					t.Errorf(".text alignment %d, want 16", a)
				}
			})
		}
	}
}

// TestWrite_relocations asserts the object contract of DESIGN.md §3: only
// .eh_frame and .debug_* carry relocations, and they point at sections.
func TestWrite_relocations(t *testing.T) {
	for _, ac := range archCases {
		t.Run(ac.name, func(t *testing.T) {
			f, _ := parse(t, sampleObject(ac.mach, true))
			syms, err := f.Symbols()
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, s := range f.Sections {
				if s.Type != elf.SHT_RELA && s.Type != elf.SHT_REL {
					continue
				}
				target := f.Sections[s.Info].Name
				if target != ".eh_frame" && !strings.HasPrefix(target, ".debug_") {
					t.Errorf("%s relocates %s, want only .eh_frame and .debug_*", s.Name, target)
				}
				if s.Name != ".rela"+target {
					t.Errorf("relocation section %s applies to %s", s.Name, target)
				}
				if f.Sections[s.Link].Type != elf.SHT_SYMTAB {
					t.Errorf("%s: sh_link %d is not the symbol table", s.Name, s.Link)
				}
				data, _ := s.Data()
				for i := 0; i+24 <= len(data); i += 24 {
					n++
					info := f.ByteOrder.Uint64(data[i+8:])
					sym := syms[info>>32-1] // Symbols() drops the null symbol
					if elf.ST_TYPE(sym.Info) != elf.STT_SECTION {
						t.Errorf("%s: relocation against %q (type %v), want a section symbol", s.Name, sym.Name, elf.ST_TYPE(sym.Info))
					}
				}
			}
			if n == 0 {
				t.Fatal("no relocations at all")
			}
		})
	}
}

func TestWrite_symbols(t *testing.T) {
	type sym struct {
		name        string
		typ         elf.SymType
		bind        elf.SymBind
		section     string
		value, size uint64
	}
	for _, ac := range archCases {
		t.Run(ac.name, func(t *testing.T) {
			o := sampleObject(ac.mach, true)
			f, _ := parse(t, o)
			syms, err := f.Symbols()
			if err != nil {
				t.Fatal(err)
			}
			var got []sym
			sections := map[string]bool{}
			firstGlobal := -1
			for i, s := range syms {
				bind := elf.ST_BIND(s.Info)
				if bind == elf.STB_GLOBAL && firstGlobal < 0 {
					firstGlobal = i + 1
				}
				if bind == elf.STB_LOCAL && firstGlobal >= 0 {
					t.Errorf("local symbol %q after the first global", s.Name)
				}
				if elf.ST_TYPE(s.Info) == elf.STT_SECTION {
					sections[f.Sections[s.Section].Name] = true
					continue
				}
				if strings.HasPrefix(s.Name, "$") {
					continue
				}
				got = append(got, sym{s.Name, elf.ST_TYPE(s.Info), bind, f.Sections[s.Section].Name, s.Value, s.Size})
			}
			for _, n := range []string{".text", ".rodata", ".eh_frame", ".debug_info", ".debug_line", ".debug_abbrev", ".debug_str"} {
				if !sections[n] {
					t.Errorf("no section symbol for %s", n)
				}
			}
			if info := f.Section(".symtab").Info; int(info) != firstGlobal {
				t.Errorf(".symtab sh_info = %d, want the first global's index %d", info, firstGlobal)
			}
			callOff, callSize := uint64(16), uint64(16)
			addSize := uint64(4)
			if ac.mach.Arch == abi.AArch64 {
				callOff, callSize, addSize = 8, 32, 8
			}
			want := []sym{
				{"wasm[1]", elf.STT_FUNC, elf.STB_LOCAL, ".text", callOff, callSize},
				{"local_data", elf.STT_OBJECT, elf.STB_LOCAL, ".rodata", 0, 10},
				{"wfx_test_text", elf.STT_NOTYPE, elf.STB_GLOBAL, ".text", 0, 0},
				{"wfx_test_add", elf.STT_FUNC, elf.STB_GLOBAL, ".text", 0, addSize},
				{"wfx_test_call", elf.STT_FUNC, elf.STB_GLOBAL, ".text", callOff, callSize},
				{"wfx_test_descriptor", elf.STT_OBJECT, elf.STB_GLOBAL, ".rodata", 0, 16},
			}
			if len(got) != len(want) {
				t.Fatalf("got %d symbols %v, want %d", len(got), got, len(want))
			}
			for i := range want {
				if got[i] != want[i] {
					t.Errorf("symbol %d: got %+v, want %+v", i, got[i], want[i])
				}
			}
			if ac.mach.Arch == abi.AArch64 {
				var maps []string
				for _, s := range syms {
					if strings.HasPrefix(s.Name, "$") {
						maps = append(maps, s.Name+"@"+f.Sections[s.Section].Name)
					}
				}
				if strings.Join(maps, " ") != "$x@.text" {
					t.Errorf("mapping symbols %v, want $x@.text", maps)
				}
			}
		})
	}
}

func TestWrite_deterministic(t *testing.T) {
	for _, ac := range archCases {
		t.Run(ac.name, func(t *testing.T) {
			a, err := Write(sampleObject(ac.mach, true))
			if err != nil {
				t.Fatal(err)
			}
			b, err := Write(sampleObject(ac.mach, true))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a, b) {
				t.Fatal("two writes of the same object differ")
			}
		})
	}
}

func TestWrite_emptyObject(t *testing.T) {
	f, _ := parse(t, &Object{Machine: machX86})
	if s := f.Section(".rela.eh_frame"); s != nil {
		t.Errorf("object without FDEs has %s", s.Name)
	}
	if s := f.Section(".eh_frame"); s == nil || s.Size != 24 {
		t.Errorf(".eh_frame should hold just the 24-byte CIE, got %v", s)
	}
}

func TestWrite_errors(t *testing.T) {
	base := func() *Object { return sampleObject(machX86, true) }
	cases := []struct {
		name   string
		modify func(o *Object)
		want   string
	}{
		{"badArch", func(o *Object) { o.Machine.Arch = "mips" }, `unsupported architecture Arch("mips")`},
		{"noMachine", func(o *Object) { o.Machine = Machine{} }, `unsupported architecture Arch("")`},
		{"noELFMachine", func(o *Object) { o.Machine.ELF = 0 }, "x86_64: incomplete ELF numbering (machine 0, relocations 2/10/1"},
		{"noRelocType", func(o *Object) { o.Machine.RelAbs64 = 0 }, "incomplete ELF numbering"},
		{"noCodeAlign", func(o *Object) { o.Machine.Frame.CodeAlign = 0 }, "bad CIE alignment factors (code 0, data -8)"},
		{"dataAlign", func(o *Object) { o.Machine.Frame.DataAlign = -16 }, "bad CIE alignment factors (code 1, data -16)"},
		{"textAlign", func(o *Object) { o.TextAlign = 12 }, "not a power of two"},
		{"emptyName", func(o *Object) { o.Symbols[0].Name = "" }, "empty name"},
		{"nulName", func(o *Object) { o.Symbols[0].Name = "a\x00b" }, "NUL"},
		{"badSection", func(o *Object) { o.Symbols[0].Section = 0 }, "bad section"},
		{"symbolPastEnd", func(o *Object) { o.Symbols[1].Size = 1000 }, `"wfx_test_add": range [0, 0+1000) exceeds section size 32`},
		{"funcInRodata", func(o *Object) { o.Symbols[4].Func = true }, "function symbol in .rodata"},
		{"duplicateGlobal", func(o *Object) { o.Symbols[3].Name = "wfx_test_add" }, `global symbol "wfx_test_add" defined twice`},
		{"fdeEmpty", func(o *Object) { o.FDEs[0].Size = 0 }, "FDE 0: empty code range"},
		{"fdePastEnd", func(o *Object) { o.FDEs[0].Size = 17 }, "FDE 0: range [16, 16+17) exceeds .text size 32"},
		{"rowOutside", func(o *Object) { o.FDEs[0].Rows[3].Off = 17 }, "row 3: offset 17 outside"},
		{"rowOrder", func(o *Object) { o.FDEs[0].Rows[2].Off = 1 }, "row 2: offset 1 not after"},
		{"rowReg", func(o *Object) { o.FDEs[0].Rows[1].CFAReg = 3 }, "bad CFA register 3"},
		{"rowNegative", func(o *Object) { o.FDEs[0].Rows[1].CFAOffset = -8 }, "negative CFA offset"},
		{"fdeOverlap", func(o *Object) { o.FDEs[1].Size = 17 }, "overlap"},
		{"lineOutside", func(o *Object) { o.Lines[0].Off = 32 }, "line row 0: offset 32 outside"},
		{"lineFile", func(o *Object) { o.Lines[0].File = "" }, "bad file name"},
		{"funcOutside", func(o *Object) { o.Funcs[1].Size = 17 }, `debug function "call"`},
		{"funcName", func(o *Object) { o.Funcs[1].Name = "" }, "bad name"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := base()
			o.FDEs[0].Rows = append([]CFIRow(nil), o.FDEs[0].Rows...)
			c.modify(o)
			_, err := Write(o)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got error %v, want one containing %q", err, c.want)
			}
		})
	}
	t.Run("aarch64RowAlign", func(t *testing.T) {
		o := sampleObject(machARM, false)
		o.FDEs[0].Rows = []CFIRow{{Off: 2, CFAReg: CFASP}}
		if _, err := Write(o); err == nil || !strings.Contains(err.Error(), "not a multiple of 4") {
			t.Fatalf("got %v, want a row alignment error", err)
		}
	})
}

// runClean runs a binutils tool and fails if it fails or complains.
func runClean(t *testing.T, tool string, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		t.Skipf("%s not installed", tool)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(tool, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %v: %v\n%s%s", tool, args, err, stdout.String(), stderr.String())
	}
	if stderr.Len() > 0 {
		t.Fatalf("%s %v wrote to stderr:\n%s", tool, args, stderr.String())
	}
	for _, l := range strings.Split(stdout.String(), "\n") {
		if ll := strings.ToLower(l); strings.Contains(ll, "warning") || strings.Contains(ll, "error") {
			t.Fatalf("%s %v complained: %s", tool, args, l)
		}
	}
	return stdout.String()
}

func TestBinutils_clean(t *testing.T) {
	for _, ac := range archCases {
		t.Run(ac.name, func(t *testing.T) {
			p := writeTemp(t, sampleObject(ac.mach, true), "obj.o")
			runClean(t, "readelf", "-a", "-W", p)
			out := runClean(t, "readelf", "--debug-dump=frames,frames-interp,line,info,abbrev,str", p)
			for _, w := range []string{"CIE", "FDE", "DW_TAG_subprogram", "test.wasm"} {
				if !strings.Contains(out, w) {
					t.Errorf("readelf --debug-dump output lacks %q", w)
				}
			}
			if ac.mach.Arch == abi.X86_64 {
				out := runClean(t, "objdump", "-d", "-r", p)
				for _, w := range []string{"<wfx_test_add>:", "lea    (%rdi,%rsi,1),%eax", "<wfx_test_call>:", "call   *%rax"} {
					if !strings.Contains(out, w) {
						t.Errorf("objdump -d output lacks %q:\n%s", w, out)
					}
				}
				runClean(t, "objdump", "--dwarf=frames,info,rawline", p)
			}
		})
	}
}
