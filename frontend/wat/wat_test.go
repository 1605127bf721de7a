package wat

import (
	"bytes"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"wfxc/frontend"
	"wfxc/internal/leb128"
)

// TestParseModule_equivalent checks that abbreviations and their expanded
// forms (and other equivalent spellings) encode to the same bytes.
func TestParseModule_equivalent(t *testing.T) {
	tests := []struct{ name, a, b string }{
		{"inlineImport", `(module (func $f (import "m" "n") (param i32)))`,
			`(module (type (func (param i32))) (import "m" "n" (func $f (type 0))))`},
		{"inlineExport", `(module (func (export "a") (export "b")))`,
			`(module (func) (export "a" (func 0)) (export "b" (func 0)))`},
		{"inlineTypeUse", `(module (func (param i32) (result i64) (i64.const 0)))`,
			`(module (type (func (param i32) (result i64))) (func (type 0) (i64.const 0)))`},
		{"typeUseMatchesExisting", `(module (type $t (func (param i32))) (func (param i32)))`,
			`(module (type $t (func (param i32))) (func (type $t)))`},
		{"memoryData", `(module (memory (data "ab" "c")))`,
			`(module (memory 1 1) (data (memory 0) (i32.const 0) "abc"))`},
		{"tableElem", `(module (table funcref (elem $f $f)) (func $f))`,
			`(module (table 2 2 funcref) (elem (table 0) (i32.const 0) funcref (ref.func $f) (ref.func 0)) (func $f))`},
		{"elemFuncList", `(module (table 1 funcref) (elem (i32.const 0) $f) (func $f))`,
			`(module (table 1 funcref) (elem (table 0) (offset (i32.const 0)) func 0) (func $f))`},
		{"folded", `(module (func (param i32) (result i32) (i32.add (local.get 0) (i32.const 1))))`,
			`(module (func (param i32) (result i32) local.get 0 i32.const 1 i32.add))`},
		{"foldedIf", `(module (func (param i32) (result i32) (if (result i32) (local.get 0) (then (i32.const 1)) (else (i32.const 2)))))`,
			`(module (func (param i32) (result i32) local.get 0 if (result i32) i32.const 1 else i32.const 2 end))`},
		{"labels", `(module (func (block $a (loop $b (br_if $b (i32.const 0)) (br $a)))))`,
			`(module (func block loop i32.const 0 br_if 0 br 1 end end))`},
		{"endLabels", `(module (func block $x end $x))`, `(module (func block end))`},
		{"names", `(module (func $f) (func (call $f)) (global $g i32 (i32.const 0)) (func (drop (global.get $g))))`,
			`(module (func) (func (call 0)) (global i32 (i32.const 0)) (func (drop (global.get 0))))`},
		{"locals", `(module (func (param $p i32) (local $x i32) (local i64 i64) (local.set $x (local.get $p))))`,
			`(module (func (param i32) (local i32 i64 i64) (local.set 1 (local.get 0))))`},
		{"hexFloat", `(module (func (drop (f64.const 0x1p-1)) (drop (f32.const 0x1.8p1))))`,
			`(module (func (drop (f64.const 0.5)) (drop (f32.const 3))))`},
		{"underscores", `(module (func (drop (i32.const 1_000)) (drop (f64.const 1_0.5e0_1)) (drop (i64.const 0xf_f))))`,
			`(module (func (drop (i32.const 1000)) (drop (f64.const 105)) (drop (i64.const 255))))`},
		{"negativeInt", `(module (func (drop (i32.const -1)) (drop (i64.const -0x8000000000000000))))`,
			`(module (func (drop (i32.const 0xffffffff)) (drop (i64.const 0x8000000000000000))))`},
		{"nanPayload", `(module (func (drop (f32.const nan:0x200000)) (drop (f32.const -nan))))`,
			`(module (func (drop (f32.const nan:0x200000)) (drop (f32.const -nan:0x400000))))`},
		{"nanDefault", `(module (func (drop (f64.const nan))))`, `(module (func (drop (f64.const +nan:0x8000000000000))))`},
		{"v128Shapes", `(module (func (drop (v128.const i32x4 1 2 3 4))))`,
			`(module (func (drop (v128.const i8x16 1 0 0 0 2 0 0 0 3 0 0 0 4 0 0 0))))`},
		{"memarg", `(module (memory 1) (func (drop (i32.load offset=0 align=4 (i32.const 0)))))`,
			`(module (memory 1) (func (drop (i32.load (i32.const 0)))))`},
		{"binary", `(module binary "\00asm" "\01\00\00\00")`, `(module)`},
		{"quote", `(module quote "(func" " (nop))")`, `(module (func nop))`},
		{"bareFields", `(func) (memory 1)`, `(module (func) (memory 1))`},
		{"tableDefaultIndex", `(module (table 1 funcref) (func (drop (table.get (i32.const 0)))))`,
			`(module (table 1 funcref) (func (drop (table.get 0 (i32.const 0)))))`},
		{"recTypes", `(module (rec (type $a (struct (field (ref null $b)))) (type $b (array (mut i8)))))`,
			`(module (rec (type (struct (field (ref null 1)))) (type (array (mut i8)))))`},
		{"structFieldNames", `(module (type $s (struct (field $x i32) (field $y i64))) (func (param (ref $s)) (drop (struct.get $s $y (local.get 0)))))`,
			`(module (type (struct (field i32 i64))) (func (param (ref 0)) (drop (struct.get 0 1 (local.get 0)))))`},
		{"legacyHandlerSyntax", `(module (type $f (func)) (type $ct (cont $f)) (tag $t) (func (block $l (result (ref $ct)) (resume $ct (tag $t $l) (ref.null $ct)) unreachable) drop))`,
			`(module (type $f (func)) (type $ct (cont $f)) (tag $t) (func (block $l (result (ref $ct)) (resume $ct (on $t $l) (ref.null $ct)) unreachable) drop))`},
		{"contType", `(module (type $f (func)) (type $c (cont $f)))`, `(module (type (func)) (type (cont 0)))`},
		{"comments", "(module (; block (; nested ;) ;) ;; line\n (func))", `(module (func))`},
		{"annotations", `(module (@custom "x" "y") (func (@a 1 (2)) nop))`, `(module (func nop))`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := ParseModule([]byte(tc.a))
			if err != nil {
				t.Fatalf("a: %v", err)
			}
			b, err := ParseModule([]byte(tc.b))
			if err != nil {
				t.Fatalf("b: %v", err)
			}
			if !bytes.Equal(withoutNames(t, a), withoutNames(t, b)) {
				t.Errorf("encodings differ:\na %x\nb %x", a, b)
			}
		})
	}
}

