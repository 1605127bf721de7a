package abi

import "testing"

// TestLibcalls_rows checks the libcall table by itself: every used index
// has a unique name and a signature of known slot kinds, and Libcall finds
// exactly the used rows (rt's TestLibcalls_table checks the handlers).
func TestLibcalls_rows(t *testing.T) {
	names := map[string]int{}
	used := 0
	for i := range NumLibcalls {
		row := &Libcalls[i]
		if row.Name == "" {
			if row.Args != nil || row.Result != SlotUnknown {
				t.Errorf("libcall %d: a signature but no name", i)
			}
			if Libcall(int64(i)) != nil {
				t.Errorf("Libcall(%d) = a row, want nil for an unused index", i)
			}
			continue
		}
		used++
		if Libcall(int64(i)) != row {
			t.Errorf("Libcall(%d) is not row %s", i, row.Name)
		}
		if j, ok := names[row.Name]; ok {
			t.Errorf("libcall %d: name %q already used by libcall %d", i, row.Name, j)
		}
		names[row.Name] = i
		if len(row.Args) > MaxLibcallArgs {
			t.Errorf("libcall %s: %d arguments, want at most MaxLibcallArgs = %d", row.Name, len(row.Args), MaxLibcallArgs)
		}
		for k, a := range row.Args {
			if !a.IsArg() {
				t.Errorf("libcall %s: argument %d of kind %d, want SlotU64 or SlotRef", row.Name, k, a)
			}
		}
		if r := row.Result; r == SlotUnknown || r >= NumSlotKinds {
			t.Errorf("libcall %s: result of kind %d, want a result kind", row.Name, r)
		}
	}
	if used == 0 {
		t.Fatal("the libcall table has no rows")
	}
	for _, i := range []int64{-1, 0, NumLibcalls, 1 << 40} {
		if Libcall(i) != nil {
			t.Errorf("Libcall(%d) = a row, want nil", i)
		}
	}
}
