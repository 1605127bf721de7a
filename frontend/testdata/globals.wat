;; Globals: a defined global is read and written in the vmctx (Aux), an
;; imported one through its pointer (Aux2 = 1); immutable globals are read
;; the same way.
(module
  (import "env" "g" (global $imp (mut i32)))
  (import "env" "k" (global $k f64))
  (global $count (mut i64) (i64.const 0))
  (global $ref (mut funcref) (ref.null func))

  (func $bump (result i64)
    (global.set $count (i64.add (global.get $count) (i64.const 1)))
    (global.get $count))

  (func $imported (param i32) (result f64)
    (global.set $imp (i32.add (global.get $imp) (local.get 0)))
    (global.get $k))

  (func $ref_global (param funcref)
    (global.set $ref (local.get 0)))
)
