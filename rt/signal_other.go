//go:build !(linux && amd64)

package rt

import (
	"fmt"
	"runtime"
)

// Guard-page traps need the signal handler of signal_linux_amd64.go.

func registerGuardCode(text, size, trap uintptr) (int, error) {
	return 0, fmt.Errorf("code compiled with guard pages needs linux/amd64, not %s/%s", runtime.GOOS, runtime.GOARCH)
}

func unregisterGuardRange(slot int) {}

// guardMemories: memories are plain mappings here (no code with guard
// pages runs).
const guardMemories = false
