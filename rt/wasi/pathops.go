package wasi

import (
	"golang.org/x/sys/unix"
)

// The path_* functions: each resolves its path inside a directory fd
// (path.go) and makes one *at system call on what it found.

// dir returns the directory open as fd if it holds all the rights in need.
func (w *WASI) dir(fd uint64, need uint64) (*file, errno) {
	f := w.files.get(uint32(fd))
	switch {
	case f == nil:
		return nil, errnoBadf
	case !f.isDir() || f.host < 0:
		return nil, errnoNotdir
	case f.base&need != need:
		return nil, errnoNotcapable
	}
	return f, errnoSuccess
}

// lookup checks the directory fd's rights, reads the path and resolves it.
// The caller releases the target.
func (w *WASI) lookup(m *mem, fd, need, path, pathLen uint64, follow bool) (*file, *target, errno) {
	d, e := w.dir(fd, need)
	if e != errnoSuccess {
		return nil, nil, e
	}
	p, e := m.string(path, pathLen)
	if e != errnoSuccess {
		return nil, nil, e
	}
	t, e := resolve(d.host, p, follow)
	return d, t, e
}

func (w *WASI) pathCreateDirectory(m *mem, a []uint64) errno {
	_, t, e := w.lookup(m, a[0], rightPathCreateDirectory, a[1], a[2], false)
	if e != errnoSuccess {
		return e
	}
	defer t.release()
	return errnoOf(retry(func() error { return unix.Mkdirat(t.dir, t.slashed(), 0o777) }))
}

func (w *WASI) pathFilestatGet(m *mem, a []uint64) errno {
	_, t, e := w.lookup(m, a[0], rightPathFilestatGet, a[2], a[3], uint32(a[1])&lookupSymlinkFollow != 0)
	if e != errnoSuccess {
		return e
	}
	defer t.release()
	b, ok := m.slice(a[4], filestatSize)
	if !ok {
		return errnoFault
	}
	var st unix.Stat_t
	if err := retry(func() error { return unix.Fstatat(t.dir, t.name, &st, unix.AT_SYMLINK_NOFOLLOW) }); err != nil {
		return errnoOf(err)
	}
	if t.slash && st.Mode&unix.S_IFMT != unix.S_IFDIR {
		return errnoNotdir
	}
	putFilestat(b, &st)
	return errnoSuccess
}

func (w *WASI) pathFilestatSetTimes(m *mem, a []uint64) errno {
	ts, e := timespecs(a[4], a[5], a[6])
	if e != errnoSuccess {
		return e
	}
	_, t, e := w.lookup(m, a[0], rightPathFilestatSetTimes, a[2], a[3], uint32(a[1])&lookupSymlinkFollow != 0)
	if e != errnoSuccess {
		return e
	}
	defer t.release()
	if t.slash {
		var st unix.Stat_t
		if err := unix.Fstatat(t.dir, t.name, &st, unix.AT_SYMLINK_NOFOLLOW); err != nil {
			return errnoOf(err)
		}
		if st.Mode&unix.S_IFMT != unix.S_IFDIR {
			return errnoNotdir
		}
	}
	return errnoOf(retry(func() error { return unix.UtimesNanoAt(t.dir, t.name, ts[:], unix.AT_SYMLINK_NOFOLLOW) }))
}

// pathLink makes a hard link. With SYMLINK_FOLLOW a link to a symbolic
// link links its target (resolved here, inside the directory).
func (w *WASI) pathLink(m *mem, a []uint64) errno {
	_, from, e := w.lookup(m, a[0], rightPathLinkSource, a[2], a[3], uint32(a[1])&lookupSymlinkFollow != 0)
	if e != errnoSuccess {
		return e
	}
	defer from.release()
	_, to, e := w.lookup(m, a[4], rightPathLinkTarget, a[5], a[6], false)
	if e != errnoSuccess {
		return e
	}
	defer to.release()
	return errnoOf(retry(func() error { return unix.Linkat(from.dir, from.name, to.dir, to.slashed(), 0) }))
}

