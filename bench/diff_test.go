package bench

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/tetratelabs/wazero"

	"wfxc/testsuite/gen"
	"wfxc/testsuite/refexec"
)

// TestDiff_referenceSelfCheck runs generated modules on wazero's compiler
// against its interpreter: two independent wazero engines must agree,
// which checks the generator's determinism argument (NaN handling) and
// the harness itself.
func TestDiff_referenceSelfCheck(t *testing.T) {
	n := int64(60)
	if testing.Short() {
		n = 15
	}
	for name, cfg := range FuzzFeatures {
		if NeedsRefexec(cfg) {
			continue // wazero has neither exceptions nor stack switching
		}
		t.Run("features="+name, func(t *testing.T) {
			counts := map[Status]int{}
			for seed := int64(0); seed < n; seed++ {
				o := Diff(seed, gen.Module(seed, cfg), WazeroCompiler, WazeroInterpreter)
				counts[o.Status]++
				if o.Status != StatusOK {
					t.Errorf("seed %d: %s: %s", seed, o.Status, o.Detail)
				}
			}
			t.Logf("%v", counts)
		})
	}
}

// TestDiff_wfxc runs a few generated modules of every feature set on
// wfxc against its reference (the long run is cmd/difffuzz). Modules
// using features wfxc lacks count as unsupported, not as failures; every
// mismatch fails (the open bugs of testdata/regress/open are replayed by
// TestDiff_openBugs, not excused here).
func TestDiff_wfxc(t *testing.T) {
	const n = 12
	for name, cfg := range FuzzFeatures {
		t.Run("features="+name, func(t *testing.T) {
			unsupported := 0
			for seed := int64(0); seed < n; seed++ {
				o := Diff(seed, gen.Module(seed, cfg), Wfxc, Reference(name, false))
				switch {
				case o.Status == StatusUnsupported:
					unsupported++
				case o.Status == StatusOK:
				default:
					t.Errorf("seed %d: %s: %s\nrepro: cd bench && go run ./cmd/difffuzz -seed %d -features %q", seed, o.Status, o.Detail, seed, name)
				}
			}
			if unsupported > 0 {
				t.Logf("%d of %d modules use features wfxc does not support yet", unsupported, n)
			}
		})
	}
}

// regressFile reads a kept module <seed>[-<features>].wasm and returns
// its seed and the reference for its feature set.
func regressFile(t *testing.T, file string) (int64, []byte, Engine) {
	t.Helper()
	name := strings.TrimSuffix(filepath.Base(file), ".wasm")
	seedText, features, _ := strings.Cut(name, "-")
	seed, err := strconv.ParseInt(seedText, 10, 64)
	if err != nil {
		t.Fatalf("file name %s does not start with a seed", file)
	}
	wasm, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return seed, wasm, Reference(features, false)
}

// TestDiff_regressions replays every module kept in testdata/regress: a
// file <seed>[-<features>].wasm is a module that once made wfxc and the
// reference disagree; the seed gives the arguments, the feature set the
// reference (refexec for exn and cont).
func TestDiff_regressions(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "regress", "*.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			seed, wasm, ref := regressFile(t, file)
			o := Diff(seed, wasm, Wfxc, ref)
			if o.Status != StatusOK {
				t.Errorf("%s: %s\nrepro: %s", o.Status, o.Detail, Repro(file, o))
			}
		})
	}
}

// TestDiff_openBugs replays testdata/regress/open: mismatches found in
// wfxc and not fixed yet (README.md there says what each is). Each must
// still fail; when one passes, the bug is fixed: move the file up to
// testdata/regress, where it guards against the bug's return.
func TestDiff_openBugs(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "regress", "open", "*.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			seed, wasm, ref := regressFile(t, file)
			o := Diff(seed, wasm, Wfxc, ref)
			if o.Status == StatusOK {
				t.Errorf("passes now: the bug is fixed; git mv %s testdata/regress/", file)
			}
			t.Logf("still open: %s: %s", o.Status, o.Detail)
		})
	}
}

// TestDiff_refexecSelfCheck runs generated modules of the feature sets
// wazero has on refexec against wazero's interpreter: two independent
// references must agree, which checks the refexec engine adapter (and
// refexec).
func TestDiff_refexecSelfCheck(t *testing.T) {
	n := int64(40)
	if testing.Short() {
		n = 10
	}
	for name, cfg := range FuzzFeatures {
		if NeedsRefexec(cfg) || cfg.SIMD {
			continue // refexec has no SIMD
		}
		t.Run("features="+name, func(t *testing.T) {
			for seed := int64(0); seed < n; seed++ {
				if o := Diff(seed, gen.Module(seed, cfg), Refexec, WazeroInterpreter); o.Status != StatusOK {
					t.Errorf("seed %d: %s: %s", seed, o.Status, o.Detail)
				}
			}
		})
	}
}

