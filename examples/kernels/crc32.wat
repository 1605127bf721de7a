;; crc32: builds the reflected CRC-32 (IEEE 802.3) table in memory 0, fills
;; n bytes (n <= 1048576) after it with a linear congruential sequence, and
;; returns the CRC-32 of those bytes, table-driven, one byte at a time.
(module
  (memory (export "memory") 18)
  (func (export "run") (param $n i32) (result i32)
    (local $i i32) (local $k i32) (local $c i32) (local $x i32) (local $crc i32)
    (if (i32.gt_u (local.get $n) (i32.const 1048576)) (then (local.set $n (i32.const 1048576))))
    ;; table at 0..1023
    (block $d0 (loop $l0
      (br_if $d0 (i32.ge_u (local.get $i) (i32.const 256)))
      (local.set $c (local.get $i))
      (local.set $k (i32.const 0))
      (block $d1 (loop $l1
        (br_if $d1 (i32.ge_u (local.get $k) (i32.const 8)))
        (local.set $c (select
          (i32.xor (i32.shr_u (local.get $c) (i32.const 1)) (i32.const 0xEDB88320))
          (i32.shr_u (local.get $c) (i32.const 1))
          (i32.and (local.get $c) (i32.const 1))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $l1)))
      (i32.store (i32.shl (local.get $i) (i32.const 2)) (local.get $c))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l0)))
    ;; data at 1024..
    (local.set $x (local.get $n))
    (local.set $i (i32.const 0))
    (block $d2 (loop $l2
      (br_if $d2 (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $x (i32.add (i32.mul (local.get $x) (i32.const 1103515245)) (i32.const 12345)))
      (i32.store8 (i32.add (i32.const 1024) (local.get $i)) (i32.shr_u (local.get $x) (i32.const 16)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l2)))
    ;; crc
    (local.set $crc (i32.const -1))
    (local.set $i (i32.const 0))
    (block $d3 (loop $l3
      (br_if $d3 (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $crc (i32.xor
        (i32.load (i32.shl (i32.and (i32.xor (local.get $crc)
                                             (i32.load8_u (i32.add (i32.const 1024) (local.get $i))))
                                    (i32.const 255))
                           (i32.const 2)))
        (i32.shr_u (local.get $crc) (i32.const 8))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l3)))
    (i32.xor (local.get $crc) (i32.const -1))))
