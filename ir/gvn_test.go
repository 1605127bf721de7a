package ir

import "testing"

func TestGVN(t *testing.T) {
	runPassCases(t, GVN, []passCase{
		{
			name: "dominatingBlock",
			src: `func f(i32, i32) -> (i32) {
b0:
  v0 = vmctx : i64
  v1 = param [0] : i32
  v2 = param [1] : i32
  v3 = imul v1 v2 : i32
  v4 = const 3 : i32
  v5 = ishl v3 v4 : i32
  jump b1
b1: <- b0
  v6 = imul v1 v2 : i32
  v7 = const 3 : i32
  v8 = ishl v6 v7 : i32
  v9 = iadd v8 v6 : i32
  return v9
}
`,
			want: `func f(i32, i32) -> (i32) {
b0:
  v0 = vmctx : i64
  v1 = param [0] : i32
  v2 = param [1] : i32
  v3 = imul v1 v2 : i32
  v4 = const 3 : i32
  v5 = ishl v3 v4 : i32
  jump b1
b1: <- b0
  v6 = imul v1 v2 : i32
  v7 = const 3 : i32
  v8 = ishl v3 v4 : i32
  v9 = iadd v5 v3 : i32
  return v9
}
`,
		},
		{
			name: "commutativeIntOnly",
			src: `func f(i32, i32, f64, f64) -> (i32, f64) {
b0:
  v0 = vmctx : i64
  v1 = param [0] : i32
  v2 = param [1] : i32
  v3 = param [2] : f64
  v4 = param [3] : f64
  v5 = iadd v1 v2 : i32
  v6 = iadd v2 v1 : i32
  v7 = isub v2 v1 : i32
  v8 = isub v5 v6 : i32
  v9 = isub v8 v7 : i32
  v10 = fadd v3 v4 : f64
  v11 = fadd v4 v3 : f64
  v12 = fsub v10 v11 : f64
  return v9 v12
}
`,
			want: `func f(i32, i32, f64, f64) -> (i32, f64) {
b0:
  v0 = vmctx : i64
  v1 = param [0] : i32
  v2 = param [1] : i32
  v3 = param [2] : f64
  v4 = param [3] : f64
  v5 = iadd v1 v2 : i32
  v6 = iadd v2 v1 : i32
  v7 = isub v2 v1 : i32
  v8 = isub v5 v5 : i32
  v9 = isub v8 v7 : i32
  v10 = fadd v3 v4 : f64
  v11 = fadd v4 v3 : f64
  v12 = fsub v10 v11 : f64
  return v9 v12
}
`,
		},
		{
			// b1 and b2 do not dominate each other: each keeps its own; a
			// trapping division is never merged.
			name: "siblingsAndTraps",
			src: `func f(i32, i32) -> (i32) {
b0:
  v0 = vmctx : i64
  v1 = param [0] : i32
  v2 = param [1] : i32
  if v1 -> b1 b2
b1: <- b0
  v3 = iadd v1 v2 : i32
  v4 = sdiv v1 v2 : i32
  v5 = sdiv v1 v2 : i32
  v6 = iadd v4 v5 : i32
  jump b3
b2: <- b0
  v7 = iadd v1 v2 : i32
  jump b3
b3: <- b1 b2
  v8 = phi v6 v7 : i32
  v9 = iadd v1 v2 : i32
  v10 = iadd v8 v9 : i32
  return v10
}
`,
			want: `func f(i32, i32) -> (i32) {
b0:
  v0 = vmctx : i64
  v1 = param [0] : i32
  v2 = param [1] : i32
  if v1 -> b1 b2
b1: <- b0
  v3 = iadd v1 v2 : i32
  v4 = sdiv v1 v2 : i32
  v5 = sdiv v1 v2 : i32
  v6 = iadd v4 v5 : i32
  jump b3
b2: <- b0
  v7 = iadd v1 v2 : i32
  jump b3
b3: <- b1 b2
  v8 = phi v6 v7 : i32
  v9 = iadd v1 v2 : i32
  v10 = iadd v8 v9 : i32
  return v10
}
`,
		},
	})
}
