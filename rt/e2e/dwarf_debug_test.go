package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"wfxc/compile"
	"wfxc/frontend/wat"
	"wfxc/rt/abi"
)

// TestDebug_verifyDebugInfo: llvm-dwarfdump --verify and readelf's
// decoders of .eh_frame, .debug_info and .debug_line find nothing wrong
// in the objects of the examples, of the clang -g test program (source
// lines) and of a large Rust module with DWARF from the WASI test suite.
func TestDebug_verifyDebugInfo(t *testing.T) {
	dwarfdump, err := exec.LookPath("llvm-dwarfdump")
	if err != nil {
		t.Skip("llvm-dwarfdump is not installed (Debian package llvm)")
	}
	readelf, err := exec.LookPath("readelf")
	if err != nil {
		t.Skip("readelf is not installed (Debian package binutils)")
	}
	root := repoRoot(t)
	inputs, _ := filepath.Glob(filepath.Join(root, "examples", "*", "*.wasm"))
	wats, _ := filepath.Glob(filepath.Join(root, "examples", "*", "*.wat"))
	inputs = append(inputs, wats...)
	inputs = append(inputs, filepath.Join(root, "rt", "e2e", "testdata", "debug", "deep.wasm"))
	// A large module in the repository: 1 MB of sqlite, every function.
	inputs = append(inputs, filepath.Join(root, "bench", "corpus", "wasm", "sqlite.wasm"))
	large := filepath.Join(root, "..", "shared", "wasi-testsuite", "tests", "rust", "testsuite", "wasm32-wasip1", "fd_readdir.wasm")
	if _, err := os.Stat(large); err == nil {
		inputs = append(inputs, large)
	} else {
		t.Logf("no large module: %v", err)
	}
	dir := t.TempDir()
	for _, in := range inputs {
		rel, _ := filepath.Rel(root, in)
		t.Run(rel, func(t *testing.T) {
			src, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			if strings.HasSuffix(in, ".wat") {
				if src, err = wat.ParseModuleFile(src, in); err != nil {
					t.Fatal(err)
				}
			}
			for _, target := range []abi.Arch{abi.X86_64, abi.AArch64} {
				res, err := compile.Compile(src, compile.Options{Name: "m", Target: target})
				if err != nil {
					t.Fatal(err)
				}
				obj := filepath.Join(dir, strings.NewReplacer("/", "_", ".", "_").Replace(rel)+"."+target.String()+".o")
				if err := os.WriteFile(obj, res.Object, 0o644); err != nil {
					t.Fatal(err)
				}
				verifyDebugInfo(t, dwarfdump, readelf, obj)
			}
		})
	}
}

// verifyDebugInfo checks the debug sections of object obj with
// llvm-dwarfdump --verify and readelf.
func verifyDebugInfo(t *testing.T, dwarfdump, readelf, obj string) {
	t.Helper()
	out, err := exec.Command(dwarfdump, "--verify", obj).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "No errors.") {
		t.Errorf("%s: llvm-dwarfdump --verify: %v\n%s", obj, err, out)
	}
	for _, dump := range []string{"frames", "info", "decodedline"} {
		cmd := exec.Command(readelf, "--debug-dump="+dump, obj)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil || stderr.Len() > 0 || strings.Contains(strings.ToLower(string(out)), "warning") {
			t.Errorf("%s: readelf --debug-dump=%s: %v\n%s", obj, dump, err, stderr.String())
		}
	}
}
