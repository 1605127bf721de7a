package frontend

import (
	"os"
	"path/filepath"
	"testing"
)

// TestSourceMap_deep reads the DWARF that clang -g wrote into deep.wasm
// (rt/e2e/testdata/debug): rows map module offsets to deep.c lines (with
// llvm-dwarfdump --debug-line's addresses, offsets from the code
// section's contents), subprograms give names, and offsets outside every
// sequence have no position.
func TestSourceMap_deep(t *testing.T) {
	wasm, err := os.ReadFile(filepath.Join("..", "rt", "e2e", "testdata", "debug", "deep.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := DecodeAndValidate(wasm)
	if err != nil {
		t.Fatal(err)
	}
	sm, err := ReadSourceMap(m)
	if err != nil || sm == nil {
		t.Fatalf("ReadSourceMap: %v, %v", sm, err)
	}
	if sm.Language != 0x0c { // DW_LANG_C99, of crt1-reactor.c, the first unit
		t.Errorf("language %#x, want 0xc", sm.Language)
	}
	cases := []struct {
		addr        int // DWARF address (llvm-dwarfdump --debug-line deep.wasm)
		file        string
		line        uint32
		prologueEnd bool
		fn          string
	}{
		{0x0e, "deep.c", 18, false, "leaf"},
		{0x2b, "deep.c", 19, true, "leaf"},
		{0x30, "deep.c", 19, true, "leaf"}, // in the row that starts at 0x2b
		{0x33, "deep.c", 19, false, "leaf"},
		{0x9b, "deep.c", 24, true, "middle"},
		{0x1b1, "deep.c", 34, false, "run"},
	}
	for _, c := range cases {
		p, ok := sm.At(m.CodeOffset + c.addr)
		if !ok || filepath.Base(p.File) != c.file || p.Line != c.line || p.PrologueEnd != c.prologueEnd {
			t.Errorf("At(%#x) = %+v, %v; want %s:%d prologue_end %v", c.addr, p, ok, c.file, c.line, c.prologueEnd)
		}
		if fn := sm.FuncName(m.CodeOffset + c.addr); fn != c.fn {
			t.Errorf("FuncName(%#x) = %q, want %q", c.addr, fn, c.fn)
		}
	}
	// 0x1b2 ends the last sequence; offset 0 is before the code section.
	for _, pos := range []int{m.CodeOffset + 0x1b2, 0} {
		if p, ok := sm.At(pos); ok {
			t.Errorf("At(%d) = %+v, want no position", pos, p)
		}
	}
}

// TestSourceMap_none: a module without DWARF has no source map, and
// malformed DWARF is an error, not a panic.
func TestSourceMap_none(t *testing.T) {
	m := &Module{}
	if sm, err := ReadSourceMap(m); sm != nil || err != nil {
		t.Errorf("no DWARF: %v, %v; want nil, nil", sm, err)
	}
	m.Customs = []Custom{{Name: ".debug_info", Data: []byte{0xff, 0xff}}, {Name: ".debug_line", Data: []byte{1}}}
	if sm, err := ReadSourceMap(m); sm != nil || err == nil {
		t.Errorf("malformed DWARF: %v, %v; want an error", sm, err)
	}
}