// TestGen_refexecOutcomes runs modules with exceptions and stack switching
// on refexec alone: every call must end in one of the defined outcomes
// (results, a trap of the spec's, an uncaught exception of an exported
// tag, an unhandled suspension) within the fuel, and each kind of
// outcome must occur, so the generator neither hangs nor only ever traps.
func TestGen_refexecOutcomes(t *testing.T) {
	n := int64(150)
	if testing.Short() {
		n = 30
	}
	known := map[string]bool{}
	for _, m := range []string{"unreachable", "integer divide by zero", "integer overflow", "invalid conversion to integer",
		"out of bounds memory access", "table access", "indirect call type mismatch", "null exception reference",
		"null continuation reference", "continuation already consumed", "unhandled tag", "call stack exhausted", "null function reference"} {
		known[m] = true
	}
	for _, name := range []string{"exn", "cont"} {
		t.Run(name, func(t *testing.T) {
			kinds := map[string]int{}
			for seed := int64(0); seed < n; seed++ {
				wasm := gen.Module(seed, FuzzFeatures[name])
				info, err := inspect(wasm)
				if err != nil {
					t.Fatalf("seed %d: %v", seed, err)
				}
				m, err := Refexec.Compile(wasm)
				if err != nil {
					t.Fatalf("seed %d: %v", seed, err)
				}
				in, err := m.Instantiate()
				if err != nil {
					t.Fatalf("seed %d: instantiate: %v", seed, err)
				}
				for i, f := range info.funcs {
					_, err := in.Call(f.Name, Args(seed, i, f.Params)...)
					k := "returned"
					switch u := asUncaught(err); {
					case u != nil:
						k = "uncaught exception"
						if _, ok := info.tags[u.Tag]; !ok || len(u.Payload) != len(info.tags[u.Tag].Params) {
							t.Errorf("seed %d: %s: %v: not an exported tag with its payload", seed, f.Name, u)
						}
					case err != nil:
						k = TrapKind(err)
						if !known[k] {
							t.Errorf("seed %d: %s: %v", seed, f.Name, err)
						}
					}
					kinds[k]++
				}
			}
			t.Logf("%v", kinds)
			want := []string{"returned", "uncaught exception"}
			if name == "cont" {
				want = append(want, "unhandled tag")
			}
			for _, k := range want {
				if kinds[k] == 0 {
					t.Errorf("no call ended %q in %d modules", k, n)
				}
			}
			if kinds["returned"] < int(n)/2 {
				t.Errorf("%d calls returned in %d modules, want at least %d", kinds["returned"], n, n/2)
			}
		})
	}
}

func TestTrapKind_messages(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"wazeroDiv", errors.New("wasm error: integer divide by zero\nwasm stack trace:\n\tf"), "integer divide by zero"},
		{"wazeroStack", errors.New("wasm error: stack overflow\nwasm stack trace:\n\tf"), "call stack exhausted"},
		{"wazeroCompilerStack", errors.New("stack overflow"), "call stack exhausted"},
		{"wazeroTable", errors.New("wasm error: invalid table access\nwasm stack trace:"), "table access"},
		{"wazeroOOB", errors.New("wasm error: out of bounds memory access"), "out of bounds memory access"},
		{"other", errors.New("module closed"), ""},
		{"refexecTrap", &refexec.Trap{Msg: "null continuation reference"}, "null continuation reference"},
		{"refexecSuspension", &refexec.Suspension{}, "unhandled tag"},
		{"refexecTable", &refexec.Trap{Msg: "undefined element"}, "table access"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := TrapKind(tc.err); got != tc.want {
				t.Errorf("TrapKind(%q) = %q, want %q", tc.err, got, tc.want)
			}
		})
	}
}

func TestSameValue_cases(t *testing.T) {
	nan32a, nan32b := uint64(0x7FC00000), uint64(0xFFC00001)
	nan64 := math.Float64bits(math.NaN())
	for _, tc := range []struct {
		name string
		t    byte
		a, b uint64
		want bool
	}{
		{"i32HighBitsIgnored", 0x7F, 0xFFFF_FFFF_0000_0001, 1, true},
		{"i64Differ", 0x7E, 1, 2, false},
		{"f32AnyNaN", 0x7D, nan32a, nan32b, true},
		{"f32NaNvsNumber", 0x7D, nan32a, 0, false},
		{"f64ZeroSign", 0x7C, 0, 1 << 63, false},
		{"f64AnyNaN", 0x7C, nan64, 0xFFF8000000000000, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := sameValue(tc.t, tc.a, tc.b); got != tc.want {
				t.Errorf("sameValue(%#x, %#x, %#x) = %v, want %v", tc.t, tc.a, tc.b, got, tc.want)
			}
		})
	}
}

