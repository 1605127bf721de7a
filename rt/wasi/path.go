package wasi

// Path resolution inside a directory capability.
//
// Every path argument of WASI is relative to a directory fd, and may name
// nothing outside it: not with "..", not with an absolute path, and not
// through a symbolic link (whose target is resolved the same way, from the
// directory holding the link). The kernel is never asked to resolve more
// than one component, so it never follows a link or a ".." on our behalf:
//
//   - the path is split at '/'; empty components and "." are skipped;
//   - each directory on the way is opened with O_PATH|O_NOFOLLOW relative
//     to the previous one and pushed on a stack whose bottom is the base
//     fd; ".." pops the stack, and popping the base is ENOTCAPABLE;
//   - a symbolic link on the way (or at the end, when the operation
//     follows links, or before a trailing slash) is read with readlinkat
//     and its target's components replace it; an absolute target is
//     ENOTCAPABLE, more than maxSymlinkExpands links ELOOP;
//   - the last component is returned with the directory holding it, and
//     the operation is one *at system call on (directory, name) with
//     AT_SYMLINK_NOFOLLOW / O_NOFOLLOW.
//
// A trailing slash means "a directory". For the calls that never follow a
// final link even before a slash (mkdirat, unlinkat, renameat, symlinkat,
// linkat's new path) the name is passed with its slash, so the kernel's
// own rules and error numbers apply; the others see the link resolved
// here first.
//
// Invariants:
//   - every fd a walk opens is closed by target.release;
//   - a target's name is one path component, or "." for the directory
//     itself; it never contains '/' (slashed adds the trailing one);
//   - the directories on the stack were each opened relative to the one
//     below, so renaming directories concurrently on the host cannot move
//     the walk above its base: ".." is ours, never the kernel's.
//
// Example: from base B, "a/l/../f" with l -> "x/y" opens B/a (push),
// reads l, continues with "x/y/../f": B/a/x (push), B/a/x/y (push), ".."
// (pop), and returns (B/a/x, "f").

import (
	"strings"

	"golang.org/x/sys/unix"
)

// A target is where a path led: the directory holding its last component
// and that component's name.
type target struct {
	dir   int    // host fd of the directory holding the last component
	name  string // the last component, or "." for the directory itself
	slash bool   // the path ended in '/': it names a directory
	held  []int  // O_PATH fds opened on the way, closed by release
}

// release closes the fds the walk opened.
func (t *target) release() {
	for _, fd := range t.held {
		unix.Close(fd)
	}
	t.held = nil
}

// slashed is the name as the kernel should see it for a call that never
// follows a final link: with the trailing slash, if the path had one.
func (t *target) slashed() string {
	if t.slash {
		return t.name + "/"
	}
	return t.name
}

// resolve walks path from the directory with host fd base. With follow,
// a symbolic link in the last position is replaced by its target (the
// link itself is the target otherwise). On error nothing stays open.
func resolve(base int, path string, follow bool) (*target, errno) {
	if path == "" {
		return nil, errnoNoent
	}
	if path[0] == '/' {
		return nil, errnoNotcapable
	}
	t := &target{dir: base, slash: strings.HasSuffix(path, "/")}
	comps := splitPath(path)
	expands := 0
	for {
		if len(comps) == 0 { // only "." components (or "..", popped)
			t.name = "."
			return t, errnoSuccess
		}
		c := comps[0]
		comps = comps[1:]
		last := len(comps) == 0
		switch c {
		case ".":
			continue
		case "..":
			if len(t.held) == 0 {
				t.release()
				return nil, errnoNotcapable
			}
			unix.Close(t.held[len(t.held)-1])
			t.held = t.held[:len(t.held)-1]
			t.dir = base
			if len(t.held) > 0 {
				t.dir = t.held[len(t.held)-1]
			}
			continue
		}
		if last && !follow && !t.slash {
			t.name = c
			return t, errnoSuccess
		}
		var fd int
		err := retry(func() (err error) {
			fd, err = unix.Openat(t.dir, c, unix.O_PATH|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
			return err
		})
		if err == unix.ENOENT && last {
			t.name = c // the operation decides: create it, or ENOENT
			return t, errnoSuccess
		}
		if err != nil {
			t.release()
			return nil, errnoOf(err)
		}
		var st unix.Stat_t
		if err := unix.Fstat(fd, &st); err != nil {
			unix.Close(fd)
			t.release()
			return nil, errnoOf(err)
		}
		switch st.Mode & unix.S_IFMT {
		case unix.S_IFLNK:
			link, e := readlinkFd(fd)
			unix.Close(fd)
			if e == errnoSuccess {
				expands++
				switch {
				case expands > maxSymlinkExpands:
					e = errnoLoop
				case link == "":
					e = errnoNoent
				case link[0] == '/':
					e = errnoNotcapable
				}
			}
			if e != errnoSuccess {
				t.release()
				return nil, e
			}
			if last && strings.HasSuffix(link, "/") {
				t.slash = true
			}
			comps = append(splitPath(link), comps...)
		case unix.S_IFDIR:
			if last {
				unix.Close(fd)
				t.name = c
				return t, errnoSuccess
			}
			t.held = append(t.held, fd)
			t.dir = fd
		default:
			unix.Close(fd)
			if !last || t.slash {
				t.release()
				return nil, errnoNotdir
			}
			t.name = c
			return t, errnoSuccess
		}
	}
}

// splitPath returns the non-empty components of a relative path.
func splitPath(p string) []string {
	parts := strings.Split(p, "/")
	comps := parts[:0]
	for _, c := range parts {
		if c != "" {
			comps = append(comps, c)
		}
	}
	return comps
}

// readlinkFd reads the target of the symbolic link opened as fd (O_PATH).
func readlinkFd(fd int) (string, errno) {
	for size := 256; ; size *= 2 {
		buf := make([]byte, size)
		var n int
		err := retry(func() (err error) {
			n, err = unix.Readlinkat(fd, "", buf)
			return err
		})
		if err != nil {
			return "", errnoOf(err)
		}
		if n < size {
			return string(buf[:n]), errnoSuccess
		}
	}
}
