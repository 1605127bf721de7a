package e2e

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"wfxc/compile"
	"wfxc/frontend"
	"wfxc/frontend/wat"
	"wfxc/hostgen"
)

// TestDebug_gdbAcrossFibres: gdb, unwinding with the object's .eh_frame,
// goes from a function inside a continuation resumed by a continuation
// through both fibres' root frames (fibre_root) into each resumer, in the
// order of the resume chain — also after the inner chain was suspended to
// the outer handler and resumed from there.
func TestDebug_gdbAcrossFibres(t *testing.T) {
	skipUnlessNativeGDB(t)
	bin, err := wat.ParseModule([]byte(`(module
	  (type $f (func))
	  (type $k (cont $f))
	  (tag $y)
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
	  (func (export "run") (result i32) (call $outer) (global.get $n)))`))
	if err != nil {
		t.Fatal(err)
	}
	res, err := compile.Compile(bin, compile.Options{Name: "fib2"})
	if err != nil {
		t.Fatal(err)
	}
	exe := buildGoHostExternal(t, res, "fib2", `package main

import (
	"fmt"

	"example/fib2"
)

func main() {
	inst, err := fib2.New(nil, nil)
	if err != nil {
		panic(err)
	}
	fmt.Println(inst.Run())
}
`)
	out := gdbBatch(t, exe, "break *'wfx_fib2.leaf'", "run", "bt", `frame apply all -q printf "rbp-rsp %#lx %ld\n", $pc, $rbp - $sp`, "continue", "bt", "kill")
	for _, bad := range []string{"corrupt stack", "Backtrace stopped"} {
		if strings.Contains(out, bad) {
			t.Errorf("gdb says %q\n%s", bad, out)
		}
	}
	// Each stop: $leaf $mid $body, the inner fibre's entry and root,
	// $inner, the outer fibre's entry and root, $outer, the export, the
	// enter trampoline and rt, down to the host's main.main. The fibre
	// roots, like the enter trampoline, are signal frames (their callers
	// are on other stacks), which gdb shows as "<signal handler called>".
	var names []string
	for _, f := range gdbFrames(out) {
		f, _, _ = strings.Cut(f, "@")
		names = append(names, strings.TrimPrefix(f, "wfx_fib2."))
	}
	chain := "leaf mid body cont_entry[0] <signal handler called> inner cont_entry[0] <signal handler called> outer run run[wrapper] <signal handler called>"
	got := strings.Join(names, " ")
	if strings.Count(got, chain) != 2 {
		t.Fatalf("gdb backtraces %q, want each stop to start with %q\n%s", got, chain, out)
	}
	if strings.Count(got, "main.main") != 2 {
		t.Errorf("gdb backtraces %q, want both to reach the host's main.main\n%s", got, out)
	}
	// The resumers' registers come from fibre_root's CFI: RSP from the
	// parent link in the control context, so each resumer's RSP is on its
	// own stack, a frame below its RBP. (Frame records alone give RBP and
	// the PC but no RSP: gdb would take the fibre's top for it.)
	checkResumerFrames(t, out, "wfx_fib2.", "rbp-rsp")
	if t.Failed() || testing.Verbose() {
		t.Logf("%s", out)
	}
}

// gdbBatch runs gdb on exe with the commands, after the settings every
// test needs (C, no pager, Go's preemption signal passed silently, and
// SIGSEGV/SIGBUS passed silently too: guard-page memories, the default on
// x86-64, trap through them, as under Wasmtime), and returns its output.
func gdbBatch(t *testing.T, exe string, cmds ...string) string {
	t.Helper()
	gdb := skipUnlessNativeGDB(t)
	args := []string{"-batch", "-nx", "-ex", "set language c", "-ex", "set pagination off",
		"-ex", "handle SIGURG nostop noprint", "-ex", "handle SIGSEGV SIGBUS nostop noprint pass"}
	for _, c := range cmds {
		args = append(args, "-ex", c)
	}
	out, err := exec.Command(gdb, append(args, exe)...).CombinedOutput()
	if err != nil {
		t.Fatalf("gdb: %v\n%s", err, out)
	}
	return string(out)
}

