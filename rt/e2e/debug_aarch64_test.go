package e2e

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"wfxc/compile"
	"wfxc/frontend/wat"
	"wfxc/hostgen"
	"wfxc/rt/abi"
)

// TestDebug_gdbAArch64: the aarch64 object's CFI (the enter trampoline's
// CFA through ectx.HostSP, fibre_root's through the parent link, the trap
// routine's caller in X0) read by gdb: an arm64 C host runs under
// qemu-aarch64 -g, gdb-multiarch attaches to it, and bt from a function
// inside a continuation resumed by a continuation shows every wasm frame
// through both resumers and the export into the Go runtime, each resumer
// with its own SP; bt from the trap routine shows the trapping function. Needs gdb-multiarch, qemu-aarch64 and aarch64-linux-gnu-gcc.
func TestDebug_gdbAArch64(t *testing.T) {
	if os.Getenv(testExecEnv) != "" {
		t.Skip("runs qemu itself")
	}
	var tools []string
	for _, tool := range []string{"gdb-multiarch", "qemu-aarch64", "aarch64-linux-gnu-gcc"} {
		p, err := exec.LookPath(tool)
		if err != nil {
			t.Skipf("%s is not installed (Debian packages gdb-multiarch, qemu-user, gcc-aarch64-linux-gnu)", tool)
		}
		tools = append(tools, p)
	}
	gdb, qemu := tools[0], tools[1]
	bin, err := wat.ParseModule([]byte(`(module
	  (type $f (func))
	  (type $k (cont $f))
	  (global $n (mut i32) (i32.const 0))
	  (func $leaf (global.set $n (i32.div_u (i32.const 1) (global.get $n))))
	  (func $mid (call $leaf))
	  (func $body (call $mid))
	  (func $inner (resume $k (cont.new $k (ref.func $body))))
	  (func $outer (resume $k (cont.new $k (ref.func $inner))))
	  (elem declare func $body $inner)
	  (func (export "run") (result i32) (call $outer) (global.get $n)))`))
	if err != nil {
		t.Fatal(err)
	}
	res, err := compile.Compile(bin, compile.Options{Name: "fa64", Target: abi.AArch64})
	if err != nil {
		t.Fatal(err)
	}
	exe := buildCProgramAArch64(t, res, "fa64", `#include <stdio.h>
#define WFX_HANDLE_API
#include "fa64.h"

int main(void) {
	uint64_t inst = fa64_instantiate();
	int32_t n;
	printf("%d\n", fa64_run(inst, &n));
	return 0;
}
`)

	// A free port for qemu's gdb stub.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
	l.Close()
	q := exec.Command(qemu, "-L", "/usr/aarch64-linux-gnu", "-g", port, exe)
	// qemu-user's gdb stub stops and resumes threads one by one; the Go
	// runtime inside the C host (preemption signals, idle threads waking)
	// hung it in about one run in five. One P and no async preemption keep
	// the program to the thread that runs the wasm code.
	q.Env = append(os.Environ(), "GOMAXPROCS=1", "GODEBUG=asyncpreemptoff=1")
	if err := q.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { q.Process.Kill(); q.Wait() }()
	args := []string{"-batch", "-nx", "-ex", "set language c", "-ex", "set pagination off",
		// qemu's stub takes one connection: gdb retries until it listens.
		"-ex", "set tcp auto-retry on", "-ex", "set tcp connect-timeout 30",
		"-ex", "file " + exe, "-ex", "target remote 127.0.0.1:" + port,
		"-ex", "break *'wfx_fa64.leaf'", "-ex", "break *'wfx_fa64.trap'",
		"-ex", "continue", "-ex", "bt", "-ex", `frame apply all -q printf "fp-sp %#lx %ld\n", $pc, (long)$x29 - (long)$sp`,
		"-ex", "continue", "-ex", "bt", "-ex", "kill"}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, gdb, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("gdb-multiarch: %v (a hang is killed after 2 minutes)\n%s", err, out)
	}
	text := string(out)
	for _, bad := range []string{"corrupt stack", "Backtrace stopped"} {
		if strings.Contains(text, bad) {
			t.Errorf("gdb says %q", bad)
		}
	}
	var names []string
	for _, f := range gdbFrames(text) {
		f, _, _ = strings.Cut(f, "@")
		names = append(names, strings.TrimPrefix(f, "wfx_fa64."))
	}
	got := strings.Join(names, " ")
	chain := "mid body cont_entry[0] <signal handler called> inner cont_entry[0] <signal handler called> outer run run[wrapper] <signal handler called>"
	for _, want := range []string{"leaf " + chain, "<signal handler called> leaf " + chain} {
		if !strings.Contains(got, want) {
			t.Errorf("gdb backtraces %q lack %q", got, want)
		}
	}
	// The C host called rt through cgo, whose callback runs on a Go
	// stack: gdb ends at its base, runtime.goexit, as for any cgo callback.
	if strings.Count(got, "main.wfx_rt_call") != 2 || strings.Count(got, "runtime.goexit") != 2 {
		t.Errorf("gdb backtraces %q, want both to reach rt's C API (wfx_rt_call) and end at runtime.goexit", got)
	}
	checkResumerFrames(t, text, "wfx_fa64.", "fp-sp")
	if t.Failed() || testing.Verbose() {
		t.Logf("%s", out)
	}
}

// buildCProgramAArch64 is buildCProgram for aarch64: librt.a built for
// arm64 with the cross compiler, which links the program.
func buildCProgramAArch64(t *testing.T, res *compile.Result, name, mainC string) string {
	t.Helper()
	dir := t.TempDir()
	lib := filepath.Join(dir, "librt.a")
	cmd := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-buildmode=c-archive", "-o", lib, "wfxc/rt/capi")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=1", "GOARCH=arm64", "CC=aarch64-linux-gnu-gcc")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build librt.a: %v\n%s", err, out)
	}
	files := map[string][]byte{
		name + ".h": hostgen.CHeader(res.Descriptor, name),
		name + ".o": res.Object,
		"main.c":    []byte(mainC),
	}
	for f, content := range files {
		if err := os.WriteFile(filepath.Join(dir, f), content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	exe := filepath.Join(dir, "prog")
	cc := exec.Command("aarch64-linux-gnu-gcc", "-g", "-Wall", "-Werror", "-o", exe, "main.c", name+".o", "librt.a", "-lpthread")
	cc.Dir = dir
	if out, err := cc.CombinedOutput(); err != nil {
		t.Fatalf("aarch64-linux-gnu-gcc: %v\n%s", err, out)
	}
	return exe
}
