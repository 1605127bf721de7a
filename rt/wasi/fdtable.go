package wasi

import (
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// A file is what a WASI fd refers to: a host file descriptor (a file,
// directory or device opened by path, or a preopened directory), or a
// stream: one of the standard streams, which are the host's io.Reader or
// io.Writer (an *os.File among them is also polled and stat'ed as one).
type file struct {
	host       int       // host fd; -1 for a stream
	r          io.Reader // stream: the reader (stdin)
	w          io.Writer // stream: the writer (stdout, stderr)
	typ        uint8     // filetype
	flags      uint16    // fdflags
	base       uint64    // rights of this fd
	inheriting uint64    // rights path_open may pass to fds opened from it
	preopen    string    // guest name of a preopened directory, "" otherwise
	dirents    []dirent  // fd_readdir's listing, read at cookie 0
}

// isDir reports whether f is a directory (and so can resolve paths).
func (f *file) isDir() bool { return f.typ == filetypeDirectory }

// osFile returns the *os.File behind a stream, or nil.
func (f *file) osFile() *os.File {
	if of, ok := f.r.(*os.File); ok {
		return of
	}
	of, _ := f.w.(*os.File)
	return of
}

// pollFd is the host fd that poll_oneoff waits on for f, or -1 when f is
// always ready (a Go reader or writer, a regular file or a directory).
func (f *file) pollFd() int {
	switch {
	case f.host >= 0 && (f.typ == filetypeRegularFile || f.typ == filetypeDirectory):
		return -1
	case f.host >= 0:
		return f.host
	case f.osFile() != nil:
		return int(f.osFile().Fd())
	}
	return -1
}

// newStream returns a standard stream; rights are rightsStdin or
// rightsStdout, plus seeking for a stream that can seek and is no
// terminal.
func newStream(r io.Reader, w io.Writer, rights uint64) *file {
	f := &file{host: -1, r: r, w: w, base: rights}
	var rw any = w
	if r != nil {
		rw = r
	}
	tty := false
	if of := f.osFile(); of != nil {
		var st unix.Stat_t
		if unix.Fstat(int(of.Fd()), &st) == nil {
			f.typ = filetypeOf(st.Mode)
		}
		tty = isTerminal(int(of.Fd()))
	}
	if _, ok := rw.(io.Seeker); ok && !tty {
		f.base |= rightFdSeek | rightFdTell
	}
	if f.typ == filetypeSocketStream {
		f.base |= rightSockShutdown | rightSockAccept
	}
	return f
}

// openDir opens a host directory as a directory fd with every right.
func openDir(path string) (*file, error) {
	var fd int
	err := retry(func() (err error) {
		fd, err = unix.Open(path, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &file{host: fd, typ: filetypeDirectory, base: rightsDir, inheriting: rightsDirInheriting}, nil
}

// isTerminal reports whether the host fd is a terminal.
func isTerminal(fd int) bool {
	_, err := unix.IoctlGetTermios(fd, unix.TCGETS)
	return err == nil
}

// filetypeOf maps a host file mode to a WASI filetype. Pipes have no WASI
// type: they are "unknown", as in Wasmtime.
func filetypeOf(mode uint32) uint8 {
	switch mode & unix.S_IFMT {
	case unix.S_IFBLK:
		return filetypeBlockDevice
	case unix.S_IFCHR:
		return filetypeCharacterDevice
	case unix.S_IFDIR:
		return filetypeDirectory
	case unix.S_IFREG:
		return filetypeRegularFile
	case unix.S_IFSOCK:
		return filetypeSocketStream
	case unix.S_IFLNK:
		return filetypeSymbolicLink
	}
	return filetypeUnknown
}

// maxFds bounds the fd table (the host's own limit usually comes first).
const maxFds = 1 << 20

// fdTable maps WASI fds to files. New fds are the lowest free number
// from 3 up: 0–2 are only ever the standard streams or what fd_renumber
// put there, so a program that closed stdout does not write into the
// next file it opens.
type fdTable struct {
	files []*file // by fd; nil is free
}

func (t *fdTable) get(fd uint32) *file {
	if uint64(fd) < uint64(len(t.files)) {
		return t.files[fd]
	}
	return nil
}

func (t *fdTable) set(fd uint32, f *file) {
	for uint64(len(t.files)) <= uint64(fd) {
		t.files = append(t.files, nil)
	}
	t.files[fd] = f
}

// add gives f the lowest free fd from 3 up.
func (t *fdTable) add(f *file) (uint32, errno) {
	for fd := 3; fd < len(t.files); fd++ {
		if t.files[fd] == nil {
			t.files[fd] = f
			return uint32(fd), errnoSuccess
		}
	}
	if len(t.files) >= maxFds {
		return 0, errnoMfile
	}
	fd := uint32(max(len(t.files), 3))
	t.set(fd, f)
	return fd, errnoSuccess
}

// remove frees fd and closes its host fd (a stream's reader or writer
// belongs to whoever made the Config, and stays open).
func (t *fdTable) remove(fd uint32) error {
	f := t.get(fd)
	if f == nil {
		return nil
	}
	t.files[fd] = nil
	if f.host >= 0 {
		return unix.Close(f.host)
	}
	return nil
}

// retry repeats a system call interrupted by a signal: the Go runtime's
// preemption signals interrupt blocking calls, and the guest must not see
// EINTR for them.
func retry(call func() error) error {
	for {
		if err := call(); err != unix.EINTR {
			return err
		}
	}
}
