package ir

import "fmt"

// SIMD ops: 128-bit vectors (fixed-width SIMD and relaxed SIMD). Each op
// computes exactly what the Wasm instruction of the same name does
// (https://webassembly.github.io/spec/core/exec/instructions.html#vector-instructions);
// relaxed ops compute one of the results the relaxed-SIMD proposal allows,
// the same one in every back end and in Eval (simd_eval.go says which).
// Vector values have Type V128; lane ops keep the lane in Aux (AuxLane);
// extract_lane's result and splat's and replace_lane's scalar arg have the
// lane's scalar type (i32 for i8 and i16 lanes). Memory accesses are not
// SIMD ops: the translator builds them from load/store (full v128 width)
// and the scalar loads and stores with splat, replace_lane, extract_lane
// and the extend ops (frontend translate_simd.go).

// The SIMD ops, a contiguous block of the op space from OpSIMDFirst.
const (
	OpV128Const                     Op = OpSIMDFirst + iota // v128.const: the 16 bytes Aux (low 8) and Aux2 (high 8)
	OpI8x16Shuffle                                          // i8x16.shuffle: lanes of arg0:arg1 picked by the 16 lane indices < 32 in the bytes of Aux (lanes 0-7) and Aux2 (8-15)
	OpI8x16Swizzle                                          // i8x16.swizzle: of arg0, arg1
	OpI8x16Splat                                            // i8x16.splat: scalar arg0 in every lane
	OpI16x8Splat                                            // i16x8.splat: scalar arg0 in every lane
	OpI32x4Splat                                            // i32x4.splat: scalar arg0 in every lane
	OpI64x2Splat                                            // i64x2.splat: scalar arg0 in every lane
	OpF32x4Splat                                            // f32x4.splat: scalar arg0 in every lane
	OpF64x2Splat                                            // f64x2.splat: scalar arg0 in every lane
	OpI8x16ExtractLaneS                                     // i8x16.extract_lane_s: lane Aux of arg0, as a scalar
	OpI8x16ExtractLaneU                                     // i8x16.extract_lane_u: lane Aux of arg0, as a scalar
	OpI8x16ReplaceLane                                      // i8x16.replace_lane: arg0 with lane Aux replaced by scalar arg1
	OpI16x8ExtractLaneS                                     // i16x8.extract_lane_s: lane Aux of arg0, as a scalar
	OpI16x8ExtractLaneU                                     // i16x8.extract_lane_u: lane Aux of arg0, as a scalar
	OpI16x8ReplaceLane                                      // i16x8.replace_lane: arg0 with lane Aux replaced by scalar arg1
	OpI32x4ExtractLane                                      // i32x4.extract_lane: lane Aux of arg0, as a scalar
	OpI32x4ReplaceLane                                      // i32x4.replace_lane: arg0 with lane Aux replaced by scalar arg1
	OpI64x2ExtractLane                                      // i64x2.extract_lane: lane Aux of arg0, as a scalar
	OpI64x2ReplaceLane                                      // i64x2.replace_lane: arg0 with lane Aux replaced by scalar arg1
	OpF32x4ExtractLane                                      // f32x4.extract_lane: lane Aux of arg0, as a scalar
	OpF32x4ReplaceLane                                      // f32x4.replace_lane: arg0 with lane Aux replaced by scalar arg1
	OpF64x2ExtractLane                                      // f64x2.extract_lane: lane Aux of arg0, as a scalar
	OpF64x2ReplaceLane                                      // f64x2.replace_lane: arg0 with lane Aux replaced by scalar arg1
	OpI8x16Eq                                               // i8x16.eq: of arg0, arg1
	OpI8x16Ne                                               // i8x16.ne: of arg0, arg1
	OpI8x16LtS                                              // i8x16.lt_s: of arg0, arg1
	OpI8x16LtU                                              // i8x16.lt_u: of arg0, arg1
	OpI8x16GtS                                              // i8x16.gt_s: of arg0, arg1
	OpI8x16GtU                                              // i8x16.gt_u: of arg0, arg1
	OpI8x16LeS                                              // i8x16.le_s: of arg0, arg1
	OpI8x16LeU                                              // i8x16.le_u: of arg0, arg1
	OpI8x16GeS                                              // i8x16.ge_s: of arg0, arg1
	OpI8x16GeU                                              // i8x16.ge_u: of arg0, arg1
	OpI16x8Eq                                               // i16x8.eq: of arg0, arg1
	OpI16x8Ne                                               // i16x8.ne: of arg0, arg1
	OpI16x8LtS                                              // i16x8.lt_s: of arg0, arg1
	OpI16x8LtU                                              // i16x8.lt_u: of arg0, arg1
	OpI16x8GtS                                              // i16x8.gt_s: of arg0, arg1
	OpI16x8GtU                                              // i16x8.gt_u: of arg0, arg1
	OpI16x8LeS                                              // i16x8.le_s: of arg0, arg1
	OpI16x8LeU                                              // i16x8.le_u: of arg0, arg1
	OpI16x8GeS                                              // i16x8.ge_s: of arg0, arg1
	OpI16x8GeU                                              // i16x8.ge_u: of arg0, arg1
	OpI32x4Eq                                               // i32x4.eq: of arg0, arg1
	OpI32x4Ne                                               // i32x4.ne: of arg0, arg1
	OpI32x4LtS                                              // i32x4.lt_s: of arg0, arg1
	OpI32x4LtU                                              // i32x4.lt_u: of arg0, arg1
	OpI32x4GtS                                              // i32x4.gt_s: of arg0, arg1
	OpI32x4GtU                                              // i32x4.gt_u: of arg0, arg1
	OpI32x4LeS                                              // i32x4.le_s: of arg0, arg1
	OpI32x4LeU                                              // i32x4.le_u: of arg0, arg1
	OpI32x4GeS                                              // i32x4.ge_s: of arg0, arg1
	OpI32x4GeU                                              // i32x4.ge_u: of arg0, arg1
	OpF32x4Eq                                               // f32x4.eq: of arg0, arg1
	OpF32x4Ne                                               // f32x4.ne: of arg0, arg1
	OpF32x4Lt                                               // f32x4.lt: of arg0, arg1
	OpF32x4Gt                                               // f32x4.gt: of arg0, arg1
	OpF32x4Le                                               // f32x4.le: of arg0, arg1
	OpF32x4Ge                                               // f32x4.ge: of arg0, arg1
	OpF64x2Eq                                               // f64x2.eq: of arg0, arg1
	OpF64x2Ne                                               // f64x2.ne: of arg0, arg1
	OpF64x2Lt                                               // f64x2.lt: of arg0, arg1
	OpF64x2Gt                                               // f64x2.gt: of arg0, arg1
	OpF64x2Le                                               // f64x2.le: of arg0, arg1
	OpF64x2Ge                                               // f64x2.ge: of arg0, arg1
	OpV128Not                                               // v128.not: of arg0
	OpV128And                                               // v128.and: of arg0, arg1
	OpV128Andnot                                            // v128.andnot: of arg0, arg1
	OpV128Or                                                // v128.or: of arg0, arg1
	OpV128Xor                                               // v128.xor: of arg0, arg1
	OpV128Bitselect                                         // v128.bitselect: of arg0, arg1, arg2
	OpV128AnyTrue                                           // v128.any_true: i32 from arg0
	OpF32x4DemoteF64x2Zero                                  // f32x4.demote_f64x2_zero: of arg0
	OpF64x2PromoteLowF32x4                                  // f64x2.promote_low_f32x4: of arg0
	OpI8x16Abs                                              // i8x16.abs: of arg0
	OpI8x16Neg                                              // i8x16.neg: of arg0
	OpI8x16Popcnt                                           // i8x16.popcnt: of arg0
	OpI8x16AllTrue                                          // i8x16.all_true: i32 from arg0
	OpI8x16Bitmask                                          // i8x16.bitmask: i32 from arg0
	OpI8x16NarrowI16x8S                                     // i8x16.narrow_i16x8_s: of arg0, arg1
	OpI8x16NarrowI16x8U                                     // i8x16.narrow_i16x8_u: of arg0, arg1
	OpF32x4Ceil                                             // f32x4.ceil: of arg0
	OpF32x4Floor                                            // f32x4.floor: of arg0
	OpF32x4Trunc                                            // f32x4.trunc: of arg0
	OpF32x4Nearest                                          // f32x4.nearest: of arg0
	OpI8x16Shl                                              // i8x16.shl: arg0 shifted by i32 arg1 mod lane width
	OpI8x16ShrS                                             // i8x16.shr_s: arg0 shifted by i32 arg1 mod lane width
	OpI8x16ShrU                                             // i8x16.shr_u: arg0 shifted by i32 arg1 mod lane width
	OpI8x16Add                                              // i8x16.add: of arg0, arg1
	OpI8x16AddSatS                                          // i8x16.add_sat_s: of arg0, arg1
	OpI8x16AddSatU                                          // i8x16.add_sat_u: of arg0, arg1
	OpI8x16Sub                                              // i8x16.sub: of arg0, arg1
	OpI8x16SubSatS                                          // i8x16.sub_sat_s: of arg0, arg1
	OpI8x16SubSatU                                          // i8x16.sub_sat_u: of arg0, arg1
	OpF64x2Ceil                                             // f64x2.ceil: of arg0
	OpF64x2Floor                                            // f64x2.floor: of arg0
	OpI8x16MinS                                             // i8x16.min_s: of arg0, arg1
	OpI8x16MinU                                             // i8x16.min_u: of arg0, arg1
	OpI8x16MaxS                                             // i8x16.max_s: of arg0, arg1
	OpI8x16MaxU                                             // i8x16.max_u: of arg0, arg1
	OpF64x2Trunc                                            // f64x2.trunc: of arg0
	OpI8x16AvgrU                                            // i8x16.avgr_u: of arg0, arg1
	OpI16x8ExtaddPairwiseI8x16S                             // i16x8.extadd_pairwise_i8x16_s: of arg0
	OpI16x8ExtaddPairwiseI8x16U                             // i16x8.extadd_pairwise_i8x16_u: of arg0
	OpI32x4ExtaddPairwiseI16x8S                             // i32x4.extadd_pairwise_i16x8_s: of arg0
	OpI32x4ExtaddPairwiseI16x8U                             // i32x4.extadd_pairwise_i16x8_u: of arg0
	OpI16x8Abs                                              // i16x8.abs: of arg0
	OpI16x8Neg                                              // i16x8.neg: of arg0
	OpI16x8Q15mulrSatS                                      // i16x8.q15mulr_sat_s: of arg0, arg1
	OpI16x8AllTrue                                          // i16x8.all_true: i32 from arg0
	OpI16x8Bitmask                                          // i16x8.bitmask: i32 from arg0
	OpI16x8NarrowI32x4S                                     // i16x8.narrow_i32x4_s: of arg0, arg1
	OpI16x8NarrowI32x4U                                     // i16x8.narrow_i32x4_u: of arg0, arg1
	OpI16x8ExtendLowI8x16S                                  // i16x8.extend_low_i8x16_s: of arg0
	OpI16x8ExtendHighI8x16S                                 // i16x8.extend_high_i8x16_s: of arg0
	OpI16x8ExtendLowI8x16U                                  // i16x8.extend_low_i8x16_u: of arg0
	OpI16x8ExtendHighI8x16U                                 // i16x8.extend_high_i8x16_u: of arg0
	OpI16x8Shl                                              // i16x8.shl: arg0 shifted by i32 arg1 mod lane width
	OpI16x8ShrS                                             // i16x8.shr_s: arg0 shifted by i32 arg1 mod lane width
	OpI16x8ShrU                                             // i16x8.shr_u: arg0 shifted by i32 arg1 mod lane width
	OpI16x8Add                                              // i16x8.add: of arg0, arg1
	OpI16x8AddSatS                                          // i16x8.add_sat_s: of arg0, arg1
	OpI16x8AddSatU                                          // i16x8.add_sat_u: of arg0, arg1
	OpI16x8Sub                                              // i16x8.sub: of arg0, arg1
	OpI16x8SubSatS                                          // i16x8.sub_sat_s: of arg0, arg1
	OpI16x8SubSatU                                          // i16x8.sub_sat_u: of arg0, arg1
	OpF64x2Nearest                                          // f64x2.nearest: of arg0
	OpI16x8Mul                                              // i16x8.mul: of arg0, arg1
	OpI16x8MinS                                             // i16x8.min_s: of arg0, arg1
	OpI16x8MinU                                             // i16x8.min_u: of arg0, arg1
	OpI16x8MaxS                                             // i16x8.max_s: of arg0, arg1
	OpI16x8MaxU                                             // i16x8.max_u: of arg0, arg1
	OpI16x8AvgrU                                            // i16x8.avgr_u: of arg0, arg1
	OpI16x8ExtmulLowI8x16S                                  // i16x8.extmul_low_i8x16_s: of arg0, arg1
	OpI16x8ExtmulHighI8x16S                                 // i16x8.extmul_high_i8x16_s: of arg0, arg1
	OpI16x8ExtmulLowI8x16U                                  // i16x8.extmul_low_i8x16_u: of arg0, arg1
	OpI16x8ExtmulHighI8x16U                                 // i16x8.extmul_high_i8x16_u: of arg0, arg1
	OpI32x4Abs                                              // i32x4.abs: of arg0
	OpI32x4Neg                                              // i32x4.neg: of arg0
	OpI32x4AllTrue                                          // i32x4.all_true: i32 from arg0
	OpI32x4Bitmask                                          // i32x4.bitmask: i32 from arg0
	OpI32x4ExtendLowI16x8S                                  // i32x4.extend_low_i16x8_s: of arg0
	OpI32x4ExtendHighI16x8S                                 // i32x4.extend_high_i16x8_s: of arg0
	OpI32x4ExtendLowI16x8U                                  // i32x4.extend_low_i16x8_u: of arg0
	OpI32x4ExtendHighI16x8U                                 // i32x4.extend_high_i16x8_u: of arg0
	OpI32x4Shl                                              // i32x4.shl: arg0 shifted by i32 arg1 mod lane width
	OpI32x4ShrS                                             // i32x4.shr_s: arg0 shifted by i32 arg1 mod lane width
	OpI32x4ShrU                                             // i32x4.shr_u: arg0 shifted by i32 arg1 mod lane width
	OpI32x4Add                                              // i32x4.add: of arg0, arg1
	OpI32x4Sub                                              // i32x4.sub: of arg0, arg1
	OpI32x4Mul                                              // i32x4.mul: of arg0, arg1
	OpI32x4MinS                                             // i32x4.min_s: of arg0, arg1
	OpI32x4MinU                                             // i32x4.min_u: of arg0, arg1
	OpI32x4MaxS                                             // i32x4.max_s: of arg0, arg1
	OpI32x4MaxU                                             // i32x4.max_u: of arg0, arg1
	OpI32x4DotI16x8S                                        // i32x4.dot_i16x8_s: of arg0, arg1
	OpI32x4ExtmulLowI16x8S                                  // i32x4.extmul_low_i16x8_s: of arg0, arg1
	OpI32x4ExtmulHighI16x8S                                 // i32x4.extmul_high_i16x8_s: of arg0, arg1
	OpI32x4ExtmulLowI16x8U                                  // i32x4.extmul_low_i16x8_u: of arg0, arg1
	OpI32x4ExtmulHighI16x8U                                 // i32x4.extmul_high_i16x8_u: of arg0, arg1
	OpI64x2Abs                                              // i64x2.abs: of arg0
	OpI64x2Neg                                              // i64x2.neg: of arg0
	OpI64x2AllTrue                                          // i64x2.all_true: i32 from arg0
	OpI64x2Bitmask                                          // i64x2.bitmask: i32 from arg0
	OpI64x2ExtendLowI32x4S                                  // i64x2.extend_low_i32x4_s: of arg0
	OpI64x2ExtendHighI32x4S                                 // i64x2.extend_high_i32x4_s: of arg0
	OpI64x2ExtendLowI32x4U                                  // i64x2.extend_low_i32x4_u: of arg0
	OpI64x2ExtendHighI32x4U                                 // i64x2.extend_high_i32x4_u: of arg0
	OpI64x2Shl                                              // i64x2.shl: arg0 shifted by i32 arg1 mod lane width
	OpI64x2ShrS                                             // i64x2.shr_s: arg0 shifted by i32 arg1 mod lane width
	OpI64x2ShrU                                             // i64x2.shr_u: arg0 shifted by i32 arg1 mod lane width
	OpI64x2Add                                              // i64x2.add: of arg0, arg1
	OpI64x2Sub                                              // i64x2.sub: of arg0, arg1
	OpI64x2Mul                                              // i64x2.mul: of arg0, arg1
	OpI64x2Eq                                               // i64x2.eq: of arg0, arg1
	OpI64x2Ne                                               // i64x2.ne: of arg0, arg1
	OpI64x2LtS                                              // i64x2.lt_s: of arg0, arg1
	OpI64x2GtS                                              // i64x2.gt_s: of arg0, arg1
	OpI64x2LeS                                              // i64x2.le_s: of arg0, arg1
	OpI64x2GeS                                              // i64x2.ge_s: of arg0, arg1
	OpI64x2ExtmulLowI32x4S                                  // i64x2.extmul_low_i32x4_s: of arg0, arg1
	OpI64x2ExtmulHighI32x4S                                 // i64x2.extmul_high_i32x4_s: of arg0, arg1
	OpI64x2ExtmulLowI32x4U                                  // i64x2.extmul_low_i32x4_u: of arg0, arg1
	OpI64x2ExtmulHighI32x4U                                 // i64x2.extmul_high_i32x4_u: of arg0, arg1
	OpF32x4Abs                                              // f32x4.abs: of arg0
	OpF32x4Neg                                              // f32x4.neg: of arg0
	OpF32x4Sqrt                                             // f32x4.sqrt: of arg0
	OpF32x4Add                                              // f32x4.add: of arg0, arg1
	OpF32x4Sub                                              // f32x4.sub: of arg0, arg1
	OpF32x4Mul                                              // f32x4.mul: of arg0, arg1
	OpF32x4Div                                              // f32x4.div: of arg0, arg1
	OpF32x4Min                                              // f32x4.min: of arg0, arg1
	OpF32x4Max                                              // f32x4.max: of arg0, arg1
	OpF32x4Pmin                                             // f32x4.pmin: of arg0, arg1
	OpF32x4Pmax                                             // f32x4.pmax: of arg0, arg1
	OpF64x2Abs                                              // f64x2.abs: of arg0
	OpF64x2Neg                                              // f64x2.neg: of arg0
	OpF64x2Sqrt                                             // f64x2.sqrt: of arg0
	OpF64x2Add                                              // f64x2.add: of arg0, arg1
	OpF64x2Sub                                              // f64x2.sub: of arg0, arg1
	OpF64x2Mul                                              // f64x2.mul: of arg0, arg1
	OpF64x2Div                                              // f64x2.div: of arg0, arg1
	OpF64x2Min                                              // f64x2.min: of arg0, arg1
	OpF64x2Max                                              // f64x2.max: of arg0, arg1
	OpF64x2Pmin                                             // f64x2.pmin: of arg0, arg1
	OpF64x2Pmax                                             // f64x2.pmax: of arg0, arg1
	OpI32x4TruncSatF32x4S                                   // i32x4.trunc_sat_f32x4_s: of arg0
	OpI32x4TruncSatF32x4U                                   // i32x4.trunc_sat_f32x4_u: of arg0
	OpF32x4ConvertI32x4S                                    // f32x4.convert_i32x4_s: of arg0
	OpF32x4ConvertI32x4U                                    // f32x4.convert_i32x4_u: of arg0
	OpI32x4TruncSatF64x2SZero                               // i32x4.trunc_sat_f64x2_s_zero: of arg0
	OpI32x4TruncSatF64x2UZero                               // i32x4.trunc_sat_f64x2_u_zero: of arg0
	OpF64x2ConvertLowI32x4S                                 // f64x2.convert_low_i32x4_s: of arg0
	OpF64x2ConvertLowI32x4U                                 // f64x2.convert_low_i32x4_u: of arg0
	OpI8x16RelaxedSwizzle                                   // i8x16.relaxed_swizzle: of arg0, arg1
	OpI32x4RelaxedTruncF32x4S                               // i32x4.relaxed_trunc_f32x4_s: of arg0
	OpI32x4RelaxedTruncF32x4U                               // i32x4.relaxed_trunc_f32x4_u: of arg0
	OpI32x4RelaxedTruncF64x2SZero                           // i32x4.relaxed_trunc_f64x2_s_zero: of arg0
	OpI32x4RelaxedTruncF64x2UZero                           // i32x4.relaxed_trunc_f64x2_u_zero: of arg0
	OpF32x4RelaxedMadd                                      // f32x4.relaxed_madd: of arg0, arg1, arg2
	OpF32x4RelaxedNmadd                                     // f32x4.relaxed_nmadd: of arg0, arg1, arg2
	OpF64x2RelaxedMadd                                      // f64x2.relaxed_madd: of arg0, arg1, arg2
	OpF64x2RelaxedNmadd                                     // f64x2.relaxed_nmadd: of arg0, arg1, arg2
	OpI8x16RelaxedLaneselect                                // i8x16.relaxed_laneselect: of arg0, arg1, arg2
	OpI16x8RelaxedLaneselect                                // i16x8.relaxed_laneselect: of arg0, arg1, arg2
	OpI32x4RelaxedLaneselect                                // i32x4.relaxed_laneselect: of arg0, arg1, arg2
	OpI64x2RelaxedLaneselect                                // i64x2.relaxed_laneselect: of arg0, arg1, arg2
	OpF32x4RelaxedMin                                       // f32x4.relaxed_min: of arg0, arg1
	OpF32x4RelaxedMax                                       // f32x4.relaxed_max: of arg0, arg1
	OpF64x2RelaxedMin                                       // f64x2.relaxed_min: of arg0, arg1
	OpF64x2RelaxedMax                                       // f64x2.relaxed_max: of arg0, arg1
	OpI16x8RelaxedQ15mulrS                                  // i16x8.relaxed_q15mulr_s: of arg0, arg1
	OpI16x8RelaxedDotI8x16I7x16S                            // i16x8.relaxed_dot_i8x16_i7x16_s: of arg0, arg1
	OpI32x4RelaxedDotI8x16I7x16AddS                         // i32x4.relaxed_dot_i8x16_i7x16_add_s: of arg0, arg1, arg2
	opSIMDEnd                                               // the first op after the block
)

