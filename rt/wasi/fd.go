package wasi

import (
	"encoding/binary"
	"io"
	"unsafe"

	"golang.org/x/sys/unix"
)

// The fd_* functions: operations on an open fd, each checking the rights
// the witx lists for it.

// fd returns the file open as fd if it holds all the rights in need.
func (w *WASI) fd(fd uint64, need uint64) (*file, errno) {
	f := w.files.get(uint32(fd))
	if f == nil {
		return nil, errnoBadf
	}
	if f.base&need != need {
		return nil, errnoNotcapable
	}
	return f, errnoSuccess
}

func (w *WASI) fdAdvise(m *mem, a []uint64) errno {
	f, e := w.fd(a[0], rightFdAdvise)
	if e != errnoSuccess {
		return e
	}
	// WASI's advice enum swaps sequential and random against POSIX's.
	advice := [...]int{unix.FADV_NORMAL, unix.FADV_SEQUENTIAL, unix.FADV_RANDOM,
		unix.FADV_WILLNEED, unix.FADV_DONTNEED, unix.FADV_NOREUSE}
	if uint32(a[3]) >= uint32(len(advice)) {
		return errnoInval
	}
	if f.host < 0 || f.isDir() {
		return errnoSuccess // advice is only advice: nothing to tell about a stream or directory
	}
	return errnoOf(unix.Fadvise(f.host, int64(a[1]), int64(a[2]), advice[a[3]]))
}

func (w *WASI) fdAllocate(m *mem, a []uint64) errno {
	f, e := w.fd(a[0], rightFdAllocate)
	if e != errnoSuccess {
		return e
	}
	if f.host < 0 {
		return errnoSpipe
	}
	return errnoOf(retry(func() error { return unix.Fallocate(f.host, 0, int64(a[1]), int64(a[2])) }))
}

func (w *WASI) fdClose(m *mem, a []uint64) errno {
	if w.files.get(uint32(a[0])) == nil {
		return errnoBadf
	}
	return errnoOf(w.files.remove(uint32(a[0])))
}

func (w *WASI) fdDatasync(m *mem, a []uint64) errno {
	f, e := w.fd(a[0], rightFdDatasync)
	if e != errnoSuccess {
		return e
	}
	if f.host < 0 {
		return syncStream(f)
	}
	return errnoOf(retry(func() error { return unix.Fdatasync(f.host) }))
}

func (w *WASI) fdSync(m *mem, a []uint64) errno {
	f, e := w.fd(a[0], rightFdSync)
	if e != errnoSuccess {
		return e
	}
	if f.host < 0 {
		return syncStream(f)
	}
	return errnoOf(retry(func() error { return unix.Fsync(f.host) }))
}

// syncStream flushes a standard stream that is a host file; a Go writer
// has nothing the host could flush. Terminals and pipes cannot be synced
// (EINVAL), which is no failure of the program's data.
func syncStream(f *file) errno {
	of := f.osFile()
	if of == nil {
		return errnoSuccess
	}
	if e := errnoOf(of.Sync()); e != errnoInval {
		return e
	}
	return errnoSuccess
}

func (w *WASI) fdFdstatGet(m *mem, a []uint64) errno {
	f, e := w.fd(a[0], 0)
	if e != errnoSuccess {
		return e
	}
	b, ok := m.slice(a[1], fdstatSize)
	if !ok {
		return errnoFault
	}
	o := out(b)
	clear(o)
	o.u8(fdstatFiletype, f.typ)
	o.u16(fdstatFlags, f.flags)
	o.u64(fdstatRightsBase, f.base)
	o.u64(fdstatRightsInher, f.inheriting)
	return errnoSuccess
}

