package rt

// perf maps. `perf report` names samples in code that no ELF file on disk
// holds — the code rt maps itself (LoadObject, wfxc run) — from
// /tmp/perf-PID.map, lines "START SIZE NAME" in hex. With WFXC_PERF_MAP=1
// in the environment, LoadObject appends the object's function symbols
// there, so profiles of `wfxc run` and of Go hosts show wasm function
// names. (`wfxc build` executables need none: their symbols are in the
// executable.)

import (
	"bytes"
	"debug/elf"
	"fmt"
	"os"
	"sync"
)

// PerfMapEnv names the environment variable that turns perf maps on.
const PerfMapEnv = "WFXC_PERF_MAP"

var perfMapMu sync.Mutex

// perfMapPath is the perf map file of this process.
func perfMapPath() string { return fmt.Sprintf("/tmp/perf-%d.map", os.Getpid()) }

// writePerfMap appends to the perf map the function symbols among syms
// that are in section sec, which starts at base in memory. Errors are ignored
// (a profile without names, never a failed load) but for the first, which
// is reported once on stderr.
func writePerfMap(syms []elf.Symbol, sec elf.SectionIndex, base uintptr) {
	var b bytes.Buffer
	for _, s := range syms {
		if s.Section != sec || elf.ST_TYPE(s.Info) != elf.STT_FUNC || s.Size == 0 {
			continue
		}
		fmt.Fprintf(&b, "%x %x %s\n", uint64(base)+s.Value, s.Size, s.Name)
	}
	perfMapMu.Lock()
	defer perfMapMu.Unlock()
	f, err := os.OpenFile(perfMapPath(), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err == nil {
		_, err = f.Write(b.Bytes())
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil && !perfMapFailed {
		perfMapFailed = true
		fmt.Fprintf(os.Stderr, "rt: %s: %v\n", PerfMapEnv, err)
	}
}

var perfMapFailed bool
