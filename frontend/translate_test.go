package frontend

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"wfxc/ir"
	"wfxc/rt/abi"
)

// specModules returns the files of every `module` command under suite.
func specModules(t *testing.T, suite string) []string {
	t.Helper()
	root := filepath.Join("..", "..", "shared", "testdata", suite)
	var files []string
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		var s struct {
			Commands []struct{ Type, Filename string }
		}
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		for _, c := range s.Commands {
			if c.Type == "module" {
				files = append(files, filepath.Join(filepath.Dir(p), c.Filename))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestTranslate_specModules translates every function of every valid module
// of the test data and verifies the IR. Functions using features beyond the
// translator's reach must fail with UnsupportedError, nothing else.
func TestTranslate_specModules(t *testing.T) {
	var funcs, unsupported int
	for _, file := range specModules(t, "") {
		wasm, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		m, err := DecodeAndValidate(wasm)
		if err != nil {
			t.Errorf("%s: %v", file, err)
			continue
		}
		layout := abi.Layout(abi.VMCtxCounts{Memories: m.NumMemories(), Tables: m.NumTables(),
			Globals: m.NumGlobals(), ImportedFuncs: m.NumImportedFuncs, Types: len(m.Types)})
		for fn := m.NumImportedFuncs; fn < m.NumFuncs(); fn++ {
			f, err := Translate(m, layout, fn)
			var u *UnsupportedError
			if errors.As(err, &u) {
				unsupported++
				continue
			}
			if err != nil {
				t.Errorf("%s: function %d: %v", file, fn, err)
				continue
			}
			funcs++
			if err := ir.Verify(f); err != nil {
				t.Errorf("%s: function %d: %v\n%s", file, fn, err, f)
			}
		}
	}
	t.Logf("translated %d functions, %d unsupported", funcs, unsupported)
	if funcs == 0 {
		t.Fatal("translated no function")
	}
}