// TestParseModule_body checks the exact body encoding of instructions
// whose immediates are easy to get wrong.
func TestParseModule_body(t *testing.T) {
	tests := []struct {
		name, fields, body, want string // want: hex of the first body, without the final end
	}{
		{"resumeHandlers", `(type $f (func)) (type $ct (cont $f)) (tag $t) (tag $s)`,
			`(block $l (result (ref $ct)) (resume $ct (on $t $l) (on $s switch) (ref.null $ct)) (unreachable))`,
			"0264" + "01" + "d001" + "e3" + "01" + "02" + "000000" + "0101" + "00" + "0b"},
		{"switch", `(type $f (func)) (type $ct (cont $f)) (tag $t)`, `(switch $ct $t (ref.null $ct))`,
			"d001" + "e60100"},
		{"contBind", `(type $f (func)) (type $ct (cont $f))`, `(drop (cont.bind $ct $ct (ref.null $ct)))`,
			"d001" + "e10101" + "1a"},
		{"resumeThrow", `(type $f (func)) (type $ct (cont $f)) (tag $e)`, `(resume_throw $ct $e (ref.null $ct))`,
			"d001" + "e4010000"},
		{"tryTable", `(tag $e (param i32))`, `(block $h (result i32) (try_table (catch $e $h) (catch_all 1)) (i32.const 0))`,
			"027f" + "1f40" + "02" + "000000" + "0201" + "0b" + "4100" + "0b"},
		{"brOnCast", `(type $s (struct))`, `(block $l (result anyref) (br_on_cast $l anyref (ref $s) (ref.null any)) (drop))`,
			"026e" + "d06e" + "fb18" + "01" + "00" + "6e" + "00" + "1a" + "0b"},
		{"refTestNullable", ``, `(drop (ref.test (ref null any) (ref.null any)))`, "d06e" + "fb156e" + "1a"},
		{"refCast", ``, `(drop (ref.cast i31ref (ref.null any)))`, "d06e" + "fb176c" + "1a"},
		{"multiMemory", `(memory 1) (memory $m 1)`, `(drop (i32.load $m offset=8 (i32.const 0)))`,
			"4100" + "28" + "42" + "01" + "08" + "1a"},
		{"memoryCopy", `(memory 1) (memory $m 1)`, `(memory.copy $m 0 (i32.const 0) (i32.const 0) (i32.const 0))`,
			"410041004100" + "fc0a" + "0100"},
		{"memoryInit", `(memory 1) (data $d "")`, `(memory.init $d (i32.const 0) (i32.const 0) (i32.const 0))`,
			"410041004100" + "fc08" + "0000"},
		{"tableInit", `(table 1 funcref) (table $t 1 funcref) (elem $e func)`, `(table.init $t $e (i32.const 0) (i32.const 0) (i32.const 0))`,
			"410041004100" + "fc0c" + "0001"},
		{"loadLane", `(memory 1)`, `(drop (v128.load8_lane 1 (i32.const 0) (v128.const i64x2 0 0)))`,
			"4100" + "fd0c" + strings.Repeat("00", 16) + "fd54" + "0000" + "01" + "1a"},
		{"loadLaneMemarg", `(memory 1)`, `(drop (v128.load16_lane offset=2 align=1 3 (i32.const 0) (v128.const i64x2 0 0)))`,
			"4100" + "fd0c" + strings.Repeat("00", 16) + "fd55" + "0002" + "03" + "1a"},
		{"shuffle", ``, `(drop (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 31 (v128.const i64x2 0 0) (v128.const i64x2 0 0)))`,
			"fd0c" + strings.Repeat("00", 16) + "fd0c" + strings.Repeat("00", 16) + "fd0d" + "000102030405060708090a0b0c0d0e1f" + "1a"},
		{"relaxed", ``, `(drop (f32x4.relaxed_madd (v128.const i64x2 0 0) (v128.const i64x2 0 0) (v128.const i64x2 0 0)))`,
			strings.Repeat("fd0c"+strings.Repeat("00", 16), 3) + "fd8502" + "1a"},
		{"selectTyped", ``, `(drop (select (result i32) (i32.const 1) (i32.const 2) (i32.const 0)))`,
			"410141024100" + "1c017f" + "1a"},
		{"brTable", ``, `(block $a (block $b (br_table $a $b 0 (i32.const 0))))`,
			"0240" + "0240" + "4100" + "0e02010000" + "0b0b"},
		{"callIndirect", `(table $t 1 funcref) (table $u 1 funcref)`, `(call_indirect $u (param i32) (i32.const 1) (i32.const 0))`,
			"41014100" + "11" + "01" + "01"},
		{"refNullConcrete", `(type $t (func))`, `(drop (ref.null $t))`, "d000" + "1a"},
		{"i64Const", ``, `(drop (i64.const -1))`, "427f1a"},
		{"blockMultiValue", ``, `(block (result i32 i64) (i32.const 0) (i64.const 0)) (drop) (drop)`,
			"02" + "01" + "4100" + "4200" + "0b" + "1a1a"}, // type 0 is the function's own
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			bin, err := ParseModule([]byte("(module " + tc.fields + " (func " + tc.body + "))"))
			if err != nil {
				t.Fatal(err)
			}
			m, err := frontend.Decode(bin)
			if err != nil {
				t.Fatal(err)
			}
			body := m.Codes[len(m.Codes)-1].Body
			got := hex.EncodeToString(body[:len(body)-1])
			if got != tc.want {
				t.Errorf("body %s, want %s", got, tc.want)
			}
		})
	}
}

