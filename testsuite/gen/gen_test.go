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
	{"exceptions", Config{Exceptions: true}},
	{"stackSwitching", Config{Funcs: 7, StackSwitching: true}},
	{"everything", Config{Funcs: 7, Tables: true, MemoryGrow: true, BulkMemory: true, StackOverflow: true, HostCalls: true,
		TailCalls: true, Exceptions: true, StackSwitching: true}},
	{"smallEverything", Config{Funcs: 2, MaxStmts: 1, MaxDepth: 1, Tables: true, Exceptions: true, StackSwitching: true}},
	{"simd", Config{SIMD: true, Tables: true, MemoryGrow: true, BulkMemory: true}},
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
			want := append(RunExports(tc.cfg), "mem", "budget")
			if tc.cfg.Exceptions || tc.cfg.StackSwitching {
				want = append(want, "tag0")
			}
			for _, want := range want {
				if !names[want] {
					t.Errorf("no export %q (have %v)", want, names)
				}
			}
			for _, e := range m.Exports {
				if e.Kind == frontend.ExternFunc {
					for _, p := range m.FuncType(e.Index).Params {
						if p.IsRef() {
							t.Errorf("export %s takes a reference", e.Name)
						}
					}
				}
				if e.Kind == frontend.ExternGlobal && m.GlobalType(e.Index).Type.IsRef() {
					t.Errorf("exported global %s holds a reference", e.Name)
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

// instrsOf returns the names of the instructions, catch clause kinds
// ("catch_ref" …) and handler clause kinds ("(on $t $l)", "(on $t switch)")
// in m's code.
func instrsOf(t *testing.T, m *frontend.Module) map[string]bool {
	t.Helper()
	seen := map[string]bool{}
	catches := []string{"catch", "catch_ref", "catch_all", "catch_all_ref"}
	for _, code := range m.Codes {
		ir := frontend.NewInstrReader(code.Body, code.BodyOffset)
		for !ir.EOF() {
			in, err := ir.Next()
			if err != nil {
				t.Fatal(err)
			}
			seen[frontend.OpName(in.Op, in.Sub)] = true
			if in.Op == frontend.OpTryTable {
				for _, c := range in.Catches {
					seen[catches[c.Kind]] = true
				}
			}
			if in.Op >= frontend.OpResume && in.Op <= frontend.OpResumeThrowRef {
				for _, h := range in.Handlers {
					if h.Switch {
						seen["(on $t switch)"] = true
					} else {
						seen["(on $t $l)"] = true
					}
				}
			}
		}
	}
	return seen
}

// TestModule_refFeatures checks that the exception and stack-switching
// flags bring in every instruction and clause kind they are about, and
// that without them none appears.
func TestModule_refFeatures(t *testing.T) {
	exn := []string{"throw", "throw_ref", "try_table", "catch", "catch_ref", "catch_all", "catch_all_ref"}
	cont := []string{"cont.new", "cont.bind", "suspend", "resume", "switch", "(on $t $l)", "(on $t switch)"}
	both := []string{"resume_throw", "resume_throw_ref"}
	for _, tc := range []struct {
		name      string
		cfg       Config
		want, not []string
	}{
		{"none", Config{Tables: true, TailCalls: true, HostCalls: true}, nil, append(append(exn, cont...), both...)},
		{"exceptions", Config{Exceptions: true}, exn, append(cont, both...)},
		{"stackSwitching", Config{Funcs: 7, StackSwitching: true}, cont, append(exn, both...)},
		{"both", Config{Funcs: 7, Exceptions: true, StackSwitching: true}, append(append(exn, cont...), both...), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			const n = 40
			count := map[string]int{}
			for seed := int64(0); seed < n; seed++ {
				m, err := frontend.Decode(Module(seed, tc.cfg))
				if err != nil {
					t.Fatalf("seed %d: %v", seed, err)
				}
				for k := range instrsOf(t, m) {
					count[k]++
				}
			}
			for _, w := range tc.want {
				if count[w] < n/4 {
					t.Errorf("%s in %d of %d modules, want at least %d", w, count[w], n, n/4)
				}
			}
			for _, w := range tc.not {
				if count[w] > 0 {
					t.Errorf("%s in %d modules, want none", w, count[w])
				}
			}
		})
	}
}
