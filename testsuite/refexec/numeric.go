package refexec

// Numeric instructions, one row per opcode: unops and binops map an opcode
// to a function of raw bits (i32 and f32 in the low 32 bits). Traps
// (division, conversion) panic with a *Trap, caught by the call.
//
// NaN rules (https://webassembly.github.io/spec/core/exec/numerics.html#nan-propagation):
// when an arithmetic result is NaN, it is the first NaN operand with the
// quiet bit set, or the positive canonical NaN when no operand is a NaN.
// Non-arithmetic operations (abs, neg, copysign, reinterpret, loads,
// stores) are exact bit operations.

import (
	"math"
	"math/bits"

	"wfxc/frontend"
)

const (
	f32Quiet     = 0x00400000
	f32Canonical = 0x7fc00000
	f64Quiet     = 0x0008000000000000
	f64Canonical = 0x7ff8000000000000
)

func f32bits(x float32) uint64 { return uint64(math.Float32bits(x)) }
func f32of(b uint64) float32   { return math.Float32frombits(uint32(b)) }
func f64of(b uint64) float64   { return math.Float64frombits(b) }
func isNaN32(b uint64) bool    { return uint32(b)&0x7fffffff > 0x7f800000 }
func isNaN64(b uint64) bool    { return b&0x7fffffffffffffff > 0x7ff0000000000000 }

// nan32 applies the NaN rules to result r of operands a, b.
func nan32(r float32, a, b uint64) uint64 {
	if r == r {
		return f32bits(r)
	}
	switch {
	case isNaN32(a):
		return uint64(uint32(a) | f32Quiet)
	case isNaN32(b):
		return uint64(uint32(b) | f32Quiet)
	}
	return f32Canonical
}

func nan64(r float64, a, b uint64) uint64 {
	if r == r {
		return math.Float64bits(r)
	}
	switch {
	case isNaN64(a):
		return a | f64Quiet
	case isNaN64(b):
		return b | f64Quiet
	}
	return f64Canonical
}

func f32op(f func(x, y float32) float32) func(a, b uint64) uint64 {
	return func(a, b uint64) uint64 { return nan32(f(f32of(a), f32of(b)), a, b) }
}

func f64op(f func(x, y float64) float64) func(a, b uint64) uint64 {
	return func(a, b uint64) uint64 { return nan64(f(f64of(a), f64of(b)), a, b) }
}

func f32un(f func(x float64) float64) func(a uint64) uint64 {
	return func(a uint64) uint64 { return nan32(float32(f(float64(f32of(a)))), a, a) }
}

func f64un(f func(x float64) float64) func(a uint64) uint64 {
	return func(a uint64) uint64 { return nan64(f(f64of(a)), a, a) }
}

// fmin and fmax are Wasm's: NaN if either is NaN, -0 < +0.
func fmin(x, y float64) float64 {
	switch {
	case x != x || y != y:
		return math.NaN()
	case x == 0 && y == 0:
		if math.Signbit(x) {
			return x
		}
		return y
	case x < y:
		return x
	}
	return y
}

func fmax(x, y float64) float64 {
	switch {
	case x != x || y != y:
		return math.NaN()
	case x == 0 && y == 0:
		if math.Signbit(x) {
			return y
		}
		return x
	case x > y:
		return x
	}
	return y
}

func b2i(c bool) uint64 {
	if c {
		return 1
	}
	return 0
}

func u32(x uint32) uint64 { return uint64(x) }

// Trap messages.
const (
	trapUnreachable  = "unreachable"
	trapDivZero      = "integer divide by zero"
	trapOverflow     = "integer overflow"
	trapConversion   = "invalid conversion to integer"
	trapMemory       = "out of bounds memory access"
	trapTable        = "out of bounds table access"
	trapUndefined    = "undefined element"
	trapUninit       = "uninitialized element"
	trapIndirectType = "indirect call type mismatch"
	trapNullFunc     = "null function reference"
	trapNullRef      = "null reference"
	trapNullExn      = "null exception reference"
	trapNullCont     = "null continuation reference"
	trapConsumed     = "continuation already consumed"
	trapExhausted    = "call stack exhausted"
	trapHostArity    = "host function returned the wrong number of results"
	trapFuel         = "out of fuel"
)

