package objfile

import (
	"bytes"
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
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
			o := sampleObject(X86_64, true)
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
		})
	}
}

// TestLink_goSyso links the object into a Go program as a .syso with
// CGO_ENABLED=0 (internal linking, static) and runs it: the object contract
// of DESIGN.md §3.
func TestLink_goSyso(t *testing.T) {
	needAmd64(t)
	if testing.Short() {
		t.Skip("builds a Go program")
	}
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	dir := t.TempDir()
	b, err := Write(sampleObject(X86_64, true))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"go.mod":  "module wfxlinktest\n\ngo 1.26\n",
		"main.go": "package main\n\nfunc add(a, b int32) int32\n\nfunc main() { println(\"add\", add(2, 40)) }\n",
		"shim_amd64.s": `#include "textflag.h"

// func add(a, b int32) int32
TEXT ·add(SB),NOSPLIT,$0-12
	MOVL a+0(FP), DI
	MOVL b+4(FP), SI
	CALL wfx_test_add(SB)
	MOVL AX, ret+8(FP)
	RET
`,
		"wfx_amd64.syso": string(b),
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	exe := filepath.Join(dir, "prog")
	cmd := exec.Command(goTool, "build", "-o", exe, ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH=amd64", "GOFLAGS=", "GOWORK=off")
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
	out, err := exec.Command(exe).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", exe, err, out)
	}
	if !bytes.Equal(out, []byte("add 42\n")) {
		t.Fatalf("output %q, want %q", out, "add 42\n")
	}
}
