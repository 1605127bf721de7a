package ir

import (
	"testing"
)

// passCase is a pass test: src before, want after (both in text form; want
// is normalized by parsing and printing it).
type passCase struct {
	name string
	src  string
	want string
}

func runPassCases(t *testing.T, pass func(*Func) error, tests []passCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustParse(t, tt.src)
			if err := Verify(f); err != nil {
				t.Fatalf("before: %v", err)
			}
			if err := pass(f); err != nil {
				t.Fatalf("pass: %v", err)
			}
			if err := Verify(f); err != nil {
				t.Fatalf("after: %v\n%s", err, f)
			}
			want := mustParse(t, tt.want).String()
			if got := f.String(); got != want {
				t.Errorf("got:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}
