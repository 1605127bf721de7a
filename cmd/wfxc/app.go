package main

// Executables of `wfxc build` are this program with the compiled object
// appended: a copy of a (static) wfxc binary, then the object, then a
// trailer {object size: 8 bytes little-endian, appMagic}. At start-up
// (init, so that test binaries of this package behave the same) a binary
// that carries a trailer runs its object as a WASI command instead of
// being wfxc: the in-process loader of `wfxc run` maps the object, and the
// command line takes the WASI options of `wfxc run` first. Nothing else is
// needed to build or to run: no Go toolchain, no linker, no source tree.

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"

	"wfxc/rt"
	"wfxc/rt/wasi"
)

// appMagic ends the trailer of an executable made by `wfxc build`.
const appMagic = "wfxcapp\x01"

// trailerSize is the size of the trailer: the object size and appMagic.
const trailerSize = 8 + len(appMagic)

func init() {
	exe, err := os.Executable()
	if err != nil {
		return
	}
	obj, _, err := readPayload(exe)
	if err != nil || obj == nil {
		return
	}
	os.Exit(runApp(obj, os.Args, os.Stdin, os.Stdout, os.Stderr))
}

// readPayload returns the object appended to executable exe (nil if there
// is none) and the size of the executable without it.
func readPayload(exe string) (obj []byte, base int64, err error) {
	f, err := os.Open(exe)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, 0, err
	}
	size := st.Size()
	var tr [trailerSize]byte
	if size < int64(trailerSize) {
		return nil, size, nil
	}
	if _, err := f.ReadAt(tr[:], size-int64(trailerSize)); err != nil {
		return nil, 0, err
	}
	if !bytes.Equal(tr[8:], []byte(appMagic)) {
		return nil, size, nil
	}
	n := binary.LittleEndian.Uint64(tr[:8])
	if n > uint64(size-int64(trailerSize)) {
		return nil, 0, fmt.Errorf("%s: corrupt wfxc payload (object of %d bytes in a file of %d)", exe, n, size)
	}
	base = size - int64(trailerSize) - int64(n)
	obj = make([]byte, n)
	if _, err := f.ReadAt(obj, base); err != nil {
		return nil, 0, err
	}
	return obj, base, nil
}

// appendPayload writes the executable: runtime (a wfxc binary, without
// any payload of its own), then obj and the trailer.
func appendPayload(w io.Writer, runtime io.Reader, obj []byte) error {
	if _, err := io.Copy(w, runtime); err != nil {
		return err
	}
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(len(obj)))
	for _, b := range [][]byte{obj, n[:], []byte(appMagic)} {
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	return nil
}

// parseAppArgs parses the leading options of a built program up to the
// first other argument or "--": the WASI options and the limits of `wfxc
// run` but --fuel (the object is compiled without fuel metering).
func parseAppArgs(args []string) (wasi.Options, limitFlags, []string, error) {
	var o wasi.Options
	var l limitFlags
	for len(args) > 0 && args[0] != "--" {
		n, err := o.Parse(args)
		if err == nil && n == 0 {
			n, err = l.Parse(args)
		}
		if err != nil {
			return o, l, nil, err
		}
		if n == 0 {
			break
		}
		args = args[n:]
	}
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	if l.hasFuel {
		return o, l, nil, fmt.Errorf("--fuel: the program is built without fuel metering (wfxc run --fuel has it)")
	}
	return o, l, args, nil
}

// runApp runs obj as a WASI command with command line args (args[0] the
// program): the exit code of the program, 134 for a trap (with its message
// and backtrace), 125 when it cannot start, 2 for a bad command line.
func runApp(obj []byte, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	opts, limits, rest, err := parseAppArgs(args[1:])
	if err != nil {
		fmt.Fprintln(stderr, "error:", err)
		return 2
	}
	mod, err := rt.LoadObject(obj)
	if err != nil {
		fmt.Fprintln(stderr, "error:", err)
		return 125
	}
	w, err := wasi.New(wasi.Config{Args: append([]string{args[0]}, rest...), Env: opts.Environ(),
		Preopens: opts.Dirs, Stdin: stdin, Stdout: stdout, Stderr: stderr})
	if err != nil {
		fmt.Fprintln(stderr, "error:", err)
		return 125
	}
	defer w.Close()
	store := rt.NewStore()
	defer store.Close()
	if err := limits.apply(store); err != nil {
		fmt.Fprintln(stderr, "error:", err)
		return 125
	}
	inst, err := store.Instantiate(mod, w)
	if err == nil {
		var code uint32
		if code, err = wasi.Run(inst); err == nil {
			return int(code)
		}
	}
	var trap *rt.Trap
	if errors.As(err, &trap) {
		fmt.Fprintln(stderr, "trap:", trap.Message)
		fmt.Fprint(stderr, trap.Backtrace())
		return 134
	}
	fmt.Fprintln(stderr, "error:", err)
	return 125
}
