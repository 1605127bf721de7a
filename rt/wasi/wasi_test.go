package wasi

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"wfxc/rt/abi"
)

// harness calls WASI functions by name on a memory of its own, the way
// wasm code does (minus the exit to Go).
type harness struct {
	t   *testing.T
	w   *WASI
	m   *mem
	top uint64 // next free byte for strings and buffers
}

func newHarness(t *testing.T, cfg Config) *harness {
	t.Helper()
	w, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return &harness{t: t, w: w, m: &mem{b: make([]byte, 1<<16)}, top: 1024}
}

// call runs the named function with raw arguments and returns its errno.
func (h *harness) call(name string, args ...uint64) errno {
	h.t.Helper()
	for _, f := range hostFuncs {
		if f.name == name {
			if len(args) != len(f.sig) {
				h.t.Fatalf("%s: %d arguments, want %d", name, len(args), len(f.sig))
			}
			e, err := f.fn(h.w, h.m, args)
			if err != nil {
				h.t.Fatalf("%s: %v", name, err)
			}
			return e
		}
	}
	h.t.Fatalf("no function %s", name)
	return 0
}

// str places s in memory and returns its pointer and length.
func (h *harness) str(s string) (uint64, uint64) {
	p := h.alloc(len(s))
	copy(h.m.b[p:], s)
	return p, uint64(len(s))
}

// alloc reserves n bytes (8-aligned) of scratch memory.
func (h *harness) alloc(n int) uint64 {
	p := h.top
	h.top += uint64(n+7) &^ 7
	if h.top > uint64(len(h.m.b)) {
		h.top = 1024
		p = h.top
		h.top += uint64(n+7) &^ 7
	}
	return p
}

func (h *harness) u32(p uint64) uint32 { return binary.LittleEndian.Uint32(h.m.b[p:]) }
func (h *harness) u64(p uint64) uint64 { return binary.LittleEndian.Uint64(h.m.b[p:]) }

// open is path_open from dirfd; it returns the fd and the errno.
func (h *harness) open(dirfd uint32, lookup uint32, path string, oflags uint32, base, inheriting uint64, fdflags uint32) (uint32, errno) {
	h.t.Helper()
	p, n := h.str(path)
	out := h.alloc(4)
	e := h.call("path_open", uint64(dirfd), uint64(lookup), p, n, uint64(oflags), base, inheriting, uint64(fdflags), out)
	return h.u32(out), e
}

// fdstat returns an fd's filetype, flags and rights.
func (h *harness) fdstat(fd uint32) (typ uint8, flags uint16, base, inheriting uint64, e errno) {
	p := h.alloc(fdstatSize)
	e = h.call("fd_fdstat_get", uint64(fd), p)
	return h.m.b[p], binary.LittleEndian.Uint16(h.m.b[p+2:]), h.u64(p + 8), h.u64(p + 16), e
}

// write writes s to fd with fd_write and returns the count.
func (h *harness) write(fd uint32, s string) (uint32, errno) {
	p, n := h.str(s)
	iov := h.alloc(8)
	binary.LittleEndian.PutUint32(h.m.b[iov:], uint32(p))
	binary.LittleEndian.PutUint32(h.m.b[iov+4:], uint32(n))
	out := h.alloc(4)
	e := h.call("fd_write", uint64(fd), iov, 1, out)
	return h.u32(out), e
}

// read reads up to n bytes from fd with fd_read.
func (h *harness) read(fd uint32, n int) (string, errno) {
	buf := h.alloc(n)
	iov := h.alloc(8)
	binary.LittleEndian.PutUint32(h.m.b[iov:], uint32(buf))
	binary.LittleEndian.PutUint32(h.m.b[iov+4:], uint32(n))
	out := h.alloc(4)
	e := h.call("fd_read", uint64(fd), iov, 1, out)
	return string(h.m.b[buf : buf+uint64(h.u32(out))]), e
}

func wantErrno(t *testing.T, what string, got, want errno) {
	t.Helper()
	if got != want {
		t.Errorf("%s: errno %v, want %v", what, got, want)
	}
}

func TestMem_bounds(t *testing.T) {
	m := &mem{b: make([]byte, 16)}
	tests := []struct {
		name string
		p, n uint64
		ok   bool
	}{
		{"whole", 0, 16, true},
		{"empty end", 16, 0, true},
		{"past end", 15, 2, false},
		{"start past end", 17, 0, false},
		{"huge", 8, 1 << 40, true}, // n is an i32: truncated to 0
		{"wrap", 0xFFFFFFFF, 2, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, ok := m.slice(tt.p, tt.n); ok != tt.ok {
				t.Fatalf("slice(%d, %d) ok = %v, want %v", tt.p, tt.n, ok, tt.ok)
			}
		})
	}
	if e := m.put32(13, 1); e != errnoFault {
		t.Fatalf("put32 at 13 = %v, want fault", e)
	}
	if e := m.put64(8, 7); e != errnoSuccess || binary.LittleEndian.Uint64(m.b[8:]) != 7 {
		t.Fatalf("put64 at 8 = %v", e)
	}
	if _, e := m.iovecs(0, 1<<31); e != errnoFault {
		t.Fatalf("iovecs with a count past memory = %v, want fault", e)
	}
	if _, e := (&mem{b: []byte("a\x00b")}).string(0, 3); e != errnoInval {
		t.Fatalf("string with a NUL = %v, want inval", e)
	}
}

