package frontend

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// specDir is the shared spec test data, relative to this package.
var specDir = filepath.Join("..", "..", "shared", "testdata")

// wasm2Reversed lists the Wasm-2.0-era expectations (testdata README §5)
// that Wasm 3.0 reverses: the modules must be accepted. Key: suite/file:line.
var wasm2Reversed = map[string]string{
	// memarg alignment field may carry a memory index flag
	"core/binary-leb128:218": "malformed", "core/binary-leb128:226": "malformed",
	"proposals/multi-memory/binary0:48": "malformed",
	// memory index byte of memory.size/grow etc.
	"core/binary:146": "malformed", "core/binary:166": "malformed", "core/binary:185": "malformed",
	"core/binary:204": "malformed", "core/binary:243": "malformed", "core/binary:262": "malformed",
	"core/binary:280": "malformed", "core/binary:298": "malformed",
	"proposals/memory64/binary:184": "malformed", "proposals/memory64/binary:204": "malformed",
	"proposals/memory64/binary:223": "malformed", "proposals/memory64/binary:242": "malformed",
	"proposals/memory64/binary:281": "malformed", "proposals/memory64/binary:300": "malformed",
	"proposals/memory64/binary:318": "malformed", "proposals/memory64/binary:336": "malformed",
	// extended constant expressions: global.get of non-imported globals
	"core/data:89": "invalid", "core/data:93": "invalid",
	"core/elem:171": "invalid", "core/elem:175": "invalid",
	"core/global:352": "invalid", "core/global:356": "invalid",
	"proposals/multi-memory/data:86": "invalid", "proposals/multi-memory/data:90": "invalid",
	"proposals/extended-const/data:85": "invalid", "proposals/extended-const/data:89": "invalid",
	"proposals/extended-const/elem:171": "invalid", "proposals/extended-const/elem:175": "invalid",
	"proposals/extended-const/global:364": "invalid", "proposals/extended-const/global:368": "invalid",
	// multi-memory
	"core/imports:488": "invalid", "core/imports:492": "invalid", "core/imports:496": "invalid",
	"core/memory:10": "invalid", "core/memory:11": "invalid",
	"proposals/memory64/memory:10": "invalid", "proposals/memory64/memory:11": "invalid",
	"proposals/memory64/memory64:8": "invalid", "proposals/memory64/memory64:9": "invalid",
}

type specCommand struct {
	Type     string `json:"type"`
	Line     int    `json:"line"`
	Filename string `json:"filename"`
	Text     string `json:"text"`
}

type specScript struct {
	path  string // JSON file
	suite string // e.g. wasm3/gc
	name  string // script name
	cmds  []specCommand
}

