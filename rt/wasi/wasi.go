// Package wasi implements a subset of WASI preview 1
// (https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md)
// as host functions for rt: arguments and environment, clocks, random
// bytes, standard input/output/error, and proc_exit. There is no file
// system: no directory is preopened, so path functions are never reached
// by well-behaved programs and the fd functions only know fds 0–2.
//
// Every function reads and writes the memory exported as "memory" by the
// calling instance, bounds-checking each access (a bad pointer is EFAULT,
// not a crash).
package wasi

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"

	"wfxc/rt"
	"wfxc/rt/abi"
)

// Module is the import module name of WASI preview 1.
const Module = "wasi_snapshot_preview1"

// Errno values used here.
const (
	errnoSuccess = 0
	errnoBadf    = 8
	errnoFault   = 21
	errnoInval   = 28
	errnoIO      = 29
	errnoNosys   = 52
	errnoSpipe   = 70
)

// Config is what a WASI program sees of its environment.
type Config struct {
	Args   []string // argv, including the program name
	Env    []string // "KEY=value" entries
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
}

// ExitError is returned (through Func.Call) when the program calls
// proc_exit.
type ExitError struct {
	Code uint32
}

// Error describes the exit.
func (e *ExitError) Error() string { return fmt.Sprintf("exit status %d", e.Code) }

// WASI is a set of host functions bound to one Config.
type WASI struct {
	cfg   Config
	funcs map[string]*rt.Func
}

const (
	i32 = abi.ValType(0x7F)
	i64 = abi.ValType(0x7E)
)

// New returns the WASI host functions for cfg. Nil readers and writers
// behave as empty input and discarded output.
func New(cfg Config) *WASI {
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
	p := func(n int) []abi.ValType {
		ts := make([]abi.ValType, n)
		for i := range ts {
			ts[i] = i32
		}
		return ts
	}
	errnoOnly := []abi.ValType{i32}
	def := func(name string, params []abi.ValType, fn func(m *mem, a []uint64) uint32) {
		w.funcs[name] = rt.NewHostFuncCaller(abi.FuncType{Params: params, Results: errnoOnly},
			func(c *rt.Caller, a []uint64) ([]uint64, error) {
				m := callerMem(c)
				return []uint64{uint64(fn(m, a))}, nil
			})
	}
	def("args_sizes_get", p(2), func(m *mem, a []uint64) uint32 { return sizesGet(m, cfg.Args, a) })
	def("args_get", p(2), func(m *mem, a []uint64) uint32 { return listGet(m, cfg.Args, a) })
	def("environ_sizes_get", p(2), func(m *mem, a []uint64) uint32 { return sizesGet(m, cfg.Env, a) })
	def("environ_get", p(2), func(m *mem, a []uint64) uint32 { return listGet(m, cfg.Env, a) })
	def("clock_res_get", p(2), func(m *mem, a []uint64) uint32 {
		if uint32(a[0]) > 3 {
			return errnoInval
		}
		return m.put64(a[1], 1)
	})
	def("clock_time_get", []abi.ValType{i32, i64, i32}, func(m *mem, a []uint64) uint32 {
		var t int64
		switch uint32(a[0]) {
		case 0: // realtime
			t = time.Now().UnixNano()
		case 1, 2, 3: // monotonic, process and thread CPU time (approximated)
			t = int64(time.Since(start))
		default:
			return errnoInval
		}
		return m.put64(a[2], uint64(t))
	})
	def("random_get", p(2), func(m *mem, a []uint64) uint32 {
		b, ok := m.slice(a[0], a[1])
		if !ok {
			return errnoFault
		}
		rand.Read(b)
		return errnoSuccess
	})
	def("fd_write", p(4), func(m *mem, a []uint64) uint32 { return w.rw(m, a, true) })
	def("fd_read", p(4), func(m *mem, a []uint64) uint32 { return w.rw(m, a, false) })
	def("fd_close", p(1), func(m *mem, a []uint64) uint32 { return stdFd(a[0]) })
	def("fd_fdstat_get", p(2), func(m *mem, a []uint64) uint32 {
		if e := stdFd(a[0]); e != 0 {
			return e
		}
		// fdstat: filetype u8 (2 = character device), flags u16, rights u64 ×2.
		b, ok := m.slice(a[1], 24)
		if !ok {
			return errnoFault
		}
		clear(b)
		b[0] = 2
		binary.LittleEndian.PutUint64(b[8:], ^uint64(0))
		binary.LittleEndian.PutUint64(b[16:], ^uint64(0))
		return errnoSuccess
	})
	def("fd_seek", []abi.ValType{i32, i64, i32, i32}, func(m *mem, a []uint64) uint32 {
		if e := stdFd(a[0]); e != 0 {
			return e
		}
		return errnoSpipe
	})
	def("fd_prestat_get", p(2), func(m *mem, a []uint64) uint32 { return errnoBadf })
	def("fd_prestat_dir_name", p(3), func(m *mem, a []uint64) uint32 { return errnoBadf })
	def("sched_yield", nil, func(m *mem, a []uint64) uint32 { return errnoSuccess })
	for _, n := range []struct {
		name   string
		params []abi.ValType
	}{
		{"path_open", []abi.ValType{i32, i32, i32, i32, i32, i64, i64, i32, i32}},
		{"poll_oneoff", p(4)},
		{"fd_filestat_get", p(2)},
		{"path_filestat_get", p(5)},
		{"fd_readdir", []abi.ValType{i32, i32, i32, i64, i32}},
		{"fd_fdstat_set_flags", p(2)},
		{"proc_raise", p(1)},
	} {
		def(n.name, n.params, func(*mem, []uint64) uint32 { return errnoNosys })
	}
	w.funcs["proc_exit"] = rt.NewHostFunc(abi.FuncType{Params: []abi.ValType{i32}},
		func(a []uint64) ([]uint64, error) { return nil, &ExitError{Code: uint32(a[0])} })
	return w
}

