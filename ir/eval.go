package ir

// Evaluation of the machine-independent ops on constant bits, with exact
// Wasm semantics (https://webassembly.github.io/spec/core/exec/numerics.html).
// The interpreter (ir/interp) runs every arithmetic op through Eval and
// constant folding (constfold.go) folds with it, so both agree by
// construction.
//
// Representation: a value of type t is a uint64 holding its bits; i32 and
// f32 use the low 32 bits and keep the high 32 bits zero. Eval masks its
// inputs to their width, so callers may pass sign-extended i32 constants.
//
// NaNs: where Wasm lets an op return any arithmetic NaN, Eval returns what
// the host's IEEE operation returns (Go float arithmetic); fmin and fmax
// return the canonical NaN. Tests compare NaN results by class, not bits.
//
//	Eval(OpAdd, I32, I32, 0, []uint64{0xffffffff, 2})  → 1
//	Eval(OpDivS, I32, I32, 0, []uint64{0x80000000, 0xffffffff}) → trap int_overflow

import (
	"math"
	"math/bits"

	"wfxc/rt/abi"
)

const (
	f32Sign     = 1 << 31
	f64Sign     = 1 << 63
	f32CanonNaN = 0x7fc00000
	f64CanonNaN = 0x7ff8000000000000
)

// Evaluable reports whether Eval computes op: every op whose result depends
// only on its args and Aux (no memory, instance state, phis or calls).
func Evaluable(op Op) bool {
	switch op {
	case OpInvalid, OpParam, OpVMCtx, OpPhi, OpResult, OpPoll, OpStackSwitch,
		OpLoad, OpLoad8S, OpLoad8U, OpLoad16S, OpLoad16U, OpLoad32S, OpLoad32U,
		OpStore, OpStore8, OpStore16, OpStore32, OpMemorySize,
		OpGlobalGet, OpGlobalSet, OpCall, OpCallImport,
		OpRefFunc, OpRefAsNonNull, OpTableGet, OpTableGetFunc, OpTableSet, OpTableSetFunc,
		OpTableSize, OpFuncTypeCheck, OpCallRef, OpLibcall, OpTrapNZ, OpFuelCheck, OpThrow, OpLandingArg,
		OpECtx, OpLoadRaw, OpStoreRaw, OpFrameArea, OpFuncAddr, OpContMake, OpContPtr, OpContRev, OpFibreRoot:
		return false
	}
	return op < NumOps
}

// mask returns the bit mask of a value of type t.
func mask(t Type) uint64 {
	if t == I32 || t == F32 {
		return math.MaxUint32
	}
	return math.MaxUint64
}

