package wat

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"wfxc/frontend"
)

// The spec-suite tests parse every .wast under ../shared/testdata and
// compare each command with its counterpart in the converted JSON (README
// §10: commands correspond one to one, in order, except the text-only
// (module quote …) assertions the JSON drops). For module-carrying
// commands, the module parsed from text and the reference .wasm are both
// run through frontend.Decode and the decoded structures compared with
// go-cmp (byte offsets ignored). Values of actions and results are
// compared with the JSON values.

var testdata = filepath.Join("..", "..", "..", "shared", "testdata")

type jsonScript struct {
	Commands []jsonCommand `json:"commands"`
}

type jsonCommand struct {
	Type     string          `json:"type"`
	Line     int             `json:"line"`
	Name     string          `json:"name"`
	Filename string          `json:"filename"`
	As       string          `json:"as"`
	Text     string          `json:"text"`
	Action   *jsonAction     `json:"action"`
	Expected []jsonValue     `json:"expected"`
	Either   []jsonValue     `json:"either"`
	Module   string          `json:"module"`
	Instance string          `json:"instance"`
	Raw      json.RawMessage `json:"-"`
}

type jsonAction struct {
	Type   string      `json:"type"`
	Module string      `json:"module"`
	Field  string      `json:"field"`
	Args   []jsonValue `json:"args"`
}

type jsonValue struct {
	Type     string `json:"type"`
	LaneType string `json:"lane_type"`
	Value    any    `json:"value"`
}

