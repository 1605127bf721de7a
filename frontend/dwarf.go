// The module's own DWARF: the .debug_* custom sections that clang -g and
// rustc write for wasm32 (https://yurydelendik.github.io/webassembly-dwarf/).
// Their addresses are byte offsets from the start of the code section's
// contents (Module.CodeOffset), so an instruction at module offset pos has
// the address pos-CodeOffset.
//
// SourceMap reads the line programs of every compilation unit and the
// subprograms' names with Go's debug/dwarf, which takes the sections of any
// container, and answers "which file:line is the instruction at pos" by a
// binary search over the rows. A module without .debug_info and .debug_line
// has no SourceMap; malformed DWARF is reported and the caller goes on
// without it (the code never depends on it).
//
// For example the rows of deep.c {0x0e 12} {0x2b 13} {0x75 end_sequence}
// map the instruction at address 0x30 to deep.c:13 and 0x75 to nothing.

package frontend

import (
	"debug/dwarf"
	"errors"
	"fmt"
	"io"
	"sort"
)

// SourcePos is a position in a source file of the module.
type SourcePos struct {
	File string // the path as the DWARF records it, joined with its directory
	Line uint32 // 1-based; 0 means the code has no line (DWARF's line 0)
	// PrologueEnd says the row starts right after the function's
	// prologue, where a debugger puts a breakpoint on the function.
	PrologueEnd bool
	Addr        uint64 // the DWARF address where the row starts
}

// SourceMap maps module byte offsets to source positions through the
// module's DWARF.
type SourceMap struct {
	// Language is the DW_AT_language of the module's first compilation
	// unit that has one (DW_LANG_C11 = 0x1d, …), or 0.
	Language uint16
	base     int         // Module.CodeOffset
	rows     []sourceRow // by address; a row without a file ends a sequence
	funcs    []sourceFunc
}

type sourceRow struct {
	addr uint64
	pos  SourcePos
	end  bool // the address after a sequence: no position from here
}

type sourceFunc struct {
	low, high uint64
	name      string
}

// ReadSourceMap reads the source line table of m's DWARF. It returns nil and
// no error when m carries no .debug_info or no .debug_line.
func ReadSourceMap(m *Module) (*SourceMap, error) {
	secs := map[string][]byte{}
	for _, c := range m.Customs {
		if len(c.Name) > 7 && c.Name[:7] == ".debug_" {
			if _, dup := secs[c.Name]; !dup {
				secs[c.Name] = c.Data
			}
		}
	}
	if secs[".debug_info"] == nil || secs[".debug_line"] == nil {
		return nil, nil
	}
	d, err := dwarf.New(secs[".debug_abbrev"], secs[".debug_aranges"], nil, secs[".debug_info"],
		secs[".debug_line"], nil, secs[".debug_ranges"], secs[".debug_str"])
	if err != nil {
		return nil, fmt.Errorf("module DWARF: %w", err)
	}
	for _, name := range []string{".debug_addr", ".debug_line_str", ".debug_str_offsets", ".debug_rnglists"} {
		if b := secs[name]; b != nil {
			if err := d.AddSection(name, b); err != nil {
				return nil, fmt.Errorf("module DWARF: %w", err)
			}
		}
	}
	sm := &SourceMap{base: m.CodeOffset}
	r := d.Reader()
	for {
		e, err := r.Next()
		if err != nil {
			return nil, fmt.Errorf("module DWARF: %w", err)
		}
		if e == nil {
			break
		}
		switch e.Tag {
		case dwarf.TagCompileUnit:
			if l, ok := e.Val(dwarf.AttrLanguage).(int64); ok && sm.Language == 0 && l > 0 && l <= 0xffff {
				sm.Language = uint16(l)
			}
			if err := sm.readLines(d, e); err != nil {
				return nil, fmt.Errorf("module DWARF: %w", err)
			}
		case dwarf.TagSubprogram:
			sm.readFunc(d, e)
		}
		if e.Tag != dwarf.TagCompileUnit && e.Children {
			r.SkipChildren() // nested functions and inlined copies are not described
		}
	}
	sort.SliceStable(sm.rows, func(i, j int) bool { return sm.rows[i].addr < sm.rows[j].addr })
	sort.SliceStable(sm.funcs, func(i, j int) bool { return sm.funcs[i].low < sm.funcs[j].low })
	return sm, nil
}

// readLines appends the rows of the line program of compilation unit cu.
func (sm *SourceMap) readLines(d *dwarf.Data, cu *dwarf.Entry) error {
	lr, err := d.LineReader(cu)
	if err != nil || lr == nil {
		return err
	}
	var le dwarf.LineEntry
	for {
		if err := lr.Next(&le); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		// The linker's tombstone for the code of discarded functions.
		if le.Address == 0xffffffff || le.Address == 0xfffffffe {
			continue
		}
		row := sourceRow{addr: le.Address, end: le.EndSequence}
		if !le.EndSequence && le.File != nil {
			row.pos = SourcePos{File: le.File.Name, Line: uint32(le.Line), PrologueEnd: le.PrologueEnd, Addr: le.Address}
		} else {
			row.end = true
		}
		sm.rows = append(sm.rows, row)
	}
}

// readFunc records the name and code range of a subprogram, if it has them.
func (sm *SourceMap) readFunc(d *dwarf.Data, e *dwarf.Entry) {
	name, _ := e.Val(dwarf.AttrName).(string)
	if name == "" {
		return
	}
	ranges, err := d.Ranges(e)
	if err != nil {
		return
	}
	for _, rg := range ranges {
		if rg[0] < rg[1] && rg[0] != 0xffffffff && rg[0] != 0xfffffffe {
			sm.funcs = append(sm.funcs, sourceFunc{low: rg[0], high: rg[1], name: name})
		}
	}
}

// At returns the source position of the instruction at module byte offset
// pos, and false when no row covers it.
func (sm *SourceMap) At(pos int) (SourcePos, bool) {
	a := pos - sm.base
	if a < 0 {
		return SourcePos{}, false
	}
	i := sort.Search(len(sm.rows), func(i int) bool { return sm.rows[i].addr > uint64(a) }) - 1
	// Several sequences may meet at one address: the last row at or before
	// a wins unless it ends a sequence that another row starts there.
	for j := i; j >= 0 && sm.rows[j].addr == sm.rows[i].addr; j-- {
		if !sm.rows[j].end {
			return sm.rows[j].pos, true
		}
	}
	return SourcePos{}, false
}

// FuncName returns the name of the subprogram whose code contains module
// byte offset pos, or "".
func (sm *SourceMap) FuncName(pos int) string {
	a := uint64(pos - sm.base)
	if pos < sm.base {
		return ""
	}
	i := sort.Search(len(sm.funcs), func(i int) bool { return sm.funcs[i].low > a }) - 1
	if i >= 0 && a < sm.funcs[i].high {
		return sm.funcs[i].name
	}
	return ""
}
