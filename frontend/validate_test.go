package frontend

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"wfxc/internal/leb128"
)

// Helpers that build binary modules from hand-written section contents.

func leb(n uint64) string { return string(leb128.AppendUint(nil, n)) }

// vec prefixes the concatenated items with their count.
func vec(items ...string) string { return leb(uint64(len(items))) + strings.Join(items, "") }

func section(id byte, body string) string { return string([]byte{id}) + leb(uint64(len(body))) + body }

// code is one code entry: locals (already a vec) and instructions.
func code(locals, instrs string) string {
	b := locals + instrs
	return leb(uint64(len(b))) + b
}

// testModule is a module with the given types (each a subtype or rec
// group), tags (type indices), and functions (type index + code entry).
type testModule struct {
	types   []string
	tags    []string
	funcs   []string // type index bytes
	codes   []string
	extra   string // appended sections
	imports string // raw import section contents, if any
}

func (tm testModule) bytes() []byte {
	s := wasmHeader
	if len(tm.types) > 0 {
		s += section(SecType, vec(tm.types...))
	}
	if tm.imports != "" {
		s += section(SecImport, tm.imports)
	}
	if len(tm.funcs) > 0 {
		s += section(SecFunction, vec(tm.funcs...))
	}
	if len(tm.tags) > 0 {
		var ts []string
		for _, t := range tm.tags {
			ts = append(ts, "\x00"+t)
		}
		s += section(SecTag, vec(ts...))
	}
	if len(tm.codes) > 0 {
		s += section(SecCode, vec(tm.codes...))
	}
	return []byte(s + tm.extra)
}

const (
	tVoid    = "\x60\x00\x00"         // [] -> []
	tToI32   = "\x60\x00\x01\x7f"     // [] -> [i32]
	noLocals = "\x00"                 // no local declarations
	tI32ToV  = "\x60\x01\x7f\x00"     // [i32] -> []
	tContOf0 = "\x5d\x00"             // cont 0
	tToRef1  = "\x60\x00\x01\x64\x01" // [] -> [(ref 1)]
)

