package ir

import "testing"

func TestConstfold(t *testing.T) {
	runPassCases(t, Constfold, []passCase{
		{"refFuncNotNull", `func f() -> (i32) {
b0:
  v0 = vmctx : i64
  v1 = ref_func v0 [5, 96] : ref
  v2 = const 0 : ref
  v3 = icmp eq v1 v2 : i32
  v4 = icmp ne v2 v1 : i32
  v5 = iadd v3 v4 : i32
  return v5
}
`, `func f() -> (i32) {
b0:
  v0 = vmctx : i64
  v1 = ref_func v0 [5, 96] : ref
  v2 = const 0 : ref
  v3 = const 0 : i32
  v4 = const 1 : i32
  v5 = const 1 : i32
  return v5
}
`},
		{"chain", `func f() -> (i32) {
b0:
  v0 = const 6 : i32
  v1 = const 7 : i32
  v2 = imul v0 v1 : i32 @5
  v3 = copy v2 : i32
  v4 = isub v0 v3 : i32
  return v4
}`, `func f() -> (i32) {
b0:
  v0 = const 6 : i32
  v1 = const 7 : i32
  v2 = const 42 : i32 @5
  v3 = copy v2 : i32
  v4 = const 4294967260 : i32
  return v4
}`},
		{"trapsKept", `func f() -> (i32, i32, i64) {
b0:
  v0 = const 1 : i32
  v1 = const 0 : i32
  v2 = sdiv v0 v1 : i32
  v3 = const 0x80000000 : i32
  v4 = const -1 : i32
  v5 = sdiv v3 v4 : i32
  v6 = srem v3 v4 : i32
  v7 = const 7 : i64
  v8 = const 2 : i64
  v9 = udiv v7 v8 : i64
  return v2 v5 v9
}`, `func f() -> (i32, i32, i64) {
b0:
  v0 = const 1 : i32
  v1 = const 0 : i32
  v2 = sdiv v0 v1 : i32
  v3 = const 2147483648 : i32
  v4 = const -1 : i32
  v5 = sdiv v3 v4 : i32
  v6 = const 0 : i32
  v7 = const 7 : i64
  v8 = const 2 : i64
  v9 = const 3 : i64
  return v2 v5 v9
}`},
		{"conversionsAndCompares", `func f() -> (i64, i32, i32) {
b0:
  v0 = const -2 : i32
  v1 = sextend v0 : i64
  v2 = icmp slt v0 v0 : i32
  v3 = eqz v1 : i32
  return v1 v2 v3
}`, `func f() -> (i64, i32, i32) {
b0:
  v0 = const -2 : i32
  v1 = const -2 : i64
  v2 = const 0 : i32
  v3 = const 0 : i32
  return v1 v2 v3
}`},
		{"floatsNotFolded", `func f() -> (f64, i32) {
b0:
  v0 = const 1.5 : f64
  v1 = fadd v0 v0 : f64
  v2 = fcvt_to_sint v0 : i32
  return v1 v2
}`, `func f() -> (f64, i32) {
b0:
  v0 = const 1.5 : f64
  v1 = fadd v0 v0 : f64
  v2 = fcvt_to_sint v0 : i32
  return v1 v2
}`},
		{"select", `func f(f32, f32) -> (f32) {
b0:
  v0 = param [0] : f32
  v1 = param [1] : f32
  v2 = const 0 : i32
  v3 = select v2 v0 v1 : f32
  return v3
}`, `func f(f32, f32) -> (f32) {
b0:
  v0 = param [0] : f32
  v1 = param [1] : f32
  v2 = const 0 : i32
  v3 = copy v1 : f32
  return v3
}`},
		{"ifTaken", `func f(i32) -> (i32) {
b0:
  v0 = param [0] : i32
  v1 = const 1 : i32
  v2 = const 2 : i32
  v3 = icmp ult v1 v2 : i32
  if v3 -> b1 b2
b1:
  jump b2
b2:
  v4 = phi v0 v1 : i32
  return v4
}`, `func f(i32) -> (i32) {
b0:
  v0 = param [0] : i32
  v1 = const 1 : i32
  v2 = const 2 : i32
  v3 = const 1 : i32
  jump b1
b1:
  jump b2
b2: <- b1
  v4 = phi v1 : i32
  return v4
}`},
		{"ifSameTarget", `func f() -> (i32) {
b0:
  v0 = const 0 : i32
  v1 = const 5 : i32
  v2 = const 6 : i32
  if v0 -> b1 b1
b1:
  v3 = phi v1 v2 : i32
  return v3
}`, `func f() -> (i32) {
b0:
  v0 = const 0 : i32
  v1 = const 5 : i32
  v2 = const 6 : i32
  jump b1
b1:
  v3 = phi v2 : i32
  return v3
}`},
		{"switchDefault", `func f() -> (i32) {
b0:
  v0 = const 9 : i32
  v1 = const 5 : i32
  v2 = const 6 : i32
  switch v0 -> b1 b2 b1
b1: <- b0 b0
  v3 = phi v1 v2 : i32
  return v3
b2:
  return v0
}`, `func f() -> (i32) {
b0:
  v0 = const 9 : i32
  v1 = const 5 : i32
  v2 = const 6 : i32
  jump b1
b1:
  v3 = phi v2 : i32
  return v3
b2:
  return v0
}`},
	})
}
