;; interp: a tiny bytecode interpreter whose dispatch is one call_indirect
;; per instruction through a table of handlers. Each handler takes the pc
;; and returns the next pc (-1 halts); the machine state lives in globals.
;; The program (in the data segment) runs a loop body of six instructions
;; n times and returns the accumulator.
;;
;;   0: loadn          cnt = n
;;   1: muladd         acc = acc*6364136223846793005 + x
;;   2: xorshift       acc ^= acc >> 29
;;   3: incx           x += cnt
;;   4: rot            acc = rotl(acc, x)
;;   5: decjnz 1       cnt -= 1; if cnt != 0 goto 1
;;   7: halt
(module
  (type $handler (func (param i32) (result i32)))
  (memory 1)
  (data (i32.const 0) "\01\02\03\04\05\06\01\00")
  (global $n (mut i32) (i32.const 0))
  (global $cnt (mut i32) (i32.const 0))
  (global $acc (mut i64) (i64.const 0))
  (global $x (mut i64) (i64.const 0))
  (table 7 funcref)
  (elem (i32.const 0) $halt $loadn $muladd $xorshift $incx $rot $decjnz)
  (func $halt (type $handler) (i32.const -1))
  (func $loadn (type $handler)
    (global.set $cnt (global.get $n))
    (i32.add (local.get 0) (i32.const 1)))
  (func $muladd (type $handler)
    (global.set $acc (i64.add (i64.mul (global.get $acc) (i64.const 6364136223846793005)) (global.get $x)))
    (i32.add (local.get 0) (i32.const 1)))
  (func $xorshift (type $handler)
    (global.set $acc (i64.xor (global.get $acc) (i64.shr_u (global.get $acc) (i64.const 29))))
    (i32.add (local.get 0) (i32.const 1)))
  (func $incx (type $handler)
    (global.set $x (i64.add (global.get $x) (i64.extend_i32_u (global.get $cnt))))
    (i32.add (local.get 0) (i32.const 1)))
  (func $rot (type $handler)
    (global.set $acc (i64.rotl (global.get $acc) (global.get $x)))
    (i32.add (local.get 0) (i32.const 1)))
  (func $decjnz (type $handler)
    (global.set $cnt (i32.sub (global.get $cnt) (i32.const 1)))
    (if (result i32) (global.get $cnt)
      (then (i32.load8_u offset=1 (local.get 0)))
      (else (i32.add (local.get 0) (i32.const 2)))))
  (func (export "run") (param $n i32) (result i64)
    (local $pc i32)
    (if (i32.eqz (local.get $n)) (then (return (i64.const 0))))
    (global.set $n (local.get $n))
    (global.set $acc (i64.const 1))
    (global.set $x (i64.const 0))
    (loop $next
      (local.set $pc (call_indirect (type $handler) (local.get $pc) (i32.load8_u (local.get $pc))))
      (br_if $next (i32.ge_s (local.get $pc) (i32.const 0))))
    (global.get $acc)))