// faulty wraps an engine and corrupts one aspect of what it reports.
type faulty struct {
	Instance
	flipResult, flipMemory, fakeTrap bool
}

func (f *faulty) Call(name string, args ...uint64) ([]uint64, error) {
	res, err := f.Instance.Call(name, args...)
	switch {
	case f.fakeTrap && err == nil:
		return nil, errors.New("wasm error: unreachable")
	case f.flipResult && err == nil && len(res) > 0:
		res[0] ^= 1 << 62 // an i64 or f64 bit that changes the value
		res[0] ^= 1       // and the low bit for i32/f32
	}
	return res, err
}

func (f *faulty) Memory(name string) ([]byte, bool) {
	b, ok := f.Instance.Memory(name)
	if f.flipMemory && ok {
		b = append([]byte(nil), b...)
		b[len(b)/2] ^= 0x10
	}
	return b, ok
}

type faultyModule struct {
	Module
	proto faulty
}

func (m *faultyModule) Instantiate() (Instance, error) {
	inst, err := m.Module.Instantiate()
	if err != nil {
		return nil, err
	}
	f := m.proto
	f.Instance = inst
	return &f, nil
}

// TestDiff_detectsMismatch checks that the harness notices wrong results,
// wrong memory and spurious traps.
func TestDiff_detectsMismatch(t *testing.T) {
	for _, tc := range []struct {
		name  string
		proto faulty
	}{
		{"result", faulty{flipResult: true}},
		{"memory", faulty{flipMemory: true}},
		{"trap", faulty{fakeTrap: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := Engine{Name: "faulty", Compile: func(wasm []byte) (Module, error) {
				m, err := WazeroInterpreter.Compile(wasm)
				if err != nil {
					return nil, err
				}
				return &faultyModule{Module: m, proto: tc.proto}, nil
			}}
			found := 0
			for seed := int64(0); seed < 10; seed++ {
				if o := Diff(seed, gen.Module(seed, gen.Config{}), bad, WazeroInterpreter); o.Status == StatusMismatch {
					found++
				}
			}
			// Memory always differs; results and traps unless every call traps.
			if found < 5 {
				t.Errorf("harness found %d mismatches in 10 modules, want at least 5", found)
			}
		})
	}
}

func TestSignature_groups(t *testing.T) {
	a := Signature("run0(1, 2): result 0: wfxc 0x12, wazero-interp 0x13")
	b := Signature("run2(7): result 1: wfxc 0x99, wazero-interp 4")
	if a != b {
		t.Errorf("Signature: %q != %q", a, b)
	}
	if c := Signature("run0(): wfxc: integer overflow; wazero-interp: returned [0x1]"); c == a {
		t.Errorf("different failures share signature %q", c)
	}
}

func TestHostCall_cases(t *testing.T) {
	f32 := []byte{0x7D}
	f64res := []byte{0x7C, 0x7F}
	for _, tc := range []struct {
		name string
		a, b []uint64
		same bool
	}{
		{"nanPayloadsHashAlike", []uint64{0x7FC00001}, []uint64{0xFFC00000}, true},
		{"numbersDiffer", []uint64{0x3F800000}, []uint64{0x40000000}, false},
		{"zeroSignsDiffer", []uint64{0}, []uint64{0x80000000}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ra := HostCall("h0", f32, f64res, tc.a)
			rb := HostCall("h0", f32, f64res, tc.b)
			if got := ra[0] == rb[0] && ra[1] == rb[1]; got != tc.same {
				t.Errorf("HostCall(%#x) = %#x, HostCall(%#x) = %#x; same = %v, want %v", tc.a, ra, tc.b, rb, got, tc.same)
			}
			if v := math.Float64frombits(ra[0]); v != v {
				t.Errorf("HostCall returned a NaN f64 %#x", ra[0])
			}
		})
	}
}

