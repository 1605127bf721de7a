package gen

import (
	"bytes"
	"testing"

	"wfxc/frontend"
)

var testConfigs = []struct {
	name string
	cfg  Config
}{
	{"default", Config{}},
	{"allFeatures", Config{Tables: true, MemoryGrow: true, BulkMemory: true, StackOverflow: true, HostCalls: true, TailCalls: true}},
	{"small", Config{Funcs: 1, MaxStmts: 1, MaxDepth: 1}},
	{"big", Config{Funcs: 8, MaxStmts: 7, MaxDepth: 5}},
}

func TestModule_validates(t *testing.T) {
	n := 1000
	if testing.Short() {
		n = 100
	}
	for _, tc := range testConfigs {
		t.Run(tc.name, func(t *testing.T) {
			for seed := int64(0); seed < int64(n); seed++ {
				wasm := Module(seed, tc.cfg)
				m, err := frontend.DecodeAndValidate(wasm)
				if err != nil {
					t.Fatalf("seed %d: %v", seed, err)
				}
				want := tc.cfg.withDefaults().Funcs
				if got := len(m.Funcs); got != want {
					t.Fatalf("seed %d: %d functions, want %d", seed, got, want)
				}
			}
		})
	}
}

func TestModule_deterministic(t *testing.T) {
	for _, tc := range testConfigs {
		t.Run(tc.name, func(t *testing.T) {
			for seed := int64(0); seed < 20; seed++ {
				a, b := Module(seed, tc.cfg), Module(seed, tc.cfg)
				if !bytes.Equal(a, b) {
					t.Fatalf("seed %d: two calls gave different modules", seed)
				}
			}
			if bytes.Equal(Module(1, tc.cfg), Module(2, tc.cfg)) {
				t.Errorf("seeds 1 and 2 gave the same module")
			}
		})
	}
}

// TestModule_features checks that the feature flags control the sections
// and instructions that appear.
func TestModule_features(t *testing.T) {
	for _, tc := range []struct {
		name      string
		cfg       Config
		wantTable bool
		wantMax   bool
		wantCount bool
		wantHost  bool
	}{
		{"none", Config{}, false, false, false, false},
		{"tables", Config{Tables: true}, true, false, false, false},
		{"grow", Config{MemoryGrow: true}, false, true, false, false},
		{"bulk", Config{BulkMemory: true}, false, false, true, false},
		{"host", Config{HostCalls: true}, false, false, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for seed := int64(0); seed < 20; seed++ {
				m, err := frontend.Decode(Module(seed, tc.cfg))
				if err != nil {
					t.Fatalf("seed %d: %v", seed, err)
				}
				if got := len(m.Tables) > 0; got != tc.wantTable {
					t.Errorf("seed %d: has table = %v, want %v", seed, got, tc.wantTable)
				}
				if got := m.Memories[0].HasMax; got != tc.wantMax {
					t.Errorf("seed %d: memory has max = %v, want %v", seed, got, tc.wantMax)
				}
				if got := m.DataCount >= 0; got != tc.wantCount {
					t.Errorf("seed %d: has data count = %v, want %v", seed, got, tc.wantCount)
				}
				if got := m.NumImportedFuncs > 0; got != tc.wantHost {
					t.Errorf("seed %d: imports functions = %v, want %v", seed, got, tc.wantHost)
				}
			}
		})
	}
}

func TestModule_exports(t *testing.T) {
	for _, tc := range testConfigs {
		t.Run(tc.name, func(t *testing.T) {
			m, err := frontend.Decode(Module(7, tc.cfg))
			if err != nil {
				t.Fatal(err)
			}
			names := map[string]bool{}
			for _, e := range m.Exports {
				names[e.Name] = true
			}
			for _, want := range append(RunExports(tc.cfg), "mem", "budget") {
				if !names[want] {
					t.Errorf("no export %q (have %v)", want, names)
				}
			}
		})
	}
}

func TestOps_complete(t *testing.T) {
	// 0x45…0xC4 is every scalar numeric opcode of wasm 1.0 + sign
	// extension; 0xFC 0…7 the saturating truncations.
	seen := map[string]bool{}
	for _, o := range numOps {
		k := string(o.enc)
		if seen[k] {
			t.Errorf("%s: encoding % x listed twice", o.name, o.enc)
		}
		seen[k] = true
	}
	for c := 0x45; c <= 0xC4; c++ {
		if !seen[string([]byte{byte(c)})] {
			t.Errorf("opcode %#x missing from numOps", c)
		}
	}
	for s := 0; s < 8; s++ {
		if !seen[string([]byte{0xFC, byte(s)})] {
			t.Errorf("opcode 0xfc %d missing from numOps", s)
		}
	}
}
