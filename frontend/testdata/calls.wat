;; Calls: to an imported and a defined function, with several results,
;; call_indirect (bounds check, null check, signature check against a final
;; and a non-final type) and call_ref (null check).
(module
  (type $bin (func (param i32 i32) (result i32)))
  (type $open (sub (func (param i32) (result i32))))
  (import "env" "log" (func $log (param i64)))
  (table $t 4 funcref)
  (elem declare func $add)

  (func $add (type $bin) (i32.add (local.get 0) (local.get 1)))

  (func $pair (param i32) (result i32 i64)
    (local.get 0) (i64.extend_i32_u (local.get 0)))

  ;; Direct calls: call_import goes through the vmctx slot of the import.
  (func $direct (param i32) (result i32)
    (call $log (i64.const 42))
    (call $pair (local.get 0))
    (drop)
    (call $add (i32.const 1)))

  ;; call_indirect through table 0 with a final and a non-final type.
  (func $indirect (param $i i32) (result i32)
    (call_indirect $t (type $bin) (i32.const 2) (i32.const 3) (local.get $i))
    (call_indirect $t (type $open) (local.get $i)))

  ;; call_ref of a typed function reference.
  (func $by_ref (param $f (ref null $bin)) (result i32)
    (call_ref $bin (i32.const 4) (i32.const 5) (local.get $f)))

  (func $make_ref (result i32)
    (call $by_ref (ref.func $add)))
)