func TestArgs_layout(t *testing.T) {
	m := &mem{b: make([]byte, 64)}
	list := []string{"ab", "c"}
	if e := sizesGet(m, list, []uint64{0, 4}); e != 0 {
		t.Fatal(e)
	}
	if n, sz := binary.LittleEndian.Uint32(m.b), binary.LittleEndian.Uint32(m.b[4:]); n != 2 || sz != 5 {
		t.Fatalf("sizes %d %d, want 2 5", n, sz)
	}
	if e := listGet(m, list, []uint64{8, 32}); e != 0 {
		t.Fatal(e)
	}
	if p0, p1 := binary.LittleEndian.Uint32(m.b[8:]), binary.LittleEndian.Uint32(m.b[12:]); p0 != 32 || p1 != 35 {
		t.Fatalf("pointers %d %d", p0, p1)
	}
	if !bytes.Equal(m.b[32:37], []byte("ab\x00c\x00")) {
		t.Fatalf("strings %q", m.b[32:37])
	}
	if e := listGet(m, list, []uint64{8, 62}); e != errnoFault {
		t.Fatalf("listGet past the end = %v, want fault", e)
	}
}

// TestStreams_rights: the standard streams read and write in their own
// direction only, unknown fds are EBADF, bad iovecs EFAULT, and a stream
// that cannot seek says ESPIPE.
func TestStreams_rights(t *testing.T) {
	var out, errOut bytes.Buffer
	h := newHarness(t, Config{Stdin: strings.NewReader("input"), Stdout: &out, Stderr: &errOut})
	if n, e := h.write(1, "xyz"); e != errnoSuccess || n != 3 {
		t.Fatalf("stdout: %d, %v", n, e)
	}
	if _, e := h.write(2, "err"); e != errnoSuccess {
		t.Fatal(e)
	}
	_, e := h.write(0, "x")
	wantErrno(t, "write to stdin", e, errnoNotcapable)
	_, e = h.write(3, "x")
	wantErrno(t, "write to fd 3", e, errnoBadf)
	_, e = h.read(1, 4)
	wantErrno(t, "read from stdout", e, errnoNotcapable)
	if s, e := h.read(0, 3); e != errnoSuccess || s != "inp" {
		t.Fatalf("read stdin: %q, %v", s, e)
	}
	if s, e := h.read(0, 10); e != errnoSuccess || s != "ut" {
		t.Fatalf("read rest of stdin: %q, %v", s, e)
	}
	if s, e := h.read(0, 10); e != errnoSuccess || s != "" {
		t.Fatalf("read at end of input: %q, %v", s, e)
	}
	if out.String() != "xyz" || errOut.String() != "err" {
		t.Fatalf("stdout %q stderr %q", out.String(), errOut.String())
	}
	iov := h.alloc(8)
	binary.LittleEndian.PutUint32(h.m.b[iov:], 1<<16-2)
	binary.LittleEndian.PutUint32(h.m.b[iov+4:], 100) // past the end of memory
	wantErrno(t, "iovec past the end", h.call("fd_write", 1, iov, 1, h.alloc(4)), errnoFault)
	// stdin is a strings.Reader: it can seek; stdout, a bytes.Buffer, cannot.
	pos := h.alloc(8)
	if e := h.call("fd_seek", 0, 1, whenceSet, pos); e != errnoSuccess || h.u64(pos) != 1 {
		t.Fatalf("seek stdin: %v, %d", e, h.u64(pos))
	}
	wantErrno(t, "seek stdout", h.call("fd_seek", 1, 0, whenceSet, pos), errnoNotcapable)
	typ, _, _, _, e := h.fdstat(1)
	if e != errnoSuccess || typ != filetypeUnknown {
		t.Fatalf("fdstat of a Go writer: type %d, %v", typ, e)
	}
	wantErrno(t, "close stdout", h.call("fd_close", 1), errnoSuccess)
	_, e = h.write(1, "x")
	wantErrno(t, "write to closed stdout", e, errnoBadf)
}

