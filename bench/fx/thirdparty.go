package fx

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
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
	path := filepath.Join(dir, t.Path)
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	bin, err := wat.ParseModuleFile(text, path)
	if err != nil {
		return nil, err
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
// (an exit status other than 0 is an error) or run. It returns the time
// of the call alone, by the wall clock and in thread CPU time (Timed).
func (p *Prepared) Run() (Timed, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	s := rt.NewStore()
	defer s.Close()
	var imports rt.Resolver
	if p.tp.WASI {
		w, err := wasi.New(wasi.Config{Args: []string{p.tp.Name}})
		if err != nil {
			return Timed{}, err
		}
		defer w.Close()
		imports = w
	}
	inst, err := s.Instantiate(p.mod, imports)
	if err != nil {
		return Timed{}, fmt.Errorf("%s: instantiate: %w", p.tp.Path, err)
	}
	f := inst.Func("run")
	if p.tp.WASI {
		f = inst.Func("_start")
	}
	if f == nil {
		return Timed{}, fmt.Errorf("%s: no export run or _start", p.tp.Path)
	}
	c0, err := threadCPU()
	if err != nil {
		return Timed{}, err
	}
	t0 := time.Now()
	_, err = f.Call()
	t := Timed{D: time.Since(t0)}
	c1, _ := threadCPU()
	t.CPU = c1 - c0
	var exit *wasi.ExitError
	switch {
	case p.tp.WASI && errors.As(err, &exit) && exit.Code != 0:
		return t, fmt.Errorf("%s: exit status %d", p.tp.Path, exit.Code)
	case p.tp.WASI && errors.As(err, &exit):
	case err != nil:
		return t, fmt.Errorf("%s: %w", p.tp.Path, err)
	}
	if live, _ := s.Continuations(); live != 0 {
		return t, fmt.Errorf("%s: %d continuations live after the run", p.tp.Path, live)
	}
	return t, nil
}