// fdFdstatSetFlags changes APPEND and NONBLOCK (what F_SETFL can); the
// synchronisation flags are fixed at path_open.
func (w *WASI) fdFdstatSetFlags(m *mem, a []uint64) errno {
	f, e := w.fd(a[0], rightFdFdstatSetFlags)
	if e != errnoSuccess {
		return e
	}
	flags := uint16(a[1])
	if uint32(a[1])&^fdflagsAll != 0 {
		return errnoInval
	}
	const sync = fdflagDsync | fdflagRsync | fdflagSync
	if flags&sync != f.flags&sync {
		return errnoNotsup
	}
	if f.host < 0 {
		if flags != f.flags {
			return errnoNotsup // the streams are Go readers and writers
		}
		return errnoSuccess
	}
	var fl int
	err := retry(func() (err error) { fl, err = unix.FcntlInt(uintptr(f.host), unix.F_GETFL, 0); return err })
	if err != nil {
		return errnoOf(err)
	}
	fl &^= unix.O_APPEND | unix.O_NONBLOCK
	if flags&fdflagAppend != 0 {
		fl |= unix.O_APPEND
	}
	if flags&fdflagNonblock != 0 {
		fl |= unix.O_NONBLOCK
	}
	if err := retry(func() error { _, err := unix.FcntlInt(uintptr(f.host), unix.F_SETFL, fl); return err }); err != nil {
		return errnoOf(err)
	}
	f.flags = flags
	return errnoSuccess
}

// fdFdstatSetRights drops rights: asking for one the fd lacks is
// ENOTCAPABLE.
func (w *WASI) fdFdstatSetRights(m *mem, a []uint64) errno {
	f, e := w.fd(a[0], 0)
	if e != errnoSuccess {
		return e
	}
	base, inheriting := a[1], a[2]
	if base&^f.base != 0 || inheriting&^f.inheriting != 0 {
		return errnoNotcapable
	}
	f.base, f.inheriting = base, inheriting
	return errnoSuccess
}

func (w *WASI) fdFilestatGet(m *mem, a []uint64) errno {
	f, e := w.fd(a[0], rightFdFilestatGet)
	if e != errnoSuccess {
		return e
	}
	b, ok := m.slice(a[1], filestatSize)
	if !ok {
		return errnoFault
	}
	fd := f.host
	if fd < 0 {
		of := f.osFile()
		if of == nil {
			clear(b)
			b[filestatFiletype] = f.typ
			return errnoSuccess
		}
		fd = int(of.Fd())
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return errnoOf(err)
	}
	putFilestat(b, &st)
	return errnoSuccess
}

// putFilestat writes a host stat as a WASI filestat.
func putFilestat(b []byte, st *unix.Stat_t) {
	o := out(b)
	clear(o)
	o.u64(filestatDev, uint64(st.Dev))
	o.u64(filestatIno, st.Ino)
	o.u8(filestatFiletype, filetypeOf(st.Mode))
	o.u64(filestatNlink, uint64(st.Nlink))
	o.u64(filestatFileSize, uint64(st.Size))
	o.u64(filestatAtim, uint64(st.Atim.Nano()))
	o.u64(filestatMtim, uint64(st.Mtim.Nano()))
	o.u64(filestatCtim, uint64(st.Ctim.Nano()))
}

func (w *WASI) fdFilestatSetSize(m *mem, a []uint64) errno {
	f, e := w.fd(a[0], rightFdFilestatSetSize)
	if e != errnoSuccess {
		return e
	}
	if f.host < 0 {
		return errnoSpipe
	}
	if int64(a[1]) < 0 {
		return errnoInval
	}
	return errnoOf(retry(func() error { return unix.Ftruncate(f.host, int64(a[1])) }))
}

func (w *WASI) fdFilestatSetTimes(m *mem, a []uint64) errno {
	f, e := w.fd(a[0], rightFdFilestatSetTimes)
	if e != errnoSuccess {
		return e
	}
	ts, e := timespecs(a[1], a[2], a[3])
	if e != errnoSuccess {
		return e
	}
	fd := f.host
	if fd < 0 {
		of := f.osFile()
		if of == nil {
			return errnoNotsup
		}
		fd = int(of.Fd())
	}
	// utimensat(fd, NULL, ts, 0): x/sys only offers it with a path.
	_, _, en := unix.Syscall6(unix.SYS_UTIMENSAT, uintptr(fd), 0, uintptr(unsafe.Pointer(&ts[0])), 0, 0, 0)
	if en != 0 {
		return errnoOf(en)
	}
	return errnoSuccess
}

