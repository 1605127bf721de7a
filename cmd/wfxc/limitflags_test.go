package main

import (
	"os"
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
