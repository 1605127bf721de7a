package objfile

import (
	"debug/dwarf"
	"errors"
	"io"
	"testing"
)

// lineAt returns the file and line debug/dwarf maps pc to.
func lineAt(t *testing.T, d *dwarf.Data, pc uint64) (string, int) {
	t.Helper()
	r := d.Reader()
	cu, err := r.Next()
	if err != nil || cu == nil {
		t.Fatalf("no compilation unit: %v", err)
	}
	lr, err := d.LineReader(cu)
	if err != nil || lr == nil {
		t.Fatalf("no line table: %v", err)
	}
	var e dwarf.LineEntry
	if err := lr.SeekPC(pc, &e); err != nil {
		if errors.Is(err, dwarf.ErrUnknownPC) {
			return "", -1
		}
		t.Fatalf("SeekPC(%#x): %v", pc, err)
	}
	return e.File.Name, e.Line
}

func TestDWARF_lines(t *testing.T) {
	for _, ac := range archCases {
		t.Run(ac.name, func(t *testing.T) {
			o := sampleObject(ac.mach, true)
			f, _ := parse(t, o)
			d, err := f.DWARF()
			if err != nil {
				t.Fatalf("DWARF: %v", err)
			}
			// Every byte of .text maps to the last row at or before it.
			for pc := uint64(0); pc < uint64(len(o.Text)); pc++ {
				wantFile, wantLine := "", -1
				for _, r := range o.Lines {
					if uint64(r.Off) <= pc {
						wantFile, wantLine = r.File, int(r.Line)
					}
				}
				file, line := lineAt(t, d, pc)
				if file != wantFile || line != wantLine {
					t.Errorf("pc %#x: %s:%d, want %s:%d", pc, file, line, wantFile, wantLine)
				}
			}
			if file, line := lineAt(t, d, uint64(len(o.Text))); line != -1 {
				t.Errorf("pc past .text maps to %s:%d", file, line)
			}
		})
	}
}

func TestDWARF_lineEncodings(t *testing.T) {
	// Rows that exercise special opcodes, advance_line both ways, large
	// address steps, line 0, repeated offsets and unsorted input.
	text := make([]byte, 5000)
	rows := []LineRow{
		{Off: 4000, File: "b.wasm", Line: 1},
		{Off: 0, File: "a.wasm", Line: 0},
		{Off: 1, File: "a.wasm", Line: 8},
		{Off: 2, File: "a.wasm", Line: 3},
		{Off: 20, File: "a.wasm", Line: 4},
		{Off: 300, File: "a.wasm", Line: 4000000000},
		{Off: 301, File: "b.wasm", Line: 2},
		{Off: 301, File: "b.wasm", Line: 5},
	}
	o := &Object{Machine: machX86, Text: text, Lines: rows}
	f, _ := parse(t, o)
	d, err := f.DWARF()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		pc   uint64
		file string
		line int
	}{
		{0, "a.wasm", 0}, {1, "a.wasm", 8}, {2, "a.wasm", 3}, {19, "a.wasm", 3}, {20, "a.wasm", 4},
		{299, "a.wasm", 4}, {300, "a.wasm", 4000000000}, {301, "b.wasm", 5}, {3999, "b.wasm", 5},
		{4000, "b.wasm", 1}, {4999, "b.wasm", 1},
	}
	for _, c := range cases {
		if file, line := lineAt(t, d, c.pc); file != c.file || line != c.line {
			t.Errorf("pc %d: %s:%d, want %s:%d", c.pc, file, line, c.file, c.line)
		}
	}
}

