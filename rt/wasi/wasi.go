// Package wasi implements WASI preview 1
// (https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md)
// as host functions for rt: all 46 functions of wasi_snapshot_preview1,
// with arguments and environment, clocks, random bytes, poll_oneoff, the
// standard streams, and a file system made of preopened host directories.
//
// The guest sees only what it is given. Each preopened directory is a
// capability: paths are resolved by this package one component at a time
// (path.go), so neither "..", an absolute path, nor a symbolic link can
// reach anything outside the directories handed in, and every fd carries
// the rights of the witx, which only ever shrink (fd_fdstat_set_rights
// drops rights; path_open grants at most what its directory may pass on).
//
// Every function reads and writes the memory exported as "memory" by the
// calling instance, bounds-checking each access (a bad pointer is EFAULT,
// not a crash). A WASI serves one program: the fds are its state.
//
// The host is Linux (the rest of rt is too): file operations are the *at
// system calls of golang.org/x/sys/unix on the host descriptors.
package wasi

import (
	"errors"
	"fmt"
	"io"

	"wfxc/rt"
	"wfxc/rt/abi"
)

// Module is the import module name of WASI preview 1.
const Module = "wasi_snapshot_preview1"

// Config is what a WASI program sees of its environment.
type Config struct {
	Args     []string  // argv, including the program name
	Env      []string  // "KEY=value" entries; nothing of the host's unless put here
	Preopens []Preopen // directories the program may use, as fds 3, 4, … in order
	Stdin    io.Reader
	Stdout   io.Writer
	Stderr   io.Writer
}

// A Preopen is a host directory made visible to the program under a guest
// name (wasmtime's --dir HOST::GUEST). The program can reach everything
// below Host and nothing else.
type Preopen struct {
	Host  string // host directory
	Guest string // the name the program finds it under, e.g. "/" or "."
}

// ExitError is returned (through Func.Call) when the program calls
// proc_exit, or raises a signal whose default action ends it (then Code
// is 128 + the signal number, as a shell reports it).
type ExitError struct {
	Code uint32
}

// Error describes the exit.
func (e *ExitError) Error() string { return fmt.Sprintf("exit status %d", e.Code) }

// WASI is a set of host functions bound to one Config and its open files.
type WASI struct {
	cfg   Config
	files fdTable
	funcs map[string]*rt.Func
}

// New returns the WASI host functions for cfg, with its preopened
// directories open (an error names a directory that cannot be opened).
// Nil readers and writers behave as empty input and discarded output.
// Close releases the host files.
func New(cfg Config) (*WASI, error) {
	if cfg.Stdin == nil {
		cfg.Stdin = eofReader{}
	}
	if cfg.Stdout == nil {
		cfg.Stdout = io.Discard
	}
	if cfg.Stderr == nil {
		cfg.Stderr = io.Discard
	}
	w := &WASI{cfg: cfg, funcs: map[string]*rt.Func{}}
	w.files.set(0, newStream(cfg.Stdin, nil, rightsStdin))
	w.files.set(1, newStream(nil, cfg.Stdout, rightsStdout))
	w.files.set(2, newStream(nil, cfg.Stderr, rightsStdout))
	for i, p := range cfg.Preopens {
		f, err := openPreopen(p)
		if err != nil {
			w.Close()
			return nil, err
		}
		w.files.set(uint32(3+i), f)
	}
	for _, h := range hostFuncs {
		params := make([]abi.ValType, len(h.sig))
		for i, c := range h.sig {
			params[i] = i32
			if c == 'I' {
				params[i] = i64
			}
		}
		fn := h.fn
		w.funcs[h.name] = rt.NewHostFuncCaller(abi.FuncType{Params: params, Results: []abi.ValType{i32}},
			func(c *rt.Caller, a []uint64) ([]uint64, error) {
				e, err := fn(w, callerMem(c), a)
				return []uint64{uint64(e)}, err
			})
	}
	w.funcs["proc_exit"] = rt.NewHostFunc(abi.FuncType{Params: []abi.ValType{i32}},
		func(a []uint64) ([]uint64, error) { return nil, &ExitError{Code: uint32(a[0])} })
	return w, nil
}

// Close closes the host files the program still has open (including the
// preopened directories); the standard streams are left to their owner.
func (w *WASI) Close() error {
	var first error
	for fd := range w.files.files {
		if err := w.files.remove(uint32(fd)); err != nil && first == nil {
			first = err
		}
	}
	return first
}

const (
	i32 = abi.ValType(0x7F)
	i64 = abi.ValType(0x7E)
)

// hostFunc is one WASI function: its name, its parameter types (one
// letter each: i = i32, I = i64; every function but proc_exit returns an
// errno as i32), and its implementation. An implementation returns an
// errno for the guest, or an error that ends the program (proc_raise).
type hostFunc struct {
	name string
	sig  string
	fn   func(w *WASI, m *mem, a []uint64) (errno, error)
}

// plain adapts an implementation that never ends the program.
func plain(fn func(w *WASI, m *mem, a []uint64) errno) func(*WASI, *mem, []uint64) (errno, error) {
	return func(w *WASI, m *mem, a []uint64) (errno, error) { return fn(w, m, a), nil }
}

