package bench

import (
	"embed"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// The C versions of the kernels (kernelsrc/kernels.h) and their driver.
//
//go:embed kernelsrc/*.c kernelsrc/*.h
var kernelSrc embed.FS

// BuildNativeKernels compiles the C versions of the kernels with gcc -O2
// into one executable in dir and returns its path.
func BuildNativeKernels(dir string) (string, error) {
	ents, err := kernelSrc.ReadDir("kernelsrc")
	if err != nil {
		return "", err
	}
	var srcs []string
	for _, e := range ents {
		b, err := kernelSrc.ReadFile("kernelsrc/" + e.Name())
		if err != nil {
			return "", err
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644); err != nil {
			return "", err
		}
		if strings.HasSuffix(e.Name(), ".c") {
			srcs = append(srcs, e.Name())
		}
	}
	exe := filepath.Join(dir, "kernels")
	cmd := exec.Command("gcc", append(append([]string{"-O2", "-o", exe}, srcs...), "-lm")...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("gcc kernels: %v\n%s", err, out)
	}
	return exe, nil
}

// A NativeRun is one timed run(n) of a native kernel.
type NativeRun struct {
	Result    uint64
	Wall, CPU time.Duration
}

// RunNativeKernel runs kernel name's run(n) reps times in one process of
// exe (from BuildNativeKernels) and returns each run.
func RunNativeKernel(exe, name string, n uint64, reps int) ([]NativeRun, error) {
	out, err := exec.Command(exe, name, strconv.FormatUint(n, 10), strconv.Itoa(reps)).Output()
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", exe, name, err)
	}
	var runs []NativeRun
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		var r NativeRun
		var wall, cpu int64
		if _, err := fmt.Sscan(l, &r.Result, &wall, &cpu); err != nil {
			return nil, fmt.Errorf("%s %s: output line %q: %w", exe, name, l, err)
		}
		r.Wall, r.CPU = time.Duration(wall), time.Duration(cpu)
		runs = append(runs, r)
	}
	if len(runs) != reps {
		return nil, fmt.Errorf("%s %s: %d runs, want %d", exe, name, len(runs), reps)
	}
	return runs, nil
}
