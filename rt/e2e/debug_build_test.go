package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// buildWfxc builds cmd/wfxc into dir and returns its path.
func buildWfxc(t *testing.T, dir string) string {
	t.Helper()
	wfxc := filepath.Join(dir, "wfxc")
	cmd := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-o", wfxc, "wfxc/cmd/wfxc")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build wfxc: %v\n%s", err, out)
	}
	return wfxc
}

// TestDebug_gdbWfxcBuildAcrossFibres: in an executable of wfxc build (code
// that rt maps and hands to gdb through its JIT interface), a breakpoint
// in a function inside a continuation resumed by a continuation is hit
// twice (before and after the inner chain suspended to the outer handler
// and was resumed from there); each bt names every wasm frame through
// both fibres' roots into each resumer, then the export, the enter
// trampoline and rt, down to the Go runtime's main, with no "corrupt
// stack" and no "Backtrace stopped".
func TestDebug_gdbWfxcBuildAcrossFibres(t *testing.T) {
	skipUnlessNativeGDB(t)
	tmp := t.TempDir()
	wfxc := buildWfxc(t, tmp)
	src := filepath.Join(tmp, "k.wat")
	if err := os.WriteFile(src, []byte(`(module
  (type $f (func))
  (type $k (cont $f))
  (tag $y)
  (memory (export "memory") 1)
  (global $n (mut i32) (i32.const 0))
  (func $leaf (global.set $n (i32.add (global.get $n) (i32.const 1))))
  (func $mid (call $leaf) (suspend $y) (call $leaf))
  (func $body (call $mid))
  (func $inner (resume $k (cont.new $k (ref.func $body))))
  (func $outer
    (block $h (result (ref $k))
      (resume $k (on $y $h) (cont.new $k (ref.func $inner)))
      (return))
    (resume $k))
  (elem declare func $body $inner)
  (func (export "_start") (call $outer)))
`), 0o644); err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(tmp, "k")
	if out, err := exec.Command(wfxc, "build", src, "-o", exe).CombinedOutput(); err != nil {
		t.Fatalf("wfxc build: %v\n%s", err, out)
	}
	out := gdbBatch(t, exe, "set breakpoint pending on", "break leaf", "run", "bt", "continue", "bt", "kill")
	for _, bad := range []string{"corrupt stack", "Backtrace stopped"} {
		if strings.Contains(out, bad) {
			t.Errorf("gdb says %q\n%s", bad, out)
		}
	}
	var names []string
	for _, f := range gdbFrames(out) {
		f, _, _ = strings.Cut(f, "@")
		names = append(names, strings.TrimPrefix(f, "wfx_k."))
	}
	chain := "leaf mid body cont_entry[0] <signal handler called> inner cont_entry[0] <signal handler called> outer _start _start[wrapper] <signal handler called> wfxc/rt/native.Call4"
	got := strings.Join(names, " ")
	if strings.Count(got, chain) != 2 {
		t.Fatalf("gdb backtraces %q, want each stop to start with %q\n%s", got, chain, out)
	}
	if strings.Count(got, "runtime.main") != 2 {
		t.Errorf("gdb backtraces %q, want both to reach the Go runtime's main\n%s", got, out)
	}
	if t.Failed() || testing.Verbose() {
		t.Logf("%s", out)
	}
}
