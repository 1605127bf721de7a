package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"runtime"
	"strings"
)

// The programs the tests build (C hosts, Go hosts, wfxc build outputs)
// are for the test binary's architecture. An arm64 test binary run under
// qemu on another host builds them with a cross C compiler and runs them
// under qemu too:
//
//	GOARCH=arm64 CC=aarch64-linux-gnu-gcc \
//	WFXC_TEST_EXEC="qemu-aarch64 -L /usr/aarch64-linux-gnu" \
//	    go test -exec qemu-aarch64 ./rt/e2e

// testExecEnv names the command (with its arguments, split at spaces)
// that runs the built programs.
const testExecEnv = "WFXC_TEST_EXEC"

// cCompiler is the C compiler of the C host tests: $CC, else gcc.
func cCompiler() string {
	if cc := os.Getenv("CC"); cc != "" {
		return cc
	}
	return "gcc"
}

// programCommand returns the command running program exe with args,
// through $WFXC_TEST_EXEC when it is set.
func programCommand(exe string, args ...string) *exec.Cmd {
	if runner := strings.Fields(os.Getenv(testExecEnv)); len(runner) > 0 {
		return exec.Command(runner[0], append(append(runner[1:], exe), args...)...)
	}
	return exec.Command(exe, args...)
}

// emulated reports whether this test binary runs under qemu-user on a
// host of another architecture, where resident memory and page tables are
// qemu's: /proc/cpuinfo then describes the host's CPU (an arm64 binary
// reads an x86 "vendor_id" line).
func emulated() bool {
	if runtime.GOARCH != "arm64" {
		return false
	}
	b, err := os.ReadFile("/proc/cpuinfo")
	return err == nil && bytes.Contains(b, []byte("\nvendor_id"))
}
