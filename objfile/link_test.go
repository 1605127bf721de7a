package objfile

import (
	"bytes"
	"debug/elf"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// cProgram calls wfx_test_add, then wfx_test_call with a callback that
// prints the names of the frames the DWARF unwinder (libgcc, through
// .eh_frame_hdr built from our .eh_frame) finds above it.
const cProgram = `#define _GNU_SOURCE
#include <stdio.h>
#include <execinfo.h>
#include <dlfcn.h>

extern int wfx_test_add(int, int);
extern int wfx_test_call(int (*)(int), int);

int callback(int x) {
	void *pcs[16];
	int n = backtrace(pcs, 16);
	for (int i = 0; i < n && i < 4; i++) {
		Dl_info info;
		printf("frame %s\n", dladdr(pcs[i], &info) && info.dli_sname ? info.dli_sname : "?");
	}
	return x * 2;
}

int main(void) {
	printf("add %d\n", wfx_test_add(2, 40));
	printf("call %d\n", wfx_test_call(callback, 20));
	return 0;
}
`

func needAmd64(t *testing.T) {
	t.Helper()
	if runtime.GOARCH != "amd64" || runtime.GOOS != "linux" {
		t.Skip("runs x86-64 code: needs linux/amd64")
	}
}

// TestLink_gcc links the object into a C program with gcc (GNU ld), runs
// it, and checks that the unwinder gets through wfx_test_call to main only
// when the object carries FDEs.
func TestLink_gcc(t *testing.T) {
	needAmd64(t)
	if _, err := exec.LookPath("gcc"); err != nil {
		t.Skip("gcc not installed")
	}
	cases := []struct {
		name   string
		modify func(o *Object)
		want   string
	}{
		{"withFDEs", func(o *Object) {},
			"add 42\nframe callback\nframe wfx_test_call\nframe main\n"},
		{"withoutFDEs", func(o *Object) { o.FDEs = nil },
			"add 42\nframe callback\nframe wfx_test_call\ncall 41\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := sampleObject(machX86, true)
			c.modify(o)
			obj := writeTemp(t, o, "wfx.o")
			dir := filepath.Dir(obj)
			src := filepath.Join(dir, "main.c")
			if err := os.WriteFile(src, []byte(cProgram), 0o644); err != nil {
				t.Fatal(err)
			}
			exe := filepath.Join(dir, "prog")
			if out, err := exec.Command("gcc", "-O0", "-rdynamic", "-o", exe, src, obj, "-ldl").CombinedOutput(); err != nil || len(out) > 0 {
				t.Fatalf("gcc: %v\n%s", err, out)
			}
			out, err := exec.Command(exe).CombinedOutput()
			if err != nil {
				t.Fatalf("%s: %v\n%s", exe, err, out)
			}
			if !strings.HasPrefix(string(out), c.want) || !strings.HasSuffix(string(out), "call 41\n") {
				t.Fatalf("output:\n%s\nwant prefix:\n%s", out, c.want)
			}
			if c.name == "withFDEs" {
				checkLinkedDebugInfo(t, exe)
			}
		})
	}
}

// checkLinkedDebugInfo checks that the DWARF of the object survives GNU ld:
// addr2line maps wfx_test_call+4 to the row at that offset, and gdb's
// backtrace from the callback names the wasm frame and its line and reaches
// main.
func checkLinkedDebugInfo(t *testing.T, exe string) {
	t.Helper()
	f, err := elf.Open(exe)
	if err != nil {
		t.Fatal(err)
	}
	syms, err := f.Symbols()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	var call uint64
	for _, s := range syms {
		if s.Name == "wfx_test_call" {
			call = s.Value
		}
	}
	if call == 0 {
		t.Fatal("wfx_test_call not in the executable's symbol table")
	}
	out := runClean(t, "addr2line", "-f", "-e", exe, fmt.Sprintf("%#x", call+4))
	if out != "call\nother.wasm:7\n" {
		t.Errorf("addr2line wfx_test_call+4: %q, want %q", out, "call\nother.wasm:7\n")
	}
	if _, err := exec.LookPath("gdb"); err != nil {
		t.Log("gdb not installed; skipping the gdb backtrace")
		return
	}
	bt, err := exec.Command("gdb", "-nx", "-batch", "-iex", "set debuginfod enabled off",
		"-ex", "break callback", "-ex", "run", "-ex", "bt", exe).CombinedOutput()
	if err != nil {
		t.Fatalf("gdb: %v\n%s", err, bt)
	}
	// The return address is wfx_test_call+0x1b, inside the last line row.
	want := regexp.MustCompile(`(?m)^#1 +0x[0-9a-f]+ in call \(\) at test\.wasm:100000\n#2 +0x[0-9a-f]+ in main \(\)`)
	if !want.Match(bt) {
		t.Errorf("gdb backtrace does not go callback → call (test.wasm:100000) → main:\n%s", bt)
	}
}