// Eval computes op (with result type t, Aux aux, and args of which the
// first has type argT) on the arg bits a. It returns the result bits, or a
// non-zero abi trap code if the op traps. ok is false if Eval does not
// handle op (see Evaluable) or the types are not ones the op accepts.
func Eval(op Op, t, argT Type, aux int64, a []uint64) (res uint64, trap int64, ok bool) {
	if !Evaluable(op) || len(a) < max(Ops[op].Args, 0) {
		return 0, 0, false
	}
	m := mask(t)
	in := make([]uint64, len(a)) // masked inputs: every arg has argT's width except select's
	for i := range a {
		in[i] = a[i] & mask(argT)
	}
	w := uint64(64)
	if t == I32 {
		w = 32
	}
	switch op {
	case OpConst:
		return uint64(aux) & m, 0, true
	case OpCopy:
		return in[0] & m, 0, true
	case OpSelect:
		if a[0]&math.MaxUint32 != 0 {
			return a[1] & m, 0, true
		}
		return a[2] & m, 0, true
	}

	if t.IsInt() && argT == t { // i32/i64 → same type
		x, y := in[0], uint64(0)
		if len(in) > 1 {
			y = in[1]
		}
		sx, sy := signed(x, t), signed(y, t)
		switch op {
		case OpAdd:
			return (x + y) & m, 0, true
		case OpSub:
			return (x - y) & m, 0, true
		case OpMul:
			return (x * y) & m, 0, true
		case OpDivS:
			if y == 0 {
				return 0, abi.TrapIntDivByZero, true
			}
			if sy == -1 && sx == minSigned(t) {
				return 0, abi.TrapIntOverflow, true
			}
			return uint64(sx/sy) & m, 0, true
		case OpDivU:
			if y == 0 {
				return 0, abi.TrapIntDivByZero, true
			}
			return x / y, 0, true
		case OpRemS:
			if y == 0 {
				return 0, abi.TrapIntDivByZero, true
			}
			if sy == -1 {
				return 0, 0, true
			}
			return uint64(sx%sy) & m, 0, true
		case OpRemU:
			if y == 0 {
				return 0, abi.TrapIntDivByZero, true
			}
			return x % y, 0, true
		case OpAnd:
			return x & y, 0, true
		case OpOr:
			return x | y, 0, true
		case OpXor:
			return x ^ y, 0, true
		case OpShl:
			return (x << (y % w)) & m, 0, true
		case OpShrS:
			return uint64(sx>>(y%w)) & m, 0, true
		case OpShrU:
			return x >> (y % w), 0, true
		case OpRotl, OpRotr:
			k := int(y % w)
			if op == OpRotr {
				k = -k
			}
			if t == I32 {
				return uint64(bits.RotateLeft32(uint32(x), k)), 0, true
			}
			return bits.RotateLeft64(x, k), 0, true
		case OpClz:
			if t == I32 {
				return uint64(bits.LeadingZeros32(uint32(x))), 0, true
			}
			return uint64(bits.LeadingZeros64(x)), 0, true
		case OpCtz:
			if t == I32 {
				return uint64(bits.TrailingZeros32(uint32(x))), 0, true
			}
			return uint64(bits.TrailingZeros64(x)), 0, true
		case OpPopcnt:
			return uint64(bits.OnesCount64(x)), 0, true
		case OpSignExt8:
			return uint64(int64(int8(x))) & m, 0, true
		case OpSignExt16:
			return uint64(int64(int16(x))) & m, 0, true
		case OpSignExt32:
			if t == I64 {
				return uint64(int64(int32(x))), 0, true
			}
		}
	}

	if t == I32 && (argT.IsInt() || argT == Ref) {
		switch op {
		case OpEqz:
			return b2u(in[0] == 0), 0, true
		case OpICmp:
			if len(in) < 2 {
				return 0, 0, false
			}
			return icmp(Cond(aux), in[0], in[1], argT)
		case OpWrap:
			if argT == I64 {
				return in[0] & math.MaxUint32, 0, true
			}
		}
	}
	if t == I64 && argT == I32 {
		switch op {
		case OpExtendS:
			return uint64(int64(int32(in[0]))), 0, true
		case OpExtendU:
			return in[0], 0, true
		}
	}

	if t.IsFloat() && argT == t {
		return evalFloat(op, t, in)
	}
	if t == I32 && argT.IsFloat() && op == OpFCmp && len(in) == 2 {
		return fcmp(Cond(aux), toF64(in[0], argT), toF64(in[1], argT))
	}
	if t.IsInt() && argT.IsFloat() {
		switch op {
		case OpTruncS, OpTruncU:
			return truncate(toF64(in[0], argT), t, op == OpTruncS)
		case OpTruncSatS, OpTruncSatU:
			return truncateSat(toF64(in[0], argT), t, op == OpTruncSatS), 0, true
		}
	}
	if t.IsFloat() && argT.IsInt() {
		switch op {
		case OpConvertS:
			if t == F32 {
				return uint64(math.Float32bits(float32(signed(in[0], argT)))), 0, true
			}
			return math.Float64bits(float64(signed(in[0], argT))), 0, true
		case OpConvertU:
			if t == F32 {
				return uint64(math.Float32bits(float32(in[0]))), 0, true
			}
			return math.Float64bits(float64(in[0])), 0, true
		}
	}
	switch {
	case op == OpPromote && t == F64 && argT == F32:
		return math.Float64bits(float64(math.Float32frombits(uint32(in[0])))), 0, true
	case op == OpDemote && t == F32 && argT == F64:
		return uint64(math.Float32bits(float32(math.Float64frombits(in[0])))), 0, true
	case op == OpReinterpret && t.Size() == argT.Size() && t != argT:
		return in[0] & m, 0, true
	}
	return 0, 0, false
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// signed interprets the bits x of an i32 or i64 as a signed number.
func signed(x uint64, t Type) int64 {
	if t == I32 {
		return int64(int32(x))
	}
	return int64(x)
}

func minSigned(t Type) int64 {
	if t == I32 {
		return math.MinInt32
	}
	return math.MinInt64
}

func icmp(c Cond, x, y uint64, t Type) (uint64, int64, bool) {
	sx, sy := signed(x, t), signed(y, t)
	var r bool
	switch c {
	case CondEq:
		r = x == y
	case CondNe:
		r = x != y
	case CondLtS:
		r = sx < sy
	case CondLtU:
		r = x < y
	case CondGtS:
		r = sx > sy
	case CondGtU:
		r = x > y
	case CondLeS:
		r = sx <= sy
	case CondLeU:
		r = x <= y
	case CondGeS:
		r = sx >= sy
	case CondGeU:
		r = x >= y
	default:
		return 0, 0, false
	}
	return b2u(r), 0, true
}

func fcmp(c Cond, x, y float64) (uint64, int64, bool) {
	var r bool
	switch c {
	case CondEq:
		r = x == y
	case CondNe:
		r = x != y
	case CondLt:
		r = x < y
	case CondGt:
		r = x > y
	case CondLe:
		r = x <= y
	case CondGe:
		r = x >= y
	default:
		return 0, 0, false
	}
	return b2u(r), 0, true
}

// toF64 converts float bits of type t to a float64 (exactly).
func toF64(x uint64, t Type) float64 {
	if t == F32 {
		return float64(math.Float32frombits(uint32(x)))
	}
	return math.Float64frombits(x)
}

// fromF64 rounds x to type t and returns its bits.
func fromF64(x float64, t Type) uint64 {
	if t == F32 {
		return uint64(math.Float32bits(float32(x)))
	}
	return math.Float64bits(x)
}

func evalFloat(op Op, t Type, in []uint64) (uint64, int64, bool) {
	sign, canon, quiet := uint64(f64Sign), uint64(f64CanonNaN), uint64(1)<<51
	if t == F32 {
		sign, canon, quiet = f32Sign, f32CanonNaN, 1<<22
	}
	x := in[0]
	var y uint64
	if len(in) > 1 {
		y = in[1]
	}
	// Bit-level ops first: they are exact for NaNs too.
	switch op {
	case OpFAbs:
		return x &^ sign, 0, true
	case OpFNeg:
		return x ^ sign, 0, true
	case OpFCopysign:
		return x&^sign | y&sign, 0, true
	}
	if r, ok := evalRounded(op, t, x, y); ok {
		return r, 0, true
	}
	fx, fy := toF64(x, t), toF64(y, t)
	switch op {
	case OpFMin, OpFMax:
		if fx != fx || fy != fy {
			return canon, 0, true
		}
		if fx == fy { // equal, maybe zeros of different sign
			if op == OpFMin {
				return x | y, 0, true // -0 wins
			}
			return x & y, 0, true // +0 wins
		}
		if (fx < fy) == (op == OpFMin) {
			return x, 0, true
		}
		return y, 0, true
	case OpFCeil, OpFFloor, OpFTrunc, OpFNearest:
		if fx != fx {
			// An arithmetic NaN: quiet the input, whatever the host's
			// rounding functions would do with a signalling one.
			return x | quiet, 0, true
		}
		var r float64
		switch op {
		case OpFCeil:
			r = math.Ceil(fx)
		case OpFFloor:
			r = math.Floor(fx)
		case OpFTrunc:
			r = math.Trunc(fx)
		default:
			r = math.RoundToEven(fx)
		}
		return fromF64(r, t), 0, true
	}
	return 0, 0, false
}

// evalRounded computes the ops that round once to t's precision.
func evalRounded(op Op, t Type, x, y uint64) (uint64, bool) {
	if t == F32 {
		// Operations on float32 operands round once, to float32.
		fx, fy := math.Float32frombits(uint32(x)), math.Float32frombits(uint32(y))
		var r float32
		switch op {
		case OpFAdd:
			r = fx + fy
		case OpFSub:
			r = fx - fy
		case OpFMul:
			r = fx * fy
		case OpFDiv:
			r = fx / fy
		case OpFSqrt:
			r = float32(math.Sqrt(float64(fx))) // double rounding is exact for sqrt
		default:
			return 0, false
		}
		return uint64(math.Float32bits(r)), true
	}
	fx, fy := math.Float64frombits(x), math.Float64frombits(y)
	var r float64
	switch op {
	case OpFAdd:
		r = fx + fy
	case OpFSub:
		r = fx - fy
	case OpFMul:
		r = fx * fy
	case OpFDiv:
		r = fx / fy
	case OpFSqrt:
		r = math.Sqrt(fx)
	default:
		return 0, false
	}
	return math.Float64bits(r), true
}

// truncate converts x toward zero to an integer of type t, trapping on NaN
// and on results out of range.
func truncate(x float64, t Type, isSigned bool) (uint64, int64, bool) {
	if x != x {
		return 0, abi.TrapInvalidConversion, true
	}
	r := math.Trunc(x)
	switch {
	case isSigned && t == I32:
		if r < math.MinInt32 || r > math.MaxInt32 {
			return 0, abi.TrapIntOverflow, true
		}
		return uint64(uint32(int32(r))), 0, true
	case isSigned:
		if r < math.MinInt64 || r >= 1<<63 {
			return 0, abi.TrapIntOverflow, true
		}
		return uint64(int64(r)), 0, true
	case t == I32:
		if r <= -1 || r > math.MaxUint32 {
			return 0, abi.TrapIntOverflow, true
		}
		return uint64(uint32(r)), 0, true
	default:
		if r <= -1 || r >= 1<<64 {
			return 0, abi.TrapIntOverflow, true
		}
		return f64ToU64(r), 0, true
	}
}

// truncateSat is truncate with saturation instead of traps (NaN → 0).
func truncateSat(x float64, t Type, isSigned bool) uint64 {
	if x != x {
		return 0
	}
	r := math.Trunc(x)
	switch {
	case isSigned && t == I32:
		return uint64(uint32(int32(max(min(r, math.MaxInt32), math.MinInt32))))
	case isSigned:
		if r >= 1<<63 {
			return math.MaxInt64
		}
		if r < math.MinInt64 {
			return 1 << 63
		}
		return uint64(int64(r))
	case t == I32:
		return uint64(uint32(max(min(r, math.MaxUint32), 0)))
	default:
		if r >= 1<<64 {
			return math.MaxUint64
		}
		if r <= 0 {
			return 0
		}
		return f64ToU64(r)
	}
}

// f64ToU64 converts an integral r in [0, 2^64) to uint64.
func f64ToU64(r float64) uint64 {
	if r >= 1<<63 {
		return uint64(r-(1<<63)) | 1<<63
	}
	return uint64(r)
}
