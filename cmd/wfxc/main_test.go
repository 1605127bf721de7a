package main

import (
	"bytes"
	"debug/dwarf"
	"debug/elf"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const fibWasm = "../../examples/fib/fib.wasm"

// wfxc runs the command line in-process and returns its outputs.
func wfxc(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(args, &out, &errb)
	var ee exitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		code = ee.code
	default:
		errb.WriteString(err.Error())
		code = 1
	}
	return out.String(), errb.String(), code
}

func TestRun_results(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"fib", []string{"--invoke", "fib", "20"}, "i64:6765\n"},
		{"fac", []string{"--invoke", "fac", "20"}, "i64:2432902008176640000\n"},
		{"facWraps", []string{"--invoke", "fac", "25"}, "i64:7034535277573963776\n"},
		{"divideNegative", []string{"--invoke", "divide", "-7", "2"}, "i32:4294967293\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errs, code := wfxc(t, append([]string{"run", fibWasm}, tt.args...)...)
			if code != 0 || out != tt.want {
				t.Fatalf("wfxc run %v: exit %d, stdout %q, stderr %q; want %q", tt.args, code, out, errs, tt.want)
			}
		})
	}
}

// TestRun_hostImport checks that the sieve's host import is called: the
// stub prints every call, one per hundredth prime.
func TestRun_hostImport(t *testing.T) {
	out, errs, code := wfxc(t, "run", fibWasm, "--invoke", "sieve", "10000")
	if code != 0 || out != "i32:1229\n" {
		t.Fatalf("exit %d, stdout %q, stderr %q; want i32:1229", code, out, errs)
	}
	if n := strings.Count(errs, "env.log_i64("); n != 12 {
		t.Fatalf("host import called %d times, want 12; stderr:\n%s", n, errs)
	}
	if !strings.Contains(errs, "env.log_i64(i64:541)") {
		t.Fatalf("stderr lacks the 100th prime 541:\n%s", errs)
	}
}

// TestRun_trap checks the trap message, the backtrace and the exit status.
func TestRun_trap(t *testing.T) {
	out, errs, code := wfxc(t, "run", fibWasm, "--invoke", "divide", "7", "0")
	if code != 1 {
		t.Fatalf("exit %d, want 1; stdout %q stderr %q", code, out, errs)
	}
	if !strings.Contains(errs, "integer divide by zero") {
		t.Fatalf("stderr lacks the trap message:\n%s", errs)
	}
	// The backtrace names the trapping function (div, from the name section) and its caller (divide, by its export).
	iDiv, iCaller := strings.Index(errs, " - div\n"), strings.Index(errs, " - divide\n")
	if iDiv < 0 || iCaller < 0 || iDiv > iCaller {
		t.Fatalf("backtrace should list div then divide:\n%s", errs)
	}
}

// nestedContWat traps in $leaf, called by $inner, which runs in a
// continuation resumed by $outer, itself a continuation resumed by main.
const nestedContWat = `(module
  (type $f (func))
  (type $k (cont $f))
  (func $leaf
    (unreachable))
  (func $inner
    (call $leaf))
  (elem declare func $inner $outer)
  (func $outer
    (resume $k (cont.new $k (ref.func $inner))))
  (func (export "main")
    (resume $k (cont.new $k (ref.func $outer))))
)
`