// TestLink_goSyso links the object into a Go program as a .syso with
// CGO_ENABLED=0 (internal linking, static) and runs it: the object contract
// of DESIGN.md §3. It also links it externally (GNU ld, -static). The aarch64 object is built too (Go's loader accepts its
// PROGBITS .eh_frame and R_AARCH64_PREL32 relocations) and run when
// qemu-aarch64 is installed.
func TestLink_goSyso(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("needs linux")
	}
	if testing.Short() {
		t.Skip("builds Go programs")
	}
	amd64Shim := `#include "textflag.h"

// func add(a, b int32) int32
TEXT ·add(SB),NOSPLIT,$0-12
	MOVL a+0(FP), DI
	MOVL b+4(FP), SI
	CALL wfx_test_add(SB)
	MOVL AX, ret+8(FP)
	RET
`
	cases := []struct {
		name, goarch string
		mach         Machine
		shim         string
		ldflags      string // non-empty: external linking with cgo on
	}{
		{"amd64", "amd64", machX86, amd64Shim, ""},
		{"amd64_externalStatic", "amd64", machX86, amd64Shim, "-linkmode=external -extldflags=-static"},
		{"arm64", "arm64", machARM, `#include "textflag.h"

// func add(a, b int32) int32 (the assembler saves LR around the CALL)
TEXT ·add(SB),NOSPLIT,$0-12
	MOVW a+0(FP), R0
	MOVW b+4(FP), R1
	CALL wfx_test_add(SB)
	MOVW R0, ret+8(FP)
	RET
`, ""},
	}
	goTool, err := exec.LookPath("go") // go test puts its own GOROOT/bin first in PATH
	if err != nil {
		t.Skip("go command not found")
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			b, err := Write(sampleObject(c.mach, true))
			if err != nil {
				t.Fatal(err)
			}
			files := map[string]string{
				"go.mod":                    "module wfxlinktest\n\ngo 1.26\n",
				"main.go":                   "package main\n\nfunc add(a, b int32) int32\n\nfunc main() { println(\"add\", add(2, 40)) }\n",
				"shim_" + c.goarch + ".s":   c.shim,
				"wfx_" + c.goarch + ".syso": string(b),
			}
			for name, content := range files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			exe := filepath.Join(dir, "prog")
			cgo := "CGO_ENABLED=0"
			args := []string{"build", "-o", exe}
			if c.ldflags != "" {
				if c.goarch != runtime.GOARCH {
					t.Skip("external linking needs a native C toolchain")
				}
				if _, err := exec.LookPath("gcc"); err != nil {
					t.Skip("gcc not installed")
				}
				cgo = "CGO_ENABLED=1"
				args = append(args, "-ldflags="+c.ldflags)
			}
			cmd := exec.Command(goTool, append(args, ".")...)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), cgo, "GOOS=linux", "GOARCH="+c.goarch, "GOFLAGS=", "GOWORK=off")
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("go build: %v\n%s", err, out)
			}
			f, err := elf.Open(exe)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range f.Progs {
				if p.Type == elf.PT_INTERP {
					t.Errorf("program has PT_INTERP: not a static build")
				}
			}
			f.Close()
			var run *exec.Cmd
			switch {
			case c.goarch == runtime.GOARCH:
				run = exec.Command(exe)
			default:
				q, err := exec.LookPath("qemu-" + map[string]string{"amd64": "x86_64", "arm64": "aarch64"}[c.goarch])
				if err != nil {
					t.Skipf("built; cannot run %s code here", c.goarch)
				}
				run = exec.Command(q, exe)
			}
			out, err := run.CombinedOutput()
			if err != nil {
				t.Fatalf("%s: %v\n%s", exe, err, out)
			}
			if !bytes.Equal(out, []byte("add 42\n")) {
				t.Fatalf("output %q, want %q", out, "add 42\n")
			}
		})
	}
}