// TestParseModule_errors checks that malformed text is rejected with the
// position of the offending token.
func TestParseModule_errors(t *testing.T) {
	tests := []struct {
		name, src string
		line, col int
		msg       string
	}{
		{"unknownOp", "(module\n  (func (i32.foo)))", 2, 10, "unknown operator"},
		{"badNumber", "(module (func (drop (i32.const 0x))))", 1, 32, "malformed number"},
		{"i32Range", "(module (func (drop (i32.const 4294967296))))", 1, 32, "constant out of range"},
		{"i32NegRange", "(module (func (drop (i32.const -2147483649))))", 1, 32, "constant out of range"},
		{"underscoreEnd", "(module (func (drop (i32.const 1_))))", 1, 32, "malformed number"},
		{"f32Overflow", "(module (func (drop (f32.const 1e39))))", 1, 32, "constant out of range"},
		{"nanZero", "(module (func (drop (f32.const nan:0x0))))", 1, 32, "constant out of range"},
		{"nanTooBig", "(module (func (drop (f32.const nan:0x800000))))", 1, 32, "constant out of range"},
		{"unknownLabel", "(module (func (br $x)))", 1, 19, "unknown label $x"},
		{"unknownFunc", "(module (func (call $g)))", 1, 21, "unknown function $g"},
		{"duplicateFunc", "(module (func $f) (func $f))", 1, 25, "duplicate function $f"},
		{"duplicateLocal", "(module (func (param $x i32) (local $x i32)))", 1, 37, "duplicate local $x"},
		{"importAfterFunc", "(module (func) (import \"m\" \"n\" (func)))", 1, 16, "import after function"},
		{"inlineTypeMismatch", "(module (type (func)) (func (type 0) (param i32)))", 1, 38, "inline function type"},
		{"mismatchingLabel", "(module (func block $a end $b))", 1, 28, "mismatching label"},
		{"alignment", "(module (memory 1) (func (drop (i32.load align=3 (i32.const 0)))))", 1, 42, "power of two"},
		{"unclosed", "(module (func)", 1, 1, "unclosed parenthesis"},
		{"extraParen", "(module))", 1, 9, "unexpected token )"},
		{"badString", "(module (export \"a\\q\" (func 0)) (func))", 1, 19, "malformed string escape"},
		{"unclosedComment", "(module (; x)", 1, 9, "unclosed comment"},
		{"illegalChar", "(module \x01)", 1, 9, "unexpected character"},
		{"badUTF8Name", "(module (export \"\\ff\" (func 0)) (func))", 1, 17, "malformed UTF-8"},
		{"multipleStart", "(module (func) (start 0) (start 0))", 1, 26, "multiple start"},
		{"missingEnd", "(module (func block nop))", 1, 24, "expected end of block"},
		{"strayElse", "(module (func else))", 1, 15, "unexpected token \"else\""},
		{"v128Lanes", "(module (func (drop (v128.const i32x4 1 2 3))))", 1, 44, "wrong number of lane literals"},
		{"emptyID", "(module (func $))", 1, 15, "empty identifier"},
		{"unknownType", "(module (func (type $t)))", 1, 21, "unknown type $t"},
		{"annotationEmpty", "(module (@ x))", 1, 9, "empty annotation id"},
		{"deepFlatNesting", "(module (func " + strings.Repeat("block ", maxDepth+1) + "))", 1, 15 + 6*maxDepth, "nesting too deep"},
		{"paramAfterResult", "(module (func (result i32) (param i32) unreachable))", 1, 28, "(param …) after (result …)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseModule([]byte(tc.src))
			if err == nil {
				t.Fatal("parsed")
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T %v is not *Error", err, err)
			}
			if e.Line != tc.line || e.Col != tc.col || !strings.Contains(e.Msg, tc.msg) {
				t.Errorf("got %v, want %d:%d: …%s…", err, tc.line, tc.col, tc.msg)
			}
		})
	}
}

