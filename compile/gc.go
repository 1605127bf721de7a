package compile

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// The garbage collector's settings that TuneGC makes: no collection
// until the process's memory reaches gcLimit, and once a collection
// leaves more than half of it live, the proportional target GCPercent
// (as GOGC) without the limit.
const (
	gcLimit   = 64 << 20
	GCPercent = 200
)

// TuneGC sets up the garbage collector for a process whose work is
// compiling (the wfxc command, the bench's compile-time child), unless
// the environment sets GOGC or GOMEMLIMIT. A compilation allocates many
// times its live heap in short-lived per-function data (SQLite: about
// 350 MiB for a live heap of 10 to 30 MiB), which the default target
// (GOGC=100) collects some 40 times: with no collection below gcLimit
// SQLite's takes about a fifth less CPU time for the same peak RSS. A
// module whose live heap outgrows half the limit falls back to GCPercent,
// so that it does not collect continuously near the limit. It changes
// process-wide settings, so Compile does not call it; calls after the
// first do nothing.
func TuneGC() { tuneOnce.Do(tuneGC) }

var tuneOnce sync.Once

func tuneGC() {
	if _, set := os.LookupEnv("GOGC"); set {
		return
	}
	if _, set := os.LookupEnv("GOMEMLIMIT"); set {
		return
	}
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(gcLimit)
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	var check func(*gcSentinel)
	check = func(*gcSentinel) { // after every collection, on the finalizer goroutine
		metrics.Read(sample)
		if sample[0].Value.Kind() == metrics.KindUint64 && sample[0].Value.Uint64() > gcLimit/2 {
			debug.SetGCPercent(GCPercent)
			debug.SetMemoryLimit(math.MaxInt64)
			return
		}
		runtime.SetFinalizer(new(gcSentinel), check)
	}
	runtime.SetFinalizer(new(gcSentinel), check)
}

// A gcSentinel's finalizer runs after the collection that finds it
// unreachable (holding a pointer keeps it out of the tiny allocator).
type gcSentinel struct {
	_ *int
	_ [16]byte
}
