package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The rough edges of the command line found by trying it as a new user
// (issue 15), one test each.

// writeFile writes a test input.
func writeFile(t *testing.T, path, data string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

const tinyWast = `(module (func (export "f") (result i32) (i32.const 1)))
(assert_return (invoke "f") (i32.const 1))
`

// TestWast_textDiscovery: --text DIR finds every .wast below DIR, in any
// layout, and a directory without scripts is an error, not "0 passed".
func TestWast_textDiscovery(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "foo.wast"), tinyWast)
	writeFile(t, filepath.Join(dir, "sub", "bar.wast"), tinyWast)
	writeFile(t, filepath.Join(dir, "baz", "baz.wast"), tinyWast)
	out, errs, code := wfxc(t, "wast", "--text", dir)
	if code != 0 || !strings.HasSuffix(out, "6 passed, 0 failed, 0 skipped\n") {
		t.Fatalf("exit %d, stdout %q, stderr %q; want 6 passed", code, out, errs)
	}
	for _, key := range []string{"foo ", "sub/bar ", "baz "} {
		if !strings.Contains(out, "\n"+key) && !strings.HasPrefix(out, key) {
			t.Errorf("report lacks script %q:\n%s", key, out)
		}
	}

	empty := t.TempDir()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"emptyText", []string{"--text", empty}, "no *.wast script below"},
		{"emptyJSON", []string{empty}, "no JSON script"},
		{"textOnlyAsJSON", []string{dir}, "use --text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errs, code := wfxc(t, append([]string{"wast"}, tt.args...)...)
			if code == 0 || !strings.Contains(errs, tt.want) {
				t.Fatalf("exit %d, stdout %q, stderr %q; want an error with %q", code, out, errs, tt.want)
			}
		})
	}
}

// TestWast_scriptInCurrentDir: a script named in the current directory is
// reported under its name, not "..".
func TestWast_scriptInCurrentDir(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "t.wast"), tinyWast)
	t.Chdir(dir)
	out, errs, code := wfxc(t, "wast", "--text", "t.wast")
	if code != 0 || !strings.HasPrefix(out, "t ") {
		t.Fatalf("exit %d, stdout %q, stderr %q; want the script reported as t", code, out, errs)
	}
}

// TestRun_instantiationTrap: a trap in a start function or an active data
// segment prints as a trap (message, and a backtrace when wasm code ran),
// not as "wfxc: unreachable".
func TestRun_instantiationTrap(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, wat string
		want      []string
	}{
		{"start", `(module (func $s unreachable) (start $s) (func (export "f")))`,
			[]string{"trap: unreachable\n", "in the start function", "wasm backtrace:\n  0: "}},
		{"data", `(module (memory 1) (data (i32.const 70000) "x") (func (export "f")))`,
			[]string{"trap: out of bounds memory access\n", "in an active element or data segment"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := writeFile(t, filepath.Join(dir, tt.name+".wat"), tt.wat)
			out, errs, code := wfxc(t, "run", m, "--invoke", "f")
			if code != 1 {
				t.Fatalf("exit %d, want 1; stdout %q stderr %q", code, out, errs)
			}
			for _, w := range tt.want {
				if !strings.Contains(errs, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errs)
				}
			}
		})
	}
}

const valuesWat = `(module
  (func (export "i32") (param i32) (result i32) local.get 0)
  (func (export "i64") (param i64) (result i64) local.get 0)
  (func (export "f32") (param f32) (result f32) local.get 0)
  (func (export "f64") (param f64) (result f64) local.get 0)
  (func (export "extern") (param externref) (result externref) local.get 0)
  (func (export "func") (param funcref) (result funcref) local.get 0)
  (func (export "funcNonNull") (result funcref) ref.func 0)
  (elem declare func 0)
  (func (export "two") (result i32 f64) i32.const 7 f64.const 2.5)
)`

