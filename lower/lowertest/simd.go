package lowertest

import "wfxc/ir"

// simdSample adds one value of SIMD op to b, with args of the types the op
// takes: vectors from v128.const, scalars from the sample's params (an f32
// demoted from the f64 one).
func simdSample(b *ir.Block, op ir.Op, i64, i32, f64 *ir.Value) *ir.Value {
	argTypes, result := ir.SIMDSig(op)
	args := make([]*ir.Value, len(argTypes))
	for i, t := range argTypes {
		switch t {
		case ir.V128:
			c := b.NewValueAux(ir.OpV128Const, ir.V128, int64(0x0102030405060708+i))
			c.Aux2 = 0x1112131415161718
			args[i] = c
		case ir.I32:
			args[i] = i32
		case ir.I64:
			args[i] = i64
		case ir.F32:
			args[i] = b.NewValue(ir.OpDemote, ir.F32, f64)
		case ir.F64:
			args[i] = f64
		}
	}
	v := b.NewValue(op, result, args...)
	switch {
	case op == ir.OpV128Const:
		v.Aux, v.Aux2 = 1, 2
	case op == ir.OpI8x16Shuffle:
		v.Aux, v.Aux2 = 0x1f00110210031204, 0x0706050403020100
	case ir.Ops[op].Aux == ir.AuxLane:
		v.Aux = int64(op.Lanes() - 1)
	}
	return v
}
