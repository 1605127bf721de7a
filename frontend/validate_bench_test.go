package frontend

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// largestSpecModule returns the largest valid module file of the test data.
func largestSpecModule(b *testing.B) (string, []byte) {
	var best string
	var data []byte
	for _, s := range loadSpecScripts(b) {
		for _, cmd := range s.cmds {
			if cmd.Type != "module" {
				continue
			}
			p := filepath.Join(filepath.Dir(s.path), cmd.Filename)
			st, err := os.Stat(p)
			if err != nil || int(st.Size()) <= len(data) {
				continue
			}
			if data, err = os.ReadFile(p); err != nil {
				b.Fatal(err)
			}
			best = p
		}
	}
	return best, data
}

// syntheticModule builds a valid module of about size bytes: one memory,
// a few types, and many functions whose bodies mix locals, arithmetic,
// memory accesses, nested blocks, branches, calls and SIMD.
func syntheticModule(size int) []byte {
	// One block (result i32) of a function of type [i32 i32] -> [i32]:
	block := "\x02\x7f" + // block (result i32)
		"\x20\x00\x20\x01\x6a\x22\x02" + // local.tee 2 (i32.add (local.get 0) (local.get 1))
		"\x28\x02\x00\x41\x05\x6c" + // i32.mul (i32.load align=4) (i32.const 5)
		"\x20\x02\x0d\x00" + // br_if 0 (local.get 2)
		"\x03\x40\x20\x02\x41\x01\x6b\x21\x02\x20\x02\x0d\x00\x0b" + // loop: local.set 2 (local.get 2 - 1); br_if 0
		"\x20\x02\x20\x01\x10\x00\x6a" + // i32.add (call 0 (local.get 2) (local.get 1))
		"\x41\x00\xfd\x0f\x41\x01\xfd\x0f\xfd\x6e\xfd\x15\x03\x6a" + // + extract_lane_s 3 (i8x16.add splat splat)
		"\x0b" // end
	// 20 blocks, each leaving an i32, summed up.
	body := strings.Repeat(block, 20) + strings.Repeat("\x6a", 19) + "\x0b"
	entry := code("\x01\x01\x7f", body)
	n := size / len(entry)
	if n < 1 {
		n = 1
	}
	var sb strings.Builder
	sb.Grow(n*(len(entry)+1) + 64)
	sb.WriteString(wasmHeader)
	sb.WriteString(section(SecType, vec("\x60\x02\x7f\x7f\x01\x7f")))
	funcs := leb(uint64(n)) + strings.Repeat("\x00", n)
	sb.WriteString(section(SecFunction, funcs))
	sb.WriteString(section(SecMemory, vec("\x00\x01")))
	codes := leb(uint64(n)) + strings.Repeat(entry, n)
	sb.WriteString(section(SecCode, codes))
	return []byte(sb.String())
}

func TestSyntheticModule_valid(t *testing.T) {
	if _, err := DecodeAndValidate(syntheticModule(10000)); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkValidate reports decode+validate throughput on the largest spec
// module and on synthetic modules of 5 and 50 MB (equal MB/s = linear time).
func BenchmarkValidate(b *testing.B) {
	name, spec := largestSpecModule(b)
	cases := []struct {
		name string
		wasm []byte
	}{
		{"spec-largest(" + filepath.Base(name) + ")", spec},
		{"synthetic-5MB", syntheticModule(5 << 20)},
		{"synthetic-50MB", syntheticModule(50 << 20)},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			if _, err := DecodeAndValidate(c.wasm); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(c.wasm)))
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := DecodeAndValidate(c.wasm); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(c.wasm))/1e6, "MB")
		})
	}
}
