;; Stack switching (translate_cont.go): each instruction is raw loads and
;; stores of the continuation record, the ectx and the frame area, checks
;; that branch to traps, and one stack_switch. A continuation reference is
;; one cont value; ref.is_null and br_on_null look at its address.
(module
  (type $f (func (param i32) (result i32)))
  (type $k (cont $f))
  (type $g (func (param i64 i32) (result i32)))
  (type $kg (cont $g))
  (rec
    (type $sf (func (param (ref null $sk))))
    (type $sk (cont $sf)))
  (tag $yield (param i32) (result i32))
  (tag $sw)
  (elem declare func $body)
  (func $body (param i32) (result i32) (local.get 0))

  ;; cont.new: a record from the free list, or from rt when it is empty.
  (func $new (result (ref $k))
    (cont.new $k (ref.func $body)))

  ;; resume with one suspend clause: 0 comes back on return, 1 on a
  ;; suspension to the clause.
  (func $run (param $c (ref null $k)) (result i32)
    (block $h (result i32 (ref $k))
      (return (resume $k (on $yield $h) (i32.const 7) (local.get $c))))
    (drop))

  ;; suspend: the handler search, then the switch to the handler.
  (func $yield (param i32) (result i32)
    (suspend $yield (local.get 0)))

  ;; cont.bind: the bound values go to the record's payload buffer.
  (func $bind (param $c (ref $kg)) (result (ref $k))
    (cont.bind $kg $k (i64.const 5) (local.get $c)))

  ;; switch to a peer under the handler of $sw.
  (func $switch (param $c (ref null $sk))
    (drop (switch $sk $sw (local.get $c))))

  (func $null (param $c (ref null $k)) (result i32)
    (ref.is_null (local.get $c)))
)
