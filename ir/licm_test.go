package ir

import "testing"

func TestLICM(t *testing.T) {
	const src = `func f(i32, i32) -> (i32) {
b0:
  v0 = vmctx : i64
  v1 = param [0] : i32
  v2 = param [1] : i32
  v3 = const 3 : i32
  v4 = const 0 : i32
  jump b1
b1: loop <- b0 b2
  v5 = phi v4 v9 : i32
  v6 = phi v4 v10 : i32
  v7 = icmp ult v6 v1 : i32
  if v7 -> b2 b3
b2: <- b1
  v8 = ishl v2 v3 : i32
  v11 = imul v8 v8 : i32
  v12 = sdiv v2 v3 : i32
  v9 = iadd v5 v11 : i32
  v13 = iadd v9 v12 : i32
  v14 = icmp eq v2 v3 : i32
  v10 = iadd v6 v14 : i32
  jump b1
b3: <- b1
  return v5
}
`
	f, err := Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(f); err != nil {
		t.Fatal(err)
	}
	if err := LICM(f); err != nil {
		t.Fatal(err)
	}
	if err := Verify(f); err != nil {
		t.Fatalf("after licm: %v\n%s", err, f)
	}
	where := map[int32]int32{}
	for _, b := range f.Blocks {
		for _, v := range b.Values {
			where[v.ID] = b.ID
		}
	}
	tests := []struct {
		name  string
		value int32
		block int32
	}{
		{"invariantShift", 8, 0},
		{"invariantOfHoisted", 11, 0},
		{"invariantCompareNotABranch", 14, 0},
		{"trappingStays", 12, 2},
		{"dependsOnPhiStays", 9, 2},
		{"branchCompareStays", 7, 1},
		{"constantStays", 3, 0},
	}
	for _, tt := range tests {
		if got := where[tt.value]; got != tt.block {
			t.Errorf("%s: v%d in b%d, want b%d\n%s", tt.name, tt.value, got, tt.block, f)
		}
	}
	// Hoisted values keep their order: v8 before v11 in the preheader.
	pos := map[int32]int{}
	for i, v := range f.Blocks[0].Values {
		pos[v.ID] = i
	}
	if pos[8] > pos[11] {
		t.Errorf("v11 placed before v8, which it uses")
	}
}