// timespecs converts fd/path_filestat_set_times' arguments: each time is
// given, "now", or left alone, and asking for both of the first two is
// EINVAL.
func timespecs(atim, mtim, flags uint64) ([2]unix.Timespec, errno) {
	fl := uint32(flags)
	if fl&^(fstflagAtim|fstflagAtimNow|fstflagMtim|fstflagMtimNow) != 0 ||
		fl&(fstflagAtim|fstflagAtimNow) == fstflagAtim|fstflagAtimNow ||
		fl&(fstflagMtim|fstflagMtimNow) == fstflagMtim|fstflagMtimNow {
		return [2]unix.Timespec{}, errnoInval
	}
	one := func(t uint64, set, now uint32) unix.Timespec {
		switch {
		case fl&set != 0:
			return unix.NsecToTimespec(int64(t))
		case fl&now != 0:
			return unix.Timespec{Nsec: unix.UTIME_NOW}
		}
		return unix.Timespec{Nsec: unix.UTIME_OMIT}
	}
	return [2]unix.Timespec{one(atim, fstflagAtim, fstflagAtimNow), one(mtim, fstflagMtim, fstflagMtimNow)}, errnoSuccess
}

func (w *WASI) fdPrestatGet(m *mem, a []uint64) errno {
	f, e := w.fd(a[0], 0)
	if e != errnoSuccess {
		return e
	}
	if f.preopen == "" {
		return errnoBadf
	}
	b, ok := m.slice(a[1], prestatSize)
	if !ok {
		return errnoFault
	}
	o := out(b)
	clear(o)
	o.u8(prestatTag, preopentypeDir)
	o.u32(prestatNameLen, uint32(len(f.preopen)))
	return errnoSuccess
}

func (w *WASI) fdPrestatDirName(m *mem, a []uint64) errno {
	f, e := w.fd(a[0], 0)
	if e != errnoSuccess {
		return e
	}
	if f.preopen == "" {
		return errnoBadf
	}
	if uint64(uint32(a[2])) < uint64(len(f.preopen)) {
		return errnoNametoolong
	}
	b, ok := m.slice(a[1], uint64(len(f.preopen)))
	if !ok {
		return errnoFault
	}
	copy(b, f.preopen)
	return errnoSuccess
}

func (w *WASI) fdRead(m *mem, a []uint64) errno {
	return w.transfer(m, a[0], a[1], a[2], -1, a[3], false)
}

func (w *WASI) fdWrite(m *mem, a []uint64) errno {
	return w.transfer(m, a[0], a[1], a[2], -1, a[3], true)
}

func (w *WASI) fdPread(m *mem, a []uint64) errno {
	if int64(a[3]) < 0 {
		return errnoInval
	}
	return w.transfer(m, a[0], a[1], a[2], int64(a[3]), a[4], false)
}

func (w *WASI) fdPwrite(m *mem, a []uint64) errno {
	if int64(a[3]) < 0 {
		return errnoInval
	}
	return w.transfer(m, a[0], a[1], a[2], int64(a[3]), a[4], true)
}

// transfer implements fd_read, fd_write and (at offset >= 0) fd_pread and
// fd_pwrite: the iovecs at iovs are filled or written in order, and the
// byte count is stored at result.
func (w *WASI) transfer(m *mem, fd, iovs, n uint64, offset int64, result uint64, write bool) errno {
	need := uint64(rightFdRead)
	if write {
		need = rightFdWrite
	}
	if offset >= 0 {
		need |= rightFdSeek
	}
	f, e := w.fd(fd, need)
	if e != errnoSuccess {
		return e
	}
	bufs, e := m.iovecs(iovs, n)
	if e != errnoSuccess {
		return e
	}
	if _, ok := m.slice(result, 4); !ok {
		return errnoFault
	}
	var total int
	var err error
	switch {
	case f.host >= 0 && f.isDir():
		return errnoIsdir
	case f.host >= 0:
		err = retry(func() (err error) {
			switch {
			case write && offset >= 0:
				total, err = unix.Pwritev(f.host, bufs, offset)
			case write:
				total, err = unix.Writev(f.host, bufs)
			case offset >= 0:
				total, err = unix.Preadv(f.host, bufs, offset)
			default:
				total, err = unix.Readv(f.host, bufs)
			}
			return err
		})
	case write:
		total, err = streamWrite(f.w, bufs, offset)
	default:
		total, err = streamRead(f.r, bufs, offset)
	}
	if err != nil && total == 0 {
		return errnoOf(err)
	}
	return m.put32(result, uint32(total))
}