// TestDebug_gdbSourceLines: a C program compiled by clang -g for
// wasm32-wasi (testdata/debug/deep.c, the command is in its comment) keeps
// its source lines through wfxc. Stopped in leaf, three calls deep from
// the export, gdb's bt names every wasm frame with its deep.c:LINE, goes
// on through the enter trampoline and rt into the Go host's main.main, and
// ends there cleanly; list shows the C source. (The Go host is linked by
// gcc, -linkmode=external: Go's own linker drops the DWARF and .eh_frame
// of a .syso.)
func TestDebug_gdbSourceLines(t *testing.T) {
	skipUnlessNativeGDB(t)
	dir, err := filepath.Abs("testdata/debug")
	if err != nil {
		t.Fatal(err)
	}
	bin, err := os.ReadFile(filepath.Join(dir, "deep.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := compile.Compile(bin, compile.Options{Name: "deep"})
	if err != nil {
		t.Fatal(err)
	}
	exe := buildGoHostExternal(t, res, "deep", `package main

import (
	"fmt"

	"example/deep"
)

func main() {
	inst, err := deep.New(nil, nil)
	if err != nil {
		panic(err)
	}
	fmt.Println(inst.Run(5))
}
`)
	out := gdbBatch(t, exe, "directory "+dir, "break leaf", "run", "bt", "list", "kill")
	for _, bad := range []string{"corrupt stack", "Backtrace stopped"} {
		if strings.Contains(out, bad) {
			t.Errorf("gdb says %q", bad)
		}
	}
	got := gdbFrames(out)
	want := deepFrames
	if len(got) < len(want) || strings.Join(got[:len(want)], " ") != strings.Join(want, " ") {
		t.Fatalf("gdb backtrace %q, want it to start with %q\n%s", got, want, out)
	}
	var sawMain bool
	for _, f := range got {
		sawMain = sawMain || strings.HasPrefix(f, "main.main@")
		if strings.HasPrefix(f, "??") {
			t.Errorf("gdb backtrace %q has an unknown frame\n%s", got, out)
		}
	}
	if !sawMain {
		t.Errorf("gdb backtrace %q does not reach the host's main.main\n%s", got, out)
	}
	if !strings.Contains(out, "sink += x; // the breakpoint's line") {
		t.Errorf("list shows no line of deep.c\n%s", out)
	}
	if t.Failed() || testing.Verbose() {
		t.Logf("%s", out)
	}
}

// TestDebug_gdbWfxcBuild: the same C program as a WASI command in an
// executable of wfxc build, whose code rt maps at run time and hands to
// gdb through gdb's JIT interface (rt/gdbjit.go): a pending breakpoint on
// leaf is hit, bt shows the wasm frames with their deep.c lines down to
// the C main and _start, crosses the enter trampoline and ends in the Go
// runtime's main, which runs the program.
func TestDebug_gdbWfxcBuild(t *testing.T) {
	skipUnlessNativeGDB(t)
	dir, err := filepath.Abs("testdata/debug")
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	wfxc := buildWfxc(t, tmp)
	exe := filepath.Join(tmp, "deep")
	if out, err := exec.Command(wfxc, "build", filepath.Join(dir, "deep_cmd.wasm"), "-o", exe).CombinedOutput(); err != nil {
		t.Fatalf("wfxc build: %v\n%s", err, out)
	}
	out := gdbBatch(t, exe, "set breakpoint pending on", "directory "+dir, "break leaf", "run", "bt", "kill")
	for _, bad := range []string{"corrupt stack", "Backtrace stopped"} {
		if strings.Contains(out, bad) {
			t.Errorf("gdb says %q", bad)
		}
	}
	got := gdbFrames(out)
	want := append(append([]string(nil), deepFrames...), "main@deep.c:38")
	if len(got) < len(want) || strings.Join(got[:len(want)], " ") != strings.Join(want, " ") {
		t.Fatalf("gdb backtrace %q, want it to start with %q\n%s", got, want, out)
	}
	host := strings.Join(got[len(want):], " ")
	for _, w := range []string{"<signal handler called> wfxc/rt/native.Call4@call_amd64.s:", "runtime.main@proc.go:"} {
		if !strings.Contains(host, w) {
			t.Errorf("gdb backtrace %q lacks %q\n%s", got, w, out)
		}
	}
	if t.Failed() || testing.Verbose() {
		t.Logf("%s", out)
	}
}

// deepFrames are the innermost frames of a stop in deep.c's leaf: its
// breakpoint line is 19 (after its prologue), the calls are on lines 24,
// 29 and 34.
var deepFrames = []string{"leaf@deep.c:19", "middle@deep.c:24", "outer@deep.c:29", "run@deep.c:34"}

// gdbFrames returns the frames of the backtraces in gdb output, as
// function@file:line (function alone when gdb shows no source).
func gdbFrames(out string) []string {
	frame := regexp.MustCompile(`(?m)^#\d+\s+(?:0x[0-9a-f]+ in )?(\S+|<signal handler called>) ?(?:\(.*\))?(?: at (\S+))?$`)
	var got []string
	for _, m := range frame.FindAllStringSubmatch(out, -1) {
		f := m[1]
		if m[2] != "" {
			f += "@" + filepath.Base(m[2])
		}
		got = append(got, f)
	}
	return got
}

// buildGoHostExternal writes the Go package of res (hostgen.GoPackage)
// and the main program mainSrc, and links them with the external linker
// (gcc), which keeps the object's .eh_frame and DWARF.
func buildGoHostExternal(t *testing.T, res *compile.Result, name, mainSrc string, env ...string) string {
	t.Helper()
	dir := t.TempDir()
	if err := hostgen.GoPackage(filepath.Join(dir, name), name, name, res.Object, res.Descriptor); err != nil {
		t.Fatal(err)
	}
	if err := hostgen.GoMain(dir, "example", repoRoot(t), mainSrc); err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(dir, "prog")
	cmd := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-ldflags=-linkmode=external", "-o", exe, ".")
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), "CGO_ENABLED=1", "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off"), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build -linkmode=external: %v\n%s", err, out)
	}
	return exe
}

