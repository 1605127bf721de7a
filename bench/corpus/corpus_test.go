package corpus

import (
	"bytes"
	"os"
	"testing"
)

// sqliteGolden is speedtest1's output at SQLite's TestArgs, from the
// native build (gcc -O2 of sqlite/build with os_corpus.c): the check of
// the wasm builds where the sources (not checked in) are absent.
const sqliteGolden = "testdata/sqlite-test.out"

// TestPrograms_agree runs every program at its test size natively (gcc
// -O2 of src/) and on wfxc (in process), wazero and Wasmtime (if this
// build has cgo), and compares the outputs byte for byte. SQLite runs on
// wfxc only (the other compilers take seconds on its 1 MB), against its
// golden output, speedtest1 --size 1 of the native build (made by
// hand: gcc -O2 $SQLiteDefs of sqlite/build, as corpus.go does).
func TestPrograms_agree(t *testing.T) {
	b, err := NewBuilder("", SQLiteBuild)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	engines := []Engine{WfxcInProcess, Wazero}
	if WasmtimeAvailable {
		engines = append(engines, Wasmtime)
	}
	for _, p := range Programs {
		t.Run(p.Name, func(t *testing.T) {
			var want []byte
			if p.Name == SQLite {
				// The native build (gcc -O2 of sqlite3.c) takes a minute:
				// the golden file is its output.
				golden, err := os.ReadFile(sqliteGolden)
				if err != nil {
					t.Fatal(err)
				}
				want = golden
			} else if nat, err := Native.Prepare(b, p); err != nil {
				t.Fatal(err)
			} else {
				res, err := nat.Run(p.TestArgs)
				if err != nil {
					t.Fatal(err)
				}
				want = res.Out
			}
			if len(want) == 0 {
				t.Fatal("native build printed nothing")
			}
			for _, e := range engines {
				if p.Name == SQLite && e.Name != WfxcInProcess.Name {
					continue
				}
				r, err := e.Prepare(b, p)
				if err != nil {
					t.Fatalf("%s: %v", e.Name, err)
				}
				res, err := r.Run(p.TestArgs)
				r.Close()
				if err != nil {
					t.Fatalf("%s: %v", e.Name, err)
				}
				if !bytes.Equal(res.Out, want) {
					t.Errorf("%s printed\n%s\nwant (native)\n%s", e.Name, clip(res.Out), clip(want))
				}
			}
		})
	}
}

// TestWasm2c_host builds one program through wasm2c and gcc with
// wasm2c/main.c (the bench's wasm2c column) and compares its output with
// the native build's. It needs Debian's wabt (.ci/run installs it).
func TestWasm2c_host(t *testing.T) {
	b, err := NewBuilder("", SQLiteBuild)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	p := Programs[11] // json: stdio, malloc and realloc, the most of wasi-libc
	if p.Name != "json" {
		t.Fatalf("Programs[11] is %s, want json", p.Name)
	}
	var outs [][]byte
	for _, e := range []Engine{Native, Wasm2c} {
		r, err := e.Prepare(b, p)
		if err != nil {
			t.Fatalf("%s: %v", e.Name, err)
		}
		res, err := r.Run(p.TestArgs)
		if err != nil {
			t.Fatalf("%s: %v", e.Name, err)
		}
		outs = append(outs, res.Out)
	}
	if len(outs[0]) == 0 || !bytes.Equal(outs[0], outs[1]) {
		t.Fatalf("wasm2c printed\n%s\nwant (native)\n%s", outs[1], outs[0])
	}
	// An argument the program refuses: exit status 2 and a message, on
	// both.
	for _, e := range []Engine{Native, Wasm2c} {
		r, _ := e.Prepare(b, p)
		if _, err := r.Run([]string{"x"}); err == nil {
			t.Errorf("%s: json x: no error", e.Name)
		}
	}
}