// TestRun_trapInContinuationsText: `wfxc run` of a text module that traps
// two continuations deep prints every frame through both resumers, by its
// $name (main by its export), each with the file:line:col of its
// instruction in the text.
func TestRun_trapInContinuationsText(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nest.wat")
	if err := os.WriteFile(path, []byte(nestedContWat), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errs, code := wfxc(t, "run", path, "--invoke", "main")
	want := "trap: unreachable\n" +
		"wasm backtrace:\n" +
		"  0: 0x2e - leaf at " + path + ":5:6\n" +
		"  1: 0x32 - inner at " + path + ":7:6\n" +
		"  2: 0x3b - outer at " + path + ":10:6\n" +
		"  3: 0x45 - main at " + path + ":12:6\n"
	if code != 1 || errs != want {
		t.Fatalf("exit %d, stderr:\n%s\nwant exit 1, stderr:\n%s", code, errs, want)
	}
}

// TestCompile_object checks the object contract: an ELF relocatable for
// x86-64 whose code and data carry no relocations, with the abi symbols,
// and byte-identical output for the same input.
func TestCompile_object(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.o"), filepath.Join(dir, "b.o")
	for _, out := range []string{a, b} {
		if _, errs, code := wfxc(t, fibWasm, "-o", out); code != 0 {
			t.Fatalf("compile: exit %d: %s", code, errs)
		}
	}
	ab, _ := os.ReadFile(a)
	bb, _ := os.ReadFile(b)
	if !bytes.Equal(ab, bb) {
		t.Fatal("two compilations of the same module differ")
	}
	f, err := elf.Open(a)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if f.Type != elf.ET_REL || f.Machine != elf.EM_X86_64 {
		t.Fatalf("type %v machine %v, want ET_REL EM_X86_64", f.Type, f.Machine)
	}
	for _, s := range f.Sections {
		if s.Type == elf.SHT_RELA || s.Type == elf.SHT_REL {
			if s.Name != ".rela.eh_frame" && !strings.HasPrefix(s.Name, ".rela.debug_") {
				t.Errorf("relocation section %s: code and data must be relocation-free", s.Name)
			}
		}
	}
	syms, err := f.Symbols()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"wfx_fib_enter": false, "wfx_fib_resume": false, "wfx_fib_text": false,
		"wfx_fib_descriptor": false, "wfx_fib_descriptor_size": false}
	var funcs int
	for _, s := range syms {
		if _, ok := want[s.Name]; ok && elf.ST_BIND(s.Info) == elf.STB_GLOBAL {
			want[s.Name] = true
		}
		if elf.ST_TYPE(s.Info) == elf.STT_FUNC && s.Size > 0 {
			funcs++
		}
	}
	for name, found := range want {
		if !found {
			t.Errorf("no global symbol %s", name)
		}
	}
	if funcs < 5 {
		t.Errorf("%d sized function symbols, want at least the 5 defined functions", funcs)
	}
	// DWARF: subprograms for the functions and lines mapping code to wasm
	// byte offsets in fib.wasm (the i64.lt_u of fib is at 0x70 = 112).
	dw, err := f.DWARF()
	if err != nil {
		t.Fatal(err)
	}
	r := dw.Reader()
	cu, err := r.Next()
	if err != nil || cu == nil {
		t.Fatalf("no compilation unit: %v", err)
	}
	lr, err := dw.LineReader(cu)
	if err != nil || lr == nil {
		t.Fatalf("no line table: %v", err)
	}
	var e dwarf.LineEntry
	lines := map[int]bool{}
	for lr.Next(&e) == nil {
		if e.File != nil && e.File.Name == "fib.wasm" {
			lines[e.Line] = true
		}
	}
	if !lines[112] || len(lines) < 10 {
		t.Errorf("line table has %d wasm offsets of fib.wasm (want 112 among them): %v", len(lines), lines)
	}
}

func TestValidate(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.wasm")
	os.WriteFile(bad, []byte("\x00asm\x01\x00\x00\x00\x01"), 0o644)
	out, _, code := wfxc(t, "validate", fibWasm, bad)
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || lines[0] != fibWasm+": ok" || !strings.HasPrefix(lines[1], bad+": error: ") {
		t.Fatalf("output:\n%s", out)
	}
}

// TestWast_script runs one spec script and checks the summary line.
func TestWast_script(t *testing.T) {
	script := filepath.Join("..", "..", "..", "shared", "testdata", "core", "fac", "fac.json")
	out, errs, code := wfxc(t, "wast", script)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	last := lines[len(lines)-1]
	if !strings.HasSuffix(last, " passed, 0 failed, 0 skipped") || strings.HasPrefix(last, "0 ") {
		t.Fatalf("summary %q", last)
	}
}

const helloWat = "../../examples/hello/hello.wat"

// TestRun_wasi runs a WASI command from its text source: arguments in,
// stdout out, exit status from proc_exit.
func TestRun_wasi(t *testing.T) {
	out, errs, code := wfxc(t, "run", helloWat)
	if code != 0 || out != "hello, world\n" {
		t.Fatalf("no args: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	out, errs, code = wfxc(t, "run", helloWat, "one", "two")
	if code != 2 || out != "one\ntwo\n" {
		t.Fatalf("two args: exit %d, stdout %q, stderr %q; want exit 2", code, out, errs)
	}
}

// TestBuild_static builds a WASI command into a static executable and runs it.
func TestBuild_static(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a Go program")
	}
	exe := filepath.Join(t.TempDir(), "hello")
	if out, errs, code := wfxc(t, "build", helloWat, "-o", exe); code != 0 {
		t.Fatalf("build: exit %d\n%s\n%s", code, out, errs)
	}
	f, err := elf.Open(exe)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Errorf("executable has an interpreter: not static")
		}
	}
	f.Close()
	cmd := exec.Command(exe, "a", "b", "c")
	out, err := cmd.Output()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 3 || string(out) != "a\nb\nc\n" {
		t.Fatalf("run: %v, stdout %q; want exit 3 and the arguments", err, out)
	}
}