// scripts returns the suite and directory of every script.
func scripts(t *testing.T) map[string][]string {
	t.Helper()
	if _, err := os.Stat(testdata); err != nil {
		t.Skipf("no test data: %v", err)
	}
	out := map[string][]string{}
	err := filepath.WalkDir(testdata, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(path, ".wast") {
			return nil
		}
		dir := filepath.Dir(path)
		if filepath.Base(dir)+".wast" != filepath.Base(path) {
			return nil
		}
		rel, _ := filepath.Rel(testdata, filepath.Dir(dir))
		out[rel] = append(out[rel], dir)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// cmpModule ignores every byte-offset field (Offset, BodyOffset, …).
var cmpModule = []cmp.Option{
	cmp.FilterPath(func(p cmp.Path) bool {
		sf, ok := p.Last().(cmp.StructField)
		return ok && (strings.HasSuffix(sf.Name(), "Offset") && sf.Type().Kind() == reflect.Int || sf.Name() == "SectionOffsets")
	}, cmp.Ignore()),
	cmpopts.EquateEmpty(),
}

// normalise makes encoding choices of the two reference encoders
// comparable: see the doc of TestSpecModules_equal.
func normalise(m *frontend.Module) {
	dropNames(m)
	for i := range m.Elems {
		e := &m.Elems[i]
		if e.Type == frontend.FuncRef {
			all := true
			for _, c := range e.Init {
				if len(c.Code) == 0 || c.Code[0] != frontend.OpRefFunc {
					all = false
				}
			}
			if all {
				e.Type = frontend.ValType{Code: frontend.CodeRef, Heap: frontend.HeapFunc}
			}
		}
	}
}

// dropNames removes the name section, which wat writes from $identifiers
// and the reference encoders do not.
func dropNames(m *frontend.Module) {
	customs := m.Customs[:0]
	for _, c := range m.Customs {
		if c.Name != "name" {
			customs = append(customs, c)
		}
	}
	if len(customs) == 0 {
		customs = nil
	}
	m.Customs, m.FuncNames, m.ModuleName = customs, nil, ""
}

type suiteStats struct {
	scripts, scriptErrs     int
	modules, equal          int
	quoteMalformed, rejects int
	parseRejects            int // quote-malformed rejected by the text parser itself
	sameWording             int // … whose error message contains the expected text
	retried                 int // equal only with the reference's type order / wabt's choices
	values, valuesEqual     int
}

// TestSpecModules_equal checks every module of every script. Encoding
// choices that differ between the two reference encoders (wabt and the
// reference interpreter) are normalised before comparing: an element
// segment of type funcref whose items are all ref.func is compared as
// (ref func) (wabt writes such segments in the function-index form, the
// interpreter in the expression form).
func TestSpecModules_equal(t *testing.T) {
	all := scripts(t)
	loadManifest(t)
	suites := make([]string, 0, len(all))
	for s := range all {
		suites = append(suites, s)
	}
	sort.Strings(suites)
	verbose := os.Getenv("WAT_VERBOSE") != ""
	var report []string
	failures := 0
	for _, suite := range suites {
		var st suiteStats
		for _, dir := range all[suite] {
			st.scripts++
			name := filepath.Base(dir)
			src, err := os.ReadFile(filepath.Join(dir, name+".wast"))
			if err != nil {
				t.Fatal(err)
			}
			js, err := os.ReadFile(filepath.Join(dir, name+".json"))
			if err != nil {
				t.Fatal(err)
			}
			var ref jsonScript
			if err := json.Unmarshal(js, &ref); err != nil {
				t.Fatal(err)
			}
			s, err := ParseScript(src, filepath.Join(suite, name+".wast"))
			if err != nil {
				st.scriptErrs++
				failures++
				t.Errorf("%v", err)
				continue
			}
			bad := compareScript(t, suite, dir, s, &ref, &st, verbose)
			failures += bad
		}
		line := fmt.Sprintf("%-30s scripts %3d (errors %d)  modules %4d/%4d equal (%3d with reference type order/wabt choices)  values %5d/%5d  quote-malformed rejected %3d/%3d (by parser %3d, with the expected wording %3d)",
			suite, st.scripts, st.scriptErrs, st.equal, st.modules, st.retried, st.valuesEqual, st.values, st.rejects, st.quoteMalformed, st.parseRejects, st.sameWording)
		report = append(report, line)
	}
	for _, l := range report {
		t.Log(l)
	}
	if failures > 0 {
		t.Errorf("%d failures", failures)
	}
}

func compareScript(t *testing.T, suite, dir string, s *Script, ref *jsonScript, st *suiteStats, verbose bool) int {
	bad := 0
	j := 0
	file := filepath.Join(suite, filepath.Base(dir)+".wast")
	for i := range s.Commands {
		c := &s.Commands[i]
		if c.ModuleType == "quote" && (c.Type == "assert_malformed" || c.Type == "assert_invalid") {
			if j < len(ref.Commands) && ref.Commands[j].Line == c.Line && ref.Commands[j].Type == c.Type {
				// Kept in the JSON (converted to binary).
			} else {
				if c.Type == "assert_malformed" {
					st.quoteMalformed++
					if c.Err != nil {
						st.parseRejects++
						if strings.Contains(c.Err.Error(), c.Text) {
							st.sameWording++
						}
					}
					if c.Err != nil || rejected(c.Binary) {
						st.rejects++
					} else {
						bad++
						t.Errorf("%s:%d: assert_malformed module quote parsed and validated", file, c.Line)
					}
				}
				continue
			}
		}
		if j >= len(ref.Commands) {
			bad++
			t.Errorf("%s:%d: %s has no JSON counterpart", file, c.Line, c.Type)
			return bad
		}
		r := &ref.Commands[j]
		j++
		if r.Type != c.Type || r.Line != c.Line {
			bad++
			t.Errorf("%s:%d: command %s, JSON has %s at line %d", file, c.Line, c.Type, r.Type, r.Line)
			return bad
		}
		if r.Filename != "" {
			st.modules++
			want, err := os.ReadFile(filepath.Join(dir, r.Filename))
			if err != nil {
				t.Fatal(err)
			}
			msg, retried := compareModule(c, want, wabtFiles[file])
			if retried {
				st.retried++
			}
			if msg != "" {
				bad++
				t.Errorf("%s:%d: %s: %s", file, c.Line, c.Type, msg)
				if verbose {
					t.Logf("ref %s", r.Filename)
				}
			} else {
				st.equal++
			}
		}
		if c.Action != nil && r.Action != nil {
			vals := append(append([]Value{}, c.Action.Args...), c.Expected...)
			vals = append(vals, c.Either...)
			rvals := append(append([]jsonValue{}, r.Action.Args...), r.Expected...)
			rvals = append(rvals, r.Either...)
			if c.Type != "assert_return" {
				rvals = r.Action.Args
				vals = c.Action.Args
			}
			if c.Action.Field != r.Action.Field || c.Action.Module != r.Action.Module {
				bad++
				t.Errorf("%s:%d: action %s %q, JSON %s %q", file, c.Line, c.Action.Module, c.Action.Field, r.Action.Module, r.Action.Field)
			}
			if len(vals) != len(rvals) {
				bad++
				t.Errorf("%s:%d: %d values, JSON has %d", file, c.Line, len(vals), len(rvals))
				continue
			}
			for k := range vals {
				st.values++
				got := toJSONValue(vals[k])
				if !jsonValueEqual(got, rvals[k]) && !wabtQuirk(got, rvals[k]) {
					bad++
					t.Errorf("%s:%d: value %d = %+v, JSON %+v", file, c.Line, k, got, rvals[k])
				} else {
					st.valuesEqual++
				}
			}
		}
	}
	if j != len(ref.Commands) {
		bad++
		t.Errorf("%s: %d JSON commands left over", file, len(ref.Commands)-j)
	}
	return bad
}

// rejected reports whether bin fails to decode or validate.
func rejected(bin []byte) bool {
	m, err := frontend.Decode(bin)
	if err != nil {
		return true
	}
	return frontend.Validate(m) != nil
}

func compareModule(c *Command, want []byte, wabt bool) (msg string, retried bool) {
	if c.ModuleType == "binary" {
		// The reference interpreter re-encodes binary modules, so only
		// identical bytes or equal decodability can be required.
		if bytes.Equal(c.Binary, want) {
			return "", false
		}
		_, werr := frontend.Decode(want)
		_, gerr := frontend.Decode(c.Binary)
		if (werr == nil) != (gerr == nil) {
			return fmt.Sprintf("binary module: reference decode %v, ours %v", werr, gerr), false
		}
		return "", false
	}
	if c.Err != nil {
		return "parse error: " + c.Err.Error(), false
	}
	wm, werr := frontend.Decode(want)
	gm, gerr := frontend.Decode(c.Binary)
	if werr != nil || gerr != nil {
		if (werr == nil) != (gerr == nil) {
			return fmt.Sprintf("decode: reference %v, ours %v", werr, gerr), false
		}
		return "", false
	}
	normalise(wm)
	normalise(gm)
	d := cmp.Diff(wm, gm, cmpModule...)
	if d != "" && c.src != nil {
		// The reference interpreter numbers implicit types in its own
		// evaluation order, and wabt makes some other encoding choices:
		// retry with the reference's type order and wabt's choices for
		// wabt-converted scripts.
		retried = true
		bin, err := buildModuleOpts(c.src, c.skip, "", wm.Types, wabt)
		if err == nil {
			if gm2, err := frontend.Decode(bin); err == nil {
				normalise(gm2)
				d = cmp.Diff(wm, gm2, cmpModule...)
			}
		}
	}
	if d != "" {
		if len(d) > 3000 {
			d = d[:3000] + "…"
		}
		return "modules differ (-ref +ours):\n" + d, retried
	}
	return "", retried
}

// toJSONValue renders a Value in the JSON form through Value.JSON.
func toJSONValue(v Value) jsonValue {
	j := v.JSON()
	out := jsonValue{Type: j["type"].(string), Value: j["value"]}
	if lt, ok := j["lane_type"].(string); ok {
		out.LaneType = lt
	}
	return out
}

func jsonValueEqual(a, b jsonValue) bool {
	return a.Type == b.Type && a.LaneType == b.LaneType && fmt.Sprint(a.Value) == fmt.Sprint(b.Value)
}

// wabtQuirk reports the known wabt 1.0.32 rounding bug (testdata README
// §7): it encodes 0x1.fffffffffffffp-1023 as 0x000fffffffffffff instead of
// the correctly rounded 0x0010000000000000.
func wabtQuirk(got, want jsonValue) bool {
	g, w := fmt.Sprint(got.Value), fmt.Sprint(want.Value)
	g = strings.ReplaceAll(strings.ReplaceAll(g, "9227875636482146304", "Q-"), "4503599627370496", "q-")
	w = strings.ReplaceAll(strings.ReplaceAll(w, "9227875636482146303", "Q-"), "4503599627370495", "q-")
	return got.Type == want.Type && g == w && g != fmt.Sprint(got.Value)
}

// wabtFiles lists the scripts converted by wabt ("suite/name.wast").
var wabtFiles = map[string]bool{}

func loadManifest(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(testdata, "MANIFEST.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Suites map[string]struct {
			Files map[string]struct {
				Converter string `json:"converter"`
			} `json:"files"`
		} `json:"suites"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for suite, s := range m.Suites {
		for f, info := range s.Files {
			if info.Converter == "wabt" {
				wabtFiles[filepath.Join(suite, f)] = true
			}
		}
	}
}
