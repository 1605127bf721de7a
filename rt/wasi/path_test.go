package wasi

import (
	"os"
	"path/filepath"
	"testing"
)

// sandbox makes a preopened directory (guest "/", fd 3) beside a
// directory "outside" holding "secret", with links planted by the host
// that lead out:
//
//	root/file, root/sub/inner
//	root/abs     -> <outside>/secret  (absolute)
//	root/up      -> ../outside/secret
//	root/sub/up2 -> ../../outside
//	root/dirlink -> sub
//	root/loop    -> loop
//	root/ok      -> sub/../file        (stays inside)
func sandbox(t *testing.T) (h *harness, root, outside string) {
	t.Helper()
	base := t.TempDir()
	root, outside = filepath.Join(base, "root"), filepath.Join(base, "outside")
	for _, d := range []string{root, outside, filepath.Join(root, "sub")} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{filepath.Join(root, "file"), filepath.Join(root, "sub", "inner"), filepath.Join(outside, "secret")} {
		if err := os.WriteFile(f, []byte("data"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for link, target := range map[string]string{
		"abs": filepath.Join(outside, "secret"), "up": "../outside/secret", "sub/up2": "../../outside",
		"dirlink": "sub", "loop": "loop", "ok": "sub/../file",
	} {
		if err := os.Symlink(target, filepath.Join(root, link)); err != nil {
			t.Fatal(err)
		}
	}
	return newHarness(t, Config{Preopens: []Preopen{{Host: root, Guest: "/"}}}), root, outside
}

// TestSandbox_escapes: every way out of the preopened directory fails with
// the errno a capability system gives (ENOTCAPABLE), for every operation
// that takes a path, and nothing outside is touched.
func TestSandbox_escapes(t *testing.T) {
	h, root, outside := sandbox(t)
	const follow = lookupSymlinkFollow
	opens := []struct {
		name   string
		path   string
		lookup uint32
		oflags uint32
		want   errno
	}{
		{"absolute", "/file", 0, 0, errnoNotcapable},
		{"dotdot", "../outside/secret", 0, 0, errnoNotcapable},
		{"dotdot after a descent", "sub/../../outside/secret", 0, 0, errnoNotcapable},
		{"dotdot to the root itself", "sub/..", 0, 0, errnoSuccess},
		{"absolute link followed", "abs", follow, 0, errnoNotcapable},
		{"absolute link not followed", "abs", 0, 0, errnoLoop},
		{"relative link out", "up", follow, 0, errnoNotcapable},
		{"link out in the middle", "sub/up2/secret", 0, 0, errnoNotcapable},
		{"link to a directory, then up", "dirlink/../../outside/secret", 0, 0, errnoNotcapable},
		{"through a link inside", "dirlink/up2/secret", follow, 0, errnoNotcapable},
		{"trailing slash follows", "sub/up2/", 0, oflagDirectory, errnoNotcapable},
		{"link staying inside", "ok", follow, 0, errnoSuccess},
		{"loop", "loop", follow, 0, errnoLoop},
		{"create through a link out", "sub/up2/new", 0, oflagCreat, errnoNotcapable},
		{"create through a dangling link out", "up", follow, oflagCreat, errnoNotcapable},
	}
	for _, tt := range opens {
		fd, e := h.open(3, tt.lookup, tt.path, tt.oflags, rightFdRead, 0, 0)
		wantErrno(t, "path_open "+tt.name, e, tt.want)
		if e == errnoSuccess {
			h.call("fd_close", uint64(fd))
		}
	}
	// The other path functions, each given a way out.
	two := func(name string, a, b string) errno {
		pa, na := h.str(a)
		pb, nb := h.str(b)
		switch name {
		case "path_rename":
			return h.call(name, 3, pa, na, 3, pb, nb)
		case "path_link":
			return h.call(name, 3, 0, pa, na, 3, pb, nb)
		}
		return h.call("path_symlink", pa, na, 3, pb, nb) // a: the link's text
	}
	one := func(name, path string, lookup uint64) errno {
		p, n := h.str(path)
		buf := h.alloc(filestatSize)
		switch name {
		case "path_filestat_get":
			return h.call(name, 3, lookup, p, n, buf)
		case "path_filestat_set_times":
			return h.call(name, 3, lookup, p, n, 0, 0, fstflagMtimNow)
		case "path_readlink":
			return h.call(name, 3, p, n, buf, 64, buf+64)
		}
		return h.call(name, 3, p, n)
	}
	tests := []struct {
		name string
		got  errno
		want errno
	}{
		{"mkdir ..", one("path_create_directory", "../evil", 0), errnoNotcapable},
		{"mkdir through a link", one("path_create_directory", "sub/up2/evil", 0), errnoNotcapable},
		{"rmdir ..", one("path_remove_directory", "sub/../..", 0), errnoNotcapable},
		{"unlink through a link", one("path_unlink_file", "sub/up2/secret", 0), errnoNotcapable},
		{"unlink the link itself", one("path_unlink_file", "abs", 0), errnoSuccess},
		{"stat following out", one("path_filestat_get", "up", follow), errnoNotcapable},
		{"stat the link itself", one("path_filestat_get", "up", 0), errnoSuccess},
		{"utimes following out", one("path_filestat_set_times", "up", follow), errnoNotcapable},
		{"readlink through a link", one("path_readlink", "sub/up2/x", 0), errnoNotcapable},
		{"rename out", two("path_rename", "file", "../outside/stolen"), errnoNotcapable},
		{"rename in", two("path_rename", "sub/up2/secret", "mine"), errnoNotcapable},
		{"hard link to outside", two("path_link", "sub/up2/secret", "mine"), errnoNotcapable},
		{"absolute symlink", two("path_symlink", "/etc/passwd", "pw"), errnoNotcapable},
		{"symlink placed outside", two("path_symlink", "x", "../outside/x"), errnoNotcapable},
	}
	for _, tt := range tests {
		wantErrno(t, tt.name, tt.got, tt.want)
	}
	// A hard link through a followed link out must not copy the target in.
	p, n := h.str("up")
	q, m := h.str("mine")
	wantErrno(t, "hard link following out", h.call("path_link", 3, follow, p, n, 3, q, m), errnoNotcapable)
	if b, err := os.ReadFile(filepath.Join(outside, "secret")); err != nil || string(b) != "data" {
		t.Errorf("outside/secret: %q, %v", b, err)
	}
	ents, _ := os.ReadDir(outside)
	if len(ents) != 1 {
		t.Errorf("outside holds %d entries, want only secret", len(ents))
	}
	for _, n := range []string{"evil", "pw", "mine"} {
		if _, err := os.Lstat(filepath.Join(root, n)); err == nil {
			t.Errorf("%s was created", n)
		}
	}
	if _, err := os.Lstat(filepath.Join(filepath.Dir(root), "evil")); err == nil {
		t.Error("../evil was created")
	}
}

// TestSandbox_subdirectory: a directory fd opened below the preopen is a
// capability of its own: ".." above it is ENOTCAPABLE even though the
// preopen holds that directory.
func TestSandbox_subdirectory(t *testing.T) {
	h, _, _ := sandbox(t)
	sub, e := h.open(3, 0, "sub", oflagDirectory, rightsDir, rightsDirInheriting, 0)
	if e != errnoSuccess {
		t.Fatal(e)
	}
	if fd, e := h.open(sub, 0, "inner", 0, rightFdRead, 0, 0); e != errnoSuccess {
		t.Errorf("open inner from sub: %v", e)
	} else {
		h.call("fd_close", uint64(fd))
	}
	_, e = h.open(sub, 0, "../file", 0, rightFdRead, 0, 0)
	wantErrno(t, "../file from sub", e, errnoNotcapable)
	_, e = h.open(sub, lookupSymlinkFollow, "../ok", 0, rightFdRead, 0, 0)
	wantErrno(t, "../ok from sub", e, errnoNotcapable)
	// Opening a file gives no path rights: it is no directory.
	file, _ := h.open(3, 0, "file", 0, rightFdRead, 0, 0)
	_, e = h.open(file, 0, "x", 0, 0, 0, 0)
	wantErrno(t, "path_open from a file", e, errnoNotdir)
}

// TestSandbox_renamedParent: a walk holds the directories it entered, so
// moving one of them on the host while it is open gives no way out: ".."
// is counted by the walk, never asked of the kernel.
func TestSandbox_renamedParent(t *testing.T) {
	h, root, outside := sandbox(t)
	sub, e := h.open(3, 0, "sub", oflagDirectory, rightsDir, rightsDirInheriting, 0)
	if e != errnoSuccess {
		t.Fatal(e)
	}
	// The host moves sub into outside: the fd follows the directory.
	if err := os.Rename(filepath.Join(root, "sub"), filepath.Join(outside, "sub")); err != nil {
		t.Fatal(err)
	}
	_, e = h.open(sub, 0, "../secret", 0, rightFdRead, 0, 0)
	wantErrno(t, "../secret from the moved directory", e, errnoNotcapable)
	if fd, e := h.open(sub, 0, "inner", 0, rightFdRead, 0, 0); e != errnoSuccess {
		t.Errorf("inner of the moved directory: %v", e)
	} else if s, _ := h.read(fd, 10); s != "data" {
		t.Errorf("inner: %q", s)
	}
}

func TestSplitPath(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"a/b", []string{"a", "b"}},
		{"a//b/", []string{"a", "b"}},
		{"./a/./", []string{".", "a", "."}},
		{"", nil},
	}
	for _, tt := range tests {
		got := splitPath(tt.in)
		if len(got) != len(tt.want) {
			t.Errorf("splitPath(%q) = %q, want %q", tt.in, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("splitPath(%q) = %q, want %q", tt.in, got, tt.want)
			}
		}
	}
}
