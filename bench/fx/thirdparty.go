package fx

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"wfxc/compile"
	"wfxc/frontend/wat"
	"wfxc/rt"
	"wfxc/rt/wasi"
)

// BenchfxDir is ../shared/wasmfx-bench (third-party inputs: its
// ORIGIN.md) seen from this package's directory; BenchfxFromModule is the
// same seen from the bench module's, where the compare command runs.
const (
	BenchfxDir        = "../../../shared/wasmfx-bench"
	BenchfxFromModule = "../../shared/wasmfx-bench"
)

// A ThirdParty is one program of wasmfx/benchfx (ORIGIN.md), run as is.
type ThirdParty struct {
	Name string
	Path string // below the wasmfx-bench directory
	// WASI programs run _start, which checks its own result and exits 0
	// when it is right; the others are micro-benchmarks: call "run".
	WASI bool
	// Trips is the number of suspend/resume round trips of a micro (0:
	// not counted).
	Trips int64
}

// ThirdParties are the runnable programs of ../shared/wasmfx-bench: the
// four standalone programs in the current handler syntax and the two
// micro-benchmarks (the 2023-syntax originals and the import halves are
// not runnable on their own: ORIGIN.md).
var ThirdParties = []ThirdParty{
	{Name: "c10m", Path: "benchfx/standalone-on-syntax/c10m_wasmfx.wast", WASI: true},
	{Name: "sieve", Path: "benchfx/standalone-on-syntax/sieve_wasmfx.wast", WASI: true},
	{Name: "skynet", Path: "benchfx/standalone-on-syntax/skynet_wasmfx.wast", WASI: true},
	{Name: "state", Path: "benchfx/standalone-on-syntax/state_wasmfx.wast", WASI: true},
	{Name: "suspend_resume", Path: "benchfx/micro/suspend_resume.wat", Trips: 20_000_000},
	{Name: "2resumes_same_function", Path: "benchfx/micro/2resumes_same_function.wat", Trips: 20_000_000},
}

// A Prepared is a third-party program compiled by wfxc, ready to run.
type Prepared struct {
	tp  ThirdParty
	mod *rt.Module
}

// Prepare parses and compiles t from dir (the wasmfx-bench directory).
func (t ThirdParty) Prepare(dir string) (*Prepared, error) {
	text, err := os.ReadFile(filepath.Join(dir, t.Path))
	if err != nil {
		return nil, err
	}
	bin, err := wat.ParseModule(text)
	if err != nil {
		return nil, fmt.Errorf("%s: parse: %w", t.Path, err)
	}
	res, err := compile.Compile(bin, compile.Options{Name: t.Name})
	if err != nil {
		return nil, fmt.Errorf("%s: compile: %w", t.Path, err)
	}
	mod, err := rt.LoadObject(res.Object)
	if err != nil {
		return nil, fmt.Errorf("%s: rt.LoadObject: %w", t.Path, err)
	}
	return &Prepared{t, mod}, nil
}

// Run instantiates the program in a new store and runs it once: _start
// (an exit status other than 0 is an error) or run. The time is that of
// the call alone.
func (p *Prepared) Run() (time.Duration, error) {
	s := rt.NewStore()
	defer s.Close()
	var imports rt.Resolver
	if p.tp.WASI {
		w, err := wasi.New(wasi.Config{Args: []string{p.tp.Name}})
		if err != nil {
			return 0, err
		}
		defer w.Close()
		imports = w
	}
	inst, err := s.Instantiate(p.mod, imports)
	if err != nil {
		return 0, fmt.Errorf("%s: instantiate: %w", p.tp.Path, err)
	}
	t0 := time.Now()
	if p.tp.WASI {
		code, err := wasi.Run(inst)
		d := time.Since(t0)
		if err != nil {
			return d, fmt.Errorf("%s: %w", p.tp.Path, err)
		}
		if code != 0 {
			return d, fmt.Errorf("%s: exit status %d", p.tp.Path, code)
		}
		return d, nil
	}
	f := inst.Func("run")
	if f == nil {
		return 0, fmt.Errorf("%s: no export run", p.tp.Path)
	}
	_, err = f.Call()
	d := time.Since(t0)
	if err != nil {
		return d, fmt.Errorf("%s: run: %w", p.tp.Path, err)
	}
	return d, nil
}
