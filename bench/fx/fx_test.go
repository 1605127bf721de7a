package fx

import (
	"testing"

	"wfxc/bench"
)

// TestPrograms_agree runs every program once at its test size as WasmFX
// and as Asyncify through wfxc, as native C and (where this build links
// Wasmtime) as Asyncify on Wasmtime, and checks that the checksums agree
// (and match the Go model where there is one) and that no continuation is
// left alive in the wfxc stores.
func TestPrograms_agree(t *testing.T) {
	dir := t.TempDir()
	for _, p := range Programs {
		t.Run(p.Name, func(t *testing.T) {
			exe, err := BuildNative(dir, p.Name)
			if err != nil {
				t.Fatal(err)
			}
			runs, err := RunNative(exe, p.TestArg, 1)
			if err != nil {
				t.Fatal(err)
			}
			want := runs[0].Sum
			if p.Want != nil && p.Want(p.TestArg) != want {
				t.Fatalf("native run(%d) = %d, want %d", p.TestArg, want, p.Want(p.TestArg))
			}
			if got, model := runs[0].Resumes, p.Resumes(p.TestArg); got != model {
				t.Errorf("native run(%d) made %d resumes, the model says %d", p.TestArg, got, model)
			}
			for _, v := range []string{WasmFX, Asyncify} {
				wasm, err := Wasm(p.Name, v)
				if err != nil {
					t.Fatal(err)
				}
				inst, err := Compile(p.Name+"."+v, wasm)
				if err != nil {
					t.Fatal(err)
				}
				got, err := inst.Call("run", uint64(p.TestArg))
				if err != nil {
					t.Fatalf("%s: %v", v, err)
				}
				if int64(got) != want {
					t.Errorf("%s: run(%d) = %d, native %d", v, p.TestArg, int64(got), want)
				}
				if live, _ := inst.Store.Continuations(); live != 0 {
					t.Errorf("%s: %d continuations live after run, want 0", v, live)
				}
				inst.Store.Close()
			}
			if !bench.WasmtimeAvailable {
				return
			}
			r, err := NewRunner(p.Name, AsyncifyWasmtime)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			wt, err := r.Time(p.TestArg, 1)
			if err != nil {
				t.Fatalf("%s: %v", AsyncifyWasmtime, err)
			}
			if wt[0].Sum != want {
				t.Errorf("%s: run(%d) = %d, native %d", AsyncifyWasmtime, p.TestArg, wt[0].Sum, want)
			}
		})
	}
}

// TestSieve_model checks the Go model of sieve.c on counts worked out by
// hand (TestPrograms_agree checks its resume count against the C).
func TestSieve_model(t *testing.T) {
	for _, c := range []struct {
		name         string
		n, sum, runs int64
	}{
		// 2 from naturals; start the last filter (2 resumes: it pulls 3); stop both.
		{"one", 1, 2, 5},
		// 2; the filter of 2 pulls 3; the filter of 3 pulls 4 (dropped), 5; stop three.
		{"two", 2, 5, 10},
	} {
		t.Run(c.name, func(t *testing.T) {
			sum, resumes := sieve(c.n)
			if sum != c.sum || resumes != c.runs {
				t.Errorf("sieve(%d) = %d, %d resumes; want %d, %d", c.n, sum, resumes, c.sum, c.runs)
			}
		})
	}
}
