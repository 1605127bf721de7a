package e2e

import (
	"os"
	"path/filepath"
	"testing"

	"wfxc/compile"
	"wfxc/frontend/wat"
	"wfxc/rt"
	"wfxc/rt/wasi"
)

// benchfxDir holds the third-party WasmFX programs (../shared/wasmfx-bench,
// read its ORIGIN.md); they are inputs, never copied into the repository.
const benchfxDir = "../../../shared/wasmfx-bench/benchfx"

func loadWatFile(t *testing.T, path string) *rt.Module {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	bin, err := wat.ParseModuleFile(src, path)
	if err != nil {
		t.Fatal(err)
	}
	res, err := compile.Compile(bin, compile.Options{Name: "benchfx"})
	if err != nil {
		t.Fatalf("%s: compile: %v", path, err)
	}
	mod, err := rt.LoadObject(res.Object)
	if err != nil {
		t.Fatal(err)
	}
	return mod
}

// TestBenchfx_programs: the four standalone-on-syntax WASI programs of
// benchfx (c10m, sieve, skynet, state) exit 0, and both micro modules
// (20M suspend/resume round trips each) return.
func TestBenchfx_programs(t *testing.T) {
	progs, _ := filepath.Glob(filepath.Join(benchfxDir, "standalone-on-syntax", "*_wasmfx.wast"))
	micro, _ := filepath.Glob(filepath.Join(benchfxDir, "micro", "*.wat"))
	if len(progs)+len(micro) == 0 {
		t.Skipf("no benchfx programs in %s", benchfxDir)
	}
	if len(progs) != 4 || len(micro) != 2 {
		t.Fatalf("found %d programs and %d micro modules, want 4 and 2", len(progs), len(micro))
	}
	for _, p := range progs {
		t.Run(filepath.Base(p), func(t *testing.T) {
			w, err := wasi.New(wasi.Config{})
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			store := rt.NewStore()
			defer store.Close()
			inst, err := store.Instantiate(loadWatFile(t, p), w)
			if err != nil {
				t.Fatal(err)
			}
			code, err := wasi.Run(inst)
			if err != nil || code != 0 {
				t.Fatalf("exit %d, %v", code, err)
			}
		})
	}
	for _, p := range micro {
		t.Run(filepath.Base(p), func(t *testing.T) {
			store := rt.NewStore()
			defer store.Close()
			inst, err := store.Instantiate(loadWatFile(t, p), nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := inst.Func("run").Call(); err != nil {
				t.Fatal(err)
			}
			if n, _ := store.Continuations(); n != 0 {
				t.Errorf("%d continuations live after run", n)
			}
		})
	}
}