// hostFuncs is every function of wasi_snapshot_preview1 but proc_exit, in
// the order of the witx.
var hostFuncs = []hostFunc{
	{"args_get", "ii", plain((*WASI).argsGet)},
	{"args_sizes_get", "ii", plain((*WASI).argsSizesGet)},
	{"environ_get", "ii", plain((*WASI).environGet)},
	{"environ_sizes_get", "ii", plain((*WASI).environSizesGet)},
	{"clock_res_get", "ii", plain((*WASI).clockResGet)},
	{"clock_time_get", "iIi", plain((*WASI).clockTimeGet)},
	{"fd_advise", "iIIi", plain((*WASI).fdAdvise)},
	{"fd_allocate", "iII", plain((*WASI).fdAllocate)},
	{"fd_close", "i", plain((*WASI).fdClose)},
	{"fd_datasync", "i", plain((*WASI).fdDatasync)},
	{"fd_fdstat_get", "ii", plain((*WASI).fdFdstatGet)},
	{"fd_fdstat_set_flags", "ii", plain((*WASI).fdFdstatSetFlags)},
	{"fd_fdstat_set_rights", "iII", plain((*WASI).fdFdstatSetRights)},
	{"fd_filestat_get", "ii", plain((*WASI).fdFilestatGet)},
	{"fd_filestat_set_size", "iI", plain((*WASI).fdFilestatSetSize)},
	{"fd_filestat_set_times", "iIIi", plain((*WASI).fdFilestatSetTimes)},
	{"fd_pread", "iiiIi", plain((*WASI).fdPread)},
	{"fd_prestat_get", "ii", plain((*WASI).fdPrestatGet)},
	{"fd_prestat_dir_name", "iii", plain((*WASI).fdPrestatDirName)},
	{"fd_pwrite", "iiiIi", plain((*WASI).fdPwrite)},
	{"fd_read", "iiii", plain((*WASI).fdRead)},
	{"fd_readdir", "iiiIi", plain((*WASI).fdReaddir)},
	{"fd_renumber", "ii", plain((*WASI).fdRenumber)},
	{"fd_seek", "iIii", plain((*WASI).fdSeek)},
	{"fd_sync", "i", plain((*WASI).fdSync)},
	{"fd_tell", "ii", plain((*WASI).fdTell)},
	{"fd_write", "iiii", plain((*WASI).fdWrite)},
	{"path_create_directory", "iii", plain((*WASI).pathCreateDirectory)},
	{"path_filestat_get", "iiiii", plain((*WASI).pathFilestatGet)},
	{"path_filestat_set_times", "iiiiIIi", plain((*WASI).pathFilestatSetTimes)},
	{"path_link", "iiiiiii", plain((*WASI).pathLink)},
	{"path_open", "iiiiiIIii", plain((*WASI).pathOpen)},
	{"path_readlink", "iiiiii", plain((*WASI).pathReadlink)},
	{"path_remove_directory", "iii", plain((*WASI).pathRemoveDirectory)},
	{"path_rename", "iiiiii", plain((*WASI).pathRename)},
	{"path_symlink", "iiiii", plain((*WASI).pathSymlink)},
	{"path_unlink_file", "iii", plain((*WASI).pathUnlinkFile)},
	{"poll_oneoff", "iiii", plain((*WASI).pollOneoff)},
	{"proc_raise", "i", (*WASI).procRaise},
	{"sched_yield", "", plain((*WASI).schedYield)},
	{"random_get", "ii", plain((*WASI).randomGet)},
	{"sock_accept", "iii", plain((*WASI).sockAccept)},
	{"sock_recv", "iiiiii", plain((*WASI).sockRecv)},
	{"sock_send", "iiiii", plain((*WASI).sockSend)},
	{"sock_shutdown", "ii", plain((*WASI).sockShutdown)},
}

// Resolve implements rt.Resolver for the WASI module.
func (w *WASI) Resolve(module, name string) (rt.Extern, bool) {
	if module != Module {
		return nil, false
	}
	f, ok := w.funcs[name]
	return f, ok
}

// Chain returns a resolver that tries w first, then next.
func (w *WASI) Chain(next rt.Resolver) rt.Resolver {
	return rt.ResolverFunc(func(module, name string) (rt.Extern, bool) {
		if e, ok := w.Resolve(module, name); ok {
			return e, ok
		}
		if next == nil {
			return nil, false
		}
		return next.Resolve(module, name)
	})
}

// Run calls the instance's "_start" export and returns the exit code:
// 0 when _start returns, the proc_exit code, or an error (a trap).
func Run(inst *rt.Instance) (uint32, error) {
	f := inst.Func("_start")
	if f == nil {
		return 0, errors.New("wasi: module exports no _start function")
	}
	_, err := f.Call()
	var ee *ExitError
	if errors.As(err, &ee) {
		return ee.Code, nil
	}
	if err != nil {
		return 0, err
	}
	return 0, nil
}

type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }

// openPreopen opens a preopened directory with all the rights a
// directory can have.
func openPreopen(p Preopen) (*file, error) {
	f, err := openDir(p.Host)
	if err != nil {
		return nil, fmt.Errorf("wasi: preopen %s: %w", p.Host, err)
	}
	f.preopen = p.Guest
	return f, nil
}