func trap(msg string) { panic(&Trap{Msg: msg}) }

// trunc converts float x (already truncated toward zero by the caller's
// check) to an integer, trapping unless lo < x < hi.
func truncChecked(x, lo, hi float64) float64 {
	if x != x {
		trap(trapConversion)
	}
	if !(x > lo && x < hi) {
		trap(trapOverflow)
	}
	return math.Trunc(x)
}

// Bounds (exclusive) of the truncating conversions, as float64.
const (
	i32Lo = -2147483649.0
	i32Hi = 2147483648.0
	u32Lo = -1.0
	u32Hi = 4294967296.0
	i64Lo = -9223372036854777856.0 // next float64 below -2^63
	i64Hi = 9223372036854775808.0
	u64Lo = -1.0
	u64Hi = 18446744073709551616.0
)

func truncS32(x float64) uint64 { return u32(uint32(int32(truncChecked(x, i32Lo, i32Hi)))) }
func truncU32(x float64) uint64 { return u32(uint32(truncChecked(x, u32Lo, u32Hi))) }
func truncS64(x float64) uint64 { return uint64(int64(truncChecked(x, i64Lo, i64Hi))) }
func truncU64(x float64) uint64 { return f2u64(truncChecked(x, u64Lo, u64Hi)) }

// f2u64 converts a float64 in [0, 2^64) to uint64 exactly.
func f2u64(x float64) uint64 {
	if x >= 9223372036854775808.0 {
		return uint64(int64(x-9223372036854775808.0)) + 1<<63
	}
	return uint64(int64(x))
}

func satS32(x float64) uint64 {
	switch {
	case x != x:
		return 0
	case x <= i32Lo:
		return 0x80000000
	case x >= i32Hi:
		return u32(math.MaxInt32)
	}
	return u32(uint32(int32(x)))
}

func satU32(x float64) uint64 {
	switch {
	case x != x || x <= u32Lo:
		return 0
	case x >= u32Hi:
		return math.MaxUint32
	}
	return u32(uint32(x))
}

func satS64(x float64) uint64 {
	switch {
	case x != x:
		return 0
	case x <= i64Lo:
		return 1 << 63
	case x >= i64Hi:
		return math.MaxInt64
	}
	return uint64(int64(x))
}

func satU64(x float64) uint64 {
	switch {
	case x != x || x <= u64Lo:
		return 0
	case x >= u64Hi:
		return math.MaxUint64
	}
	return f2u64(math.Trunc(x))
}

// demote and promote convert NaNs as hardware does: sign and the top
// payload bits kept, quiet bit set.
func demote(a uint64) uint64 {
	if isNaN64(a) {
		return uint64(uint32(a>>32)&0x80000000 | f32Canonical | uint32(a>>29)&0x3fffff)
	}
	return f32bits(float32(f64of(a)))
}

func promote(a uint64) uint64 {
	if isNaN32(a) {
		return uint64(uint32(a)&0x80000000)<<32 | f64Canonical | uint64(uint32(a)&0x3fffff)<<29
	}
	return math.Float64bits(float64(f32of(a)))
}

