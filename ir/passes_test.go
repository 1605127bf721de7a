package ir

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestPassOrder(t *testing.T) {
	if err := checkPassOrder(Passes); err != nil {
		t.Fatal(err)
	}
	reversed := make([]Pass, len(Passes))
	for i, p := range Passes {
		reversed[len(Passes)-1-i] = p
	}
	if err := checkPassOrder(reversed); err == nil || !strings.Contains(err.Error(), "want before") {
		t.Errorf("reversed pipeline: %v, want an ordering error", err)
	}
	if err := checkPassOrder(append(Passes[:1:1], Passes...)); err == nil || !strings.Contains(err.Error(), "listed twice") {
		t.Errorf("duplicate pass: %v, want an error", err)
	}
}

func TestRun_pipeline(t *testing.T) {
	f := mustParse(t, `func f(i32) -> (i32) {
b0:
  v0 = param [0] : i32
  v1 = const 1 : i32
  v2 = const 2 : i32
  v3 = iadd v1 v2 : i32
  v4 = icmp eq v3 v3 : i32
  v5 = select v4 v0 v3 : i32
  if v4 -> b1 b2
b1:
  v6 = imul v5 v5 : i32
  return v6
b2:
  return v3
}`)
	var dump bytes.Buffer
	err := Run(f, PassOptions{Check: true, Dump: map[string]bool{"constfold": true}, DumpTo: &dump})
	if err != nil {
		t.Fatal(err)
	}
	want := mustParse(t, `func f(i32) -> (i32) {
b0:
  v0 = param [0] : i32
  jump b1
b1: <- b0
  v6 = imul v0 v0 : i32
  return v6
}`).String()
	if got := f.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if !strings.HasPrefix(dump.String(), "; after constfold\nfunc f(i32)") || strings.Contains(dump.String(), "after deadcode") {
		t.Errorf("dump = %q, want only the function after constfold", dump.String())
	}
}

func TestRun_check(t *testing.T) {
	broken := func(f *Func) error { f.Blocks[0].Kind = BlockIf; return nil }
	failing := func(f *Func) error { return errors.New("boom") }
	tests := []struct {
		name   string
		passes []Pass
		src    string
		check  bool
		want   string
	}{
		{"invalidInput", Passes, "func f() -> (i32) {\nb0:\n  return\n}", true, "func f: before the passes: block b0: return block has 0 controls, want 1 (the function's results)"},
		{"brokenByPass", []Pass{{"breaker", broken}}, "func f() {\nb0:\n  return\n}", true, "func f: after pass breaker: block b0: if-block has 0 successors, want 2"},
		{"noCheck", []Pass{{"breaker", broken}}, "func f() {\nb0:\n  return\n}", false, ""},
		{"passError", []Pass{{"failing", failing}}, "func f() {\nb0:\n  return\n}", false, "func f: pass failing: boom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			saved := Passes
			Passes = tt.passes
			defer func() { Passes = saved }()
			err := Run(mustParse(t, tt.src), PassOptions{Check: tt.check})
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Run: %v, want nil", err)
				}
				return
			}
			if err == nil || err.Error() != tt.want {
				t.Fatalf("Run: %v, want %q", err, tt.want)
			}
		})
	}
}

func TestRun_skip(t *testing.T) {
	f := mustParse(t, "func f() -> (i32) {\nb0:\n  v0 = const 1 : i32\n  v1 = iadd v0 v0 : i32\n  return v0\n}")
	if err := Run(f, PassOptions{Check: true, Skip: map[string]bool{"deadcode": true}}); err != nil {
		t.Fatal(err)
	}
	if n := len(f.Entry().Values); n != 2 {
		t.Errorf("%d values left with deadcode skipped, want 2", n)
	}
}
