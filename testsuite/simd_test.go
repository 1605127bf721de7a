package testsuite

import "testing"

// TestSIMD_abi runs testdata/simd_abi: v128 values where the spec SIMD
// scripts seldom put them (stack params, tail calls, exception payloads,
// multiple results).
func TestSIMD_abi(t *testing.T) {
	r := RunScript("testdata", "testdata/simd_abi/simd_abi.wast")
	for _, f := range r.Failures {
		t.Error(f)
	}
	if r.Passed != 8 || r.Failed != 0 || r.Skipped != 0 {
		t.Errorf("%d passed, %d failed, %d skipped; want 8 passed", r.Passed, r.Failed, r.Skipped)
	}
}
