package lower

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"wfxc/ir"
)

func TestBoundsChecks_merging(t *testing.T) {
	tests := []struct {
		name string
		body string
		want map[int32]int64 // value ID → end to check (0 = none); absent = its own
	}{
		{"ascendingLoadsWiden", `
  v2 = load v0 v1 [0, 16] : f64
  v3 = load v0 v1 [8, 16] : f64
  v4 = load v0 v1 [16, 16] : f64`, map[int32]int64{2: 24, 3: 0, 4: 0}},
		{"descendingLoadsCovered", `
  v2 = load v0 v1 [16, 16] : f64
  v3 = load v0 v1 [0, 16] : f64`, map[int32]int64{3: 0}},
		{"storeElsewhereStopsWidening", `
  v2 = load v0 v1 [0, 16] : i32
  v3 = store v0 v2 v2 [0, 16]
  v4 = load v0 v1 [8, 16] : i32`, map[int32]int64{}},
		{"storeToSameAddressIsCovered", `
  v2 = load v0 v1 [0, 16] : i32
  v3 = store v0 v1 v2 [100, 16]
  v4 = load v0 v1 [8, 16] : i32`, map[int32]int64{2: 104, 3: 0, 4: 0}},
		{"storeIsNotWidened", `
  v2 = const 7 : i32
  v3 = store v0 v1 v2 [0, 16]
  v4 = load v0 v1 [8, 16] : i32`, map[int32]int64{}},
		{"otherMemoryApart", `
  v2 = load v0 v1 [0, 16] : i32
  v3 = load v0 v1 [8, 32] : i32`, map[int32]int64{}},
		{"trappingOpStops", `
  v2 = load v0 v1 [0, 16] : i32
  v3 = sdiv v2 v2 : i32
  v4 = load v0 v1 [8, 16] : i32`, map[int32]int64{}},
		{"pureOpsAndOtherLoadsPass", `
  v2 = load v0 v1 [0, 16] : i32
  v3 = iadd v2 v2 : i32
  v4 = load v0 v3 [0, 16] : i32
  v5 = load v0 v1 [12, 16] : i32`, map[int32]int64{2: 16, 5: 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "func f(i32) -> () {\nb0:\n  v0 = vmctx : i64\n  v1 = param [0] : i32" + tt.body + "\n  return\n}\n"
			f, err := ir.Parse(src)
			if err != nil {
				t.Fatal(err)
			}
			if err := ir.Verify(f); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, BoundsChecks(f)); diff != "" {
				t.Errorf("BoundsChecks (-want +got):\n%s", diff)
			}
		})
	}
}