func TestValidate_cases(t *testing.T) {
	tests := []struct {
		name string
		m    testModule
		err  string // "" = valid
	}{
		{"add", testModule{types: []string{tToI32}, funcs: []string{"\x00"},
			codes: []string{code(noLocals, "\x41\x01\x41\x02\x6a\x0b")}}, ""},
		{"addMismatch", testModule{types: []string{tToI32}, funcs: []string{"\x00"},
			codes: []string{code(noLocals, "\x41\x01\x42\x02\x6a\x0b")}}, "type mismatch"},
		{"extraValue", testModule{types: []string{tVoid}, funcs: []string{"\x00"},
			codes: []string{code(noLocals, "\x41\x01\x0b")}}, "type mismatch"},
		{"unknownLocal", testModule{types: []string{tVoid}, funcs: []string{"\x00"},
			codes: []string{code(noLocals, "\x20\x05\x1a\x0b")}}, "unknown local 5"},
		{"uninitializedLocal", testModule{types: []string{tVoid}, funcs: []string{"\x00"},
			codes: []string{code("\x01\x01\x64\x70", "\x20\x00\x1a\x0b")}}, "uninitialized local"},
		{"refFuncUndeclared", testModule{types: []string{tVoid}, funcs: []string{"\x00"},
			codes: []string{code("\x01\x01\x64\x70", "\xd2\x00\x21\x00\x20\x00\x1a\x0b")}},
			"undeclared function reference"},
		{"initializedLocal", testModule{types: []string{tVoid}, funcs: []string{"\x00"},
			codes: []string{code("\x01\x01\x64\x70", "\xd0\x70\xd4\x21\x00\x20\x00\x1a\x0b")}}, ""},
		{"localInitEndsWithBlock", testModule{types: []string{tVoid}, funcs: []string{"\x00"},
			codes: []string{code("\x01\x01\x64\x70", "\x02\x40\xd0\x70\xd4\x21\x00\x0b\x20\x00\x1a\x0b")}},
			"uninitialized local"},
		{"unknownLabel", testModule{types: []string{tVoid}, funcs: []string{"\x00"},
			codes: []string{code(noLocals, "\x0c\x01\x0b")}}, "unknown label"},
		{"missingEnd", testModule{types: []string{tVoid}, funcs: []string{"\x00"},
			codes: []string{code(noLocals, "\x02\x40\x0b")}}, "unexpected end of section or function"},
		{"missingEndNotLast", testModule{types: []string{tVoid}, funcs: []string{"\x00", "\x00"},
			codes: []string{code(noLocals, "\x01"), code(noLocals, "\x0b")}}, "END opcode expected"},
		{"castToCont", testModule{types: []string{tVoid, tContOf0}, funcs: []string{"\x00"},
			codes: []string{code(noLocals, "\xd0\x68\xfb\x17\x01\x1a\x0b")}}, "invalid cast"},
		{"contNewNonCont", testModule{types: []string{tVoid}, funcs: []string{"\x00"},
			codes: []string{code(noLocals, "\xd0\x70\xe0\x00\x1a\x0b")}}, "non-continuation type 0"},
		{"resumeHandler", testModule{types: []string{tVoid, tContOf0, tToRef1}, tags: []string{"\x00"},
			funcs: []string{"\x00"},
			// block (result (ref 1)) (resume 1 (on 0 0) (ref.null 1)) unreachable end drop
			codes: []string{code(noLocals, "\x02\x02\xd0\x01\xe3\x01\x01\x00\x00\x00\x00\x0b\x1a\x0b")}}, ""},
		{"resumeHandlerLabelNotCont", testModule{types: []string{tVoid, tContOf0, tToI32}, tags: []string{"\x00"},
			funcs: []string{"\x00"},
			codes: []string{code(noLocals, "\x02\x02\xd0\x01\xe3\x01\x01\x00\x00\x00\x00\x0b\x1a\x0b")}},
			"type mismatch: instruction requires concrete continuation reference type but label has [i32]"},
		{"resumeSwitchTagWithParams", testModule{types: []string{tI32ToV, tContOf0}, tags: []string{"\x00"},
			funcs: []string{"\x00"},
			// (resume 1 (on 0 switch) (local.get 0) (ref.null 1))
			codes: []string{code(noLocals, "\x20\x00\xd0\x01\xe3\x01\x01\x01\x00\x0b")}}, "type mismatch in switch tag"},
		{"resumeArgs", testModule{types: []string{tI32ToV, tContOf0}, funcs: []string{"\x00"},
			codes: []string{code(noLocals, "\x20\x00\xd0\x01\xe3\x01\x00\x0b")}}, ""},
		{"resumeMissingArg", testModule{types: []string{tI32ToV, tContOf0}, funcs: []string{"\x00"},
			codes: []string{code(noLocals, "\xd0\x01\xe3\x01\x00\x0b")}}, "type mismatch"},
		{"switchNeedsContParam", testModule{types: []string{tVoid, tContOf0}, tags: []string{"\x00"},
			funcs: []string{"\x00"}, codes: []string{code(noLocals, "\xd0\x01\xe6\x01\x00\x0b")}},
			"type mismatch: switch requires a continuation parameter"},
		{"switchRec", testModule{
			// (rec (type $ft (func (param (ref null $ct)))) (type $ct (cont $ft)))
			types: []string{"\x4e\x02\x60\x01\x63\x01\x00\x5d\x00", tVoid}, tags: []string{"\x02"},
			funcs: []string{"\x02"}, codes: []string{code(noLocals, "\xd0\x01\xe6\x01\x00\x1a\x0b")}}, ""},
		{"tailCallResults", testModule{types: []string{tVoid, tToI32}, funcs: []string{"\x00", "\x01"},
			codes: []string{code(noLocals, "\x12\x01\x0b"), code(noLocals, "\x41\x00\x0b")}}, "type mismatch"},
		{"structNewGet", testModule{types: []string{"\x5f\x01\x7f\x01", tToI32}, funcs: []string{"\x01"},
			codes: []string{code(noLocals, "\x41\x07\xfb\x00\x00\xfb\x02\x00\x00\x0b")}}, ""},
		{"structSetImmutable", testModule{types: []string{"\x5f\x01\x7f\x00", tVoid}, funcs: []string{"\x01"},
			codes: []string{code(noLocals, "\x41\x07\xfb\x00\x00\x41\x01\xfb\x05\x00\x00\x0b")}}, "field is immutable"},
		{"subtypeOK", testModule{types: []string{"\x50\x00\x5f\x01\x7f\x00", "\x50\x01\x00\x5f\x02\x7f\x00\x7e\x00"}}, ""},
		{"subtypeOfFinal", testModule{types: []string{"\x5f\x01\x7f\x00", "\x50\x01\x00\x5f\x02\x7f\x00\x7e\x00"}},
			"sub type 1 does not match super type 0"},
		{"subtypeFieldMismatch", testModule{types: []string{"\x50\x00\x5f\x01\x7f\x00", "\x50\x01\x00\x5f\x01\x7e\x00"}},
			"sub type 1 does not match super type 0"},
		{"contOfStruct", testModule{types: []string{"\x5f\x00", tContOf0}}, "non-function type 0"},
		{"forwardRefOutsideGroup", testModule{types: []string{"\x60\x01\x63\x01\x00", tVoid}}, "unknown type 1"},
		{"isoRecursiveEquality", testModule{
			// Types 0 and 1 are identical structs, so (ref 1) passes for (ref null 0).
			types: []string{"\x5f\x01\x7f\x00", "\x5f\x01\x7f\x00", "\x60\x01\x63\x00\x00", tVoid},
			funcs: []string{"\x02", "\x03"},
			codes: []string{code(noLocals, "\x0b"), code(noLocals, "\x41\x00\xfb\x00\x01\x10\x00\x0b")}}, ""},
		{"distinctStructs", testModule{
			types: []string{"\x5f\x01\x7f\x00", "\x5f\x01\x7e\x00", "\x60\x01\x63\x00\x00", tVoid},
			funcs: []string{"\x02", "\x03"},
			codes: []string{code(noLocals, "\x0b"), code(noLocals, "\x42\x00\xfb\x00\x01\x10\x00\x0b")}}, "type mismatch"},
		{"tryTableCatchRef", testModule{
			// block (result exnref) try_table (catch_all_ref 0) end unreachable end drop
			types: []string{tVoid}, funcs: []string{"\x00"},
			codes: []string{code(noLocals, "\x02\x69\x1f\x40\x01\x03\x00\x0b\x00\x0b\x1a\x0b")}}, ""},
		{"tryTableCatchArity", testModule{
			types: []string{tVoid}, funcs: []string{"\x00"},
			codes: []string{code(noLocals, "\x02\x40\x1f\x40\x01\x03\x00\x0b\x00\x0b\x0b")}}, "type mismatch"},
		{"simdLane", testModule{types: []string{tToI32}, funcs: []string{"\x00"},
			codes: []string{code(noLocals, "\x41\x00\xfd\x0f\xfd\x15\x10\x0b")}}, "invalid lane index"},
		{"memoryMissing", testModule{types: []string{tToI32}, funcs: []string{"\x00"},
			codes: []string{code(noLocals, "\x41\x00\x28\x02\x00\x0b")}}, "unknown memory 0"},
		{"constExprRequired", testModule{types: []string{tVoid},
			extra: section(SecGlobal, vec("\x7f\x00\x41\x00\x41\x00\x6d\x0b"))}, "constant expression required"},
		{"extendedConst", testModule{types: []string{tVoid},
			extra: section(SecGlobal, vec("\x7f\x00\x41\x00\x41\x00\x6a\x0b", "\x7f\x00\x23\x00\x0b"))}, ""},
		{"globalForwardRef", testModule{types: []string{tVoid},
			extra: section(SecGlobal, vec("\x7f\x00\x23\x01\x0b", "\x7f\x00\x41\x00\x0b"))}, "unknown global 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeAndValidate(tc.m.bytes())
			if tc.err == "" {
				if err != nil {
					t.Fatalf("DecodeAndValidate: %v", err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error = %v, want *Error %q", err, tc.err)
			}
			if !strings.HasPrefix(e.Msg, tc.err) {
				t.Errorf("error = %q, want prefix %q", e.Msg, tc.err)
			}
		})
	}
}

func TestValidate_indexSpaces(t *testing.T) {
	// Imports: func f (type 1), global g i64; then two functions of type 0
	// and a global.
	imports := vec("\x01m\x01f\x00\x01", "\x01m\x01g\x03\x7e\x00")
	s := wasmHeader + section(SecType, vec(tVoid, tToI32)) + section(SecImport, imports) +
		section(SecFunction, vec("\x00", "\x00")) + section(SecGlobal, vec("\x7f\x01\x41\x00\x0b")) +
		section(SecCode, vec(code(noLocals, "\x0b"), code(noLocals, "\x0b")))
	m, err := DecodeAndValidate([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	if want := []uint32{1, 0, 0}; !slices.Equal(m.FuncTypeIdx, want) {
		t.Errorf("FuncTypeIdx = %v, want %v", m.FuncTypeIdx, want)
	}
	if want := []GlobalType{{Type: I64}, {Type: I32, Mutable: true}}; !slices.Equal(m.GlobalTypes, want) {
		t.Errorf("GlobalTypes = %v, want %v", m.GlobalTypes, want)
	}
}

func TestValidate_duplicateExport(t *testing.T) {
	s := wasmHeader + section(SecType, vec(tVoid)) + section(SecFunction, vec("\x00")) +
		section(SecExport, vec("\x01f\x00\x00", "\x01f\x00\x00")) + section(SecCode, vec(code(noLocals, "\x0b")))
	_, err := DecodeAndValidate([]byte(s))
	var e *Error
	if !errors.As(err, &e) || e.Msg != "duplicate export name" {
		t.Fatalf("error = %v, want duplicate export name", err)
	}
	if e.Offset != 25 {
		t.Errorf("offset = %d, want 25 (the second export)", e.Offset)
	}
}

// TestValidate_limits checks the resource limits that bound memory use.
func TestValidate_limits(t *testing.T) {
	tests := []struct {
		name string
		body string
		err  string
	}{
		{"nesting", strings.Repeat("\x02\x40", maxNesting+1), "nesting too deep"},
		{"operands", strings.Repeat("\x41\x00", maxOperands+1), "operand stack too deep"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := testModule{types: []string{tVoid}, funcs: []string{"\x00"},
				codes: []string{code(noLocals, tc.body+"\x0b")}}
			_, err := DecodeAndValidate(m.bytes())
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("error = %v, want %q", err, tc.err)
			}
		})
	}
}

// TestInstrReader_specBodies walks every function body of every valid spec
// module with InstrReader: it must consume each body exactly, ending with
// the function's final end.
func TestInstrReader_specBodies(t *testing.T) {
	n := 0
	for _, s := range loadSpecScripts(t) {
		for _, cmd := range s.cmds {
			if cmd.Type != "module" {
				continue
			}
			m, err := DecodeAndValidate(readSpecFile(t, s, cmd))
			if err != nil {
				continue // reported by TestSpecModules
			}
			for i, c := range m.Codes {
				ir := NewInstrReader(c.Body, c.BodyOffset)
				var last *Instr
				depth := 1
				for !ir.EOF() {
					in, err := ir.Next()
					if err != nil {
						t.Fatalf("%s:%d func %d: %v", s.name, cmd.Line, i, err)
					}
					switch in.Op {
					case OpBlock, OpLoop, OpIf, OpTryTable:
						depth++
					case OpEnd:
						depth--
					}
					last = in
					n++
				}
				if last == nil || last.Op != OpEnd || depth != 0 {
					t.Errorf("%s:%d func %d: body does not end with its final end", s.name, cmd.Line, i)
				}
			}
		}
	}
	if n < 50000 {
		t.Errorf("walked only %d instructions", n)
	}
}

func TestSIMDInfo(t *testing.T) {
	tests := []struct {
		sub  uint32
		name string
	}{
		{0x00, "v128.load"}, {0x0c, "v128.const"}, {0x9a, ""}, {0xff, "f64x2.convert_low_i32x4_u"},
		{0x113, "i32x4.relaxed_dot_i8x16_i7x16_add_s"}, {0x114, ""},
	}
	for _, tc := range tests {
		op := SIMDInfo(tc.sub)
		got := ""
		if op != nil {
			got = op.Name
		}
		if got != tc.name {
			t.Errorf("SIMDInfo(%#x) = %q, want %q", tc.sub, got, tc.name)
		}
	}
	seen := map[string]uint32{}
	for sub, op := range SIMDOps() {
		if prev, dup := seen[op.Name]; dup || op.Name == "" {
			t.Errorf("SIMD sub-opcode %#x is named %q, like %#x", sub, op.Name, prev)
		}
		seen[op.Name] = sub
	}
}

func TestOpName(t *testing.T) {
	tests := []struct {
		op   byte
		sub  uint32
		name string
	}{
		{OpI32Add, 0, "i32.add"}, {OpI64Extend32S, 0, "i64.extend32_s"}, {OpF64Copysign, 0, "f64.copysign"},
		{OpSwitch, 0, "switch"}, {OpTryTable, 0, "try_table"}, {0x06, 0, ""},
		{OpPrefixGC, GCBrOnCastFail, "br_on_cast_fail"}, {OpPrefixGC, 31, ""},
		{OpPrefixMisc, MiscTableFill, "table.fill"}, {OpPrefixSIMD, 0x0d, "i8x16.shuffle"},
	}
	for _, tc := range tests {
		if got := OpName(tc.op, tc.sub); got != tc.name {
			t.Errorf("OpName(%#x, %d) = %q, want %q", tc.op, tc.sub, got, tc.name)
		}
	}
	// Every opcode the reader accepts has a name.
	for op := 0; op < 256; op++ {
		ir := NewInstrReader([]byte{byte(op), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 0)
		if in, err := ir.Next(); err == nil && in.Name() == "" {
			t.Errorf("opcode %#x decodes but has no name", op)
		}
	}
}

func TestValidate_canonTypes(t *testing.T) {
	m := testModule{types: []string{"\x5f\x01\x7f\x00", "\x5f\x01\x7f\x00", "\x5f\x01\x7e\x00",
		"\x4e\x02\x60\x01\x63\x04\x00\x5d\x03", "\x4e\x02\x60\x01\x63\x06\x00\x5d\x05"}}
	mod, err := DecodeAndValidate(m.bytes())
	if err != nil {
		t.Fatal(err)
	}
	want := []uint32{0, 0, 2, 3, 4, 3, 4}
	if len(mod.CanonTypes) != len(want) {
		t.Fatalf("CanonTypes = %v, want %v", mod.CanonTypes, want)
	}
	for i := range want {
		if mod.CanonTypes[i] != want[i] {
			t.Errorf("CanonTypes = %v, want %v", mod.CanonTypes, want)
			break
		}
	}
	if len(mod.FuncTypeIdx) != 0 || len(mod.GlobalTypes) != 0 {
		t.Errorf("index spaces = %v, %v; want empty", mod.FuncTypeIdx, mod.GlobalTypes)
	}
	p, r := BlockSig(mod, BlockType{Index: 3})
	if len(p) != 1 || len(r) != 0 {
		t.Errorf("BlockSig(type 3) = %v, %v", p, r)
	}
}

// TestValidate_parallelFirstError checks that validating a large module in
// parallel reports the first invalid function, as a sequential run would.
func TestValidate_parallelFirstError(t *testing.T) {
	wasm := syntheticModule(2 * parallelBodyBytes)
	m, err := Decode(wasm)
	if err != nil {
		t.Fatal(err)
	}
	if err := Validate(m); err != nil {
		t.Fatalf("valid module: %v", err)
	}
	// Turn the final i32.add of two functions into i64.add.
	bad := []int{len(m.Codes) - 3, len(m.Codes) / 2}
	for _, f := range bad {
		c := m.Codes[f]
		wasm[c.BodyOffset+len(c.Body)-2] = OpI64Add
	}
	for run := 0; run < 3; run++ {
		_, err := DecodeAndValidate(wasm)
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("error = %v, want *Error", err)
		}
		c := m.Codes[bad[1]]
		if e.Offset != c.BodyOffset+len(c.Body)-2 {
			t.Errorf("error at %#x (%s), want the first bad function's add at %#x", e.Offset, e.Msg, c.BodyOffset+len(c.Body)-2)
		}
	}
}
