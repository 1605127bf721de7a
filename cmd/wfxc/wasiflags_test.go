package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseRunArgs(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		module string
		invoke string
		rest   []string
		dirs   int
		err    string
	}{
		{"options before the module", []string{"--dir", ".", "--env", "A=1", "m.wasm", "x"}, "m.wasm", "", []string{"x"}, 1, ""},
		{"everything after the module is the program's", []string{"m.wasm", "--dir", "x", "-v", "--"}, "m.wasm", "", []string{"--dir", "x", "-v", "--"}, 0, ""},
		{"invoke after the module", []string{"m.wasm", "--invoke", "f", "-7", "2"}, "m.wasm", "f", []string{"-7", "2"}, 0, ""},
		{"invoke before the module", []string{"--invoke=f", "m.wasm", "--", "-1"}, "m.wasm", "f", []string{"-1"}, 0, ""},
		{"module after --", []string{"--", "-odd.wasm", "a"}, "-odd.wasm", "", []string{"a"}, 0, ""},
		{"unknown flag", []string{"--nope", "m.wasm"}, "", "", nil, 0, "unknown flag --nope"},
		{"no module", []string{"--dir", "."}, "", "", nil, 0, "want a module"},
		{"bad option", []string{"--env", "=x", "m.wasm"}, "", "", nil, 0, "want NAME=VALUE"},
		{"WASI options with invoke", []string{"--dir", ".", "m.wasm", "--invoke", "f"}, "", "", nil, 0, "not --invoke"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := parseRunArgs(tt.args)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.module != tt.module || r.invoke != tt.invoke || fmt.Sprint(r.rest) != fmt.Sprint(tt.rest) || len(r.wasi.Dirs) != tt.dirs {
				t.Errorf("module %q invoke %q rest %q dirs %v", r.module, r.invoke, r.rest, r.wasi.Dirs)
			}
		})
	}
}

// envCount is a WASI command that exits with its number of environment
// variables.
const envCount = `(module
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $sizes (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (drop (call $sizes (i32.const 0) (i32.const 4)))
    (call $exit (i32.load (i32.const 0)))))`

// TestRun_wasiOptions: arguments after the module reach the program as
// they are; the program sees no host environment unless asked; a
// preopen that cannot be opened is an error naming it.
func TestRun_wasiOptions(t *testing.T) {
	out, errs, code := wfxc(t, "run", helloWat, "--dir", "x", "-v")
	if code != 3 || out != "--dir\nx\n-v\n" {
		t.Fatalf("exit %d, stdout %q, stderr %q; want the 3 arguments", code, out, errs)
	}
	src := filepath.Join(t.TempDir(), "env.wat")
	os.WriteFile(src, []byte(envCount), 0o644)
	t.Setenv("WFXC_TEST_VAR", "1")
	if _, errs, code := wfxc(t, "run", src); code != 0 {
		t.Errorf("no options: %d variables, want 0 (%s)", code, errs)
	}
	if _, _, code := wfxc(t, "run", "--env", "A=1", "--env", "WFXC_TEST_VAR", "--env", "A=2", src); code != 2 {
		t.Errorf("--env A=1 --env WFXC_TEST_VAR --env A=2: %d variables, want 2", code)
	}
	if _, _, code := wfxc(t, "run", "--inherit-env", src); code != len(os.Environ()) {
		t.Errorf("--inherit-env: %d variables, want the host's %d", code, len(os.Environ()))
	}
	missing := filepath.Join(t.TempDir(), "missing")
	if _, errs, code := wfxc(t, "run", "--dir", missing+"::/", src); code == 0 || !strings.Contains(errs, missing) {
		t.Errorf("missing preopen: exit %d, stderr %q", code, errs)
	}
}
