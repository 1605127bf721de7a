package wasi

import (
	"encoding/binary"
	"io"
	"time"

	"golang.org/x/sys/unix"
)

// poll_oneoff: wait until at least one subscription has an event.
//
// A subscription is ready at once when it has an error (a bad fd, a bad
// clock) or when its fd never blocks: regular files, directories, and the
// standard streams that are Go readers and writers rather than host
// files. Host fds that can block (pipes, terminals, sockets, devices) are
// waited on with ppoll, together with the earliest clock deadline; clock
// subscriptions fire when their deadline has passed. All the events ready
// when the wait ends are reported.

// event is one event to report.
type event struct {
	userdata uint64
	err      errno
	typ      uint8
	nbytes   uint64
	flags    uint16
}

// fdWait is a subscription waiting on a host fd.
type fdWait struct {
	userdata uint64
	typ      uint8
}

// clockWait is a subscription waiting for a deadline on CLOCK_MONOTONIC.
type clockWait struct {
	userdata uint64
	deadline int64
}

func (w *WASI) pollOneoff(m *mem, a []uint64) errno {
	n := uint64(uint32(a[2]))
	if n == 0 {
		return errnoInval
	}
	subs, ok1 := m.slice(a[0], n*subscriptionSize)
	evs, ok2 := m.slice(a[1], n*eventSize)
	_, ok3 := m.slice(a[3], 4)
	if !ok1 || !ok2 || !ok3 || n*subscriptionSize>>32 != 0 || n*eventSize>>32 != 0 {
		return errnoFault
	}
	now, _ := clockNow(clockMonotonic)
	var ready []event
	var clocks []clockWait
	var waits []fdWait
	var pfds []unix.PollFd
	for i := uint64(0); i < n; i++ {
		s := subs[i*subscriptionSize : (i+1)*subscriptionSize]
		ud, tag := binary.LittleEndian.Uint64(s[subUserdata:]), s[subTag]
		switch tag {
		case eventtypeClock:
			id := binary.LittleEndian.Uint32(s[subClockID:])
			timeout := int64(binary.LittleEndian.Uint64(s[subClockTimeout:]))
			if binary.LittleEndian.Uint16(s[subClockFlags:])&subclockAbstime != 0 {
				t, e := clockNow(id)
				if e != errnoSuccess {
					ready = append(ready, event{userdata: ud, err: e, typ: tag})
					continue
				}
				timeout -= t
			} else if id >= uint32(len(hostClocks)) {
				ready = append(ready, event{userdata: ud, err: errnoInval, typ: tag})
				continue
			}
			clocks = append(clocks, clockWait{ud, now + max(timeout, 0)})
		case eventtypeFdRead, eventtypeFdWrite:
			f, e := w.fd(uint64(binary.LittleEndian.Uint32(s[subFdReadwriteFd:])), rightPollFdReadwrite)
			if e != errnoSuccess {
				ready = append(ready, event{userdata: ud, err: e, typ: tag})
				continue
			}
			if fd := f.pollFd(); fd >= 0 {
				ev := int16(unix.POLLIN)
				if tag == eventtypeFdWrite {
					ev = unix.POLLOUT
				}
				waits = append(waits, fdWait{ud, tag})
				pfds = append(pfds, unix.PollFd{Fd: int32(fd), Events: ev})
				continue
			}
			ev := event{userdata: ud, typ: tag}
			if tag == eventtypeFdRead {
				ev.nbytes = readable(f)
			}
			ready = append(ready, ev)
		default:
			return errnoInval
		}
	}
	for {
		wait := int64(-1) // forever
		if len(ready) > 0 {
			wait = 0
		} else if len(clocks) > 0 {
			wait = clocks[0].deadline
			for _, c := range clocks[1:] {
				wait = min(wait, c.deadline)
			}
			wait = max(wait-now, 0)
		}
		if len(pfds) > 0 {
			var ts *unix.Timespec
			if wait >= 0 {
				t := unix.NsecToTimespec(wait)
				ts = &t
			}
			k, err := unix.Ppoll(pfds, ts, nil)
			if err != nil && err != unix.EINTR {
				return errnoOf(err)
			}
			for i := 0; k > 0 && i < len(pfds); i++ {
				if re := pfds[i].Revents; re != 0 {
					ready = append(ready, polled(waits[i], re))
				}
			}
		} else if wait > 0 {
			time.Sleep(time.Duration(wait))
		}
		now, _ = clockNow(clockMonotonic)
		for _, c := range clocks {
			if c.deadline <= now {
				ready = append(ready, event{userdata: c.userdata, typ: eventtypeClock})
			}
		}
		if len(ready) > 0 {
			break
		}
	}
	for i, ev := range ready {
		o := out(evs[i*eventSize : (i+1)*eventSize])
		clear(o)
		o.u64(eventUserdata, ev.userdata)
		o.u16(eventError, uint16(ev.err))
		o.u8(eventType, ev.typ)
		o.u64(eventFdReadwriteSize, ev.nbytes)
		o.u16(eventFdReadwriteFlag, ev.flags)
	}
	return m.put32(a[3], uint32(len(ready)))
}

// polled turns ppoll's result for a subscription into its event.
func polled(fw fdWait, revents int16) event {
	ev := event{userdata: fw.userdata, typ: fw.typ}
	switch {
	case revents&unix.POLLNVAL != 0:
		ev.err = errnoBadf
	case revents&unix.POLLERR != 0:
		ev.err = errnoIO
	}
	if revents&unix.POLLHUP != 0 {
		ev.flags = eventrwflagHangup
	}
	return ev
}

// readable is the number of bytes a read of an always-ready fd would get
// (0 when unknown): what is left of a regular file, or of a Go reader
// that knows its length.
func readable(f *file) uint64 {
	if f.host >= 0 && f.typ == filetypeRegularFile {
		var st unix.Stat_t
		pos, err := unix.Seek(f.host, 0, io.SeekCurrent)
		if err == nil && unix.Fstat(f.host, &st) == nil && st.Size > pos {
			return uint64(st.Size - pos)
		}
		return 0
	}
	if l, ok := f.r.(interface{ Len() int }); ok {
		return uint64(l.Len())
	}
	return 0
}
