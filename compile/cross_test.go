package compile

import (
	"bufio"
	"crypto/sha256"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"

	"wfxc/rt/abi"
)

// crossDigestsEnv names the file TestCross_digests writes its digests to;
// TestCross_identical sets it for the test binary of the other host.
const crossDigestsEnv = "WFXC_CROSS_DIGESTS"

// specModules lists the .wasm files of the spec suites (../../shared/testdata),
// relative to that directory, sorted.
func specModules(t *testing.T) (root string, files []string) {
	t.Helper()
	root = filepath.Join("..", "..", "shared", "testdata")
	for _, d := range []string{"core", "wasm3", "proposals", "stack-switching", "simd"} {
		filepath.Walk(filepath.Join(root, d), func(p string, info os.FileInfo, err error) error {
			if err == nil && !info.IsDir() && strings.HasSuffix(p, ".wasm") {
				rel, _ := filepath.Rel(root, p)
				files = append(files, rel)
			}
			return nil
		})
	}
	if len(files) == 0 {
		t.Fatalf("no spec modules under %s", root)
	}
	sort.Strings(files)
	return root, files
}

// crossDigests returns one line per module and target: the sha256 of the
// object, or the compile error's first line.
func crossDigests(t *testing.T) []string {
	root, files := specModules(t)
	var out []string
	for _, f := range files {
		wasm, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			t.Fatal(err)
		}
		for _, target := range abi.Archs {
			r, err := Compile(wasm, Options{Name: "m", Target: target})
			if err != nil {
				msg, _, _ := strings.Cut(err.Error(), "\n")
				out = append(out, fmt.Sprintf("%s %s error %s", f, target, msg))
				continue
			}
			out = append(out, fmt.Sprintf("%s %s %x", f, target, sha256.Sum256(r.Object)))
		}
	}
	return out
}

// TestCross_digests writes the digests of crossDigests to the file named
// by $WFXC_CROSS_DIGESTS: the other host's half of TestCross_identical.
func TestCross_digests(t *testing.T) {
	p := os.Getenv(crossDigestsEnv)
	if p == "" {
		t.Skip("run by TestCross_identical in a test binary for the other host")
	}
	if err := os.WriteFile(p, []byte(strings.Join(crossDigests(t), "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestCross_identical: every spec module compiles to the same bytes for
// both targets whether the compiler runs on x86-64 or on arm64. The other
// host's half is this package's test binary built for it and run under
// qemu-user (qemu-aarch64 on amd64, qemu-x86_64 on arm64).
func TestCross_identical(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a test binary for the other architecture")
	}
	other, qemu := "arm64", "qemu-aarch64"
	if runtime.GOARCH == "arm64" {
		other, qemu = "amd64", "qemu-x86_64"
	} else if runtime.GOARCH != "amd64" {
		t.Skipf("host %s is neither target", runtime.GOARCH)
	}
	if os.Getenv(crossDigestsEnv) != "" {
		t.Skip("inside the other host's half")
	}
	qemuPath, err := exec.LookPath(qemu)
	if err != nil {
		t.Fatalf("%s not found (Debian: qemu-user; .ci/run installs it; go test -short skips this test): %v", qemu, err)
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "compile.test")
	build := exec.Command("go", "test", "-c", "-o", bin, ".")
	build.Env = append(os.Environ(), "GOARCH="+other, "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go test -c for %s: %v\n%s", other, err, out)
	}
	// The two halves run at the same time.
	digests := filepath.Join(dir, "digests.txt")
	var out strings.Builder
	run := exec.Command(qemuPath, bin, "-test.run", "^TestCross_digests$")
	run.Env = append(os.Environ(), crossDigestsEnv+"="+digests)
	run.Stdout, run.Stderr = &out, &out
	if err := run.Start(); err != nil {
		t.Fatal(err)
	}
	defer run.Process.Kill() // if our half fails first
	ours := crossDigests(t)
	if err := run.Wait(); err != nil {
		t.Fatalf("%s half under %s: %v\n%s", other, qemu, err, out.String())
	}
	f, err := os.Open(digests)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var theirs []string
	for sc := bufio.NewScanner(f); sc.Scan(); {
		theirs = append(theirs, sc.Text())
	}
	if len(theirs) != len(ours) {
		t.Fatalf("%s host: %d digests, %s host: %d", runtime.GOARCH, len(ours), other, len(theirs))
	}
	differ := 0
	for i := range ours {
		if ours[i] != theirs[i] {
			if differ++; differ <= 10 {
				t.Errorf("%s host: %s\n%s host: %s", runtime.GOARCH, ours[i], other, theirs[i])
			}
		}
	}
	if differ > 0 {
		t.Fatalf("%d of %d objects differ between the hosts", differ, len(ours))
	}
	t.Logf("%d objects (%d modules × %d targets) identical on %s and %s", len(ours), len(ours)/len(abi.Archs), len(abi.Archs), runtime.GOARCH, other)
}
