package compile

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"testing"
	"time"
)

// TestTuneGC: the memory limit at first; a collection that leaves
// more than half the limit live brings back GCPercent.
func TestTuneGC(t *testing.T) {
	for _, e := range []string{"GOGC", "GOMEMLIMIT"} {
		if _, set := os.LookupEnv(e); set {
			t.Skipf("%s is set: TuneGC leaves the collector alone", e)
		}
	}
	tuneOnce = sync.Once{} // each run of the test tunes afresh
	TuneGC()
	gogc := func() int64 { // read without setting it
		s := []metrics.Sample{{Name: "/gc/gogc:percent"}}
		metrics.Read(s)
		return int64(s[0].Value.Uint64())
	}
	if l := debug.SetMemoryLimit(-1); l != gcLimit {
		t.Fatalf("memory limit %d after TuneGC, want %d", l, gcLimit)
	}
	live := make([]byte, gcLimit) // more than half the limit, live across the collection
	deadline := time.Now().Add(10 * time.Second)
	for {
		runtime.GC()
		time.Sleep(10 * time.Millisecond) // the finalizer goroutine's turn
		p := gogc()
		if p == GCPercent {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("GC percent still %d after collections with %d bytes live, want %d", p, len(live), GCPercent)
		}
	}
	if l := debug.SetMemoryLimit(-1); l < 1<<62 {
		t.Errorf("memory limit %d after the fallback, want none", l)
	}
	runtime.KeepAlive(live)
}
