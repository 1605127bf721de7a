;; Memory: loads and stores of every width with static offsets, a second
;; memory (memory64), memory.size and memory.grow (a libcall), the bulk
;; instructions (libcalls whose status traps at the site), and a static offset
;; no memory can reach (the access always traps).
(module
  (memory $m 1 4)
  (memory $big i64 1)
  (data $d "hello")

  ;; Loads: the Aux is the static offset, Aux2 the memory's vmctx slot.
  (func $loads (param $p i32) (result i64)
    (drop (i32.load (local.get $p)))
    (drop (i32.load8_s offset=1 (local.get $p)))
    (drop (i32.load16_u offset=2 (local.get $p)))
    (drop (f32.load offset=4 (local.get $p)))
    (drop (f64.load offset=8 (local.get $p)))
    (drop (i64.load32_s offset=16 (local.get $p)))
    (i64.load8_u offset=0xffff (local.get $p)))

  ;; Stores to memory 0 and to the 64-bit memory.
  (func $stores (param $p i32) (param $q i64)
    (i32.store (local.get $p) (i32.const 1))
    (i32.store8 offset=3 (local.get $p) (i32.const 2))
    (i64.store16 offset=6 (local.get $p) (i64.const 3))
    (i64.store32 (local.get $p) (i64.const 4))
    (f32.store (local.get $p) (f32.const 1.5))
    (f64.store $big offset=0x100000000 (local.get $q) (f64.const -0.0)))

  ;; memory.size and memory.grow of both memories.
  (func $size_grow (param i32) (result i32)
    (drop (memory.size $big))
    (drop (memory.grow $big (i64.const 1)))
    (drop (memory.size))
    (memory.grow (local.get 0)))

  ;; Bulk memory: the libcalls return a trap code that trapnz raises here.
  (func $bulk (param $dst i32) (param $src i32) (param $n i32)
    (memory.copy (local.get $dst) (local.get $src) (local.get $n))
    (memory.fill (local.get $dst) (i32.const 0) (local.get $n))
    (memory.init $d (local.get $dst) (i32.const 0) (i32.const 5))
    (data.drop $d)
    (memory.copy $big $m (i64.const 0) (local.get $src) (local.get $n)))

  ;; An offset of 2^48 or more always traps: the block ends in a trap.
  (func $far (param i64) (result i32)
    (i32.load $big offset=0x1000000000000 (local.get 0)))
)