func TestDWARF_subprograms(t *testing.T) {
	type fn struct {
		name      string
		low, high uint64
	}
	for _, ac := range archCases {
		t.Run(ac.name, func(t *testing.T) {
			o := sampleObject(ac.mach, true)
			f, _ := parse(t, o)
			d, err := f.DWARF()
			if err != nil {
				t.Fatal(err)
			}
			r := d.Reader()
			var got []fn
			var cu *dwarf.Entry
			for {
				e, err := r.Next()
				if err == io.EOF || e == nil {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				switch e.Tag {
				case dwarf.TagCompileUnit:
					cu = e
				case dwarf.TagSubprogram:
					rs, err := d.Ranges(e)
					if err != nil || len(rs) != 1 {
						t.Fatalf("ranges of %v: %v %v", e, rs, err)
					}
					got = append(got, fn{e.Val(dwarf.AttrName).(string), rs[0][0], rs[0][1]})
				}
			}
			if cu == nil {
				t.Fatal("no compile unit")
			}
			if n := cu.Val(dwarf.AttrName); n != "test" {
				t.Errorf("CU name %v, want test", n)
			}
			if rs, err := d.Ranges(cu); err != nil || len(rs) != 1 || rs[0] != [2]uint64{0, uint64(len(o.Text))} {
				t.Errorf("CU ranges %v %v, want [0 %d]", rs, err, len(o.Text))
			}
			var want []fn
			for _, f := range o.Funcs {
				want = append(want, fn{f.Name, uint64(f.Off), uint64(f.Off + f.Size)})
			}
			if len(got) != len(want) {
				t.Fatalf("subprograms %v, want %v", got, want)
			}
			for i := range want {
				if got[i] != want[i] {
					t.Errorf("subprogram %d: %v, want %v", i, got[i], want[i])
				}
			}
		})
	}
}

func TestDWARF_funcsWithoutLines(t *testing.T) {
	o := sampleObject(machX86, true)
	o.Lines = nil
	f, _ := parse(t, o)
	for _, n := range []string{".debug_line", ".rela.debug_line"} {
		if f.Section(n) != nil {
			t.Errorf("%s present without line rows", n)
		}
	}
	if f.Section(".debug_info") == nil || f.Section(".debug_str") == nil {
		t.Errorf(".debug_info or .debug_str missing")
	}
	d, err := f.DWARF()
	if err != nil {
		t.Fatal(err)
	}
	cu, err := d.Reader().Next()
	if err != nil || cu == nil {
		t.Fatalf("no CU: %v", err)
	}
	if cu.Val(dwarf.AttrStmtList) != nil {
		t.Errorf("CU has DW_AT_stmt_list without line rows")
	}
	runClean(t, "readelf", "--debug-dump=info,line", writeTemp(t, o, "obj.o"))
}

// TestDWARF_sourceRows: rows that end a sequence leave the code after them
// without a line (a new sequence starts at the next row), prologue_end
// marks are kept, and the unit carries the source language.
func TestDWARF_sourceRows(t *testing.T) {
	o := &Object{Machine: machX86, Text: make([]byte, 100), Language: 0x1d, Lines: []LineRow{
		{Off: 0, File: "/src/a.c", Line: 3},
		{Off: 10, File: "/src/a.c", Line: 4, PrologueEnd: true},
		{Off: 30, End: true},
		{Off: 50, File: "/src/b.c", Line: 9},
		{Off: 60, File: "/src/b.c", Line: 10, PrologueEnd: true},
		{Off: 70, End: true},
		{Off: 70, End: true}, // a second end at the same place adds nothing
	}}
	f, _ := parse(t, o)
	d, err := f.DWARF()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		pc   uint64
		file string
		line int
	}{
		{0, "/src/a.c", 3}, {9, "/src/a.c", 3}, {10, "/src/a.c", 4}, {29, "/src/a.c", 4}, {30, "", -1}, {49, "", -1},
		{50, "/src/b.c", 9}, {60, "/src/b.c", 10}, {69, "/src/b.c", 10}, {70, "", -1}, {99, "", -1},
	}
	for _, c := range cases {
		if file, line := lineAt(t, d, c.pc); file != c.file || line != c.line {
			t.Errorf("pc %d: %s:%d, want %s:%d", c.pc, file, line, c.file, c.line)
		}
	}
	cu, err := d.Reader().Next()
	if err != nil || cu == nil {
		t.Fatalf("no CU: %v", err)
	}
	if l := cu.Val(dwarf.AttrLanguage); l != int64(0x1d) {
		t.Errorf("CU language %v, want 0x1d (C11)", l)
	}
	lr, err := d.LineReader(cu)
	if err != nil {
		t.Fatal(err)
	}
	var e dwarf.LineEntry
	var ends []uint64
	for lr.Next(&e) == nil {
		if e.PrologueEnd {
			ends = append(ends, e.Address)
		}
	}
	if len(ends) != 2 || ends[0] != 10 || ends[1] != 60 {
		t.Errorf("prologue ends at %v, want [10 60]", ends)
	}
	runClean(t, "readelf", "--debug-dump=info,line", writeTemp(t, o, "obj.o"))
}
