package hostgen

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
)

// GoMain writes a Go main module into dir: go.mod (module name, requiring
// wfxc from the source directory wfxcRoot), wfxc's go.sum, and main.go with
// mainSrc. Packages written into dir by GoPackage become <module>/<pkg>.
func GoMain(dir, module, wfxcRoot, mainSrc string) error {
	root, err := filepath.Abs(wfxcRoot)
	if err != nil {
		return fmt.Errorf("hostgen: %w", err)
	}
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		return fmt.Errorf("hostgen: wfxc module at %s: %w", root, err)
	}
	files := []struct{ name, data string }{
		{"go.mod", "module " + module + "\n\ngo 1.26\n\nrequire wfxc v0.0.0\n\nreplace wfxc => " + root + "\n"},
		{"go.sum", string(sum)},
		{"main.go", mainSrc},
	}
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(dir, f.name), []byte(f.data), 0o644); err != nil {
			return fmt.Errorf("hostgen: %w", err)
		}
	}
	return nil
}

// BuildStatic builds the Go main module in dir (see GoMain) into the
// static, cgo-free executable exe, with the go command of this toolchain
// when there is one. The build uses only the module cache (no downloads).
func BuildStatic(dir, exe string, stdout, stderr io.Writer) error {
	goCmd := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goCmd); err != nil {
		goCmd = "go"
	}
	cmd := exec.Command(goCmd, "build", "-trimpath", "-o", exe, ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off")
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("hostgen: go build: %w", err)
	}
	return nil
}
