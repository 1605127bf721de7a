package main

// A runner of the official WASI test suite (github.com/WebAssembly/wasi-testsuite,
// prebuilt wasm32-wasip1 tests in ../shared/wasi-testsuite) following its
// doc/specification.md:
//
//   - every *.wasm below tests/ is a test case; its FOO.json beside it is its
//     specification (a default one when there is none), either legacy
//     ({args, env, root, exit_code, stdout, stderr}) or operation-based
//     ({proposals, operations: run, read, wait, …});
//   - a run gets exactly the env given (no host variables), its args after
//     the module, and its root — here a fresh copy of that directory, with
//     the *.cleanup artifacts removed — preopened as "/";
//   - a read compares the next len(payload) bytes of stdout or stderr with
//     the payload, a wait the exit code.
//
// Every test goes through `wfxc run` in-process (run(...) as main calls
// it); a sample goes through executables made by `wfxc build`. Operations
// this runner cannot perform (sockets, the http proposal — none of them
// in preview 1) fail the test: nothing is skipped.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// wasiSuiteRoot is the test suite's tests/ directory.
var wasiSuiteRoot = filepath.Join("..", "..", "..", "shared", "wasi-testsuite", "tests")

// wasiSuiteTimeout bounds one test's run.
const wasiSuiteTimeout = 2 * time.Minute

// suiteOp is one operation of a test specification.
type suiteOp struct {
	Type     string            `json:"type"`
	Args     []string          `json:"args"`
	Env      map[string]string `json:"env"`
	Root     string            `json:"root"`
	ExitCode int               `json:"exit_code"`
	ID       string            `json:"id"`
	Payload  string            `json:"payload"`
}

// suiteTest is one test case: a module and its operations.
type suiteTest struct {
	name string // suite/test, e.g. rust/fd_readdir
	wasm string
	ops  []suiteOp
}

// legacyKeys are the keys of the legacy specification format.
var legacyKeys = map[string]bool{"args": true, "root": true, "env": true, "exit_code": true, "stderr": true, "stdout": true}

// readSpec reads a test's specification (or the default one) as
// operations, validated as the specification requires.
func readSpec(wasm string) ([]suiteOp, error) {
	raw, err := os.ReadFile(strings.TrimSuffix(wasm, ".wasm") + ".json")
	if errors.Is(err, fs.ErrNotExist) {
		return []suiteOp{{Type: "run"}, {Type: "wait"}}, nil
	}
	if err != nil {
		return nil, err
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(raw, &keys); err != nil {
		return nil, err
	}
	var ops []suiteOp
	if _, ok := keys["operations"]; ok {
		var spec struct {
			Proposals  []string          `json:"proposals"`
			Operations []json.RawMessage `json:"operations"`
		}
		if err := json.Unmarshal(raw, &spec); err != nil {
			return nil, err
		}
		if len(spec.Proposals) > 0 {
			return nil, fmt.Errorf("needs the proposals %v, which preview 1 has not", spec.Proposals)
		}
		for _, r := range spec.Operations {
			op := suiteOp{ID: "stdout"}
			if err := json.Unmarshal(r, &op); err != nil {
				return nil, err
			}
			ops = append(ops, op)
		}
	} else {
		for k := range keys {
			if !legacyKeys[k] {
				return nil, fmt.Errorf("unknown specification key %q", k)
			}
		}
		var legacy struct {
			suiteOp
			Stdout *string `json:"stdout"`
			Stderr *string `json:"stderr"`
		}
		if err := json.Unmarshal(raw, &legacy); err != nil {
			return nil, err
		}
		run := legacy.suiteOp
		run.Type = "run"
		ops = append(ops, run)
		if legacy.Stdout != nil {
			ops = append(ops, suiteOp{Type: "read", ID: "stdout", Payload: *legacy.Stdout})
		}
		if legacy.Stderr != nil {
			ops = append(ops, suiteOp{Type: "read", ID: "stderr", Payload: *legacy.Stderr})
		}
		ops = append(ops, suiteOp{Type: "wait", ExitCode: legacy.ExitCode})
	}
	running := false
	for _, op := range ops {
		switch op.Type {
		case "run":
			if running {
				return nil, errors.New("a run before the previous one's wait")
			}
			running = true
		case "wait":
			if !running {
				return nil, errors.New("a wait without a run")
			}
			running = false
		case "read":
			if !running {
				return nil, errors.New("a read outside a run")
			}
			if op.ID != "stdout" && op.ID != "stderr" {
				return nil, fmt.Errorf("read of unknown stream %q", op.ID)
			}
		default:
			return nil, fmt.Errorf("operation %q needs sockets or http, which preview 1 has not", op.Type)
		}
	}
	if running {
		return nil, errors.New("a run without a wait")
	}
	return ops, nil
}

// findSuite lists the test cases below root, sorted by name.
func findSuite(t *testing.T, root string) []suiteTest {
	t.Helper()
	var tests []suiteTest
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".wasm") {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		suite := strings.SplitN(rel, string(filepath.Separator), 2)[0]
		tests = append(tests, suiteTest{name: suite + "/" + strings.TrimSuffix(d.Name(), ".wasm"), wasm: path})
		return nil
	})
	if err != nil || len(tests) == 0 {
		t.Fatalf("WASI test suite not found at %s (../shared/wasi-testsuite beside the repository): %v", root, err)
	}
	sort.Slice(tests, func(i, j int) bool { return tests[i].name < tests[j].name })
	return tests
}

