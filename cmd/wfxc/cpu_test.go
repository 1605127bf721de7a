package main

import (
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/cpu"

	"wfxc/rt/abi"
)

// TestCPU_flag: --cpu x86-64-v2 and x86-64-v3 give the same results for
// wfxc run (v3 only on a CPU with BMI1, BMI2, LZCNT and AVX), and wfxc wast
// takes it; an unknown level, and an x86-64 level for aarch64, are clear
// errors for each command (compile, run, build, wast).
func TestCPU_flag(t *testing.T) {
	dir := t.TempDir()
	m := writeFile(t, filepath.Join(dir, "bits.wat"), `(module
	  (func (export "f") (param $x i64) (param $y i64) (result i64)
	    (i64.add (i64.add (i64.ctz (local.get $x)) (i64.clz (local.get $y)))
	      (i64.add (i64.and (local.get $x) (i64.sub (local.get $x) (i64.const 1)))
	        (i64.shl (local.get $y) (local.get $x))))))`)
	levels := []string{"", abi.CPUx8664v2}
	if abi.HostArch() == abi.X86_64 && cpu.X86.HasBMI1 && cpu.X86.HasBMI2 && cpu.X86.HasLZCNT && cpu.X86.HasAVX {
		levels = append(levels, abi.CPUx8664v3)
	} else {
		t.Logf("this host cannot run x86-64-v3 code: runs only v2")
	}
	if abi.HostArch() == abi.X86_64 {
		for _, args := range [][]string{{"12", "7"}, {"0", "0"}, {"18446744073709551615", "1"}} {
			var first string
			for _, level := range levels {
				cmd := []string{"run"}
				if level != "" {
					cmd = append(cmd, "--cpu", level)
				}
				out, errs, code := wfxc(t, append(append(cmd, m, "--invoke", "f"), args...)...)
				if code != 0 {
					t.Fatalf("--cpu %q: exit %d, %s", level, code, errs)
				}
				if first == "" {
					first = out
				} else if out != first {
					t.Errorf("f%v --cpu %s: %q, want (as by default) %q", args, level, out, first)
				}
			}
		}
	}
	o := filepath.Join(dir, "bits.o")
	if _, errs, code := wfxc(t, m, "-o", o, "--cpu", abi.CPUx8664v3, "--target", "x86_64"); code != 0 {
		t.Errorf("compile --cpu x86-64-v3: exit %d, %s", code, errs)
	}
	for _, cmd := range [][]string{
		{m, "-o", o, "--cpu", "x86-64-v9"},
		{"run", "--cpu", "x86-64-v9", m, "--invoke", "f", "1", "2"},
		{"build", m, "-o", filepath.Join(dir, "prog"), "--cpu", "x86-64-v9"},
		{"wast", "--cpu", "x86-64-v9", dir},
	} {
		if _, errs, code := wfxc(t, cmd...); code == 0 || !strings.Contains(errs, `--cpu: unknown CPU level "x86-64-v9" (want x86-64-v2 or x86-64-v3)`) {
			t.Errorf("%v: exit %d, stderr %q; want an unknown-level error", cmd, code, errs)
		}
	}
	if _, errs, code := wfxc(t, m, "-o", o, "--target", "aarch64", "--cpu", abi.CPUx8664v3); code == 0 ||
		!strings.Contains(errs, "--cpu: CPU level x86-64-v3 is for x86_64, not aarch64") {
		t.Errorf("aarch64 with --cpu x86-64-v3: exit %d, stderr %q; want an error", code, errs)
	}
	if _, errs, code := wfxc(t, m, "-o", o, "--target", "aarch64"); code != 0 {
		t.Errorf("aarch64 without --cpu: exit %d, %s", code, errs)
	}
}