// TestCompile_debugDumps: -d ir/<pass>/dump prints each function's IR after
// that pass, -d check verifies after every pass, unknown passes are errors.
func TestCompile_debugDumps(t *testing.T) {
	out, errs, code := wfxc(t, fibWasm, "-o", filepath.Join(t.TempDir(), "f.o"), "-d", "check,ir/translate/dump,ir/licm/dump")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	// fib.wasm defines 5 functions: two dumps each.
	if n := strings.Count(out, "; after translate\n"); n != 5 {
		t.Errorf("%d dumps after translate, want 5", n)
	}
	if n := strings.Count(out, "; after licm\n"); n != 5 {
		t.Errorf("%d dumps after licm, want 5", n)
	}
	if _, errs, code := wfxc(t, fibWasm, "-d", "ir/nope/dump"); code == 0 || !strings.Contains(errs, `no pass "nope"`) {
		t.Errorf("unknown pass: exit %d, stderr %q", code, errs)
	}
}

// TestCompile_target: --target takes an architecture's canonical or Go
// name; both targets write a relocatable whose code and data carry no
// relocations.
func TestCompile_target(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, target, want string // want "" = an object for machine
		machine            elf.Machine
	}{
		{"x86_64", "x86_64", "", elf.EM_X86_64},
		{"amd64", "amd64", "", elf.EM_X86_64},
		{"aarch64", "aarch64", "", elf.EM_AARCH64},
		{"arm64", "arm64", "", elf.EM_AARCH64},
		{"unknown", "riscv", `--target: unknown target "riscv" (want x86_64 or aarch64)`, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(dir, tt.name+".o")
			_, errs, code := wfxc(t, fibWasm, "-o", out, "--target", tt.target)
			if tt.want != "" {
				if code == 0 || !strings.Contains(errs, tt.want) {
					t.Fatalf("exit %d, stderr %q; want %q", code, errs, tt.want)
				}
				return
			}
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errs)
			}
			f, err := elf.Open(out)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if f.Type != elf.ET_REL || f.Machine != tt.machine {
				t.Errorf("type %v machine %v, want ET_REL %v", f.Type, f.Machine, tt.machine)
			}
			for _, s := range f.Sections {
				if (s.Type == elf.SHT_RELA || s.Type == elf.SHT_REL) && s.Name != ".rela.eh_frame" && !strings.HasPrefix(s.Name, ".rela.debug_") {
					t.Errorf("relocation section %s: code and data must be relocation-free", s.Name)
				}
			}
		})
	}
}

// TestCompile_textErrorPosition: errors in text modules, even those found
// after parsing, name the file, line and column.
func TestCompile_textErrorPosition(t *testing.T) {
	src := filepath.Join(t.TempDir(), "bad.wat")
	os.WriteFile(src, []byte("(module\n  (func $f (param i32) (result i64)\n    (local.get 0)\n    (i64.add (i64.const 1))))\n"), 0o644)
	_, errs, code := wfxc(t, src, "-o", filepath.Join(t.TempDir(), "bad.o"))
	if want := src + ":4:6: type mismatch"; code == 0 || !strings.Contains(errs, want) {
		t.Fatalf("exit %d, stderr %q; want %q", code, errs, want)
	}
	out, _, _ := wfxc(t, "validate", src)
	if !strings.Contains(out, src+": error: "+src+":4:6: type mismatch") {
		t.Fatalf("validate: %q", out)
	}
}

// TestRun_badArguments: arguments that do not fit the parameter types are
// reported by position, function and type.
func TestRun_badArguments(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--invoke", "fib", "abc"}, `argument 0 of fib: "abc" is not a valid i64`},
		{[]string{"--invoke", "divide", "1", "99999999999"}, `argument 1 of divide: "99999999999" is not a valid i32`},
		{[]string{"--invoke", "fib"}, "fib takes 1 arguments, got 0"},
		{[]string{"--invoke", "nope"}, `no export "nope"`},
	}
	for _, tt := range tests {
		if _, errs, code := wfxc(t, append([]string{"run", fibWasm}, tt.args...)...); code == 0 || !strings.Contains(errs, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want %q", tt.args, code, errs, tt.want)
		}
	}
}
