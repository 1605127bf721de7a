//go:build linux && amd64

package e2e

import (
	"fmt"
	"math/bits"
	"strings"
	"testing"

	"golang.org/x/arch/x86/x86asm"
	"golang.org/x/sys/cpu"

	"wfxc/compile"
	"wfxc/rt"
	"wfxc/rt/abi"
)

// cpuOps are the operations x86-64-v3 lowers differently (lower/x64/bmi.go),
// each a wat body over $x and $y (i64 params, i32 ones wrapped) and its
// value in Go.
var cpuOps = []cpuOp{
	{"ctz32", "(i64.extend_i32_u (i32.ctz (local.get $a)))", func(x, _ uint64) uint64 { return uint64(bits.TrailingZeros32(uint32(x))) }},
	{"clz32", "(i64.extend_i32_u (i32.clz (local.get $a)))", func(x, _ uint64) uint64 { return uint64(bits.LeadingZeros32(uint32(x))) }},
	{"ctz64", "(i64.ctz (local.get $x))", func(x, _ uint64) uint64 { return uint64(bits.TrailingZeros64(x)) }},
	{"clz64", "(i64.clz (local.get $x))", func(x, _ uint64) uint64 { return uint64(bits.LeadingZeros64(x)) }},
	{"blsr32", "(i64.extend_i32_u (i32.and (local.get $a) (i32.sub (local.get $a) (i32.const 1))))", func(x, _ uint64) uint64 { return uint64(uint32(x) & (uint32(x) - 1)) }},
	{"blsr64", "(i64.and (i64.add (local.get $x) (i64.const -1)) (local.get $x))", func(x, _ uint64) uint64 { return x & (x - 1) }},
	{"blsi32", "(i64.extend_i32_u (i32.and (local.get $a) (i32.sub (i32.const 0) (local.get $a))))", func(x, _ uint64) uint64 { return uint64(uint32(x) & -uint32(x)) }},
	{"blsi64", "(i64.and (i64.sub (i64.const 0) (local.get $x)) (local.get $x))", func(x, _ uint64) uint64 { return x & -x }},
	{"andn32", "(i64.extend_i32_u (i32.and (i32.xor (local.get $a) (i32.const -1)) (local.get $b)))", func(x, y uint64) uint64 { return uint64(^uint32(x) & uint32(y)) }},
	{"andn64", "(i64.and (local.get $y) (i64.xor (i64.const -1) (local.get $x)))", func(x, y uint64) uint64 { return ^x & y }},
	{"shl32", "(i64.extend_i32_u (i32.shl (local.get $a) (local.get $b)))", func(x, y uint64) uint64 { return uint64(uint32(x) << (y & 31)) }},
	{"shrs32", "(i64.extend_i32_u (i32.shr_s (local.get $a) (local.get $b)))", func(x, y uint64) uint64 { return uint64(uint32(int32(x) >> (y & 31))) }},
	{"shru32", "(i64.extend_i32_u (i32.shr_u (local.get $a) (local.get $b)))", func(x, y uint64) uint64 { return uint64(uint32(x) >> (y & 31)) }},
	{"shl64", "(i64.shl (local.get $x) (local.get $y))", func(x, y uint64) uint64 { return x << (y & 63) }},
	{"shrs64", "(i64.shr_s (local.get $x) (local.get $y))", func(x, y uint64) uint64 { return uint64(int64(x) >> (y & 63)) }},
	{"shru64", "(i64.shr_u (local.get $x) (local.get $y))", func(x, y uint64) uint64 { return x >> (y & 63) }},
	{"oneshl", "(i64.shl (i64.const 1) (local.get $y))", func(_, y uint64) uint64 { return 1 << (y & 63) }},
	{"shlconst32", "(i64.extend_i32_u (i32.shl (i32.const 0x12345) (local.get $b)))", func(_, y uint64) uint64 { return uint64(uint32(0x12345) << (y & 31)) }},
	{"rotl64", "(i64.rotl (local.get $x) (local.get $y))", func(x, y uint64) uint64 { return bits.RotateLeft64(x, int(y&63)) }},
	// strstr's: the same as a do-while, whose test reads BLSR's flags.
	{"bitloop2", `(block $done
	    (br_if $done (i64.eqz (local.get $x)))
	    (loop $l
	      (local.set $r (i64.add (i64.mul (local.get $r) (i64.const 65)) (i64.ctz (local.get $x))))
	      (br_if $l (i64.ne (local.tee $x (i64.and (local.get $x) (i64.sub (local.get $x) (i64.const 1)))) (i64.const 0)))))
	  (local.get $r)`, func(x, _ uint64) uint64 {
		r := uint64(0)
		for ; x != 0; x &= x - 1 {
			r = r*65 + uint64(bits.TrailingZeros64(x))
		}
		return r
	}},
	{"bitloop32", `(block $done
	    (br_if $done (i32.eqz (local.get $a)))
	    (loop $l
	      (local.set $r (i64.add (i64.mul (local.get $r) (i64.const 33)) (i64.extend_i32_u (i32.ctz (local.get $a)))))
	      (br_if $l (local.tee $a (i32.and (local.get $a) (i32.sub (local.get $a) (i32.const 1)))))))
	  (local.get $r)`, func(x, _ uint64) uint64 {
		r := uint64(0)
		for a := uint32(x); a != 0; a &= a - 1 {
			r = r*33 + uint64(bits.TrailingZeros32(a))
		}
		return r
	}},
	// SIMD binops whose first operand lives on, and single-input shuffles
	// by PSHUFB and PALIGNR: VEX forms with AVX (vex.go); checked
	// against the v2 code (want nil).
	{"simd", `(local.set $v (i64x2.replace_lane 1 (i64x2.splat (local.get $x)) (local.get $y)))
	  (local.set $w (i8x16.shuffle 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 0 (local.get $v) (local.get $v)))
	  (local.set $w (i32x4.add (local.get $w) (i8x16.shuffle 3 1 4 1 5 9 2 6 5 3 5 8 9 7 9 3 (local.get $v) (local.get $v))))
	  (local.set $w (i16x8.sub (local.get $w) (i8x16.min_u (local.get $v) (local.get $w))))
	  (local.set $w (v128.andnot (local.get $w) (i32x4.mul (local.get $v) (local.get $w))))
	  (local.set $w (i8x16.narrow_i16x8_s (local.get $w) (i16x8.avgr_u (local.get $v) (local.get $w))))
	  (local.set $w (f32x4.sub (local.get $w) (f32x4.pmin (local.get $v) (local.get $w))))
	  (i64.xor (i64.xor (i64x2.extract_lane 0 (local.get $w)) (i64x2.extract_lane 1 (local.get $w)))
	    (i64x2.extract_lane 1 (i8x16.swizzle (local.get $v) (local.get $w))))`, nil},
	// memchr's bit loop: the index of every one bit, lowest first.
	{"bitloop", `(block $done (loop $l
	    (br_if $done (i64.eqz (local.get $x)))
	    (local.set $r (i64.add (i64.mul (local.get $r) (i64.const 65)) (i64.ctz (local.get $x))))
	    (local.set $x (i64.and (local.get $x) (i64.sub (local.get $x) (i64.const 1))))
	    (br $l)))
	  (local.get $r)`, func(x, _ uint64) uint64 {
		r := uint64(0)
		for ; x != 0; x &= x - 1 {
			r = r*65 + uint64(bits.TrailingZeros64(x))
		}
		return r
	}},
}