// unops holds the unary numeric instructions (operand bits → result bits).
var unops = map[uint16]func(a uint64) uint64{
	frontend.OpI32Eqz:    func(a uint64) uint64 { return b2i(uint32(a) == 0) },
	frontend.OpI64Eqz:    func(a uint64) uint64 { return b2i(a == 0) },
	frontend.OpI32Clz:    func(a uint64) uint64 { return u32(uint32(bits.LeadingZeros32(uint32(a)))) },
	frontend.OpI32Ctz:    func(a uint64) uint64 { return u32(uint32(bits.TrailingZeros32(uint32(a)))) },
	frontend.OpI32Popcnt: func(a uint64) uint64 { return u32(uint32(bits.OnesCount32(uint32(a)))) },
	frontend.OpI64Clz:    func(a uint64) uint64 { return uint64(bits.LeadingZeros64(a)) },
	frontend.OpI64Ctz:    func(a uint64) uint64 { return uint64(bits.TrailingZeros64(a)) },
	frontend.OpI64Popcnt: func(a uint64) uint64 { return uint64(bits.OnesCount64(a)) },

	frontend.OpF32Abs:        func(a uint64) uint64 { return a & 0x7fffffff },
	frontend.OpF32Neg:        func(a uint64) uint64 { return (a ^ 0x80000000) & 0xffffffff },
	frontend.OpF32Ceil:       f32un(math.Ceil),
	frontend.OpF32Floor:      f32un(math.Floor),
	frontend.OpF32Trunc:      f32un(math.Trunc),
	frontend.OpF32Nearest:    f32un(math.RoundToEven),
	frontend.OpF32Sqrt:       f32un(math.Sqrt), // correctly rounded: 53 ≥ 2·24+2
	frontend.OpF64Abs:        func(a uint64) uint64 { return a &^ (1 << 63) },
	frontend.OpF64Neg:        func(a uint64) uint64 { return a ^ 1<<63 },
	frontend.OpF64Ceil:       f64un(math.Ceil),
	frontend.OpF64Floor:      f64un(math.Floor),
	frontend.OpF64Trunc:      f64un(math.Trunc),
	frontend.OpF64Nearest:    f64un(math.RoundToEven),
	frontend.OpF64Sqrt:       f64un(math.Sqrt),
	frontend.OpI32WrapI64:    func(a uint64) uint64 { return u32(uint32(a)) },
	frontend.OpI64ExtendI32S: func(a uint64) uint64 { return uint64(int64(int32(a))) },
	frontend.OpI64ExtendI32U: func(a uint64) uint64 { return u32(uint32(a)) },

	frontend.OpI32TruncF32S: func(a uint64) uint64 { return truncS32(float64(f32of(a))) },
	frontend.OpI32TruncF32U: func(a uint64) uint64 { return truncU32(float64(f32of(a))) },
	frontend.OpI32TruncF64S: func(a uint64) uint64 { return truncS32(f64of(a)) },
	frontend.OpI32TruncF64U: func(a uint64) uint64 { return truncU32(f64of(a)) },
	frontend.OpI64TruncF32S: func(a uint64) uint64 { return truncS64(float64(f32of(a))) },
	frontend.OpI64TruncF32U: func(a uint64) uint64 { return truncU64(float64(f32of(a))) },
	frontend.OpI64TruncF64S: func(a uint64) uint64 { return truncS64(f64of(a)) },
	frontend.OpI64TruncF64U: func(a uint64) uint64 { return truncU64(f64of(a)) },

	frontend.OpF32ConvertI32S: func(a uint64) uint64 { return f32bits(float32(int32(a))) },
	frontend.OpF32ConvertI32U: func(a uint64) uint64 { return f32bits(float32(uint32(a))) },
	frontend.OpF32ConvertI64S: func(a uint64) uint64 { return f32bits(float32(int64(a))) },
	frontend.OpF32ConvertI64U: func(a uint64) uint64 { return f32bits(float32(a)) },
	frontend.OpF32DemoteF64:   demote,
	frontend.OpF64ConvertI32S: func(a uint64) uint64 { return math.Float64bits(float64(int32(a))) },
	frontend.OpF64ConvertI32U: func(a uint64) uint64 { return math.Float64bits(float64(uint32(a))) },
	frontend.OpF64ConvertI64S: func(a uint64) uint64 { return math.Float64bits(float64(int64(a))) },
	frontend.OpF64ConvertI64U: func(a uint64) uint64 { return math.Float64bits(float64(a)) },
	frontend.OpF64PromoteF32:  promote,

	frontend.OpI32ReinterpretF32: func(a uint64) uint64 { return a },
	frontend.OpI64ReinterpretF64: func(a uint64) uint64 { return a },
	frontend.OpF32ReinterpretI32: func(a uint64) uint64 { return a },
	frontend.OpF64ReinterpretI64: func(a uint64) uint64 { return a },

	frontend.OpI32Extend8S:  func(a uint64) uint64 { return u32(uint32(int32(int8(a)))) },
	frontend.OpI32Extend16S: func(a uint64) uint64 { return u32(uint32(int32(int16(a)))) },
	frontend.OpI64Extend8S:  func(a uint64) uint64 { return uint64(int64(int8(a))) },
	frontend.OpI64Extend16S: func(a uint64) uint64 { return uint64(int64(int16(a))) },
	frontend.OpI64Extend32S: func(a uint64) uint64 { return uint64(int64(int32(a))) },

	opMisc + frontend.MiscI32TruncSatF32S: func(a uint64) uint64 { return satS32(float64(f32of(a))) },
	opMisc + frontend.MiscI32TruncSatF32U: func(a uint64) uint64 { return satU32(float64(f32of(a))) },
	opMisc + frontend.MiscI32TruncSatF64S: func(a uint64) uint64 { return satS32(f64of(a)) },
	opMisc + frontend.MiscI32TruncSatF64U: func(a uint64) uint64 { return satU32(f64of(a)) },
	opMisc + frontend.MiscI64TruncSatF32S: func(a uint64) uint64 { return satS64(float64(f32of(a))) },
	opMisc + frontend.MiscI64TruncSatF32U: func(a uint64) uint64 { return satU64(float64(f32of(a))) },
	opMisc + frontend.MiscI64TruncSatF64S: func(a uint64) uint64 { return satS64(f64of(a)) },
	opMisc + frontend.MiscI64TruncSatF64U: func(a uint64) uint64 { return satU64(f64of(a)) },
}