// TestRun_invokeValues: --invoke takes arguments written as the text
// format writes constants (hex, signs, '_', nan and inf) and references,
// and prints every result type readably.
func TestRun_invokeValues(t *testing.T) {
	m := writeFile(t, filepath.Join(t.TempDir(), "values.wat"), valuesWat)
	tests := []struct {
		fn   string
		args []string
		want string
	}{
		{"i32", []string{"0x10"}, "i32:16\n"},
		{"i32", []string{"-0x1"}, "i32:4294967295\n"},
		{"i32", []string{"1_000"}, "i32:1000\n"},
		{"i32", []string{"010"}, "i32:10\n"}, // decimal, not octal
		{"i64", []string{"-9223372036854775808"}, "i64:9223372036854775808\n"},
		{"f32", []string{"-nan"}, "f32:-nan\n"},
		{"f32", []string{"nan:0x200000"}, "f32:nan:0x200000\n"},
		{"f64", []string{"-inf"}, "f64:-inf\n"},
		{"f64", []string{"0x1p-2"}, "f64:0.25\n"},
		{"extern", []string{"5"}, "externref:5\n"},
		{"extern", []string{"null"}, "externref:null\n"},
		{"func", []string{"null"}, "funcref:null\n"},
		{"funcNonNull", nil, "funcref:ref\n"},
		{"two", nil, "i32:7\nf64:2.5\n"},
	}
	for _, tt := range tests {
		t.Run(tt.fn+"/"+strings.Join(tt.args, ","), func(t *testing.T) {
			out, errs, code := wfxc(t, append([]string{"run", m, "--invoke", tt.fn}, tt.args...)...)
			if code != 0 || out != tt.want {
				t.Fatalf("exit %d, stdout %q, stderr %q; want %q", code, out, errs, tt.want)
			}
		})
	}
	bad := []struct {
		fn, arg, want string
	}{
		{"i32", "0x100000000", "not a valid i32"},
		{"f32", "nan:0x0", "not a valid f32"},
		{"func", "3", "only null can be passed as a funcref"},
	}
	for _, tt := range bad {
		t.Run("bad/"+tt.fn+"/"+tt.arg, func(t *testing.T) {
			_, errs, code := wfxc(t, "run", m, "--invoke", tt.fn, tt.arg)
			if code == 0 || !strings.Contains(errs, tt.want) {
				t.Fatalf("exit %d, stderr %q; want an error with %q", code, errs, tt.want)
			}
		})
	}
}

// TestCompile_outputsAllOrNone: when one output cannot be written (the
// header's directory does not exist), no output is written.
func TestCompile_outputsAllOrNone(t *testing.T) {
	dir := t.TempDir()
	obj := filepath.Join(dir, "x.o")
	_, errs, code := wfxc(t, fibWasm, "-o", obj, "--header", "/nonexistent/x.h")
	if code == 0 || !strings.Contains(errs, "/nonexistent/x.h") {
		t.Fatalf("exit %d, stderr %q; want an error naming the header", code, errs)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("outputs written although one failed: %v", entries)
	}
	notDir := writeFile(t, filepath.Join(t.TempDir(), "file"), "")
	_, errs, code = wfxc(t, fibWasm, "-o", obj, "--go-package", filepath.Join(notDir, "pkg"))
	if _, err := os.Stat(obj); code == 0 || err == nil {
		t.Fatalf("exit %d, stderr %q, %s written: want an error and no object", code, errs, obj)
	}
}

// TestCompile_goPackageRegenerated: writing a Go package again into the
// same directory (here under another module name, so other file names)
// removes the files of the earlier one, keeps the user's, and builds.
func TestCompile_goPackageRegenerated(t *testing.T) {
	pkg := filepath.Join(t.TempDir(), "fib")
	if _, errs, code := wfxc(t, fibWasm, "--go-package", pkg, "--name", "one"); code != 0 {
		t.Fatalf("first: exit %d: %s", code, errs)
	}
	writeFile(t, filepath.Join(pkg, "extra.go"), "package fib\n\n// Extra is the user's.\nconst Extra = 1\n")
	if _, errs, code := wfxc(t, fibWasm, "--go-package", pkg, "--name", "two"); code != 0 {
		t.Fatalf("second: exit %d: %s", code, errs)
	}
	entries, err := os.ReadDir(pkg)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := []string{"extra.go", "two.go", "two_amd64.s", "two_amd64.syso"}
	if !slices.Equal(names, want) {
		t.Fatalf("package files %v, want %v", names, want)
	}
	if testing.Short() {
		return
	}
	cmd := exec.Command("go", "vet", ".")
	cmd.Dir = pkg
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off")
	writeFile(t, filepath.Join(pkg, "go.mod"), "module fib\n\ngo 1.26\n\nrequire wfxc v0.0.0\n\nreplace wfxc => "+repoRoot(t)+"\n")
	sum, _ := os.ReadFile(filepath.Join(repoRoot(t), "go.sum"))
	writeFile(t, filepath.Join(pkg, "go.sum"), string(sum))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go vet of the regenerated package: %v\n%s", err, out)
	}
}