// TestGen_wazeroValidates compiles generated modules with wazero, which
// validates them: 1000 modules across the feature sets.
func TestGen_wazeroValidates(t *testing.T) {
	ctx := context.Background()
	r := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigInterpreter().WithCoreFeatures(wazeroFeatures))
	defer r.Close(ctx)
	per := int64(1000 / len(FuzzFeatures))
	for name, cfg := range FuzzFeatures {
		if NeedsRefexec(cfg) {
			continue // testsuite/gen checks these with frontend's validator
		}
		for seed := int64(0); seed < per; seed++ {
			cm, err := r.CompileModule(ctx, gen.Module(seed, cfg))
			if err != nil {
				t.Fatalf("features %q, seed %d: %v", name, seed, err)
			}
			cm.Close(ctx)
		}
	}
}

// TestDiff_referenceDisagreements replays testdata/regress/wazero: modules
// on which wazero's interpreter disagreed with wfxc while wazero's
// optimizing compiler agreed with wfxc. wfxc must keep agreeing with the
// compiler.
func TestDiff_referenceDisagreements(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "regress", "wazero", "*.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".wasm")
		t.Run(name, func(t *testing.T) {
			seedText, _, _ := strings.Cut(name, "-")
			seed, err := strconv.ParseInt(seedText, 10, 64)
			if err != nil {
				t.Fatalf("file name %s does not start with a seed", file)
			}
			wasm, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if o := Diff(seed, wasm, Wfxc, WazeroCompiler); o.Status != StatusOK {
				t.Errorf("against wazero's compiler: %s: %s", o.Status, o.Detail)
			}
		})
	}
}

// TestDiff_detectsExceptionMismatch checks that the harness notices an
// uncaught exception with another payload or tag, and one that turned
// into a trap.
func TestDiff_detectsExceptionMismatch(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(*Uncaught) error
	}{
		{"payload", func(u *Uncaught) error {
			if len(u.Payload) > 0 {
				u.Payload[0] ^= 1
			} else {
				u.Payload = append(u.Payload, 1)
			}
			return u
		}},
		{"tag", func(u *Uncaught) error { u.Tag += "x"; return u }},
		{"trap", func(u *Uncaught) error { return errors.New("wasm error: unreachable") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := Engine{Name: "faulty", Compile: func(wasm []byte) (Module, error) {
				m, err := Refexec.Compile(wasm)
				if err != nil {
					return nil, err
				}
				return &exnModule{Module: m, change: tc.change}, nil
			}}
			uncaught, found := 0, 0
			for seed := int64(0); seed < 20; seed++ {
				wasm := gen.Module(seed, FuzzFeatures["exn"])
				if o := Diff(seed, wasm, Refexec, Refexec); o.Status == StatusOK && slices.Contains(o.TrapKinds, "uncaught exception") {
					uncaught++
					if o := Diff(seed, wasm, bad, Refexec); o.Status == StatusMismatch {
						found++
					}
				}
			}
			if uncaught == 0 || found != uncaught {
				t.Errorf("harness found %d mismatches in %d modules with uncaught exceptions", found, uncaught)
			}
		})
	}
}

type exnModule struct {
	Module
	change func(*Uncaught) error
}

func (m *exnModule) Instantiate() (Instance, error) {
	in, err := m.Module.Instantiate()
	if err != nil {
		return nil, err
	}
	return &exnInstance{Instance: in, change: m.change}, nil
}

type exnInstance struct {
	Instance
	change func(*Uncaught) error
}

func (i *exnInstance) Call(name string, args ...uint64) ([]uint64, error) {
	res, err := i.Instance.Call(name, args...)
	if u := asUncaught(err); u != nil {
		return nil, i.change(u)
	}
	return res, err
}

func TestHostThrow_cases(t *testing.T) {
	tags := []TagInfo{{Name: "tag0", Params: []byte{0x63}}, {Name: "tag1", Params: []byte{0x7F, 0x7C}}}
	throws := 0
	for a := uint64(0); a < 400; a++ {
		i, payload, ok := HostThrow("h0", []byte{0x7E}, []uint64{a}, tags)
		if !ok {
			continue
		}
		throws++
		if i != 1 || len(payload) != 2 {
			t.Fatalf("HostThrow threw tag %d with %#x; want tag1 (tag0 carries a reference)", i, payload)
		}
		if j, p2, _ := HostThrow("h0", []byte{0x7E}, []uint64{a}, tags); j != i || !slices.Equal(p2, payload) {
			t.Fatalf("HostThrow is not deterministic")
		}
	}
	if throws < 20 || throws > 100 {
		t.Errorf("HostThrow threw for %d of 400 arguments, want about 50", throws)
	}
	if _, _, ok := HostThrow("h0", []byte{0x7E}, []uint64{0}, nil); ok {
		t.Errorf("HostThrow threw without tags")
	}
}
