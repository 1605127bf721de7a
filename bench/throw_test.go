package bench

import (
	"fmt"
	"testing"
	"time"
)

// TestThrowCatch runs the exceptions benchmark briefly on wfxc and, if
// this build has it, Wasmtime: every call must return its expected result
// (ThrowCatch checks them) and take some time.
func TestThrowCatch(t *testing.T) {
	wasm, err := LoadThrowModule()
	if err != nil {
		t.Fatal(err)
	}
	engines := []Engine{Wfxc}
	if WasmtimeAvailable {
		engines = append(engines, Wasmtime)
	}
	for _, e := range engines {
		t.Run(e.Name, func(t *testing.T) {
			r := ThrowCatch(e, wasm, 100, 1)
			if r.Err != nil {
				t.Fatal(r.Err)
			}
			if len(r.PerThrow) != len(ThrowFrames) || r.Plain <= 0 || r.Try <= 0 {
				t.Fatalf("incomplete result %+v", r)
			}
			for i, d := range r.PerThrow {
				if d <= 0 {
					t.Errorf("%d frames: %v per throw", ThrowFrames[i], d)
				}
			}
			t.Logf("per throw %v; fib(%d) %v, in a try_table %v", r.PerThrow, FibArg, r.Plain, r.Try)
		})
	}
}

// TestThrowCatch_allocs: on wfxc a throw caught by a catch clause
// allocates no exception or payload in Go (the store reuses those of the
// last one caught), only the two objects of any libcall (its argument
// buffer and call record, which escape through rt's handler table), so
// 10^4 throw→catch cycles make at most 2·10^4 allocations (4·10^4 before).
func TestThrowCatch_allocs(t *testing.T) {
	wasm, err := LoadThrowModule()
	if err != nil {
		t.Fatal(err)
	}
	p, err := Prepare(Wfxc, wasm)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	const n = 10_000
	allocs := testing.AllocsPerRun(3, func() {
		if res, err := p.Instance.Call("throw", n, 3); err != nil || len(res) != 1 || res[0] != n {
			t.Fatalf("throw(%d, 3) = %v, %v", n, res, err)
		}
	})
	if allocs > 2*n+100 {
		t.Errorf("%v allocations for %d throws, want at most 2 per throw", allocs, n)
	}
}

// BenchmarkThrowCatch measures throw(n, frames) per engine with
// exceptions, reporting ns/throw (n is at least 10^4, also under
// -benchtime 1x).
func BenchmarkThrowCatch(b *testing.B) {
	wasm, err := LoadThrowModule()
	if err != nil {
		b.Fatal(err)
	}
	for _, e := range engines {
		if e.Name == WazeroCompiler.Name {
			continue // no exceptions
		}
		p, err := Prepare(e, wasm)
		if err != nil {
			b.Fatal(err)
		}
		for _, frames := range ThrowFrames {
			b.Run(fmt.Sprintf("%s/frames=%d", e.Name, frames), func(b *testing.B) {
				if _, err := p.Instance.Call("throw", 1, frames); err != nil {
					b.Fatal(err)
				}
				n := uint64(max(b.N, 10_000))
				b.ResetTimer()
				start := time.Now()
				res, err := p.Instance.Call("throw", n, frames)
				if err != nil || len(res) != 1 || res[0] != uint64(uint32(n)) {
					b.Fatalf("throw(%d, %d) = %v, %v", n, frames, res, err)
				}
				b.ReportMetric(float64(time.Since(start).Nanoseconds())/float64(n), "ns/throw")
			})
		}
		p.Close()
	}
}