// TestParseFloat_bits checks float literal rounding and special values.
func TestParseFloat_bits(t *testing.T) {
	tests := []struct {
		s    string
		bits int
		want uint64
	}{
		{"0", 32, 0}, {"-0", 32, 0x80000000}, {"1", 32, 0x3f800000}, {"0x1p-149", 32, 1},
		{"0x1.fffffep127", 32, 0x7f7fffff}, {"inf", 32, 0x7f800000}, {"-inf", 64, 0xfff0000000000000},
		{"nan", 64, 0x7ff8000000000000}, {"-nan:0x1", 64, 0xfff0000000000001},
		{"0x1.fffffffffffffp-1023", 64, 0x0010000000000000}, {"1.", 64, 0x3ff0000000000000},
		{"1e-400", 64, 0}, {"0x1.000001p0", 32, 0x3f800000}, // ties to even
		{"0x1.000003p0", 32, 0x3f800002}, {"1.e1", 64, 0x4024000000000000}, {"+0x10", 64, 0x4030000000000000},
	}
	for _, tc := range tests {
		got, err := parseFloat(tc.s, tc.bits)
		if err != nil || got != tc.want {
			t.Errorf("parseFloat(%q, %d) = %#x, %v; want %#x", tc.s, tc.bits, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", ".5", "1e", "0x", "0xp1", "1__0", "_1", "1.5_", "nan:0x", "infinity", "+-1", "0x1.g"} {
		if _, err := parseFloat(bad, 64); err == nil {
			t.Errorf("parseFloat(%q) accepted", bad)
		}
	}
}

// TestParseInt_bits checks integer literal ranges.
func TestParseInt_bits(t *testing.T) {
	tests := []struct {
		s    string
		bits uint
		want uint64
		ok   bool
	}{
		{"0", 32, 0, true}, {"-1", 32, 0xffffffff, true}, {"4294967295", 32, 0xffffffff, true},
		{"4294967296", 32, 0, false}, {"-2147483648", 32, 0x80000000, true}, {"-2147483649", 32, 0, false},
		{"0xFFFF_FFFF_FFFF_FFFF", 64, 0xffffffffffffffff, true}, {"18446744073709551616", 64, 0, false},
		{"-9223372036854775808", 64, 0x8000000000000000, true}, {"+7", 8, 7, true}, {"256", 8, 0, false},
		{"1_", 32, 0, false}, {"0x", 32, 0, false}, {"--1", 32, 0, false},
	}
	for _, tc := range tests {
		got, err := parseInt(tc.s, tc.bits)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("parseInt(%q, %d) = %#x, %v; want %#x ok=%v", tc.s, tc.bits, got, err, tc.want, tc.ok)
		}
	}
}

// TestOpTable_simd spot-checks the SIMD instructions the parser takes from
// the frontend's table against the numbering of the specification's opcode
// table, with their immediates and alignment.
func TestOpTable_simd(t *testing.T) {
	tests := []struct {
		sub   uint32
		name  string
		imm   immKind
		align uint8
	}{
		{0x00, "v128.load", immMem, 4}, {0x0b, "v128.store", immMem, 4},
		{0x0c, "v128.const", immV128, 0}, {0x0d, "i8x16.shuffle", immShuffle, 0},
		{0x22, "f64x2.replace_lane", immLane, 0}, {0x4d, "v128.not", immNone, 0},
		{0x53, "v128.any_true", immNone, 0}, {0x55, "v128.load16_lane", immMemLane, 1},
		{0x5b, "v128.store64_lane", immMemLane, 3}, {0x5d, "v128.load64_zero", immMem, 3},
		{0x5f, "f64x2.promote_low_f32x4", immNone, 0}, {0x80, "i16x8.abs", immNone, 0},
		{0x9b, "i16x8.avgr_u", immNone, 0}, {0xa0, "i32x4.abs", immNone, 0},
		{0xba, "i32x4.dot_i16x8_s", immNone, 0}, {0xc0, "i64x2.abs", immNone, 0},
		{0xd6, "i64x2.eq", immNone, 0}, {0xdf, "i64x2.extmul_high_i32x4_u", immNone, 0},
		{0xe0, "f32x4.abs", immNone, 0}, {0xec, "f64x2.abs", immNone, 0},
		{0xff, "f64x2.convert_low_i32x4_u", immNone, 0}, {0x100, "i8x16.relaxed_swizzle", immNone, 0},
		{0x113, "i32x4.relaxed_dot_i8x16_i7x16_add_s", immNone, 0},
	}
	for _, tc := range tests {
		got, ok := ops[tc.name]
		code := leb128.AppendUint([]byte{0xFD}, uint64(tc.sub))
		if !ok || string(got.code) != string(code) || got.imm != tc.imm || got.align != tc.align {
			t.Errorf("ops[%q] = % x imm %d align %d (found %v), want % x imm %d align %d",
				tc.name, got.code, got.imm, got.align, ok, code, tc.imm, tc.align)
		}
	}
	n := 0
	for sub, s := range frontend.SIMDOps() {
		n++
		if got := ops[s.Name].code; string(got) != string(leb128.AppendUint([]byte{0xFD}, uint64(sub))) {
			t.Errorf("ops[%q] = % x, want SIMD sub-opcode %#x (a name used twice?)", s.Name, got, sub)
		}
	}
	if n != 256 {
		t.Errorf("frontend.SIMDOps yielded %d instructions, want the 236 of SIMD and 20 relaxed", n)
	}
}

// TestParseScript_commands checks the command structure of a script.
func TestParseScript_commands(t *testing.T) {
	src := `
(module $M (func (export "f") (param i32) (result i32) (local.get 0)))
(module definition $D (memory 1))
(module instance $I $D)
(register "m" $M)
(invoke "f" (i32.const -1))
(assert_return (invoke $M "f" (i32.const 7)) (i32.const 7))
(assert_return (invoke "g") (f32.const nan:canonical) (f64.const nan:arithmetic) (ref.null func) (ref.extern 3) (ref.func) (ref.null) (ref.null none))
(assert_return (invoke "h") (v128.const f32x4 1 nan:canonical -0 inf))
(assert_return (invoke "e") (either (i32.const 1) (i32.const 2)))
(assert_trap (invoke "t") "unreachable")
(assert_trap (module (func $s unreachable) (start $s)) "unreachable")
(assert_exhaustion (invoke "r") "call stack exhausted")
(assert_exception (invoke "x"))
(assert_suspension (invoke "s") "unhandled")
(assert_invalid (module (func (result i32))) "type mismatch")
(assert_malformed (module quote "(func (i32.const 0x))") "unknown operator")
(assert_malformed (module binary "\00asm") "unexpected end")
(assert_unlinkable (module (import "x" "y" (func))) "unknown import")
(get $M "glob")
`
	s, err := ParseScript([]byte(src), "t.wast")
	if err != nil {
		t.Fatal(err)
	}
	types := []string{"module", "module_definition", "module_instance", "register", "action", "assert_return",
		"assert_return", "assert_return", "assert_return", "assert_trap", "assert_uninstantiable", "assert_exhaustion",
		"assert_exception", "assert_suspension", "assert_invalid", "assert_malformed", "assert_malformed",
		"assert_unlinkable", "action"}
	if len(s.Commands) != len(types) {
		t.Fatalf("%d commands, want %d", len(s.Commands), len(types))
	}
	for i, c := range s.Commands {
		if c.Type != types[i] {
			t.Errorf("command %d: type %s, want %s", i, c.Type, types[i])
		}
	}
	c := s.Commands
	if c[0].Name != "$M" || c[0].Line != 2 || c[0].Binary == nil || c[0].ModuleType != "text" {
		t.Errorf("module: %+v", c[0])
	}
	if c[2].Instance != "$I" || c[2].Module != "$D" || c[3].As != "m" || c[3].Name != "$M" {
		t.Errorf("instance/register: %+v %+v", c[2], c[3])
	}
	if a := c[4].Action; a.Type != "invoke" || a.Field != "f" || a.Args[0].Bits != 0xffffffff {
		t.Errorf("action: %+v", a)
	}
	want := []string{"(f32.const nan:canonical)", "(f64.const nan:arithmetic)", "(ref.null func)",
		"(externref 3)", "(funcref non-null)", "(ref.null)", "(ref.null none)"}
	for i, v := range c[6].Expected {
		if v.String() != want[i] {
			t.Errorf("expected %d: %s, want %s", i, v, want[i])
		}
	}
	if v := c[7].Expected[0]; v.LaneType != "f32" || len(v.Lanes) != 4 || v.Lanes[1].NaN != NaNCanonical ||
		v.Lanes[2].Bits != 0x80000000 || v.V128[0:4][3] != 0x3f {
		t.Errorf("v128: %+v", v)
	}
	if len(c[8].Either) != 2 || c[8].Expected != nil {
		t.Errorf("either: %+v", c[8])
	}
	if c[10].Binary == nil || c[10].Line != 12 {
		t.Errorf("uninstantiable: %+v", c[10])
	}
	if c[15].Err == nil || c[15].Quote == "" || c[15].ModuleType != "quote" {
		t.Errorf("quote malformed: %+v", c[15])
	}
	if string(c[16].Binary) != "\x00asm" || c[16].Err != nil {
		t.Errorf("binary malformed: %+v", c[16])
	}
	if c[18].Action.Type != "get" || c[18].Action.Module != "$M" {
		t.Errorf("get: %+v", c[18].Action)
	}
}

// TestParseModuleFile_errors checks that module errors carry the file name.
func TestParseModuleFile_errors(t *testing.T) {
	_, err := ParseModuleFile([]byte("(module\n (func (call $nope)))"), "m.wat")
	if err == nil || err.Error() != "m.wat:2:14: unknown function $nope" {
		t.Errorf("got %v", err)
	}
}

// TestParseScript_errors checks that script errors carry the file name.
func TestParseScript_errors(t *testing.T) {
	_, err := ParseScript([]byte("(module (func))\n(assert_return (invoke \"f\") (i32.const x))"), "a.wast")
	if err == nil || !strings.HasPrefix(err.Error(), "a.wast:2:40:") {
		t.Errorf("got %v, want a.wast:2:40: …", err)
	}
	_, err = ParseScript([]byte("(module (func (bogus)))"), "b.wast")
	if err == nil || !strings.HasPrefix(err.Error(), "b.wast:1:16: unknown operator") {
		t.Errorf("got %v", err)
	}
}

// FuzzParse checks that the text parser never panics.
func FuzzParse(f *testing.F) {
	seeds := []string{
		`(module (func (export "f") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1))))`,
		`(module (type $f (func)) (type $ct (cont $f)) (tag $t) (func (block $l (result (ref $ct)) (resume $ct (on $t $l) (ref.null $ct)) unreachable) drop))`,
		`(module (memory (data "ab")) (table funcref (elem $g)) (func $g (if (i32.const 1) (then) (else nop))))`,
		`(module (rec (type $a (sub (struct (field (mut i8))))) (type (sub final $a (struct (field (mut i8)))))))`,
		`(assert_return (invoke "f" (f32.const nan:0x1)) (v128.const f64x2 nan:canonical -0x1p-1))`,
		`(module quote "(func" ")") (module binary "\00asm\01\00\00\00")`,
		`(func try_table (result i32) (catch_all 0) i32.const 0 end drop)`,
		`(@a (;x;) "y") (module (; ;) ;; z
)`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if s, err := ParseScript(src, "fuzz.wast"); err == nil {
			for _, c := range s.Commands {
				if c.Binary != nil && c.ModuleType != "binary" && c.Err == nil {
					if _, err := frontend.Decode(c.Binary); err != nil && c.ModuleType == "text" {
						// Encodings of text modules must at least be
						// well-framed binary modules.
						t.Fatalf("text module encodes to undecodable binary: %v", err)
					}
				}
			}
		}
		_, _ = ParseModule(src)
	})
}

