// Package testsuite runs WebAssembly spec scripts in the wast2json layout
// of ../shared/testdata (see its README): one JSON command list per script
// plus a .wasm per module. It provides the `spectest` host module, compares
// results bit-exactly (with the NaN patterns of the spec), and counts every
// command as passed, failed or skipped. "Skipped" is reserved for commands
// that need a feature the compiler does not support yet, and for the
// Wasm 2.0 expectations that Wasm 3.0 reverses (reversed.go).
package testsuite

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Script is a parsed JSON script.
type Script struct {
	SourceFilename string    `json:"source_filename"`
	Commands       []Command `json:"commands"`
}

// Command is one script command; which fields are set depends on Type.
type Command struct {
	Type       string  `json:"type"`
	Line       int     `json:"line"`
	Name       string  `json:"name"`
	Filename   string  `json:"filename"`
	As         string  `json:"as"`
	Module     string  `json:"module"`
	Instance   string  `json:"instance"`
	Action     *Action `json:"action"`
	Expected   []Value `json:"expected"`
	Either     []Value `json:"either"`
	Text       string  `json:"text"`
	ModuleType string  `json:"module_type"`

	// From text scripts: the module's bytes (Filename then names them in
	// the runner), or the text-format error of a module that failed to parse.
	Binary   []byte `json:"-"`
	ParseErr error  `json:"-"`
}

// Action is an invoke or get.
type Action struct {
	Type   string  `json:"type"`
	Module string  `json:"module"`
	Field  string  `json:"field"`
	Args   []Value `json:"args"`
}

// Value is a typed value or a result pattern. Value is a string for
// scalars and a list of lane strings for v128.
type Value struct {
	Type     string          `json:"type"`
	LaneType string          `json:"lane_type"`
	Value    json.RawMessage `json:"value"`
}

// ReadScript parses a JSON script file.
func ReadScript(path string) (*Script, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var s Script
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &s, nil
}

// FindScripts returns every JSON script below root: the files
// */<name>/<name>.json, sorted. A path naming a file is returned as is.
func FindScripts(root string) ([]string, error) { return findScripts(root, ".json") }

// FindTextScripts returns every text script below root: the files
// */<name>/<name>.wast, sorted. A path naming a file is returned as is.
func FindTextScripts(root string) ([]string, error) { return findScripts(root, ".wast") }

func findScripts(root, ext string) ([]string, error) {
	st, err := os.Stat(root)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return []string{root}, nil
	}
	var out []string
	err = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(p, ext) {
			return nil
		}
		dir := filepath.Base(filepath.Dir(p))
		if strings.TrimSuffix(filepath.Base(p), ext) == dir {
			out = append(out, p)
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}

// ScriptKey names a script by its path relative to the testdata root,
// without the duplicated directory: "core/i32", "wasm3/gc/array". The
// testdata root is the nearest ancestor holding MANIFEST.json; without one,
// root is used.
func ScriptKey(root, path string) string {
	dir := filepath.Dir(path)
	if abs, err := filepath.Abs(dir); err == nil {
		for d := filepath.Dir(abs); d != filepath.Dir(d); d = filepath.Dir(d) {
			if _, err := os.Stat(filepath.Join(d, "MANIFEST.json")); err == nil {
				root = d
				dir = abs
				break
			}
		}
	}
	rel, err := filepath.Rel(root, dir)
	if err != nil {
		return path
	}
	return filepath.ToSlash(rel)
}
