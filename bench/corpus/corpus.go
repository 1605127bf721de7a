// Package corpus runs the C benchmark corpus of issue 13 (README.md):
// twelve CPU kernels and SQLite's speedtest1, each a WASI command built
// by clang-19 for wasm32-wasi (the checked-in wasm/*.wasm) and natively
// by gcc -O2, run on native, wasm2c+gcc, Wasmtime, wazero and wfxc
// (`wfxc build` executables), every engine's output compared with the
// native build's.
package corpus

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

//go:embed wasm/*.wasm src/*.c src/*.h sqlite/os_corpus.c wasm2c/main.c
var files embed.FS

// A Program is one benchmark: wasm/Name.wasm, from src/Name.c (SQLite:
// sqlite/sqlite.sh). Args are the benchmark run's arguments (sized to run
// 0.2–1 s natively on this machine), TestArgs a quick run's.
type Program struct {
	Name     string
	Args     []string
	TestArgs []string
}

// SQLite is the name of the SQLite program.
const SQLite = "sqlite"

// Programs are the corpus, in table order.
var Programs = []Program{
	{"spectral", []string{"2500"}, []string{"60"}},
	{"fib", []string{"39"}, []string{"20"}},
	{"matmul", []string{"500"}, []string{"20"}},
	{"fnptr", []string{"40000000"}, []string{"100000"}},
	{"sha256", []string{"64"}, []string{"1"}},
	{"hashmap", []string{"4000000"}, []string{"20000"}},
	{"quicksort", []string{"2000000"}, []string{"5000"}},
	{"sieve", []string{"16000000"}, []string{"100000"}},
	{"fannkuch", []string{"10"}, []string{"7"}},
	{"nbody", []string{"3000000"}, []string{"1000"}},
	{"base64", []string{"120"}, []string{"1"}},
	{"json", []string{"100"}, []string{"1"}},
	{SQLite, []string{"--memdb", "--verify", "--size", "15"}, []string{"--memdb", "--verify", "--size", "1"}},
}

// Wasm returns the checked-in module of program p.
func Wasm(p string) ([]byte, error) { return files.ReadFile("wasm/" + p + ".wasm") }

// SQLiteDefs are the compile-time options of both SQLite builds
// (sqlite/sqlite.sh has the same).
var SQLiteDefs = []string{"-DSQLITE_OS_OTHER=1", "-DSQLITE_THREADSAFE=0", "-DSQLITE_TEMP_STORE=3", "-DSQLITE_OMIT_LOAD_EXTENSION=1"}

// SQLiteBuild is the directory sqlite/sqlite.sh fills (the amalgamation
// and speedtest1.c), relative to this package's directory.
const SQLiteBuild = "sqlite/build"

// ErrNoSQLiteSource says the native SQLite build lacks its sources.
var ErrNoSQLiteSource = errors.New("no SQLite sources: run bench/corpus/sqlite/sqlite.sh (apt-get source sqlite3, then the amalgamation)")

// A Result is one run: the program's output and its time, by the wall
// clock and in CPU time (user and system: of the child process, or of
// the thread that ran an in-process engine).
type Result struct {
	Out       []byte
	Wall, CPU time.Duration
}

// A Runner runs one program prepared on one engine.
type Runner interface {
	Run(args []string) (Result, error)
	Close()
}

// An Engine prepares programs: Prepare compiles or builds p into a
// Runner. Compile is the time Prepare took (wall clock), shown in no
// table: builds may come from the cache.
type Engine struct {
	Name    string
	Prepare func(b *Builder, p Program) (Runner, error)
}

// A Builder holds what the engines build: a work directory, the wfxc
// executable `wfxc build` copies, and a cache for the slow gcc builds
// (SQLite's native and wasm2c builds take minutes).
type Builder struct {
	Dir    string // work directory, removed by Close
	Cache  string // build cache ("" for none)
	SQLite string // directory of the SQLite sources (SQLiteBuild)
	wfxc   string
}

// NewBuilder makes a work directory. cache is the build cache directory
// ("" for none); sqliteDir is where the SQLite sources are.
func NewBuilder(cache, sqliteDir string) (*Builder, error) {
	dir, err := os.MkdirTemp("", "wfxc-corpus")
	if err != nil {
		return nil, err
	}
	return &Builder{Dir: dir, Cache: cache, SQLite: sqliteDir}, nil
}

// DefaultCache is the build cache below the user's cache directory.
func DefaultCache() string {
	d, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(d, "wfxc-bench-corpus")
}

// Close removes the work directory.
func (b *Builder) Close() { os.RemoveAll(b.Dir) }

