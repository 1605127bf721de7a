package main

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestRun_bounds: wfxc run --bounds explicit and guard (and the default,
// guard pages on x86-64) print the same results, trap message and
// backtrace; a bad mode is a clear error, and so is guard for aarch64,
// whose default is explicit.
func TestRun_bounds(t *testing.T) {
	dir := t.TempDir()
	m := writeFile(t, filepath.Join(dir, "mem.wat"), `(module (memory 1)
	  (func (export "load") (param i32) (result i32) (i32.load offset=4 (local.get 0)))
	  (func (export "splat") (param i32) (result i32)
	    (i32x4.extract_lane 2 (v128.load32_splat (local.get 0)))))`)
	for _, call := range [][]string{{"load", "8"}, {"load", "65532"}, {"splat", "65532"}, {"splat", "65533"}, {"load", "4294967295"}} {
		var first []string
		for _, mode := range []string{"", "explicit", "guard"} {
			args := []string{"run"}
			if mode != "" {
				args = append(args, "--bounds", mode)
			}
			out, errs, code := wfxc(t, append(append(args, m, "--invoke"), call...)...)
			got := []string{out, errs, strconv.Itoa(code)}
			if first == nil {
				first = got
				continue
			}
			if strings.Join(got, "|") != strings.Join(first, "|") {
				t.Errorf("%v --bounds %q: %q, want (as by default) %q", call, mode, got, first)
			}
		}
		if call[1] == "65533" && (!strings.Contains(first[1], "out of bounds memory access") || !strings.Contains(first[1], "wasm backtrace")) {
			t.Errorf("%v: stderr %q, want an out-of-bounds trap with a backtrace", call, first[1])
		}
	}
	if _, errs, code := wfxc(t, "run", "--bounds", "none", m, "--invoke", "load", "0"); code == 0 || !strings.Contains(errs, "--bounds") {
		t.Errorf("--bounds none: exit %d, stderr %q; want an error naming --bounds", code, errs)
	}
	o := filepath.Join(dir, "mem.o")
	if _, errs, code := wfxc(t, m, "-o", o, "--target", "aarch64"); code != 0 {
		t.Errorf("aarch64, default bounds: exit %d, %s", code, errs)
	}
	if _, errs, code := wfxc(t, m, "-o", o, "--target", "aarch64", "--bounds", "guard"); code == 0 || !strings.Contains(errs, "x86_64 only") {
		t.Errorf("aarch64 with --bounds guard: exit %d, stderr %q; want an error", code, errs)
	}
}