func divS32(a, b uint64) uint64 {
	x, y := int32(a), int32(b)
	if y == 0 {
		trap(trapDivZero)
	}
	if x == math.MinInt32 && y == -1 {
		trap(trapOverflow)
	}
	return u32(uint32(x / y))
}

func remS32(a, b uint64) uint64 {
	x, y := int32(a), int32(b)
	if y == 0 {
		trap(trapDivZero)
	}
	if y == -1 {
		return 0
	}
	return u32(uint32(x % y))
}

func divS64(a, b uint64) uint64 {
	x, y := int64(a), int64(b)
	if y == 0 {
		trap(trapDivZero)
	}
	if x == math.MinInt64 && y == -1 {
		trap(trapOverflow)
	}
	return uint64(x / y)
}

func remS64(a, b uint64) uint64 {
	x, y := int64(a), int64(b)
	if y == 0 {
		trap(trapDivZero)
	}
	if y == -1 {
		return 0
	}
	return uint64(x % y)
}

func copysign32(a, b uint64) uint64 { return a&0x7fffffff | b&0x80000000 }
func copysign64(a, b uint64) uint64 { return a&^(1<<63) | b&(1<<63) }

// binops holds the binary numeric instructions (first operand a, second b).
var binops = map[uint16]func(a, b uint64) uint64{
	frontend.OpI32Eq:  func(a, b uint64) uint64 { return b2i(uint32(a) == uint32(b)) },
	frontend.OpI32Ne:  func(a, b uint64) uint64 { return b2i(uint32(a) != uint32(b)) },
	frontend.OpI32LtS: func(a, b uint64) uint64 { return b2i(int32(a) < int32(b)) },
	frontend.OpI32LtU: func(a, b uint64) uint64 { return b2i(uint32(a) < uint32(b)) },
	frontend.OpI32GtS: func(a, b uint64) uint64 { return b2i(int32(a) > int32(b)) },
	frontend.OpI32GtU: func(a, b uint64) uint64 { return b2i(uint32(a) > uint32(b)) },
	frontend.OpI32LeS: func(a, b uint64) uint64 { return b2i(int32(a) <= int32(b)) },
	frontend.OpI32LeU: func(a, b uint64) uint64 { return b2i(uint32(a) <= uint32(b)) },
	frontend.OpI32GeS: func(a, b uint64) uint64 { return b2i(int32(a) >= int32(b)) },
	frontend.OpI32GeU: func(a, b uint64) uint64 { return b2i(uint32(a) >= uint32(b)) },
	frontend.OpI64Eq:  func(a, b uint64) uint64 { return b2i(a == b) },
	frontend.OpI64Ne:  func(a, b uint64) uint64 { return b2i(a != b) },
	frontend.OpI64LtS: func(a, b uint64) uint64 { return b2i(int64(a) < int64(b)) },
	frontend.OpI64LtU: func(a, b uint64) uint64 { return b2i(a < b) },
	frontend.OpI64GtS: func(a, b uint64) uint64 { return b2i(int64(a) > int64(b)) },
	frontend.OpI64GtU: func(a, b uint64) uint64 { return b2i(a > b) },
	frontend.OpI64LeS: func(a, b uint64) uint64 { return b2i(int64(a) <= int64(b)) },
	frontend.OpI64LeU: func(a, b uint64) uint64 { return b2i(a <= b) },
	frontend.OpI64GeS: func(a, b uint64) uint64 { return b2i(int64(a) >= int64(b)) },
	frontend.OpI64GeU: func(a, b uint64) uint64 { return b2i(a >= b) },
	frontend.OpF32Eq:  func(a, b uint64) uint64 { return b2i(f32of(a) == f32of(b)) },
	frontend.OpF32Ne:  func(a, b uint64) uint64 { return b2i(f32of(a) != f32of(b)) },
	frontend.OpF32Lt:  func(a, b uint64) uint64 { return b2i(f32of(a) < f32of(b)) },
	frontend.OpF32Gt:  func(a, b uint64) uint64 { return b2i(f32of(a) > f32of(b)) },
	frontend.OpF32Le:  func(a, b uint64) uint64 { return b2i(f32of(a) <= f32of(b)) },
	frontend.OpF32Ge:  func(a, b uint64) uint64 { return b2i(f32of(a) >= f32of(b)) },
	frontend.OpF64Eq:  func(a, b uint64) uint64 { return b2i(f64of(a) == f64of(b)) },
	frontend.OpF64Ne:  func(a, b uint64) uint64 { return b2i(f64of(a) != f64of(b)) },
	frontend.OpF64Lt:  func(a, b uint64) uint64 { return b2i(f64of(a) < f64of(b)) },
	frontend.OpF64Gt:  func(a, b uint64) uint64 { return b2i(f64of(a) > f64of(b)) },
	frontend.OpF64Le:  func(a, b uint64) uint64 { return b2i(f64of(a) <= f64of(b)) },
	frontend.OpF64Ge:  func(a, b uint64) uint64 { return b2i(f64of(a) >= f64of(b)) },

	frontend.OpI32Add:  func(a, b uint64) uint64 { return u32(uint32(a) + uint32(b)) },
	frontend.OpI32Sub:  func(a, b uint64) uint64 { return u32(uint32(a) - uint32(b)) },
	frontend.OpI32Mul:  func(a, b uint64) uint64 { return u32(uint32(a) * uint32(b)) },
	frontend.OpI32DivS: divS32,
	frontend.OpI32DivU: func(a, b uint64) uint64 {
		if uint32(b) == 0 {
			trap(trapDivZero)
		}
		return u32(uint32(a) / uint32(b))
	},
	frontend.OpI32RemS: remS32,
	frontend.OpI32RemU: func(a, b uint64) uint64 {
		if uint32(b) == 0 {
			trap(trapDivZero)
		}
		return u32(uint32(a) % uint32(b))
	},
	frontend.OpI32And:  func(a, b uint64) uint64 { return u32(uint32(a) & uint32(b)) },
	frontend.OpI32Or:   func(a, b uint64) uint64 { return u32(uint32(a) | uint32(b)) },
	frontend.OpI32Xor:  func(a, b uint64) uint64 { return u32(uint32(a) ^ uint32(b)) },
	frontend.OpI32Shl:  func(a, b uint64) uint64 { return u32(uint32(a) << (b & 31)) },
	frontend.OpI32ShrS: func(a, b uint64) uint64 { return u32(uint32(int32(a) >> (b & 31))) },
	frontend.OpI32ShrU: func(a, b uint64) uint64 { return u32(uint32(a) >> (b & 31)) },
	frontend.OpI32Rotl: func(a, b uint64) uint64 { return u32(bits.RotateLeft32(uint32(a), int(b&31))) },
	frontend.OpI32Rotr: func(a, b uint64) uint64 { return u32(bits.RotateLeft32(uint32(a), -int(b&31))) },
	frontend.OpI64Add:  func(a, b uint64) uint64 { return a + b },
	frontend.OpI64Sub:  func(a, b uint64) uint64 { return a - b },
	frontend.OpI64Mul:  func(a, b uint64) uint64 { return a * b },
	frontend.OpI64DivS: divS64,
	frontend.OpI64DivU: func(a, b uint64) uint64 {
		if b == 0 {
			trap(trapDivZero)
		}
		return a / b
	},
	frontend.OpI64RemS: remS64,
	frontend.OpI64RemU: func(a, b uint64) uint64 {
		if b == 0 {
			trap(trapDivZero)
		}
		return a % b
	},
	frontend.OpI64And:  func(a, b uint64) uint64 { return a & b },
	frontend.OpI64Or:   func(a, b uint64) uint64 { return a | b },
	frontend.OpI64Xor:  func(a, b uint64) uint64 { return a ^ b },
	frontend.OpI64Shl:  func(a, b uint64) uint64 { return a << (b & 63) },
	frontend.OpI64ShrS: func(a, b uint64) uint64 { return uint64(int64(a) >> (b & 63)) },
	frontend.OpI64ShrU: func(a, b uint64) uint64 { return a >> (b & 63) },
	frontend.OpI64Rotl: func(a, b uint64) uint64 { return bits.RotateLeft64(a, int(b&63)) },
	frontend.OpI64Rotr: func(a, b uint64) uint64 { return bits.RotateLeft64(a, -int(b&63)) },

	frontend.OpF32Add:      f32op(func(x, y float32) float32 { return x + y }),
	frontend.OpF32Sub:      f32op(func(x, y float32) float32 { return x - y }),
	frontend.OpF32Mul:      f32op(func(x, y float32) float32 { return x * y }),
	frontend.OpF32Div:      f32op(func(x, y float32) float32 { return x / y }),
	frontend.OpF32Min:      f32op(func(x, y float32) float32 { return float32(fmin(float64(x), float64(y))) }),
	frontend.OpF32Max:      f32op(func(x, y float32) float32 { return float32(fmax(float64(x), float64(y))) }),
	frontend.OpF32Copysign: copysign32,
	frontend.OpF64Add:      f64op(func(x, y float64) float64 { return x + y }),
	frontend.OpF64Sub:      f64op(func(x, y float64) float64 { return x - y }),
	frontend.OpF64Mul:      f64op(func(x, y float64) float64 { return x * y }),
	frontend.OpF64Div:      f64op(func(x, y float64) float64 { return x / y }),
	frontend.OpF64Min:      f64op(fmin),
	frontend.OpF64Max:      f64op(fmax),
	frontend.OpF64Copysign: copysign64,
}
