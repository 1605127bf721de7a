;; The WasmFX implementation of fiber.h, continuation half (module "fx"),
;; merged into the C program by build.sh. A fibre is a continuation of
;; type $ct ([i64] -> [i64]: the value of a resume in, the fibre's result
;; out) kept in table $conts at the fibre's handle; the slot holds the
;; suspended continuation (a stale one while the fibre runs) and is null
;; once the fibre has returned. fiber_yield is `suspend $yield`.
(module
  ;; C's entry functions: int64_t fn(int64_t arg), called through clang's
  ;; function table (a C function pointer is an index into it).
  (type $cfn (func (param i64) (result i64)))
  (type $ct (cont $cfn))
  ;; The trampoline, before cont.bind fixes the entry function and arg.
  (type $tramp (func (param i32 i64 i64) (result i64)))
  (type $tct (cont $tramp))

  (import "main" "__indirect_function_table" (table $fns 0 funcref))

  ;; fiber_yield: the value yielded out, the value of the next resume back.
  (tag $yield (param i64) (result i64))

  (table $conts 0 (ref null $ct))

  ;; Runs the fibre's C entry; the first resume value is dropped (fiber.h).
  ;; A tail call: the entry returns straight to the continuation's base.
  (func $start (type $tramp) (param $fn i32) (param $arg i64) (param $v i64) (result i64)
    (return_call_indirect $fns (type $cfn) (local.get $arg) (local.get $fn)))
  (elem declare func $start)

  ;; cont_new(slot, fn, arg): a fresh continuation of $start with fn and
  ;; arg bound, in $conts[slot] (grown as needed).
  (func $cont_new (export "cont_new") (param $slot i32) (param $fn i32) (param $arg i64)
    (if (i32.ge_u (local.get $slot) (table.size $conts))
      (then
        (drop (table.grow $conts (ref.null $ct)
          (i32.add (table.size $conts) (i32.const 1024))))))
    (table.set $conts (local.get $slot)
      (cont.bind $tct $ct (local.get $fn) (local.get $arg)
        (cont.new $tct (ref.func $start)))))

  ;; resume(slot, v): run the fibre until it yields (its continuation goes
  ;; back into the slot) or returns (the slot stays null).
  (func $resume (export "resume") (param $slot i32) (param $v i64) (result i64)
    (local $r i64)
    (local $k (ref null $ct))
    (block $on_yield (result i64 (ref $ct))
      (local.set $r
        (resume $ct (on $yield $on_yield)
          (local.get $v) (table.get $conts (local.get $slot))))
      (table.set $conts (local.get $slot) (ref.null $ct))
      (return (local.get $r)))
    (local.set $k)
    (table.set $conts (local.get $slot) (local.get $k)))

  (func $suspend (export "suspend") (param $v i64) (result i64)
    (suspend $yield (local.get $v)))

  (func $done (export "done") (param $slot i32) (result i32)
    (ref.is_null (table.get $conts (local.get $slot))))

  (func $drop (export "drop") (param $slot i32)
    (table.set $conts (local.get $slot) (ref.null $ct)))
)
