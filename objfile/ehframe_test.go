package objfile

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"wfxc/rt/abi"
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
// an FDE over [off, off+size), independently of the encoder.
func wantInterp(mach Machine, off, size uint32, rows []CFIRow) []map[string]string {
	for len(rows) > 0 && rows[len(rows)-1].Off >= size {
		rows = rows[:len(rows)-1] // describes no code
	}
	sp, fp := "rsp", "rbp"
	if mach.Arch == abi.AArch64 {
		sp, fp = "sp", "x29"
	}
	if len(rows) == 0 || rows[0].Off != 0 {
		// The CIE's entry state holds until the first row.
		rows = append([]CFIRow{mach.Frame.Entry}, rows...)
	}
	var out []map[string]string
	for _, r := range rows {
		reg := sp
		if r.CFAReg == CFAFP {
			reg = fp
		}
		cfa := fmt.Sprintf("%s+%d", reg, r.CFAOffset)
		if r.CFAExpr != "" {
			cfa = "exp"
		}
		m := map[string]string{
			"LOC": fmt.Sprintf("%016x", off+r.Off),
			"CFA": cfa,
			fp:    "u",
			"ra":  "u",
		}
		if r.FPSaved {
			m[fp] = "c-16"
			m["ra"] = "c-8"
		}
		if mach.Arch == abi.X86_64 {
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
	exprRows := func(mach Machine) []CFIRow {
		entry := mach.Frame.Entry
		return []CFIRow{
			{Off: 4, CFAExpr: mach.Frame.CFAExprDeref(CFASP, 16, 8), FPSaved: true},
			{Off: 8, CFAExpr: mach.Frame.CFAExprDeref(CFAFP, -8, 0), FPSaved: true},
			{Off: 12, CFAReg: CFAFP, CFAOffset: 16, FPSaved: true},
			{Off: 16, CFAExpr: mach.Frame.CFAExprDeref(CFAFP, -8, 0)},
			entry,
		}
	}
	xr, ar := exprRows(machX86), exprRows(machARM)
	xr[4].Off, ar[4].Off = 20, 20
	// Saved registers factored by -4 instead of -8 describe the same frames.
	x86Align4 := machX86
	x86Align4.Frame.DataAlign = -4
	// A row for the state after the final ret, as an emitter records it.
	atEnd := append(append([]CFIRow(nil), x86CallRows...), CFIRow{Off: 16, CFAReg: CFAFP, CFAOffset: 16, FPSaved: true})
	cases := []struct {
		name string
		o    *Object
	}{
		{"x86_64_rowAtEnd", &Object{Machine: machX86, Text: x86Text, FDEs: []FDE{{Off: 16, Size: 16, Rows: atEnd}}}},
		{"x86_64_expr", &Object{Machine: machX86, Text: make([]byte, 32), FDEs: []FDE{{Off: 0, Size: 32, Rows: xr}}}},
		{"aarch64_expr", &Object{Machine: machARM, Text: make([]byte, 32), FDEs: []FDE{{Off: 0, Size: 32, Rows: ar}}}},
		{"x86_64", sampleObject(machX86, false)},
		{"aarch64", sampleObject(machARM, false)},
		{"x86_64_dataAlign4", sampleObject(x86Align4, false)},
		{"x86_64_big", &Object{Machine: machX86, Text: big, FDEs: []FDE{{Off: 8, Size: 70008, Rows: bigRows}}}},
		{"aarch64_big", &Object{Machine: machARM, Text: big, FDEs: []FDE{{Off: 8, Size: 70008, Rows: arm64Rows}}}},
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
				want := wantInterp(c.o.Machine, f.Off, f.Size, f.Rows)
				if len(got) == 0 && len(want) == 1 {
					// No instructions: readelf prints no table, and the row
					// must be the CIE's entry state.
					if len(f.Rows) > 0 && f.Rows[0] != c.o.Machine.Frame.Entry {
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

func TestEhFrame_cfaExpression(t *testing.T) {
	cases := []struct {
		name string
		mach Machine
		reg  uint8
		off  int32
		add  uint32
		want string
	}{
		{"x86_64_sp", machX86, CFASP, 16, 8, "DW_CFA_def_cfa_expression (DW_OP_breg7 (rsp): 16; DW_OP_deref; DW_OP_plus_uconst: 8)"},
		{"x86_64_fp", machX86, CFAFP, -8, 0, "DW_CFA_def_cfa_expression (DW_OP_breg6 (rbp): -8; DW_OP_deref)"},
		{"aarch64_sp", machARM, CFASP, 4096, 300, "DW_CFA_def_cfa_expression (DW_OP_breg31 (sp): 4096; DW_OP_deref; DW_OP_plus_uconst: 300)"},
		{"aarch64_fp", machARM, CFAFP, -24, 16, "DW_CFA_def_cfa_expression (DW_OP_breg29 (x29): -24; DW_OP_deref; DW_OP_plus_uconst: 16)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := &Object{Machine: c.mach, Text: make([]byte, 16), FDEs: []FDE{{Size: 16, Rows: []CFIRow{
				{Off: 0, CFAExpr: c.mach.Frame.CFAExprDeref(c.reg, c.off, c.add), FPSaved: true},
				{Off: 8, CFAExpr: c.mach.Frame.CFAExprDeref(c.reg, c.off, c.add)}, // same CFA: no second expression
			}}}}
			out := runClean(t, "readelf", "--debug-dump=frames", writeTemp(t, o, "obj.o"))
			if n := strings.Count(out, c.want); n != 1 {
				t.Errorf("readelf shows %q %d times, want once:\n%s", c.want, n, out)
			}
		})
	}
}

// TestEhFrame_signalFrames: FDEs marked Signal refer to a second CIE with
// augmentation "zRS"; the others keep the first. Without signal FDEs
// there is only the first.
func TestEhFrame_signalFrames(t *testing.T) {
	rows := []CFIRow{{Off: 1, CFAReg: CFASP, CFAOffset: 16, FPSaved: true}}
	o := &Object{Machine: machX86, Text: make([]byte, 48), FDEs: []FDE{
		{Off: 0, Size: 16, Rows: rows},
		{Off: 16, Size: 16, Rows: rows, Signal: true},
		{Off: 32, Size: 16, Rows: rows},
	}}
	out := runClean(t, "readelf", "--debug-dump=frames", writeTemp(t, o, "obj.o"))
	if n := strings.Count(out, `Augmentation:          "zRS"`); n != 1 {
		t.Fatalf("%d signal CIEs, want 1:\n%s", n, out)
	}
	// The CIEs are at 0 and 0x18; readelf names each FDE's CIE.
	for _, want := range []string{"cie=00000000 pc=0000000000000000..", "cie=00000018 pc=0000000000000010..", "cie=00000000 pc=0000000000000020.."} {
		if !strings.Contains(out, want) {
			t.Errorf("readelf lacks %q:\n%s", want, out)
		}
	}
	o.FDEs[1].Signal = false
	if out := runClean(t, "readelf", "--debug-dump=frames", writeTemp(t, o, "obj.o")); strings.Contains(out, "zRS") {
		t.Errorf("a signal CIE without signal FDEs:\n%s", out)
	}
}

// TestEhFrame_registerRules: a row's Rules are emitted once, where the
// row starts (readelf decodes them), and a later row may not drop or
// change them.
func TestEhFrame_registerRules(t *testing.T) {
	rules := RuleSavedAt(16, ExprRegOffset(7, 24)) + RuleInReg(6, 0)
	o := &Object{Machine: machX86, Text: make([]byte, 16), FDEs: []FDE{{Size: 16, Rows: []CFIRow{
		{Off: 0, CFAReg: CFASP, CFAOffset: 8},
		{Off: 4, CFAExpr: CFAExprDerefReg(7, 8, 0), Rules: rules},
		{Off: 8, CFAReg: CFASP, CFAOffset: 0, Rules: rules},
	}}}}
	out := runClean(t, "readelf", "--debug-dump=frames", writeTemp(t, o, "obj.o"))
	for _, want := range []string{"DW_CFA_expression: r16 (rip) (DW_OP_breg7 (rsp): 24)", "DW_CFA_register: r6 (rbp) in r0 (rax)"} {
		if n := strings.Count(out, want); n != 1 {
			t.Errorf("readelf shows %q %d times, want once:\n%s", want, n, out)
		}
	}
	o.FDEs[0].Rows[2].Rules = ""
	if _, err := Write(o); err == nil || !strings.Contains(err.Error(), "register rules differ") {
		t.Errorf("rules dropped by a later row: err = %v, want an error", err)
	}
}
