;; The exceptions benchmark (bench.ThrowCatch; the module of rt/e2e's
;; BenchmarkThrowCatch and BenchmarkTryTableCalls). Assembled by wfxc's
;; text parser (frontend/wat) when the benchmark runs.
(module
  (tag $e (param i32))
  (tag $never)

  ;; $down calls itself until $d is 1, then throws $e: a throw from $d
  ;; frames below the try_table in "throw".
  (func $down (param $d i32)
    (if (i32.le_u (local.get $d) (i32.const 1))
      (then (throw $e (local.get $d))))
    (call $down (i32.sub (local.get $d) (i32.const 1))))

  ;; throw(n, d): n throws, each caught $d frames up; returns n (the sum of
  ;; the payloads, each 1).
  (func (export "throw") (param $n i32) (param $d i32) (result i32)
    (local $i i32) (local $sum i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (block $h (result i32)
          (try_table (catch $e $h) (call $down (local.get $d)))
          (unreachable))
        (local.set $sum (i32.add (local.get $sum)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (local.get $sum))

  ;; plain(n) and try(n): doubly recursive fib, the second with its calls
  ;; inside a try_table (for a tag nobody throws).
  (func $fib (export "plain") (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                     (call $fib (i32.sub (local.get $n) (i32.const 2)))))))
  (func $tfib (export "try") (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else
        (block $h
          (return (try_table (result i32) (catch $never $h)
            (i32.add (call $tfib (i32.sub (local.get $n) (i32.const 1)))
                     (call $tfib (i32.sub (local.get $n) (i32.const 2)))))))
        (i32.const -1)))))
