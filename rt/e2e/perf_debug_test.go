package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"wfxc/compile"
	"wfxc/frontend/wat"
)

// TestDebug_perfAcrossFibres: perf record -g on a hot loop inside a
// continuation resumed by a continuation attributes the samples to the
// wasm functions by name (the symbols are in the ELF: no perf map or
// jitdump), with the caller chain through both fibres for frame-pointer
// call graphs (the kernel follows the frame records, which the fibre roots
// link to each resumer). A DWARF call graph unwinds only within the copy
// of the sampled stack that perf takes, so it reaches the first resumer
// (whose return address is in the fibre's root record) and no further.
func TestDebug_perfAcrossFibres(t *testing.T) {
	perf, err := exec.LookPath("perf")
	if err != nil {
		t.Skip("perf is not installed (.ci/run installs linux-perf)")
	}
	if r := os.Getenv(testExecEnv); r != "" {
		t.Skipf("the programs run under %s, which perf does not follow", r)
	}
	bin, err := wat.ParseModule([]byte(`(module
	  (type $f (func))
	  (type $k (cont $f))
	  (global $n (mut i32) (i32.const 0))
	  (func $work (param $i i32) (result i32)
	    (i32.add (i32.mul (local.get $i) (i32.const 7)) (global.get $n)))
	  (func $hot
	    (local $i i32)
	    (loop $l
	      (global.set $n (call $work (local.get $i)))
	      (local.set $i (i32.add (local.get $i) (i32.const 1)))
	      (br_if $l (i32.lt_u (local.get $i) (i32.const 100000000)))))
	  (func $inner (resume $k (cont.new $k (ref.func $hot))))
	  (func $outer (resume $k (cont.new $k (ref.func $inner))))
	  (elem declare func $hot $inner)
	  (func (export "run") (result i32) (call $outer) (global.get $n)))`))
	if err != nil {
		t.Fatal(err)
	}
	res, err := compile.Compile(bin, compile.Options{Name: "hot"})
	if err != nil {
		t.Fatal(err)
	}
	exe := buildGoHostExternal(t, res, "hot", `package main

import (
	"fmt"

	"example/hot"
)

func main() {
	inst, err := hot.New(nil, nil)
	if err != nil {
		panic(err)
	}
	fmt.Println(inst.Run())
}
`)
	for _, tc := range []struct{ graph, chain string }{
		{"fp", "outer fibre_root cont_entry[0] inner fibre_root cont_entry[0] hot"},
		{"dwarf", "inner fibre_root cont_entry[0] hot"},
	} {
		graph := tc.graph
		t.Run(graph, func(t *testing.T) {
			data := filepath.Join(t.TempDir(), "perf.data")
			rec := exec.Command(perf, "record", "-q", "-e", "cpu-clock", "-F", "2000", "--call-graph", graph, "-o", data, "--", exe)
			out, err := rec.CombinedOutput()
			if err != nil && os.Geteuid() == 0 && paranoid(out) {
				// As root, allow the events (as CI does) and try again.
				if sout, serr := exec.Command("sysctl", "kernel.perf_event_paranoid=-1").CombinedOutput(); serr != nil {
					t.Logf("sysctl kernel.perf_event_paranoid=-1: %v\n%s", serr, sout)
				}
				rec = exec.Command(perf, rec.Args[1:]...)
				out, err = rec.CombinedOutput()
			}
			if err != nil {
				if paranoid(out) {
					t.Skipf("perf may not record here (kernel.perf_event_paranoid):\n%s", out)
				}
				t.Fatalf("perf record: %v\n%s", err, out)
			}
			out, err = exec.Command(perf, "report", "-i", data, "--stdio", "--no-children", "-G", "--sort", "sym").CombinedOutput()
			if err != nil {
				t.Fatalf("perf report: %v\n%s", err, out)
			}
			// perf report -G prints each call chain caller first, a
			// function a line: "---wfx_hot.outer", "wfx_hot.fibre_root", …
			var fns []string
			for _, l := range strings.Split(string(out), "\n") {
				if f := strings.Trim(l, " |-"); strings.HasPrefix(f, "wfx_hot.") {
					fns = append(fns, strings.TrimPrefix(f, "wfx_hot."))
				} else {
					fns = append(fns, "")
				}
			}
			if got := strings.Join(fns, " "); !strings.Contains(got, tc.chain) {
				t.Errorf("perf report has no call chain %q\n%s", tc.chain, out)
			}
			if testing.Verbose() {
				t.Logf("%s", out)
			}
		})
	}
}

// paranoid reports whether perf's output says the kernel forbids the
// recording (kernel.perf_event_paranoid).
func paranoid(out []byte) bool {
	return strings.Contains(string(out), "perf_event_paranoid") || strings.Contains(string(out), "Permission denied")
}
