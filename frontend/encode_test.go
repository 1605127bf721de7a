package frontend

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// ignoreOffsets ignores every byte-offset field of a Module.
var ignoreOffsets = cmp.FilterPath(func(p cmp.Path) bool {
	sf, ok := p.Last().(cmp.StructField)
	return ok && (strings.HasSuffix(sf.Name(), "Offset") && sf.Type().Kind() == reflect.Int || sf.Name() == "SectionOffsets")
}, cmp.Ignore())

// TestEncode_roundTrip decodes every module of the spec test data that
// decodes, encodes it, decodes the result and compares the two modules.
func TestEncode_roundTrip(t *testing.T) {
	root := filepath.Join("..", "..", "shared", "testdata")
	if _, err := os.Stat(root); err != nil {
		t.Skipf("no test data: %v", err)
	}
	n, decoded := 0, 0
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".wasm") {
			return err
		}
		n++
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		m, err := Decode(src)
		if err != nil {
			return nil // deliberately malformed
		}
		decoded++
		out, err := Encode(m)
		if err != nil {
			t.Errorf("%s: encode: %v", path, err)
			return nil
		}
		m2, err := Decode(out)
		if err != nil {
			t.Errorf("%s: decode of encoding: %v", path, err)
			return nil
		}
		if d := cmp.Diff(m, m2, ignoreOffsets, cmpopts.EquateEmpty()); d != "" {
			t.Errorf("%s: round trip differs (-want +got):\n%s", path, d)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d of %d modules decoded and round-tripped", decoded, n)
}

// TestEncode_cases checks encodings of hand-built modules.
func TestEncode_cases(t *testing.T) {
	refFunc := ValType{Code: CodeRef, Heap: HeapFunc}
	tests := []struct {
		name string
		m    Module
		want string // hex after the 8-byte header
	}{
		{"empty", Module{Start: -1, DataCount: -1}, ""},
		{"funcType", Module{Start: -1, DataCount: -1, Types: []SubType{{Final: true, RecSize: 1,
			Comp: CompType{Params: []ValType{I32}, Results: []ValType{FuncRef}}}}},
			"01060160017f0170"},
		{"recGroup", Module{Start: -1, DataCount: -1, Types: []SubType{
			{Final: false, RecSize: 2, Comp: CompType{Kind: CompStruct}},
			{Final: true, Supers: []uint32{0}, RecStart: 0, RecSize: 2, Comp: CompType{Kind: CompCont, Cont: 0}}}},
			"010c014e0250005f004f01005d00"},
		{"elemIndexForm", Module{Start: -1, DataCount: -1, Elems: []Elem{{Mode: SegActive, Type: refFunc,
			Offset: ConstExpr{Code: []byte{0x41, 0, 0x0b}}, Init: []ConstExpr{{Code: []byte{0xd2, 3, 0x0b}}}}}},
			"0907010041000b0103"},
		{"elemExprForm", Module{Start: -1, DataCount: -1, Elems: []Elem{{Mode: SegPassive, Type: ExternRef,
			Init: []ConstExpr{{Code: []byte{0xd0, 0x6f, 0x0b}}}}}},
			"090701056f01d06f0b"},
		{"memory64", Module{Start: -1, DataCount: -1, Memories: []Limits{{Min: 1, Max: 2, HasMax: true, Is64: true, PageLog2: 16}}},
			"05040105" + "0102"},
		{"dataCount", Module{Start: -1, DataCount: 0}, "0c0100"},
		{"nonNullConcrete", Module{Start: -1, DataCount: -1, Globals: []Global{{
			Type: GlobalType{Type: ValType{Code: CodeRef, Heap: 200}}, Init: ConstExpr{Code: []byte{0xd2, 0, 0x0b}}}}},
			"060801" + "64c80100d2000b"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := Encode(&tc.m)
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			for _, b := range out[8:] {
				got += string("0123456789abcdef"[b>>4]) + string("0123456789abcdef"[b&15])
			}
			if got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}
