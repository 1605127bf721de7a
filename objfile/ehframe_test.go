package objfile

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// interpTable parses `readelf --debug-dump=frames-interp` output into one
// table per FDE, keyed by the FDE's start address; each row maps a column
// name (LOC, CFA, rbp, x29, ra, …) to its rule.
func interpTable(t *testing.T, out string) map[uint64][]map[string]string {
	t.Helper()
	tables := map[uint64][]map[string]string{}
	var cur uint64
	inFDE := false
	var cols []string
	for _, l := range strings.Split(out, "\n") {
		f := strings.Fields(l)
		switch {
		case len(f) >= 6 && f[3] == "FDE":
			pc := strings.TrimPrefix(f[5], "pc=")
			i := strings.Index(pc, "..")
			if i < 0 {
				t.Fatalf("bad FDE line %q", l)
			}
			start, err := strconv.ParseUint(pc[:i], 16, 64)
			if err != nil {
				t.Fatalf("bad FDE line %q", l)
			}
			cur, inFDE = start, true
			tables[cur] = nil
		case len(f) >= 4 && f[3] == "CIE":
			inFDE = false
		case len(f) > 0 && f[0] == "LOC":
			cols = f
		case inFDE && len(f) == len(cols) && len(f) > 0:
			row := map[string]string{}
			for i, c := range cols {
				row[c] = f[i]
			}
			tables[cur] = append(tables[cur], row)
		}
	}
	return tables
}

// wantInterp returns the readelf frames-interp rows that describe rows of
// an FDE starting at off, independently of the encoder.
func wantInterp(arch Arch, off uint32, rows []CFIRow) []map[string]string {
	sp, fp := "rsp", "rbp"
	if arch == AArch64 {
		sp, fp = "sp", "x29"
	}
	var out []map[string]string
	for _, r := range rows {
		reg := sp
		if r.CFAReg == CFAFP {
			reg = fp
		}
		m := map[string]string{
			"LOC": fmt.Sprintf("%016x", off+r.Off),
			"CFA": fmt.Sprintf("%s+%d", reg, r.CFAOffset),
			fp:    "u",
			"ra":  "u",
		}
		if r.FPSaved {
			m[fp] = "c-16"
			m["ra"] = "c-8"
		}
		if arch == X86_64 {
			m["ra"] = "c-8"
		}
		out = append(out, m)
	}
	return out
}

func TestEhFrame_readelfRows(t *testing.T) {
	big := make([]byte, 70016)
	bigRows := []CFIRow{
		{Off: 0, CFAReg: CFASP, CFAOffset: 8},
		{Off: 4, CFAReg: CFASP, CFAOffset: 16, FPSaved: true},     // advance_loc
		{Off: 200, CFAReg: CFAFP, CFAOffset: 16, FPSaved: true},   // advance_loc1
		{Off: 4000, CFAReg: CFAFP, CFAOffset: 200, FPSaved: true}, // advance_loc2, def_cfa_offset
		{Off: 69996, CFAReg: CFASP, CFAOffset: 8},                 // advance_loc4, def_cfa + restore
		{Off: 70000, CFAReg: CFASP, CFAOffset: 1000},              // large offset
	}
	arm64Rows := append([]CFIRow(nil), bigRows...)
	arm64Rows[0].CFAOffset = 0
	cases := []struct {
		name string
		o    *Object
	}{
		{"x86_64", sampleObject(X86_64, false)},
		{"aarch64", sampleObject(AArch64, false)},
		{"x86_64_big", &Object{Arch: X86_64, Text: big, FDEs: []FDE{{Off: 8, Size: 70008, Rows: bigRows}}}},
		{"aarch64_big", &Object{Arch: AArch64, Text: big, FDEs: []FDE{{Off: 8, Size: 70008, Rows: arm64Rows}}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := writeTemp(t, c.o, "obj.o")
			tables := interpTable(t, runClean(t, "readelf", "--debug-dump=frames-interp", p))
			if len(tables) != len(c.o.FDEs) {
				t.Fatalf("readelf shows %d FDEs, want %d", len(tables), len(c.o.FDEs))
			}
			for _, f := range c.o.FDEs {
				got, ok := tables[uint64(f.Off)]
				if !ok {
					t.Fatalf("no FDE at %#x", f.Off)
				}
				want := wantInterp(c.o.Arch, f.Off, f.Rows)
				if len(got) == 0 && len(want) == 1 {
					// No instructions: readelf prints no table, and the row
					// must be the CIE's entry state.
					if f.Rows[0] != frameArchs[c.o.Arch].entry {
						t.Errorf("FDE %#x: no table for a non-entry row %+v", f.Off, f.Rows[0])
					}
					continue
				}
				if len(got) != len(want) {
					t.Fatalf("FDE %#x: %d rows %v, want %d %v", f.Off, len(got), got, len(want), want)
				}
				for i := range want {
					for k, w := range want[i] {
						g, ok := got[i][k]
						if !ok {
							g = "u" // column never mentioned
						}
						if g != w {
							t.Errorf("FDE %#x row %d column %s: %s, want %s", f.Off, i, k, g, w)
						}
					}
				}
			}
		})
	}
}
