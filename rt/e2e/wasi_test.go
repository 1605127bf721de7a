package e2e

import (
	"bytes"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"wfxc/compile"
	"wfxc/hostgen"
	"wfxc/rt"
	"wfxc/rt/wasi"
)

// wasiModule writes "hello\n" plus its first argument to stdout with
// fd_write, echoes stdin (up to 16 bytes), then exits with status 3.
func wasiModule() *wmodule {
	tFdWrite := [2][]byte{{tI32, tI32, tI32, tI32}, {tI32}}
	tExit := [2][]byte{{tI32}, nil}
	tArgs := [2][]byte{{tI32, tI32}, {tI32}}
	// Memory: 0: iovec{16, 6}; 8: nwritten; 16: "hello\n"; 32: argv
	// pointers; 64: argv strings; 128: iovec{256, 16}; 256: stdin buffer.
	return &wmodule{
		types: [][2][]byte{tFdWrite, tExit, tArgs, typeVoid},
		imports: []wimport{
			{wasi.Module, "fd_write", 0},
			{wasi.Module, "proc_exit", 1},
			{wasi.Module, "args_get", 2},
			{wasi.Module, "fd_read", 0},
		},
		memory: []byte{0x00, 1},
		memExp: "memory",
		datas: [][2][]byte{
			{i32c(0), {16, 0, 0, 0, 6, 0, 0, 0}},
			{i32c(16), []byte("hello\n")},
			{i32c(128), {0, 1, 0, 0, 16, 0, 0, 0}},
		},
		funcs: []wfunc{{typ: 3, export: "_start", locals: []byte{tI32}, body: cat(
			i32c(1), i32c(0), i32c(1), i32c(8), call(0), []byte{0x1A}, // fd_write(1, iov, 1, &n); drop
			i32c(32), i32c(64), call(2), []byte{0x1A}, // args_get(32, 64); drop
			// iovec{argv[1], 3} at 0, write it
			i32c(0), i32c(36), []byte{0x28, 0x02, 0x00}, []byte{0x36, 0x02, 0x00}, // mem[0] = mem[36]
			i32c(4), i32c(3), []byte{0x36, 0x02, 0x00}, // mem[4] = 3
			i32c(1), i32c(0), i32c(1), i32c(8), call(0), []byte{0x1A},
			// fd_read(0, 128, 1, 8); then write what was read
			i32c(0), i32c(128), i32c(1), i32c(8), call(3), []byte{0x1A},
			i32c(132), i32c(8), []byte{0x28, 0x02, 0x00}, []byte{0x36, 0x02, 0x00}, // iov len = nread
			i32c(1), i32c(128), i32c(1), i32c(8), call(0), []byte{0x1A},
			i32c(3), call(1),
		)}},
	}
}

func TestE2E_wasi(t *testing.T) {
	var out bytes.Buffer
	w, err := wasi.New(wasi.Config{
		Args:   []string{"prog", "abc"},
		Stdin:  strings.NewReader("input!"),
		Stdout: &out,
	})
	if err != nil {
		t.Fatal(err)
	}
	inst, err := rt.NewStore().Instantiate(load(t, wasiModule()), w)
	if err != nil {
		t.Fatal(err)
	}
	code, err := wasi.Run(inst)
	if err != nil {
		t.Fatal(err)
	}
	if code != 3 {
		t.Errorf("exit code %d, want 3", code)
	}
	if got := out.String(); got != "hello\nabcinput!" {
		t.Errorf("stdout %q, want %q", got, "hello\nabcinput!")
	}
	// The exit surfaces as an *ExitError through a plain call too.
	_, err = inst.Func("_start").Call()
	var ee *wasi.ExitError
	if !errors.As(err, &ee) || ee.Code != 3 {
		t.Errorf("second run: err = %v, want exit status 3", err)
	}
}

// TestE2E_wasiProgram builds a static executable from a compiled WASI
// module with hostgen.WASIProgram and runs it.
func TestE2E_wasiProgram(t *testing.T) {
	res, err := compile.Compile(wasiModule().encode(), compile.Options{Name: "hello"})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := hostgen.WASIProgram(dir, "hello", res.Object, res.Descriptor, repoRoot(t)); err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(dir, "hello")
	var buildOut strings.Builder
	if err := hostgen.BuildStatic(dir, exe, &buildOut, &buildOut); err != nil {
		t.Fatalf("%v\n%s", err, buildOut.String())
	}
	run := programCommand(exe, "xyz")
	run.Stdin = strings.NewReader("in")
	out, err := run.Output()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 3 {
		t.Fatalf("exit: %v, want status 3", err)
	}
	if string(out) != "hello\nxyzin" {
		t.Fatalf("stdout %q, want %q", out, "hello\nxyzin")
	}
}