// cpuNonzero are the ops whose ctz runs only where its argument is known
// nonzero (ir.NonzeroAt: below a test of it), which x86-64-v2 lowers to
// TZCNT too (lower/x64/ctz.go), one each.
var cpuNonzero = map[string]bool{"bitloop": true, "bitloop2": true, "bitloop32": true}

type cpuOp struct {
	name, body string
	want       func(x, y uint64) uint64
}

// cpuWat is a module with one export per cpuOps entry, (x, y) -> i64, and
// "pressure": twenty values of the idioms live at once, so that some are
// spilled and the lowerings read and write stack slots. With maybeZero,
// the ops whose ctz is known nonzero are left out.
func cpuWat(maybeZero bool) string {
	var sb strings.Builder
	sb.WriteString("(module\n")
	for _, op := range cpuOps {
		if maybeZero && cpuNonzero[op.name] {
			continue
		}
		fmt.Fprintf(&sb, `  (func (export %q) (param $x i64) (param $y i64) (result i64)
    (local $a i32) (local $b i32) (local $r i64) (local $v v128) (local $w v128)
    (local.set $a (i32.wrap_i64 (local.get $x)))
    (local.set $b (i32.wrap_i64 (local.get $y)))
    %s)
`, op.name, op.body)
	}
	sb.WriteString("  (func (export \"pressure\") (param $x i64) (param $y i64) (result i64)\n   ")
	const n = 20
	for i := 0; i < n; i++ {
		fmt.Fprintf(&sb, " (local $v%d i64)", i)
	}
	sb.WriteString("\n")
	for i := 0; i < n; i++ {
		// v_i = (x+i) & (x+i-1) ^ (~(y+i) & x) ^ ctz(x+i) ^ ((y+i) >> x)
		fmt.Fprintf(&sb, `    (local.set $v%d (i64.xor (i64.xor
      (i64.and (i64.add (local.get $x) (i64.const %d)) (i64.sub (i64.add (local.get $x) (i64.const %d)) (i64.const 1)))
      (i64.and (i64.xor (i64.add (local.get $y) (i64.const %d)) (i64.const -1)) (local.get $x)))
      (i64.xor (i64.ctz (i64.add (local.get $x) (i64.const %d))) (i64.shr_u (i64.add (local.get $y) (i64.const %d)) (local.get $x)))))
`, i, i, i, i, i, i)
	}
	sb.WriteString("    (i64.const 0)\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&sb, "    (i64.add (i64.rotl (local.get $v%d) (i64.const %d)))\n", i, i+1)
	}
	sb.WriteString("    (i64.xor (local.get $x) (local.get $y))\n    (i64.xor))\n")
	// pressure2: twenty values live across the idioms that read them,
	// from their spill slots for the most part.
	sb.WriteString("  (func (export \"pressure2\") (param $x i64) (param $y i64) (result i64)\n   ")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&sb, " (local $v%d i64)", i)
	}
	sb.WriteString(" (local $r i64)\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&sb, "    (local.set $v%d (i64.add (i64.mul (local.get $x) (i64.const %d)) (local.get $y)))\n", i, 2*i+1)
	}
	for i := 0; i < n; i++ {
		fmt.Fprintf(&sb, `    (local.set $r (i64.add (i64.rotl (local.get $r) (i64.const 7)) (i64.xor (i64.xor (i64.xor
      (i64.and (local.get $v%[1]d) (i64.sub (local.get $v%[1]d) (i64.const 1)))
      (i64.and (local.get $v%[1]d) (i64.sub (i64.const 0) (local.get $v%[1]d))))
      (i64.xor (i64.ctz (local.get $v%[1]d)) (i64.clz (local.get $v%[1]d))))
      (i64.xor (i64.and (i64.xor (local.get $v%[1]d) (i64.const -1)) (local.get $y))
        (i64.xor (i64.shr_s (local.get $v%[1]d) (local.get $v%[2]d)) (i64.shl (local.get $x) (local.get $v%[1]d)))))))
`, i, (i+1)%n)
	}
	sb.WriteString("    (local.get $r))\n)\n")
	return sb.String()
}