// suiteRun is how a run operation executes: the WASI options, the module
// and its arguments in; exit code, stdout and stderr out.
type suiteRun func(t *testing.T, wasm string, opts, args []string) (code int, stdout, stderr []byte)

// runSuiteTest performs a test's operations; a failure is reported with
// the command line that reproduces it.
func runSuiteTest(t *testing.T, st suiteTest, run suiteRun) {
	ops, err := readSpec(st.wasm)
	if err != nil {
		t.Fatalf("%s: specification: %v", st.name, err)
	}
	var streams map[string]*bytes.Reader
	var code int
	var cmdline string
	for _, op := range ops {
		switch op.Type {
		case "run":
			opts := []string{}
			if op.Root != "" {
				root := freshCopy(t, filepath.Join(filepath.Dir(st.wasm), op.Root))
				opts = append(opts, "--dir", root+"::/")
			}
			keys := make([]string, 0, len(op.Env))
			for k := range op.Env {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				opts = append(opts, "--env", k+"="+op.Env[k])
			}
			cmdline = fmt.Sprintf("wfxc run %q %s %q", opts, st.wasm, op.Args)
			var out, errs []byte
			code, out, errs = run(t, st.wasm, opts, op.Args)
			streams = map[string]*bytes.Reader{"stdout": bytes.NewReader(out), "stderr": bytes.NewReader(errs)}
		case "read":
			got := make([]byte, len(op.Payload))
			n, _ := io.ReadFull(streams[op.ID], got)
			if string(got[:n]) != op.Payload {
				t.Errorf("%s: %s: %s %q, want %q", st.name, cmdline, op.ID, got[:n], op.Payload)
			}
		case "wait":
			if code != op.ExitCode {
				out, _ := io.ReadAll(streams["stdout"])
				errs, _ := io.ReadAll(streams["stderr"])
				t.Errorf("%s: %s: exit code %d, want %d\nstdout: %s\nstderr: %s", st.name, cmdline, code, op.ExitCode, out, errs)
			}
		}
	}
}

