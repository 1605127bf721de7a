package ir

import "testing"

func TestDeadcode(t *testing.T) {
	runPassCases(t, Deadcode, []passCase{
		{"deadValues", `func f(i32) -> (i32) {
b0:
  v0 = vmctx : i64
  v1 = param [0] : i32
  v2 = iadd v1 v1 : i32
  v3 = imul v2 v2 : i32
  v4 = sdiv v1 v1 : i32
  v5 = load v0 v1 [0, 16] : i32
  v6 = call v0 [1] : tuple (i32, i32)
  v7 = result v6 [0] : i32
  v8 = load_raw v0 [24] : i64
  v9 = global_get v0 [64] : i32
  v10 = memory_size v0 [0, 16] : i32
  v11 = table_size v0 [0, 32] : i32
  v12 = table_get v0 v1 [6, 32] : ref
  return v1
}`, `func f(i32) -> (i32) {
b0:
  v0 = vmctx : i64
  v1 = param [0] : i32
  v4 = sdiv v1 v1 : i32
  v5 = load v0 v1 [0, 16] : i32
  v6 = call v0 [1] : tuple (i32, i32)
  v12 = table_get v0 v1 [6, 32] : ref
  return v1
}`},
		{"unreachableBlock", `func f(i32) -> (i32) {
b0:
  v0 = param [0] : i32
  jump b2
b1:
  v1 = const 7 : i32
  jump b2
b2: <- b1 b0
  v2 = phi v1 v0 : i32
  return v2
}`, `func f(i32) -> (i32) {
b0:
  v0 = param [0] : i32
  jump b2
b2: <- b0
  v2 = phi v0 : i32
  return v2
}`},
		{"unreachableLoop", `func f() {
b0:
  return
b1:
  v0 = const 1 : i32
  jump b2
b2:
  v1 = phi v0 v1 : i32
  jump b2
}`, `func f() {
b0:
  return
}`},
		{"deadLoopPhi", `func f(i32) {
b0:
  v0 = param [0] : i32
  v1 = const 1 : i32
  jump b1
b1: loop
  v2 = phi v1 v3 : i32
  v3 = iadd v2 v1 : i32
  if v0 -> b1 b2
b2:
  return
}`, `func f(i32) {
b0:
  v0 = param [0] : i32
  jump b1
b1: loop <- b0 b1
  if v0 -> b1 b2
b2:
  return
}`},
		{"controlsKeepValues", `func f(i32) -> (i32) {
b0:
  v0 = param [0] : i32
  v1 = eqz v0 : i32
  v2 = const 3 : i32
  if v1 -> b1 b2
b1:
  return v2
b2:
  trap unreachable
}`, `func f(i32) -> (i32) {
b0:
  v0 = param [0] : i32
  v1 = eqz v0 : i32
  v2 = const 3 : i32
  if v1 -> b1 b2
b1:
  return v2
b2:
  trap unreachable
}`},
	})
}
