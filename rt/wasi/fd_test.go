package wasi

import (
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestRights_inheritance: an fd gets at most what its directory may pass
// on and what its type can have; rights only shrink; each operation
// checks its right.
func TestRights_inheritance(t *testing.T) {
	h, _, _ := sandbox(t)
	// A directory that may create files but pass on only FD_READ.
	d, e := h.open(3, 0, "sub", oflagDirectory, rightsDir, rightFdRead, 0)
	if e != errnoSuccess {
		t.Fatal(e)
	}
	typ, _, base, inh, _ := h.fdstat(d)
	if typ != filetypeDirectory || base != rightsDir || inh != rightFdRead {
		t.Fatalf("directory: type %d base %#x inheriting %#x", typ, base, inh)
	}
	f, e := h.open(d, 0, "new", oflagCreat, rightFdRead|rightFdWrite|rightFdSeek, rightsFile, 0)
	if e != errnoSuccess {
		t.Fatal(e)
	}
	if _, _, base, inh, _ := h.fdstat(f); base != rightFdRead || inh != 0 {
		t.Errorf("file from the directory: base %#x inheriting %#x, want FD_READ only", base, inh)
	}
	_, e = h.write(f, "x")
	wantErrno(t, "write without FD_WRITE", e, errnoNotcapable)
	// A directory never holds file rights such as FD_SEEK, whatever it asks.
	d2, _ := h.open(3, 0, "sub", oflagDirectory, rightFdSeek|rightPathOpen, rightsDirInheriting, 0)
	if _, _, base, _, _ := h.fdstat(d2); base != rightPathOpen {
		t.Errorf("directory asking for FD_SEEK: base %#x, want PATH_OPEN only", base)
	}
	// Dropping a right: fd_fdstat_set_rights cannot give it back.
	wantErrno(t, "drop PATH_CREATE_FILE", h.call("fd_fdstat_set_rights", uint64(d), rightsDir&^rightPathCreateFile, rightFdRead), errnoSuccess)
	_, e = h.open(d, 0, "new2", oflagCreat, 0, 0, 0)
	wantErrno(t, "create without PATH_CREATE_FILE", e, errnoNotcapable)
	wantErrno(t, "regain PATH_CREATE_FILE", h.call("fd_fdstat_set_rights", uint64(d), rightsDir, rightFdRead), errnoNotcapable)
	wantErrno(t, "widen inheriting", h.call("fd_fdstat_set_rights", uint64(d), 0, rightsFile), errnoNotcapable)
	p, n := h.str("x")
	wantErrno(t, "mkdir from a file", h.call("path_create_directory", uint64(f), p, n), errnoNotdir)
	wantErrno(t, "mkdir from a bad fd", h.call("path_create_directory", 99, p, n), errnoBadf)
}

// TestFdTable_numbers: new fds take the lowest free number from 3 up;
// 0–2 are never handed out again once closed; renumbering moves the file
// (and its preopen name) and closes the destination.
func TestFdTable_numbers(t *testing.T) {
	h, _, _ := sandbox(t)
	a, _ := h.open(3, 0, "file", 0, rightFdRead, 0, 0)
	b, _ := h.open(3, 0, "file", 0, rightFdRead, 0, 0)
	if a != 4 || b != 5 {
		t.Fatalf("fds %d %d, want 4 5", a, b)
	}
	h.call("fd_close", uint64(a))
	h.call("fd_close", 0)
	if c, _ := h.open(3, 0, "file", 0, rightFdRead, 0, 0); c != 4 {
		t.Errorf("after closing 0 and 4: fd %d, want 4", c)
	}
	wantErrno(t, "close twice", h.call("fd_close", 0), errnoBadf)
	// Renumber the preopen onto 5: 5 is now the preopen, 3 is free.
	wantErrno(t, "renumber", h.call("fd_renumber", 3, 5), errnoSuccess)
	ps := h.alloc(prestatSize)
	wantErrno(t, "prestat of the renumbered preopen", h.call("fd_prestat_get", 5, ps), errnoSuccess)
	if h.m.b[ps] != preopentypeDir || h.u32(ps+4) != 1 {
		t.Errorf("prestat %v", h.m.b[ps:ps+8])
	}
	wantErrno(t, "prestat of the old number", h.call("fd_prestat_get", 3, ps), errnoBadf)
	wantErrno(t, "prestat of a file", h.call("fd_prestat_get", 4, ps), errnoBadf)
	wantErrno(t, "renumber to a closed fd", h.call("fd_renumber", 5, 3), errnoBadf)
	name := h.alloc(8)
	wantErrno(t, "dir name in too small a buffer", h.call("fd_prestat_dir_name", 5, name, 0), errnoNametoolong)
	wantErrno(t, "dir name", h.call("fd_prestat_dir_name", 5, name, 8), errnoSuccess)
	if h.m.b[name] != '/' {
		t.Errorf("dir name %q", h.m.b[name:name+1])
	}
}

// TestReaddir_cookies: entries carry the cookie of the next one; a buffer
// too small for an entry is filled to its end (the guest asks again
// with a bigger one), and listing from a cookie continues the listing.
func TestReaddir_cookies(t *testing.T) {
	h, root, _ := sandbox(t)
	dir := filepath.Join(root, "many")
	os.Mkdir(dir, 0o755)
	for i := range 20 {
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%02d", i)), nil, 0o644)
	}
	d, e := h.open(3, 0, "many", oflagDirectory, rightFdReaddir, 0, 0)
	if e != errnoSuccess {
		t.Fatal(e)
	}
	readdir := func(size int, cookie uint64) (entries []string, next []uint64, used uint32) {
		buf := h.alloc(size)
		out := h.alloc(4)
		if e := h.call("fd_readdir", uint64(d), buf, uint64(size), cookie, out); e != errnoSuccess {
			t.Fatal(e)
		}
		used = h.u32(out)
		b := h.m.b[buf : buf+uint64(used)]
		for len(b) >= direntSize {
			n := int(binary.LittleEndian.Uint32(b[direntNamlen:]))
			if len(b) < direntSize+n {
				break
			}
			entries = append(entries, string(b[direntSize:direntSize+n]))
			next = append(next, binary.LittleEndian.Uint64(b[direntNext:]))
			b = b[direntSize+n:]
		}
		return
	}
	all, _, used := readdir(4096, 0)
	if len(all) != 22 || used == 4096 {
		t.Fatalf("whole listing: %d entries (used %d), want 22 with . and ..", len(all), used)
	}
	if _, _, used := readdir(10, 0); used != 10 {
		t.Errorf("10-byte buffer: used %d, want it full", used)
	}
	var got []string
	for cookie := uint64(0); ; {
		ents, next, used := readdir(100, cookie)
		got = append(got, ents...)
		if used < 100 {
			break
		}
		cookie = next[len(next)-1]
	}
	if fmt.Sprint(got) != fmt.Sprint(all) {
		t.Errorf("listing by cookies %q, want %q", got, all)
	}
	f, _ := h.open(3, 0, "file", 0, rightFdRead|rightFdReaddir, 0, 0)
	wantErrno(t, "readdir of a file", h.call("fd_readdir", uint64(f), h.alloc(64), 64, 0, h.alloc(4)), errnoNotcapable)
}

// TestFdstatSetFlags: APPEND switches on and off; the synchronisation
// flags cannot change after path_open.
func TestFdstatSetFlags(t *testing.T) {
	h, root, _ := sandbox(t)
	all := uint64(rightsFile)
	f, e := h.open(3, 0, "file", 0, all, 0, fdflagAppend)
	if e != errnoSuccess {
		t.Fatal(e)
	}
	h.write(f, "A")
	wantErrno(t, "append off", h.call("fd_fdstat_set_flags", uint64(f), 0), errnoSuccess)
	pos := h.alloc(8)
	h.call("fd_seek", uint64(f), 0, whenceSet, pos)
	h.write(f, "B")
	if b, _ := os.ReadFile(filepath.Join(root, "file")); string(b) != "BataA" {
		t.Errorf("file %q, want BataA", b)
	}
	if _, flags, _, _, _ := h.fdstat(f); flags != 0 {
		t.Errorf("flags %d after clearing", flags)
	}
	wantErrno(t, "set SYNC", h.call("fd_fdstat_set_flags", uint64(f), fdflagSync), errnoNotsup)
	wantErrno(t, "unknown flag", h.call("fd_fdstat_set_flags", uint64(f), 1<<5), errnoInval)
	wantErrno(t, "set times: MTIM and MTIM_NOW", h.call("fd_filestat_set_times", uint64(f), 0, 0, fstflagMtim|fstflagMtimNow), errnoInval)
	wantErrno(t, "seek before 0", h.call("fd_seek", uint64(f), uint64(1<<64-10), whenceSet, pos), errnoInval)
	wantErrno(t, "bad whence", h.call("fd_seek", uint64(f), 0, 3, pos), errnoInval)
}