func pressure2Want(x, y uint64) uint64 {
	var v [20]uint64
	for i := range v {
		v[i] = x*uint64(2*i+1) + y
	}
	r := uint64(0)
	for i, w := range v {
		a := w&(w-1) ^ w&-w ^ uint64(bits.TrailingZeros64(w)) ^ uint64(bits.LeadingZeros64(w))
		b := ^w&y ^ uint64(int64(w)>>(v[(i+1)%20]&63)) ^ x<<(w&63)
		r = bits.RotateLeft64(r, 7) + (a ^ b)
	}
	return r
}

// mnemonics counts the instructions of code by mnemonic.
func mnemonics(code []byte) map[string]int {
	n := map[string]int{}
	for off := 0; off < len(code); {
		inst, err := x86asm.Decode(code[off:], 64)
		if err != nil || inst.Len == 0 {
			off++
			continue
		}
		n[inst.Op.String()]++
		off += inst.Len
	}
	return n
}

func pressureWant(x, y uint64) uint64 {
	s := uint64(0)
	for i := uint64(0); i < 20; i++ {
		xi, yi := x+i, y+i
		v := xi&(xi-1) ^ ^yi&x ^ uint64(bits.TrailingZeros64(xi)) ^ yi>>(x&63)
		s += bits.RotateLeft64(v, int(i+1))
	}
	return s ^ x ^ y
}