// repoRoot is the root of the wfxc module.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// TestValidate_resultCount: too few results name what the stack holds.
func TestValidate_resultCount(t *testing.T) {
	m := writeFile(t, filepath.Join(t.TempDir(), "count.wat"), `(module (func (result i32 i32) (i32.const 1)))`)
	out, _, code := wfxc(t, "validate", m)
	if code != 1 || !strings.Contains(out, "type mismatch: instruction requires [i32 i32] but stack has [i32]") {
		t.Fatalf("exit %d, stdout %q; want the whole mismatch", code, out)
	}
}

// TestRun_spectestPrint: spectest's print functions print their arguments
// (as the reference interpreter does), to stdout.
func TestRun_spectestPrint(t *testing.T) {
	m := writeFile(t, filepath.Join(t.TempDir(), "print.wat"), `(module
  (import "spectest" "print_i32" (func $pi (param i32)))
  (import "spectest" "print_f64_f64" (func $pff (param f64 f64)))
  (func (export "f") (call $pi (i32.const -1)) (call $pff (f64.const 1.5) (f64.const -0))))`)
	out, errs, code := wfxc(t, "run", m, "--invoke", "f")
	if want := "4294967295 : i32\n1.5 : f64\n-0 : f64\n"; code != 0 || out != want {
		t.Fatalf("exit %d, stdout %q, stderr %q; want %q", code, out, errs, want)
	}
}

// TestBuild_refuses: wfxc build (and wfxc run of a WASI command) refuse a
// module the executable could not run, naming what is missing.
func TestBuild_refuses(t *testing.T) {
	dir := t.TempDir()
	noStart := writeFile(t, filepath.Join(dir, "nostart.wat"), `(module (func (export "main")))`)
	imports := writeFile(t, filepath.Join(dir, "imports.wat"), `(module
  (import "env" "foo" (func))
  (import "wasi_snapshot_preview1" "fd_write" (func (param i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func (param i32)))
  (memory (export "memory") 1) (func (export "_start")))`)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"noStart", []string{"build", noStart, "-o", filepath.Join(dir, "a")}, "exports no _start function"},
		{"imports", []string{"build", imports, "-o", filepath.Join(dir, "b")},
			"imports that WASI preview 1 does not provide (with that type): env.foo, wasi_snapshot_preview1.fd_write"},
		{"runImports", []string{"run", imports}, "env.foo, wasi_snapshot_preview1.fd_write"},
		{"otherTarget", []string{"build", "--target", "aarch64", noStart, "-o", filepath.Join(dir, "c")}, "needs a wfxc executable for aarch64 as --runtime"},
		{"runtimeOfOtherArch", []string{"build", "--target", "aarch64", "--runtime", os.Args[0], noStart, "-o", filepath.Join(dir, "d")}, "is for EM_X86_64, want EM_AARCH64"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs, code := wfxc(t, tt.args...)
			if code == 0 || !strings.Contains(errs, tt.want) {
				t.Fatalf("exit %d, stderr %q; want an error with %q", code, errs, tt.want)
			}
		})
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Fatalf("refused builds wrote files: %v", entries)
	}
}

// TestBuild_alone builds wfxc, copies it to a directory outside the source
// tree and runs `wfxc build` there with neither WFXC_ROOT nor a Go
// toolchain on PATH; the executable runs a WASI command.
func TestBuild_alone(t *testing.T) {
	if testing.Short() {
		t.Skip("builds wfxc")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "wfxc")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	hello, err := os.ReadFile(helloWat)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "hello.wat"), string(hello))
	env := []string{"PATH=/nonexistent", "HOME=" + dir}
	build := exec.Command(bin, "build", "hello.wat", "-o", "hello")
	build.Dir, build.Env = dir, env
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("wfxc build: %v\n%s", err, out)
	}
	run := exec.Command(filepath.Join(dir, "hello"), "--", "x", "y")
	run.Env = env
	out, err := run.Output()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 2 || string(out) != "x\ny\n" {
		t.Fatalf("run: %v, stdout %q; want exit 2 and the arguments", err, out)
	}
}
