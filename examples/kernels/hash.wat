;; hash: fills n bytes of memory 0 (n <= 1048576) from a xorshift64
;; generator, then hashes them with FNV-1a 64 byte by byte and with a
;; 64-bit multiply-rotate mix 8 bytes at a time; returns both combined.
(module
  (memory (export "memory") 17)
  (func (export "run") (param $n i32) (result i64)
    (local $i i32) (local $x i64) (local $h i64) (local $m i64)
    (if (i32.gt_u (local.get $n) (i32.const 1048576)) (then (local.set $n (i32.const 1048576))))
    (local.set $n (i32.and (local.get $n) (i32.const -8)))
    ;; fill
    (local.set $x (i64.add (i64.const 0x9E3779B97F4A7C15) (i64.extend_i32_u (local.get $n))))
    (block $d0 (loop $l0
      (br_if $d0 (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 13))))
      (local.set $x (i64.xor (local.get $x) (i64.shr_u (local.get $x) (i64.const 7))))
      (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 17))))
      (i64.store (local.get $i) (local.get $x))
      (local.set $i (i32.add (local.get $i) (i32.const 8)))
      (br $l0)))
    ;; FNV-1a 64
    (local.set $h (i64.const 0xcbf29ce484222325))
    (local.set $i (i32.const 0))
    (block $d1 (loop $l1
      (br_if $d1 (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $h (i64.mul (i64.xor (local.get $h) (i64.load8_u (local.get $i)))
                             (i64.const 0x100000001b3)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l1)))
    ;; word-at-a-time mix
    (local.set $m (i64.extend_i32_u (local.get $n)))
    (local.set $i (i32.const 0))
    (block $d2 (loop $l2
      (br_if $d2 (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $m (i64.mul (i64.rotl (i64.xor (local.get $m)
                                                (i64.mul (i64.load (local.get $i)) (i64.const 0xC2B2AE3D27D4EB4F)))
                                       (i64.const 31))
                             (i64.const 0x9E3779B185EBCA87)))
      (local.set $i (i32.add (local.get $i) (i32.const 8)))
      (br $l2)))
    (i64.xor (local.get $h) (i64.rotl (local.get $m) (i64.const 17)))))