var start = time.Now()

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

func stdFd(fd uint64) uint32 {
	if uint32(fd) > 2 {
		return errnoBadf
	}
	return errnoSuccess
}

// rw implements fd_write (write) and fd_read over iovecs.
func (w *WASI) rw(m *mem, a []uint64, write bool) uint32 {
	fd, iovs, n, out := uint32(a[0]), a[1], a[2], a[3]
	var r io.Reader
	var wr io.Writer
	switch {
	case write && fd == 1:
		wr = w.cfg.Stdout
	case write && fd == 2:
		wr = w.cfg.Stderr
	case !write && fd == 0:
		r = w.cfg.Stdin
	default:
		return errnoBadf
	}
	total := uint64(0)
	for i := uint64(0); i < uint64(uint32(n)); i++ {
		ptr, ok1 := m.get32(iovs + 8*i)
		ln, ok2 := m.get32(iovs + 8*i + 4)
		if !ok1 || !ok2 {
			return errnoFault
		}
		b, ok := m.slice(uint64(ptr), uint64(ln))
		if !ok {
			return errnoFault
		}
		if write {
			k, err := wr.Write(b)
			total += uint64(k)
			if err != nil {
				return errnoIO
			}
			continue
		}
		k, err := r.Read(b)
		total += uint64(k)
		if err == io.EOF || k < len(b) {
			break
		}
		if err != nil {
			return errnoIO
		}
	}
	return m.put32(out, uint32(total))
}

// sizesGet writes the count and total size (with NULs) of a string list.
func sizesGet(m *mem, list []string, a []uint64) uint32 {
	size := 0
	for _, s := range list {
		size += len(s) + 1
	}
	if e := m.put32(a[0], uint32(len(list))); e != 0 {
		return e
	}
	return m.put32(a[1], uint32(size))
}

// listGet writes pointers to NUL-terminated copies of a string list.
func listGet(m *mem, list []string, a []uint64) uint32 {
	ptrs, buf := a[0], a[1]
	for i, s := range list {
		if e := m.put32(ptrs+4*uint64(i), uint32(buf)); e != 0 {
			return e
		}
		b, ok := m.slice(buf, uint64(len(s))+1)
		if !ok {
			return errnoFault
		}
		copy(b, s)
		b[len(s)] = 0
		buf += uint64(len(s)) + 1
	}
	return errnoSuccess
}

// mem is a bounds-checked view of the caller's memory.
type mem struct{ b []byte }

func callerMem(c *rt.Caller) *mem {
	if inst := c.Instance(); inst != nil {
		if m := inst.Memory("memory"); m != nil {
			return &mem{m.Bytes()}
		}
	}
	return &mem{}
}

func (m *mem) slice(p, n uint64) ([]byte, bool) {
	p, n = uint64(uint32(p)), uint64(uint32(n))
	if p > uint64(len(m.b)) || n > uint64(len(m.b))-p {
		return nil, false
	}
	return m.b[p : p+n], true
}

func (m *mem) get32(p uint64) (uint32, bool) {
	b, ok := m.slice(p, 4)
	if !ok {
		return 0, false
	}
	return binary.LittleEndian.Uint32(b), true
}

func (m *mem) put32(p uint64, v uint32) uint32 {
	b, ok := m.slice(p, 4)
	if !ok {
		return errnoFault
	}
	binary.LittleEndian.PutUint32(b, v)
	return errnoSuccess
}

func (m *mem) put64(p uint64, v uint64) uint32 {
	b, ok := m.slice(p, 8)
	if !ok {
		return errnoFault
	}
	binary.LittleEndian.PutUint64(b, v)
	return errnoSuccess
}
