;; Fuel metering (frontend/fuel.go): one charge per block, fuel_check at the
;; entry and loop headers, stores only before calls and on return.
(module
  (func $leaf (param i32) (result i32) (local.get 0))
  ;; a while loop: the body is charged in the header's fuel_check, and the
  ;; exit edge takes its cost back
  (func $while (param $n i32) (result i32)
    (local $i i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (local.get $i))
  ;; a do-while loop: one block per iteration, charged in the header
  (func $dowhile (param $n i32) (result i32)
    (loop $l
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $l (local.get $n)))
    (local.get $n))
  ;; two calls in a row: one store before the first, none between them,
  ;; the reload after the second
  (func $calls (param $n i32) (result i32)
    (i32.add (call $leaf (local.get $n)) (call $leaf (i32.const 2))))
  ;; an if: each arm charges its own block
  (func $if (param $n i32) (result i32)
    (if (result i32) (local.get $n)
      (then (i32.const 1))
      (else (call $leaf (i32.const 3))))))
