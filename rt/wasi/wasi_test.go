package wasi

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"
)

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
		t.Fatalf("put32 at 13 = %d, want EFAULT", e)
	}
	if e := m.put64(8, 7); e != errnoSuccess || binary.LittleEndian.Uint64(m.b[8:]) != 7 {
		t.Fatalf("put64 at 8 = %d", e)
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
		t.Fatalf("listGet past the end = %d, want EFAULT", e)
	}
}

func TestRW_fds(t *testing.T) {
	var out, errOut bytes.Buffer
	w := New(Config{Stdout: &out, Stderr: &errOut})
	m := &mem{b: make([]byte, 64)}
	binary.LittleEndian.PutUint32(m.b[0:], 16) // iovec {16, 3}
	binary.LittleEndian.PutUint32(m.b[4:], 3)
	copy(m.b[16:], "xyz")
	tests := []struct {
		name  string
		fd    uint64
		write bool
		want  uint32
	}{
		{"stdout", 1, true, errnoSuccess},
		{"stderr", 2, true, errnoSuccess},
		{"stdinWrite", 0, true, errnoBadf},
		{"fd3", 3, true, errnoBadf},
		{"stdinReadEOF", 0, false, errnoSuccess},
		{"stdoutRead", 1, false, errnoBadf},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if e := w.rw(m, []uint64{tt.fd, 0, 1, 8}, tt.write); e != tt.want {
				t.Fatalf("errno %d, want %d", e, tt.want)
			}
		})
	}
	if out.String() != "xyz" || errOut.String() != "xyz" {
		t.Fatalf("stdout %q stderr %q", out.String(), errOut.String())
	}
	binary.LittleEndian.PutUint32(m.b[4:], 100) // iovec past the end
	if e := w.rw(m, []uint64{1, 0, 1, 8}, true); e != errnoFault {
		t.Fatalf("bad iovec errno %d, want EFAULT", e)
	}
}

func TestResolve_names(t *testing.T) {
	w := New(Config{})
	for _, n := range []string{"fd_write", "proc_exit", "clock_time_get", "path_open"} {
		if _, ok := w.Resolve(Module, n); !ok {
			t.Errorf("%s not resolved", n)
		}
	}
	if _, ok := w.Resolve("env", "fd_write"); ok {
		t.Error("resolved a non-WASI module")
	}
	if _, ok := w.Chain(nil).Resolve("env", "x"); ok {
		t.Error("chain resolved an unknown import")
	}
	f, _ := w.Resolve(Module, "proc_exit")
	_, err := f.(interface {
		Call(...uint64) ([]uint64, error)
	}).Call(7)
	var ee *ExitError
	if !errors.As(err, &ee) || ee.Code != 7 {
		t.Fatalf("proc_exit(7): %v", err)
	}
}
