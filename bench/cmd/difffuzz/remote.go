package main

// -remote: wfxc's code runs in a server process for another architecture
// (a difffuzz built for it, run under qemu-user), everything else here.
// The worker generates the module, runs the reference and compiles the
// object for the server's architecture natively; the server only loads
// the object and makes the calls, so qemu emulates the generated code and
// the runtime, not the compiler, the generator or the reference
// interpreter (under qemu those cost ten times what the code does).

import (
	"encoding/gob"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"

	"wfxc/bench"
	"wfxc/compile"
	"wfxc/rt"
	"wfxc/rt/abi"
)

// request is one call from the worker to the server.
type request struct {
	Op           string // "hello", "load", "inst", "call", "mem", "global", "close"
	ID           int    // the module (inst, close) or instance (call, mem, global)
	Wasm, Object []byte // load
	Name         string // call, mem, global
	Args         []uint64
}

// response is the server's answer to a request.
type response struct {
	ID    int // load, inst: the new handle
	Arch  abi.Arch
	Res   []uint64
	Err   *wireErr
	Bytes []byte
	Val   uint64
	OK    bool
}

// wireErr is an error crossing the pipe: what bench.Diff asks of it (a
// trap's message, an uncaught exception, a panic, an unsupported feature
// by its text) survives.
type wireErr struct {
	Kind    string // "trap", "uncaught", "panic" or "error"
	Text    string // err.Error() on the server
	Code    int    // trap
	Msg     string // trap
	Tag     string // uncaught
	Payload []uint64
}

func toWire(err error) *wireErr {
	if err == nil {
		return nil
	}
	w := &wireErr{Kind: "error", Text: err.Error()}
	var trap *rt.Trap
	var u *bench.Uncaught
	switch {
	case errors.As(err, &u):
		w.Kind, w.Tag, w.Payload = "uncaught", u.Tag, u.Payload
	case errors.As(err, &trap):
		w.Kind, w.Code, w.Msg = "trap", trap.Code, trap.Message
	case errors.Is(err, bench.ErrPanic):
		w.Kind = "panic"
	}
	return w
}

// remoteErr is a wireErr back as an error: the server's text, unwrapping
// to what it was.
type remoteErr struct {
	text  string
	cause error
}

func (e *remoteErr) Error() string { return e.text }
func (e *remoteErr) Unwrap() error { return e.cause }

func (w *wireErr) err() error {
	if w == nil {
		return nil
	}
	e := &remoteErr{text: w.Text}
	switch w.Kind {
	case "uncaught":
		e.cause = &bench.Uncaught{Tag: w.Tag, Payload: w.Payload}
	case "trap":
		e.cause = &rt.Trap{Code: w.Code, Message: w.Msg}
	case "panic":
		e.cause = bench.ErrPanic
	}
	return e
}

// serve is difffuzz -serve: requests on stdin, responses on stdout.
func serve() int {
	dec, enc := gob.NewDecoder(os.Stdin), gob.NewEncoder(os.Stdout)
	mods := map[int]bench.Module{}
	insts := map[int]bench.Instance{}
	next, loads := 1, 0
	for {
		var q request
		if err := dec.Decode(&q); err != nil {
			return 0 // the worker is gone
		}
		var r response
		switch q.Op {
		case "hello":
			r.Arch = abi.HostArch()
		case "load":
			if loads++; loads%64 == 0 {
				runtime.GC() // as runWorker: rt frees in GC cleanups
			}
			m, err := bench.WfxcObject(q.Wasm, q.Object)
			if r.Err = toWire(err); err == nil {
				mods[next], r.ID = m, next
				next++
			}
		case "inst":
			in, err := mods[q.ID].Instantiate()
			if r.Err = toWire(err); err == nil {
				insts[next], r.ID = in, next
				next++
			}
		case "call":
			res, err := insts[q.ID].Call(q.Name, q.Args...)
			r.Res, r.Err = res, toWire(err)
		case "mem":
			r.Bytes, r.OK = insts[q.ID].Memory(q.Name)
		case "global":
			r.Val, r.OK = insts[q.ID].Global(q.Name)
		case "close":
			if m := mods[q.ID]; m != nil {
				m.Close()
			} else if in := insts[q.ID]; in != nil {
				in.Close()
			}
			delete(mods, q.ID)
			delete(insts, q.ID)
		default:
			fmt.Fprintf(os.Stderr, "difffuzz -serve: unknown request %q\n", q.Op)
			return 2
		}
		if err := enc.Encode(&r); err != nil {
			return 0
		}
	}
}

// server is the worker's end of a -remote server.
type server struct {
	enc  *gob.Encoder
	dec  *gob.Decoder
	arch abi.Arch
}

// startServer runs the -remote command with -serve; the server dies with
// the worker (a hang or crash kills the worker, which takes it along).
func startServer(command string) *server {
	args := append(strings.Fields(command), "-serve")
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stderr = os.Stderr // the supervisor reports a crash with the worker's stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	in, err := cmd.StdinPipe()
	if err != nil {
		fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		fatal(err)
	}
	if err := cmd.Start(); err != nil {
		fatal(fmt.Errorf("-remote %s: %w", command, err))
	}
	s := &server{enc: gob.NewEncoder(in), dec: gob.NewDecoder(out)}
	s.arch = s.do(request{Op: "hello"}).Arch
	return s
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(2)
}

// do sends one request and waits for its answer; a server that dies
// takes the worker with it, so the supervisor records the seed as a crash.
func (s *server) do(q request) response {
	var r response
	if err := s.enc.Encode(&q); err != nil {
		fatal(fmt.Errorf("remote server: %w", err))
	}
	if err := s.dec.Decode(&r); err != nil {
		fatal(fmt.Errorf("remote server died: %w", err))
	}
	return r
}

// engine is wfxc compiling here for the server's architecture and
// running there.
func (s *server) engine() bench.Engine {
	return bench.Engine{Name: "wfxc", Compile: func(wasm []byte) (m bench.Module, err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("%w in wfxc compile: %v\n%s", bench.ErrPanic, r, debug.Stack())
			}
		}()
		res, err := compile.Compile(wasm, compile.Options{Name: "m", Target: s.arch})
		if err != nil {
			return nil, err
		}
		r := s.do(request{Op: "load", Wasm: wasm, Object: res.Object})
		if err := r.Err.err(); err != nil {
			return nil, err
		}
		return &remoteModule{s, r.ID}, nil
	}}
}

type remoteModule struct {
	s  *server
	id int
}

func (m *remoteModule) Instantiate() (bench.Instance, error) {
	r := m.s.do(request{Op: "inst", ID: m.id})
	if err := r.Err.err(); err != nil {
		return nil, err
	}
	return &remoteInstance{m.s, r.ID}, nil
}

func (m *remoteModule) Close() { m.s.do(request{Op: "close", ID: m.id}) }

type remoteInstance struct {
	s  *server
	id int
}

func (i *remoteInstance) Call(name string, args ...uint64) ([]uint64, error) {
	r := i.s.do(request{Op: "call", ID: i.id, Name: name, Args: args})
	return r.Res, r.Err.err()
}

func (i *remoteInstance) Memory(name string) ([]byte, bool) {
	r := i.s.do(request{Op: "mem", ID: i.id, Name: name})
	return r.Bytes, r.OK
}

func (i *remoteInstance) Global(name string) (uint64, bool) {
	r := i.s.do(request{Op: "global", ID: i.id, Name: name})
	return r.Val, r.OK
}

func (i *remoteInstance) Close() { i.s.do(request{Op: "close", ID: i.id}) }
