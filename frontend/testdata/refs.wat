;; References: ref.null is the constant 0, ref.is_null a compare with it,
;; ref.func reads the function's funcref record, ref.as_non_null traps on
;; null, br_on_null and br_on_non_null branch on a compare.
(module
  (type $v (func))
  (elem declare func $f)
  (func $f)

  (func $null_checks (param $r funcref) (result i32)
    (i32.add (ref.is_null (local.get $r)) (ref.is_null (ref.null extern))))

  (func $func_ref (result (ref $v))
    (ref.as_non_null (ref.func $f)))

  ;; br_on_null: the branch drops the reference, the fallthrough keeps it.
  (func $on_null (param $r (ref null $v)) (result i32)
    (block $null
      (br_on_null $null (local.get $r))
      (drop)
      (return (i32.const 1)))
    (i32.const 0))

  ;; br_on_non_null: the branch carries the reference.
  (func $on_non_null (param $r (ref null $v)) (result (ref null $v))
    (block $nn (result (ref $v))
      (br_on_non_null $nn (local.get $r))
      (return (ref.null $v))))
)