// TestResolve_names: every function of wasi_snapshot_preview1 resolves,
// with its witx type.
func TestResolve_names(t *testing.T) {
	w, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	want := map[string]string{ // a sample of the witx signatures
		"fd_write": "iiii", "clock_time_get": "iIi", "path_open": "iiiiiIIii", "fd_seek": "iIii",
		"path_filestat_set_times": "iiiiIIi", "fd_pread": "iiiIi", "sched_yield": "", "proc_exit": "i",
	}
	names := []string{"proc_exit"}
	for _, f := range hostFuncs {
		names = append(names, f.name)
	}
	if len(names) != 46 {
		t.Errorf("%d functions, want the 46 of preview 1", len(names))
	}
	for _, n := range names {
		ext, ok := w.Resolve(Module, n)
		if !ok {
			t.Errorf("%s not resolved", n)
			continue
		}
		ft := ext.(interface{ Type() abi.FuncType }).Type()
		sig := ""
		for _, p := range ft.Params {
			sig += map[abi.ValType]string{i32: "i", i64: "I"}[p]
		}
		if s, ok := want[n]; ok && s != sig {
			t.Errorf("%s: parameters %q, want %q", n, sig, s)
		}
		if wantRes := n != "proc_exit"; (len(ft.Results) == 1) != wantRes {
			t.Errorf("%s: results %v", n, ft.Results)
		}
	}
	if _, ok := w.Resolve("env", "fd_write"); ok {
		t.Error("resolved a non-WASI module")
	}
	if _, ok := w.Chain(nil).Resolve("env", "x"); ok {
		t.Error("chain resolved an unknown import")
	}
	f, _ := w.Resolve(Module, "proc_exit")
	_, err = f.(interface {
		Call(...uint64) ([]uint64, error)
	}).Call(7)
	var ee *ExitError
	if !errors.As(err, &ee) || ee.Code != 7 {
		t.Fatalf("proc_exit(7): %v", err)
	}
}

// TestNew_badPreopen: a preopen that is no directory is an error naming it.
func TestNew_badPreopen(t *testing.T) {
	file := filepath.Join(t.TempDir(), "f")
	os.WriteFile(file, nil, 0o644)
	for _, host := range []string{file, filepath.Join(t.TempDir(), "missing")} {
		if _, err := New(Config{Preopens: []Preopen{{Host: host, Guest: "/"}}}); err == nil || !strings.Contains(err.Error(), host) {
			t.Errorf("preopen %s: err %v, want one naming it", host, err)
		}
	}
}

// TestProcRaise: default actions — ignored signals do nothing, the others
// end the program with 128 + the host signal number.
func TestProcRaise(t *testing.T) {
	h := newHarness(t, Config{})
	tests := []struct {
		name string
		sig  uint64
		code uint32 // 0: the program goes on
		e    errno
	}{
		{"none", 0, 0, errnoSuccess},
		{"chld", signalChld, 0, errnoSuccess},
		{"winch", signalWinch, 0, errnoSuccess},
		{"tstp", signalTstp, 0, errnoSuccess},
		{"term", 15, 128 + 15, errnoSuccess},
		{"abrt", 6, 128 + 6, errnoSuccess},
		{"xcpu", 23, 128 + 24, errnoSuccess}, // Linux numbers it 24
		{"out of range", 31, 0, errnoInval},
	}
	for _, tt := range tests {
		e, err := h.w.procRaise(h.m, []uint64{tt.sig})
		var ee *ExitError
		code := uint32(0)
		if errors.As(err, &ee) {
			code = ee.Code
		}
		if e != tt.e || code != tt.code {
			t.Errorf("%s: errno %v, exit %d; want %v, %d", tt.name, e, code, tt.e, tt.code)
		}
	}
}

// TestClocks: every clock reads and has a resolution; unknown ids are
// EINVAL; monotonic time does not go back.
func TestClocks(t *testing.T) {
	h := newHarness(t, Config{})
	p := h.alloc(8)
	for id := uint64(0); id < 4; id++ {
		wantErrno(t, "clock_res_get", h.call("clock_res_get", id, p), errnoSuccess)
		if h.u64(p) == 0 {
			t.Errorf("clock %d: resolution 0", id)
		}
		wantErrno(t, "clock_time_get", h.call("clock_time_get", id, 0, p), errnoSuccess)
	}
	wantErrno(t, "clock 4", h.call("clock_time_get", 4, 0, p), errnoInval)
	wantErrno(t, "clock 4 res", h.call("clock_res_get", 4, p), errnoInval)
	h.call("clock_time_get", clockMonotonic, 0, p)
	t0 := h.u64(p)
	h.call("clock_time_get", clockMonotonic, 0, p)
	if h.u64(p) < t0 {
		t.Errorf("monotonic clock went back: %d < %d", h.u64(p), t0)
	}
	buf := h.alloc(64)
	wantErrno(t, "random_get", h.call("random_get", buf, 64), errnoSuccess)
	if bytes.Equal(h.m.b[buf:buf+64], make([]byte, 64)) {
		t.Error("random_get wrote only zeros")
	}
	wantErrno(t, "random_get past the end", h.call("random_get", 1<<16-8, 64), errnoFault)
}
