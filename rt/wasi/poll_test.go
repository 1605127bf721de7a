package wasi

import (
	"encoding/binary"
	"os"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// sub is a subscription to write into memory.
type sub struct {
	userdata uint64
	tag      uint8
	fd       uint32 // fd_read, fd_write
	clock    uint32 // clock
	timeout  uint64
	flags    uint16
}

// poll calls poll_oneoff and returns the events' (userdata, error, type).
func (h *harness) poll(subs ...sub) ([]event, errno) {
	in := h.alloc(len(subs) * subscriptionSize)
	for i, s := range subs {
		o := out(h.m.b[in+uint64(i*subscriptionSize):][:subscriptionSize])
		clear(o)
		o.u64(subUserdata, s.userdata)
		o.u8(subTag, s.tag)
		if s.tag == eventtypeClock {
			o.u32(subClockID, s.clock)
			o.u64(subClockTimeout, s.timeout)
			o.u16(subClockFlags, s.flags)
		} else {
			o.u32(subFdReadwriteFd, s.fd)
		}
	}
	evs := h.alloc(len(subs) * eventSize)
	n := h.alloc(4)
	e := h.call("poll_oneoff", in, evs, uint64(len(subs)), n)
	var got []event
	for i := range int(h.u32(n)) {
		b := h.m.b[evs+uint64(i*eventSize):]
		got = append(got, event{userdata: binary.LittleEndian.Uint64(b), err: errno(binary.LittleEndian.Uint16(b[eventError:])),
			typ: b[eventType], nbytes: binary.LittleEndian.Uint64(b[eventFdReadwriteSize:]), flags: binary.LittleEndian.Uint16(b[eventFdReadwriteFlag:])})
	}
	return got, e
}

func TestPoll_clocks(t *testing.T) {
	h := newHarness(t, Config{})
	start := time.Now()
	evs, e := h.poll(sub{userdata: 1, tag: eventtypeClock, clock: clockMonotonic, timeout: 20e6},
		sub{userdata: 2, tag: eventtypeClock, clock: clockMonotonic, timeout: 10e9})
	if e != errnoSuccess || len(evs) != 1 || evs[0].userdata != 1 || evs[0].err != errnoSuccess {
		t.Fatalf("events %+v, %v; want the 20 ms clock alone", evs, e)
	}
	if d := time.Since(start); d < 20*time.Millisecond || d > 5*time.Second {
		t.Errorf("waited %v for a 20 ms timeout", d)
	}
	// An absolute deadline in the past fires at once; realtime clocks too.
	now, _ := clockNow(clockRealtime)
	evs, _ = h.poll(sub{userdata: 3, tag: eventtypeClock, clock: clockRealtime, timeout: uint64(now) - 1e9, flags: subclockAbstime})
	if len(evs) != 1 || evs[0].userdata != 3 {
		t.Errorf("past absolute deadline: %+v", evs)
	}
	evs, _ = h.poll(sub{userdata: 4, tag: eventtypeClock, clock: 9, timeout: 1})
	if len(evs) != 1 || evs[0].err != errnoInval {
		t.Errorf("unknown clock: %+v, want an EINVAL event", evs)
	}
	if _, e := h.poll(); e != errnoInval {
		t.Errorf("no subscriptions: %v, want inval", e)
	}
	if _, e := h.poll(sub{userdata: 5, tag: 7}); e != errnoInval {
		t.Errorf("unknown event type: %v, want inval", e)
	}
}

// TestPoll_fds: Go streams and regular files are ready at once (with the
// bytes left to read), a bad fd is an EBADF event, and a pipe is waited
// on: not ready before it is written, ready after, hung up once closed.
func TestPoll_fds(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	h := newHarness(t, Config{Stdin: r})
	clock := sub{userdata: 9, tag: eventtypeClock, clock: clockMonotonic, timeout: 30e6}
	evs, _ := h.poll(sub{userdata: 1, tag: eventtypeFdRead, fd: 0}, clock)
	if len(evs) != 1 || evs[0].userdata != 9 {
		t.Fatalf("empty pipe: %+v, want the timeout", evs)
	}
	w.Write([]byte("abc"))
	evs, _ = h.poll(sub{userdata: 1, tag: eventtypeFdRead, fd: 0}, clock)
	if len(evs) != 1 || evs[0].userdata != 1 || evs[0].err != errnoSuccess {
		t.Fatalf("written pipe: %+v, want it readable", evs)
	}
	w.Close()
	h.read(0, 3)
	evs, _ = h.poll(sub{userdata: 1, tag: eventtypeFdRead, fd: 0}, clock)
	if len(evs) != 1 || evs[0].flags&eventrwflagHangup == 0 {
		t.Fatalf("closed pipe: %+v, want hang-up", evs)
	}
	evs, _ = h.poll(sub{userdata: 2, tag: eventtypeFdWrite, fd: 2}, sub{userdata: 3, tag: eventtypeFdRead, fd: 77}, clock)
	if len(evs) != 2 || evs[0].userdata != 2 || evs[1].err != errnoBadf {
		t.Fatalf("stderr and a bad fd: %+v", evs)
	}
	hs, _, _ := sandbox(t)
	f, _ := hs.open(3, 0, "file", 0, rightFdRead|rightPollFdReadwrite, 0, 0)
	hs.read(f, 1)
	evs, _ = hs.poll(sub{userdata: 5, tag: eventtypeFdRead, fd: f})
	if len(evs) != 1 || evs[0].nbytes != 3 {
		t.Fatalf("regular file: %+v, want 3 bytes left", evs)
	}
	g, _ := hs.open(3, 0, "file", 0, rightFdRead, 0, 0)
	evs, _ = hs.poll(sub{userdata: 6, tag: eventtypeFdRead, fd: g})
	if len(evs) != 1 || evs[0].err != errnoNotcapable {
		t.Fatalf("fd without POLL_FD_READWRITE: %+v", evs)
	}
}

// TestSockets: only sockets the host hands in are sockets; one given as
// stdin sends, receives and shuts down; every other fd is ENOTSOCK.
func TestSockets(t *testing.T) {
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	mine := os.NewFile(uintptr(fds[0]), "guest")
	peer := os.NewFile(uintptr(fds[1]), "peer")
	defer mine.Close()
	defer peer.Close()
	h := newHarness(t, Config{Stdin: mine})
	peer.Write([]byte("ping"))
	buf := h.alloc(16)
	iov := h.alloc(8)
	binary.LittleEndian.PutUint32(h.m.b[iov:], uint32(buf))
	binary.LittleEndian.PutUint32(h.m.b[iov+4:], 16)
	n, fl := h.alloc(4), h.alloc(4)
	wantErrno(t, "sock_recv", h.call("sock_recv", 0, iov, 1, 0, n, fl), errnoSuccess)
	if got := string(h.m.b[buf : buf+uint64(h.u32(n))]); got != "ping" {
		t.Errorf("received %q", got)
	}
	wantErrno(t, "sock_send without FD_WRITE", h.call("sock_send", 0, iov, 1, 0, n), errnoNotcapable)
	wantErrno(t, "sock_shutdown bad how", h.call("sock_shutdown", 0, 0), errnoInval)
	wantErrno(t, "sock_shutdown", h.call("sock_shutdown", 0, 3), errnoSuccess)
	if k, _ := peer.Read(make([]byte, 4)); k != 0 {
		t.Errorf("peer read %d bytes after shutdown", k)
	}
	wantErrno(t, "sock_shutdown of stdout", h.call("sock_shutdown", 1, 1), errnoNotsock)
	wantErrno(t, "sock_accept of stdout", h.call("sock_accept", 1, 0, n), errnoNotsock)
	wantErrno(t, "sock_shutdown of fd 3", h.call("sock_shutdown", 3, 1), errnoBadf)
}
