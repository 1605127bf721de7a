package e2e

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"wfxc/rt"
)

// TestPerfMap: with WFXC_PERF_MAP=1, LoadObject appends the object's
// functions to /tmp/perf-PID.map (what perf report reads for code no ELF
// file holds), each "START SIZE NAME" inside the mapped code, named as in
// the object; without it nothing is written.
func TestPerfMap(t *testing.T) {
	path := fmt.Sprintf("/tmp/perf-%d.map", os.Getpid())
	os.Remove(path)
	defer os.Remove(path)
	loadWat(t, "nomap", `(module (func (export "f")))`)
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("%s written without %s=1 (stat: %v)", path, rt.PerfMapEnv, err)
	}
	t.Setenv(rt.PerfMapEnv, "1")
	m := loadWat(t, "perfmap", `(module
  (func $inner (result i32) (i32.const 7))
  (func (export "outer") (result i32) (call $inner)))`)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		f := strings.Fields(line)
		if len(f) != 3 {
			t.Fatalf("perf map line %q: want START SIZE NAME", line)
		}
		start, err1 := strconv.ParseUint(f[0], 16, 64)
		size, err2 := strconv.ParseUint(f[1], 16, 64)
		if err1 != nil || err2 != nil || size == 0 {
			t.Fatalf("perf map line %q: bad start or size", line)
		}
		if uintptr(start) < m.Text() {
			t.Errorf("perf map line %q starts below the module's code at %#x", line, m.Text())
		}
		names[f[2]] = true
	}
	for _, want := range []string{"wfx_perfmap.inner", "wfx_perfmap.outer"} {
		if !names[want] {
			t.Errorf("perf map has no %s; it has %v", want, names)
		}
	}
}
