;; The module of the embedding examples (main.c on the generated C header,
;; gohost/main.go on the generated Go package): typed imports, a host
;; callback that calls back in, a trap, an exception, an endless loop.
(module
  (import "env" "log" (func $log (param i32 i64)))
  (import "env" "scale" (func $scale (param f64) (result f64)))
  (import "env" "callback" (func $callback (param i32) (result i32)))
  (tag $oops (export "oops") (param i32))
  ;; add is the trivial export whose call cost the examples measure.
  (func (export "add") (param i32 i32) (result i32)
    (i32.add (local.get 0) (local.get 1)))
  ;; area logs its argument and returns scale(x*x).
  (func (export "area") (param f64) (result f64)
    (call $log (i32.const 1) (i64.trunc_f64_s (local.get 0)))
    (call $scale (f64.mul (local.get 0) (local.get 0))))
  ;; check traps (unreachable) for 0, else returns 100/x.
  (func (export "check") (param i32) (result i32)
    (if (i32.eqz (local.get 0)) (then unreachable))
    (i32.div_u (i32.const 100) (local.get 0)))
  ;; outer calls the host's callback, which calls check back in.
  (func (export "outer") (param i32) (result i32)
    (call $callback (local.get 0)))
  ;; raise throws oops(x), which nothing catches.
  (func (export "raise") (param i32)
    (throw $oops (local.get 0)))
  ;; spin never returns: only an interrupt or cancellation stops it.
  (func (export "spin")
    (loop $l (br $l))))
