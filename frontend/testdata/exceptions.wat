;; Exceptions: throw with a payload; a call inside nested try_tables ends
;; its block as an invoke with one landing block per clause (innermost
;; first), each loading the delivered values and branching to its label;
;; locals keep their values at the call; throw_ref after its null check;
;; return_call leaves the handler scope (no invoke).
(module
  (import "env" "host" (func $host (param i32)))
  (tag $e (param i32 f64))
  (tag $f)

  (func $thrower (param i32)
    (throw $e (local.get 0) (f64.const 1.5)))

  (func $nested (param i32) (result i32) (local $l i32)
    (local.set $l (i32.const 5))
    (block $outer (result exnref)
      (block $inner (result i32 f64)
        (try_table (catch $e $inner) (catch_all_ref $outer)
          (try_table (catch $f 0)
            (call $host (local.get 0))
            (local.set $l (i32.const 6))
            (call $thrower (local.get $l))))
        (return (local.get $l)))
      (drop)
      (local.get $l)
      (i32.add)
      (return))
    (throw_ref))

  (func $tail (param i32)
    (try_table (catch_all 0)
      (return_call $thrower (local.get 0)))))
