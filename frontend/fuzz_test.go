package frontend

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// Fuzz targets for the decoder and the validator. Both are seeded with
// every .wasm of the spec test data (valid, invalid and malformed modules)
// plus the small crafted seeds in testdata/fuzz. Run one at a time:
//
//	go test ./frontend -run '^$' -fuzz '^FuzzDecode$' -parallel 1 -fuzztime 3m
//	go test ./frontend -run '^$' -fuzz '^FuzzValidate$' -parallel 1 -fuzztime 3m

// addSpecSeeds adds every .wasm file under the spec test data.
func addSpecSeeds(f *testing.F) {
	err := filepath.WalkDir(specDir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(p, ".wasm") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		f.Add(b)
		return nil
	})
	if err != nil {
		f.Fatal(err)
	}
}

// checkErr checks that err is nil or an *Error with an offset inside the
// input (the end of input included).
func checkErr(t *testing.T, b []byte, err error) {
	if err == nil {
		return
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v is %T, want *Error", err, err)
	}
	if e.Offset < 0 || e.Offset > len(b) {
		t.Fatalf("error %q has offset %d outside the %d-byte input", e.Msg, e.Offset, len(b))
	}
	if e.Msg == "" {
		t.Fatalf("error without message at %d", e.Offset)
	}
}

func FuzzDecode(f *testing.F) {
	addSpecSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Decode(b)
		checkErr(t, b, err)
		if err == nil && (len(m.Funcs) != len(m.Codes) || m.Start < -1 || m.DataCount < -1) {
			t.Fatalf("inconsistent module: %d funcs, %d codes, start %d, data count %d",
				len(m.Funcs), len(m.Codes), m.Start, m.DataCount)
		}
	})
}

func FuzzValidate(f *testing.F) {
	addSpecSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := DecodeAndValidate(b)
		checkErr(t, b, err)
		if err != nil {
			return
		}
		// A validated body must be walkable to its end by translators.
		for i, c := range m.Codes {
			ir := NewInstrReader(c.Body, c.BodyOffset)
			for !ir.EOF() {
				if _, err := ir.Next(); err != nil {
					t.Fatalf("func %d of a valid module: %v", i, err)
				}
			}
		}
	})
}

// TestDecode_memoryBound checks that declared counts do not make the
// decoder or validator allocate before the bytes exist: tiny inputs that
// declare huge vectors allocate little.
func TestDecode_memoryBound(t *testing.T) {
	huge := leb(0xffffffff)
	tests := []struct {
		name string
		wasm string
	}{
		{"types", wasmHeader + section(SecType, huge)},
		{"recGroup", wasmHeader + section(SecType, "\x01\x4e"+huge)},
		{"funcParams", wasmHeader + section(SecType, "\x01\x60"+huge)},
		{"structFields", wasmHeader + section(SecType, "\x01\x5f"+huge)},
		{"imports", wasmHeader + section(SecImport, huge)},
		{"functions", wasmHeader + section(SecFunction, huge)},
		{"elemItems", wasmHeader + section(SecElement, "\x01\x01\x00"+huge)},
		{"codes", wasmHeader + section(SecCode, huge)},
		{"locals", wasmHeader + section(SecType, vec(tVoid)) + section(SecFunction, vec("\x00")) +
			section(SecCode, vec(code("\x02"+huge+"\x7f"+huge+"\x7e", "\x0b")))},
		{"brTable", wasmHeader + section(SecType, vec(tVoid)) + section(SecFunction, vec("\x00")) +
			section(SecCode, vec(code(noLocals, "\x41\x00\x0e"+huge+"\x00\x0b")))},
		{"arrayNewFixed", wasmHeader + section(SecType, vec("\x5e\x7f\x00", tVoid)) + section(SecFunction, vec("\x01")) +
			section(SecCode, vec(code(noLocals, "\x00\xfb\x08\x00"+huge+"\x1a\x0b")))},
		{"dataCount", wasmHeader + section(SecDataCount, huge)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			_, err := DecodeAndValidate([]byte(tc.wasm))
			runtime.ReadMemStats(&after)
			checkErr(t, []byte(tc.wasm), err)
			if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
				t.Errorf("allocated %d bytes for a %d-byte module (err %v)", n, len(tc.wasm), err)
			}
		})
	}
}

// TestFuzzSeeds_valid checks that the crafted seeds of FuzzValidate are
// valid modules, so that fuzzing starts from inputs reaching deep paths.
func TestFuzzSeeds_valid(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "fuzz", "FuzzValidate", "*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no seeds: %v", err)
	}
	for _, p := range files {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
		if len(lines) != 2 || !strings.HasPrefix(lines[1], "[]byte(") {
			t.Fatalf("%s: not a corpus file", p)
		}
		s, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(lines[1], "[]byte("), ")"))
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if _, err := DecodeAndValidate([]byte(s)); err != nil {
			t.Errorf("%s: %v", filepath.Base(p), err)
		}
	}
}
