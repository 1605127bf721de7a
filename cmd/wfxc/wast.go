package main

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"wfxc/testsuite"
)

// findScripts returns the scripts a path of `wfxc wast` names: the file
// itself, or every script below a directory: each *.wast file with text,
// else each JSON script of wast2json (a *.json file holding
// "source_filename" or "commands"), in any layout. A directory with none
// is an error.
func findScripts(root string, text bool) ([]string, error) {
	st, err := os.Stat(root)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return []string{root}, nil
	}
	var out []string
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		switch {
		case text && strings.HasSuffix(p, ".wast"):
			out = append(out, p)
		case !text && strings.HasSuffix(p, ".json") && isJSONScript(p):
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		if text {
			return nil, fmt.Errorf("wast: no *.wast script below %s", root)
		}
		return nil, fmt.Errorf("wast: no JSON script (of wast2json) below %s; for .wast text use --text", root)
	}
	sort.Strings(out)
	return out, nil
}

// isJSONScript reports whether the file at p starts like a wast2json script.
func isJSONScript(p string) bool {
	f, err := os.Open(p)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 256)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	return bytes.Contains(head, []byte(`"source_filename"`)) || bytes.Contains(head, []byte(`"commands"`))
}

// scriptKey names a script in the report: its key in the spec test data
// (testsuite.ScriptKey, "core/i32") when the script has the data's
// NAME/NAME.ext layout, else its path below root (the path given, for a
// file) without the extension.
func scriptKey(root, path string) string {
	name := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	if filepath.Base(filepath.Dir(path)) == name {
		k := testsuite.ScriptKey(root, path)
		if k != "." && k != ".." && !strings.HasPrefix(k, "../") {
			return k
		}
	}
	rel := path
	if st, err := os.Stat(root); err == nil && st.IsDir() {
		if r, err := filepath.Rel(root, path); err == nil {
			rel = r
		}
	}
	return filepath.ToSlash(strings.TrimSuffix(filepath.Clean(rel), filepath.Ext(rel)))
}