// extract writes embedded files into the work directory (flat) and
// returns their paths.
func (b *Builder) extract(names ...string) ([]string, error) {
	var paths []string
	for _, n := range names {
		data, err := files.ReadFile(n)
		if err != nil {
			return nil, err
		}
		p := filepath.Join(b.Dir, filepath.Base(n))
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return nil, err
		}
		paths = append(paths, p)
	}
	return paths, nil
}

// cached returns the executable at key in the cache, building it with
// build(out) if it is not there. The key must cover every input and tool.
func (b *Builder) cached(name, key string, build func(out string) error) (string, error) {
	dir := b.Dir
	if b.Cache != "" {
		dir = filepath.Join(b.Cache, key[:16])
		exe := filepath.Join(dir, name)
		if _, err := os.Stat(exe); err == nil {
			return exe, nil
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return "", err
		}
	}
	exe := filepath.Join(dir, name)
	tmp := exe + ".tmp"
	if err := build(tmp); err != nil {
		os.Remove(tmp)
		return "", err
	}
	return exe, os.Rename(tmp, exe)
}

// toolVersion is the first line of `tool --version`.
func toolVersion(tool string) (string, error) {
	out, err := exec.Command(tool, "--version").Output()
	if err != nil {
		return "", fmt.Errorf("%s --version: %w (is it installed?)", tool, err)
	}
	return strings.SplitN(string(out), "\n", 2)[0], nil
}

// hashKey hashes the parts and the contents of the files.
func hashKey(parts []string, paths []string) (string, error) {
	h := sha256.New()
	for _, p := range parts {
		fmt.Fprintf(h, "%q\n", p)
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s %d\n", filepath.Base(p), len(data))
		h.Write(data)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func gcc(out string, args ...string) error {
	cmd := exec.Command("gcc", append(append([]string{"-O2"}, args...), "-lm", "-o", out)...)
	if msg, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("gcc -O2 %s: %v\n%s", strings.Join(args, " "), err, tail(msg))
	}
	return nil
}

func tail(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 2000 {
		s = "…" + s[len(s)-2000:]
	}
	return s
}

// sqliteSources are the files of the native SQLite build.
func (b *Builder) sqliteSources() ([]string, error) {
	var srcs []string
	for _, f := range []string{"sqlite3.c", "speedtest1.c"} {
		p := filepath.Join(b.SQLite, f)
		if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
			return nil, ErrNoSQLiteSource
		}
		srcs = append(srcs, p)
	}
	vfs, err := b.extract("sqlite/os_corpus.c")
	if err != nil {
		return nil, err
	}
	return append(srcs, vfs...), nil
}

// BuildNative builds p with gcc -O2 (cached) and returns the executable.
func (b *Builder) BuildNative(p Program) (string, error) {
	var srcs, flags []string
	var err error
	if p.Name == SQLite {
		if srcs, err = b.sqliteSources(); err != nil {
			return "", err
		}
		flags = append(append([]string{}, SQLiteDefs...), "-I"+b.SQLite)
	} else if srcs, err = b.extract("src/"+p.Name+".c", "src/corpus.h"); err != nil {
		return "", err
	}
	v, err := toolVersion("gcc")
	if err != nil {
		return "", err
	}
	key, err := hashKey(append([]string{"native", v}, flags...), srcs)
	if err != nil {
		return "", err
	}
	return b.cached(p.Name+".native", key, func(out string) error {
		var cs []string
		for _, s := range srcs {
			if strings.HasSuffix(s, ".c") {
				cs = append(cs, s)
			}
		}
		return gcc(out, append(flags, cs...)...)
	})
}

// wasm2c's runtime (Debian's wabt package: wasm-rt.h in /usr/include,
// wasm-rt-impl.c and .h in /usr/share/wabt/wasm2c).
const wasmRtDir = "/usr/share/wabt/wasm2c"

// BuildWasm2c translates p's wasm to C with wasm2c and builds it with
// gcc -O2, wasm-rt-impl.c and wasm2c/main.c (cached).
func (b *Builder) BuildWasm2c(p Program) (string, error) {
	v, err := toolVersion("wasm2c")
	if err != nil {
		return "", err
	}
	gv, err := toolVersion("gcc")
	if err != nil {
		return "", err
	}
	wasm, err := b.extract("wasm/" + p.Name + ".wasm")
	if err != nil {
		return "", err
	}
	host, err := b.extract("wasm2c/main.c")
	if err != nil {
		return "", err
	}
	rtImpl := filepath.Join(wasmRtDir, "wasm-rt-impl.c")
	key, err := hashKey([]string{"wasm2c", v, gv}, []string{wasm[0], host[0], rtImpl, filepath.Join(wasmRtDir, "wasm-rt-impl.h"), "/usr/include/wasm-rt.h"})
	if err != nil {
		return "", err
	}
	return b.cached(p.Name+".wasm2c", key, func(out string) error {
		dir, err := os.MkdirTemp(b.Dir, "wasm2c-"+p.Name)
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		c := filepath.Join(dir, "prog.c")
		if msg, err := exec.Command("wasm2c", "-n", "prog", wasm[0], "-o", c).CombinedOutput(); err != nil {
			return fmt.Errorf("wasm2c %s: %v\n%s", p.Name, err, tail(msg))
		}
		return gcc(out, "-I"+dir, "-I"+wasmRtDir, c, host[0], rtImpl)
	})
}

