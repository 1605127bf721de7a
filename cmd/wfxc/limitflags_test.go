package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const limitsWat = `(module (memory 1)
  (func (export "spin") (loop $l (br $l)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "count") (param i64) (result i64) (local $i i64)
    (loop $l (local.set $i (i64.add (local.get $i) (i64.const 1))) (br_if $l (i64.lt_u (local.get $i) (local.get 0))))
    (local.get $i)))`

// TestRun_limits: --fuel, --timeout and --max-memory bound a run.
func TestRun_limits(t *testing.T) {
	mod := filepath.Join(t.TempDir(), "limits.wat")
	if err := os.WriteFile(mod, []byte(limitsWat), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		args       []string
		code       int
		out, inErr string
	}{
		{"fuelEnough", []string{"--fuel", "1000", mod, "--invoke", "count", "100"}, 0, "i64:100\n", ""},
		{"fuelOut", []string{"--fuel=1000", mod, "--invoke", "count", "1000"}, 1, "", "trap: all fuel consumed"},
		{"timeout", []string{"--timeout", "100ms", mod, "--invoke", "spin"}, 1, "", "trap: interrupted"},
		{"growUnder", []string{"--max-memory", "131072", mod, "--invoke", "grow", "1"}, 0, "i32:1\n", ""},
		{"growOver", []string{"--max-memory", "131072", mod, "--invoke", "grow", "2"}, 0, "i32:4294967295\n", ""},
		{"instantiateOver", []string{"--max-memory", "1000", mod, "--invoke", "grow", "0"}, 1, "", "store limit exceeded"},
		{"badFuel", []string{"--fuel", "x", mod, "--invoke", "grow", "0"}, 1, "", `--fuel "x"`},
		{"badTimeout", []string{"--timeout", "-1s", mod, "--invoke", "grow", "0"}, 1, "", `--timeout "-1s"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			out, errs, code := wfxc(t, append([]string{"run"}, tt.args...)...)
			if code != tt.code || out != tt.out || !strings.Contains(errs, tt.inErr) {
				t.Fatalf("wfxc run %v: exit %d, stdout %q, stderr %q; want exit %d, %q, stderr with %q",
					tt.args, code, out, errs, tt.code, tt.out, tt.inErr)
			}
			if tt.name == "timeout" && time.Since(start) > 2*time.Second {
				t.Fatalf("--timeout 100ms took %v", time.Since(start))
			}
		})
	}
}

// deepContWat recurses deep(n) times inside a continuation; _start does
// it 100,000 times deep, which takes more than the default 1 MiB stack.
const deepContWat = `(module
  (type $f (func (param i64) (result i64)))
  (type $k (cont $f))
  (func $deep (param $n i64) (result i64)
    (if (result i64) (i64.eqz (local.get $n))
      (then (i64.const 0))
      (else (i64.add (call $deep (i64.sub (local.get $n) (i64.const 1))) (i64.const 1)))))
  (elem declare func $deep)
  (func $run (export "deep") (param i64) (result i64)
    (resume $k (local.get 0) (cont.new $k (ref.func $deep))))
  (func (export "_start") (drop (call $run (i64.const 100000)))))`

// TestRun_fibreStackSize: --fibre-stack-size sets the stack of each
// continuation, in wfxc run and in built programs; a size rt does not take
// is a clear error.
func TestRun_fibreStackSize(t *testing.T) {
	dir := t.TempDir()
	mod := filepath.Join(dir, "deep.wat")
	if err := os.WriteFile(mod, []byte(deepContWat), 0o644); err != nil {
		t.Fatal(err)
	}
	const bad = `--fibre-stack-size "1000": want a multiple of`
	tests := []struct {
		name       string
		args       []string
		code       int
		out, inErr string
	}{
		{"default", []string{mod, "--invoke", "deep", "100000"}, 1, "", "trap: call stack exhausted"},
		{"large", []string{"--fibre-stack-size", "16777216", mod, "--invoke", "deep", "100000"}, 0, "i64:100000\n", ""},
		{"small", []string{"--fibre-stack-size=65536", mod, "--invoke", "deep", "10000"}, 1, "", "trap: call stack exhausted"},
		{"command", []string{"--fibre-stack-size", "16777216", mod}, 0, "", ""},
		{"bad", []string{"--fibre-stack-size", "1000", mod, "--invoke", "deep", "1"}, 1, "", bad},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errs, code := wfxc(t, append([]string{"run"}, tt.args...)...)
			if code != tt.code || out != tt.out || !strings.Contains(errs, tt.inErr) {
				t.Fatalf("wfxc run %v: exit %d, stdout %q, stderr %q; want exit %d, %q, stderr with %q",
					tt.args, code, out, errs, tt.code, tt.out, tt.inErr)
			}
		})
	}
	if testing.Short() {
		return
	}
	exe := filepath.Join(dir, "deep")
	if out, errs, code := wfxc(t, "build", mod, "-o", exe); code != 0 {
		t.Fatalf("build: exit %d\n%s\n%s", code, out, errs)
	}
	for _, tt := range []struct {
		args  []string
		code  int
		inErr string
	}{
		{nil, 134, "trap: call stack exhausted"},
		{[]string{"--fibre-stack-size", "16777216"}, 0, ""},
		{[]string{"--fibre-stack-size=16777216", "--", "arg"}, 0, ""},
		{[]string{"--fibre-stack-size", "1000"}, 2, bad},
		{[]string{"--fuel", "10"}, 2, "built without fuel metering"},
	} {
		var stderr strings.Builder
		cmd := exec.Command(exe, tt.args...)
		cmd.Stderr = &stderr
		err := cmd.Run()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != tt.code || !strings.Contains(stderr.String(), tt.inErr) {
			t.Errorf("deep %v: exit %d, stderr %q; want exit %d, stderr with %q", tt.args, code, stderr.String(), tt.code, tt.inErr)
		}
	}
}
