;; Numeric instructions: constants of every type (negative i32 constants are
;; kept as 32-bit patterns, floats as their bits), comparisons with their
;; condition, conversions, saturating truncations and sign extensions.
(module
  (func $consts (result i32 i64 f32 f64)
    (i32.const -1) (i64.const -9223372036854775808) (f32.const nan:0x200000) (f64.const -inf))

  (func $arith (param i32 i32) (result i32)
    (i32.rotl
      (i32.div_u (i32.mul (local.get 0) (local.get 1)) (i32.const 3))
      (i32.popcnt (i32.xor (local.get 0) (i32.const 0x80000000)))))

  (func $compare (param i64 f64) (result i32)
    (i32.and (i64.le_s (local.get 0) (i64.const 0))
             (f64.ge (local.get 1) (f64.const 0.5))))

  (func $convert (param f32) (result i64)
    (drop (i32.trunc_sat_f32_u (local.get 0)))
    (drop (f64.promote_f32 (local.get 0)))
    (drop (i32.reinterpret_f32 (local.get 0)))
    (i64.add (i64.trunc_sat_f32_s (local.get 0))
             (i64.extend16_s (i64.extend_i32_s (i32.trunc_f32_s (local.get 0))))))
)