// pathOpen opens a file or directory. The new fd's rights are those asked
// for, within the directory's inheriting rights and what its type can
// have; they also choose the host access mode (read for FD_READ or
// FD_READDIR, write for the rights that modify data).
func (w *WASI) pathOpen(m *mem, a []uint64) errno {
	oflags, base, inheriting, fdflags := uint32(a[4]), a[5], a[6], uint32(a[7])
	if oflags&^(oflagCreat|oflagDirectory|oflagExcl|oflagTrunc) != 0 || fdflags&^fdflagsAll != 0 {
		return errnoInval
	}
	need := uint64(rightPathOpen)
	if oflags&oflagCreat != 0 {
		need |= rightPathCreateFile
	}
	if oflags&oflagTrunc != 0 {
		need |= rightPathFilestatSetSize
	}
	creatExcl := oflags&(oflagCreat|oflagExcl) == oflagCreat|oflagExcl
	follow := uint32(a[1])&lookupSymlinkFollow != 0 && !creatExcl // O_EXCL never follows
	d, t, e := w.lookup(m, a[0], need, a[2], a[3], follow)
	if e != errnoSuccess {
		return e
	}
	defer t.release()
	if _, ok := m.slice(a[8], 4); !ok {
		return errnoFault
	}
	switch {
	case oflags&(oflagCreat|oflagDirectory) == oflagCreat|oflagDirectory:
		return errnoInval // path_open creates files only
	case oflags&oflagCreat != 0 && t.slash:
		return errnoIsdir // as open(2) says of "name/" with O_CREAT
	}
	base &= d.inheriting
	inheriting &= d.inheriting
	read := base&(rightFdRead|rightFdReaddir) != 0
	write := base&(rightFdWrite|rightFdDatasync|rightFdAllocate|rightFdFilestatSetSize) != 0
	flags := unix.O_CLOEXEC | unix.O_NOFOLLOW | unix.O_NOCTTY
	switch {
	case read && write:
		flags |= unix.O_RDWR
	case write:
		flags |= unix.O_WRONLY
	default:
		flags |= unix.O_RDONLY
	}
	for _, fl := range [...]struct {
		on   bool
		host int
	}{
		{oflags&oflagCreat != 0, unix.O_CREAT},
		{oflags&oflagExcl != 0, unix.O_EXCL},
		{oflags&oflagTrunc != 0, unix.O_TRUNC},
		{oflags&oflagDirectory != 0 || t.slash, unix.O_DIRECTORY},
		{fdflags&fdflagAppend != 0, unix.O_APPEND},
		{fdflags&fdflagDsync != 0, unix.O_DSYNC},
		{fdflags&fdflagRsync != 0, unix.O_RSYNC},
		{fdflags&fdflagSync != 0, unix.O_SYNC},
		{fdflags&fdflagNonblock != 0, unix.O_NONBLOCK},
	} {
		if fl.on {
			flags |= fl.host
		}
	}
	var fd int
	err := retry(func() (err error) { fd, err = unix.Openat(t.dir, t.name, flags, 0o666); return err })
	if err != nil {
		return errnoOf(err)
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		unix.Close(fd)
		return errnoOf(err)
	}
	f := &file{host: fd, typ: filetypeOf(st.Mode), flags: uint16(fdflags)}
	switch {
	case f.isDir():
		f.base, f.inheriting = base&rightsDir, inheriting&rightsDirInheriting
	case isTerminal(fd):
		f.base = base & rightsFile &^ (rightFdSeek | rightFdTell)
	default:
		f.base = base & rightsFile
	}
	nfd, e := w.files.add(f)
	if e != errnoSuccess {
		unix.Close(fd)
		return e
	}
	return m.put32(a[8], nfd)
}

// pathReadlink stores the start of a symbolic link's target, as much as
// fits (readlink's truncation), and its length.
func (w *WASI) pathReadlink(m *mem, a []uint64) errno {
	_, t, e := w.lookup(m, a[0], rightPathReadlink, a[1], a[2], false)
	if e != errnoSuccess {
		return e
	}
	defer t.release()
	buf, ok := m.slice(a[3], a[4])
	if !ok {
		return errnoFault
	}
	if _, ok := m.slice(a[5], 4); !ok {
		return errnoFault
	}
	tmp := make([]byte, unix.PathMax)
	var n int
	if err := retry(func() (err error) { n, err = unix.Readlinkat(t.dir, t.name, tmp); return err }); err != nil {
		return errnoOf(err)
	}
	return m.put32(a[5], uint32(copy(buf, tmp[:n])))
}

func (w *WASI) pathRemoveDirectory(m *mem, a []uint64) errno {
	_, t, e := w.lookup(m, a[0], rightPathRemoveDirectory, a[1], a[2], false)
	if e != errnoSuccess {
		return e
	}
	defer t.release()
	return errnoOf(retry(func() error { return unix.Unlinkat(t.dir, t.slashed(), unix.AT_REMOVEDIR) }))
}

func (w *WASI) pathRename(m *mem, a []uint64) errno {
	_, from, e := w.lookup(m, a[0], rightPathRenameSource, a[1], a[2], false)
	if e != errnoSuccess {
		return e
	}
	defer from.release()
	_, to, e := w.lookup(m, a[3], rightPathRenameTarget, a[4], a[5], false)
	if e != errnoSuccess {
		return e
	}
	defer to.release()
	return errnoOf(retry(func() error { return unix.Renameat(from.dir, from.slashed(), to.dir, to.slashed()) }))
}

// pathSymlink makes a symbolic link. Its target is only text until it is
// followed, and following resolves it inside the directory; an absolute
// target could never be followed, so it is refused outright.
func (w *WASI) pathSymlink(m *mem, a []uint64) errno {
	old, e := m.string(a[0], a[1])
	if e != errnoSuccess {
		return e
	}
	if len(old) > 0 && old[0] == '/' {
		return errnoNotcapable
	}
	_, t, e := w.lookup(m, a[2], rightPathSymlink, a[3], a[4], false)
	if e != errnoSuccess {
		return e
	}
	defer t.release()
	return errnoOf(retry(func() error { return unix.Symlinkat(old, t.dir, t.slashed()) }))
}

func (w *WASI) pathUnlinkFile(m *mem, a []uint64) errno {
	_, t, e := w.lookup(m, a[0], rightPathUnlinkFile, a[1], a[2], false)
	if e != errnoSuccess {
		return e
	}
	defer t.release()
	return errnoOf(retry(func() error { return unix.Unlinkat(t.dir, t.slashed(), 0) }))
}
