package hostgen

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"wfxc/rt/abi"
	"wfxc/rt/rttest"
)

func TestCHeader_wrapperShapes(t *testing.T) {
	i32, f64 := abi.ValType(0x7F), abi.ValType(0x7C)
	d := &abi.Descriptor{
		Name:  "m",
		Types: []abi.FuncType{{Params: []abi.ValType{i32, f64}, Results: []abi.ValType{f64, i32}}},
		Funcs: []abi.Func{{Type: 0}},
		Exports: []abi.Export{
			{Name: "mix-it", Kind: abi.ExternFunc, Index: 0},
			{Name: "mix_it", Kind: abi.ExternFunc, Index: 0},
			{Name: "mem", Kind: abi.ExternMemory, Index: 0},
		},
	}
	h := string(CHeader(d, "m"))
	for _, want := range []string{
		"static inline int m_mix_it(uint64_t inst, int32_t p0, double p1, double *r0, int32_t *r1)",
		"static inline int m_mix_it_(uint64_t inst,",
		`int rc = wfx_rt_call(inst, "mix-it", s, 2, 2);`,
		"extern const unsigned char wfx_m_text[];",
		"#ifndef WFX_M_H",
	} {
		if !strings.Contains(h, want) {
			t.Errorf("header lacks %q:\n%s", want, h)
		}
	}
	if strings.Contains(h, "m_mem") {
		t.Errorf("header wraps a memory export:\n%s", h)
	}
}

const cMain = `#include <stdio.h>
#define WFX_HANDLE_API // the handle API (global imports, exports by name)
#include "app.h"

static int host(void *user, uint64_t *s) {
	s[0] = s[0] * *(int *)user;
	return 0;
}

int main(void) {
	static int factor = 10;
	wfx_rt_define_func("env", "host", host, &factor);
	uint64_t inst = t_instantiate();
	if (!inst) {
		printf("instantiate: %s\n", wfx_rt_error());
		return 1;
	}
	int64_t r = 0;
	int rc = t_add(inst, 40, 2, &r);
	printf("add %d %lld\n", rc, (long long)r);
	rc = t_callimp(inst, 4, &r);
	printf("callimp %d %lld\n", rc, (long long)r);
	rc = t_outer(inst, &r);
	printf("outer %d %s\n%s", rc, wfx_rt_error(), wfx_rt_backtrace());
	uint64_t len = 0;
	uint8_t *mem = wfx_rt_memory(inst, "mem", &len);
	printf("mem %llu %d\n", (unsigned long long)len, mem[17]);
	return 0;
}
`

// TestCHeader_cProgram builds librt.a (c-archive of rt/capi), compiles a C
// program against the generated header with gcc, links the test object,
// runs it and checks the output.
func TestCHeader_cProgram(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		t.Skip("the test object is x86-64 code")
	}
	if _, err := exec.LookPath("gcc"); err != nil {
		t.Fatal("gcc is needed for the C host test")
	}
	o, err := rttest.Build()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	lib := filepath.Join(dir, "librt.a")
	cmd := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-buildmode=c-archive", "-o", lib, "wfxc/rt/capi")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build librt.a: %v\n%s", err, out)
	}
	files := map[string][]byte{
		"app.h":  CHeader(o.Desc, "t"),
		"app.o":  o.Obj,
		"main.c": []byte(cMain),
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	exe := filepath.Join(dir, "prog")
	cc := exec.Command("gcc", "-Wall", "-Werror", "-o", exe, "main.c", "app.o", "librt.a", "-lpthread")
	cc.Dir = dir
	if out, err := cc.CombinedOutput(); err != nil {
		t.Fatalf("gcc: %v\n%s", err, out)
	}
	out, err := exec.Command(exe).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", exe, err, out)
	}
	want := "add 0 42\ncallimp 0 100\nouter 1 unreachable\nwasm backtrace:\n  0: 0x42 - wasm[4]\n  1: 0x30 - outer\nmem 65536 2\n"
	if string(out) != want {
		t.Fatalf("output:\n%s\nwant:\n%s", out, want)
	}
}

// TestCHeader_instanceAPI: the instance API's import struct, trampolines
// and export functions (called by export index), and the handle API only
// under WFX_HANDLE_API.
func TestCHeader_instanceAPI(t *testing.T) {
	i32, f64 := abi.ValType(0x7F), abi.ValType(0x7C)
	d := &abi.Descriptor{
		Name:    "m",
		Types:   []abi.FuncType{{Params: []abi.ValType{i32, f64}, Results: []abi.ValType{f64}}},
		Funcs:   []abi.Func{{Type: 0}, {Type: 0}},
		Imports: []abi.Import{{Module: "env", Name: "f", Kind: abi.ExternFunc, Index: 0}},
		Exports: []abi.Export{
			{Name: "mem", Kind: abi.ExternMemory, Index: 0},
			{Name: "free", Kind: abi.ExternFunc, Index: 1},
		},
	}
	h := string(CHeader(d, "m"))
	for _, want := range []string{
		"int (*env_f)(void *user, m_instance *inst, int32_t p0, double p1, double *r0); // \"env.f\"",
		"imps[n++] = (wfx_import){\"env\", \"f\", m__import0, inst};",
		"static inline int m_free_(m_instance *inst, int32_t p0, double p1, double *r0) {",
		"int rc = wfx_rt_call_export(inst->handle, 1, 2, 1, s);",
		"static inline void m_free(m_instance *inst) {",
		"#ifdef WFX_HANDLE_API\n",
	} {
		if !strings.Contains(h, want) {
			t.Errorf("header lacks %q:\n%s", want, h)
		}
	}
}
