package frontend

import (
	"errors"
	"strings"
	"testing"
)

// wasmHeader is the magic number and version.
const wasmHeader = "\x00asm\x01\x00\x00\x00"

func TestDecode_cases(t *testing.T) {
	tests := []struct {
		name string
		wasm string
		err  string // "" = must decode
	}{
		{"empty", "", "unexpected end"},
		{"badMagic", "asm\x00\x01\x00\x00\x00", "magic header not detected"},
		{"badVersion", "\x00asm\x02\x00\x00\x00", "unknown binary version"},
		{"header", wasmHeader, ""},
		{"badSectionID", wasmHeader + "\x0e\x00", "malformed section id"},
		{"sectionTooLong", wasmHeader + "\x01\x05\x00", "length out of bounds"},
		{"sectionOrder", wasmHeader + "\x03\x01\x00\x01\x01\x00", "unexpected content after last section"},
		{"funcType", wasmHeader + "\x01\x05\x01\x60\x01\x7f\x00", ""},
		{"recGroup", wasmHeader + "\x01\x08\x01\x4e\x02\x5f\x00\x5e\x78\x01", ""},
		{"contType", wasmHeader + "\x01\x06\x02\x60\x00\x00\x5d\x00", ""},
		{"funcWithoutCode", wasmHeader + "\x01\x04\x01\x60\x00\x00\x03\x02\x01\x00",
			"function and code section have inconsistent lengths"},
		{"tooManyLocals", wasmHeader + "\x01\x04\x01\x60\x00\x00\x03\x02\x01\x00" +
			"\x0a\x0c\x01\x0a\x02\xff\xff\x01\x7f\xff\xff\x01\x7f\x0b", "too many locals"},
		{"hugeVector", wasmHeader + "\x01\x05\xff\xff\xff\xff\x0f", "unexpected end"},
		{"badMutability", wasmHeader + "\x06\x06\x01\x7f\x02\x41\x00\x0b", "malformed mutability"},
		{"tooManyParams", wasmHeader + section(SecType, vec("\x60"+leb(MaxParams+1)+strings.Repeat("\x7f", MaxParams+1)+"\x00")),
			"too many parameters"},
		{"maxParams", wasmHeader + section(SecType, vec("\x60"+leb(MaxParams)+strings.Repeat("\x7f", MaxParams)+"\x00")), ""},
		{"tooManyResults", wasmHeader + section(SecType, vec("\x60\x00"+leb(MaxResults+1)+strings.Repeat("\x7f", MaxResults+1))),
			"too many results"},
		{"tooManyFields", wasmHeader + section(SecType, vec("\x5f"+leb(MaxFields+1)+strings.Repeat("\x7f\x00", MaxFields+1))),
			"too many struct fields"},
		{"dataCountMismatch", wasmHeader + "\x0c\x01\x01", "data count and data section have inconsistent lengths"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Decode([]byte(tc.wasm))
			if tc.err == "" {
				if err != nil {
					t.Fatalf("Decode: %v", err)
				}
				if m.Start != -1 || m.DataCount != -1 {
					t.Errorf("Start, DataCount = %d, %d, want -1, -1", m.Start, m.DataCount)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Decode error = %v, want *Error %q", err, tc.err)
			}
			if !strings.HasPrefix(e.Msg, tc.err) {
				t.Errorf("Decode error = %q, want %q", e.Msg, tc.err)
			}
		})
	}
}

func TestDecode_names(t *testing.T) {
	// type, func, code, then a name section: module "m", func 0 "f".
	wasm := wasmHeader + "\x01\x04\x01\x60\x00\x00\x03\x02\x01\x00\x0a\x04\x01\x02\x00\x0b" +
		"\x00\x0f\x04name\x00\x02\x01m\x01\x04\x01\x00\x01f"
	m, err := Decode([]byte(wasm))
	if err != nil {
		t.Fatal(err)
	}
	if m.ModuleName != "m" || m.FuncNames[0] != "f" {
		t.Errorf("names = %q, %v; want m, map[0:f]", m.ModuleName, m.FuncNames)
	}
	if len(m.Codes) != 1 || string(m.Codes[0].Body) != "\x0b" || m.Codes[0].BodyOffset != 23 {
		t.Errorf("code = %+v", m.Codes)
	}
	// A malformed name section is ignored.
	bad := wasm[:len(wasm)-1] + "\xff"
	m, err = Decode([]byte(bad))
	if err != nil {
		t.Fatal(err)
	}
	if m.FuncNames != nil {
		t.Errorf("FuncNames = %v, want nil for a malformed name section", m.FuncNames)
	}
}
