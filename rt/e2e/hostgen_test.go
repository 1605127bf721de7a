package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"wfxc/compile"
	"wfxc/hostgen"
)

// compiledApp compiles facModule plus the host-import module into one object
// named "app": fac(n) and g(x) = env.f(x) + 1.
func compiledApp(t *testing.T) *compile.Result {
	t.Helper()
	m := &wmodule{
		types:   [][2][]byte{typeI64I64, typeI32I32},
		imports: []wimport{{"env", "f", 1}},
		funcs: []wfunc{
			{typ: 0, name: "fac", export: "fac", body: facModule().funcs[0].body},
			{typ: 1, name: "g", export: "g", body: cat(lget(0), call(0), i32c(1), []byte{0x6A})},
			{typ: 0, name: "boom", export: "boom", body: []byte{0x00}},
		},
	}
	// fac calls function 0 in facModule; here fac is function 1.
	m.funcs[0].body = cat(
		lget(0), i64c(1), []byte{0x57},
		[]byte{0x04, tI64}, i64c(1), []byte{0x05},
		lget(0), lget(0), i64c(1), []byte{0x7D}, call(1), []byte{0x7E},
		[]byte{0x0B},
	)
	res, err := compile.Compile(m.encode(), compile.Options{Name: "app"})
	if err != nil {
		t.Fatalf("compile: %v", err)
	}
	return res
}

func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

const goMain = `package main

import (
	"errors"
	"fmt"

	"example/app"
	"wfxc/rt"
	"wfxc/rt/abi"
)

func main() {
	f := rt.NewHostFunc(abi.FuncType{Params: []abi.ValType{0x7F}, Results: []abi.ValType{0x7F}},
		func(a []uint64) ([]uint64, error) { return []uint64{a[0] * 3}, nil })
	inst, err := app.New(nil, rt.Imports{"env": {"f": f}})
	if err != nil {
		panic(err)
	}
	fac, err := inst.Fac(10)
	fmt.Println("fac", fac, err)
	g, err := inst.G(-5)
	fmt.Println("g", g, err)
	_, err = inst.Boom(1)
	var tr *rt.Trap
	if errors.As(err, &tr) {
		fmt.Println("boom", tr.Error(), tr.Frames[0].Name)
	}
}
`

// TestE2E_goPackage links a compiled object into a static cgo-free Go
// program through hostgen.GoPackage and runs it.
func TestE2E_goPackage(t *testing.T) {
	res := compiledApp(t)
	root := repoRoot(t)
	dir := t.TempDir()
	if err := hostgen.GoPackage(filepath.Join(dir, "app"), "app", "app", res.Object, res.Descriptor); err != nil {
		t.Fatal(err)
	}
	if err := hostgen.GoMain(dir, "example", root, goMain); err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(dir, "prog")
	var buildOut bytes.Buffer
	if err := hostgen.BuildStatic(dir, exe, &buildOut, &buildOut); err != nil {
		t.Fatalf("%v\n%s", err, buildOut.String())
	}
	out, err := programCommand(exe).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", exe, err, out)
	}
	want := "fac 3628800 <nil>\ng -14 <nil>\nboom unreachable boom\n"
	if string(out) != want {
		t.Fatalf("output:\n%s\nwant:\n%s", out, want)
	}
}

const cMain = `#include <stdio.h>
#define WFX_HANDLE_API // the handle API (global imports, exports by name)
#include "app.h"

static int triple(void *user, uint64_t *s) {
	s[0] = (uint32_t)s[0] * 3;
	return 0;
}

int main(void) {
	wfx_rt_define_func("env", "f", triple, 0);
	uint64_t inst = app_instantiate();
	if (!inst) {
		printf("instantiate: %s\n", wfx_rt_error());
		return 1;
	}
	int64_t fac = 0;
	int rc = app_fac(inst, 10, &fac);
	printf("fac %d %lld\n", rc, (long long)fac);
	int32_t g = 0;
	rc = app_g(inst, -5, &g);
	printf("g %d %d\n", rc, g);
	rc = app_boom(inst, 1, &fac);
	printf("boom %d %s\n%s", rc, wfx_rt_error(), wfx_rt_backtrace());
	return 0;
}
`

// runCProgram links the object of res (module name, its generated header
// name.h), librt.a and the C program mainC with gcc -Wall -Werror, runs
// it and returns its output.
func runCProgram(t *testing.T, res *compile.Result, name, mainC string) []byte {
	t.Helper()
	exe := buildCProgram(t, res, name, mainC)
	out, err := programCommand(exe).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", exe, err, out)
	}
	return out
}

// buildCProgram links res (with its generated header as name.h), mainC and
// librt.a into a C program with gcc (-g) and returns its path.
func buildCProgram(t *testing.T, res *compile.Result, name, mainC string) string {
	t.Helper()
	dir := t.TempDir()
	lib := filepath.Join(dir, "librt.a")
	cmd := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-buildmode=c-archive", "-o", lib, "wfxc/rt/capi")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
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
	cc := exec.Command(cCompiler(), "-g", "-Wall", "-Werror", "-o", exe, "main.c", name+".o", "librt.a", "-lpthread")
	cc.Dir = dir
	if out, err := cc.CombinedOutput(); err != nil {
		t.Fatalf("gcc: %v\n%s", err, out)
	}
	return exe
}

// TestE2E_cHost links a compiled object, the generated header and librt.a
// into a C program with gcc and runs it.
func TestE2E_cHost(t *testing.T) {
	if _, err := exec.LookPath(cCompiler()); err != nil {
		t.Fatalf("%s is needed for the C host test", cCompiler())
	}
	res := compiledApp(t)
	out := runCProgram(t, res, "app", cMain)
	want := "fac 0 3628800\ng 0 -14\nboom 1 unreachable\nwasm backtrace:\n"
	if got := string(out); !strings.HasPrefix(got, want) || !strings.Contains(got, " - boom\n") {
		t.Fatalf("output:\n%s\nwant prefix:\n%s", out, want)
	}
}