// streamWrite writes the buffers to a stream (at offset, if it is an
// io.WriterAt and offset >= 0).
func streamWrite(wr io.Writer, bufs [][]byte, offset int64) (int, error) {
	total := 0
	for _, b := range bufs {
		var k int
		var err error
		if offset >= 0 {
			wa, ok := wr.(io.WriterAt)
			if !ok {
				return total, unix.ESPIPE
			}
			k, err = wa.WriteAt(b, offset+int64(total))
		} else {
			k, err = wr.Write(b)
		}
		total += k
		if err != nil {
			return total, ioErr(err)
		}
	}
	return total, nil
}

// streamRead fills the buffers from a stream until one read comes short
// (at offset, if it is an io.ReaderAt and offset >= 0); end of input is a
// read of 0 bytes, not an error.
func streamRead(r io.Reader, bufs [][]byte, offset int64) (int, error) {
	total := 0
	for _, b := range bufs {
		if len(b) == 0 {
			continue
		}
		var k int
		var err error
		if offset >= 0 {
			ra, ok := r.(io.ReaderAt)
			if !ok {
				return total, unix.ESPIPE
			}
			k, err = ra.ReadAt(b, offset+int64(total))
		} else {
			k, err = r.Read(b)
		}
		total += k
		if err == io.EOF {
			return total, nil
		}
		if err != nil {
			return total, ioErr(err)
		}
		if k < len(b) {
			break
		}
	}
	return total, nil
}

// ioErr keeps a host errno inside a Go I/O error, else it is EIO.
func ioErr(err error) error {
	if en := errnoOf(err); en != errnoIO {
		return err
	}
	return unix.EIO
}

func (w *WASI) fdRenumber(m *mem, a []uint64) errno {
	from, to := uint32(a[0]), uint32(a[1])
	f := w.files.get(from)
	if f == nil || w.files.get(to) == nil {
		return errnoBadf
	}
	if from == to {
		return errnoSuccess
	}
	err := w.files.remove(to)
	w.files.set(to, f)
	w.files.files[from] = nil
	return errnoOf(err)
}

func (w *WASI) fdSeek(m *mem, a []uint64) errno {
	offset, whence := int64(a[1]), uint32(a[2])
	need := uint64(rightFdSeek)
	if offset == 0 && whence == whenceCur {
		need = rightFdTell // only asks where
	}
	return w.seek(m, a[0], offset, whence, need, a[3])
}

func (w *WASI) fdTell(m *mem, a []uint64) errno {
	return w.seek(m, a[0], 0, whenceCur, rightFdTell, a[1])
}

// seek moves (or reports) the offset of fd and stores the new one at result.
func (w *WASI) seek(m *mem, fd uint64, offset int64, whence uint32, need, result uint64) errno {
	f, e := w.fd(fd, need)
	if e != errnoSuccess {
		return e
	}
	if whence > whenceEnd {
		return errnoInval
	}
	if _, ok := m.slice(result, 8); !ok {
		return errnoFault
	}
	hostWhence := [...]int{io.SeekStart, io.SeekCurrent, io.SeekEnd}[whence]
	var pos int64
	var err error
	switch {
	case f.host >= 0 && f.isDir():
		return errnoIsdir
	case f.host >= 0:
		pos, err = unix.Seek(f.host, offset, hostWhence)
	default:
		var s io.Seeker
		if f.r != nil {
			s, _ = f.r.(io.Seeker)
		} else {
			s, _ = f.w.(io.Seeker)
		}
		if s == nil {
			return errnoSpipe
		}
		if pos, err = s.Seek(offset, hostWhence); err != nil && errnoOf(err) == errnoIO {
			err = unix.EINVAL // a Go seeker's own error: a negative position
		}
	}
	if err != nil {
		return errnoOf(err)
	}
	return m.put64(result, uint64(pos))
}

