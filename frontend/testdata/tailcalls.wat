;; Tail calls: return_call to a defined and to an imported function,
;; return_call_indirect and return_call_ref end their block with a tail-call
;; kind; the operand stack of the caller is dropped.
(module
  (type $t (func (param i64) (result i64)))
  (import "env" "host" (func $host (type $t)))
  (table 1 funcref)

  (func $fac (param $n i64) (param $acc i64) (result i64)
    (if (result i64) (i64.eqz (local.get $n))
      (then (local.get $acc))
      (else
        (return_call $fac (i64.sub (local.get $n) (i64.const 1))
                          (i64.mul (local.get $n) (local.get $acc))))))

  (func $to_host (type $t)
    (return_call $host (local.get 0)))

  (func $via_table (param i64 i32) (result i64)
    (return_call_indirect (type $t) (local.get 0) (local.get 1)))

  (func $via_ref (param i64) (param $f (ref $t)) (result i64)
    (return_call_ref $t (local.get 0) (local.get $f)))
)
