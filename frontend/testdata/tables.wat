;; Tables: table.get/set of a funcref table (lazy initialisation) and of an
;; externref table, table.size, and the libcalls table.grow, table.fill,
;; table.copy, table.init and elem.drop. A table64's size is i64.
(module
  (table $f 2 10 funcref)
  (table $e 1 externref)
  (table $w i64 1 funcref)
  (elem $seg func $g $g)

  (func $g)

  (func $get_set (param $i i32) (param $x externref) (result externref)
    (table.set $f (i32.const 1) (table.get $f (local.get $i)))
    (table.set $e (local.get $i) (local.get $x))
    (table.get $e (i32.const 0)))

  (func $size (result i32)
    (i32.add (table.size $f) (i32.wrap_i64 (table.size $w))))

  (func $grow (param $n i32) (result i32)
    (drop (table.grow $w (ref.null func) (i64.const 1)))
    (table.grow $f (ref.func $g) (local.get $n)))

  (func $bulk (param $i i32) (param $n i32)
    (table.fill $f (local.get $i) (ref.null func) (local.get $n))
    (table.copy $f $f (i32.const 0) (local.get $i) (local.get $n))
    (table.init $f $seg (local.get $i) (i32.const 0) (i32.const 2))
    (elem.drop $seg))
)