// loadSpecScripts reads every script JSON under specDir.
func loadSpecScripts(t testing.TB) []specScript {
	t.Helper()
	if _, err := os.Stat(specDir); err != nil {
		t.Fatalf("spec test data: %v", err)
	}
	var out []specScript
	err := filepath.WalkDir(specDir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(p, ".json") {
			return nil
		}
		name := strings.TrimSuffix(d.Name(), ".json")
		dir := filepath.Dir(p)
		if filepath.Base(dir) != name {
			return nil // MANIFEST.json
		}
		rel, _ := filepath.Rel(specDir, filepath.Dir(dir))
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		var s struct {
			Commands []specCommand `json:"commands"`
		}
		if err := json.Unmarshal(b, &s); err != nil {
			return fmt.Errorf("%s: %v", p, err)
		}
		out = append(out, specScript{path: p, suite: filepath.ToSlash(rel), name: name, cmds: s.Commands})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// readSpecFile reads the module file of a command.
func readSpecFile(t testing.TB, s specScript, cmd specCommand) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(filepath.Dir(s.path), cmd.Filename))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

type suiteCount struct {
	modules, modOK     int
	invalid, invalidOK int
	malformed, malOK   int
	reversed, revOK    int
	msgTotal, msgMatch int
}

// TestSpecModules decodes and validates every module of the spec scripts:
// module / module_definition files must be accepted, assert_invalid and
// assert_malformed files rejected (either kind of error), except the
// Wasm 2.0 expectations that Wasm 3.0 reverses.
func TestSpecModules(t *testing.T) {
	scripts := loadSpecScripts(t)
	counts := map[string]*suiteCount{}
	var mismatches []string
	for _, s := range scripts {
		c := counts[s.suite]
		if c == nil {
			c = &suiteCount{}
			counts[s.suite] = c
		}
		dir := filepath.Dir(s.path)
		for _, cmd := range s.cmds {
			switch cmd.Type {
			case "module", "module_definition", "assert_invalid", "assert_malformed":
			default:
				continue
			}
			where := fmt.Sprintf("%s/%s:%d", s.suite, s.name, cmd.Line)
			file := filepath.Join(dir, cmd.Filename)
			b, err := os.ReadFile(file)
			if err != nil {
				t.Errorf("%s: %v", where, err)
				continue
			}
			_, err = DecodeAndValidate(b)
			if err != nil {
				var e *Error
				if !errors.As(err, &e) {
					t.Errorf("%s (%s): error is %T, want *Error", where, file, err)
				}
			}
			if _, ok := wasm2Reversed[where]; ok && cmd.Type != "module" {
				c.reversed++
				if err == nil {
					c.revOK++
				} else {
					t.Errorf("%s (%s): Wasm 3.0 accepts this module, got %v", where, file, err)
				}
				continue
			}
			switch cmd.Type {
			case "module", "module_definition":
				c.modules++
				if err == nil {
					c.modOK++
				} else {
					t.Errorf("%s (%s): valid module rejected: %v", where, file, err)
				}
			case "assert_invalid", "assert_malformed":
				if cmd.Type == "assert_invalid" {
					c.invalid++
				} else {
					c.malformed++
				}
				if err == nil {
					t.Errorf("%s (%s): %s module accepted, want %q", where, file, cmd.Type, cmd.Text)
					continue
				}
				if cmd.Type == "assert_invalid" {
					c.invalidOK++
				} else {
					c.malOK++
				}
				c.msgTotal++
				var e *Error
				if errors.As(err, &e) && strings.HasPrefix(e.Msg, cmd.Text) {
					c.msgMatch++
				} else {
					mismatches = append(mismatches, fmt.Sprintf("%s: want %q, got %q", where, cmd.Text, err))
				}
			}
		}
	}
	var suites []string
	for k := range counts {
		suites = append(suites, k)
	}
	sort.Strings(suites)
	var tot suiteCount
	t.Logf("%-32s %12s %12s %12s %10s %12s", "suite", "modules", "invalid", "malformed", "3.0-rev", "msg match")
	for _, k := range suites {
		c := counts[k]
		t.Logf("%-32s %5d/%-6d %5d/%-6d %5d/%-6d %4d/%-5d %5d/%-6d", k, c.modOK, c.modules,
			c.invalidOK, c.invalid, c.malOK, c.malformed, c.revOK, c.reversed, c.msgMatch, c.msgTotal)
		tot.modules += c.modules
		tot.modOK += c.modOK
		tot.invalid += c.invalid
		tot.invalidOK += c.invalidOK
		tot.malformed += c.malformed
		tot.malOK += c.malOK
		tot.reversed += c.reversed
		tot.revOK += c.revOK
		tot.msgTotal += c.msgTotal
		tot.msgMatch += c.msgMatch
	}
	t.Logf("%-32s %5d/%-6d %5d/%-6d %5d/%-6d %4d/%-5d %5d/%-6d", "total", tot.modOK, tot.modules,
		tot.invalidOK, tot.invalid, tot.malOK, tot.malformed, tot.revOK, tot.reversed, tot.msgMatch, tot.msgTotal)
	if tot.reversed != len(wasm2Reversed) {
		t.Errorf("found %d of the %d Wasm 3.0 reversals", tot.reversed, len(wasm2Reversed))
	}
	if os.Getenv("WFXC_SPEC_MSGS") != "" {
		for _, m := range mismatches {
			t.Log(m)
		}
	}
	rate := float64(tot.msgMatch) / float64(max(tot.msgTotal, 1))
	t.Logf("message match rate: %.1f%% (%d/%d); WFXC_SPEC_MSGS=1 lists the mismatches",
		100*rate, tot.msgMatch, tot.msgTotal)
	// Most remaining mismatches are Wasm 2.0-era (wabt) wordings.
	if rate < 0.985 {
		t.Errorf("message match rate %.1f%% fell below 98.5%%", 100*rate)
	}
}
