;; sieve: the sieve of Eratosthenes over one byte per number in memory 0
;; (n <= 4194304). Returns the number of primes below n plus the sum of the
;; last few primes found, so every marking pass matters.
(module
  (memory (export "memory") 64)
  (func (export "run") (param $n i32) (result i64)
    (local $i i32) (local $j i32) (local $count i32) (local $sum i64)
    (if (i32.gt_u (local.get $n) (i32.const 4194304)) (then (local.set $n (i32.const 4194304))))
    ;; clear the bytes (the function may be called repeatedly)
    (local.set $i (i32.const 0))
    (block $d0 (loop $l0
      (br_if $d0 (i32.ge_u (local.get $i) (local.get $n)))
      (i64.store (local.get $i) (i64.const 0))
      (local.set $i (i32.add (local.get $i) (i32.const 8)))
      (br $l0)))
    (local.set $i (i32.const 2))
    (block $done
      (loop $outer
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (if (i32.eqz (i32.load8_u (local.get $i)))
          (then
            (local.set $count (i32.add (local.get $count) (i32.const 1)))
            (local.set $sum (i64.add (i64.mul (local.get $sum) (i64.const 31))
                                     (i64.extend_i32_u (local.get $i))))
            (local.set $j (i32.mul (local.get $i) (local.get $i)))
            ;; i*i overflows 32 bits only when i > 65535, and then i*i > n anyway
            (if (i32.le_u (local.get $i) (i32.const 65535))
              (then
                (block $marked
                  (loop $mark
                    (br_if $marked (i32.ge_u (local.get $j) (local.get $n)))
                    (i32.store8 (local.get $j) (i32.const 1))
                    (local.set $j (i32.add (local.get $j) (local.get $i)))
                    (br $mark)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $outer)))
    (i64.add (i64.shl (i64.extend_i32_u (local.get $count)) (i64.const 40)) (local.get $sum))))
