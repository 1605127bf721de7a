package ir

import "testing"

func TestLeafpoll(t *testing.T) {
	runPassCases(t, Leafpoll, []passCase{
		{
			name: "leafLosesPoll",
			src: `func f(i32) -> (i32) {
b0:
  v0 = vmctx : i64
  v1 = param [0] : i32
  v2 = poll
  v3 = const 1 : i32
  v4 = iadd v1 v3 : i32
  return v4
}
`,
			want: `func f(i32) -> (i32) {
b0:
  v0 = vmctx : i64
  v1 = param [0] : i32
  v3 = const 1 : i32
  v4 = iadd v1 v3 : i32
  return v4
}
`,
		},
		{
			name: "runtimeExitsLosePoll", // libcalls and lazy funcrefs run no wasm code
			src: `func f(i32) -> (ref) {
b0:
  v0 = vmctx : i64
  v1 = param [0] : i32
  v2 = poll
  v3 = ref_func v0 [5, 96] : ref
  v4 = libcall v0 [64] : ref
  return v4
}
`,
			want: `func f(i32) -> (ref) {
b0:
  v0 = vmctx : i64
  v1 = param [0] : i32
  v3 = ref_func v0 [5, 96] : ref
  v4 = libcall v0 [64] : ref
  return v4
}
`,
		},
		{
			name: "callKeepsPoll",
			src: `func f(i32) -> (i32) {
b0:
  v0 = vmctx : i64
  v1 = param [0] : i32
  v2 = poll
  v3 = call v0 v1 [0] : i32 (i32)
  return v3
}
`,
			want: `func f(i32) -> (i32) {
b0:
  v0 = vmctx : i64
  v1 = param [0] : i32
  v2 = poll
  v3 = call v0 v1 [0] : i32 (i32)
  return v3
}
`,
		},
		{
			name: "loopKeepsHeaderPolls", // the entry poll goes,
			src: `func f(i32) -> (i32) {
b0:
  v0 = vmctx : i64
  v1 = param [0] : i32
  v2 = poll
  jump b1
b1: loop <- b0 b1
  v3 = phi v1 v5 : i32
  v4 = poll
  v6 = const 1 : i32
  v5 = isub v3 v6 : i32
  if v5 -> b1 b2
b2: <- b1
  return v5
}
`,
			want: `func f(i32) -> (i32) {
b0:
  v0 = vmctx : i64
  v1 = param [0] : i32
  jump b1
b1: loop <- b0 b1
  v3 = phi v1 v5 : i32
  v4 = poll
  v6 = const 1 : i32
  v5 = isub v3 v6 : i32
  if v5 -> b1 b2
b2: <- b1
  return v5
}
`,
		},
	})
}
