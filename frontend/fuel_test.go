package frontend

import (
	"errors"
	"os"
	"testing"

	"wfxc/ir"
	"wfxc/rt/abi"
)

// TestFuel_specModules: with fuel metering every function of the spec
// modules still translates to valid IR, with one fuel check per poll site
// (function entry and loop headers).
func TestFuel_specModules(t *testing.T) {
	funcs := 0
	for _, file := range specModules(t, "") {
		wasm, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		m, err := DecodeAndValidate(wasm)
		if err != nil {
			continue // TestTranslate_specModules reports it
		}
		layout := abi.Layout(abi.VMCtxCounts{Memories: m.NumMemories(), Tables: m.NumTables(),
			Globals: m.NumGlobals(), ImportedFuncs: m.NumImportedFuncs, Types: len(m.Types)})
		for fn := m.NumImportedFuncs; fn < m.NumFuncs(); fn++ {
			f, err := TranslateWith(m, layout, fn, TranslateOptions{Fuel: true})
			var u *UnsupportedError
			if errors.As(err, &u) {
				continue
			}
			if err != nil {
				t.Errorf("%s: function %d: %v", file, fn, err)
				continue
			}
			funcs++
			if err := ir.Verify(f); err != nil {
				t.Fatalf("%s: function %d: %v\n%s", file, fn, err, f)
			}
			polls, checks := 0, 0
			for _, b := range f.Blocks {
				for _, v := range b.Values {
					switch {
					case v.Op == ir.OpPoll:
						polls++
					case v.Op == ir.OpFuelCheck:
						checks++
					}
				}
			}
			if polls != checks {
				t.Fatalf("%s: function %d: %d polls, %d fuel checks\n%s", file, fn, polls, checks, f)
			}
		}
	}
	if funcs == 0 {
		t.Fatal("translated no function")
	}
}
