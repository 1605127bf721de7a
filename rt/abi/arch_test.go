package abi

import (
	"bytes"
	"encoding/gob"
	"runtime"
	"strings"
	"testing"
)

func TestParseArch(t *testing.T) {
	tests := []struct {
		name, in string
		want     Arch
		err      string
	}{
		{"x86_64", "x86_64", X86_64, ""},
		{"amd64", "amd64", X86_64, ""},
		{"aarch64", "aarch64", AArch64, ""},
		{"arm64", "arm64", AArch64, ""},
		{"empty", "", "", `unknown target ""`},
		{"riscv", "riscv64", "", `unknown target "riscv64" (want x86_64 or aarch64)`},
		{"caseMatters", "X86_64", "", `unknown target "X86_64"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseArch(tt.in)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("ParseArch(%q) = %v, %v; want error %q", tt.in, got, err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseArch(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
		})
	}
}

// TestArch_names checks that every architecture round-trips through its
// canonical and its Go name, and that the host is found by its GOARCH.
func TestArch_names(t *testing.T) {
	for _, a := range Archs {
		if !a.Valid() || a.String() != string(a) {
			t.Errorf("%q: Valid %v, String %q", string(a), a.Valid(), a.String())
		}
		for _, s := range []string{a.String(), a.GOARCH()} {
			if got, err := ParseArch(s); got != a || err != nil {
				t.Errorf("ParseArch(%q) = %v, %v; want %v", s, got, err, a)
			}
		}
	}
	if bad := Arch("mips"); bad.Valid() || bad.GOARCH() != "" || bad.String() != `Arch("mips")` {
		t.Errorf("Arch(mips): Valid %v, GOARCH %q, String %q", bad.Valid(), bad.GOARCH(), bad.String())
	}
	if h := HostArch(); h != "" && h.GOARCH() != runtime.GOARCH {
		t.Errorf("HostArch() = %v, GOARCH %s", h, runtime.GOARCH)
	}
}

// TestDescriptor_archEncoding checks that Descriptor.Arch is encoded as a
// plain string: descriptors written when the field was a string decode, and
// the encoding of a new one decodes into a string field.
func TestDescriptor_archEncoding(t *testing.T) {
	type stringArch struct { // Descriptor's first fields, Arch as it was before it had a type
		Version int
		Name    string
		Arch    string
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(stringArch{Version: DescriptorVersion, Name: "m", Arch: "aarch64"}); err != nil {
		t.Fatal(err)
	}
	d, err := DecodeDescriptor(buf.Bytes())
	if err != nil || d.Arch != AArch64 {
		t.Fatalf("old descriptor: %+v, %v; want Arch aarch64", d, err)
	}
	b, err := (&Descriptor{Version: DescriptorVersion, Name: "m", Arch: X86_64}).Encode()
	if err != nil {
		t.Fatal(err)
	}
	var old stringArch
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&old); err != nil || old.Arch != "x86_64" {
		t.Fatalf("new descriptor read as a string field: %+v, %v; want Arch x86_64", old, err)
	}
}