// TestCPU_v3 compiles the module for x86-64-v2 and for x86-64-v3: the
// v3 object records BMI1, BMI2, LZCNT and AVX (descriptor version 2) and
// holds TZCNT, LZCNT, BLSR, BLSI, ANDN, SHLX and VEX forms where the v2
// one has none (TZCNT: but for a ctz of a known-nonzero argument, which
// runs as BSF without BMI1), and both compute the Go results (the SIMD op: v2's) for
// edge and random operands. The v3 code runs only on a CPU with those
// features (the test is skipped, saying so, on one without).
func TestCPU_v3(t *testing.T) {
	src := cpuWat(false)
	v2 := compileWat(t, src, compile.Options{Name: "cpu2", CPU: abi.CPUx8664v2})
	v2z := compileWat(t, cpuWat(true), compile.Options{Name: "cpu2z", CPU: abi.CPUx8664v2})
	v3 := compileWat(t, src, compile.Options{Name: "cpu3", CPU: abi.CPUx8664v3})
	if d := v2.Descriptor; d.CPU != 0 || d.Version != abi.DescriptorVersion {
		t.Errorf("v2 descriptor: CPU %v, version %d", d.CPU, d.Version)
	}
	if d := v3.Descriptor; d.CPU != abi.CPUBMI1|abi.CPUBMI2|abi.CPULZCNT|abi.CPUAVX || d.Version != abi.DescriptorVersionCPU {
		t.Errorf("v3 descriptor: CPU %v, version %d", d.CPU, d.Version)
	}
	// The instructions, in the v3 code only (a linear sweep: the literal
	// pools may hide a few, not all of these).
	c2, c3 := mnemonics(v2.Text), mnemonics(v3.Text)
	// TZCNT (F3 0F BC) is in the v2 code only where the ctz's argument is
	// known nonzero: a CPU without BMI1 runs it as BSF (REP BSF), whose
	// result is the same for a nonzero source (gcc emits it so for
	// __builtin_ctz at the baseline), and it is faster than BSF on some
	// (AMD). A ctz that may see zero needs BSF and the CMOV at v2: the
	// module without the known-nonzero ops has no TZCNT there.
	if c2z := mnemonics(v2z.Text); c2z["TZCNT"] != 0 || c2["TZCNT"] > len(cpuNonzero) || c3["TZCNT"] == 0 {
		t.Errorf("TZCNT: %d in the v2 code without known-nonzero ctz, %d in the v2 code (at most %d), %d in the v3 code",
			c2z["TZCNT"], c2["TZCNT"], len(cpuNonzero), c3["TZCNT"])
	}
	for _, op := range []string{"LZCNT", "BLSR", "BLSI", "ANDN", "SHLX", "SHRX", "SARX", "VPSHUFB", "VPALIGNR", "VPADDD", "VPSUBW", "VPANDN", "VPACKSSWB"} {
		if c3[op] == 0 || c2[op] != 0 {
			t.Errorf("%s: %d in the v2 code, %d in the v3 code", op, c2[op], c3[op])
		}
	}
	if c2["BSF"] == 0 || c2["BSR"] == 0 || c3["BSF"] != 0 || c3["BSR"] != 0 {
		t.Errorf("BSF, BSR: %d, %d in the v2 code, %d, %d in the v3 code", c2["BSF"], c2["BSR"], c3["BSF"], c3["BSR"])
	}
	if !cpu.X86.HasBMI1 || !cpu.X86.HasBMI2 || !cpu.X86.HasLZCNT || !cpu.X86.HasAVX {
		t.Skipf("this CPU lacks BMI1 (%v), BMI2 (%v), LZCNT (%v) or AVX (%v): the v3 code cannot run here",
			cpu.X86.HasBMI1, cpu.X86.HasBMI2, cpu.X86.HasLZCNT, cpu.X86.HasAVX)
	}
	vals := []uint64{0, 1, 2, 3, 31, 32, 33, 63, 64, 65, 0x80, 0xff, 0x8000_0000, 0xffff_ffff, 0x1_0000_0000,
		0x8000_0000_0000_0000, 0xffff_ffff_ffff_ffff, 0x7fff_ffff_ffff_ffff, 0xdead_beef_0000_1000, 0x0123_4567_89ab_cdef}
	s := uint64(42)
	for range 40 {
		s = s*6364136223846793005 + 1442695040888963407
		vals = append(vals, s>>(s&63))
	}
	insts := map[string]*rt.Instance{}
	for name, res := range map[string]*compile.Result{"v2": v2, "v3": v3} {
		mod, err := rt.LoadObject(res.Object)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		st := rt.NewStore()
		defer st.Close()
		inst, err := st.Instantiate(mod, nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		insts[name] = inst
	}
	ops := append(cpuOps[:len(cpuOps):len(cpuOps)],
		cpuOp{"pressure", "", pressureWant}, cpuOp{"pressure2", "", pressure2Want})
	for _, op := range ops {
		bad := 0
		for _, x := range vals {
			for _, y := range vals {
				var want uint64
				if op.want != nil {
					want = op.want(x, y)
				} else {
					want = mustCall(t, insts["v2"], op.name, x, y)[0]
				}
				for _, level := range []string{"v2", "v3"} {
					if got := mustCall(t, insts[level], op.name, x, y)[0]; got != want && bad < 5 {
						bad++
						t.Errorf("%s %s(%#x, %#x) = %#x, want %#x", level, op.name, x, y, got, want)
					}
				}
			}
		}
	}
}
