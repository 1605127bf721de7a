package wasi

import (
	"golang.org/x/sys/unix"
)

// The sock_* functions. Preview 1 cannot create sockets: a program only
// has one when the host hands it in, here as a standard stream that is a
// socket (inetd style), or as what sock_accept returns on such a stream.
// Every other fd is ENOTSOCK.

// sockFd returns the host fd of a socket fd with the rights in need.
func (w *WASI) sockFd(fd uint64, need uint64) (int, errno) {
	f := w.files.get(uint32(fd))
	if f == nil {
		return -1, errnoBadf
	}
	if f.typ != filetypeSocketStream && f.typ != filetypeSocketDgram {
		return -1, errnoNotsock
	}
	if f.base&need != need {
		return -1, errnoNotcapable
	}
	if f.host >= 0 {
		return f.host, errnoSuccess
	}
	return int(f.osFile().Fd()), errnoSuccess
}

// rightsSocket are the rights of an accepted connection.
const rightsSocket = rightFdRead | rightFdWrite | rightFdFdstatSetFlags | rightFdFilestatGet |
	rightPollFdReadwrite | rightSockShutdown

func (w *WASI) sockAccept(m *mem, a []uint64) errno {
	flags := uint32(a[1])
	s, e := w.sockFd(a[0], rightSockAccept)
	if e != errnoSuccess {
		return e
	}
	if flags&^fdflagNonblock != 0 {
		return errnoInval
	}
	if _, ok := m.slice(a[2], 4); !ok {
		return errnoFault
	}
	hostFlags := unix.SOCK_CLOEXEC
	if flags&fdflagNonblock != 0 {
		hostFlags |= unix.SOCK_NONBLOCK
	}
	var conn int
	err := retry(func() (err error) { conn, _, err = unix.Accept4(s, hostFlags); return err })
	if err != nil {
		return errnoOf(err)
	}
	nfd, e := w.files.add(&file{host: conn, typ: filetypeSocketStream, flags: uint16(flags), base: rightsSocket})
	if e != errnoSuccess {
		unix.Close(conn)
		return e
	}
	return m.put32(a[2], nfd)
}

// sockRecv receives into the iovecs; ri_flags may ask to peek or to wait
// for all the data, and ro_flags reports a truncated datagram.
func (w *WASI) sockRecv(m *mem, a []uint64) errno {
	s, e := w.sockFd(a[0], rightFdRead)
	if e != errnoSuccess {
		return e
	}
	riflags := uint32(a[3])
	if riflags&^riflagsAll != 0 {
		return errnoInval
	}
	bufs, e := m.iovecs(a[1], a[2])
	if e != errnoSuccess {
		return e
	}
	_, ok1 := m.slice(a[4], 4)
	_, ok2 := m.slice(a[5], 2)
	if !ok1 || !ok2 {
		return errnoFault
	}
	hostFlags := 0
	if riflags&1 != 0 {
		hostFlags |= unix.MSG_PEEK
	}
	if riflags&2 != 0 {
		hostFlags |= unix.MSG_WAITALL
	}
	var n, recvFlags int
	err := retry(func() (err error) {
		n, _, recvFlags, _, err = unix.RecvmsgBuffers(s, bufs, nil, hostFlags)
		return err
	})
	if err != nil {
		return errnoOf(err)
	}
	roflags := uint16(0)
	if recvFlags&unix.MSG_TRUNC != 0 {
		roflags = 1 // RECV_DATA_TRUNCATED
	}
	b, _ := m.slice(a[5], 2)
	out(b).u16(0, roflags)
	return m.put32(a[4], uint32(n))
}

func (w *WASI) sockSend(m *mem, a []uint64) errno {
	s, e := w.sockFd(a[0], rightFdWrite)
	if e != errnoSuccess {
		return e
	}
	if uint32(a[3]) != 0 { // siflags: none are defined
		return errnoInval
	}
	bufs, e := m.iovecs(a[1], a[2])
	if e != errnoSuccess {
		return e
	}
	if _, ok := m.slice(a[4], 4); !ok {
		return errnoFault
	}
	var n int
	err := retry(func() (err error) { n, err = unix.SendmsgBuffers(s, bufs, nil, nil, unix.MSG_NOSIGNAL); return err })
	if err != nil {
		return errnoOf(err)
	}
	return m.put32(a[4], uint32(n))
}

func (w *WASI) sockShutdown(m *mem, a []uint64) errno {
	s, e := w.sockFd(a[0], rightSockShutdown)
	if e != errnoSuccess {
		return e
	}
	how := [...]int{-1, unix.SHUT_RD, unix.SHUT_WR, unix.SHUT_RDWR}
	sd := uint32(a[1])
	if sd == 0 || sd > sdflagsAll {
		return errnoInval
	}
	return errnoOf(unix.Shutdown(s, how[sd]))
}