// skipUnlessNativeGDB skips a gdb test when gdb is missing or the test
// binary's programs run under an emulator ($WFXC_TEST_EXEC, e.g. the arm64
// tests under qemu-user), which gdb does not attach to.
// It returns gdb's path.
func skipUnlessNativeGDB(t *testing.T) string {
	t.Helper()
	gdb, err := exec.LookPath("gdb")
	if err != nil {
		t.Skip("gdb is not installed (.ci/run installs it)")
	}
	if r := os.Getenv(testExecEnv); r != "" {
		t.Skipf("the programs run under %s, which gdb does not attach to", r)
	}
	return gdb
}

// TestDebug_gdbTrapStub: stopped in the trap routine, gdb's bt starts
// with the trap (a signal frame, "<signal handler called>": its caller's
// PC is the trapping instruction, not a return address), then the
// trapping function itself at its trapping instruction, its callers, and
// goes on into the host's main.main.
func TestDebug_gdbTrapStub(t *testing.T) {
	skipUnlessNativeGDB(t)
	bin, err := wat.ParseModule([]byte(`(module
	  (func $boom (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
	  (func $mid (param i32) (result i32) (i32.add (call $boom (local.get 0)) (i32.const 1)))
	  (func (export "run") (result i32) (call $mid (i32.const 0))))`))
	if err != nil {
		t.Fatal(err)
	}
	res, err := compile.Compile(bin, compile.Options{Name: "trapper"})
	if err != nil {
		t.Fatal(err)
	}
	exe := buildGoHostExternal(t, res, "trapper", `package main

import (
	"fmt"

	"example/trapper"
)

func main() {
	inst, err := trapper.New(nil, nil)
	if err != nil {
		panic(err)
	}
	fmt.Println(inst.Run())
}
`)
	out := gdbBatch(t, exe, "break *'wfx_trapper.trap'", "run", "bt", "kill")
	for _, bad := range []string{"corrupt stack", "Backtrace stopped"} {
		if strings.Contains(out, bad) {
			t.Errorf("gdb says %q\n%s", bad, out)
		}
	}
	var names []string
	for _, f := range gdbFrames(out) {
		names = append(names, strings.TrimPrefix(f, "wfx_trapper."))
	}
	got := strings.Join(names, " ")
	// Without DWARF in the module the line table maps code to wasm byte
	// offsets: boom's frame is at its i32.div_u (opcode 0x6e).
	m, err := frontend.Decode(bin)
	if err != nil {
		t.Fatal(err)
	}
	div := m.Codes[0].BodyOffset + bytes.IndexByte(bin[m.Codes[0].BodyOffset:], 0x6e)
	want := regexp.MustCompile(fmt.Sprintf(`^<signal handler called> boom@trapper.wasm:%d mid@trapper.wasm:\d+ run@trapper.wasm:\d+ `, div))
	if !want.MatchString(got) || !strings.Contains(got, "main.main") {
		t.Fatalf("gdb backtrace %q, want the trap, boom, mid and run, down to main.main\n%s", got, out)
	}
	if t.Failed() || testing.Verbose() {
		t.Logf("%s", out)
	}
}

// checkResumerFrames checks the lines "MARKER PC FP-SP" that gdb printed
// for every frame (frame apply all printf) against the backtraces in out:
// the frames of the resumers $inner and $outer (symbols prefix+name) have
// an SP a frame's size below their FP, on their own stack.
func checkResumerFrames(t *testing.T, out, prefix, marker string) {
	t.Helper()
	frames := map[string]string{} // PC → function, from the backtraces
	for _, m := range regexp.MustCompile(`(?m)^#\d+\s+(0x[0-9a-f]+) in (\S+)`).FindAllStringSubmatch(out, -1) {
		pc, _ := strconv.ParseUint(m[1], 0, 64)
		frames[strconv.FormatUint(pc, 16)] = strings.TrimPrefix(m[2], prefix)
	}
	checked := 0
	for _, m := range regexp.MustCompile(`(?m)^`+marker+` 0x([0-9a-f]+) (-?\d+)$`).FindAllStringSubmatch(out, -1) {
		if fn := frames[m[1]]; fn != "inner" && fn != "outer" {
			continue
		}
		checked++
		if d, err := strconv.ParseInt(m[2], 10, 64); err != nil || d < 16 || d > 1<<12 {
			t.Errorf("resumer at 0x%s: gdb's FP - SP = %s, want a frame's size", m[1], m[2])
		}
	}
	if checked != 2 {
		t.Errorf("gdb printed FP - SP for %d resumer frames, want 2\n%s", checked, out)
	}
}
