package wasi

import (
	"fmt"
	"testing"
)

func TestOptions_parse(t *testing.T) {
	t.Setenv("WFXC_TEST_HOST", "from-host")
	tests := []struct {
		name string
		args []string
		dirs []Preopen
		env  []string
		rest []string
		err  bool
	}{
		{"dir", []string{"--dir", "/tmp", "x"}, []Preopen{{"/tmp", "/tmp"}}, nil, []string{"x"}, false},
		{"dir guest", []string{"--dir=data::/", "--dir", ".::sub"}, []Preopen{{"data", "/"}, {".", "sub"}}, nil, nil, false},
		{"env", []string{"--env", "A=1", "-env=B=x=y", "--"}, nil, []string{"A=1", "B=x=y"}, nil, false},
		{"env from host", []string{"--env", "WFXC_TEST_HOST", "--env", "WFXC_TEST_UNSET"}, nil, []string{"WFXC_TEST_HOST=from-host"}, nil, false},
		{"dash dash", []string{"--env", "A=1", "--", "--dir", "x"}, nil, []string{"A=1"}, []string{"--dir", "x"}, false},
		{"program flag ends options", []string{"--verbose", "--dir", "x"}, nil, nil, []string{"--verbose", "--dir", "x"}, false},
		{"missing value", []string{"--dir"}, nil, nil, nil, true},
		{"empty env name", []string{"--env", "=1"}, nil, nil, nil, true},
		{"empty guest", []string{"--dir", "x::"}, nil, nil, nil, true},
		{"inherit-env with value", []string{"--inherit-env=1"}, nil, nil, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, rest, err := ParseLeading(tt.args)
			if (err != nil) != tt.err {
				t.Fatalf("err %v, want error %v", err, tt.err)
			}
			if err != nil {
				return
			}
			if fmt.Sprint(o.Dirs) != fmt.Sprint(tt.dirs) || fmt.Sprint(o.Env) != fmt.Sprint(tt.env) || fmt.Sprint(rest) != fmt.Sprint(tt.rest) {
				t.Errorf("dirs %v env %q rest %q; want %v %q %q", o.Dirs, o.Env, rest, tt.dirs, tt.env, tt.rest)
			}
		})
	}
}

// TestOptions_environ: nothing of the host's without --inherit-env; with
// it, --env overrides the host's value in place.
func TestOptions_environ(t *testing.T) {
	t.Setenv("WFXC_TEST_HOST", "from-host")
	o := Options{Env: []string{"A=1", "A=2", "B=3"}}
	if got := fmt.Sprint(o.Environ()); got != "[A=2 B=3]" {
		t.Errorf("env %s, want [A=2 B=3]", got)
	}
	o = Options{Env: []string{"WFXC_TEST_HOST=mine"}, InheritEnv: true}
	n := 0
	for _, kv := range o.Environ() {
		switch kv {
		case "WFXC_TEST_HOST=mine":
			n++
		case "WFXC_TEST_HOST=from-host":
			t.Error("the host's value survived --env")
		}
	}
	if n != 1 || len(o.Environ()) < 2 {
		t.Errorf("inherited environment %q", o.Environ())
	}
}