// freshCopy copies a test's directory into a new temporary directory,
// writable (the suite's files may be read-only), without the *.cleanup
// artifacts of earlier runs, and returns the copy's path.
func freshCopy(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), filepath.Base(src))
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		to := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.Mkdir(to, 0o755)
		case strings.HasSuffix(d.Name(), ".cleanup"):
			return nil
		case d.Type()&fs.ModeSymlink != 0:
			link, err := os.Readlink(path)
			if err != nil {
				return err
			}
			return os.Symlink(link, to)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(to, b, 0o644)
	})
	if err != nil {
		t.Fatalf("copying %s: %v", src, err)
	}
	return dst
}

// runInProcess runs `wfxc run OPTS WASM ARGS` as main would, with an empty
// standard input.
func runInProcess(t *testing.T, wasm string, opts, args []string) (int, []byte, []byte) {
	type result struct {
		code      int
		out, errs []byte
	}
	done := make(chan result, 1)
	go func() {
		var out, errs bytes.Buffer
		err := run(append(append(append([]string{"run"}, opts...), wasm), args...), &out, &errs)
		code := 0
		var ee exitError
		switch {
		case errors.As(err, &ee):
			code = ee.code
		case err != nil:
			fmt.Fprintln(&errs, "wfxc:", err)
			code = 1
		}
		done <- result{code, out.Bytes(), errs.Bytes()}
	}()
	select {
	case r := <-done:
		return r.code, r.out, r.errs
	case <-time.After(wasiSuiteTimeout):
		t.Fatalf("%s: no exit after %v", wasm, wasiSuiteTimeout)
		return 0, nil, nil
	}
}

// TestWASISuite runs every test of the WASI test suite through `wfxc run`.
func TestWASISuite(t *testing.T) {
	saved := stdin
	stdin = strings.NewReader("")
	defer func() { stdin = saved }()
	tests := findSuite(t, wasiSuiteRoot)
	failed := 0
	for _, st := range tests {
		if !t.Run(st.name, func(t *testing.T) { runSuiteTest(t, st, runInProcess) }) {
			failed++
		}
	}
	t.Logf("wasi-testsuite through wfxc run: %d/%d passed", len(tests)-failed, len(tests))
}

// TestWASISuite_built runs every test of the suite again as an executable
// made by `wfxc build`, which takes the WASI options before the program's
// arguments. Its stdin is a pipe nobody writes to, as the suite's own
// runner gives, so poll_oneoff_stdio waits on a host fd here (in-process,
// stdin is a Go reader that is always ready).
func TestWASISuite_built(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a Go program per test")
	}
	tests := findSuite(t, wasiSuiteRoot)
	failed := 0
	for _, st := range tests {
		ok := t.Run(st.name, func(t *testing.T) {
			exe := filepath.Join(t.TempDir(), "app")
			if _, errs, code := wfxc(t, "build", st.wasm, "-o", exe); code != 0 {
				t.Fatalf("wfxc build %s: exit %d\n%s", st.wasm, code, errs)
			}
			runSuiteTest(t, st, func(t *testing.T, _ string, opts, args []string) (int, []byte, []byte) {
				// A pipe nobody writes to, as the suite's runner gives.
				r, w, err := os.Pipe()
				if err != nil {
					t.Fatal(err)
				}
				defer r.Close()
				defer w.Close()
				cmd := exec.Command(exe, append(append(opts, "--"), args...)...)
				cmd.Stdin = r
				var out, errs bytes.Buffer
				cmd.Stdout, cmd.Stderr = &out, &errs
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				timer := time.AfterFunc(wasiSuiteTimeout, func() { cmd.Process.Kill() })
				defer timer.Stop()
				err = cmd.Wait()
				var ee *exec.ExitError
				if err != nil && !errors.As(err, &ee) {
					t.Fatal(err)
				}
				return cmd.ProcessState.ExitCode(), out.Bytes(), errs.Bytes()
			})
		})
		if !ok {
			failed++
		}
	}
	t.Logf("wasi-testsuite through executables of wfxc build: %d/%d passed", len(tests)-failed, len(tests))
}