// simdOps holds the rows of the SIMD ops (withSIMD copies them into Ops).
var simdOps = map[Op]OpInfo{
	OpV128Const:                     {Name: "v128.const", Args: 0, Effect: Pure, Aux: AuxV128, Aux2: AuxV128},
	OpI8x16Shuffle:                  {Name: "i8x16.shuffle", Args: 2, Effect: Pure, Aux: AuxV128, Aux2: AuxV128},
	OpI8x16Swizzle:                  {Name: "i8x16.swizzle", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI8x16Splat:                    {Name: "i8x16.splat", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI16x8Splat:                    {Name: "i16x8.splat", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI32x4Splat:                    {Name: "i32x4.splat", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI64x2Splat:                    {Name: "i64x2.splat", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF32x4Splat:                    {Name: "f32x4.splat", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF64x2Splat:                    {Name: "f64x2.splat", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI8x16ExtractLaneS:             {Name: "i8x16.extract_lane_s", Args: 1, Effect: Pure, Aux: AuxLane, Aux2: AuxNone},
	OpI8x16ExtractLaneU:             {Name: "i8x16.extract_lane_u", Args: 1, Effect: Pure, Aux: AuxLane, Aux2: AuxNone},
	OpI8x16ReplaceLane:              {Name: "i8x16.replace_lane", Args: 2, Effect: Pure, Aux: AuxLane, Aux2: AuxNone},
	OpI16x8ExtractLaneS:             {Name: "i16x8.extract_lane_s", Args: 1, Effect: Pure, Aux: AuxLane, Aux2: AuxNone},
	OpI16x8ExtractLaneU:             {Name: "i16x8.extract_lane_u", Args: 1, Effect: Pure, Aux: AuxLane, Aux2: AuxNone},
	OpI16x8ReplaceLane:              {Name: "i16x8.replace_lane", Args: 2, Effect: Pure, Aux: AuxLane, Aux2: AuxNone},
	OpI32x4ExtractLane:              {Name: "i32x4.extract_lane", Args: 1, Effect: Pure, Aux: AuxLane, Aux2: AuxNone},
	OpI32x4ReplaceLane:              {Name: "i32x4.replace_lane", Args: 2, Effect: Pure, Aux: AuxLane, Aux2: AuxNone},
	OpI64x2ExtractLane:              {Name: "i64x2.extract_lane", Args: 1, Effect: Pure, Aux: AuxLane, Aux2: AuxNone},
	OpI64x2ReplaceLane:              {Name: "i64x2.replace_lane", Args: 2, Effect: Pure, Aux: AuxLane, Aux2: AuxNone},
	OpF32x4ExtractLane:              {Name: "f32x4.extract_lane", Args: 1, Effect: Pure, Aux: AuxLane, Aux2: AuxNone},
	OpF32x4ReplaceLane:              {Name: "f32x4.replace_lane", Args: 2, Effect: Pure, Aux: AuxLane, Aux2: AuxNone},
	OpF64x2ExtractLane:              {Name: "f64x2.extract_lane", Args: 1, Effect: Pure, Aux: AuxLane, Aux2: AuxNone},
	OpF64x2ReplaceLane:              {Name: "f64x2.replace_lane", Args: 2, Effect: Pure, Aux: AuxLane, Aux2: AuxNone},
	OpI8x16Eq:                       {Name: "i8x16.eq", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI8x16Ne:                       {Name: "i8x16.ne", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI8x16LtS:                      {Name: "i8x16.lt_s", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI8x16LtU:                      {Name: "i8x16.lt_u", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI8x16GtS:                      {Name: "i8x16.gt_s", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI8x16GtU:                      {Name: "i8x16.gt_u", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI8x16LeS:                      {Name: "i8x16.le_s", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI8x16LeU:                      {Name: "i8x16.le_u", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI8x16GeS:                      {Name: "i8x16.ge_s", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI8x16GeU:                      {Name: "i8x16.ge_u", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI16x8Eq:                       {Name: "i16x8.eq", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI16x8Ne:                       {Name: "i16x8.ne", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI16x8LtS:                      {Name: "i16x8.lt_s", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI16x8LtU:                      {Name: "i16x8.lt_u", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI16x8GtS:                      {Name: "i16x8.gt_s", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI16x8GtU:                      {Name: "i16x8.gt_u", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI16x8LeS:                      {Name: "i16x8.le_s", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI16x8LeU:                      {Name: "i16x8.le_u", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI16x8GeS:                      {Name: "i16x8.ge_s", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI16x8GeU:                      {Name: "i16x8.ge_u", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI32x4Eq:                       {Name: "i32x4.eq", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI32x4Ne:                       {Name: "i32x4.ne", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI32x4LtS:                      {Name: "i32x4.lt_s", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI32x4LtU:                      {Name: "i32x4.lt_u", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI32x4GtS:                      {Name: "i32x4.gt_s", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI32x4GtU:                      {Name: "i32x4.gt_u", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI32x4LeS:                      {Name: "i32x4.le_s", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI32x4LeU:                      {Name: "i32x4.le_u", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI32x4GeS:                      {Name: "i32x4.ge_s", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI32x4GeU:                      {Name: "i32x4.ge_u", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF32x4Eq:                       {Name: "f32x4.eq", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF32x4Ne:                       {Name: "f32x4.ne", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF32x4Lt:                       {Name: "f32x4.lt", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF32x4Gt:                       {Name: "f32x4.gt", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF32x4Le:                       {Name: "f32x4.le", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF32x4Ge:                       {Name: "f32x4.ge", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF64x2Eq:                       {Name: "f64x2.eq", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF64x2Ne:                       {Name: "f64x2.ne", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF64x2Lt:                       {Name: "f64x2.lt", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF64x2Gt:                       {Name: "f64x2.gt", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF64x2Le:                       {Name: "f64x2.le", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF64x2Ge:                       {Name: "f64x2.ge", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpV128Not:                       {Name: "v128.not", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpV128And:                       {Name: "v128.and", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpV128Andnot:                    {Name: "v128.andnot", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpV128Or:                        {Name: "v128.or", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpV128Xor:                       {Name: "v128.xor", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpV128Bitselect:                 {Name: "v128.bitselect", Args: 3, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpV128AnyTrue:                   {Name: "v128.any_true", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF32x4DemoteF64x2Zero:          {Name: "f32x4.demote_f64x2_zero", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF64x2PromoteLowF32x4:          {Name: "f64x2.promote_low_f32x4", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI8x16Abs:                      {Name: "i8x16.abs", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI8x16Neg:                      {Name: "i8x16.neg", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI8x16Popcnt:                   {Name: "i8x16.popcnt", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI8x16AllTrue:                  {Name: "i8x16.all_true", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI8x16Bitmask:                  {Name: "i8x16.bitmask", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI8x16NarrowI16x8S:             {Name: "i8x16.narrow_i16x8_s", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI8x16NarrowI16x8U:             {Name: "i8x16.narrow_i16x8_u", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF32x4Ceil:                     {Name: "f32x4.ceil", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF32x4Floor:                    {Name: "f32x4.floor", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF32x4Trunc:                    {Name: "f32x4.trunc", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF32x4Nearest:                  {Name: "f32x4.nearest", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI8x16Shl:                      {Name: "i8x16.shl", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI8x16ShrS:                     {Name: "i8x16.shr_s", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI8x16ShrU:                     {Name: "i8x16.shr_u", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI8x16Add:                      {Name: "i8x16.add", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI8x16AddSatS:                  {Name: "i8x16.add_sat_s", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI8x16AddSatU:                  {Name: "i8x16.add_sat_u", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI8x16Sub:                      {Name: "i8x16.sub", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI8x16SubSatS:                  {Name: "i8x16.sub_sat_s", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI8x16SubSatU:                  {Name: "i8x16.sub_sat_u", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF64x2Ceil:                     {Name: "f64x2.ceil", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF64x2Floor:                    {Name: "f64x2.floor", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI8x16MinS:                     {Name: "i8x16.min_s", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI8x16MinU:                     {Name: "i8x16.min_u", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI8x16MaxS:                     {Name: "i8x16.max_s", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI8x16MaxU:                     {Name: "i8x16.max_u", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF64x2Trunc:                    {Name: "f64x2.trunc", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI8x16AvgrU:                    {Name: "i8x16.avgr_u", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI16x8ExtaddPairwiseI8x16S:     {Name: "i16x8.extadd_pairwise_i8x16_s", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI16x8ExtaddPairwiseI8x16U:     {Name: "i16x8.extadd_pairwise_i8x16_u", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI32x4ExtaddPairwiseI16x8S:     {Name: "i32x4.extadd_pairwise_i16x8_s", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI32x4ExtaddPairwiseI16x8U:     {Name: "i32x4.extadd_pairwise_i16x8_u", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI16x8Abs:                      {Name: "i16x8.abs", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI16x8Neg:                      {Name: "i16x8.neg", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI16x8Q15mulrSatS:              {Name: "i16x8.q15mulr_sat_s", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI16x8AllTrue:                  {Name: "i16x8.all_true", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI16x8Bitmask:                  {Name: "i16x8.bitmask", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI16x8NarrowI32x4S:             {Name: "i16x8.narrow_i32x4_s", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI16x8NarrowI32x4U:             {Name: "i16x8.narrow_i32x4_u", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI16x8ExtendLowI8x16S:          {Name: "i16x8.extend_low_i8x16_s", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI16x8ExtendHighI8x16S:         {Name: "i16x8.extend_high_i8x16_s", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI16x8ExtendLowI8x16U:          {Name: "i16x8.extend_low_i8x16_u", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI16x8ExtendHighI8x16U:         {Name: "i16x8.extend_high_i8x16_u", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI16x8Shl:                      {Name: "i16x8.shl", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI16x8ShrS:                     {Name: "i16x8.shr_s", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI16x8ShrU:                     {Name: "i16x8.shr_u", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI16x8Add:                      {Name: "i16x8.add", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI16x8AddSatS:                  {Name: "i16x8.add_sat_s", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI16x8AddSatU:                  {Name: "i16x8.add_sat_u", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI16x8Sub:                      {Name: "i16x8.sub", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI16x8SubSatS:                  {Name: "i16x8.sub_sat_s", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI16x8SubSatU:                  {Name: "i16x8.sub_sat_u", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF64x2Nearest:                  {Name: "f64x2.nearest", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI16x8Mul:                      {Name: "i16x8.mul", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI16x8MinS:                     {Name: "i16x8.min_s", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI16x8MinU:                     {Name: "i16x8.min_u", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI16x8MaxS:                     {Name: "i16x8.max_s", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI16x8MaxU:                     {Name: "i16x8.max_u", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI16x8AvgrU:                    {Name: "i16x8.avgr_u", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI16x8ExtmulLowI8x16S:          {Name: "i16x8.extmul_low_i8x16_s", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI16x8ExtmulHighI8x16S:         {Name: "i16x8.extmul_high_i8x16_s", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI16x8ExtmulLowI8x16U:          {Name: "i16x8.extmul_low_i8x16_u", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI16x8ExtmulHighI8x16U:         {Name: "i16x8.extmul_high_i8x16_u", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI32x4Abs:                      {Name: "i32x4.abs", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI32x4Neg:                      {Name: "i32x4.neg", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI32x4AllTrue:                  {Name: "i32x4.all_true", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI32x4Bitmask:                  {Name: "i32x4.bitmask", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI32x4ExtendLowI16x8S:          {Name: "i32x4.extend_low_i16x8_s", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI32x4ExtendHighI16x8S:         {Name: "i32x4.extend_high_i16x8_s", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI32x4ExtendLowI16x8U:          {Name: "i32x4.extend_low_i16x8_u", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI32x4ExtendHighI16x8U:         {Name: "i32x4.extend_high_i16x8_u", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI32x4Shl:                      {Name: "i32x4.shl", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI32x4ShrS:                     {Name: "i32x4.shr_s", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI32x4ShrU:                     {Name: "i32x4.shr_u", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI32x4Add:                      {Name: "i32x4.add", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI32x4Sub:                      {Name: "i32x4.sub", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI32x4Mul:                      {Name: "i32x4.mul", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI32x4MinS:                     {Name: "i32x4.min_s", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI32x4MinU:                     {Name: "i32x4.min_u", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI32x4MaxS:                     {Name: "i32x4.max_s", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI32x4MaxU:                     {Name: "i32x4.max_u", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI32x4DotI16x8S:                {Name: "i32x4.dot_i16x8_s", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI32x4ExtmulLowI16x8S:          {Name: "i32x4.extmul_low_i16x8_s", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI32x4ExtmulHighI16x8S:         {Name: "i32x4.extmul_high_i16x8_s", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI32x4ExtmulLowI16x8U:          {Name: "i32x4.extmul_low_i16x8_u", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI32x4ExtmulHighI16x8U:         {Name: "i32x4.extmul_high_i16x8_u", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI64x2Abs:                      {Name: "i64x2.abs", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI64x2Neg:                      {Name: "i64x2.neg", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI64x2AllTrue:                  {Name: "i64x2.all_true", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI64x2Bitmask:                  {Name: "i64x2.bitmask", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI64x2ExtendLowI32x4S:          {Name: "i64x2.extend_low_i32x4_s", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI64x2ExtendHighI32x4S:         {Name: "i64x2.extend_high_i32x4_s", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI64x2ExtendLowI32x4U:          {Name: "i64x2.extend_low_i32x4_u", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI64x2ExtendHighI32x4U:         {Name: "i64x2.extend_high_i32x4_u", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI64x2Shl:                      {Name: "i64x2.shl", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI64x2ShrS:                     {Name: "i64x2.shr_s", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI64x2ShrU:                     {Name: "i64x2.shr_u", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI64x2Add:                      {Name: "i64x2.add", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI64x2Sub:                      {Name: "i64x2.sub", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI64x2Mul:                      {Name: "i64x2.mul", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI64x2Eq:                       {Name: "i64x2.eq", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI64x2Ne:                       {Name: "i64x2.ne", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI64x2LtS:                      {Name: "i64x2.lt_s", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI64x2GtS:                      {Name: "i64x2.gt_s", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI64x2LeS:                      {Name: "i64x2.le_s", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI64x2GeS:                      {Name: "i64x2.ge_s", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI64x2ExtmulLowI32x4S:          {Name: "i64x2.extmul_low_i32x4_s", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI64x2ExtmulHighI32x4S:         {Name: "i64x2.extmul_high_i32x4_s", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI64x2ExtmulLowI32x4U:          {Name: "i64x2.extmul_low_i32x4_u", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI64x2ExtmulHighI32x4U:         {Name: "i64x2.extmul_high_i32x4_u", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF32x4Abs:                      {Name: "f32x4.abs", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF32x4Neg:                      {Name: "f32x4.neg", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF32x4Sqrt:                     {Name: "f32x4.sqrt", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF32x4Add:                      {Name: "f32x4.add", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF32x4Sub:                      {Name: "f32x4.sub", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF32x4Mul:                      {Name: "f32x4.mul", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF32x4Div:                      {Name: "f32x4.div", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF32x4Min:                      {Name: "f32x4.min", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF32x4Max:                      {Name: "f32x4.max", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF32x4Pmin:                     {Name: "f32x4.pmin", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF32x4Pmax:                     {Name: "f32x4.pmax", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF64x2Abs:                      {Name: "f64x2.abs", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF64x2Neg:                      {Name: "f64x2.neg", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF64x2Sqrt:                     {Name: "f64x2.sqrt", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF64x2Add:                      {Name: "f64x2.add", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF64x2Sub:                      {Name: "f64x2.sub", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF64x2Mul:                      {Name: "f64x2.mul", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF64x2Div:                      {Name: "f64x2.div", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF64x2Min:                      {Name: "f64x2.min", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF64x2Max:                      {Name: "f64x2.max", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF64x2Pmin:                     {Name: "f64x2.pmin", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF64x2Pmax:                     {Name: "f64x2.pmax", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI32x4TruncSatF32x4S:           {Name: "i32x4.trunc_sat_f32x4_s", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI32x4TruncSatF32x4U:           {Name: "i32x4.trunc_sat_f32x4_u", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF32x4ConvertI32x4S:            {Name: "f32x4.convert_i32x4_s", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF32x4ConvertI32x4U:            {Name: "f32x4.convert_i32x4_u", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI32x4TruncSatF64x2SZero:       {Name: "i32x4.trunc_sat_f64x2_s_zero", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI32x4TruncSatF64x2UZero:       {Name: "i32x4.trunc_sat_f64x2_u_zero", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF64x2ConvertLowI32x4S:         {Name: "f64x2.convert_low_i32x4_s", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF64x2ConvertLowI32x4U:         {Name: "f64x2.convert_low_i32x4_u", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI8x16RelaxedSwizzle:           {Name: "i8x16.relaxed_swizzle", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI32x4RelaxedTruncF32x4S:       {Name: "i32x4.relaxed_trunc_f32x4_s", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI32x4RelaxedTruncF32x4U:       {Name: "i32x4.relaxed_trunc_f32x4_u", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI32x4RelaxedTruncF64x2SZero:   {Name: "i32x4.relaxed_trunc_f64x2_s_zero", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI32x4RelaxedTruncF64x2UZero:   {Name: "i32x4.relaxed_trunc_f64x2_u_zero", Args: 1, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF32x4RelaxedMadd:              {Name: "f32x4.relaxed_madd", Args: 3, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF32x4RelaxedNmadd:             {Name: "f32x4.relaxed_nmadd", Args: 3, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF64x2RelaxedMadd:              {Name: "f64x2.relaxed_madd", Args: 3, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF64x2RelaxedNmadd:             {Name: "f64x2.relaxed_nmadd", Args: 3, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI8x16RelaxedLaneselect:        {Name: "i8x16.relaxed_laneselect", Args: 3, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI16x8RelaxedLaneselect:        {Name: "i16x8.relaxed_laneselect", Args: 3, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI32x4RelaxedLaneselect:        {Name: "i32x4.relaxed_laneselect", Args: 3, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI64x2RelaxedLaneselect:        {Name: "i64x2.relaxed_laneselect", Args: 3, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF32x4RelaxedMin:               {Name: "f32x4.relaxed_min", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF32x4RelaxedMax:               {Name: "f32x4.relaxed_max", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF64x2RelaxedMin:               {Name: "f64x2.relaxed_min", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpF64x2RelaxedMax:               {Name: "f64x2.relaxed_max", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI16x8RelaxedQ15mulrS:          {Name: "i16x8.relaxed_q15mulr_s", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI16x8RelaxedDotI8x16I7x16S:    {Name: "i16x8.relaxed_dot_i8x16_i7x16_s", Args: 2, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
	OpI32x4RelaxedDotI8x16I7x16AddS: {Name: "i32x4.relaxed_dot_i8x16_i7x16_add_s", Args: 3, Effect: Pure, Aux: AuxNone, Aux2: AuxNone},
}

// withSIMD returns the op table t with the SIMD rows filled in. Ops is
// initialised through it, so every table derived from Ops sees them.
func withSIMD(t [NumOps]OpInfo) [NumOps]OpInfo {
	for op, info := range simdOps {
		t[op] = info
	}
	return t
}

// IsSIMD reports whether op is one of the SIMD ops.
func (o Op) IsSIMD() bool { return o >= OpSIMDFirst && o < opSIMDEnd }

// Lanes is the lane count of a SIMD op's vector shape (16 for i8x16, 2 for
// f64x2, 1 for the v128.* bitwise ops).
func (o Op) Lanes() int {
	name := Ops[o].Name
	if len(name) < 5 || name[3] != 'x' && name[2] != 'x' {
		return 1
	}
	switch name[:5] {
	case "i8x16":
		return 16
	case "i16x8":
		return 8
	case "i32x4", "f32x4":
		return 4
	case "i64x2", "f64x2":
		return 2
	}
	return 1
}

// LaneType is the scalar type of a lane of a SIMD op's shape: i32 for the
// i8x16, i16x8 and i32x4 shapes (and the v128.* ops), i64, f32 or f64.
func (o Op) LaneType() Type {
	switch name := Ops[o].Name; {
	case len(name) >= 5 && name[:5] == "i64x2":
		return I64
	case len(name) >= 5 && name[:5] == "f32x4":
		return F32
	case len(name) >= 5 && name[:5] == "f64x2":
		return F64
	}
	return I32
}

// SIMDSig returns the arg types and the result type of SIMD op o.
func SIMDSig(o Op) (args []Type, result Type) {
	info := &Ops[o]
	name := info.Name
	has := func(suffix string) bool {
		return len(name) >= len(suffix) && name[len(name)-len(suffix):] == suffix
	}
	args = make([]Type, info.Args)
	for i := range args {
		args[i] = V128
	}
	result = V128
	switch {
	case has(".splat"):
		args[0] = o.LaneType()
	case info.Aux == AuxLane && info.Args == 1: // extract_lane
		result = o.LaneType()
	case info.Aux == AuxLane: // replace_lane
		args[1] = o.LaneType()
	case has(".any_true"), has(".all_true"), has(".bitmask"):
		result = I32
	case has(".shl"), has(".shr_s"), has(".shr_u"):
		args[1] = I32
	}
	return args, result
}

// checkSIMDTypes is the typing rule of the SIMD ops (SIMDSig).
func checkSIMDTypes(v *Value) error {
	args, result := SIMDSig(v.Op)
	if v.Type != result {
		return fmt.Errorf("value v%d (%s): type %s, want %s", v.ID, v.Op, v.Type, result)
	}
	for i, a := range v.Args {
		if i < len(args) && a.Type != args[i] {
			return fmt.Errorf("value v%d (%s): arg %d (v%d) has type %s, want %s", v.ID, v.Op, i, a.ID, a.Type, args[i])
		}
	}
	return nil
}