// BuildWfxcTool builds cmd/wfxc (static: CGO_ENABLED=0, as `wfxc build`
// wants) into the work directory, once.
func (b *Builder) BuildWfxcTool() (string, error) {
	if b.wfxc != "" {
		return b.wfxc, nil
	}
	exe := filepath.Join(b.Dir, "wfxc")
	cmd := exec.Command("go", "build", "-o", exe, "wfxc/cmd/wfxc")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if msg, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build wfxc/cmd/wfxc: %v\n%s", err, tail(msg))
	}
	b.wfxc = exe
	return exe, nil
}

// BuildWfxc makes p's executable with `wfxc build` (not cached: it is
// the compiler under test).
func (b *Builder) BuildWfxc(p Program) (string, error) { return b.buildWfxc(p, "wfxc") }

// buildWfxc is BuildWfxc with extra `wfxc build` arguments; the
// executable is named p.Name + "." + kind.
func (b *Builder) buildWfxc(p Program, kind string, args ...string) (string, error) {
	tool, err := b.BuildWfxcTool()
	if err != nil {
		return "", err
	}
	wasm, err := b.extract("wasm/" + p.Name + ".wasm")
	if err != nil {
		return "", err
	}
	exe := filepath.Join(b.Dir, p.Name+"."+kind)
	if msg, err := exec.Command(tool, append([]string{"build", wasm[0], "-o", exe}, args...)...).CombinedOutput(); err != nil {
		return "", fmt.Errorf("wfxc build %s: %v\n%s", p.Name, err, tail(msg))
	}
	return exe, nil
}

// A process runs an executable, one process per run.
type process struct {
	exe string
	pre []string // arguments before the program's
}

func (r process) Close() {}

func (r process) Run(args []string) (Result, error) {
	cmd := exec.Command(r.exe, append(append([]string{}, r.pre...), args...)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	t0 := time.Now()
	err := cmd.Run()
	res := Result{Out: out.Bytes(), Wall: time.Since(t0)}
	if cmd.ProcessState != nil {
		res.CPU = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	if err != nil {
		return res, fmt.Errorf("%s: %v\n%s", filepath.Base(r.exe), err, tail(errb.Bytes()))
	}
	return res, nil
}

// The engines of the table, native first.
var (
	Native = Engine{Name: "native", Prepare: func(b *Builder, p Program) (Runner, error) {
		exe, err := b.BuildNative(p)
		return process{exe: exe}, err
	}}
	Wasm2c = Engine{Name: "wasm2c", Prepare: func(b *Builder, p Program) (Runner, error) {
		exe, err := b.BuildWasm2c(p)
		return process{exe: exe}, err
	}}
	// Wfxc runs the executables of `wfxc build`; "--" ends the runtime's
	// own options.
	Wfxc = Engine{Name: "wfxc", Prepare: func(b *Builder, p Program) (Runner, error) {
		exe, err := b.BuildWfxc(p)
		return process{exe: exe, pre: []string{"--"}}, err
	}}
	// WfxcExplicit is Wfxc with explicit bounds checks instead of the
	// default guard pages (x86-64), for -engines.
	WfxcExplicit = Engine{Name: "wfxc-explicit", Prepare: func(b *Builder, p Program) (Runner, error) {
		exe, err := b.buildWfxc(p, "wfxc-explicit", "--bounds", "explicit")
		return process{exe: exe, pre: []string{"--"}}, err
	}}
)

// Engines are the engines in table order: native (the baseline),
// wasm2c+gcc, Wasmtime (if this build has cgo), wazero, wfxc.
func Engines() []Engine {
	es := []Engine{Native, Wasm2c}
	if WasmtimeAvailable {
		es = append(es, Wasmtime)
	}
	return append(es, Wazero, Wfxc)
}

// lockThread pins the goroutine to its thread for thread CPU time.
func lockThread() func() {
	runtime.LockOSThread()
	return runtime.UnlockOSThread
}
