;; Control flow: block, loop, if/else, br, br_if, br_table, return, select,
;; unreachable and dead code (decoded, but no IR). Locals become SSA values (Braun et al.): a
;; local assigned in both arms of an if, or in a loop, gets a phi.
(module
  ;; if/else with a result: one phi at the end block.
  (func $max (param i32 i32) (result i32)
    (if (result i32) (i32.gt_s (local.get 0) (local.get 1))
      (then (local.get 0))
      (else (local.get 1))))

  ;; if without else: the false edge carries the block's parameter.
  (func $inc_if (param i32 i32) (result i32)
    (local.get 0)
    (if (param i32) (result i32) (local.get 1)
      (then (i32.const 1) (i32.add))))

  ;; A counting loop: the local is a phi at the loop header; br_if goes back.
  (func $sum (param $n i32) (result i32) (local $i i32) (local $s i32)
    (loop $top
      (local.set $s (i32.add (local.get $s) (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $top (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $s))

  ;; A loop with a parameter: the carried value is a header phi.
  (func $countdown (param i32) (result i32)
    (local.get 0)
    (loop $l (param i32) (result i32)
      (i32.sub (i32.const 1))
      (local.tee 0)
      (br_if $l (local.get 0))))

  ;; br out of nested blocks with a value; code after br is dead and emits no IR.
  (func $early (param i32) (result i32)
    (block $out (result i32)
      (block $in
        (br_if $in (i32.eqz (local.get 0)))
        (br $out (i32.const 10))
        (i32.const 99) (drop)
        (block (loop (br 0))))
      (i32.const 20)))

  ;; br_table: a switch block, the last label is the default.
  (func $switch (param i32) (result i32)
    (block $d
      (block $b
        (block $a
          (br_table $a $b $d (local.get 0)))
        (return (i32.const 100)))
      (return (i32.const 200)))
    (i32.const 300))

  ;; select, return in the middle, and unreachable.
  (func $misc (param i32 i64 i64) (result i64)
    (if (i32.eq (local.get 0) (i32.const 7)) (then (unreachable)))
    (if (i32.eq (local.get 0) (i32.const 8)) (then (return (i64.const -1))))
    (select (local.get 1) (local.get 2) (local.get 0)))

  ;; Multi-value block results.
  (func $swap (param i32 i32) (result i32 i32)
    (block (result i32 i32) (local.get 1) (local.get 0)))

  ;; Everything after unreachable is dead: instructions with every kind of
  ;; immediate are decoded and dropped, nested frames still nest.
  (table $tab 1 funcref)
  (memory 1)
  (data $seg "x")
  (type $sig (func (param i32) (result i32)))
  (func $dead (param i32) (result i32)
    (unreachable)
    (i32.load offset=8 (i32.const 0))
    (f64.store (i32.const 0) (f64.const 1))
    (br_table 0 0 0 (i32.const 1))
    (select (result i64) (i64.const 1) (i64.const 2) (i32.const 0))
    (call_indirect (type $sig) (i32.const 0) (i32.const 0))
    (memory.init $seg (i32.const 0) (i32.const 0) (i32.const 0))
    (table.get $tab (i32.const 0))
    (ref.is_null (ref.null func))
    (block (result i32) (if (result i32) (i32.const 1) (then (i32.const 2)) (else (i32.const 3))))
    (i32.trunc_sat_f32_s (f32.const 0))
    (drop) (drop) (drop) (drop) (drop) (drop))
)