// A dirent is one entry of a directory listing.
type dirent struct {
	ino  uint64
	typ  uint8
	name string
}

// fdReaddir lists a directory from an entry index (the cookie; entry i's
// d_next is i+1). The listing is read again at cookie 0 and kept for the
// calls that continue it, so the cookies stay valid between calls. The
// last entry written may be cut off by the end of the buffer: a full
// buffer tells the guest to ask again.
func (w *WASI) fdReaddir(m *mem, a []uint64) errno {
	f, e := w.fd(a[0], rightFdReaddir)
	if e != errnoSuccess {
		return e
	}
	if !f.isDir() || f.host < 0 {
		return errnoNotdir
	}
	buf, ok := m.slice(a[1], a[2])
	if !ok {
		return errnoFault
	}
	if _, ok := m.slice(a[4], 4); !ok {
		return errnoFault
	}
	cookie := a[3]
	if cookie == 0 || f.dirents == nil {
		ents, err := readDir(f.host)
		if err != nil {
			return errnoOf(err)
		}
		f.dirents = ents
	}
	used := 0
	var hdr [direntSize]byte
	for i := cookie; i < uint64(len(f.dirents)) && used < len(buf); i++ {
		d := f.dirents[i]
		clear(hdr[:])
		o := out(hdr[:])
		o.u64(direntNext, i+1)
		o.u64(direntIno, d.ino)
		o.u32(direntNamlen, uint32(len(d.name)))
		o.u8(direntType, d.typ)
		used += copy(buf[used:], hdr[:])
		used += copy(buf[used:], d.name)
	}
	return m.put32(a[4], uint32(used))
}

// readDir lists the directory open as fd, "." and ".." included, in the
// host's order.
func readDir(fd int) ([]dirent, error) {
	if _, err := unix.Seek(fd, 0, io.SeekStart); err != nil {
		return nil, err
	}
	var ents []dirent
	buf := make([]byte, 8192)
	for {
		var n int
		err := retry(func() (err error) { n, err = unix.Getdents(fd, buf); return err })
		if err != nil {
			return nil, err
		}
		if n <= 0 {
			return ents, nil
		}
		// struct linux_dirent64 { u64 ino; s64 off; u16 reclen; u8 type; char name[]; }
		for b := buf[:n]; len(b) >= 19; {
			reclen := int(binary.LittleEndian.Uint16(b[16:]))
			if reclen < 19 || reclen > len(b) {
				break
			}
			name := b[19:reclen]
			if i := indexNul(name); i >= 0 {
				name = name[:i]
			}
			d := dirent{ino: binary.LittleEndian.Uint64(b), name: string(name), typ: filetypeOfDT(b[18])}
			if b[18] == unix.DT_UNKNOWN {
				var st unix.Stat_t
				if unix.Fstatat(fd, d.name, &st, unix.AT_SYMLINK_NOFOLLOW) == nil {
					d.typ = filetypeOf(st.Mode)
				}
			}
			ents = append(ents, d)
			b = b[reclen:]
		}
	}
}

func indexNul(b []byte) int {
	for i, c := range b {
		if c == 0 {
			return i
		}
	}
	return -1
}

// filetypeOfDT maps a getdents d_type to a WASI filetype.
func filetypeOfDT(t uint8) uint8 {
	switch t {
	case unix.DT_BLK:
		return filetypeBlockDevice
	case unix.DT_CHR:
		return filetypeCharacterDevice
	case unix.DT_DIR:
		return filetypeDirectory
	case unix.DT_REG:
		return filetypeRegularFile
	case unix.DT_SOCK:
		return filetypeSocketStream
	case unix.DT_LNK:
		return filetypeSymbolicLink
	}
	return filetypeUnknown
}