// BenchmarkParseScript measures parsing a large spec script.
func BenchmarkParseScript(b *testing.B) {
	src, err := os.ReadFile(filepath.Join(testdata, "simd", "core", "simd_const", "simd_const.wast"))
	if err != nil {
		b.Skip(err)
	}
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := ParseScript(src, "simd_const.wast"); err != nil {
			b.Fatal(err)
		}
	}
}

// withoutNames decodes a module and encodes it again without its name
// section (the one $identifiers give a text module).
func withoutNames(t *testing.T, bin []byte) []byte {
	t.Helper()
	m, err := frontend.Decode(bin)
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	dropNames(m)
	out, err := frontend.Encode(m)
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	return out
}

// TestParseModule_funcNames: functions' $identifiers (imported ones too)
// reach the name section, without the $.
func TestParseModule_funcNames(t *testing.T) {
	bin, err := ParseModule([]byte(`(module (import "m" "f" (func $imp)) (func $a) (func) (func $b_2 (export "b")))`))
	if err != nil {
		t.Fatal(err)
	}
	m, err := frontend.Decode(bin)
	if err != nil {
		t.Fatal(err)
	}
	want := map[uint32]string{0: "imp", 1: "a", 3: "b_2"}
	if d := cmp.Diff(want, m.FuncNames); d != "" {
		t.Errorf("function names (-want +got):\n%s", d)
	}
}
