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

// bodyContext is a module prefix rich in types and index spaces for
// FuzzValidateBody: the fuzzed bytes become the code entry (locals and
// instructions) of function 0, of type [i32] -> [i32].
var bodyContext = struct{ before, after string }{
	before: wasmHeader + section(SecType, vec(
		tVoid,                              // 0: [] -> []
		"\x60\x01\x7f\x01\x7f",             // 1: [i32] -> [i32]
		"\x50\x00\x5f\x02\x7f\x01\x78\x01", // 2: sub (struct (mut i32) (mut i8))
		"\x50\x01\x02\x5f\x03\x7f\x01\x78\x01\x63\x02\x00", // 3: sub 2 (struct ... (ref null 2))
		"\x5e\x77\x01",                         // 4: array (mut i16)
		tContOf0,                               // 5: cont 0
		"\x4e\x02\x60\x01\x63\x07\x00\x5d\x06", // 6, 7: rec func/cont for switch
		"\x5e\x63\x70\x01",                     // 8: array (mut funcref)
		"\x60\x00\x01\x64\x05",                 // 9: [] -> [(ref 5)]
	)) + section(SecFunction, vec("\x01", "\x00")) +
		section(SecTable, vec("\x70\x00\x01", "\x63\x05\x04\x01")) + // funcref table, table64 of (ref null 5)
		section(SecMemory, vec("\x00\x01", "\x04\x01")) + // memory, memory64
		section(SecTag, vec("\x00\x00", "\x00\x01")) +
		section(SecGlobal, vec("\x7f\x01\x41\x00\x0b", "\x63\x02\x00\xd0\x02\x0b")) +
		section(SecElement, vec("\x03\x00\x02\x00\x01")) + // declare func 0 1
		section(SecDataCount, "\x01"),
	after: section(SecData, vec("\x01\x02ab")),
}

// bodyModule embeds a code entry (locals + instructions) as function 0.
func bodyModule(body []byte) []byte {
	codes := leb(2) + leb(uint64(len(body))) + string(body) + code(noLocals, "\x0b")
	return []byte(bodyContext.before + section(SecCode, codes) + bodyContext.after)
}

// bodySeeds are valid code entries in bodyContext.
var bodySeeds = []string{
	noLocals + "\x20\x00\x0b",             // local.get 0
	noLocals + "\x20\x00\x41\x01\x6a\x0b", // i32.add
	// struct.new 2, local.tee, struct.get 2 0
	"\x01\x01\x63\x02" + "\x41\x01\x41\x02\xfb\x00\x02\x22\x01\xfb\x02\x02\x00\x0b",
	// block (result (ref 5)) (resume 5 (on 0 0) (ref.null 5)) unreachable end drop
	noLocals + "\x02\x09\xd0\x05\xe3\x05\x01\x00\x00\x00\x00\x0b\x1a\x20\x00\x0b",
	// switch 7 0 (ref.null 7)
	noLocals + "\xd0\x07\xe6\x07\x00\x1a\x20\x00\x0b",
	// block (result exnref) try_table (catch_all_ref 0) throw 1 (local.get 0) end unreachable end
	noLocals + "\x02\x69\x1f\x40\x01\x03\x00\x20\x00\x08\x01\x0b\x00\x0b\x1a\x20\x00\x0b",
	// i32.load (memory 1) (i64.const 0)
	noLocals + "\x42\x00\x28\x42\x01\x00\x20\x00\x6a\x0b",
	// i8x16.extract_lane_s 0 (i8x16.splat (i32.const 0))
	noLocals + "\x41\x00\xfd\x0f\xfd\x15\x00\x0b",
	// memory.init 0 0
	noLocals + "\x41\x00\x41\x00\x41\x01\xfc\x08\x00\x00\x20\x00\x0b",
	// block (result anyref) br_on_cast 0 anyref (ref struct) (ref.null any) end drop
	noLocals + "\x02\x6e\xd0\x6e\xfb\x18\x01\x00\x6e\x6b\x0b\x1a\x20\x00\x0b",
	// table.get 1 (i64.const 0) drop; call_ref 1 (local.get 0) (ref.func 0)
	noLocals + "\x42\x00\x25\x01\x1a\x20\x00\xd2\x00\x14\x01\x0b",
}

// FuzzValidateBody fuzzes function bodies in a fixed context with GC,
// continuation, exception, table64 and memory64 declarations, so that
// mutations reach the instruction typing rules.
func FuzzValidateBody(f *testing.F) {
	for _, s := range bodySeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		b := bodyModule(body)
		m, err := DecodeAndValidate(b)
		checkErr(t, b, err)
		if err == nil {
			ir := NewInstrReader(m.Codes[0].Body, m.Codes[0].BodyOffset)
			for !ir.EOF() {
				if _, err := ir.Next(); err != nil {
					t.Fatalf("valid body: %v", err)
				}
			}
		}
	})
}

func TestBodyContext_valid(t *testing.T) {
	for i, s := range bodySeeds {
		if _, err := DecodeAndValidate(bodyModule([]byte(s))); err != nil {
			t.Errorf("seed %d: %v", i, err)
		}
	}
}
