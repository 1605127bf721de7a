package hostgen

import (
	"bytes"
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"wfxc/rt/rttest"
)

func TestGoName_cases(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"simple", "fac", "Fac"},
		{"snake", "fib_rec", "FibRec"},
		{"dashes", "memory-size", "MemorySize"},
		{"digitFirst", "1st", "X1st"},
		{"empty", "", "X"},
		{"unicode", "héllo", "HLlo"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := GoName(tt.in); got != tt.want {
				t.Fatalf("GoName(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestGoPackage_badInput(t *testing.T) {
	o, err := rttest.Build()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := GoPackage(dir, "p", "t", o.Obj, nil); err == nil {
		t.Error("nil descriptor accepted")
	}
	if err := GoPackage(dir, "p", "not-an-ident", o.Obj, o.Desc); err == nil {
		t.Error("bad module name accepted")
	}
	if err := GoPackage(dir, "p", "other", o.Obj, o.Desc); err == nil {
		t.Error("object without wfx_other_text accepted")
	}
}

// mainProgram uses the generated package tmod.
const mainProgram = `package main

import (
	"errors"
	"fmt"
	"os"

	"example/tmod"
	"wfxc/rt"
	"wfxc/rt/abi"
)

func main() {
	i64 := abi.ValType(0x7E)
	host := rt.NewHostFunc(abi.FuncType{Params: []abi.ValType{i64}, Results: []abi.ValType{i64}},
		func(a []uint64) ([]uint64, error) { return []uint64{a[0] * 10}, nil })
	inst, err := tmod.New(nil, rt.Imports{"env": {"host": host}})
	if err != nil {
		fmt.Println("instantiate:", err)
		os.Exit(1)
	}
	sum, err := inst.Add(40, 2)
	fmt.Println("add", sum, err)
	c, err := inst.Callimp(4)
	fmt.Println("callimp", c, err)
	_, err = inst.Outer()
	var tr *rt.Trap
	if errors.As(err, &tr) {
		fmt.Print("trap ", tr.Error(), "\n", tr.Backtrace())
	}
}
`

// TestGoPackage_staticProgram generates a package from the test object,
// builds a static cgo-free program that uses it, runs it and checks the
// output (calls, a host import, a trap with its backtrace).
func TestGoPackage_staticProgram(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		t.Skip("the test object is x86-64 code")
	}
	o, err := rttest.Build()
	if err != nil {
		t.Fatal(err)
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := GoPackage(filepath.Join(dir, "tmod"), "tmod", "t", o.Obj, o.Desc); err != nil {
		t.Fatal(err)
	}
	if err := GoMain(dir, "example", root, mainProgram); err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(dir, "prog")
	var buildOut bytes.Buffer
	if err := BuildStatic(dir, exe, &buildOut, &buildOut); err != nil {
		t.Fatalf("%v\n%s", err, buildOut.String())
	}
	f, err := elf.Open(exe)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Error("program has PT_INTERP: not a static build")
		}
	}
	f.Close()
	out, err := exec.Command(exe).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", exe, err, out)
	}
	want := "add 42 <nil>\ncallimp 100 <nil>\ntrap unreachable\nwasm backtrace:\n  0: 0x42 - wasm[4]\n  1: 0x30 - outer\n"
	if string(out) != want {
		t.Fatalf("output:\n%s\nwant:\n%s", out, want)
	}
	gen, err := os.ReadFile(filepath.Join(dir, "tmod", "t.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(gen), "func (i *Instance) Add(p0 int64, p1 int64) (int64, error)") {
		t.Errorf("generated wrappers lack the typed Add:\n%s", gen)
	}
}
